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
# # 07 · Training with gradient descent
# [← 06 · Gradient checking](06_gradient_checking.ipynb) | [Contents](00_start_here.ipynb) | [08 · Why backprop works at scale →](08_why_backprop_works_at_scale.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/07_training_with_gradient_descent.ipynb](../solutions/07_training_with_gradient_descent.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - write the training loop (forward, loss, backward, update, repeat) in a few lines, with
#   shuffled mini-batches;
# - explain the gradient-descent update $W \leftarrow W - \eta\, \partial L / \partial W$ and
#   why it has a **minus** sign;
# - train a small network on XOR and on two moons, and read its decision boundary;
# - tell an epoch (one pass over the training data) from a step (one update), and count the
#   steps in an epoch of mini-batches;
# - recognise a learning rate that is too small, about right, or too large from its loss curve;
# - say what a mini-batch is and why one might use it;
# - hold out validation data, read training and validation loss side by side, recognise
#   over-fitting, and say what the loss measures that accuracy does not.

# %% [markdown]
# ## Where we are
#
# The earlier lessons built every piece: the forward pass turns inputs into a prediction
# (lessons 01-02), the loss measures the average error of that prediction (a mean over the $n$
# samples, lesson 04), and
# backpropagation gives the gradient of the loss with respect to every weight and bias (03, 05),
# which we now trust because it passed the check of lesson 06. One piece is missing: *using*
# the gradient to make the network better. That is gradient descent, and repeating it is
# training.
#
# **Run this cell first.**

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from helpers.data import noisy_line, two_moons, xor
from helpers.exercises import check_training_loop, check_update_count
from helpers.gradcheck import TOLERANCE, format_relative_error, relative_error
from helpers.losses import get_loss
from helpers.network import build_network
from helpers.plots import FONT_SIZE, OKABE_ITO, plot_decision_boundary, plot_loss_curve
from helpers.training import SGD, train, train_step
from helpers.widgets import TrainingExplorerState

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## One step downhill
#
# Picture the loss as a landscape over the space of all weights: every setting of the
# weights is a point, and the loss is the height there. The gradient
# $\nabla_W L$ is the direction in which the height *increases* fastest: it points uphill.
# We want to go down, so we step the other way, by a small amount $\eta$ (the
# **learning rate**):
#
# $$W \leftarrow W - \eta\, \frac{\partial L}{\partial W}, \qquad
#   \mathbf{b} \leftarrow \mathbf{b} - \eta\, \frac{\partial L}{\partial \mathbf{b}}.$$
#
# Why does this lower the loss? To first order (Taylor again), moving the weights by a small
# $\Delta W$ changes the loss by the dot product of gradient and step:
# $L(W + \Delta W) \approx L(W) + \nabla L \cdot \Delta W$. With $\Delta W = -\eta \nabla L$:
#
# $$L(W - \eta \nabla L) \approx L(W) - \eta\, \|\nabla L\|^2 \;<\; L(W).$$
#
# The squared length $\|\nabla L\|^2$ is positive unless the gradient is zero, so while the
# gradient is not zero a small enough step goes down. sympy expands the loss after one step for a general
# one-parameter loss $L(w)$:

# %%
w, eta = sp.symbols("w eta")
L = sp.Function("L")
after_step = L(w - eta * sp.diff(L(w), w))
print(sp.series(after_step, eta, 0, 2).doit())

# %% [markdown]
# The first-order term is $-\eta\, L'(w)^2$, as promised. A plus sign would make it
# $+\eta\, L'(w)^2$: gradient *ascent*, the loss going up (for a small enough step).
#
# Where the gradient is zero the step is zero and gradient descent stops. That point need not be
# the bottom: a zero gradient also happens at a **maximum**, at a **saddle** (downhill in some
# directions, uphill in others) and on a flat stretch. On the saddle
# $L(w_1, w_2) = w_1^2 - w_2^2$ the gradient at $(0, 0)$ is zero, yet a step along $w_2$ goes
# down and one along $w_1$ goes up:

# %%
w1, w2 = sp.symbols("w1 w2")
saddle = w1**2 - w2**2
gradient = [sp.diff(saddle, v) for v in (w1, w2)]
print(f"gradient {gradient} = {[g.subs({w1: 0, w2: 0}) for g in gradient]} at (0, 0)")
for point in [(0, 0), (0, sp.Rational(1, 10)), (sp.Rational(1, 10), 0)]:
    print(f"L{point} = {saddle.subs({w1: point[0], w2: point[1]})}")

# %% [markdown]
# So a zero gradient says only that the loss does not change to first order, and gradient
# descent started exactly on such a point stays there, whatever kind of point it is.
#
# Back to a point where the gradient is not zero, now on a real network: one update with a small
# $\eta$ lowers the loss by $\eta \|\nabla L\|^2$ (summed over all weights and biases) up to a
# second-order term, which shrinks like $\eta^2$. The first-order decrease shrinks like $\eta$,
# so relative to it the second-order term shrinks like $\eta$: a step ten times smaller should
# make the relative difference between actual and predicted decrease ten times smaller. The cell
# takes one step from the same weights with $\eta = 10^{-3}$ and with $\eta = 10^{-4}$.

# %%
X_xor, y_xor = xor()
bce = get_loss("binary_cross_entropy")


def one_step(small_lr):
    """One update of size small_lr from the same initial weights: (loss before, loss after,
    the squared length of the gradient)."""
    net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
    prediction = net.forward(X_xor)
    net.backward(bce.gradient(prediction, y_xor))
    squared_norm = sum(float(np.sum(p.grad**2)) for p in net.parameters())
    for p in net.parameters():
        p.value[...] -= small_lr * p.grad  # [...]: update the live array in place
    return bce.value(prediction, y_xor), bce.value(net.forward(X_xor), y_xor), squared_norm


