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
# # 09 · Initialisation and the health of gradients
# [← 08 · Why backprop works at scale](08_why_backprop_works_at_scale.ipynb) | [Contents](00_start_here.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/09_initialisation_and_gradient_health.ipynb](../solutions/09_initialisation_and_gradient_health.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - explain why hidden units that start with equal incoming and outgoing weights stay equal
#   however long they train, and why random initial weights break that symmetry;
# - derive how the size of a layer's pre-activations depends on the variance of its weights,
#   $\operatorname{Var}[z] = n_{\text{in}} \operatorname{Var}[w]\, E[a^2]$;
# - read a sweep of weight scales: too small and the gradients vanish, too large and they
#   explode;
# - explain why ReLU layers want He's scale $\sqrt{2/n_{\text{in}}}$ rather than LeCun's
#   $\sqrt{1/n_{\text{in}}}$, and predict the factor per layer, and over many layers, for
#   any scale.
#
# **What you need.** Lessons 05 (the deltas $\delta = \partial L/\partial z$ and
# $\partial L/\partial W = X^\top \delta$), 07 (the training loop) and 08 (vanishing
# gradients). We also use the mean and the variance of random numbers: $E[x]$ is the average
# of $x$ over many draws, $\operatorname{Var}[x] = E\big[(x - E[x])^2\big]$ is the variance,
# and $E[x^2]$ is the **mean square**, which equals the variance when $E[x] = 0$.

# %% [markdown]
# ## Where the first weights come from
#
# Gradient descent improves weights; it needs weights to start from. The networks that
# `build_network` makes, like those of lessons 07 and 08, start from random weights drawn by
# `Dense`, $W = \text{normal}(0, 1) \cdot \sqrt{1/n_{\text{in}}}$ entry by entry, and biases 0.
# This lesson asks why random, and why that size.
#
# **Run this cell first.**

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from helpers.data import xor
from helpers.exercises import check_gradient_scale, check_keeping_scale, check_layer_factor
from helpers.gradcheck import TOLERANCE, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import get_loss
from helpers.network import Network, build_network
from helpers.training import train

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## 1. Equal weights never become different
#
# Take lesson 07's XOR network: 2 inputs, 4 tanh hidden units, 1 sigmoid output, binary
# cross-entropy. We train it from three starts: every weight 0, every weight 0.5, and the
# random weights that lesson 07's XOR network started from (`build_network(..., rng=1)`). The four hidden units
# are the four columns of $W_1$: column $j$ holds the weights into unit $j$.

# %%
X_xor, y_xor = xor()
bce = get_loss("binary_cross_entropy")


def xor_network(W1, W2):
    """2 inputs -> 4 tanh units -> 1 sigmoid output, with these weights and zero biases."""
    return Network([Dense(2, 4, weights=W1), ActivationLayer("tanh"),
                    Dense(4, 1, weights=W2), ActivationLayer("sigmoid")])


lesson_07 = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
starts = {
    "all 0": (np.zeros((2, 4)), np.zeros((4, 1))),
    "all 0.5": (np.full((2, 4), 0.5), np.full((4, 1), 0.5)),
    "random": (lesson_07.layers[0].W, lesson_07.layers[2].W),
}

# %% [markdown]
# First one forward and one backward pass from each start. We print how far the columns of
# $\partial L/\partial W_1$ are from its first column (the largest difference of an entry),
# the spread of the four entries of $\partial L/\partial W_2$ (largest minus smallest), and
# the largest entry, in absolute value, of every gradient.

# %%
for name, (W1, W2) in starts.items():
    net = xor_network(W1, W2)
    net.backward(bce.gradient(net.forward(X_xor), y_xor))
    dW1, dW2 = net.layers[0].dW, net.layers[2].dW
    largest = ", ".join(f"dL/d{p.name}{p.layer_index // 2 + 1} {np.abs(p.grad).max():.4g}"
                        for p in net.parameters())
    print(f"{name:<8} columns of dL/dW1 differ by {np.abs(dW1 - dW1[:, :1]).max():.4g}, "
          f"entries of dL/dW2 spread over {np.ptp(dW2):.4g}")
    print(f"{'':<8} largest |entry|: {largest}")

