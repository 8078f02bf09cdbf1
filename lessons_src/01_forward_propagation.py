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
# # 01 · Forward propagation
# [← 00 · Start here](00_start_here.ipynb) | [Contents](00_start_here.ipynb) | [02 · Activation functions →](02_activation_functions.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/01_forward_propagation.ipynb](../solutions/01_forward_propagation.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - compute one neuron's **pre-activation** $z = \mathbf{w} \cdot \mathbf{x} + b$ and its
#   **activation** $a = f(z)$, by hand and with code;
# - write a whole layer as one matrix product $Z = XW + \mathbf{b}$ and say the shape of every array;
# - run a network as a chain of layers, from input to output;
# - explain why a feed-forward network has no cycles, and what a cycle would break.

# %% [markdown]
# **Run this cell first.** It loads the course's small numpy package, `helpers`, and sets how
# numbers are printed (four decimals).

# %%
import numpy as np

from helpers.activations import sigmoid, tanh
from helpers.layers import ActivationLayer, Dense
from helpers.network import Network, build_network
from helpers.plots import draw_network

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## One neuron
#
# A neuron looks at its inputs $x_1, \dots, x_n$ and does two things.
#
# 1. **Pre-activation.** It weighs each input and adds them up, plus a bias:
#    $$z = w_1 x_1 + w_2 x_2 + \dots + w_n x_n + b = \mathbf{w} \cdot \mathbf{x} + b.$$
#    For a positive input, a large positive weight means "this input pushes me up", a negative
#    one "this input holds me back" (a negative input reverses both); the bias $b$ sets how easily the neuron responds at all.
# 2. **Activation.** It passes $z$ through a fixed function $f$, the activation function:
#    $$a = f(z).$$
#    Here we use the sigmoid $\sigma(z) = 1 / (1 + e^{-z})$, which squeezes any $z$ into $(0, 1)$.
#    Lesson 02 is all about activation functions.
#
# Let us do it by hand with three inputs.

# %%
x = np.array([0.5, -1.0, 2.0])  # the inputs
w = np.array([0.4, 0.3, -0.2])  # one weight per input
b = 0.1  # the bias

products = w * x
z = products.sum() + b
print("w_i * x_i       :", products)
print(f"sum + b = z     : {products.sum():.4f} + {b:.4f} = {z:.4f}")
print(f"a = sigmoid(z)  : 1 / (1 + exp({-z:.4f})) = {1 / (1 + np.exp(-z)):.4f}")

# %% [markdown]
# The three products are $0.2$, $-0.3$ and $-0.4$; with the bias, $z = -0.4$, and
# $a = \sigma(-0.4) \approx 0.4013$, a little below one half.
#
# The same neuron in the course package is a `Dense` layer with one output, followed by an
# activation. `Dense` stores the weights as a column, shape `(n_in, n_out)` = `(3, 1)`, and takes
# its input as a row, shape `(1, 3)`: one sample, three features.

# %%
neuron = Dense(3, 1, weights=w.reshape(3, 1), bias=[b])
z_helpers = neuron.forward(x.reshape(1, 3))
a_helpers = sigmoid(z_helpers)
print(f"helpers: z = {z_helpers[0, 0]:.4f}, a = {a_helpers[0, 0]:.4f}")
print("the same as by hand:", np.isclose(z_helpers[0, 0], z) and np.isclose(a_helpers[0, 0], 1 / (1 + np.exp(-z))))