relative_gaps = []
for small_lr in [1e-3, 1e-4]:
    before, after, squared_norm = one_step(small_lr)
    decrease, predicted = before - after, small_lr * squared_norm
    relative_gaps.append(decrease / predicted - 1)
    print(f"eta = {small_lr:.0e}: loss before {before:.8f}, after one step {after:.8f}")
    print(f"    actual decrease {decrease:.3e}, predicted eta*|grad|^2 {predicted:.3e}, "
          f"relative difference {relative_gaps[-1]:.1e}")
print(f"relative difference at 1e-3 / at 1e-4: {relative_gaps[0] / relative_gaps[1]:.1f}")

# %% [markdown]
# With $\eta = 10^{-3}$ the actual decrease and $\eta \|\nabla L\|^2$ agree to the four digits
# printed; their relative difference, $-3.4 \times 10^{-5}$, is the share of the second-order
# term (and of the still smaller higher-order ones). With $\eta = 10^{-4}$ it is
# $-3.4 \times 10^{-6}$, ten times smaller (the ratio printed is 10.0), as the $\eta^2$ of the
# second-order term predicts. (Further digits of such small differences of losses depend on
# rounding, which varies between computers, so the cell prints two.)
#
# ## The training loop
#
# Training repeats that update. Two words count the repetitions, and they are not the same:
#
# - a **step** (also called an **iteration**) is one update of the weights;
# - an **epoch** is one pass over the whole training set.
#
# One step is:
#
# 1. **forward**: feed the inputs in, layer by layer, and collect the predictions;
# 2. **loss**: condense how far they are from the targets into one number;
# 3. **backward**: backpropagate to get the gradient for every weight and bias;
# 4. **update**: move every weight and bias against its gradient.
#
# Until the section on mini-batches, every step uses the whole training set (**full-batch**
# gradient descent), so one epoch is exactly one step and the two words count the same thing.
# With mini-batches of $B$ rows out of $n$, an epoch has $\lceil n / B \rceil$ steps; texts that
# use "epoch" and "iteration" as synonyms are describing the full-batch case.
#
# We repeat until the loss is small. Here it is, on XOR: four points, the label is 1 when
# exactly one input is 1. No straight line separates the classes, so the network needs its
# hidden layer (2 inputs, 4 tanh neurons, 1 sigmoid output, binary cross-entropy).

# %%
net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
lr, history = 0.5, []
for _epoch in range(1000):  # full batch: one step per epoch
    prediction = net.forward(X_xor)  # 1. forward
    history.append(bce.value(prediction, y_xor))  # 2. loss
    net.backward(bce.gradient(prediction, y_xor))  # 3. backward
    for p in net.parameters():  # 4. update
        p.value[...] -= lr * p.grad
for epoch in [1, 10, 100, 500, 1000]:  # history[epoch - 1]: measured before that epoch's update
    print(f"epoch {epoch:4d}   loss {history[epoch - 1]:.4f}")
print(f"after the last update: loss {bce.value(net.forward(X_xor), y_xor):.4f}")
coin_toss = bce.value(np.full((4, 1), 0.5), y_xor)  # predicting 0.5 for every point
print(f"a coin toss (0.5 for every point) costs {coin_toss:.4f} = ln 2 = {np.log(2):.4f}")
print("predictions:", net.forward(X_xor).ravel(), " targets:", y_xor)

# %% [markdown]
# The loop body has one line for each of the four parts of a step (the update takes two: a loop
# over the parameters). The loss starts at 0.6867, close to the 0.6931 of a coin toss, and falls
# to 0.0053; the predictions are close to the targets 0, 1, 1, 0. The loss of epoch $k$ is
# measured on the weights at the start of that epoch, before its update, so the first entry is
# the loss of the untrained network and the loss after the last update takes one more forward
# pass.
#
# `helpers.training` packs the same loop: `SGD(lr).step(network)` is the update line, and
# `train(network, X, y, loss=..., lr=..., epochs=...)` runs all epochs and returns the loss of
# each one, measured the same way (before that epoch's update). Started from the same initial
# weights it gives the same history, number for number:

# %%
net_again = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
history_again = train(net_again, X_xor, y_xor, loss="binary_cross_entropy", lr=0.5, epochs=1000)
print("identical losses to the hand-written loop:", np.array_equal(history, history_again))

# %% alt="Loss per epoch of the XOR network over 1000 epochs: the binary cross-entropy starts near 0.69, drops steeply between about epoch 50 and 150, then flattens out to 0.0053 at epoch 1000."
plot_loss_curve(history_again, title="XOR: loss per epoch")

# %% [markdown]
# ## A harder shape: two moons
#
# Two interleaving half circles, 200 points. A network with 16 tanh neurons learns a curved
# boundary between them. After training we shade the plane by the network's prediction: in the
# colour of class 1 where it gives class 1 a probability above one half, in the colour of
# class 0 where below; the black line is where the probability is exactly one half.

# %%
X_moons, y_moons = two_moons(200, noise=0.1, seed=0)
moons_net = build_network([2, 16, 1], hidden="tanh", output="sigmoid", rng=0)
moons_history = train(moons_net, X_moons, y_moons, loss="binary_cross_entropy", lr=1.0,
                      epochs=2000)
accuracy = np.mean((moons_net.forward(X_moons).ravel() > 0.5) == y_moons)
print(f"loss: epoch 1 {moons_history[0]:.4f}, epoch 2000 {moons_history[-1]:.4f}")
print(f"training accuracy: {accuracy:.1%}")