# %% [markdown]
# From all 0.5 the four columns of $\partial L/\partial W_1$ are identical, and so are the four
# entries of $\partial L/\partial W_2$. That is no accident. Equal columns of $W_1$ give the
# four units the same $z$, the same $\tanh(z)$ and the same $\tanh'(z)$. The hidden delta
# $\delta_1 = (\delta_2 W_2^\top) \odot \tanh'(z_1)$ then has equal columns too, because
# column $j$ of $\delta_2 W_2^\top$ is $\delta_2$ times the $j$-th entry of $W_2$, and those
# are equal. So $\partial L/\partial W_1 = X^\top \delta_1$ has equal columns,
# $\partial L/\partial b_1$ (the column sums of $\delta_1$) has equal entries, and
# $\partial L/\partial W_2 = h_1^\top \delta_2$ (with $h_1 = \tanh(z_1)$) has equal entries. The
# update subtracts equal amounts from equal numbers, and the next step starts from equal
# weights and biases again: the symmetry never breaks.
#
# From all 0 it is worse: every gradient is exactly 0. The hidden units output
# $h_1 = \tanh(0) = 0$, so $\partial L/\partial W_2 = h_1^\top \delta_2 = 0$; with $W_2 = 0$ the
# hidden delta $\delta_1$ is 0, so $\partial L/\partial W_1$ and $\partial L/\partial b_1$ are 0;
# and the output bias gets $\frac1n \sum (p - y)$ (lesson 04), which is 0 here because every
# prediction is $p = 0.5$ and XOR has two targets 0 and two targets 1. (With more targets 1
# than 0, or fewer, the output bias would move, but nothing else would.) The random start gives
# every unit its own gradient. Now 1000 steps of gradient descent from each start, with lesson 07's learning
# rate 0.5. We print the loss after 0, 10, 100, 500 and 1000 steps and how far the columns of
# $W_1$ are from its first column at the end:

# %%
trained = {}
print(f"{'start':<8}" + "".join(f"{k:>9d}" for k in [0, 10, 100, 500, 1000])
      + "   columns of W1 differ by")
for name, (W1, W2) in starts.items():
    trained[name] = xor_network(W1, W2)
    history = train(trained[name], X_xor, y_xor, loss="binary_cross_entropy", lr=0.5,
                    epochs=1000)
    final = bce.value(trained[name].forward(X_xor), y_xor)
    W1_end = trained[name].layers[0].W
    losses = [history[k] for k in [0, 10, 100, 500]] + [final]
    print(f"{name:<8}" + "".join(f"{v:9.4f}" for v in losses)
          + f"   {np.abs(W1_end - W1_end[:, :1]).max():.4g}")
print(f"ln 2 = {np.log(2):.4f}")

# %%
print("W1 after 1000 steps from all 0.5:")
print(trained["all 0.5"].layers[0].W)
for name, net in trained.items():
    print(f"{name:<8} predictions: {net.forward(X_xor).ravel()}   targets: {y_xor}")

# %% [markdown]
# - **All 0**: the loss stays at $\ln 2 = 0.6931$, the loss of predicting 0.5 for every point,
#   and nothing ever changes.
# - **All 0.5**: the loss falls at first, from 0.7705, because the hidden units do learn, but
#   all alike: after 1000 steps every entry of $W_1$ is 2.9289 and the columns still differ by
#   0. Four identical units compute one number between them, so this network can do no more
#   than a network with *one* hidden unit. Its output $\sigma\big(c + v \tanh(\mathbf{w} \cdot
#   \mathbf{x} + b)\big)$ grows or falls with $\mathbf{w} \cdot \mathbf{x}$ alone, so a single
#   straight line $\mathbf{w} \cdot \mathbf{x} = \text{const}$ splits the points it calls 1 from
#   those it calls 0, and no straight line separates XOR's classes (lessons 02 and 07). It
#   calls $(1, 1)$ a 1 (0.6702), and the loss levels off: in the last 500 steps it only
#   moved from 0.4985 to 0.4863.
# - **Random**: the columns got different gradients from the first step (0.0216 apart), and
#   they end 5.633 apart; the loss falls to 0.0053 and every prediction is on the right side of
#   0.5.
#
# So the initial weights must differ from unit to unit, which random draws do. The biases may
# all start at 0, as here: once the weights differ, the units differ.

