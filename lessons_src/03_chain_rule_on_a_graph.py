# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · The chain rule on a computational graph
#
# [← 02 · Activation functions](02_activation_functions.ipynb) | [Contents](00_start_here.ipynb) | [04 · Loss functions →](04_loss_functions.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/03_chain_rule_on_a_graph.ipynb](../solutions/03_chain_rule_on_a_graph.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - write a calculation as a **computational graph** of small operations and evaluate it forward;
# - give the **local derivatives** of one node, such as $\partial z/\partial x$ and $\partial z/\partial y$ for $z = f(x, y)$;
# - turn the **upstream gradient** $\partial L/\partial z$ into $\partial L/\partial x$ and $\partial L/\partial y$ with the chain rule;
# - explain why the gradients of a variable that is used twice **add up**;
# - check a chain-rule result against a symbolic derivative and against central differences;
# - write a small autograd engine of your own: one **backward rule** per operation (add
#   distributes, multiply swaps, max routes) and a backward pass that walks the graph in the
#   order that makes every gradient complete before it is passed on.

# %% [markdown]
# **Run this cell first.** It loads the course's package, `helpers`, and the other libraries this
# lesson uses.

# %%
import math

import numpy as np
import sympy as sp

from helpers.exercises import (
    check_backward_rule,
    check_engine_backward,
    check_graph_gradient,
    check_local_derivative,
)
from helpers.gradcheck import TOLERANCE, format_relative_error, numeric_gradient, relative_error
from helpers.graph import Value
from helpers.plots import draw_graph
from helpers.symbolic import chain_rule_gradient, expressions_equal, to_sympy
from helpers.widgets import GraphStepperState

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## One node: $z = f(x, y)$
#
# A neural network is one long calculation. Written as a **computational graph**, it becomes a
# chain of small operations: each node takes a few inputs and produces one output, and data flows
# in one direction only, from the inputs towards the loss.
#
# Start with the smallest graph there is: one node that multiplies two numbers, $z = x \cdot y$.
# `Value` wraps a number and remembers which operation made it and from what.

# %%
x = Value(3.0, label="x")
y = Value(-2.0, label="y")
z = x * y
z.label = "z"
print(f"z = {z.data:.1f}   (made by '{z.op}' from {[v.label for v in z.inputs]})")

# %% [markdown]
# ### Local derivatives
#
# A node knows how its output reacts when one of its inputs is nudged and the others are held
# still. These are its **local derivatives**. For a product,
#
# $$\frac{\partial z}{\partial x} = y, \qquad \frac{\partial z}{\partial y} = x .$$
#
# They are "local" because the node needs nothing but its own inputs to compute them, and it
# computes them during the forward pass, right away:

# %%
for inp, local in zip(z.inputs, z.local_grads, strict=True):
    print(f"dz/d{inp.label} = {local:.1f}")

# %% [markdown]
# ### The upstream gradient arrives
#
# In a network, $z$ is not the end: it feeds further operations that end in the loss $L$.
# During the backward pass, the node receives $\partial L/\partial z$ from the part of the graph
# above it, the **upstream gradient**. It does not need to know what is up there; one number
# says how much $L$ changes per unit change of $z$.
#
# The chain rule turns it into the gradients for the inputs: multiply the upstream gradient by
# the local derivative.
#
# $$\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\,\frac{\partial z}{\partial x},
# \qquad
# \frac{\partial L}{\partial y} = \frac{\partial L}{\partial z}\,\frac{\partial z}{\partial y}.$$
#
# Say $\partial L/\partial z = 2$. Then $\partial L/\partial x = 2 \cdot (-2) = -4$ and
# $\partial L/\partial y = 2 \cdot 3 = 6$. The graph does the same:

# %%
for step in z.backward_steps(upstream_grad=2.0):
    print(step.text())
print(f"stored in the graph: x.grad = {x.grad:.1f}, y.grad = {y.grad:.1f}")

