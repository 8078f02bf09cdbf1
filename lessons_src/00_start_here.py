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
# # 00 · Start here
# [Contents](00_start_here.ipynb) | [01 · Forward propagation →](01_forward_propagation.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/00_start_here.ipynb](../solutions/00_start_here.ipynb). Try each exercise before you compare.

# %% [markdown]
# Welcome! This short course explains how a neural network computes its output (**forward
# propagation**) and how it finds out which way to change each of its weights (**backward
# propagation**). Every lesson is a notebook you can run, change and check: the maths is
# written out, and every formula is confirmed by the code next to it.
#
# **What you need.** Some Python and numpy (arrays, `@` for a matrix product, `.T`, `.shape`),
# the idea of a derivative and of a partial derivative, and the basic rules for derivatives
# (sum, product, quotient, power, and the chain rule for one variable). Lesson 03 builds the
# chain rule for many variables from there; everything else is explained as it comes.
#
# ## Learning goals
#
# By the end of the course you can answer three questions, in words, in formulas and in code:
#
# 1. **What are forward and backward propagation?** Forward: the data flows from the input,
#    layer by layer, to an output. Backward: the error flows from the loss back to every weight
#    and bias, as a gradient.
# 2. **How do they work together?** They are two halves of one training step: forward to
#    predict, a loss to measure the error, backward to get the gradients, an update to improve
#    the weights, and again.
# 3. **What is the basic maths?** A weighted sum plus a bias, an activation function, a loss,
#    the chain rule of derivatives, and gradient descent.

# %% [markdown]
# ## The lessons
#
# Work through them in order; each one builds on the previous ones, and each also runs on its own.
#
# | Lesson | What it covers |
# |---|---|
# | [00 · Start here](00_start_here.ipynb) | This page: the plan, the training loop, how to run the notebooks. |
# | [01 · Forward propagation](01_forward_propagation.ipynb) | One neuron, a layer as a matrix product, a network as a chain of layers with no cycles. |
# | [02 · Activation functions](02_activation_functions.ipynb) | Sigmoid, tanh, ReLU and softmax, their derivatives, and why non-linearity matters. |
# | [03 · The chain rule on a computational graph](03_chain_rule_on_a_graph.ipynb) | A calculation as a graph of small operations; the chain rule turns $\partial L/\partial z$ into $\partial L/\partial x$ and $\partial L/\partial y$. |
# | [04 · Loss functions](04_loss_functions.ipynb) | One number for the error over all samples: mean squared error, binary and softmax cross-entropy, and their gradients. |
# | [05 · Backpropagation](05_backpropagation.ipynb) | The chain rule through a whole network: the gradient of the loss for every weight and bias, in matrix form. |
# | [06 · Gradient checking](06_gradient_checking.ipynb) | Confirming backpropagation's gradients with central differences and the relative error. |
# | [07 · Training with gradient descent](07_training_with_gradient_descent.ipynb) | The gradient-descent update and the training loop, epoch after epoch, on XOR and two moons; choosing the learning rate; training against validation loss and over-fitting. |
# | [08 · Why backprop works at scale](08_why_backprop_works_at_scale.ipynb) | Why a backward pass costs between one and two forward passes, whatever the number of weights; forward against reverse mode; why gradients can vanish. |
# | [09 · Initialisation and the health of gradients](09_initialisation_and_gradient_health.ipynb) | Why hidden units need different random starting weights, and how the weights' scale keeps gradients from vanishing or exploding: LeCun's and He's initialisation. |

# %% [markdown]
# ## The loop, drawn once
#
# Everything in the course hangs on one loop. Keep this picture in mind:
#
# - **Forward**: the inputs flow through the layers to a prediction.
# - **Loss**: one number says how wrong the prediction is.
# - **Backward**: the chain rule sends the loss's gradient back through the layers, giving
#   $\partial L / \partial w$ for every weight $w$ (and every bias).
# - **Update**: each weight takes a small step downhill, $w \leftarrow w - \eta\, \partial L / \partial w$,
#   where the learning rate $\eta$ sets the step size. Then the loop starts again.
#
# **Run this cell first**: it loads the course's package, `helpers`, which every lesson uses.