# %% alt="The 200 two-moons points, class 0 as blue circles in the upper moon and class 1 as orange squares in the lower moon, on the plane shaded by the trained network's prediction; its decision boundary, a black curve, winds between the two moons and leaves every point on its class's side."
plot_decision_boundary(moons_net, X_moons, y_moons, title="Two moons after training")

# %% [markdown]
# ## The learning rate: too small, right, too large
#
# The learning rate $\eta$ is a number we choose by hand, like the number of epochs and the size
# of the network. Too small, and each step is safe but tiny: training crawls. Too large, and a
# step overshoots the valley floor so far that it lands higher on the other side; if the
# overshoot grows from step to step, the loss **diverges**.
#
# A one-neuron network with no activation (identity) is linear regression, where this can be
# worked out exactly. Write $\theta = (w, b)$ for its two parameters, $\theta^*$ for the best
# line (least squares), $L^*$ for its loss and $\mathbf{e} = \theta - \theta^*$ for the error.
# With the course's mean squared error $L = \frac{1}{2n} \sum_i (\hat y_i - y_i)^2$ the loss is
# a bowl, exactly:
#
# $$L(\theta) = L^* + \tfrac{1}{2}\, \mathbf{e}^\top H\, \mathbf{e}, \qquad
#   H = \tfrac{1}{n} [X\ 1]^\top [X\ 1],$$
#
# where $H$, the Hessian, holds the curvatures. The gradient is $H \mathbf{e}$, so one step
# turns $\mathbf{e}$ into $(I - \eta H)\, \mathbf{e}$: along an eigenvector of $H$ with
# eigenvalue (curvature) $\lambda$ the error is multiplied by $1 - \eta \lambda$. Every part
# of the error shrinks when $|1 - \eta\lambda| < 1$ for every $\lambda$, that is (the
# curvatures being positive) when $\eta < 2 / \lambda_{\max}$; when $\eta > 2 / \lambda_{\max}$ the part along the steepest
# direction grows at every step (unless it starts at exactly zero). The limit depends on the
# $\frac{1}{2}$ in the loss: PyTorch's `nn.MSELoss` has no $\frac{1}{2}$, so its curvatures are
# twice these, and with it the loss diverges already past $\eta = 1/\lambda_{\max}$.

# %%
X_line, y_line = noisy_line(50, seed=0)
X1 = np.hstack([X_line, np.ones((len(X_line), 1))])  # inputs with a column for the bias
hessian = X1.T @ X1 / len(X1)
curvatures = np.linalg.eigvalsh(hessian)
print(f"diagonal of H: {hessian[0, 0]:.4f} and {hessian[1, 1]:.4f}")
off_diagonal = format_relative_error(abs(hessian[0, 1]), bound=1e-15)  # rounding-sized
print(f"off-diagonal entry H[0, 1] = H[1, 0] (the mean input), in size: {off_diagonal}")
print(f"curvatures (eigenvalues of H): {curvatures[0]:.4f} and {curvatures[1]:.4f}")
print(f"divergence threshold 2/lambda_max = {2 / curvatures.max():.4f}")
best_fit, *_ = np.linalg.lstsq(X1, y_line, rcond=None)  # the best line, for comparison
best_loss = 0.5 * np.mean((X1 @ best_fit - y_line) ** 2)
print(f"best line: w* = {best_fit[0, 0]:.4f}, b* = {best_fit[1, 0]:.4f}, loss L* = {best_loss:.3e}")

# %% [markdown]
# The inputs lie symmetrically around 0, so their mean, the off-diagonal entry of $H$, is 0 up
# to rounding (in float64 it comes out as a number below $10^{-15}$ in size, not exactly 0):
# the two directions of the bowl are the slope $w$ (curvature 0.3469) and the bias $b$
# (curvature 1, the steepest). We train the same initial line with three learning rates for 30
# epochs (30 steps):

# %%
rates = {"too small": 0.01, "about right": 0.5, "too large": 2.2}
histories = {}
for label, rate in rates.items():
    line_net = build_network([1, 1], output="identity", rng=0)
    histories[label] = train(line_net, X_line, y_line, loss="mse", lr=rate, epochs=30)
print(f"loss in epoch 1 (the start, the same line for all three): {histories['too small'][0]:.4f}")
for label, rate in rates.items():
    ratio = histories[label][-1] / histories[label][0]
    print(f"lr = {rate:<4} ({label:<11}): loss in epoch 30 {histories[label][-1]:.4e}, "
          f"{ratio:.4g} times epoch 1")

# %% alt="Three panels of loss per epoch over 30 epochs on one log scale, with a dashed line at the best line's loss L*: with lr = 0.01 (too small) the loss barely falls, from 1.14 to 0.805; with lr = 0.5 (about right) it falls to the dashed line, 0.0036; with lr = 2.2 (too large) it climbs after the second epoch to about 1.9 × 10⁴."
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5), sharex=True, sharey=True)
for ax, (label, hist) in zip(axes, histories.items(), strict=True):
    plot_loss_curve(hist, log_scale=True, title=f"lr = {rates[label]}: {label}", ax=ax)
    ax.axhline(best_loss, color="black", ls="--", lw=1.5, label="best line $L^*$")
axes[0].set_ylim(best_loss / 3, 10 * max(max(hist) for hist in histories.values()))
axes[0].set_xlim(0, 31)  # room for the last point's marker
axes[0].legend(loc="upper left", fontsize=12)
fig.tight_layout()
plt.show()

