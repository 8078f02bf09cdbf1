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
# [← 07 · Training with gradient descent](07_training_with_gradient_descent.ipynb) | [Contents](00_start_here.ipynb)

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
# - explain why writing out a deep network's derivative as one big formula explodes in size,
#   while the chain rule applied layer by layer stays small;
# - count the multiply-adds of a dense layer's forward and backward pass and conclude that a
#   backward pass costs about two forward passes;
# - compare that with the $2P$ forward passes that numeric differences need for $P$ parameters;
# - explain why gradients vanish through deep stacks of sigmoid layers ($\sigma' \le 1/4$), and
#   why tanh and ReLU suffer less.

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
# many layers and millions of weights, and why only the third survives. Then it looks at one
# thing that *does* go wrong at depth, even with backprop: vanishing gradients.
#
# **Run this cell first.**

# %%
import time

import matplotlib.pyplot as plt
import numpy as np
import sympy as sp
from IPython.display import Math, display

from helpers.exercises import check_chain_rule, check_delta, check_layer_cost
from helpers.losses import get_loss
from helpers.network import build_network
from helpers.symbolic import SymbolicNetwork, expression_size_table, format_size_table

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Symbolic derivatives swell
#
# Take the smallest deep network there is: one input, two layers of one tanh neuron each, and
# the squared error. Here is the derivative of the loss with respect to the *first* weight,
# written out in full by sympy:

# %%
tiny = SymbolicNetwork([1, 1, 1], hidden="tanh", output="tanh", loss="mse")
expanded = tiny.gradients["W1[0, 0]"]
display(Math(r"\frac{\partial L}{\partial w^{(1)}_{11}} = " + sp.latex(expanded)))
print("operations in this one formula:", sp.count_ops(expanded))

# %% [markdown]
# Look for $\tanh(b^{(1)}_1 + w^{(1)}_{11} x_1)$: it appears twice, once as the value the
# second layer receives and once inside the second layer's derivative; the second layer's whole
# forward expression appears twice as well. Every extra layer wraps everything in another
# function *and* multiplies in another derivative that contains all of it again, so the copies
# multiply.
#
# Backpropagation writes the same computation as a list of small assignments. Each
# intermediate value, $z$, $a$, the loss $L$ and each $\delta = \partial L / \partial z$, gets
# a name and is computed once, then reused:

# %%
lines = [sp.latex(name) + " &= " + sp.latex(value) for name, value in tiny.backprop_equations()]
display(Math(r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"))

# %% [markdown]
# Now grow the network: $d$ layers of two tanh neurons each, for $d = 1, \dots, 5$.
# `expression_size_table` counts the operations (sympy's `count_ops`) in all gradients written
# out in full, in the chain-rule equations above, and in the full formulas after sympy's
# common-subexpression elimination `cse`, which hunts for repeated pieces automatically.
# (This is the slowest cell of the lesson: a few seconds of symbolic algebra.)

# %%
size_rows = expression_size_table(max_depth=5, width=2, activation="tanh", loss="mse")
print(format_size_table(size_rows))

# %%
depths = [row.depth for row in size_rows]
fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogy(depths, [row.expanded_ops for row in size_rows], "o-", label="written out in full")
ax.semilogy(depths, [row.cse_ops for row in size_rows], "^-", label="full, after sympy.cse")
ax.semilogy(depths, [row.chain_rule_ops for row in size_rows], "s-", label="chain rule (backprop)")
ax.set_xticks(depths)
ax.set_xlabel("depth (dense layers of width 2)")
ax.set_ylabel("operations")
ax.set_title("Size of all gradients as formulas")
ax.legend()
plt.show()

# %% [markdown]
# The full formulas climb steeply: each extra layer multiplies their size (still by 3.0 from
# depth 4 to depth 5). With two neurons per layer, every layer's formula contains the previous
# layer's formula twice, so written out in full the size grows exponentially with depth. The
# chain-rule form grows by the same fixed amount per layer, 26 operations: linear growth.

# %%
for before, after in zip(size_rows[:-1], size_rows[1:], strict=True):
    factor = after.expanded_ops / before.expanded_ops
    added = after.chain_rule_ops - before.chain_rule_ops
    print(f"depth {before.depth} -> {after.depth}: full x{factor:.1f},  chain rule +{added}")

# %% [markdown]
# Automatic elimination of common subexpressions helps a lot, but it is still several times
# larger than the chain-rule form at depth 5 and growing faster: backprop's deltas are
# not just repeated pieces of the formula, they are the *products* of the factors on the way
# down, shared by every weight below. Naming and reusing them is the whole trick. Real networks
# have dozens of layers and thousands of neurons per layer; only the chain-rule form, computed
# with numbers rather than symbols, fits.

# %% [markdown]
# ## 2. The cost of a backward pass
#
# Count the work of one dense layer with a batch of $n$ rows, $n_{\text{in}}$ inputs and
# $n_{\text{out}}$ outputs. A matrix product $(a \times b)(b \times c)$ takes $a\,b\,c$
# multiply-adds.
#
# - **Forward**: $Z = XW + \mathbf{b}$ is one product $(n \times n_{\text{in}})(n_{\text{in}}
#   \times n_{\text{out}})$: $\;n \cdot n_{\text{in}} \cdot n_{\text{out}}$ multiply-adds (the
#   bias adds only $n \cdot n_{\text{out}}$).
# - **Backward**: two products of the same size. $\partial L/\partial W = X^\top G$ is
#   $(n_{\text{in}} \times n)(n \times n_{\text{out}})$ and $\partial L/\partial X = G W^\top$ is
#   $(n \times n_{\text{out}})(n_{\text{out}} \times n_{\text{in}})$: each
#   $n \cdot n_{\text{in}} \cdot n_{\text{out}}$. Together **twice the forward pass**.
#   ($\partial L/\partial \mathbf{b}$, a column sum, is again only $n \cdot n_{\text{out}}$.)
#
# Activation layers cost a few operations per entry, both ways: negligible next to the
# products. So the whole backward pass costs about two forward passes, and forward plus backward
# about three, **whatever the number of weights**. For a network that reads 28×28 images:

# %%
sizes, n = [784, 256, 128, 10], 64
print(f"{'layer':<16}{'forward':>12}{'backward':>12}")
total_forward = total_backward = 0
for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
    forward_macs = n * n_in * n_out
    backward_macs = 2 * n * n_in * n_out
    total_forward += forward_macs
    total_backward += backward_macs
    print(f"Dense({n_in}→{n_out})".ljust(16) + f"{forward_macs:>12,}{backward_macs:>12,}")
print(f"{'total':<16}{total_forward:>12,}{total_backward:>12,}")
print(f"backward / forward = {total_backward / total_forward:.1f}")

# %% [markdown]
# Now the numeric alternative. A central difference needs two forward passes *per parameter*.
# With $P$ parameters, that is $2P$ forward passes for one gradient, against the three of
# backprop:

# %%
n_parameters = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True))
print(f"parameters P                          : {n_parameters:,}")
print(f"forward passes, central differences   : {2 * n_parameters:,}")
print("forward-pass equivalents, backprop    : 3")
print(f"numeric / backprop                    : {2 * n_parameters / 3:,.0f} times more work")

# %% [markdown]
# Let us see the factor two in practice. We time a forward and a backward pass of a
# moderate network (batch 256, two hidden layers of 512) twenty times and compare the median
# times. We measure CPU time (`time.process_time`), the work this program did, so that time
# spent waiting while other programs run does not count. The exact ratio still depends on the
# computer (memory traffic, threads), so we only check that it lands in a wide range around 2
# and print no timings.

# %%
rng = np.random.default_rng(0)
X_big = rng.normal(size=(256, 784))
labels = rng.integers(0, 10, size=256)
big_net = build_network([784, 512, 512, 10], hidden="relu", output="identity", rng=0)
ce = get_loss("softmax_cross_entropy")
forward_times, backward_times = [], []
for _ in range(20):
    start = time.process_time()
    logits = big_net.forward(X_big)
    middle = time.process_time()
    big_net.backward(ce.gradient(logits, labels))
    forward_times.append(middle - start)
    backward_times.append(time.process_time() - middle)
