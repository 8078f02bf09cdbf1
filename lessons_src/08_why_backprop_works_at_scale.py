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
# # 08 · Why backprop works at scale
# [← 07 · Training with gradient descent](07_training_with_gradient_descent.ipynb) | [Contents](00_start_here.ipynb) | [09 · Initialisation and the health of gradients →](09_initialisation_and_gradient_health.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/08_why_backprop_works_at_scale.ipynb](../solutions/08_why_backprop_works_at_scale.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - explain why writing out a deep network's derivative as one big formula explodes in size
#   once the layers have more than one neuron, while the chain rule applied layer by layer
#   grows only linearly with depth;
# - count the multiply-adds of a dense layer's forward and backward pass, and conclude that a
#   network's backward pass costs between one and two forward passes (the gradient with
#   respect to the input data is never needed);
# - compare that with the $2P$ forward passes that central differences need for $P$
#   parameters, and with the $P$ passes of forward-mode differentiation;
# - say what backprop pays for its speed: memory for the values of every layer, counted in
#   bytes;
# - explain why gradients vanish through deep stacks of sigmoid layers ($\sigma' \le 1/4$), and
#   why tanh and ReLU suffer less;
# - write the backward step of a block with a skip connection, and see why it lets the
#   gradient through a deep stack.

# %% [markdown]
# ## Three ways to get a gradient
#
# We have now met three ways to compute $\partial L / \partial W$ for every weight:
#
# 1. **symbolically**: write the loss as one formula in the weights and differentiate it
#    (lessons 03 and 05 did this with sympy);
# 2. **numerically**: nudge each weight by $\pm h$ and rerun the network (lesson 06);
# 3. **backpropagation**: one forward pass that keeps its intermediate values, then one backward
#    pass that applies the chain rule layer by layer (lesson 05).
#
# On a toy network all three agree. This lesson asks what happens when the network grows to
# many layers and many weights, and why the third is the one used to train networks. On the
# way it meets a fourth way, forward mode, and the price backprop pays: memory. Then it looks
# at one thing that *does* go wrong at depth, even with backprop: vanishing gradients.
#
# **Run this cell first.**

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from IPython.display import Math, display

from helpers.activations import get_activation
from helpers.exercises import check_residual_backward, check_sigmoid_chain
from helpers.exercises.cost import check_difference_passes, check_first_layer_share
from helpers.gradcheck import TOLERANCE, format_relative_error, numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import get_loss
from helpers.network import Network, build_network
from helpers.plots.style import FONT_SIZE, TICK_SIZE, TITLE_SIZE
from helpers.symbolic import SymbolicNetwork, expression_size_table, format_size_table

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Symbolic derivatives swell
#
# Take the smallest deep network there is: one input, two layers of one tanh neuron each, and
# the squared error. Here is the derivative of the loss with respect to the *first* weight,
# written out in full by sympy, and a count of how often the two layers' outputs
# $a^{(1)}_1 = \tanh(b^{(1)}_1 + w^{(1)}_{11} x_1)$ and
# $a^{(2)}_1 = \tanh(b^{(2)}_1 + w^{(2)}_{11} a^{(1)}_1)$ appear in it:

# %%
tiny = SymbolicNetwork([1, 1, 1], hidden="tanh", output="tanh", loss="mse")
expanded = tiny.gradients["W1[0, 0]"]
# on one line the product runs off the screen: its plain factors and first bracket on the
# first line, each further bracket on a line of its own
factors = expanded.as_ordered_factors()
brackets = [rf"\left({sp.latex(f)}\right)" for f in factors if f.is_Add]
lines = [sp.latex(sp.Mul(*[f for f in factors if not f.is_Add])) + brackets[0], *brackets[1:]]
display(Math(r"\begin{aligned}\frac{\partial L}{\partial w^{(1)}_{11}} ={}& "
             + r" \\ &\cdot ".join(lines) + r"\end{aligned}"))
a1, a2 = tiny.activations[0][0], tiny.activations[1][0]
print("operations in this one formula  :", sp.count_ops(expanded))
print("copies of a1 = tanh(b1 + w1 x1) :", expanded.count(a1))
print("copies of a2 = tanh(b2 + w2 a1) :", expanded.count(a2))

# %% [markdown]
# $\tanh(b^{(1)}_1 + w^{(1)}_{11} x_1)$ appears three times: once in the first layer's own
# derivative $1 - \tanh^2(\cdot)$, and once inside each of the two copies of the second layer's
# output: one in the second layer's derivative $1 - \tanh^2(\cdot)$, one in the error
# $a^{(2)}_1 - y_1$. Written out in full, a value is written again wherever it is used.
#
# How fast does that grow? The next cell builds chains of 1 to 5 tanh layers. With one neuron
# per layer it counts the copies of $a^{(1)}_1$ in $\partial L / \partial w^{(1)}_{11}$ and that
# formula's size; with two neurons per layer it looks at the forward pass alone: the formula
# of the first output neuron, its copies of the first layer's first neuron, and its size.

# %%
print("        one neuron per layer: dL/dw1     two neurons per layer: output a_1")
print("layers   copies of a1   operations       copies of a1_1   operations")
for depth in range(1, 6):
    narrow = SymbolicNetwork([1] * (depth + 1), hidden="tanh", output="tanh", loss="mse")
    gradient = narrow.gradients["W1[0, 0]"]
    wide = SymbolicNetwork([2] * (depth + 1), hidden="tanh", output="tanh", loss="mse")
    output = wide.activations[-1][0]
    print(f"{depth:>6}{gradient.count(narrow.activations[0][0]):>15}"
          f"{sp.count_ops(gradient):>13}{output.count(wide.activations[0][0]):>21}"
          f"{sp.count_ops(output):>13}")

# %% [markdown]
# With one neuron per layer each extra layer adds one more copy of $a^{(1)}_1$ (its derivative
# factor $1 - \tanh^2(\cdot)$ contains everything below it), so the formula grows, but slowly:
# from 11 to 81 operations over five layers. With two neurons per layer each neuron reads *both*
# neurons of the layer below, so each layer from the third on doubles the copies of the first
# layer's neurons (1, 2, 4, 8), and each extra layer more than doubles the size of the output's
# formula (5, 15, 35, 75, 155): exponential growth, before any derivative is taken.
#
# Backpropagation writes the same computation as a list of small assignments. Each
# intermediate value, $z$, $a$, the loss $L$ and each $\delta = \partial L / \partial z$, gets
# a name and is computed once, then reused:

# %%
lines = [sp.latex(name) + " &= " + sp.latex(value) for name, value in tiny.backprop_equations()]
display(Math(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"))

# %% [markdown]
# Now compare the two forms on networks of $d$ layers of two tanh neurons each, for
# $d = 1, \dots, 4$. `expression_size_table` counts the operations (sympy's `count_ops`) in all
# gradients written out in full, in the chain-rule equations above, and in the full formulas
# after sympy's common-subexpression elimination `cse`, which hunts for repeated pieces
# automatically. The column `ratio` is `expanded_ops / chain_rule_ops`, how many times larger the
# full formulas are than the chain-rule equations. (This cell does symbolic algebra and takes a
# moment.)

# %%
size_rows = expression_size_table(max_depth=4, width=2, activation="tanh", loss="mse")
print(format_size_table(size_rows))

# %% alt="Operations in all gradients as formulas against depth 1 to 4 (dense layers of width 2), on a log scale: written out in full they grow from 92 to 11030, after sympy.cse from 30 to 262, and in the chain rule's equations (backprop) only from 29 to 107."
depths = [row.depth for row in size_rows]
fig, ax = plt.subplots(figsize=(9, 5))
ax.semilogy(depths, [row.expanded_ops for row in size_rows], "o-", label="written out in full")
ax.semilogy(depths, [row.cse_ops for row in size_rows], "^-", label="full, after sympy.cse")
ax.semilogy(depths, [row.chain_rule_ops for row in size_rows], "s-", label="chain rule (backprop)")
ax.set_xticks(depths)
ax.set_xlabel("depth (dense layers of width 2)", fontsize=FONT_SIZE)
ax.set_ylabel("operations", fontsize=FONT_SIZE)
ax.set_title("Size of all gradients as formulas", fontsize=TITLE_SIZE)
ax.tick_params(labelsize=TICK_SIZE)
ax.legend(fontsize=TICK_SIZE)
plt.show()

# %% [markdown]
# From one depth to the next:

# %%
for before, after in zip(size_rows[:-1], size_rows[1:], strict=True):
    factor = after.expanded_ops / before.expanded_ops
    cse_added = after.cse_ops - before.cse_ops
    added = after.chain_rule_ops - before.chain_rule_ops
    print(f"depth {before.depth} -> {after.depth}: full x{factor:.1f},  after cse +{cse_added},"
          f"  chain rule +{added}")

# %% [markdown]
# The full formulas climb steeply: each extra layer multiplies their size (by 8.3 from depth 1
# to depth 2, still by 3.4 from depth 3 to depth 4). The chain-rule form grows by the same
# fixed amount per layer, 26 operations: linear growth.
#
# Automatic elimination of common subexpressions helps a lot, but at depth 4 its result (262
# operations) is still more than twice the chain-rule form (107), and it grows faster
# (+124 from depth 3 to depth 4, against +26). Backprop organises the sharing on purpose: each
# $\delta$ is computed once, from the $\delta$ of the layer above, and then used by every weight
# of its layer and by the layer below. Real networks have many layers of hundreds or thousands
# of neurons; only the chain-rule form, computed with numbers rather than symbols, fits.

# %% [markdown]
# ## 2. The cost of a backward pass
#
# Count the work of one dense layer with a batch of $n$ rows, $n_{\text{in}}$ inputs and
# $n_{\text{out}}$ outputs. A matrix product $(a \times b)(b \times c)$ takes $a\,b\,c$
# multiply-adds.
#
# - **Forward**: $Z = XW + \mathbf{b}$ is one product $(n \times n_{\text{in}})(n_{\text{in}}
#   \times n_{\text{out}})$: $\;n \cdot n_{\text{in}} \cdot n_{\text{out}}$ multiply-adds (the
#   bias adds only $n \cdot n_{\text{out}}$ additions).
# - **Backward**: two products of the same size. $\partial L/\partial W = X^\top G$ is
#   $(n_{\text{in}} \times n)(n \times n_{\text{out}})$ and $\partial L/\partial X = G W^\top$ is
#   $(n \times n_{\text{out}})(n_{\text{out}} \times n_{\text{in}})$: each
#   $n \cdot n_{\text{in}} \cdot n_{\text{out}}$, together twice the forward product.
#   ($\partial L/\partial \mathbf{b}$, a column sum, is again only $n \cdot n_{\text{out}}$
#   additions.)
#
# But one of those products is never needed: $\partial L/\partial X$ of the *first* layer is
# the gradient with respect to the input data, which no update uses. The package's
# `Network.backward` computes it anyway and returns it; libraries such as PyTorch skip it
# unless you ask for the input's gradient. Activation layers cost a few operations per entry,
# both ways. Here is the count for a network that reads 28×28 images, with a batch of 64:

# %%
sizes, n = [784, 256, 128, 10], 64
layer_sizes = list(zip(sizes[:-1], sizes[1:], strict=True))
forward = [n * n_in * n_out for n_in, n_out in layer_sizes]
print(f"{'layer':<16}{'forward':>12}{'dL/dW':>12}{'dL/dX':>12}")
for (n_in, n_out), products in zip(layer_sizes, forward, strict=True):
    print(f"Dense({n_in}→{n_out})".ljust(16) + f"{products:>12,}" * 3)
total_forward = sum(forward)
print(f"{'total':<16}" + f"{total_forward:>12,}" * 3)
backward_all = 2 * total_forward  # dL/dW and dL/dX of every layer
backward_needed = backward_all - forward[0]  # without dL/dX of the first layer
print(f"first layer's share of the forward work : {forward[0] / total_forward:.1%}")
print(f"entries through the activation layers   : {n * sum(sizes[1:]):,}")
print(f"backward / forward, with dL/dX of the first layer (Network.backward): "
      f"{backward_all / total_forward:.2f}")
print(f"backward / forward, without it (all the gradient needs)           : "
      f"{backward_needed / total_forward:.2f}")

# %% [markdown]
# With $\partial L/\partial X$ of every layer, the backward pass costs 2.00 forward passes; a
# backward pass that skips the first layer's costs 1.15, because the first layer, which reads
# the 784 pixels, does 85.5% of the forward work. In general the backward pass costs between
# one and two forward passes: one for $\partial L/\partial W$ of every layer, plus
# $\partial L/\partial X$ of every layer but the first. The 25,216 entries that pass through
# activation layers are negligible next to the 15,024,128 multiply-adds of the products.
#
# Now the numeric alternative. A central difference needs two forward passes *per parameter*.
# With $P$ parameters, that is $2P$ forward passes for one gradient, against one forward pass
# plus a backward pass worth 1.15 forward passes for backprop:

# %%
n_parameters = sum(n_in * n_out + n_out for n_in, n_out in layer_sizes)
backprop_passes = 1 + backward_needed / total_forward
print(f"parameters P                          : {n_parameters:,}")
print(f"forward passes, central differences   : {2 * n_parameters:,}")
print(f"forward-pass equivalents, backprop    : {backprop_passes:.2f}")
print(f"central differences / backprop        : {2 * n_parameters / backprop_passes:,.0f}")

# %% [markdown]
# These are counts, not timings. On a real computer the time also depends on memory traffic
# and on how well each product uses the processor. To measure the time ratio of the package's
# backward and forward passes on your computer, you need the course's repository checked out
# and installed (the README's one command); then run, in a terminal in the repository's root
# folder, `.venv/bin/python benchmarks/bench_backward_forward.py` (on Windows,
# `.venv\Scripts\python benchmarks\bench_backward_forward.py`).

# %% [markdown]
# ## 3. Forward mode against reverse mode
#
# Backprop evaluates the chain rule from the loss back towards the weights: it is
# **reverse-mode** differentiation. The chain rule can also be evaluated in the direction of
# the forward pass, **forward mode**: choose one parameter $p$ and carry, next to every value,
# its derivative with respect to $p$. A dense layer computes, next to $\mathbf{z} =
# \mathbf{a} W + \mathbf{b}$,
#
# $$\frac{\partial \mathbf{z}}{\partial p} = \frac{\partial \mathbf{a}}{\partial p} W
#   + \mathbf{a} \frac{\partial W}{\partial p} + \frac{\partial \mathbf{b}}{\partial p},$$
#
# an activation layer $\partial \mathbf{a} / \partial p = f'(\mathbf{z}) \odot \partial
# \mathbf{z} / \partial p$, and the loss $L = \frac1n \sum \frac12 (\hat y - y)^2$ at the end
# $\partial L / \partial p = \frac1n \sum (\hat y - y)\, \partial \hat y / \partial p$. One
# pass gives the exact derivative for one parameter (no $h$, unlike differences); the gradient
# needs one pass per parameter. `matmul` below counts the multiply-adds of every product the
# passes do.

# %%
multiply_adds = 0


def matmul(A, B):
    """A @ B, counting its multiply-adds: rows(A) * columns(A) * columns(B)."""
    global multiply_adds
    multiply_adds += A.shape[0] * A.shape[1] * B.shape[1]
    return A @ B


def forward_mode_derivative(network, X, y, p):
    """dL/dp by one forward-mode pass. p = (layer index, "W", (i, j)) or (layer index, "b", (j,)).
    Carries each value a and its derivative da = da/dp; None means "does not depend on p"."""
    p_layer, p_name, p_index = p
    a, da = X, None
    for index, layer in enumerate(network.layers):
        if isinstance(layer, Dense):  # z = a W + b,  dz = da W + a dW + db
            z = matmul(a, layer.W) + layer.b
            dz = None if da is None else matmul(da, layer.W)
            if index == p_layer:  # nothing before p depends on p, so da is None here
                dz = np.zeros_like(z)  # dW, db are 0 but for p's own entry, which is 1
                dz[:, p_index[-1]] = a[:, p_index[0]] if p_name == "W" else 1.0
            a, da = z, dz
        else:  # a = f(z),  da = f'(z) dz
            z, a = a, layer.activation.forward(a)
            da = None if da is None else layer.activation.derivative(z) * da
    return float(np.sum((a - y) * da) / len(y))  # dL/dp for L = mean of (y_hat - y)^2 / 2


# %% [markdown]
# A network with 8 inputs, two hidden layers of 32 tanh neurons and one output, on a batch of
# 16 rows: one forward-mode pass per parameter, then backprop's one forward and one backward
# pass, and the two gradients compared with the course's tolerance.

# %%
rng = np.random.default_rng(1)
X_small, y_small = rng.normal(size=(16, 8)), rng.normal(size=(16, 1))
small_net = build_network([8, 32, 32, 1], hidden="tanh", output="identity", rng=1)
multiply_adds = 0
by_forward_mode = np.array([
    forward_mode_derivative(small_net, X_small, y_small, (p.layer_index, p.name, index))
    for p in small_net.parameters() for index in np.ndindex(p.value.shape)
])
mse = get_loss("mse")
small_net.backward(mse.gradient(small_net.forward(X_small), y_small))
by_backprop = np.concatenate([p.grad.ravel() for p in small_net.parameters()])
one_forward = sum(16 * layer.n_in * layer.n_out for layer in small_net.layers[::2])
error = relative_error(by_forward_mode, by_backprop)
print(f"parameters P                               : {by_backprop.size:,}")
print(f"forward-mode passes                        : {by_forward_mode.size:,}")
print(f"multiply-adds, all forward-mode passes     : {multiply_adds:,}")
print(f"  per pass, in forward passes              : {multiply_adds / by_forward_mode.size / one_forward:.2f}")
print(f"multiply-adds, backprop (3 x {one_forward:,})       : {3 * one_forward:,}")
print(f"forward mode / backprop                    : {multiply_adds / (3 * one_forward):,.0f}")
print(f"gradients: relative error {format_relative_error(error)}, "
      f"below TOLERANCE = {TOLERANCE:g}: {error < TOLERANCE}")

# %% [markdown]
# Both modes give the same gradient. Each forward-mode pass computes the values again and
# carries the derivative through the layers after $p$: 1.19 forward passes' worth of
# multiply-adds here. Backprop's count is one forward pass plus the package's backward pass,
# which computes both products of every layer (2.00 forward passes, as in section 2). For 1,377
# parameters forward mode does 545 times the work, and the factor grows with the number of
# parameters: forward mode needs one pass per parameter, backprop one forward and one backward
# pass, two to three forward passes' worth, however many parameters there are.
#
# Forward mode is the cheaper one the other way round: one pass gives the derivatives of *all*
# outputs of a computation with respect to *one* input, while a reverse pass gives the
# derivatives of *one* output with respect to *all* inputs. Training has one output, the loss,
# and many parameters, which is why reverse mode, backprop, trains networks.

# %% [markdown]
# ## 4. The price: memory
#
# Forward mode can forget each layer's values as soon as the next layer has them. Backprop
# cannot: the backward pass needs every layer's input $X$ (for $\partial L/\partial W = X^\top
# G$) and the activations' $z$ or $a$ (for $f'(z)$), so the forward pass keeps them until the
# backward pass has used them. Here is what the layers of the 784-256-128-10 network keep
# after a forward pass of a batch of 64 rows (`layer.x`, `layer.z`, `layer.a`), in bytes of
# float64. An array that two layers share is counted once: the $z$ that a dense layer returns
# is the very array its activation layer keeps, and an activation layer's $a$ is the very array
# the next dense layer keeps as its $x$.

# %%
cost_net = build_network(sizes, hidden="relu", output="identity", rng=0)
cost_net.forward(np.random.default_rng(0).normal(size=(n, sizes[0])))
counted = []
print(f"{'layer':<16}{'arrays it keeps':<32}{'new bytes':>10}")
for layer in cost_net.layers:
    kept = {name: getattr(layer, name) for name in ("x", "z", "a") if hasattr(layer, name)}
    new = [array for array in kept.values() if not any(array is seen for seen in counted)]
    counted += new
    shapes = ", ".join(f"{name} {array.shape[0]}×{array.shape[1]}" for name, array in kept.items())
    print(f"{layer.name:<16}{shapes:<32}{sum(array.nbytes for array in new):>10,}")
cache = sum(array.nbytes for array in counted)
weights = sum(p.value.nbytes for p in cost_net.parameters())
print(f"kept for the backward pass, batch of {n}: {cache:,} bytes ({cache // n:,} per row)")
print(f"the weights and biases                 : {weights:,} bytes")
print(f"the kept values outweigh the weights from a batch of {weights // (cache // n) + 1} rows")

# %% [markdown]
# The cache grows in proportion to the batch: 12,496 bytes per row here, so from a batch of 151
# rows on it takes more memory than the 1,881,168 bytes of the weights themselves. (The last
# layer's identity activation returns its $z$ unchanged, so its $a$ costs nothing new.) For large
# networks this cache, not the arithmetic, is often what limits the batch size. *Gradient
# checkpointing* trades some of it back: it keeps the values of some layers only and computes
# the others again during the backward pass.

# %% [markdown]
# ## 5. Vanishing gradients
#
# Backprop computes the gradient efficiently; it cannot make it *large*. Look at what one
# sigmoid layer does to the gradient on its way back: the upstream gradient is multiplied,
# entry by entry, by the local derivative $\sigma'(z)$, and then by $W^\top$:
#
# $$\frac{\partial L}{\partial \mathbf{a}_{\text{prev}}}
#   = \Big(\frac{\partial L}{\partial \mathbf{a}} \odot \sigma'(\mathbf{z})\Big) W^\top,
#   \qquad \sigma'(z) = \sigma(z)\,\big(1 - \sigma(z)\big) \le \tfrac14 .$$
#
# The bound holds because $\sigma(1 - \sigma)$, a product of two numbers in $(0, 1)$ that add
# up to 1, is largest when both are $\tfrac12$, at $z = 0$; everywhere else $\sigma'(z) <
# \tfrac14$. For tanh, $\tanh'(z) = 1 - \tanh^2(z) \le 1$, equal to 1 at $z = 0$. sympy
# agrees:

# %%
z = sp.symbols("z", real=True)
sigma = 1 / (1 + sp.exp(-z))
sigma_prime = sp.diff(sigma, z)
print("sigma'(z) - sigma (1 - sigma)   =", sp.simplify(sigma_prime - sigma * (1 - sigma)))
print("where sigma'' = 0               :", sp.solve(sp.diff(sigma_prime, z), z))
print("largest value sigma'(0)         =", sigma_prime.subs(z, 0))
print("tanh'(z) - (1 - tanh(z)**2)     =", sp.simplify(sp.diff(sp.tanh(z), z) - (1 - sp.tanh(z)**2)))
print("tanh'(0)                        =", sp.diff(sp.tanh(z), z).subs(z, 0))

# %% [markdown]
# If multiplying by $W^\top$ left the size of the gradient unchanged (as weights of 1 do in a
# chain of single neurons), each sigmoid layer would multiply it by at most
# $\tfrac14$, so after $k$ layers at most $(\tfrac14)^k = 4^{-k}$ of it would remain:

# %%
for k in [1, 2, 5, 9]:
    layers = "layer " if k == 1 else "layers"
    print(f"{k} sigmoid {layers}: at most 0.25 ** {k} = {0.25**k:.2e} of the gradient remains")

# %% [markdown]
# Let us measure it. Four networks with ten dense layers of width 32 (the last has one output),
# built from the same seeded initial weights, get the same batch of 64 random inputs and
# targets. Three differ only in the hidden activation; the fourth is the ReLU network with
# every initial weight multiplied by $\sqrt 2$ (the *He scale*, explained below). After one
# forward and one backward pass we print the size (norm) of $\delta = \partial L / \partial
# \mathbf{z}$, the gradient that reaches each dense layer, from the input (layer 1) to the
# output (layer 10).

# %%
rng = np.random.default_rng(0)
X_deep = rng.normal(size=(64, 32))
y_deep = rng.normal(size=(64, 1))
deep_nets = {}
for label, activation, scale in [("sigmoid", "sigmoid", 1.0), ("tanh", "tanh", 1.0),
                                 ("relu", "relu", 1.0), ("relu, He scale", "relu", math.sqrt(2))]:
    deep_net = build_network([32] * 10 + [1], hidden=activation, output="identity", rng=0)
    for dense in deep_net.layers[::2]:
        dense.W *= scale
    deep_net.backward(mse.gradient(deep_net.forward(X_deep, record=True), y_deep))
    deep_nets[label] = deep_net
deltas = {label: [np.linalg.norm(r.delta) for r in net.record if r.kind == "dense"]
          for label, net in deep_nets.items()}
print(f"{'layer':<14}" + "".join(f"{i:>9d}" for i in range(1, 11)))
for label, norms in deltas.items():
    print(f"{label:<14}" + "".join(f"{v:9.1e}" for v in norms))

# %% alt="Norm of δ = dL/dz at each of the 10 dense layers at initialisation, on a log scale: with sigmoid it shrinks from 0.16 at layer 10 to 3.6e-7 at layer 1; with tanh and relu it shrinks far less, to 0.036 and 0.0085; relu at He's scale keeps it between 0.4 and 0.8 in every layer."
fig, ax = plt.subplots(figsize=(9, 5))
for (label, norms), style in zip(deltas.items(), ["o-", "s-", "^-", "v--"], strict=True):
    ax.semilogy(range(1, 11), norms, style, label=label)
ax.set_xticks(range(1, 11))
ax.set_xlabel("dense layer (1 = next to the input)", fontsize=FONT_SIZE)
ax.set_ylabel("norm of δ = dL/dz", fontsize=FONT_SIZE)
ax.set_title("Gradient reaching each layer at initialisation", fontsize=TITLE_SIZE)
ax.tick_params(labelsize=TICK_SIZE)
ax.legend(fontsize=TICK_SIZE)
plt.show()

# %% [markdown]
# How much of the gradient at layer 10 reaches layer 1, for $\delta$ and for the weights'
# gradient $\partial L / \partial W$, and the mean slope $f'(z)$ of each of the nine hidden
# activation layers (the smallest and the largest of the nine):

# %%
print(f"{'':<14}{'delta: 1 / 10':>14}{'dL/dW: 1 / 10':>15}{'mean slope':>18}")
mean_slopes = {}
for label, net in deep_nets.items():
    dW = [np.linalg.norm(layer.dW) for layer in net.layers[::2]]
    slopes = [np.mean(layer.activation.derivative(layer.z)) for layer in net.layers[1:-1:2]]
    mean_slopes[label] = slopes
    print(f"{label:<14}{deltas[label][0] / deltas[label][-1]:>14.3g}{dW[0] / dW[-1]:>15.3g}"
          f"{min(slopes):>11.3f} - {max(slopes):.3f}")
print(f"product of the nine mean slopes of the sigmoid: {math.prod(mean_slopes['sigmoid']):.2g}")
print(f"0.25 ** 9 = {0.25**9:.3g},  0.5 ** (9 / 2) = {0.5**4.5:.3g}")

# %% [markdown]
# **Sigmoid.** Only $2.24 \times 10^{-6}$ of $\delta$ reaches layer 1, less than the
# $0.25^9 = 3.81 \times 10^{-6}$ the bound allows if the weights kept the gradient's size: the
# mean slopes lie between 0.209 and 0.241, below $\tfrac14$, and their product, $1.8 \times
# 10^{-6}$, is close to what was measured. The first layer's $\partial L/\partial W$ is
# $7.01 \times 10^{-7}$ of the last one's: a learning rate that suits the last layer leaves the
# first almost frozen. Why that ratio differs from $\delta$'s is explained under *From $\delta$ to $\partial L/\partial W$* below.
#
# **tanh.** Its slope is 1 at $z = 0$ and only slowly smaller near it: the mean slopes lie
# between 0.622 and 0.938, and 0.284 of $\delta$ reaches layer 1.
#
# **ReLU.** Its slope is exactly 1 where a neuron is active ($z > 0$) and 0 where it is not.
# About half the neurons are active here (mean slopes between 0.467 and 0.640), so each ReLU
# layer passes on the active entries of the gradient unchanged and sets the others to 0, which
# roughly halves its squared size: nine such halvings leave $0.5^{9/2} = 0.0442$ of the norm,
# and 0.0704 of $\delta$ reaches layer 1. Far milder than the sigmoid, but a loss.
#
# **The initial scale.** The package draws initial weights from a normal distribution with
# standard deviation $\sqrt{1/n_{\text{in}}}$, the scale LeCun et al. recommended. For ReLU
# networks He et al. (2015) proposed $\sqrt{2/n_{\text{in}}}$, twice the variance, to make up
# for the half of the neurons that ReLU switches off. With it (row "relu, He scale") $\delta$
# stays between 0.40 and 0.80 in all ten layers; 1.68 of it reaches layer 1. What the He scale
# keeps is the size of $\delta$: the first layer's $\partial L/\partial W$ is still only 0.196
# of the last one's, for the reason that follows.
# [Lesson 09](09_initialisation_and_gradient_health.ipynb) treats the initial scale in full.
#
# **From $\delta$ to $\partial L/\partial W$.** A layer's weight gradient is $\partial
# L/\partial W = X^\top \delta$, with $X$ the layer's input. Each of its entries adds up, over
# the 64 rows of the batch, one row's input times that row's $\delta$. How large that sum is
# depends on the sizes of $X$ and $\delta$ and on how much its 64 terms cancel. The
# **alignment** $\|X^\top \delta\| / (\|X\|\, \|\delta\|)$ measures the last part: it lies
# between 0 (the terms cancel completely) and 1 (they add up fully; it cannot exceed 1, by the
# Cauchy-Schwarz inequality), and
# $\|\partial L/\partial W\| = \|X\| \cdot \|\delta\| \cdot \text{alignment}$. The cell prints
# the first and the third factor at layers 1 and 10, and checks that the ratios of the three
# factors multiply to the $\partial L/\partial W$ ratio of the table above.

# %%
def alignment(X, delta):
    """||X.T @ delta|| / (||X|| ||delta||): 1 when the batch's terms add up, 0 when they cancel."""
    return np.linalg.norm(X.T @ delta) / (np.linalg.norm(X) * np.linalg.norm(delta))


print(f"{'':<14}{'||X||: layer 1':>15}{'layer 10':>10}{'alignment: 1':>14}{'10':>8}")
products, dW_ratios = [], []
for label, net in deep_nets.items():
    first, last = net.layers[0], net.layers[-2]  # the first and the last Dense layer
    records = [r for r in net.record if r.kind == "dense"]
    size_X = [np.linalg.norm(first.x), np.linalg.norm(last.x)]
    aligned = [alignment(first.x, records[0].delta), alignment(last.x, records[-1].delta)]
    print(f"{label:<14}{size_X[0]:>15.3g}{size_X[1]:>10.3g}{aligned[0]:>14.3f}{aligned[1]:>8.3f}")
    products.append(size_X[0] / size_X[1] * deltas[label][0] / deltas[label][-1]
                    * aligned[0] / aligned[1])
    dW_ratios.append(np.linalg.norm(first.dW) / np.linalg.norm(last.dW))
print("||X|| ratio x delta ratio x alignment ratio = dL/dW ratio in every row:",
      relative_error(np.array(products), np.array(dW_ratios)) < TOLERANCE)

# %% [markdown]
# For the sigmoid network, a closer look at layer 10: its input $X$ and its $\delta$, one
# number per row of the batch.

# %%
X_10 = deep_nets["sigmoid"].layers[-2].x
delta_10 = [r.delta for r in deep_nets["sigmoid"].record if r.kind == "dense"][-1]
spread = np.max(X_10.max(axis=0) - X_10.min(axis=0))  # over the rows, in the widest column
print(f"entries of X: between {X_10.min():.3f} and {X_10.max():.3f}; largest difference "
      f"between two rows in any column: {spread:.1e}")
print(f"entries of delta that are positive: {np.mean(delta_10 > 0):.0%}; "
      f"|mean of delta| / root mean square of delta = "
      f"{abs(delta_10.mean()) / np.sqrt(np.mean(delta_10**2)):.3f}")
print(f"for comparison, 1 / sqrt(64) = {1 / math.sqrt(64):.3f}")

# %% [markdown]
# The size of the input does not explain the sigmoid's small ratio: $X$ is larger at layer 1
# ($\|X\| = 45.3$) than at layer 10 (24.7), which on its own would make the ratio of
# $\partial L/\partial W$ larger than that of $\delta$, not smaller. The alignment explains it.
# At layer 1 the input is the raw data, whose entries have mean 0 and both signs, and in all
# four networks the 64 terms largely cancel: the alignment is between 0.110 and 0.139, near the
# $1/\sqrt{64} = 0.125$ that a sum of 64 terms of equal size and random sign keeps (in root mean
# square).
# At layer 10 of the sigmoid network the entries of $X$ are all positive (between 0.208 and
# 0.810) and its 64 rows are all but identical: no two differ by more than $1.4 \times 10^{-5}$
# in any column, because nine sigmoid layers have washed out almost all differences between the
# 64 inputs. Then $X^\top \delta$ is, up to that, one row times the sum of the 64 entries of
# $\delta$, and 77% of those are positive, so they add up
# more than they cancel: the alignment is 0.645. (For identical rows the alignment is exactly
# $|\text{mean of } \delta| / \text{root mean square of } \delta$, printed as 0.645 too.)
#
# The same three factors explain the other rows. The first layer of the ReLU network even gets
# the larger $\partial L/\partial W$, 3.52 times the last one's: the last layer's input is small
# ($\|X\| = 2.63$) and poorly aligned with its $\delta$ (0.044). With the He scale the last
# layer's input is large (59.5) and well aligned (0.911), so the first layer's $\partial
# L/\partial W$ is 0.196 of the last one's although 1.68 of $\delta$ reaches it.
#
# The slope of the activation is one reason hidden layers moved from the sigmoid to ReLU and its
# relatives, together with initial scales chosen for them and tricks such as normalisation
# layers and skip connections, which the package does not provide as layers (Exercise 2 below
# works out the backward step of one skip connection). Backprop itself is not the problem:
# it computes the gradient there is (up to rounding), and efficiently.

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# **Exercise 1 — a chain with heavier weights.** A chain of six sigmoid neurons, one per layer,
# with input $x = 0$. This time every weight is $w = 3$, and each neuron's bias is chosen so that
# its pre-activation is exactly 0, the sigmoid's steepest point. The gradient arriving at the
# last neuron's output is $\partial L / \partial a_6 = 1$. Predict the gradient
# $\partial L / \partial x$ at the input of the first neuron and write it into `shrink`, as a
# number or an expression such as `0.5 ** 3`. The cell after the check builds this chain with
# the package's layers and measures it.
#
# <details><summary>Hint</summary>
#
# Follow the gradient back through one neuron, $z = w\, a_{\text{prev}} + b$ and
# $a = \sigma(z)$. On its way from $a$ to $a_{\text{prev}}$ it meets two local derivatives; the
# formula at the top of section 5 has both, for a whole layer. Then count the neurons.
#
# </details>

# %%
shrink = None  # your prediction: dL/dx at the input of the chain of six neurons with w = 3
### BEGIN SOLUTION
shrink = (3 * 0.25) ** 6
### END SOLUTION

# %%
check_sigmoid_chain(shrink, 6, weight=3)


# %% [markdown]
# The chain, built from `Dense(1→1)` and sigmoid layers, for $w = 1, 3, 4, 5$. The biases are
# $0$ for the first neuron (its input is $x = 0$) and $-w/2$ for the others (their input is
# $\sigma(0) = 1/2$), so every pre-activation is 0:

# %% tags=["reveal"]
def sigmoid_chain(weight, n_neurons=6):
    """n_neurons sigmoid neurons in a row, every weight `weight`; the biases put every
    pre-activation at 0 when the input is x = 0."""
    layers = []
    for k in range(n_neurons):
        bias = 0.0 if k == 0 else -weight / 2
        layers += [Dense(1, 1, weights=[[weight]], bias=[bias]), ActivationLayer("sigmoid")]
    return Network(layers)


for weight in [1, 3, 4, 5]:
    chain = sigmoid_chain(weight)
    chain.forward(np.zeros((1, 1)))
    dL_dx = chain.backward(np.ones((1, 1))).item()
    largest_z = max(abs(layer.z.item()) for layer in chain.layers[::2])
    print(f"w = {weight}: largest |z| = {largest_z:g},  dL/dx = {dL_dx:.4g}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# Each neuron multiplies the gradient by its slope *and* by its weight. A weight of 4 makes up
# exactly for the slope $\sigma'(0) = \tfrac14$ (dL/dx = 1), and a weight of 5 makes the
# gradient grow on its way back. In a real layer the weights are not that free: larger weights
# also push the pre-activations away from 0, where the sigmoid's slope is smaller.
# [Lesson 09](09_initialisation_and_gradient_health.ipynb) looks for the scale of the weights
# that keeps the gradient's size.
#
# </details>

# %% [markdown]
# **Exercise 2 — the backward step of a skip connection.** Deep networks often add a *skip
# connection* (or residual connection) around a layer. The block computes $z = x W +
# \mathbf{b}$ and then $\text{out} = x + \sigma(z)$: its input passes on unchanged next to the
# sigmoid layer's output ($W$ is square, $m \times m$, so $x$ and $\sigma(z)$ have the same
# shape). Section 5 worked out the backward step of the layer without the "$x +$". Write
# `residual_backward(upstream_grad, W, z)`, which returns $\partial L/\partial x$ ($n \times
# m$) from `upstream_grad` $= \partial L/\partial\, \text{out}$ ($n \times m$), the block's
# weights `W` ($m \times m$) and its pre-activation `z` ($n \times m$). The sigmoid's slope is
# $\sigma'(z) = \sigma(z)\,(1 - \sigma(z))$ with $\sigma(z) = 1/(1 + e^{-z})$: compute it from
# `z` with `np.exp`, or with `get_activation("sigmoid").derivative(z)`. The check calls your
# function on the batch in its cell and on others.
#
# <details><summary>Hint</summary>
#
# $x$ reaches $\text{out}$ along two paths: straight through the "$x +$", and through
# $z = xW + \mathbf{b}$ and $\sigma$. Work out the gradient that comes back along each path on
# its own (section 5 did one of them), then combine the two as lesson 03 combined the
# gradients of a variable that is used twice. $W$ is square, so numpy will not tell you if a
# transpose is missing: check every factor's role, not only its shape.
#
# </details>

# %%
def residual_backward(upstream_grad, W, z):
    """dL/dx of the block out = x + sigmoid(z), z = x @ W + b, shape (n, m)."""
    ### BEGIN SOLUTION
    s = 1 / (1 + np.exp(-z))
    return upstream_grad + (upstream_grad * s * (1 - s)) @ W.T
    ### END SOLUTION


# %%
grad_out = np.array([[0.8, -0.4, 0.1], [0.2, 0.6, -0.3], [-0.5, 0.1, 0.7], [0.3, 0.9, -0.2]])
W_block = np.array([[1.0, 0.5, -0.3], [-0.5, 1.0, 0.2], [0.3, -0.2, 0.8]])
z_block = np.array([[0.5, -1.0, 0.0], [1.5, 0.2, -0.7], [-0.3, 0.9, 2.0], [0.0, -2.0, 0.4]])
check_residual_backward(residual_backward, grad_out, W_block, z_block)

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The rule is $\partial L/\partial x = \texttt{upstream\_grad} + (\texttt{upstream\_grad}
# \odot \sigma'(z))\, W^\top$: the skip path hands the gradient back unchanged, and the path
# through the layer adds what section 5's formula gives. Central differences agree, on a block
# with a batch of 4 rows and $m = 3$ and the loss $L = \sum \text{out} \odot
# \texttt{grad\_out}$, whose $\partial L/\partial\,\text{out}$ is `grad_out`:
#
# </details>

# %% tags=["reveal"]
sigmoid = get_activation("sigmoid")


def block_forward(x, W, b):
    """The residual block: z = x @ W + b, out = x + sigmoid(z)."""
    return x + sigmoid.forward(x @ W + b)


x_block, b_block = np.random.default_rng(2).normal(size=(4, 3)), np.array([0.1, -0.2, 0.3])
by_rule = grad_out + (grad_out * sigmoid.derivative(x_block @ W_block + b_block)) @ W_block.T
by_differences = numeric_gradient(
    lambda x: float(np.sum(block_forward(x, W_block, b_block) * grad_out)), x_block)
error = relative_error(by_rule, by_differences)
print(f"relative error {format_relative_error(error)}, below TOLERANCE = {TOLERANCE:g}: "
      f"{error < TOLERANCE}")

# %% [markdown]
# What does the skip path do at depth? Ten sigmoid layers of width 32 with the package's initial
# scale, once as a plain stack and once with a skip connection around every layer, on a batch of
# 64 random inputs. A random gradient arrives at the top; the cell sends it back with the rule
# and prints the norm of $\partial L/\partial x$ at the input over the norm of the gradient
# that arrived:

# %%
rng = np.random.default_rng(0)
x_input = rng.normal(size=(64, 32))
block_weights = [rng.normal(size=(32, 32)) * np.sqrt(1 / 32) for _ in range(10)]
arriving = rng.normal(size=(64, 32))
for skip in (False, True):
    a, pre_activations = x_input, []
    for W_k in block_weights:
        pre_activations.append(a @ W_k)
        a = (a if skip else 0) + sigmoid.forward(pre_activations[-1])
    grad = arriving
    for W_k, z_k in zip(reversed(block_weights), reversed(pre_activations), strict=True):
        grad = (grad if skip else 0) + (grad * sigmoid.derivative(z_k)) @ W_k.T
    name = "with skip connections" if skip else "plain stack"
    print(f"{name:<22}: ||dL/dx|| / ||gradient at the top|| = "
          f"{np.linalg.norm(grad) / np.linalg.norm(arriving):.3g}")

# %% [markdown]
# Through the plain stack only $3.61 \times 10^{-7}$ of the gradient's norm reaches the input;
# through the stack with skip connections, 1.13 of it. Every skip path hands the gradient back
# unchanged, however small the sigmoid's slopes on the other path are. That is why very deep
# networks are built from such residual blocks.

# %% [markdown]
# **Exercise 3 — central differences for one layer.** A dense layer with $n_{\text{in}} = 100$
# inputs and $n_{\text{out}} = 50$ neurons gets a batch of $n = 32$ rows. How many forward
# passes would central differences need to get the gradient of all its weights and biases?
# Write it into `difference_passes`, as a whole number or as an expression in `n_rows`, `n_in`
# and `n_out`.
#
# <details><summary>Hint</summary>
#
# How many numbers does the layer learn? How many forward passes does one central difference
# take, and does one pass handle one row or the whole batch?
#
# </details>

# %%
n_rows, n_in, n_out = 32, 100, 50
difference_passes = None  # your answer: forward passes for central differences over W and b
### BEGIN SOLUTION
difference_passes = 2 * (n_in * n_out + n_out)
### END SOLUTION

# %%
check_difference_passes(difference_passes, n_rows, n_in, n_out)

# %% [markdown]
# **Exercise 4 — the other way round.** Section 2 counted the work of a given network: its
# first layer does 85.5% of the forward pass's multiply-adds, and backprop's backward pass,
# which skips only the first layer's $\partial L/\partial X$, costs 1.15 forward passes. Now
# start from the cost. A network of dense layers has a backward pass that costs 1.6 forward
# passes, in multiply-adds. What share of the forward pass's multiply-adds does its first layer
# do? Write it into `first_layer_share` as a fraction between 0 and 1 (a number, or an
# expression such as `1 - 3 / 4`). The cell after the check counts the passes of networks of
# dense layers, one of them with this backward pass.
#
# <details><summary>Hint</summary>
#
# Call the forward pass's multiply-adds $F$; the first layer does $s \cdot F$ of them. Which
# backward products does the first layer do, and which does every other layer do? Write the
# backward pass's multiply-adds in $F$ and $s$, divide by $F$, and set the result to 1.6.
#
# </details>

# %%
first_layer_share = None  # your answer: the first layer's share of the forward multiply-adds
### BEGIN SOLUTION
first_layer_share = 2 - 1.6  # backward / forward = (F + (F - s F)) / F = 2 - s
### END SOLUTION

# %%
check_first_layer_share(first_layer_share, backward_ratio=1.6)


# %% [markdown]
# The cell runs one forward and one backward pass of the dense layers of three networks with
# section 3's counting `matmul` (the activations multiply no matrices, so they are left out),
# the backward pass computing $\partial L/\partial W$ of every layer and
# $\partial L/\partial X$ of every layer but the first: `[64, 128, 64, 64]`, section 2's
# network, and one whose first layer is small. Is the share of the one whose backward pass costs
# 1.60 forward passes the one you found?

# %% tags=["reveal"]
def count_passes(layer_list, n_rows=64):
    """Multiply-adds of one forward and one backward pass through Dense layers of these sizes,
    counted by matmul; the backward pass skips dL/dX of the first layer."""
    global multiply_adds
    rng = np.random.default_rng(0)
    dense_layers = [Dense(n_in, n_out, rng=k) for k, (n_in, n_out)
                    in enumerate(zip(layer_list[:-1], layer_list[1:], strict=True))]
    multiply_adds, a, inputs = 0, rng.normal(size=(n_rows, layer_list[0])), []
    for layer in dense_layers:
        inputs.append(a)
        a = matmul(a, layer.W) + layer.b
    forward_count, first_count = multiply_adds, n_rows * layer_list[0] * layer_list[1]
    multiply_adds, upstream_grad = 0, rng.normal(size=a.shape)
    for index in reversed(range(len(dense_layers))):
        matmul(inputs[index].T, upstream_grad)  # dL/dW of this layer
        if index > 0:  # dL/dX, passed back to the layer below; not for the first layer
            upstream_grad = matmul(upstream_grad, dense_layers[index].W.T)
    return first_count / forward_count, multiply_adds / forward_count


for layer_list in ([64, 128, 64, 64], [784, 256, 128, 10], [16, 512, 512, 10]):
    share, ratio = count_passes(layer_list)
    print(f"{str(layer_list):<20}: first layer {share:.1%} of the forward work, "
          f"backward / forward = {ratio:.2f}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# A first layer that does 40.0% of the forward work gives a backward pass of 1.60 forward
# passes: the backward pass costs $2 - s$ forward passes, one for $\partial L/\partial W$ of
# every layer and $1 - s$ for $\partial L/\partial X$ of all but the first. So it costs between
# one and two in every network, nearer one the more of the work the first layer does (1.15 for
# section 2's network), and nearly two when the first layer is small (1.97).
#
# </details>

# %% [markdown]
# ## Summary
#
# - A deep network's derivative written out as one formula grows exponentially with depth once
#   the layers have two or more neurons; the chain rule keeps it as a product of small local
#   factors, evaluated numerically layer by layer, and grows linearly.
# - A dense layer's forward pass takes $n \cdot n_{\text{in}} \cdot n_{\text{out}}$
#   multiply-adds, and its backward pass the same for $\partial L/\partial W$ and again for
#   $\partial L/\partial X$, which the first layer does not need. A network's backward pass
#   costs between one and two forward passes (1.15 for the 784-256-128-10 network), against
#   $2P$ forward passes for central differences and one forward-mode pass per parameter.
# - Backprop pays with memory: every layer's values stay until the backward pass, 12,496 bytes
#   per row for that network, more than its weights from a batch of 151 rows.
# - Through a sigmoid layer the gradient is multiplied by $\sigma'(z) \le 1/4$: if the weights
#   keep its size, at most $4^{-k}$ of it remains after $k$ layers, and in the network measured
#   less than that reached the first layer; the early layers barely learn.
# - tanh ($\tanh'(0) = 1$) and ReLU (slope 1 where active, 0 elsewhere) lose much less; ReLU
#   roughly halves the squared size of $\delta$ per layer, which the He scale
#   $\sqrt{2/n_{\text{in}}}$ makes up for: with it $\delta$ keeps its size through the ten
#   layers. That is one reason they replaced the sigmoid in hidden layers.
# - A layer's $\partial L/\partial W = X^\top \delta$ also depends on the size of its input $X$
#   and on how $X$ and $\delta$ line up over the batch (the alignment), so the weights'
#   gradients can differ from layer to layer more, or less, than $\delta$ does.
# - A skip connection $\text{out} = x + \sigma(z)$ adds `upstream_grad` itself to $\partial
#   L/\partial x$: through ten sigmoid layers with skip connections 1.13 of the gradient's norm
#   reached the input, against $3.61 \times 10^{-7}$ without them.
#
# [← 07 · Training with gradient descent](07_training_with_gradient_descent.ipynb) | [Contents](00_start_here.ipynb) | [09 · Initialisation and the health of gradients →](09_initialisation_and_gradient_health.ipynb)