# %% [markdown]
# ## 2. How large should random weights be?
#
# A unit's pre-activation at the start (biases 0) is $z_j = \sum_{i=1}^{n_{\text{in}}} a_i
# w_{ij}$, a sum of $n_{\text{in}}$ terms. Suppose the weights are drawn independently of each
# other and of the inputs $a_i$, with mean 0 and variance $\operatorname{Var}[w]$. Then
# $E[z_j] = \sum_i E[a_i]\, E[w_{ij}] = 0$, and in
# $E[z_j^2] = \sum_i \sum_k E[a_i a_k]\, E[w_{ij} w_{kj}]$ every term with $i \ne k$ is 0,
# because $E[w_{ij} w_{kj}] = E[w_{ij}]\, E[w_{kj}] = 0$. The terms $i = k$ remain:
#
# $$\operatorname{Var}[z] = E[z^2] = n_{\text{in}} \operatorname{Var}[w]\, E[a^2],$$
#
# where $E[a^2]$ is the mean square of the inputs, averaged over the $n_{\text{in}}$ of them.
# Note $E[a^2]$, not $\operatorname{Var}[a]$:
# the inputs need not have mean 0. Let us test it with 200 rows of ReLU outputs (mean about
# 0.4, far from 0) as inputs and 5000 units, each with its own 64 weights of variance 1/64:

# %%
rng = np.random.default_rng(3)
n_in, var_w = 64, 1 / 64
a = np.maximum(rng.normal(size=(200, n_in)), 0)  # inputs of a layer: ReLU outputs
W = rng.normal(size=(n_in, 5000)) * np.sqrt(var_w)  # 5000 units, independent weights
z = a @ W
print(f"mean of a        : {a.mean():.3f}")
print(f"mean of z        : {z.mean():.4f}")
print(f"mean square of z : {np.mean(z**2):.4f}")
print(f"n_in Var[w] E[a²]: {n_in * var_w * np.mean(a**2):.4f}")

# %% [markdown]
# The mean of $z$ is 0.0022, close to 0, and its mean square, 0.5062, matches
# $n_{\text{in}} \operatorname{Var}[w]\, E[a^2] = 0.5066$ up to the randomness of a finite
# sample.
#
# So each layer multiplies the mean square by $n_{\text{in}} \operatorname{Var}[w]$ on its way
# from $a$ to $z$. If the activation then passes $z$ on nearly unchanged (tanh near 0:
# $\tanh z \approx z$), the size stays about the same from layer to layer when
# $n_{\text{in}} \operatorname{Var}[w] = 1$: weights of variance $1/n_{\text{in}}$, standard
# deviation $\sqrt{1/n_{\text{in}}}$. That is **LeCun's initialisation** (LeCun and others,
# *Efficient BackProp*, 1998), and what `Dense` draws:

# %%
print(f"standard deviation of Dense(64→64)'s weights: {Dense(64, 64, rng=0).W.std():.4f}")
print(f"sqrt(1 / 64)                               : {np.sqrt(1 / 64):.4f}")

# %% [markdown]
# **Elsewhere.** PyTorch's `nn.Linear` draws its weights (and biases) uniformly from
# $(-1/\sqrt{n_{\text{in}}},\, 1/\sqrt{n_{\text{in}}})$. A uniform number on $(-c, c)$ has
# variance $c^2/3$ (sympy below), so PyTorch's default variance is $1/(3 n_{\text{in}})$, a third
# of this course's $1/n_{\text{in}}$. Keras's `Dense` draws from Glorot's uniform distribution,
# on $(-c, c)$ with $c = \sqrt{6/(n_{\text{in}} + n_{\text{out}})}$, so of variance
# $2/(n_{\text{in}} + n_{\text{out}})$, and starts biases at 0 like this course.