# %% [markdown]
# ## A layer: many neurons, many samples, one matrix product
#
# A layer is several neurons that read the **same** inputs. Put each neuron's weights in a
# column of a matrix $W$: with $n_\text{in}$ inputs and $n_\text{out}$ neurons, $W$ has shape
# $(n_\text{in}, n_\text{out})$ and the biases form a vector $\mathbf{b}$ of shape $(n_\text{out},)$.
#
# We also feed many samples at once, a **batch**. The samples are the **rows** of $X$, shape
# $(n, n_\text{in})$. Then the whole layer is
# $$Z = X W + \mathbf{b}, \qquad
#   \underbrace{Z}_{(n,\ n_\text{out})} = \underbrace{X}_{(n,\ n_\text{in})}\,
#   \underbrace{W}_{(n_\text{in},\ n_\text{out})} + \underbrace{\mathbf{b}}_{(n_\text{out},)},$$
# where $Z_{ij} = \sum_k X_{ik} W_{kj} + b_j$ is the pre-activation of neuron $j$ for sample $i$.

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(4, 3))  # 4 samples, 3 features each
layer = Dense(3, 2, rng=0)  # 3 inputs -> 2 neurons
Z = layer.forward(X)
print("X:", X.shape, " W:", layer.W.shape, " b:", layer.b.shape, " ->  Z:", Z.shape)
print(Z)

# %% [markdown]
# **Broadcasting the bias.** `X @ W` has shape $(4, 2)$ but $\mathbf{b}$ has shape $(2,)$.
# numpy lines the shapes up from the right, sees that $\mathbf{b}$ has no row axis, and adds the
# same $\mathbf{b}$ to every row: every sample gets the same biases. Written out, that is adding
# a column of ones times $\mathbf{b}$ as a row:

# %%
ones = np.ones((X.shape[0], 1))
Z_explicit = X @ layer.W + ones @ layer.b.reshape(1, -1)  # (4, 1) @ (1, 2) -> (4, 2)
print("broadcast equals explicit:", np.allclose(Z, Z_explicit))  # equal up to rounding

# %% [markdown]
# Rows do not talk to each other: row $i$ of $Z$ depends only on sample $i$. So running the
# batch at once gives the same numbers as running one sample at a time (up to floating-point
# rounding, which `np.allclose` allows for), with one matrix product instead of $n$.
# (`np.allclose(a, b)` is numpy's test for "the same numbers up to rounding": every
# $|a - b| \le 10^{-8} + 10^{-5}|b|$. The course uses it only where two computations should give
# identical numbers; whether a derived gradient *agrees* with a numeric one is judged with the
# course's one tolerance, `helpers.gradcheck.TOLERANCE`, from lesson 02 on.)

# %%
Z_one_by_one = np.vstack([layer.forward(X[i : i + 1]) for i in range(X.shape[0])])
print("batch equals one by one:", np.allclose(Z, Z_one_by_one))

# %% [markdown]
# **A convention to know.** Many textbooks write one sample as a column $\mathbf{x}$ and a layer
# as $\mathbf{z} = W' \mathbf{x} + \mathbf{b}$, with $W'$ of shape
# $(n_\text{out}, n_\text{in})$; PyTorch's `nn.Linear` stores its weight with that shape too and
# computes $X W'^\top + \mathbf{b}$. Their $W'$ is the transpose of this course's $W$:
# $W' = W^\top$, the same numbers laid out the other way round.

# %%
W_textbook = layer.W.T  # the textbook / PyTorch layout, shape (n_out, n_in)
print("W:", layer.W.shape, "  W' = W^T:", W_textbook.shape)
print("W' x + b for sample 0:", W_textbook @ X[0] + layer.b, "  row 0 of Z:", Z[0])
print("X W'^T + b equals Z:", np.allclose(X @ W_textbook.T + layer.b, Z))

# %% [markdown]
# The activation acts on each entry on its own, so it keeps the shape: $A = f(Z)$ is also
# $(n, n_\text{out})$. In the package, `ActivationLayer("tanh")` does this step.

# %%
act = ActivationLayer("tanh")
A = act.forward(Z)
print("A:", A.shape)
print(A)
print("equals tanh(Z):", np.allclose(A, tanh(Z)))