# %% [markdown]
# Nothing is pretended here. Give the part above $z$ a concrete form whose slope is 2, say
# $L = 2z + 7$, nudge $x$ and $y$ a little and watch $L$ (central differences): the same two
# numbers come out.

# %%
def loss_of_inputs(inputs):
    """L = 2 * (x * y) + 7 for inputs = [x, y]."""
    return 2.0 * inputs[0] * inputs[1] + 7.0


numeric = numeric_gradient(loss_of_inputs, np.array([3.0, -2.0]))
print("numeric [dL/dx, dL/dy] =", numeric)

# %% [markdown]
# ## A classic circuit: $f = (x + y)\, z$
#
# Now a graph with two nodes. (Here the output is called $f$ and $z$ is one of its inputs.)
# With $x = -2$, $y = 5$, $z = -4$ the forward pass computes an intermediate $q = x + y = 3$
# and then $f = q \cdot z = -12$.

# %%
x = Value(-2.0, label="x")
y = Value(5.0, label="y")
z = Value(-4.0, label="z")
q = x + y
q.label = "q"
f = q * z
f.label = "f"
for step in f.forward_steps():
    print(step.text())

# %% [markdown]
# Backward, starting from $\partial f/\partial f = 1$ (here $f$ itself plays the role of $L$):
#
# - the product node: $\partial f/\partial z = q = 3$ and $\partial f/\partial q = z = -4$;
# - the sum node has local derivatives $\partial q/\partial x = \partial q/\partial y = 1$, so it
#   passes its upstream gradient through unchanged:
#   $\partial f/\partial x = \partial f/\partial q \cdot 1 = -4$ and likewise $\partial f/\partial y = -4$.
#
# Each backward step below is one node: the upstream gradient it received, and for each input
# the local derivative and their product. The steps write $L$ for the quantity differentiated,
# here $L = f$, so that a total $\partial L/\partial x$ never shares its symbol with a local
# derivative such as $\partial f/\partial q$.

# %%
for step in f.backward_steps():
    print(step.text())
print(f"\ndf/dx = {x.grad:.1f}, df/dy = {y.grad:.1f}, df/dz = {z.grad:.1f}")

# %% [markdown]
# The drawing shows the whole circuit after the backward pass: every box gives the node's
# value and, below it, its gradient $\partial f/\partial(\text{node})$. Forward runs left to
# right, backward right to left.

# %% alt="Computational graph of f = (x + y) z with each node's value and gradient: x (value −2, grad −4) and y (value 5, grad −4) feed q = x + y (value 3, grad −4); q and z (value −4, grad 3) feed f = q × z (value −12, grad 1)."
draw_graph(f, title="f = (x + y) z: values and gradients")

# %% [markdown]
# Central differences on $f(x, y, z) = (x + y)\,z$ agree:

# %%
def circuit(inputs):
    """f = (x + y) * z for inputs = [x, y, z]."""
    return (inputs[0] + inputs[1]) * inputs[2]


numeric = numeric_gradient(circuit, np.array([-2.0, 5.0, -4.0]))
backprop = np.array([x.grad, y.grad, z.grad])
print("backprop:", backprop)
print("numeric: ", numeric)
print("relative error:", format_relative_error(relative_error(backprop, numeric)))
print(f"below TOLERANCE = {TOLERANCE:.0e}, so they agree:", relative_error(backprop, numeric) < TOLERANCE)

# %% [markdown]
# ## The same result, symbolically
#
# The chain rule promises that multiplying local derivatives along the path gives the derivative
# of the whole expression. sympy can check that with symbols instead of numbers.
# `chain_rule_gradient` walks the graph node by node and multiplies the local derivatives, the
# way backpropagation does:

# %%
derivation = chain_rule_gradient(f, "x")
print(derivation.text())

# %% [markdown]
# Independently, `sympy.diff` differentiates the whole expression $f = (x + y)\,z$ in one go.
# The two agree for every input, and at $x = -2$, $y = 5$, $z = -4$ they give the numbers the
# graph computed:

# %%
expression, symbols = to_sympy(f)
point = {symbols["x"]: -2, symbols["y"]: 5, symbols["z"]: -4}
print("f =", expression)
for name in ("x", "y", "z"):
    chain = chain_rule_gradient(f, name).gradient
    whole = sp.diff(expression, symbols[name])
    print(f"df/d{name}: chain rule {str(chain):>7},  sympy.diff {str(whole):>7},"
          f"  equal: {expressions_equal(chain, whole)},  at the point: {whole.subs(point)}")

# %% [markdown]
# That was easy to see by eye. Here is a case where it is not: one neuron,
# $a = \sigma(w\,x + b)$, at $w = 0.5$, $x = 2$, $b = -0.3$. The chain rule gives
# $\partial a/\partial w = \sigma'(v) \cdot 1 \cdot x$ with $v = w\,x + b$; `sympy.diff` writes its
# answer in a different form, yet the difference simplifies to zero, and the number matches the
# gradient that `backward` stores in $w$.

# %%
w = Value(0.5, label="w")
x_in = Value(2.0, label="x")
b = Value(-0.3, label="b")
u = w * x_in
u.label = "u"
v = u + b
v.label = "v"
a = v.sigmoid()
a.label = "a"
derivation = chain_rule_gradient(a, "w")
print(derivation.text())
print("sympy.diff of the whole expression:", derivation.expected)
print("equal:", derivation.matches_diff())
a.backward()
_, symbols = to_sympy(a)
at_point = derivation.gradient.subs({symbols["w"]: 0.5, symbols["x"]: 2.0, symbols["b"]: -0.3})
print(f"at the point: chain rule {float(at_point):.6f}, backward {w.grad:.6f}")

# %% [markdown]
# ## Step through it yourself
#
# The stepper replays the circuit $f = (x + y)\,z$ one operation at a time: first the forward
# pass (values appear left to right), then the backward pass (gradients flow right to left, each
# step showing upstream gradient times local derivative). Click **next** and **previous**, or drag
# the **step** slider; these controls sit at the top and do not move. Drag the **x**, **y**, **z**
# sliders to change the inputs, or type an expression of your own, such as `x * y + x` or
# `sigmoid(w * x + b)`, into the box under the buttons, writing `*` for every product (the line
# under the sliders says what to change if it cannot read the text). The stepper names the
# intermediate $x + y$ `v1` and the output `v2`; it writes $L$ for the quantity it
# differentiates, here $f$ = `v2` itself, so its backward pass starts from
# $\partial L/\partial v_2 = 1$.

# %% tags=["nbval-ignore-output"]
from helpers.widgets import GraphStepper

GraphStepper("(x + y) * z", x=-2.0, y=5.0, z=-4.0, editable=True)

# %% [markdown]
# For the record, here is every step of the circuit in order, as a stepper built on the graph
# `f` from above lists them. (Its intermediate keeps the label `q` we gave it; the stepper above
# was built from typed text, and names its unlabelled intermediates `v1`, `v2`, ...) Like the
# stepper, the listing writes $L$ for the final output, here $f$.

# %%
print("all steps of the circuit:")
for number, step in enumerate(GraphStepperState(f).steps, start=1):
    print(f"  {number}. " + step.text().replace("\n", "\n     "))

# %% [markdown]
# ## A variable used twice: gradients add up
#
# In a network the same number often feeds several operations: one input goes to every neuron
# of the first layer. Take $f = x\,y + x$ at $x = 3$, $y = -2$. The variable $x$ reaches $f$
# along two paths, through the product $p = x\,y$ and directly through the sum. Nudging $x$
# moves $f$ along both paths at once, so the two effects **add**:
#
# $$\frac{\partial f}{\partial x}
# = \underbrace{\frac{\partial f}{\partial p}\,\frac{\partial p}{\partial x}}_{\text{through } p}
# + \underbrace{1}_{\text{direct}}
# = 1 \cdot y + 1 = -2 + 1 = -1 .$$
#
# In the backward pass this means: a node does not *set* the gradient of its input, it *adds*
# its contribution to it. The recorded steps show each contribution and the running total
# (again with $L = f$: `dL/dx` is the total, `df/dx` the sum node's local derivative).