# %%
c, w, fan_in, fan_out = sp.symbols("c w n_in n_out", positive=True)
uniform_variance = sp.integrate(w**2 / (2 * c), (w, -c, c))
print("variance of uniform(-c, c)        :", uniform_variance)
print("PyTorch, c = 1/sqrt(n_in)         :", uniform_variance.subs(c, 1 / sp.sqrt(fan_in)))
print("Keras, c = sqrt(6/(n_in + n_out)) :",
      sp.simplify(uniform_variance.subs(c, sp.sqrt(6 / (fan_in + fan_out)))))

# %% [markdown]
# ## 3. A sweep of scales: vanishing and exploding gradients
#
# Now scale the draw: $W = \text{normal}(0, 1) \cdot s \sqrt{1/n_{\text{in}}}$, so that
# $\operatorname{Var}[w] = s^2/n_{\text{in}}$ and each layer multiplies the mean square of $z$ by
# $s^2$ (as long as $\tanh z \approx z$). `deep_stack` builds `depth` layers
# Dense(width→width) + activation with such weights; for every $s$ it uses the same seeded
# draws, only scaled.


# %%
def deep_stack(activation, scale, seed, width=64, depth=10):
    """depth layers Dense(width→width) + activation; W = normal(0, 1) * scale * sqrt(1/width)."""
    rng = np.random.default_rng(seed)
    layers = []
    for _ in range(depth):
        W = rng.normal(size=(width, width)) * scale * np.sqrt(1 / width)
        layers += [Dense(width, width, weights=W), ActivationLayer(activation)]
    return Network(layers)


def rms(array):
    """Root-mean-square of the entries: the typical size of one entry."""
    return np.sqrt(np.mean(array**2))


def per_layer_factor(values):
    """The average factor from one layer to the next: (last / first) ** (1 / (layers - 1))."""
    return (values[-1] / values[0]) ** (1 / (len(values) - 1))


# %% [markdown]
# Ten tanh layers of width 64, for $s = 0.5, 1, 2, 4, 8$. One batch of 32 random inputs, the
# mean squared error against random targets, one forward and one backward pass (recorded, so
# that we can read every layer's input and delta afterwards). For every dense layer we print the
# root-mean-square of the entries of $\partial L/\partial W$, the typical size of one weight's
# gradient:

# %%
rng = np.random.default_rng(0)
X_stack, Y_stack = rng.normal(size=(32, 64)), rng.normal(size=(32, 64))
mse = get_loss("mse")
scales = [0.5, 1, 2, 4, 8]
sweep = {}
for s in scales:
    net = deep_stack("tanh", s, seed=1)
    net.backward(mse.gradient(net.forward(X_stack, record=True), Y_stack))
    sweep[s] = [record for record in net.record if record.kind == "dense"]
print("layer   " + "".join(f"{i:>8d}" for i in range(1, 11)))
for s in scales:
    print(f"s = {s:<4}" + "".join(f"{rms(r.dW):8.1e}" for r in sweep[s]))

# %% alt="Root-mean-square of dL/dW in each of 10 tanh layers of width 64, on a log scale, for weight scales s = 0.5, 1, 2, 4 and 8: at s = 1 it stays near 0.05 in every layer and at s = 0.5 near 0.00025; at s = 2, 4 and 8 it grows towards the input, at s = 8 from 0.049 at layer 10 to 37 at layer 1."
colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00"]
fig, ax = plt.subplots(figsize=(8, 5))
for s, colour, marker in zip(scales, colours, "os^Dv", strict=True):
    ax.semilogy(range(1, 11), [rms(r.dW) for r in sweep[s]], marker + "-", color=colour,
                label=f"s = {s}")
ax.set_xticks(range(1, 11))
ax.set_xlabel("dense layer (1 = next to the input)", fontsize=14)
ax.set_ylabel("root-mean-square of dL/dW", fontsize=14)
ax.set_title(r"10 tanh layers of width 64, weights $s\,\sqrt{1/n_{\mathrm{in}}}$", fontsize=15)
ax.tick_params(labelsize=13)
ax.legend(title="weight scale", fontsize=13, title_fontsize=13, loc="upper left",
          bbox_to_anchor=(1.01, 1))