# %% [markdown]
# The three panels share their loss axis (log scale); the dashed line is the loss of the best
# line, $L^* = 3.567 \times 10^{-3}$, what the noise in the data leaves.
#
# - **Too small** ($\eta = 0.01$): every step goes downhill, but slowly: from 1.1384 in epoch 1
#   the loss falls to 0.8050 in epoch 30, 0.7071 times its start, and stays far above $L^*$.
# - **About right** ($\eta = 0.5$): the loss falls from 1.1384 to $3.577 \times 10^{-3}$ in
#   epoch 30, next to $L^*$: the line is found.
# - **Too large** ($\eta = 2.2 > 2/\lambda_{\max} = 2$): in epoch 30 the loss is
#   $1.906 \times 10^4$. It does not rise from the first step, though: on the plot the loss
#   first dips. The cell below follows the two parts of the error step by step.

# %%
big_net = build_network([1, 1], output="identity", rng=0)
errors = [np.array([big_net.layers[0].W[0, 0], big_net.layers[0].b[0]]) - best_fit[:, 0]]


def record_error(epoch, loss):  # train calls it after every epoch (here: every step)
    errors.append(np.array([big_net.layers[0].W[0, 0], big_net.layers[0].b[0]]) - best_fit[:, 0])


big_history = train(big_net, X_line, y_line, loss="mse", lr=2.2, epochs=30, callback=record_error)
errors = np.array(errors)  # row k: (w - w*, b - b*) after k steps
parts = 0.5 * np.diag(hessian) * errors**2  # H is diagonal: a slope part and a bias part
print("steps done   loss  =  L*   + slope part + bias part   error factor: slope    bias")
for k in range(5):  # big_history[k]: the loss of epoch k + 1, on the weights after k steps
    factors = " ".join(f"{f:6.3f}" for f in errors[k] / errors[k - 1]) if k else "     -      -"
    print(f"{k:10d} {big_history[k]:7.4f}  {best_loss:.4f}   {parts[k, 0]:7.4f}    {parts[k, 1]:7.4f}"
          f"                 {factors}")
print(f"1 - lr * curvature: slope {1 - 2.2 * hessian[0, 0]:.3f}, bias {1 - 2.2 * hessian[1, 1]:.3f}")
print("the bowl formula matches every recorded loss:",
      relative_error(best_loss + parts[:-1].sum(axis=1), big_history) < TOLERANCE)
print("the loss rises at every step after the first:", bool(np.all(np.diff(big_history[1:]) > 0)))
print(f"growth of the loss from epoch 29 to epoch 30: {big_history[-1] / big_history[-2]:.4f}")

# %% [markdown]
# At the start the slope part of the loss (0.6477) is larger than the bias part (0.4872). The
# slope direction is gentle: there $1 - \eta\lambda = 0.237$, so the first step shrinks the
# slope error to 0.237 times its size and its part of the loss from 0.6477 to 0.0363. The bias
# direction is the steepest: there $1 - \eta\lambda_{\max} = -1.2$, so each step throws the
# bias across the valley to the other side, 1.2 times as far from $b^*$ as before, and its part
# of the loss grows by $1.2^2 = 1.44$, from 0.4872 to 0.7015. In total the first step lowers the
# loss, from 1.1384 to 0.7414. From the second step on the growing bias part outweighs
# everything else and the loss rises at every step; the factor per step tends to 1.44 (from
# epoch 29 to epoch 30: 1.4400).
#
# Real networks are not bowls. Near a minimum, though, the loss is close to its second-order
# Taylor expansion, a bowl whose $H$ is the Hessian at that minimum, so about the same limit
# $2/\lambda_{\max}$ holds there; away from minima there is no such formula. In practice one
# tries a few values spread over a wide range, each a few times the one before, and watches the
# loss curves, as the experiment at the end of this lesson does for XOR (0.1, 0.5, 2, 5 and 10:
# each two to five times the one before).
#
# ## Mini-batches
#
# So far every step used the whole data set (full batch), one step per epoch. With a million
# examples each of those steps is slow. A **mini-batch** step uses only a small slice of the
# data, say $B = 16$ rows: its gradient is a noisy estimate of the full one, but it is cheap.
# `train(..., batch_size=B)` with $B < n$ shuffles the rows at the start of every epoch and
# cuts them into consecutive batches, so each batch is a random sample and every row is used
# exactly once per epoch; when $B$ does not divide $n$ the last batch is smaller. This is **stochastic gradient
# descent** (some texts keep that name for $B = 1$ and call this mini-batch gradient descent).
# For the 200 points of the two moons:

# %%
n_rows, batch = len(X_moons), 16
sizes = [min(batch, n_rows - start) for start in range(0, n_rows, batch)]
print(f"{n_rows} rows in batches of {batch}: ceil({n_rows} / {batch}) = {len(sizes)} steps per epoch")
print("rows in each batch of one epoch:", sizes)

# %% [markdown]
# So an epoch of mini-batches of 16 is 13 steps: twelve batches of 16 rows and a last one of 8.
# PyTorch's `DataLoader` counts the same way; with `drop_last=True` it would skip the short
# batch and make 12 steps. We train the two-moons network from above (the same initial weights)
# both ways for 100 epochs, with $\eta = 0.5$, and then measure the loss on all 200 points:

# %%
histories_batch = {}
for batch_size in [None, 16]:
    batch_net = build_network([2, 16, 1], hidden="tanh", output="sigmoid", rng=0)
    histories_batch[batch_size] = train(batch_net, X_moons, y_moons, loss="binary_cross_entropy",
                                        lr=0.5, epochs=100, batch_size=batch_size, rng=0)
    steps = 100 * (1 if batch_size is None else len(sizes))
    recorded = histories_batch[batch_size]
    label = "full batch" if batch_size is None else f"batch size {batch_size}"
    print(f"{label}: {steps} steps; recorded loss of epoch 1 {recorded[0]:.4f}, of epoch 100 "
          f"{recorded[-1]:.4f};\n    after the 100 epochs, on all 200 points: "
          f"{bce.value(batch_net.forward(X_moons), y_moons):.4f}")