# %% [markdown]
# ## A network: a chain of layers
#
# A feed-forward network is layers in a row. The output of one layer is the input of the next:
# $$A^{(0)} = X, \qquad Z^{(l)} = A^{(l-1)} W^{(l)} + \mathbf{b}^{(l)}, \qquad
#   A^{(l)} = f^{(l)}\big(Z^{(l)}\big), \qquad \hat{Y} = A^{(L)}.$$
# `build_network([3, 4, 2], hidden="tanh", output="sigmoid")` makes 3 inputs, a hidden layer of
# 4 tanh neurons and 2 sigmoid outputs: a `Dense` then an activation, twice.

# %%
net = build_network([3, 4, 2], hidden="tanh", output="sigmoid", rng=0)
for i, lay in enumerate(net.layers):
    print(i, lay.name)
Y_hat = net.forward(X)
print("output:", Y_hat.shape)
print(Y_hat)

# %% [markdown]
# `build_network` is a shorthand. The same network, written as an explicit list of layers for
# `Network` (copying the weights so that the numbers agree):

# %%
same_net = Network(
    [
        Dense(3, 4, weights=net.layers[0].W, bias=net.layers[0].b),
        ActivationLayer("tanh"),
        Dense(4, 2, weights=net.layers[2].W, bias=net.layers[2].b),
        ActivationLayer("sigmoid"),
    ]
)
print("same output:", np.allclose(same_net.forward(X), Y_hat))

# %% [markdown]
# Nothing hidden happens inside `forward`: it is the loop "give the current array to the next
# layer". Doing it ourselves gives the same numbers. `record=True` also keeps every
# intermediate array, which shows the shapes along the way.

# %%
current = X
for lay in net.layers:
    current = lay.forward(current)
print("hand loop equals net.forward:", np.allclose(current, Y_hat))

net.forward(X, record=True)
for rec in net.record:
    print(f"{rec.index}  {rec.name:<10} {str(rec.input.shape):>7} -> {rec.output.shape}")

# %% [markdown]
# The same forward pass for the first sample, drawn: each edge carries its weight (solid blue
# positive, dashed red-orange negative, thicker for larger $|w|$), written on its edge about a
# quarter of the way from the neuron it leaves, moved along the edge where needed so that no
# other edge or label gets in the way, and each neuron shows its pre-activation $z$
# and activation $a$. Read it left to right, the only direction the data moves.

# %% alt="The network with 3 inputs, 4 tanh hidden neurons and 2 sigmoid outputs, with sample 0 (x1 = 0.126, x2 = −0.132, x3 = 0.64) flowing through it: each connection is labelled with its weight (solid blue when positive, dashed red-orange when negative, thicker when larger) and each neuron shows its pre-activation z and activation a; the outputs are a = 0.645 and a = 0.553."
draw_network(net, X[0], title="Sample 0 flowing through the network")

# %% [markdown]
# ## Why the data only flows forward
#
# Draw every array ($X$, $Z^{(1)}$, $A^{(1)}$, $Z^{(2)}$, ...) as a node, and every layer as an
# arrow from the array it reads to the array it computes. The arrows all point from input to
# output; no path ever comes back to where it started. Such a graph is a **directed acyclic
# graph** (DAG), and a DAG always has a **topological order**: a list of its nodes in which
# every node comes after everything it needs. For a feed-forward network that order is the
# arrays read off layer by layer: $X, Z^{(1)}, A^{(1)}, Z^{(2)}, A^{(2)}, \dots$ Walking it
# once, each value is computed exactly once, from values that are already known, and the
# output is ready at the end. That single
# walk is forward propagation.
#
# The same holds inside one neuron. The course's graph module (lesson 03 uses it) builds
# $a = \sigma(w x + b)$ from small operations and lists a topological order: every value appears
# after the values it is computed from (`v1` is the product $w x$).

# %%
from helpers.graph import Value

w_node, x_node, b_node = Value(0.4, "w"), Value(0.5, "x"), Value(0.1, "b")
z_node = w_node * x_node + b_node
z_node.label = "z"
a_node = z_node.sigmoid()
a_node.label = "a"
print(" -> ".join(node.name for node in a_node.topological_order()))