plt.show()

# %% [markdown]
# Two numbers per scale: how much larger the gradient of layer 1 is than that of layer 10, and
# how the gradient of layer 1 compares with its value at $s = 1$:

# %%
for s in scales:
    first, last = rms(sweep[s][0].dW), rms(sweep[s][-1].dW)
    print(f"s = {s:<4} layer 1 / layer 10 = {first / last:7.3g}"
          f"    layer 1 / (layer 1 at s = 1) = {first / rms(sweep[1][0].dW):8.3g}")

# %% [markdown]
# - $s = 1$: the gradient keeps its size through the stack; layer 1's is 1.16 times layer 10's.
# - $s = 2, 4, 8$: the gradient grows on its way back to the input: layer 1's is 4.06, 54.4
#   and 753 times layer 10's. These are **exploding gradients**: a learning rate small enough
#   for layer 1 at $s = 8$ is hundreds of times too small for layer 10, and one large enough
#   for layer 10 throws layer 1 far away.
# - $s = 0.5$: the line is flat, but low: every layer's gradient is about
#   $2.5$ to $2.9 \times 10^{-4}$, and layer 1's is 0.00523 times its value at $s = 1$. The
#   gradients have **vanished** in every layer at once.
#
# Why flat? Lesson 05's $\partial L/\partial W = a^\top \delta$ is the product of what arrives
# from below (the layer's input $a$) and what arrives from above (its delta). Here are the two,
# as root-mean-squares, at the two ends of the sweep:

# %%
for s in [0.5, 8]:
    inputs = [rms(r.input) for r in sweep[s]]
    deltas = [rms(r.upstream_grad) for r in sweep[s]]
    print(f"s = {s}, layer".ljust(16) + "".join(f"{i:>8d}" for i in range(1, 11)))
    print("  a, the input".ljust(16) + "".join(f"{v:8.1e}" for v in inputs))
    print("  delta = dL/dz".ljust(16) + "".join(f"{v:8.1e}" for v in deltas))
    print(f"  per layer: a x {per_layer_factor(inputs):.2f} going forward,"
          f" delta x {1 / per_layer_factor(deltas):.2f} going back")
worst = max(relative_error(r.dW, r.input.T @ r.upstream_grad) for s in scales for r in sweep[s])
print(f"dL/dW = a.T @ delta in every layer (relative error < {TOLERANCE:g}): {worst < TOLERANCE}")

# %% [markdown]
# At $s = 0.5$ the signal shrinks by a factor 0.48 per layer on its way forward, and the delta
# by 0.48 per layer on its way back: the delta vanishes towards the input, as in lesson 08. In
# layer 1 a large input meets a tiny delta, in layer 10 a tiny input meets a large delta, and
# the products come out equally small. At $s = 8$ the pre-activations are large, tanh
# saturates and its outputs sit near $\pm 1$: the input of every layer after the first stays
# at a root-mean-square of 0.94 or 0.95. The delta, though, is multiplied by $W^\top$, whose
# entries are 8 times LeCun's, and by $\tanh'(z)$, which is small where tanh saturates; together
# that is a factor 2.06 per layer on the way back, and nothing on the forward side cancels it.

# %% [markdown]
# ## 4. ReLU halves the mean square: LeCun against He
#
# ReLU does not pass $z$ on unchanged: it sets every negative $z$ to 0. The weights are drawn
# symmetric around 0 ($w$ and $-w$ equally likely), so $z$ is too: for every value $z$ the value
# $-z$ is just as likely. And $\operatorname{relu}(z)^2 + \operatorname{relu}(-z)^2 = z^2$:
# one of the two is $z^2$, the other 0. Averaged over both,
#
# $$E\big[\operatorname{relu}(z)^2\big] = \tfrac12\, E[z^2] = \tfrac12 \operatorname{Var}[z].$$
#
# sympy confirms it for a normal $z$ of standard deviation $\sigma$, and the 1,000,000 values of
# $z$ from section 2 (not normal, but symmetric) agree:

# %%
z_symbol = sp.symbols("z", real=True)
sigma = sp.symbols("sigma", positive=True)
density = sp.exp(-z_symbol**2 / (2 * sigma**2)) / (sigma * sp.sqrt(2 * sp.pi))
positive_half = sp.integrate(z_symbol**2 * density, (z_symbol, 0, sp.oo))
whole = sp.integrate(z_symbol**2 * density, (z_symbol, -sp.oo, sp.oo))
print("E[relu(z)²] =", positive_half, "   E[z²] =", whole,
      "   ratio:", sp.simplify(positive_half / whole))

# %%
print(f"fraction of the z above 0   : {np.mean(z > 0):.3f}")
print(f"mean relu(z)² / mean z²     : {np.mean(np.maximum(z, 0)**2) / np.mean(z**2):.3f}")

# %% [markdown]
# Put the two steps together: from one layer's $z$ to the next layer's,
#
# $$\operatorname{Var}[z_{\text{next}}] = n_{\text{in}} \operatorname{Var}[w] \cdot
#   \tfrac12 \operatorname{Var}[z].$$
#
# With LeCun's $\operatorname{Var}[w] = 1/n_{\text{in}}$ every ReLU layer halves the mean
# square. **He's initialisation** (He and others, 2015) doubles the variance to
# $2/n_{\text{in}}$, standard deviation $\sqrt{2/n_{\text{in}}} = \sqrt2 \cdot
# \sqrt{1/n_{\text{in}}}$, which is $s = \sqrt2$ in the sweep, and the factor becomes 1.
#
# The deltas go through the same two steps backwards:
# $\delta_{\text{prev}} = (\delta\, W^\top) \odot \operatorname{relu}'(z_{\text{prev}})$. The
# product with $W^\top$ is a sum over the $n_{\text{out}}$ units of the layer, so by section 2's
# argument (with the deltas in the place of the inputs) it multiplies the mean square by
# $n_{\text{out}} \operatorname{Var}[w]$, and $\operatorname{relu}'$ is 1 for
# about half of the units and 0 for the rest. Our layers are square ($n_{\text{out}} =
# n_{\text{in}} = 64$), so the factor is the same both ways.
#
# Let us measure both directions. `relu_mean_squares` builds 50 stacks of ten ReLU layers of
# width 64 (each with its own seeded weights, its own batch of 64 random inputs and a random
# gradient $\partial L/\partial a$ arriving at the top), and averages, layer by layer, the mean
# of $z^2$ on the way forward and of $\delta^2$ on the way back. Averaging over 50 networks
# shows the expected factor rather than the luck of one draw of weights.


# %%
def relu_mean_squares(scale, n_networks=50):
    """Mean of z² (forward) and of delta² = (dL/dz)² (backward) in each of the 10 dense layers
    of ReLU stacks with weights normal(0, 1) * scale * sqrt(1/64), averaged over n_networks."""
    rng = np.random.default_rng(2)
    z_squares, delta_squares = np.zeros(10), np.zeros(10)
    for seed in range(n_networks):
        net = deep_stack("relu", scale, seed)
        net.forward(rng.normal(size=(64, 64)), record=True)
        net.backward(rng.normal(size=(64, 64)))
        dense = [record for record in net.record if record.kind == "dense"]
        z_squares += [np.mean(r.output**2) for r in dense]
        delta_squares += [np.mean(r.upstream_grad**2) for r in dense]
    return z_squares / n_networks, delta_squares / n_networks