# %% alt="Two panels of loss per epoch over 100 epochs on the same loss axis: with the full batch (1 step per epoch) the loss falls from 0.67 and levels off at 0.2509; with batches of 16 (13 steps per epoch) it falls further, with small wiggles, to 0.0143."
fig, axes = plt.subplots(1, 2, figsize=(12, 4), sharey=True)
plot_loss_curve(histories_batch[None], title="full batch: 1 step per epoch", ax=axes[0])
plot_loss_curve(histories_batch[16], title=f"batch size 16: {len(sizes)} steps per epoch",
                ax=axes[1])
axes[0].set_ylim(0, 1.1 * max(histories_batch[None] + histories_batch[16]))  # one range for both
for ax in axes:
    ax.set_xlim(0, 103)  # room for the last point's marker
fig.tight_layout()
plt.show()

# %% [markdown]
# After the same 100 epochs, in which every row went forward and backward 100 times in both
# runs (about the same arithmetic), the mini-batch run is at a loss of 0.0134 on all 200 points
# and the full-batch run at 0.2504: here 1300 cheap, noisy steps beat 100 exact ones. The curves
# show what `train` records (ending at 0.2509 and 0.0143 in epoch 100). For the mini-batch run an
# epoch's loss is the mean of its 13 batch losses, each weighted by its number of rows (so the
# last batch of 8 counts half as much as one of 16) and each measured just before that batch's
# step, while the weights change during the epoch. That is why its first point (0.4134) is already
# below the loss of the untrained network (0.6704, the first point of the full-batch run), and
# the noise of the batches shows as small wiggles. On large data sets mini-batches are the norm;
# the full batch is what we use on toy problems, where it gives the cleanest curves.

# %% [markdown]
# ## Explore: the training explorer
#
# The explorer below trains a network with one hidden layer on a toy data set and shows the
# loss curve next to the decision boundary. Its buttons are **▶ train**, **pause**, **+1 epoch**
# and **reset**; a status line says what to press next. A run plays as a sequence of pictures,
# a few epochs apart, slowly enough to follow. Things to try (predict first, then look):
#
# 1. Press **▶ train** on the circles and watch the boundary as the loss falls; **pause** stops
#    the run and **▶ train** goes on. The cell after the explorer prints where this run ends.
# 2. While paused, press **+1 epoch** a few times: each press is one step of gradient descent
#    on the whole data set, and the epoch count goes up by exactly one.
# 3. Any new setting shows the untrained network at once. Set the **learning rate** to 0.001,
#    then to 10, and train each time: which one is too small, which too large, and how does
#    each show it in the loss curve?
# 4. Set **hidden** to 1 or 2: can so few neurons draw a ring? Then try 16.
# 5. Switch the **activation** to sigmoid and compare the speed with tanh; try **spirals**,
#    the hardest set, with more neurons and more epochs.

# %% tags=["nbval-ignore-output"]
from helpers.widgets import TrainingExplorer

TrainingExplorer(dataset="circles", hidden=8, activation="tanh", lr=0.5, epochs=300)

# %% [markdown]
# The explorer keeps its model apart from the buttons, in a `TrainingExplorerState`. Pressing
# **train** with the settings above does this (on a separate copy, so the widget above stays
# as it is):

# %%
state = TrainingExplorerState(dataset="circles", hidden=8, activation="tanh", lr=0.5,
                              epochs=300)
state.train()
print(state.current_text)

# %% [markdown]
# ## Repeat until the loss is small
#
# "Repeat" needs a stopping rule. The simplest: keep going until the loss is below a target,
# with a cap on the number of epochs in case it never gets there. `train_step` does one
# forward, loss, backward and update, and returns the loss before the update.

# %%
net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
optimizer = SGD(lr=0.5)
target, epoch, loss_value = 0.05, 0, float("inf")
while loss_value > target and epoch < 5000:
    loss_value = train_step(net, X_xor, y_xor, bce, optimizer)
    epoch += 1
print(f"epoch {epoch}: loss {loss_value:.4f} <= {target} (measured before the step), so the loop "
      f"stops after {epoch} epochs")

# %% [markdown]
# ## Generalisation: data the network has not seen
#
# "Small" so far meant small on the points the network trains on. What we want is a network
# that also does well on new points from the same source; how well it does there is its
# **generalisation**. The steps of gradient descent lower the loss on the training data, and
# that is all they are built to do: whether the network gets better on new data has to be
# measured, and training can make it worse. The measurement: set part of the data aside as a
# **validation set**, never train on it, and compute the loss on it as training goes.
#
# An example made to go wrong: 60 noisy two-moons points (noise 0.3), half of them held out by a
# seeded shuffle, and a wide network (32 tanh neurons) for the 30 that are left.

# %%
X_few, y_few = two_moons(60, noise=0.3, seed=6)
order = np.random.default_rng(0).permutation(len(X_few))  # a seeded shuffle of the rows
val_rows, train_rows = order[:30], order[30:]
X_tr, y_tr, X_val, y_val = X_few[train_rows], y_few[train_rows], X_few[val_rows], y_few[val_rows]
wide_net = build_network([2, 32, 1], hidden="tanh", output="sigmoid", rng=0)
n_parameters = sum(p.value.size for p in wide_net.parameters())
print(f"{len(X_tr)} training points, {len(X_val)} validation points, {n_parameters} parameters")

# %% [markdown]
# The loop is the one from the top of the lesson, with `train_step` for the step. Before each
# step it measures loss and accuracy (the fraction of points on the right side of probability
# one half) on both sets, with the same weights:

# %%
def loss_and_accuracy(network, X, y):
    """Binary cross-entropy and the fraction of points classified right (threshold 0.5)."""
    probability = network.forward(X)
    return bce.value(probability, y), np.mean((probability[:, 0] > 0.5) == y)