# %%
import numpy as np

from helpers.data import xor
from helpers.losses import mean_squared_error, mean_squared_error_gradient
from helpers.network import build_network
from helpers.plots import draw_training_loop, plot_loss_curve
from helpers.training import SGD, train

np.set_printoptions(precision=4, suppress=True)

# %% alt="Diagram of one training step as a loop of four boxes joined by arrows: forward (data flows input to output) leads to loss (one number: the total error), then backward (dL/dw for every weight and bias), then update (w ← w − lr·dL/dw), and back to forward, repeated for each epoch."
draw_training_loop()

# %% [markdown]
# ## A first taste
#
# Here is the whole loop once, on a tiny network (2 inputs, 3 hidden neurons, 1 output) and the
# four points of the XOR problem. Do not worry about the details yet; every line is a lesson
# of its own. Watch the loss go down after a single update.

# %%
X, y = xor()
net = build_network([2, 3, 1], hidden="tanh", output="sigmoid", rng=0)

prediction = net.forward(X)  # 1. forward (lesson 01)
loss_before = mean_squared_error(prediction, y)  # 2. loss (lesson 04)
net.backward(mean_squared_error_gradient(prediction, y))  # 3. backward (lessons 03, 05)
SGD(lr=1.0).step(net)  # 4. update (lesson 07)

loss_after = mean_squared_error(net.forward(X), y)
print(f"loss before the update: {loss_before:.4f}")
print(f"loss after the update:  {loss_after:.4f}")

# %% [markdown]
# One step improves the loss only a little. Training is this loop repeated: here are 1000 more
# rounds of exactly the same four steps, done by `train`. Each round uses all four points
# once, so each is one **epoch** (one pass over the training data). Lesson 07 looks at it closely.

# %%
history = train(net, X, y, loss="mse", lr=1.0, epochs=1000)
for epoch in (1, 10, 100, 1000):
    print(f"epoch {epoch:>4}: loss {history[epoch - 1]:.4f}")
print("targets:    ", y)
print("predictions:", net.forward(X).ravel())

# %% [markdown]
# The loss hardly moves for the first hundred epochs (0.1272 to 0.1225), then falls to 0.0013,
# and the predictions end close to the targets 0, 1, 1, 0. The loss per epoch, on a log scale:

# %% alt="Loss per epoch over 1000 epochs on a log scale: the loss stays near 0.12 for about the first 100 epochs, falls steeply between epochs 200 and 400, then keeps falling slowly to 0.0013 at epoch 1000."
figure = plot_loss_curve(history, log_scale=True)
axes = figure.axes[0]
axes.set_ylim(5e-4, None)  # down past a tick at 1e-3, below the last loss
axes.texts[-1].xyann = (-10, -12)  # the last loss's label under the curve, not on it
axes.texts[-1].set_va("top")
figure

# %% [markdown]
# **Why the flat start?** The loss sits still while its gradient is small. The cell below trains
# the same network again from the same starting weights; it prints the predictions at the start
# and after 40 epochs, and the size of the gradient (the square root of the sum of the squares of
# every entry of every $\partial L/\partial W$ and $\partial L/\partial b$) at a few epochs.

# %%
again = build_network([2, 3, 1], hidden="tanh", output="sigmoid", rng=0)  # the same start
sizes = []


def record_size(epoch, loss):
    sizes.append(np.sqrt(sum(np.sum(p.grad**2) for p in again.parameters())))


predictions_0 = again.forward(X).ravel()
train(again, X, y, loss="mse", lr=1.0, epochs=40, callback=record_size)
predictions_40 = again.forward(X).ravel()
train(again, X, y, loss="mse", lr=1.0, epochs=210, callback=record_size)
print("predictions at the start:   ", predictions_0)
print("predictions after 40 epochs:", predictions_40)
for epoch in (1, 40, 250):
    print(f"epoch {epoch:3d}: gradient size {sizes[epoch - 1]:.4f}")