# %%
relu_runs = {"LeCun, s = 1": relu_mean_squares(1.0), "He, s = √2": relu_mean_squares(np.sqrt(2))}
for name, (z_squares, delta_squares) in relu_runs.items():
    forward = z_squares[1:] / z_squares[:-1]
    backward = delta_squares[:-1] / delta_squares[1:]
    print(f"{name}, layer".ljust(22) + "".join(f"{i:>7d}" for i in range(1, 11)))
    print("  mean z²".ljust(22) + "".join(f"{v:7.2g}" for v in z_squares))
    print("  / the layer before".ljust(29) + "".join(f"{v:7.2f}" for v in forward))
    print("  mean delta²".ljust(22) + "".join(f"{v:7.2g}" for v in delta_squares))
    print("  / the layer after".ljust(22) + "".join(f"{v:7.2f}" for v in backward))
    print(f"  per layer: forward {per_layer_factor(z_squares):.3f} (from {forward.min():.2f}"
          f" to {forward.max():.2f}), backward {1 / per_layer_factor(delta_squares):.3f}"
          f" (from {backward.min():.2f} to {backward.max():.2f})")

# %% [markdown]
# With LeCun's scale each ReLU layer halves the mean square, in both directions: the forward
# ratios lie between 0.48 and 0.52, 0.499 per layer on average, and after nine halvings the
# tenth layer's $z$ has a mean square of 0.0019 against 1 in the first. The deltas shrink the
# same way towards the input, by 0.499 per layer. With He's scale the ratios lie between 0.95 and 1.03 forward
# (0.997 on average) and the mean squares stay near 2 forward and near 0.5 backward: the
# signal and the gradient keep their size through all ten layers. That is why He's
# $\sqrt{2/n_{\text{in}}}$ is the usual choice for ReLU networks, and LeCun's or Glorot's scale
# for tanh (and, by convention, sigmoid) networks.

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# **Exercise 1 — predict the factor per layer.** A warm-up: it puts together two facts from
# above for a scale not yet tried. A stack of ReLU layers gets weights
# $\text{normal}(0, 1) \cdot s \sqrt{1/n_{\text{in}}}$ with $s = 1.5$. By what factor does one
# layer multiply the mean square of $z$ (mean $z^2$ of a layer divided by mean $z^2$ of the layer
# before)? Write your prediction into `predicted_factor`, a number or an expression, **before**
# you run the cells: the cell after the check measures the factor in 50 such stacks.
#
# <details><summary>Hint</summary>
#
# Two steps take $z$ of one layer to $z$ of the next: the ReLU, then the product with the
# weights. Section 4 says what each does to the mean square; what is $\operatorname{Var}[w]$
# for this scale?
#
# </details>

# %%
predicted_factor = None  # your prediction: mean z² of a layer / mean z² of the layer before
### BEGIN SOLUTION
predicted_factor = 1.5**2 / 2
### END SOLUTION

# %%
check_layer_factor(predicted_factor, 1.5)

# %% tags=["reveal"]
z_squares_15, delta_squares_15 = relu_mean_squares(1.5)
print(f"s = 1.5, your predicted_factor: {predicted_factor}")
print(f"s = 1.5, measured in 50 stacks: mean z² grows by {per_layer_factor(z_squares_15):.3f} "
      f"per layer")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# Each layer multiplies the mean square of $z$ by $n_{\text{in}}\,\mathrm{Var}[w] = s^2$ and
# the ReLU keeps half of it: $s^2/2 = 1.125$ for $s = 1.5$, which the 50 stacks measure as
# 1.122.
#
# </details>

# %% [markdown]
# **Exercise 2 — the gradient at the first layer.** In those stacks of ten ReLU layers with
# $s = 1.5$, a gradient arrives at the top and travels back to layer 1. Predict the ratio
# `predicted_ratio` = (mean $\delta^2$ in layer 1) / (mean $\delta^2$ in layer 10), where
# $\delta = \partial L/\partial z$ of a dense layer. The layers are square, $64 \to 64$. The cell
# after the check reads it from the same 50 stacks.
#
# <details><summary>Hint</summary>
#
# Follow $\delta$ back one layer: $\delta_{\text{prev}} = (\delta\, W^\top) \odot
# \operatorname{relu}'(z_{\text{prev}})$. Section 4 says what each of the two steps does to the
# mean square. Then count how many such steps lie between layer 10 and layer 1, and mind which
# layer is on top of the ratio.
#
# </details>