optimizer, measured = SGD(lr=1.0), []
for _epoch in range(1000):
    measured.append(loss_and_accuracy(wide_net, X_tr, y_tr) + loss_and_accuracy(wide_net, X_val, y_val))
    train_step(wide_net, X_tr, y_tr, bce, optimizer)
train_loss, train_accuracy, val_loss, val_accuracy = np.array(measured).T  # one entry per epoch
best = int(np.argmin(val_loss))  # epoch best + 1 has the lowest validation loss
most_accurate = int(np.argmax(val_accuracy))  # the first epoch with the most right answers
print("epoch   training: loss  right (of 30)   validation: loss  right (of 30)")
for k in [0, 4, best, most_accurate, 999]:
    print(f"{k + 1:5d}             {train_loss[k]:.4f}   {train_accuracy[k] * 30:4.0f}"
          f"                      {val_loss[k]:.4f}   {val_accuracy[k] * 30:4.0f}")

# %% alt="Training and validation loss (binary cross-entropy) over 1000 epochs: both drop sharply in the first few epochs; the training loss keeps falling, to 0.048, while the validation loss is lowest, 0.22, at epoch 78 (dotted line) and then climbs to 0.66: over-fitting."
fig, ax = plt.subplots(figsize=(9, 5))
epochs = np.arange(1, len(train_loss) + 1)
ax.plot(epochs, train_loss, color=OKABE_ITO["blue"], lw=3, label="training loss (30 points)")
ax.plot(epochs, val_loss, color=OKABE_ITO["vermillion"], lw=3, ls="--",
        label="validation loss (30 other points)")
ax.axvline(best + 1, color="black", ls=":", lw=2)
ax.annotate(f"lowest validation loss:\nepoch {best + 1}", (best + 1, val_loss[best]),
            xytext=(40, 60), textcoords="offset points", fontsize=FONT_SIZE,
            arrowprops={"arrowstyle": "->"})
ax.set_xlabel("epoch", fontsize=FONT_SIZE)
ax.set_ylabel("binary cross-entropy", fontsize=FONT_SIZE)
ax.set_ylim(0, 1.05 * max(train_loss.max(), val_loss.max()))
ax.tick_params(labelsize=FONT_SIZE)
ax.legend(fontsize=FONT_SIZE)
ax.grid(alpha=0.3)
plt.show()

# %% [markdown]
# The training loss falls all the way, from 0.8852 in epoch 1 to 0.0478 in epoch 1000, and the
# network ends up classifying all 30 training points right. The validation loss falls only until
# epoch 78 (0.2232; the training loss is 0.2852 there), stays close to that for a while and then
# climbs, to 0.6575 in epoch 1000, while the right answers on the validation points, 28 of 30
# in epoch 78, rise to 29 in epoch 125 and then drop to 25 in epoch 1000. That is **over-fitting**: the network goes on lowering its training loss by
# fitting the noise of its 30 points, things that are true of these points and not of the data
# source, and so gets worse on new points. Here is what that looks like on the plane, with the
# training points. The loss of epoch 78 is measured before that epoch's step, on the weights
# after 77 steps, so the left network is a fresh copy trained for 77 epochs only:

# %%
early_net = build_network([2, 32, 1], hidden="tanh", output="sigmoid", rng=0)
train(early_net, X_tr, y_tr, loss="binary_cross_entropy", lr=1.0, epochs=best)
early_val_loss = loss_and_accuracy(early_net, X_val, y_val)[0]
print(f"fresh copy after {best} epochs: validation loss {early_val_loss:.4f}, "
      f"training points right {loss_and_accuracy(early_net, X_tr, y_tr)[1] * 30:.0f} of 30")

# %% alt="Two panels of the 30 training points and the decision boundary: the network stopped after 77 epochs draws a smooth wave that leaves three orange squares and one blue circle on the wrong side; after 1000 epochs the boundary has grown a narrow finger around a class-1 square among the class-0 circles, and every point is on its side."
fig, axes = plt.subplots(1, 2, figsize=(14, 6), sharex=True, sharey=True)
plot_decision_boundary(early_net, X_tr, y_tr, title=f"stopped after {best} epochs", ax=axes[0])
plot_decision_boundary(wide_net, X_tr, y_tr, title="after 1000 epochs", ax=axes[1])
fig.tight_layout()
plt.show()

# %% [markdown]
# After 1000 epochs the boundary has grown a narrow finger to take in a class-1 training point
# that lies among the class-0 points; the network stopped early draws a smooth boundary and
# leaves that point and three others on the wrong side (26 of 30 right, as in the table). Stopping at the validation minimum, as here, is called
# **early stopping**. Because the validation set chose the epoch, its loss at that epoch tends
# to be a little optimistic; an honest final number comes from a third set, the **test set**,
# used once at the very end.
#
# ### What the loss measures, and what accuracy measures
#
# Accuracy counts the points on the right side of one half. The loss also weighs *how sure*
# the network is: a point whose true class gets probability $p$ costs $-\ln p$ (the binary
# cross-entropy is the mean of these costs), small when $p$ is near 1, $\ln 2 = 0.6931$ at
# $p = 0.5$ and large when the network is sure of the wrong class. The table above shows the two
# disagreeing:
#
# - In epochs 5 and 78 the network gets 28 of the 30 validation points right, yet the
#   validation loss is 0.2748 in epoch 5 and 0.2232 in epoch 78: the same accuracy, different
#   losses.
# - In epoch 125 it gets 29 right, its best, but its validation loss, 0.2275, is higher than in
#   epoch 78: more accurate, and a higher loss.
#
# The cell below looks at the validation points one by one in epochs 78 and 125.