# %% [markdown]
# What if some output fed back into an earlier layer while we compute the output? Take the
# smallest such loop: one unit whose input includes its own output,
# $$z = w\,z + x.$$
# To compute $z$ we would need $z$ first. One pass cannot produce it. The best we can do is
# guess and repeat, $z_{t+1} = w\,z_t + x$, and hope it settles. Here are the first eight
# repeats from the guess $z_0 = 0$, with $x = 1$:

# %%
def repeat_loop(w, x, steps, z0=0.0):
    """Iterate z <- w * z + x from z0 and return every value, z_0 ... z_steps."""
    values = [z0]
    for _ in range(steps):
        values.append(w * values[-1] + x)
    return np.array(values)


for w_loop in (0.5, -1.0, 1.5):
    print(f"w = {w_loop:>4}:", repeat_loop(w_loop, x=1.0, steps=8))

# %% [markdown]
# Where should they go? For $w \neq 1$ the equation $z = wz + x$ has exactly one solution, the
# **fixed point** $z^* = x / (1 - w)$. Here it is next to where 40 repeats end:

# %%
for w_loop in (0.5, -1.0, 1.5):
    z_star = 1.0 / (1 - w_loop)  # the fixed point x / (1 - w) for x = 1
    after_40 = repeat_loop(w_loop, 1.0, 40)[-1]
    print(f"w = {w_loop:>4}: fixed point {z_star:.4f};  after 40 repeats: {after_40:.4f}")

# %% [markdown]
# - With $w = 0.5$ the guesses approach the fixed point $z^* = 2$: $1.9922$ after 8 repeats,
#   $2.0000$ (to four decimals) after 40. Many passes get close; one pass does not.
# - With $w = -1$ they jump between $0$ and $1$ forever, although the equation has the solution
#   $z^* = 0.5$: repeating from $z_0 = 0$ never finds it.
# - With $w = 1.5$ they grow without bound (past 22 million after 40 repeats), away from the
#   solution $z^* = -2$.
# - With $w = 1$ the equation $z = z + x$ has no solution at all (for $x \neq 0$).
#
# So a cycle turns "compute the output" into "solve an equation", which may have no answer, or
# one we cannot reach by repeating. Networks with loops do exist (**recurrent** networks), but
# they read the loop as happening *in time*: $h_t = f(w\,h_{t-1} + x_t)$ uses the *previous*
# step's value. Unrolled over the time steps, that is again a chain with no cycle: a
# feed-forward computation, one copy of the unit per time step.

# %% [markdown]
# ## Step through a forward pass
#
# The stepper below follows one input $\mathbf{x} = (1, -2)$ through a small network
# (2 inputs, 3 tanh neurons, 1 sigmoid output). Click **next** to move one step and
# **previous** to go back (or drag the **step** slider); the buttons sit at the top and do not
# move. Steps 1 to 4 are the forward pass: the weighted sum of layer 1, its activation, then the
# same for layer 2. The picture highlights the layer being computed and fills in each neuron's
# $z$, then its $a$; the equation below it shows the numbers going in and coming out. Notice
# how little tanh changes a small $z$. The steps after that (loss, backward, update) are the
# subject of lessons 04 to 07; peek if you like.

# %% tags=["nbval-ignore-output"]
from helpers.network import build_network
from helpers.widgets import NetworkStepper

stepper_net = build_network([2, 3, 1], hidden="tanh", output="sigmoid", rng=0)
stepper = NetworkStepper(stepper_net, x=[1.0, -2.0])
stepper

# %% [markdown]
# The stepper's last forward value, the output $\hat{Y} = A^{(2)}$, is what `forward` returns
# for the same input:

# %%
stepper_output = stepper.state.layer_records(2)[1].output
print("stepper:", stepper_output, "  net.forward:", stepper_net.forward(np.array([[1.0, -2.0]])))

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Each exercise has a cell for your answer (replace the `None`, or fill in the function) and,
# below it, a cell that checks it and tells you what is right or what to look at.