# %%
x = Value(3.0, label="x")
y = Value(-2.0, label="y")
p = x * y
p.label = "p"
f = p + x
f.label = "f"
for step in f.backward_steps():
    print(step.text())

# %% [markdown]
# Adding up the contributions to $x$ by hand gives the same total:

# %%
contributions_to_x = [
    c.product for step in f.backward_steps() for c in step.contributions if c.input is x
]
print("contributions to df/dx:", [f"{c:.1f}" for c in contributions_to_x])
print(f"sum = {sum(contributions_to_x):.1f}, x.grad = {x.grad:.1f}")

# %% [markdown]
# Symbolically, the chain rule now has two paths from $f$ down to $x$, one product per path, and
# their sum is exactly what `sympy.diff` finds. In the listing, `df/dx` on the left is the total
# derivative; the factor `df/dx (direct)` is only the sum node's local derivative along the direct
# edge from $x$, written $\left.\partial f/\partial x\right|_{\text{direct}}$ in maths.

# %%
derivation = chain_rule_gradient(f, "x")
print(derivation.text())
print("path products:", derivation.path_products, "  sympy.diff:", derivation.expected)
print("equal:", derivation.matches_diff())

# %% [markdown]
# ## Exercises on the chain rule
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# In each exercise, fill in the answer cell (replace the `None`, or write the function's body)
# and run it, then run the check cell under it: the check says whether your answer is right
# and, if not, what probably went wrong.
#
# **Exercise 1 — a local derivative.** A node divides: $q = x / y$. Write its local derivative
# $\partial q/\partial y$ as a function of $x$ and $y$. (The check also tries other inputs.)
#
# <details><summary>Hint</summary>
#
# Write $x / y$ as $x \cdot y^{-1}$ and hold $x$ still: only $y^{-1}$ changes when $y$ is
# nudged. The power rule gives the derivative of $y^{-1}$.
#
# </details>

# %%
def dq_dy(x, y):
    """Local derivative of q = x / y with respect to y."""
    ### BEGIN SOLUTION
    return -x / y**2
    ### END SOLUTION


# %%
check_local_derivative(dq_dy, "/", {"x": 3.0, "y": -4.0}, wrt="y")

# %% [markdown]
# **Exercise 2 — predict a gradient.** The cell below builds $b = a + a$ and $c = b \cdot b$ at
# $a = 3$. Before any backward pass runs, predict $\partial c/\partial a$ by hand and write it
# into `dc_da`. A cell after the check runs `backward` so that you can compare.
#
# <details><summary>Hint</summary>
#
# Go backward one node at a time: first $\partial c/\partial b$ from the product node (which
# uses $b$ twice), then through the sum node to $a$, remembering that $a$ enters it twice.
#
# </details>

# %%
a = Value(3.0, label="a")
b = a + a
b.label = "b"
c = b * b
c.label = "c"

# %%
dc_da = None  # your prediction: a number
### BEGIN SOLUTION
dc_da = 2 * b.data * (1.0 + 1.0)  # dc/db = 2b, and b = a + a gives db/da = 1 + 1
### END SOLUTION

# %%
check_graph_gradient(dc_da, c, a)

# %% [markdown]
# Now the graph computes it: every contribution, then the total in `a.grad`. The steps write
# $L$ for the output, here $L = c$, so that the total and the local derivative get different
# names: in the steps `dL/db` is the total (what the check's ✓ message calls `dc/db`) and `dc/db` the
# product node's local derivative.

# %% tags=["reveal"]
for step in c.backward_steps():
    print(step.text())
print(f"a.grad = {a.grad:.1f}")