ratio = np.median(backward_times) / np.median(forward_times)
assert 0.5 < ratio < 10, f"backward / forward = {ratio:.1f}: is the computer very busy?"
print("backward / forward time: a small number, near 2 (checked to lie between 0.5 and 10)")

# %% [markdown]
# ## 3. Vanishing gradients
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
# up to 1, is largest when both are $\tfrac12$, at $z = 0$. sympy agrees:

# %%
z = sp.symbols("z", real=True)
sigma = 1 / (1 + sp.exp(-z))
sigma_prime = sp.diff(sigma, z)
print("sigma'(z) - sigma (1 - sigma) =", sp.simplify(sigma_prime - sigma * (1 - sigma)))
print("where sigma'' = 0             :", sp.solve(sp.diff(sigma_prime, z), z))
print("largest value sigma'(0)       =", sigma_prime.subs(z, 0))
print("tanh'(0)                      =", sp.diff(sp.tanh(z), z).subs(z, 0))

# %% [markdown]
# If the weights keep the size of the gradient roughly the same (that is what their initial
# scale $\sqrt{1/n_{\text{in}}}$ aims at), each sigmoid layer still multiplies it by at most
# $\tfrac14$, and $k$ layers by at most $(\tfrac14)^k$:

# %%
for k in [1, 2, 5, 10]:
    print(f"{k:2d} sigmoid layers: at most 0.25 ** {k:<2d} = {0.25**k:.2e}")

# %% [markdown]
# Let us measure it. Three networks with ten dense layers of width 32 (the same seeded initial
# weights), differing only in the hidden activation, get the same batch of 64 random inputs and
# targets. After one forward and one backward pass we print the norm of
# $\partial L / \partial W$ for every dense layer, from the input (layer 1) to the output
# (layer 10).

# %%
rng = np.random.default_rng(0)
X_deep = rng.normal(size=(64, 32))
y_deep = rng.normal(size=(64, 1))
mse = get_loss("mse")
grad_norms = {}
for activation in ["sigmoid", "tanh", "relu"]:
    deep_net = build_network([32] * 10 + [1], hidden=activation, output="identity", rng=0)
    deep_net.backward(mse.gradient(deep_net.forward(X_deep), y_deep))
    grad_norms[activation] = [np.linalg.norm(p.grad) for p in deep_net.parameters()
                              if p.name == "W"]
print("layer " + "".join(f"{i:>9d}" for i in range(1, 11)))
for activation, norms in grad_norms.items():
    print(f"{activation:<8}" + "".join(f"{v:9.1e}" for v in norms))

# %%
fig, ax = plt.subplots(figsize=(7, 4))
for (activation, norms), style in zip(grad_norms.items(), ["o-", "s-", "^-"], strict=True):
    ax.semilogy(range(1, 11), norms, style, label=activation)
ax.set_xlabel("dense layer (1 = next to the input)")
ax.set_ylabel("norm of dL/dW")
ax.set_title("Gradient size per layer at initialisation")
ax.legend()
plt.show()

# %% [markdown]
# With sigmoid the gradient of the first layer is about $1.43 \times 10^6$ times smaller than
# that of the last one: a learning rate that suits the last layer leaves the first almost
# frozen. That is even more than the factor $4^9 = 262{,}144$ that the bound
# $\sigma' \le \tfrac14$ alone accounts for over the nine sigmoid layers between them, because
# $\sigma'(z) < \tfrac14$ wherever $z \ne 0$. With tanh and ReLU the gradient keeps its size
# from layer to layer, within a factor of a few. The ratio last / first:

# %%
for activation, norms in grad_norms.items():
    print(f"{activation:<8} last / first = {norms[-1] / norms[0]:12,.3g}")
print(f"4 ** 9                = {4**9:12,}")

