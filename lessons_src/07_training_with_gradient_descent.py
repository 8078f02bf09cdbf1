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

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - write the training loop (forward, loss, backward, update, repeat) in a few lines;
# - explain the gradient-descent update $W \leftarrow W - \eta\, \partial L / \partial W$ and
#   why it has a **minus** sign;
# - train a small network on XOR and on two moons, and read its decision boundary;
# - recognise a learning rate that is too small, about right, or too large from its loss curve;
# - say what a mini-batch is and why one might use it.

# %% [markdown]
# ## Where we are
#
# The earlier lessons built every piece: the forward pass turns inputs into a prediction
# (lessons 01-02), the loss measures the total error of that prediction (04), and
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
from helpers.exercises import check_backward_pass, check_sgd_update
from helpers.layers import Dense
from helpers.losses import get_loss
from helpers.network import build_network
from helpers.plots import plot_decision_boundary, plot_loss_curve
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
# A squared length is never negative, so a small enough step always goes down (unless the
# gradient is zero: then we are at the bottom, or on a flat spot). sympy expands the loss after
# one step for a general one-parameter loss $L(w)$:

# %%
w, eta = sp.symbols("w eta")
L = sp.Function("L")
after_step = L(w - eta * sp.diff(L(w), w))
print(sp.series(after_step, eta, 0, 2).doit())

# %% [markdown]
# The first-order term is $-\eta\, L'(w)^2$, as promised. A plus sign would make it
# $+\eta\, L'(w)^2$: gradient *ascent*, the loss going up.
#
# The same on a real network: one update with a small $\eta$ lowers the loss by almost exactly
# $\eta \|\nabla L\|^2$ (summed over all weights and biases).

# %%
X_xor, y_xor = xor()
bce = get_loss("binary_cross_entropy")
net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)

prediction = net.forward(X_xor)
loss_before = bce.value(prediction, y_xor)
net.backward(bce.gradient(prediction, y_xor))
squared_norm = sum(float(np.sum(p.grad**2)) for p in net.parameters())
small_lr = 1e-3
for p in net.parameters():
    p.value[...] -= small_lr * p.grad  # [...]: update the live array in place
loss_after = bce.value(net.forward(X_xor), y_xor)
print(f"loss before            : {loss_before:.8f}")
print(f"loss after one step    : {loss_after:.8f}")
print(f"actual decrease        : {loss_before - loss_after:.3e}")
print(f"predicted eta*|grad|^2 : {small_lr * squared_norm:.3e}")

# %% [markdown]
# ## The training loop
#
# Training repeats that step. One pass over the training data is an **epoch**; in each one:
#
# 1. **forward**: feed every input in, layer by layer, and collect the predictions;
# 2. **loss**: condense how far they are from the targets into one number;
# 3. **backward**: backpropagate to get the gradient for every weight and bias;
# 4. **update**: take one gradient-descent step;
#
# and then repeat, until the total error is small. Here it is, on XOR: four points, the
# label is 1 when exactly one input is 1. No straight line separates the classes, so the
# network needs its hidden layer (2 inputs, 4 tanh neurons, 1 sigmoid output, binary
# cross-entropy).

# %%
net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
lr, history = 0.5, []
for _epoch in range(1000):
    prediction = net.forward(X_xor)  # 1. forward
    history.append(bce.value(prediction, y_xor))  # 2. loss
    net.backward(bce.gradient(prediction, y_xor))  # 3. backward
    for p in net.parameters():  # 4. update
        p.value[...] -= lr * p.grad
for epoch in [0, 10, 100, 500, 999]:
    print(f"epoch {epoch:4d}   loss {history[epoch]:.4f}")
print("predictions:", net.forward(X_xor).ravel(), " targets:", y_xor)

# %% [markdown]
# Four lines in the loop body, one per step. The loss falls from about 0.7 (a coin toss) to
# nearly 0, and the predictions are close to the targets 0, 1, 1, 0.
#
# `helpers.training` packs the same loop: `SGD(lr).step(network)` is the update line, and
# `train(network, X, y, loss=..., lr=..., epochs=...)` runs all epochs and returns the loss of
# each one. Started from the same initial weights it gives the same history:

# %%
net_again = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
history_again = train(net_again, X_xor, y_xor, loss="binary_cross_entropy", lr=0.5, epochs=1000)
print("same losses as the hand-written loop:", np.allclose(history, history_again))

# %%
plot_loss_curve(history_again, title="XOR: loss per epoch")

# %% [markdown]
# ## A harder shape: two moons
#
# Two interleaving half circles, 200 points. A network with 16 tanh neurons learns a curved
# boundary between them. After training we colour the plane by the network's prediction:
# where it says "class 1" with probability above one half, and where below.