# %% [markdown]
# The first 40 steps move all four predictions to within 0.02 of 0.5, the average of the targets:
# the best the network can do while it answers alike for every point. Around there the loss is
# almost flat: by epoch 40 the gradient has shrunk to 0.0043, from 0.0254 at the start, so each
# step changes little. Only slowly does the network leave this flat stretch: by epoch 250 the
# gradient is back to 0.0245, and there the curve above falls steeply. Mean squared error on a
# sigmoid output makes this flat start longer: lesson 04 shows why, and trains this network with
# cross-entropy instead.

# %% [markdown]
# ## Warm-up
#
# Two of the four steps you can already do by hand. Each exercise has a cell for your answer,
# then a cell that checks it; run both.
#
# **Exercise 1 — one neuron, by hand.** A neuron multiplies each input by its weight, adds the
# products and adds a bias: $z = w_1 x_1 + w_2 x_2 + w_3 x_3 + b$. Work out $z$ by hand for
# the numbers in the cell below, replace `None` with it (a plain number) and run the cell,
# then the check below it.
#
# <details><summary>Hint</summary>
#
# Pair each input with its weight: $x_1$ with $w_1$, and so on. Multiply each pair, add the
# three products, then add $b$ once (not once per input).
#
# </details>

# %%
x = np.array([1.0, 2.0, -1.0])
w = np.array([0.5, -0.25, 1.0])
b = 0.5

z = None  # your answer: the weighted sum of the inputs plus the bias, a number
### BEGIN SOLUTION
z = 0.5 * 1.0 + (-0.25) * 2.0 + 1.0 * (-1.0) + 0.5  # 0.5 - 0.5 - 1 + 0.5 = -0.5
### END SOLUTION

# %%
from helpers.exercises import check_pre_activation

check_pre_activation(z, x, w, b, activations=False)

# %% [markdown]
# **Exercise 2 — predict one step downhill.** A network with a single weight $w$ has the loss
# $L(w) = (w - 3)^2$: it is smallest at $w = 3$. The weight starts at $w = 1$, and one update
# with learning rate $\eta = 0.1$ moves it to $w - \eta\, \mathrm{d}L/\mathrm{d}w$. Before the
# cell after the check takes that step, predict where it lands: replace `None` with the weight
# after the step, `w_after`, a number.
#
# <details><summary>Hint</summary>
#
# First the derivative of $(w - 3)^2$ with respect to $w$ (the chain rule for one variable),
# then its value at $w = 1$: its sign tells you which way the weight moves. Gradient descent
# steps *against* the gradient, by $\eta$ times it.
#
# </details>

# %%
w_after = None  # your answer: the weight after one step, a number
### BEGIN SOLUTION
w_after = 1.0 - 0.1 * 2 * (1.0 - 3.0)
### END SOLUTION

# %%
from helpers.exercises import check_descent_step

check_descent_step(w_after, w=1.0, lr=0.1, target=3.0)

# %% [markdown]
# Now the step itself: the derivative by central differences (lesson 06 explains them), then
# the update, and the loss before and after.

# %% tags=["reveal"]
from helpers.gradcheck import numeric_gradient


def one_weight_loss(weight):
    return float(np.sum((weight - 3.0) ** 2))