# %%
from helpers.exercises import (
    check_parameter_count,
    check_pre_activation,
    check_two_layer_forward,
)

# %% [markdown]
# **Exercise 1 — one neuron as a column.** One neuron with three inputs. As in `Dense`, its
# weights are a column `W_neuron` of shape $(3, 1)$ and its bias `b_neuron` has shape $(1,)$.
# Write a function that returns its pre-activation, the weighted sum of the inputs plus the
# bias, as an array of shape $(1,)$ (one number, like the bias), with the weights as the
# column `W` that `Dense` stores; the order of the product is yours to find. The check calls it with `x_neuron` and with other inputs, and if numpy refuses a
# product it tells you which shapes met.
#
# <details><summary>Hint</summary>
#
# In `A @ B` the last axis of `A` meets the first axis of `B`. Which of `x` and `W` has the
# three inputs along its first axis?
#
# </details>

# %%
x_neuron = np.array([1.0, 2.0, -1.0])
W_neuron = np.array([[0.5], [-0.25], [2.0]])
b_neuron = np.array([0.75])


def neuron_pre_activation(x, W, b):
    """z, shape (1,), for one input x (3,), a weight column W (3, 1) and a bias b (1,)."""
    z = None  # your answer
    ### BEGIN SOLUTION
    z = x @ W + b
    ### END SOLUTION
    return z


# %%
check_pre_activation(neuron_pre_activation, x_neuron, W_neuron, b_neuron)

# %% [markdown]
# **Exercise 2 — a layer stored the PyTorch way.** A colleague hands you a layer of 2 neurons
# saved from PyTorch: its weights `W_torch` come in the textbook layout $W'$ of shape
# $(n_\text{out}, n_\text{in}) = (2, 3)$, one **row** per neuron (see *A convention to know*
# above), with biases `b_torch`. Write a function that returns the layer's pre-activations $Z$
# for a batch `X` of shape $(n, 3)$, one row per sample, using `W_torch` as it comes. First
# decide which shape $Z$ must have; the check runs it on `X_batch` (5 samples) and on other
# inputs, and explains numpy's message if a product does not fit.
#
# <details><summary>Hint</summary>
#
# One row of $Z$ per sample, one column per neuron. Write down the shapes: in `A @ B` the last
# axis of `A` must meet the first axis of `B`. Which axis of `W_torch` holds the 3 inputs?
#
# </details>

# %%
X_batch = np.random.default_rng(1).normal(size=(5, 3))
W_torch = np.array([[1.0, 0.5, -2.0], [-1.0, 0.0, 1.0]])
b_torch = np.array([0.1, -0.2])


def torch_layer_pre_activation(X, W_torch, b):
    """Z (n, 2) for a batch X (n, 3), weights W_torch (2, 3) one row per neuron, biases b (2,)."""
    Z = None  # your answer
    ### BEGIN SOLUTION
    Z = X @ W_torch.T + b
    ### END SOLUTION
    return Z


# %%
names = dict(what="Z", x_name="X", w_name="W_torch", layout="out_in")  # as the exercise writes them
check_pre_activation(torch_layer_pre_activation, X_batch, W_torch, b_torch, **names)

# %% [markdown]
# **Exercise 3 — predict the number of parameters.** The network
# `build_network([4, 6, 3], hidden="tanh", output="sigmoid")` has 4 inputs, a hidden layer of 6
# neurons and 3 outputs. It is trained on batches of 10 samples. How many numbers does it
# learn, weights and biases together? Replace `None` with your count before the cell after
# the check counts them.
#
# <details><summary>Hint</summary>
#
# Write down the shape of every weight matrix $W$ and bias $\mathbf{b}$ (the section on layers
# gives the rule), then count their entries. Ask yourself whether the batch appears in any of
# those shapes.
#
# </details>

# %%
n_parameters = None  # your answer: a whole number
### BEGIN SOLUTION
n_parameters = (4 * 6 + 6) + (6 * 3 + 3)
### END SOLUTION