# %% [markdown]
# ## Write the engine yourself
#
# So far `Value` has done every backward pass. Its whole idea fits on one screen, and the surest
# way to understand it is to write it. Here is a node class of your own, `Node`. Like `Value`,
# a `Node` holds its number `data`, its gradient `grad` (0 until a backward pass fills it) and
# the nodes it was computed from, `inputs`. Instead of local derivatives it stores its
# operation's **backward rule**: a function `backward_rule(out)` that reads `out.grad`, the
# upstream gradient, and adds each input's share of it into that input's `.grad`.
#
# You write the rules, `add_backward`, `mul_backward`, `tanh_backward`, `relu_backward` and
# `max_backward`, in the exercises below. Python looks a name up only when the line using it
# runs, so the class can name them before they exist.

# %%
class Node:
    """One number of a computational graph: its value, its gradient and how it was made."""

    def __init__(self, data, inputs=(), backward_rule=None):
        self.data = float(data)
        self.grad = 0.0  # d out / d(this node), filled by backward(out)
        self.inputs = tuple(inputs)  # the nodes it was computed from; () for a leaf
        self.backward_rule = backward_rule  # backward_rule(self) passes self.grad on

    def __add__(self, other):
        return Node(self.data + other.data, (self, other), add_backward)

    def __mul__(self, other):
        return Node(self.data * other.data, (self, other), mul_backward)

    def tanh(self):
        return Node(math.tanh(self.data), (self,), tanh_backward)

    def relu(self):
        return Node(max(self.data, 0.0), (self,), relu_backward)

    def max(self, other):
        return Node(max(self.data, other.data), (self, other), max_backward)

    def __repr__(self):
        return f"Node(data={self.data:.4g}, grad={self.grad:.4g})"


# %%
def topological_order(out):
    """Every node out depends on, each once, inputs before the nodes that use them."""
    order, visited, stack = [], set(), [(out, False)]
    while stack:  # a depth-first search with a stack of its own: no limit on depth
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))  # comes back here once its inputs are in the order
            stack.extend((inp, False) for inp in node.inputs if inp not in visited)
    return order

# %% [markdown]
# ### Four patterns of backward flow
#
# Every rule is "upstream times local", and four patterns cover the operations here. See them
# in `Value` with an upstream gradient of 2 at $x = 3$, $y = -2$. `Value` has no max of its
# own, but $\max(x, y) = x + \mathrm{relu}(y - x)$ (if $y > x$ the relu adds the difference,
# else nothing), and that it can differentiate; the checks below compare your max with `Value`
# this way. Central differences on $\max(x, y)$ itself measure the same slopes.

# %%
def grads_after(make_out):
    """x.grad and y.grad after out = make_out(x, y) at x = 3, y = -2 gets out.grad = 2."""
    x, y = Value(3.0, label="x"), Value(-2.0, label="y")
    make_out(x, y).backward(upstream_grad=2.0)
    return x.grad, y.grad


for text, make_out in (("x + y", lambda x, y: x + y), ("x * y", lambda x, y: x * y),
                       ("x * x", lambda x, y: x * x),
                       ("x + relu(y - x)", lambda x, y: x + (y - x).relu())):
    x_grad, y_grad = grads_after(make_out)
    print(f"out = {text:<15}: x.grad = {x_grad:5.1f}, y.grad = {y_grad:5.1f}")
slopes = numeric_gradient(lambda v: 2.0 * max(v[0], v[1]), np.array([3.0, -2.0]))
print(f"out = {'max(x, y)':<15}: x.grad = {slopes[0]:5.1f}, y.grad = {slopes[1]:5.1f}  (numeric)")

# %% [markdown]
# Read each line as a pattern before you write the rules: for each operation, which input
# receives how much of the upstream gradient 2, and why? Compare $x \cdot y$ with the values
# $x = 3$, $y = -2$, and $x \cdot x$ with $x \cdot y$. The patterns get their names after
# Exercise 7.
#
# Each exercise below gives the rule's first line, `a, b = out.inputs` (or `(a,) = out.inputs`
# for one input). Its check builds small graphs with your `Node` itself, with an upstream
# gradient other than 1 and inputs that already hold a share (and, for $+$ and $\cdot$, a node
# used as both inputs), and compares the result with `Value` and with central differences. A rule is checked on its own, so a
# mistake in one never fails another.
#
# **Exercise 3 — add's rule, a warm-up.** Write `add_backward(out)` for `out = a + b`. The
# line for $x + y$ above shows what it does; this exercise is for getting the form of a
# rule right (read `out.grad`, add into each input's `.grad`) before the rules that need
# more thought.
#
# <details><summary>Hint</summary>
#
# The local derivatives of a sum are both 1. Each input gets upstream times local, and adds it
# to what it already holds.
#
# </details>