# %%
def probability_of_true_class(network, X, y):
    """For every point, the probability the network gives its true class."""
    probability = network.forward(X)[:, 0]
    return np.where(y == 1, probability, 1 - probability)


accurate_net = build_network([2, 32, 1], hidden="tanh", output="sigmoid", rng=0)
train(accurate_net, X_tr, y_tr, loss="binary_cross_entropy", lr=1.0, epochs=most_accurate)
p_78 = probability_of_true_class(early_net, X_val, y_val)  # weights of epoch 78
p_125 = probability_of_true_class(accurate_net, X_val, y_val)  # weights of epoch 125
cost_78, cost_125 = -np.log(p_78), -np.log(p_125)  # each point's cost; the loss is their mean
groups = {"right in both": (p_78 > 0.5) & (p_125 > 0.5), "turns right": (p_78 < 0.5) & (p_125 > 0.5),
          "wrong in both": (p_78 < 0.5) & (p_125 < 0.5), "turns wrong": (p_78 > 0.5) & (p_125 < 0.5)}
print(f"{'':<13}  points   total cost: epoch {best + 1} -> {most_accurate + 1}   p(true class)")
for name, group in groups.items():
    p_text = f"{p_78[group][0]:.4f} -> {p_125[group][0]:.4f}" if group.sum() == 1 else ""
    print(f"{name:<13}  {group.sum():6d}   {cost_78[group].sum():17.4f} -> {cost_125[group].sum():.4f}"
          f"   {p_text}".rstrip())
print(f"validation loss (total / 30): {cost_78.mean():.4f} -> {cost_125.mean():.4f}")

# %% [markdown]
# The point that turns right only just crosses one half (its probability goes from 0.3951 to
# 0.5009), so its cost falls from 0.9287 to 0.6914. Meanwhile the network grows surer of the
# point it still gets wrong (0.2164 to 0.1703; cost 1.5308 to 1.7701), and the 28 points right
# in both epochs cost a little more together (4.2363 to 4.3641). The mean of all 30 costs goes
# up, from 0.2232 to 0.2275, while the count of right answers goes up by one.
#
# We train on the loss because it has a gradient; the count of right answers changes in jumps,
# so its gradient is zero almost everywhere and gradient descent could not use it. We report
# accuracy because it is what a user of the classifier meets. Watch both.

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
# Each exercise has a cell for your answer, then a cell that checks it; run both.
#
# **Exercise 1 — predict the batches.** The two moons have 200 rows. How many times does
# `train(network, X_moons, y_moons, loss="binary_cross_entropy", epochs=5, batch_size=70)`
# update the weights, and how many rows does the last batch of an epoch hold? Then the other
# way round: what is the smallest `batch_size` that makes an epoch of the 200 rows take exactly
# 3 steps? Write your predictions into `n_updates`, `last_rows` and `smallest_batch` (whole
# numbers) before you run the cell after the check, which counts them.
#
# <details><summary>Hint</summary>
#
# Count the batches of one epoch first: how many rows does each batch get, and what happens to
# the rows left over when 70 does not divide 200? Then count the epochs. For the smallest batch
# size: 3 batches of `batch_size` rows must hold all 200 rows, and no row may be left over for
# a fourth step.
#
# </details>

# %%
n_updates = None  # your answer: the number of updates in 5 epochs, a whole number
last_rows = None  # your answer: the rows in the last batch of an epoch, a whole number
smallest_batch = None  # your answer: the smallest batch_size for 3 steps per epoch
### BEGIN SOLUTION
n_updates = 5 * 3  # 200 = 2 * 70 + 60: two batches of 70 and one of 60 in every epoch
last_rows = 200 - 2 * 70
smallest_batch = 67  # 3 * 66 = 198 leaves 2 rows for a fourth step; 3 * 67 = 201 >= 200
### END SOLUTION

# %%
problem = {"n": len(X_moons), "batch_size": 70, "epochs": 5, "steps": 3}  # steps: per epoch
check_update_count(n_updates, last_rows=last_rows, smallest_batch=smallest_batch, **problem)

# %% [markdown]
# `train` accepts any object with a `step(network)` method as its `optimizer`. This one is
# `SGD` with a counter: it counts the updates and notes how many rows each batch had (the
# input of the first layer is the batch).

# %% tags=["reveal"]
class CountingSGD(SGD):
    """SGD that counts its updates and records the number of rows of each batch."""

    def __init__(self, lr):
        super().__init__(lr)
        self.batch_rows = []

    def step(self, network):
        self.batch_rows.append(len(network.layers[0].x))  # the batch the last forward saw
        super().step(network)


counting = CountingSGD(lr=0.5)
count_net = build_network([2, 16, 1], hidden="tanh", output="sigmoid", rng=0)
train(count_net, X_moons, y_moons, loss="binary_cross_entropy", optimizer=counting, epochs=5,
      batch_size=70)
