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

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - write a calculation as a **computational graph** of small operations and evaluate it forward;
# - give the **local derivatives** of one node, such as $\partial z/\partial x$ and $\partial z/\partial y$ for $z = f(x, y)$;
# - turn the **upstream gradient** $\partial L/\partial z$ into $\partial L/\partial x$ and $\partial L/\partial y$ with the chain rule;
# - explain why the gradients of a variable that is used twice **add up**;
# - check a chain-rule result against a symbolic derivative and against numeric differences.

# %% [markdown]
# **Run this cell first.** It loads the course's package, `helpers`, and the other libraries this
# lesson uses.

# %%
import numpy as np
import sympy as sp

from helpers.exercises import check_chain_rule, check_graph_gradient, check_local_derivative
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
# the local derivative and their product.

# %%
for step in f.backward_steps(output_name="f"):
    print(step.text())
print(f"\ndf/dx = {x.grad:.1f}, df/dy = {y.grad:.1f}, df/dz = {z.grad:.1f}")

# %% [markdown]
# The drawing shows the whole circuit after the backward pass: every box gives the node's
# value and, below it, its gradient $\partial f/\partial(\text{node})$. Forward runs left to
# right, backward right to left.

# %%
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
# its contribution to it. The recorded steps show each contribution and the running total.

# %%
x = Value(3.0, label="x")
y = Value(-2.0, label="y")
p = x * y
p.label = "p"
f = p + x
f.label = "f"
for step in f.backward_steps(output_name="f"):
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
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Replace each `None` with your answer (or fill in the function) and run the cell; the check says
# whether it is right and,
# if not, what probably went wrong.
#
# **Exercise 1 — a local derivative.** A node divides: $q = x / y$. Write its local derivative
# $\partial q/\partial y$ as a function of $x$ and $y$. (The check also tries other inputs.)

# %%
def dq_dy(x, y):
    """Local derivative of q = x / y with respect to y."""
    ### BEGIN SOLUTION
    return -x / y**2
    ### END SOLUTION


check_local_derivative(dq_dy, "/", {"x": 3.0, "y": 2.0}, wrt="y")

# %% [markdown]
# **Exercise 2 — a chain-rule product.** Suppose the circuit $f = (x + y)\,z$ is part of a larger
# graph and the upstream gradient $\partial L/\partial f = -2$ arrives at its output. At
# $x = -2$, $y = 5$, $z = -4$, what is $\partial L/\partial x$? Multiply the factors along the path
# $x \to q \to f \to L$.

# %%
dL_dx = None  # your answer: a number
### BEGIN SOLUTION
dL_dx = -2.0 * -4.0 * 1.0  # dL/df * df/dq * dq/dx
### END SOLUTION
check_chain_rule(dL_dx, -2.0, -4.0, 1.0)

# %% [markdown]
# **Exercise 3 — a reused variable.** Here $b = a + a$ and $c = b \cdot b$ at $a = 3$. What is
# $\partial c/\partial a$? Work it out by hand (without calling `backward`): $a$ enters $b$ twice.

# %%
a = Value(3.0, label="a")
b = a + a
b.label = "b"
c = b * b
c.label = "c"

dc_da = None  # your answer: a number
### BEGIN SOLUTION
dc_da = 2 * b.data * (1.0 + 1.0)  # dc/db = 2b, and b = a + a gives db/da = 1 + 1
### END SOLUTION
check_graph_gradient(dc_da, c, a)

# %% [markdown]
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
#
# [← 02 · Activation functions](02_activation_functions.ipynb) | [Contents](00_start_here.ipynb) | [04 · Loss functions →](04_loss_functions.ipynb)