w_start = np.array([1.0])
dL_dw = numeric_gradient(one_weight_loss, w_start)
w_stepped = w_start - 0.1 * dL_dw
print(f"dL/dw at w = 1: {dL_dw[0]:.4f}")
print(f"w after one step: {w_stepped[0]:.4f}")
print(f"loss before: {one_weight_loss(w_start):.4f};  loss after: {one_weight_loss(w_stepped):.4f}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The gradient is negative, so the step moves $w$ up, towards 3, and the loss falls from 4 to
# 2.56. One step covers only a fifth of the way: the step is
# $-\eta\, \mathrm{d}L/\mathrm{d}w = -0.1 \cdot 2(w - 3) = 0.2\,(3 - w)$, a fifth of the
# distance $3 - w$ that remains. So every later step covers a fifth of what is left again, and
# the steps shrink as $w$ nears the bottom. Lesson 07 shows what a larger $\eta$ does.
#
# </details>

# %% [markdown]
# ## How to use the notebooks
#
# - **Run the cells in order**, from the top (`Shift + Enter` runs a cell and moves on; the menu
#   *Run → Run All Cells* runs them all). A cell marked **Run this cell first** loads what the
#   rest of the lesson needs.
# - **Starting in the middle.** A notebook opens showing the outputs of its last run, but a
#   fresh kernel (a new session, or after a restart) has run nothing yet. A cell that stops with
#   `NameError: name '...' is not defined` needs the cells above it: click it, choose
#   *Run → Run All Above Selected Cell*, then run it again.
# - **Widgets** are small interactive panels. *Steppers* walk through a computation one step at
#   a time: the buttons **first**, **previous**, **next** and **last** (or the **step** slider) move
#   you, and the picture and the equation below it show the current step's numbers.
#   *Explorers* have **sliders** and drop-down menus: change a value and the picture redraws. Widgets need a running kernel,
#   so they appear only after you run their cell (a static preview of the notebook shows nothing
#   there). Each lesson says what to click or drag.
# - **Exercises** have a line such as `z = None  # your answer: ...`. Replace `None` (or fill in the
#   function), run the cell, then run the check cell below it and read the feedback: ✓ when it
#   is right, otherwise a hint in words about what to look at. A **Hint** under an exercise
#   opens with a click.
# - Change anything. If a notebook gets into a strange state, *Kernel → Restart Kernel and Run
#   All Cells* brings it back.

# %% [markdown]
# Try one now. This stepper walks through $f = (x + y) \cdot z$ with $x = -2$, $y = 5$,
# $z = -4$. Its buttons **first**, **previous**, **next**, **last** and the **step** slider sit at
# the top and stay there; below them come the expression box and the **x**, **y**, **z** sliders,
# then the picture and the current step's equation. Press **next** to compute one operation at a
# time; after the forward pass it goes on backward, and each gradient it shows is a product of an
# upstream gradient and a local derivative. Notice that $z$'s gradient equals the value of
# $x + y$, and that the $+$ node passes its gradient on unchanged to $x$ and $y$. Drag a slider
# and the whole pass is computed again; type your own expression in the box, writing `*` for
# every product (`2*x`, not `2x`). Lesson 03 explains every line.

# %% tags=["nbval-ignore-output"]
from helpers.widgets import GraphStepper

GraphStepper("(x + y) * z", x=-2.0, y=5.0, z=-4.0)

# %% [markdown]
# ## How to run the course
#
# **On your computer** (Python 3.11, 3.12 or 3.13), from the repository's folder, this one line
# checks your Python, creates a virtual environment, installs the pinned packages and the course
# package, and opens this notebook in JupyterLab (Linux and macOS; the [README](../README.md)
# gives the same commands for Windows):
#
# ```
# python3 tools/check_python.py && python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/jupyter lab --ServerApp.root_dir=. notebooks/00_start_here.ipynb
# ```
#
# The tests (of the package and of every lesson) run with:
#
# ```
# python3 tools/check_python.py && python3 -m venv .venv && .venv/bin/pip install -r requirements-test.txt && .venv/bin/python -m pytest
# ```
#
# **In the browser, with nothing to install**: click the Binder badge in the
# [README](../README.md). Binder builds the same environment and opens this notebook in
# JupyterLab (the first start can take a few minutes; your changes are not saved when the
# session ends, so download what you want to keep).
#
# **On a JupyterHub** (for example your university's): open the link your instructor gives you
# (the [README](../README.md) tells instructors how to make one). It copies the course into your
# own folder on the hub, where your work is kept, and opens this notebook.

# %% [markdown]
# ## Summary
#
# - Forward propagation computes a prediction; the loss measures its error; backward propagation
#   computes the gradient of the loss for every weight and bias; gradient descent updates them.
#   Repeated, that loop is training.
# - The lessons follow that loop: 01-02 forward, 03 the chain rule, 04 the loss, 05-06 backward
#   and its check, 07 the update and training, 08 why it scales, 09 how the first weights are
#   chosen.
# - Run the cells in order, click and drag the widgets, and fill in the exercises.
#
# [Contents](00_start_here.ipynb) | [01 · Forward propagation →](01_forward_propagation.ipynb)