# %%
X_moons, y_moons = two_moons(200, noise=0.1, seed=0)
moons_net = build_network([2, 16, 1], hidden="tanh", output="sigmoid", rng=0)
moons_history = train(moons_net, X_moons, y_moons, loss="binary_cross_entropy", lr=1.0,
                      epochs=2000)
accuracy = np.mean((moons_net.forward(X_moons).ravel() > 0.5) == y_moons)
print(f"loss: epoch 0 {moons_history[0]:.4f}, last epoch {moons_history[-1]:.4f}")
print(f"training accuracy: {accuracy:.1%}")

# %%
plot_decision_boundary(moons_net, X_moons, y_moons, title="Two moons after training")

# %% [markdown]
# ## The learning rate: too small, right, too large
#
# The learning rate $\eta$ is the one number we set by hand. Too small, and each step is
# safe but tiny: training crawls. Too large, and a step overshoots the valley floor and lands
# higher on the other side; the next step overshoots even more, and the loss **diverges**.
#
# A one-neuron network with no activation (identity) is linear regression, where this can be
# worked out exactly. Its loss is a bowl, and gradient descent on a bowl diverges precisely when
# $\eta > 2 / \lambda_{\max}$, where $\lambda_{\max}$ is the largest curvature (the largest
# eigenvalue of the Hessian, here $\frac{1}{n} [X\ 1]^\top [X\ 1]$).

# %%
X_line, y_line = noisy_line(50, seed=0)
X1 = np.hstack([X_line, np.ones((len(X_line), 1))])  # inputs with a column for the bias
curvature = np.linalg.eigvalsh(X1.T @ X1 / len(X1)).max()
print(f"largest curvature lambda_max = {curvature:.4f}")
print(f"divergence threshold 2/lambda_max = {2 / curvature:.4f}")
best_fit, *_ = np.linalg.lstsq(X1, y_line, rcond=None)  # the best line, for comparison
print(f"smallest possible loss (least squares) = {0.5 * np.mean((X1 @ best_fit - y_line) ** 2):.3e}")

# %%
rates = {"too small": 0.01, "about right": 0.5, "too large": 2.2}
histories = {}
for label, rate in rates.items():
    line_net = build_network([1, 1], output="identity", rng=0)
    histories[label] = train(line_net, X_line, y_line, loss="mse", lr=rate, epochs=30)
    print(f"lr = {rate:<5} ({label:<11}): final loss {histories[label][-1]:.3e}")