# %% [markdown]
# Why do the other two survive? $\tanh'(0) = 1$, so near zero tanh passes the gradient
# through almost unchanged; ReLU's slope is exactly 1 wherever the neuron is active (and 0
# where not, which removes about half of the paths but does not shrink the rest). This is
# the main reason hidden layers today use ReLU and its relatives, together with initial
# weight scales chosen to keep gradients at a steady size, and tricks such as normalisation
# layers and skip connections that go beyond this course. Backprop itself is never the problem:
# it computes exactly the gradient there is, and efficiently.

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# ### Exercise 1: how much does a deep sigmoid stack shrink the gradient?
#
# A chain of six sigmoid neurons, one per layer, every weight 1, and (the best case for the
# sigmoid) every pre-activation exactly 0. The gradient arriving at the last neuron's output is
# $\partial L / \partial a_6 = 1$. By the chain rule, what is the gradient $\partial L / \partial x$
# at the input of the first neuron? Write it as a number or an expression such as `0.5 ** 3`.

# %%
shrink = None  # your answer: dL/dx after six sigmoid layers at z = 0
### BEGIN SOLUTION
shrink = 0.25**6
### END SOLUTION
check_chain_rule(shrink, 1.0, *[0.25] * 6)

# %% [markdown]
# ### Exercise 2: one backward step into a sigmoid layer
#
# A hidden sigmoid layer of 3 neurons feeds an output layer with weights `W_next` (3 × 2).
# For a batch of 2 samples, the output layer's delta $\partial L / \partial \mathbf{z}$ is
# `delta_next`, and the hidden pre-activations `z_hidden` are all 0. Compute the hidden layer's
# delta $\big(\delta_{\text{next}} W_{\text{next}}^\top\big) \odot \sigma'(\mathbf{z})$ and
# notice the factor $\tfrac14$ that every entry picks up.

# %%
delta_next = np.array([[0.8, -0.4], [0.2, 0.6]])
W_next = np.array([[1.0, 0.5], [-0.5, 1.0], [0.3, -0.2]])
z_hidden = np.zeros((2, 3))
delta_hidden = None  # your answer: dL/dz of the hidden layer, shape (2, 3)
### BEGIN SOLUTION
s_hidden = 1 / (1 + np.exp(-z_hidden))
delta_hidden = (delta_next @ W_next.T) * s_hidden * (1 - s_hidden)
### END SOLUTION
check_delta(delta_hidden, delta_next, W_next, z_hidden, "sigmoid")

# %% [markdown]
# ### Exercise 3: count the work of one layer
#
# A dense layer with $n_{\text{in}} = 100$ inputs and $n_{\text{out}} = 50$ neurons gets a
# batch of $n = 32$ rows. How many multiply-adds does its forward product take? Its backward
# pass ($\partial L/\partial W$ and $\partial L/\partial X$ together)? And how many forward passes
# would central differences need to get the gradient of all its weights and biases? Write each
# as a whole number or as an expression in `n_rows`, `n_in` and `n_out`.

# %%
n_rows, n_in, n_out = 32, 100, 50
forward_ops = None  # your answer: multiply-adds of the forward product
backward_ops = None  # your answer: multiply-adds of dW and dx together
difference_passes = None  # your answer: forward passes for central differences over W and b
### BEGIN SOLUTION
forward_ops = n_rows * n_in * n_out
backward_ops = 2 * n_rows * n_in * n_out
difference_passes = 2 * (n_in * n_out + n_out)
### END SOLUTION
check_layer_cost(forward_ops, backward_ops, difference_passes, n_rows, n_in, n_out)

# %% [markdown]
# ## Summary
#
# - A deep network's derivative written out as one formula grows explosively with depth; the
#   chain rule keeps it as a product of small local factors, evaluated numerically layer by
#   layer.
# - A dense layer's forward pass takes $n \cdot n_{\text{in}} \cdot n_{\text{out}}$
#   multiply-adds and its backward pass twice that, so a full gradient costs about three
#   forward passes, against $2P$ for numeric differences.
# - Through a sigmoid layer the gradient is multiplied by $\sigma'(z) \le 1/4$; after $k$
#   layers it may have shrunk to $4^{-k}$ of its size: the early layers barely learn.
# - tanh ($\tanh'(0) = 1$) and ReLU (slope 1 where active) pass gradients through with little
#   loss, which is one reason they replaced the sigmoid in hidden layers.
#
# [← 07 · Training with gradient descent](07_training_with_gradient_descent.ipynb) | [Contents](00_start_here.ipynb)