# %%
def add_backward(out):
    """out = a + b: add each input's share of out.grad into a.grad and b.grad."""
    a, b = out.inputs
    ### BEGIN SOLUTION
    a.grad += out.grad
    b.grad += out.grad
    ### END SOLUTION


# %%
check_backward_rule(add_backward, "+", Node)

# %% [markdown]
# **Exercise 4 — multiply's rule.** Write `mul_backward(out)` for `out = a * b`.
#
# <details><summary>Hint</summary>
#
# Nudge `a` and hold `b` still: `out` moves by `b` times the nudge. The check also tries
# `out = a * a`.
#
# </details>

# %%
def mul_backward(out):
    """out = a * b: add each input's share of out.grad into a.grad and b.grad."""
    a, b = out.inputs
    ### BEGIN SOLUTION
    a.grad += out.grad * b.data
    b.grad += out.grad * a.data
    ### END SOLUTION


# %%
check_backward_rule(mul_backward, "*", Node)

# %% [markdown]
# **Exercise 5 — tanh's rule.** Write `tanh_backward(out)` for `out = tanh(a)`. Lesson 02 gave
# the derivative: $\tanh'(a) = 1 - \tanh(a)^2$.
#
# <details><summary>Hint</summary>
#
# The node already holds $\tanh(a)$: there is no need to compute it again. Which of the two
# numbers, `a.data` or `out.data`, is $\tanh(a)$?
#
# </details>

# %%
def tanh_backward(out):
    """out = tanh(a): add a's share of out.grad into a.grad."""
    (a,) = out.inputs
    ### BEGIN SOLUTION
    a.grad += out.grad * (1.0 - out.data**2)
    ### END SOLUTION


# %%
check_backward_rule(tanh_backward, "tanh", Node)

# %% [markdown]
# **Exercise 6 — ReLU's rule.** Write `relu_backward(out)` for `out = relu(a)` $= \max(a, 0)$.
# At the kink, $a = 0$, take the slope to be 0, as `Value` does.
#
# <details><summary>Hint</summary>
#
# Draw ReLU: what is its slope left of 0, right of 0? The local derivative is one of two
# numbers, and the input's sign decides which.
#
# </details>

# %%
def relu_backward(out):
    """out = relu(a): add a's share of out.grad into a.grad."""
    (a,) = out.inputs
    ### BEGIN SOLUTION
    if a.data > 0:
        a.grad += out.grad
    ### END SOLUTION


# %%
check_backward_rule(relu_backward, "relu", Node)

# %% [markdown]
# **Exercise 7 — max's rule.** Write `max_backward(out)` for `out = max(a, b)`. At a tie,
# `a.data == b.data`, give the gradient to `a` (the check avoids ties).
#
# <details><summary>Hint</summary>
#
# Nudge the smaller input a little: does `out` move? Nudge the larger one: by how much does
# `out` move?
#
# </details>

# %%
def max_backward(out):
    """out = max(a, b): add each input's share of out.grad into a.grad and b.grad."""
    a, b = out.inputs
    ### BEGIN SOLUTION
    if a.data >= b.data:
        a.grad += out.grad
    else:
        b.grad += out.grad
    ### END SOLUTION


# %%
check_backward_rule(max_backward, "max", Node)