growth = histories["too large"][-1] / histories["too large"][-2]
print(f"too large: the loss grows by a factor {growth:.2f} per epoch")
print(f"error factor per step 1 - lr * lambda_max = {1 - rates['too large'] * curvature:.2f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
for ax, (label, hist) in zip(axes, histories.items(), strict=True):
    plot_loss_curve(hist, log_scale=True, title=f"lr = {rates[label]}: {label}", ax=ax)
fig.tight_layout()
plt.show()

# %% [markdown]
# - **Too small** ($\eta = 0.01$): every step goes downhill, but after 30 epochs the loss has
#   hardly moved (0.805).
# - **About right** ($\eta = 0.5$): the loss drops by orders of magnitude, to
#   $3.577 \times 10^{-3}$, next to the smallest loss any line can reach,
#   $3.567 \times 10^{-3}$ (what the noise in the data leaves): the line is found.
# - **Too large** ($\eta = 2.2 > 2/\lambda_{\max} = 2$): each step jumps across the valley to a
#   point higher than where it started. Along the steepest direction the error is multiplied by
#   $1 - \eta \lambda_{\max} = -1.2$ per step, so the loss (a square) grows by
#   $1.2^2 = 1.44$ per epoch: it has reached $1.906 \times 10^4$ after 30 epochs.
#
# Real networks are not bowls, but they behave the same way locally: there is a largest stable
# learning rate, and the fastest training happens somewhat below it. In practice one tries a
# few values a factor of 3 to 10 apart and watches the loss curves.
#
# ## Mini-batches
#
# So far every epoch used the whole data set for one update (full-batch gradient descent).
# With a million examples that is one slow step per epoch. A **mini-batch** step uses only a
# small random slice of the data, say 16 rows: its gradient is a noisy estimate of the full one,
# but it is cheap, so an epoch now takes many steps (200 / 16, about 13 here). The data is
# shuffled every epoch so that each batch is a fair sample. This is *stochastic* gradient
# descent.

# %%
histories_batch = {}
for batch_size in [None, 16]:
    batch_net = build_network([2, 16, 1], hidden="tanh", output="sigmoid", rng=0)
    histories_batch[batch_size] = train(batch_net, X_moons, y_moons, loss="binary_cross_entropy",
                                        lr=0.5, epochs=100, batch_size=batch_size, rng=0)
    label = "full batch" if batch_size is None else f"batch size {batch_size}"
    print(f"{label:<14} loss after 100 epochs: {histories_batch[batch_size][-1]:.4f}")
print("updates per epoch with batch size 16:", int(np.ceil(len(X_moons) / 16)))

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
plot_loss_curve(histories_batch[None], title="full batch: 1 update per epoch", ax=axes[0])
plot_loss_curve(histories_batch[16], title="batch size 16: 13 updates per epoch", ax=axes[1])
fig.tight_layout()
plt.show()

# %% [markdown]
# After the same 100 epochs, that is the same amount of arithmetic, the mini-batch run is at a
# loss of 0.0143 and the full-batch run still at 0.2509: 13 cheap, slightly noisy steps beat
# one exact step. The noise shows as small wiggles in the curve (each epoch's loss is the mean
# of its batches' losses). On large data sets mini-batches are the norm; the full batch is
# what we use on toy problems, where it gives the cleanest curves.
#
# ## Explore: the training explorer
#
# The explorer below trains a network with one hidden layer on a toy data set and shows the
# loss curve next to the decision boundary. Things to try:
#
# 1. Press **train** on the circles: watch the boundary close into a ring as the loss falls.
# 2. Drag the **learning rate** to 0.001 and train again: the loss hardly moves (too small).
#    Drag it to 10: the loss jumps around or the training stops with a message (too large).
# 3. Set **hidden** to 1 or 2: can so few neurons draw a ring? Then try 16.
# 4. Switch the **activation** to sigmoid and compare the speed with tanh; try **spirals**,
#    the hardest set, with more neurons and more epochs.
# 5. Press **one more epoch** a few times to see single steps of gradient descent.

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
# ## Repeat until the total error is small
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
print(f"loss {loss_value:.4f} <= {target} after {epoch} epochs")

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# ### Exercise 1: one gradient-descent step
#
# A layer has weights `W` and backprop gave their gradient `dW`. Compute the weights after one
# gradient-descent step with learning rate `lr`, as a new array `new_W`.

# %%
W = np.array([[0.5, -0.2], [0.1, 0.4]])
dW = np.array([[0.3, -0.1], [0.0, 0.2]])
lr = 0.1
new_W = None  # your answer: W after one step
### BEGIN SOLUTION
new_W = W - lr * dW
### END SOLUTION
check_sgd_update(new_W, W, dW, lr)

# %% [markdown]
# ### Exercise 2: the first three steps of the loop
#
# Write the body of one training step up to the update: run the network forward on `X`,
# start the backward pass from the gradient of the binary cross-entropy (`bce`, defined at the
# top of the lesson), and return the gradients as a list of `(dW, db)` pairs, one per `Dense`
# layer, first layer first. The check calls your function on copies of a fresh XOR network
# with the XOR inputs and with other inputs.

# %%
def loop_gradients(network, X, y):
    """Forward, loss gradient, backward; returns [(dW1, db1), (dW2, db2), ...]."""
    ### BEGIN SOLUTION
    prediction = network.forward(X)
    network.backward(bce.gradient(prediction, y))
    return [(layer.dW, layer.db) for layer in network.layers if isinstance(layer, Dense)]
    ### END SOLUTION


fresh_net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
check_backward_pass(loop_gradients, fresh_net, X_xor, y_xor, loss="binary_cross_entropy")

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
# <details><summary>One answer</summary>
#
# With $\eta = 0.1$ the loss is still 0.6558, hardly below where it started. Anything from
# about 0.5 to 5 reaches the target (0.5 only just); the cell below tries several. At
# $\eta = 10$ the loss jumps between large values from one epoch to the next: too large.
# </details>

# %%
for rate in [0.1, 0.5, 2.0, 5.0, 10.0]:
    trial_net = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=1)
    trial = train(trial_net, X_xor, y_xor, loss="binary_cross_entropy", lr=rate, epochs=n_epochs)
    print(f"lr = {rate:<4}: loss after {n_epochs} epochs {trial[-1]:.4f}")

# %% [markdown]
# ## Summary
#
# - Training repeats four steps: forward, loss, backward, update. One pass over the data is an
#   epoch; we repeat until the total error is small enough (with a cap on the epochs).
# - Gradient descent updates every parameter by $W \leftarrow W - \eta\,\partial L/\partial W$;
#   the minus sign walks downhill, and to first order the loss drops by
#   $\eta \|\nabla L\|^2$.
# - A hidden layer with a non-linear activation lets the network learn XOR and curved
#   boundaries such as two moons.
# - The learning rate decides everything: too small crawls, too large diverges (for a bowl, past
#   $2/\lambda_{\max}$).
# - Mini-batches trade exact gradients for many cheap, noisy steps per epoch.
#
# [← 06 · Gradient checking](06_gradient_checking.ipynb) | [Contents](00_start_here.ipynb) | [08 · Why backprop works at scale →](08_why_backprop_works_at_scale.ipynb)