print(f"updates in 5 epochs: {len(counting.batch_rows)}")
print("rows of each batch in epoch 1:", counting.batch_rows[:len(counting.batch_rows) // 5])
steps_per_epoch = {}
for size in range(60, 101):  # one epoch each, counted the same way
    counting = CountingSGD(lr=0.5)
    train(count_net, X_moons, y_moons, loss="binary_cross_entropy", optimizer=counting, epochs=1,
          batch_size=size)
    steps_per_epoch[size] = len(counting.batch_rows)
three = [size for size, steps in steps_per_epoch.items() if steps == 3]
print(f"3 steps per epoch for batch_size {three[0]} to {three[-1]}; "
      f"{steps_per_epoch[three[0] - 1]} steps for batch_size {three[0] - 1}")

# %% [markdown]
# **Exercise 2 — the training loop, with mini-batches.** Write
# `train_loop(network, X, y, loss, lr, epochs, batch_size, seed)`: mini-batch gradient descent
# from the four parts of a step, without `train` or `train_step`. `loss` is a loss object like
# `bce`, with `loss.value(prediction, y_batch)` and `loss.gradient(prediction, y_batch)`. These
# are the rules `train` follows, so the check can compare the two number for number:
#
# - **shuffle:** `rng = np.random.default_rng(seed)` once, before the first epoch; at the start
#   of every epoch `order = rng.permutation(n)`, a new order of the `n` rows (`train` skips it
#   when one batch holds all the rows, whose order then changes nothing);
# - **batches:** consecutive slices of `batch_size` entries of `order`, the last one smaller
#   when `batch_size` does not divide `n`; a batch's rows are `X[rows]` and `y[rows]`;
# - **one step per batch:** forward, the batch's loss (measured before the update), backward
#   from the loss's gradient, then `p.value[...] -= lr * p.grad` for every `p` in
#   `network.parameters()`;
# - **return** a list with one number per epoch: the mean of that epoch's batch losses, each
#   weighted by its number of rows (what `train` returns).
#
# The check runs your function on two small problems of its own, with a network that records
# which rows each batch holds, and compares every step, and the result, with `train`.
#
# <details><summary>Hint</summary>
#
# Two loops: epochs outside, batches inside. Where you create the generator decides whether
# each epoch gets a new order. `range` takes a step, and a slice that runs past the end of an
# array stops at the end. For the weighted mean, add up loss × rows over the epoch and divide
# once at the end.
#
# </details>

# %%
def train_loop(network, X, y, loss, lr, epochs, batch_size, seed):
    """Mini-batch gradient descent on (X, y); returns the loss of every epoch."""
    ### BEGIN SOLUTION
    n = len(X)
    rng = np.random.default_rng(seed)
    history = []
    for _epoch in range(epochs):
        order = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            prediction = network.forward(X[rows])  # 1. forward
            total += loss.value(prediction, y[rows]) * len(rows)  # 2. loss
            network.backward(loss.gradient(prediction, y[rows]))  # 3. backward
            for p in network.parameters():  # 4. update
                p.value[...] -= lr * p.grad
        history.append(total / n)
    return history
    ### END SOLUTION

# %%
check_training_loop(train_loop)

# %% [markdown]
# ### Experiment: choose a learning rate
#
# The XOR network from the start of the lesson (same initial weights) should reach a loss
# below 0.1 within 150 epochs of full-batch gradient descent. With `lr_choice = 0.1` it does
# not get there. Find a learning rate that works by changing the number and running the cell
# again. How large can you go before training becomes erratic?

# %%
lr_choice = 0.1  # try other values
target, n_epochs = 0.1, 150
trial_net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
trial = train(trial_net, X_xor, y_xor, loss="binary_cross_entropy", lr=lr_choice, epochs=n_epochs)
reached = "reached" if trial[-1] < target else "did not reach"
print(f"lr = {lr_choice}: loss {trial[-1]:.4f} after {n_epochs} epochs; {reached} {target}")

# %% [markdown]
# When you have tried a few values, compare with the next cell: it trains the same network with
# five learning rates and prints the loss of the last six epochs of each run.

# %% tags=["reveal"]
for rate in [0.1, 0.5, 2.0, 5.0, 10.0]:
    trial_net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
    trial = train(trial_net, X_xor, y_xor, loss="binary_cross_entropy", lr=rate, epochs=n_epochs)
    print(f"lr = {rate:<4}: loss in epochs 145 to 150:", " ".join(f"{v:.4f}" for v in trial[-6:]))

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# With $\eta = 0.1$ the loss in epoch 150 is 0.6558, hardly below where it started (0.6867,
# printed by the first training loop). Of the rates tried, 0.5 (only just: 0.0897), 2 and 5
# reach the target, and the larger rate gets lower here. At $\eta = 10$ the loss does not
# settle: it cycles through about 4.63, 1.50 and 3.21, all above the start. Too large.
#
# </details>

# %% [markdown]
# ## Summary
#
# - Training repeats a step of four parts: forward, loss, backward, update. A step (iteration)
#   is one update; an epoch is one pass over the training data. With the full batch they
#   coincide; with mini-batches of $B$ rows an epoch has $\lceil n/B \rceil$ steps. We repeat
#   until the loss is small enough (with a cap on the epochs).
# - Gradient descent updates every parameter by $W \leftarrow W - \eta\,\partial L/\partial W$;
#   the minus sign walks downhill, and to first order the loss drops by
#   $\eta \|\nabla L\|^2$. A zero gradient stops it, at a minimum, a maximum, a saddle or a
#   flat stretch alike.
# - A hidden layer with a non-linear activation lets the network learn XOR and curved
#   boundaries such as two moons.
# - The learning rate sets the pace and the stability: too small crawls; too large overshoots:
#   on a bowl, past $2/\lambda_{\max}$, it diverges (along the steepest direction, even when the
#   first step still goes down); on XOR at $\eta = 10$ the loss cycled without settling.
# - Mini-batches trade exact gradients for many cheap, noisy steps per epoch.
# - Training lowers the training loss; generalisation, how the network does on new data, has to
#   be measured on held-out validation data. When the training loss keeps falling while the
#   validation loss rises, the network over-fits; early stopping keeps the weights of the
#   validation minimum.
# - The loss also measures how sure the network is; accuracy only counts right answers. The
#   two can disagree, so watch both.
#
# [← 06 · Gradient checking](06_gradient_checking.ipynb) | [Contents](00_start_here.ipynb) | [08 · Why backprop works at scale →](08_why_backprop_works_at_scale.ipynb)