# %% [markdown]
# ### What you found
#
# The four patterns of backward flow, as your rules now carry them out:
#
# - **Add distributes**: both inputs of $x + y$ receive the whole upstream gradient, 2.
# - **Multiply swaps**: each input of $x \cdot y$ receives the upstream gradient times the
#   *other* input: `x.grad` $= 2 \cdot (-2) = -4$ and `y.grad` $= 2 \cdot 3 = 6$.
# - **Max routes**: all of it goes to the larger input, $x$; the smaller one, $y$, did not
#   affect the result, so it gets nothing.
# - **Gradients add at a branch**: in $x \cdot x$ the node $x$ is both inputs and receives two
#   shares, $2 \cdot 3 + 2 \cdot 3 = 12$. A node used by two different nodes gets a share from
#   each, at different moments. So a rule never *sets* an input's `.grad`; it adds, `+=`.

# %% [markdown]
# **Exercise 8 — the backward pass.** Write `backward(out)`. It fills every node's `.grad` with
# $\partial\,\text{out}/\partial(\text{node})$: set every grad to 0, set `out.grad = 1`
# ($\partial\,\text{out}/\partial\,\text{out}$), then call each node's rule,
# `node.backward_rule(node)`, once per node, walking the nodes in an order you choose. The first
# line computes `order` with `topological_order` from above: every node comes after its inputs.
# A leaf (a node made by `Node(number)`) has no rule: its `backward_rule` is `None`.
#
# The check builds graphs in which one node feeds two others, with rules of its own that note
# when each one runs, so it sees whether a node passed its gradient on before that gradient was
# complete. It also runs `backward` twice on one graph: the second pass must give the same
# gradients. When the check passes, it runs your whole engine (your `Node` operations, your
# five rules and this `backward`) on a bigger expression and compares it with `Value`.
#
# <details><summary>Hint</summary>
#
# A node may pass its gradient on only after every node that uses it has added its share. In
# `order`, a node comes after all its inputs; which way round must the walk go?
#
# </details>

# %%
def backward(out):
    """Fill .grad of every node that out depends on with d out / d(node)."""
    order = topological_order(out)  # inputs before the nodes that use them
    ### BEGIN SOLUTION
    for node in order:
        node.grad = 0.0
    out.grad = 1.0
    for node in reversed(order):
        if node.backward_rule is not None:
            node.backward_rule(node)
    ### END SOLUTION


# %%
check_engine_backward(backward, Node)

# %% [markdown]
# That is a whole automatic-differentiation engine: a node class, five rules and a walk.
# `Value` works the same way, with two differences: it computes the local derivatives in the
# forward pass and keeps them as numbers (so that they can be printed and drawn), and its
# `backward` multiplies them by the upstream gradient in one loop instead of calling a rule per
# node.
#
# ## Summary
#
# - A computational graph splits a calculation into small operations; data flows forward from
#   the inputs to the output, with no cycles.
# - Each node knows its **local derivatives**, e.g. for $z = x\,y$: $\partial z/\partial x = y$,
#   $\partial z/\partial y = x$.
# - In the backward pass a node receives the **upstream gradient** $\partial L/\partial z$ and
#   passes on $\partial L/\partial x = \partial L/\partial z \cdot \partial z/\partial x$ (and
#   likewise for $y$): upstream times local.
# - A variable used in several places collects one contribution per use, and they **add up**;
#   that is why the backward pass accumulates with `+=`.
# - The chain-rule product of local derivatives equals the derivative of the whole expression
#   (sympy) and the slope measured by central differences.
# - A scalar engine is a node class, one backward rule per operation and a walk: **add
#   distributes** the upstream gradient to both inputs, **multiply swaps** its inputs, **max
#   routes** it to the larger input, ReLU passes it only where its input is positive, and tanh
#   multiplies by $1 - \text{out}^2$. `backward` sets the grads to 0, starts from
#   `out.grad = 1` and calls the rules in reverse topological order, so that every gradient is
#   complete before it is passed on.
#
# [← 02 · Activation functions](02_activation_functions.ipynb) | [Contents](00_start_here.ipynb) | [04 · Loss functions →](04_loss_functions.ipynb)