# %%
check_parameter_count(n_parameters, [4, 6, 3], n_samples=10)

# %% [markdown]
# The package counts them: `net.parameters()` lists every weight matrix and bias vector.

# %% tags=["reveal"]
count_net = build_network([4, 6, 3], hidden="tanh", output="sigmoid", rng=0)
for parameter in count_net.parameters():
    print(f"layer {parameter.layer_index} {parameter.name}: shape {parameter.value.shape}")
print("numbers learned:", sum(parameter.value.size for parameter in count_net.parameters()))
print("output for a batch of 10:", count_net.forward(np.zeros((10, 4))).shape)

# %% [markdown]
# **Exercise 4 — find the bugs.** A colleague wrote the forward pass of a two-layer network:
# 2 inputs, a hidden layer of 3 tanh neurons $(W_1, \mathbf{b}_1)$, and one output neuron
# $(W_2, \mathbf{b}_2)$ with the identity activation, so the output is its pre-activation:
# $$A_1 = \tanh(X W_1 + \mathbf{b}_1), \qquad \hat{Y} = A_1 W_2 + \mathbf{b}_2.$$
# Their function `buggy_forward` below runs without an error and returns one number per
# sample, but the numbers differ from those of the same network built from the package's
# layers. Find what is wrong, then write a corrected version,
# `two_layer_forward`. The check runs it on the batch `X_two` and on other random inputs and
# parameters of the same shapes.
#
# <details><summary>Hint</summary>
#
# Read `buggy_forward` one line at a time and write next to each line the formula it should
# compute. Which array goes into each step, and which parameters? numpy's broadcasting can let
# a wrong argument through without complaint, so check each one against the formula.
#
# </details>

# %%
X_two = np.array([[0.0, 1.0], [1.0, -1.0], [2.0, 0.5], [-1.0, -2.0]])
W1 = np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]])
b1 = np.array([0.0, 0.1, -0.1])
W2 = np.array([[1.0], [-2.0], [0.5]])
b2 = np.array([0.3])


def buggy_forward(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b2
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    return np.tanh(Z2)


bug_net = Network([Dense(2, 3, weights=W1, bias=b1), ActivationLayer("tanh"),
                   Dense(3, 1, weights=W2, bias=b2), ActivationLayer("identity")])
print("buggy_forward:", buggy_forward(X_two, W1, b1, W2, b2).ravel())
print("package      :", bug_net.forward(X_two).ravel(), " (the same network in Dense layers)")

# %%
def two_layer_forward(X, W1, b1, W2, b2):
    """The network's output, shape (n, 1), for a batch X of shape (n, 2)."""
    ### BEGIN SOLUTION
    A1 = np.tanh(X @ W1 + b1)
    return A1 @ W2 + b2
    ### END SOLUTION


# %%
network = dict(hidden="tanh", output="identity")
check_two_layer_forward(two_layer_forward, X_two, W1, b1, W2, b2, **network, buggy=buggy_forward)

# %% [markdown]
# ## Summary
#
# - A neuron computes a pre-activation $z = \mathbf{w} \cdot \mathbf{x} + b$ (a weighted sum plus
#   a bias), then an activation $a = f(z)$.
# - A layer does this for many neurons and many samples at once: $Z = XW + \mathbf{b}$ with
#   $X$ $(n, n_\text{in})$, $W$ $(n_\text{in}, n_\text{out})$, $\mathbf{b}$ $(n_\text{out},)$
#   broadcast over the rows, $Z$ $(n, n_\text{out})$.
# - A network is a chain of layers; forward propagation walks the chain once, from input to output.
# - The chain has no cycles (a DAG), so one walk in topological order computes every value. A
#   cycle would make the output depend on itself; recurrent networks avoid that by unrolling
#   the loop in time.
#
# Next: the activation functions $f$ that make the chain more than one big linear map.
#
# [← 00 · Start here](00_start_here.ipynb) | [Contents](00_start_here.ipynb) | [02 · Activation functions →](02_activation_functions.ipynb)