# %%
predicted_ratio = None  # your prediction: mean delta² in layer 1 / mean delta² in layer 10
### BEGIN SOLUTION
predicted_ratio = (1.5**2 / 2) ** 9
### END SOLUTION

# %%
check_gradient_scale(predicted_ratio, 1.5, 10)

# %% tags=["reveal"]
print("s = 1.5, mean delta² in each layer: "
      + " ".join(f"{v:.3g}" for v in delta_squares_15))
print(f"layer 1 / layer 10, your predicted_ratio: {predicted_ratio}")
print(f"layer 1 / layer 10, measured in 50 stacks: "
      f"{delta_squares_15[0] / delta_squares_15[-1]:.3f}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# From layer 10 back to layer 1 are nine steps, each multiplying the mean square of $\delta$ by
# $s^2/2$: the rule gives $(s^2/2)^9 = 1.125^9 = 2.887$, and the 50 stacks measure 2.843; the two
# agree up to the luck of 50 draws. A scale only a little above He's $\sqrt 2$ already makes the mean square of $\delta$ almost three times larger at
# the first of ten layers than at the last, and the ratio compounds with depth: the scale must
# be chosen, not guessed.
#
# </details>

# %% [markdown]
# **Exercise 3 — the scale for leaky ReLU.** **Leaky ReLU** keeps a little of the negative side:
# $a = z$ for $z > 0$ and $a = \alpha z$ for $z \le 0$, with a small slope $\alpha \ge 0$
# ($\alpha = 0$ is ReLU). Write `keeping_std(n_in, alpha)`: the standard deviation of the
# weights that keeps the mean square of $z$ steady from one leaky ReLU layer to the next
# (factor 1, as He's scale does for ReLU). The check tries your function at
# $n_{\text{in}} = 100$, $\alpha = 0.2$ and at other sizes and slopes.
#
# <details><summary>Hint</summary>
#
# Redo section 4's argument for the leaky ReLU: what is $a(z)^2 + a(-z)^2$? That gives the
# factor by which the activation multiplies the mean square; then choose
# $\operatorname{Var}[w]$ so that the two steps together give 1.
#
# </details>


# %%
def keeping_std(n_in, alpha):
    """The standard deviation of the weights that keeps the mean square of z steady through
    leaky ReLU layers with n_in inputs each and slope alpha for z <= 0."""
    ### BEGIN SOLUTION
    return np.sqrt(2 / ((1 + alpha**2) * n_in))
    ### END SOLUTION


# %%
check_keeping_scale(keeping_std, 100, 0.2)

# %% [markdown]
# ## Summary
#
# - Hidden units that start with equal incoming and outgoing weights get equal gradients and
#   stay equal: the network is no better than one with a single hidden unit. All-zero weights
#   in a tanh network get no gradient at all, apart from the output bias. Random initial
#   weights break the symmetry; biases may start at 0.
# - A layer multiplies the mean square of what it passes on by
#   $n_{\text{in}} \operatorname{Var}[w]$: $\operatorname{Var}[z] = n_{\text{in}}
#   \operatorname{Var}[w]\, E[a^2]$. LeCun's $\sqrt{1/n_{\text{in}}}$ keeps the size when the
#   activation is close to the identity near 0 (tanh); this course's `Dense` draws it.
# - A sweep of scales $s \sqrt{1/n_{\text{in}}}$ through ten tanh layers: at $s = 1$ every
#   layer's gradient has about the same size, $s = 2, 4, 8$ make the gradient explode towards
#   the input, and $s = 0.5$ makes it vanish in every layer at once, because $\partial
#   L/\partial W = a^\top \delta$ multiplies a shrinking signal by a shrinking delta.
# - ReLU halves the mean square ($E[\operatorname{relu}(z)^2] = \frac12 \operatorname{Var}[z]$),
#   so a scale $s$ gives the factor $s^2/2$ per layer: $\frac12$ for LeCun, 1 for He's
#   $\sqrt{2/n_{\text{in}}}$, in the forward pass and (for square layers) in the backward pass.
#
# [← 08 · Why backprop works at scale](08_why_backprop_works_at_scale.ipynb) | [Contents](00_start_here.ipynb)
