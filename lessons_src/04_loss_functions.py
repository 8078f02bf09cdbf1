# %% [markdown]
# # 04 · Loss functions
#
# [← 03 · The chain rule on a computational graph](03_chain_rule_on_a_graph.ipynb) | [Contents](00_start_here.ipynb) | [05 · Backpropagation →](05_backpropagation.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/04_loss_functions.ipynb](../solutions/04_loss_functions.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - say what a loss is: **one number for the error** of the network over all samples;
# - compute mean squared error, binary cross-entropy and softmax cross-entropy, and their gradients;
# - derive why sigmoid or softmax followed by cross-entropy has the simple gradient $p - y$ with
#   respect to the logits, and say when code really computes it: from the logits, in one piece;
# - explain why we average over the batch instead of summing;
# - compute softmax and binary cross-entropy safely for logits as large as $10^4$;
# - explain why a clipped probability, or mean squared error, behind a sigmoid learns slowly
#   from a confidently wrong output;
# - derive the gradient of a loss you have not met before and confirm it with central
#   differences.

# %% [markdown]
# **Run this cell first.** It loads the course's package, `helpers`, and the other libraries this
# lesson uses.

# %%
import numpy as np
import sympy as sp
from IPython.display import Math, display

from helpers.activations import sigmoid, sigmoid_derivative, softmax, softmax_jacobian
from helpers.data import xor
from helpers.exercises import (
    check_faded_entries,
    check_huber_gradient,
    check_weighted_logit_gradient,
)
from helpers.exercises.judging import FLOOR
from helpers.gradcheck import TOLERANCE, format_relative_error, numeric_gradient, relative_error
from helpers.layers import ActivationLayer
from helpers.losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_gradient,
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)
from helpers.network import build_network
from helpers.symbolic import expressions_equal, loss_derivative, sigmoid_expression
from helpers.training import train

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## The loss: one number for the error over all samples
#
# After the forward pass the network has made a prediction $\hat y_i$ for every sample $i$.
# Some are close to the target $y_i$, some are far off. Training needs a single number that says
# how wrong the network is **over all samples at once**, so that "better" and "worse" have a
# meaning: the **loss** $L$. Backpropagation will then ask how $L$ changes when each weight
# changes.
#
# Here are four samples with two outputs each, the error of each sample, and their average:
# one number for the error over all samples. (Why the average and not the plain sum is explained
# further down.)

# %%
prediction = np.array([[0.8, 0.1], [0.3, 0.7], [0.5, 0.5], [0.9, 0.2]])
target = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
per_sample = 0.5 * np.sum((prediction - target) ** 2, axis=1)
print("error of each sample:", per_sample)
print(f"average error (mean): {per_sample.mean():.4f}")

# %% [markdown]
# ## Mean squared error
#
# For regression, the natural measure is the squared distance between prediction and target,
# averaged over the $n$ samples:
#
# $$L = \frac{1}{n}\sum_{i=1}^{n} \tfrac12\,\lVert \hat y_i - y_i \rVert^2 .$$
#
# The $\tfrac12$ is there for convenience: it cancels the 2 that the derivative of a square brings
# down. `mean_squared_error` computes exactly this.

# %%
print(f"mean_squared_error = {mean_squared_error(prediction, target):.4f}")

# %% [markdown]
# **Other libraries use another convention.** By default PyTorch's `MSELoss` and scikit-learn's
# `mean_squared_error` average the squared error over all $n k$ entries ($k$ outputs per sample)
# and have no $\tfrac12$:
#
# $$L_\text{theirs} = \frac{1}{n k}\sum_{i=1}^{n} \lVert \hat y_i - y_i \rVert^2,
# \qquad L = \frac{k}{2}\,L_\text{theirs}.$$
#
# So with one output per sample the course's loss is half of theirs, and with two outputs, as
# above, the two happen to be equal. Their formula in numpy, for $k = 1, 2, 3$ outputs taken from
# the example (the third column repeats the first):

# %%
for k in (1, 2, 3):
    prediction_k, target_k = np.tile(prediction, 2)[:, :k], np.tile(target, 2)[:, :k]
    ours = mean_squared_error(prediction_k, target_k)
    theirs = np.mean((prediction_k - target_k) ** 2)  # MSELoss, mean_squared_error
    print(f"k = {k}: course {ours:.4f}   theirs {theirs:.4f}"
          f"   course / theirs = {ours / theirs:.2f}   k / 2 = {k / 2:.2f}")

# %% [markdown]
# ### Its gradient
#
# Each prediction appears in one term of the sum only, so
#
# $$\frac{\partial L}{\partial \hat y_i} = \frac{1}{n}\,(\hat y_i - y_i).$$
#
# The gradient points from the target to the prediction: moving the prediction against it
# brings it closer to the target. sympy confirms it on a batch of three samples with one output
# each: `loss_derivative` writes the loss in symbols, lets `sympy.diff` differentiate it with
# respect to every prediction, and compares the result with the rule $(\hat y - y)/n$.

# %%
mse_check = loss_derivative("mse", n_samples=3, n_outputs=1)
display(Math(r"L = " + sp.latex(mse_check.expression)))
display(Math(r"\text{sympy.diff: }\ " + sp.latex(mse_check.diff.T)))
print("sympy.diff equals (prediction - target) / n:", mse_check.equal())

# %% [markdown]
# And numerically: the package's gradient against central differences of the loss itself. They
# agree when their relative error is below the course's tolerance, `TOLERANCE`
# (lesson 06 explains the relative error and this choice).

# %%
analytic = mean_squared_error_gradient(prediction, target)
numeric = numeric_gradient(lambda p: mean_squared_error(p, target), prediction)
error = relative_error(analytic, numeric)
print("(prediction - target) / n:\n", analytic)
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE = {TOLERANCE:g}: {error < TOLERANCE})")

# %% [markdown]
# ## Binary cross-entropy
#
# For a yes/no question the network outputs a probability $p_i = \sigma(z_i)$ for "yes": the
# sigmoid of the last layer's pre-activation $z_i$, called the **logit**. The target $y_i$ is 0
# or 1 (the package accepts any target in $[0, 1]$). Squared error is a poor judge of
# probabilities: however confident a wrong answer is ($p = 0.001$ when $y = 1$), it costs at most
# $\tfrac12$.
# Binary cross-entropy charges $-\log p$ for the probability given to what actually happened,
# which grows without bound as a wrong answer becomes more confident:
#
# $$L = -\frac{1}{n}\sum_{i=1}^{n}\big[\,y_i \log p_i + (1 - y_i)\log(1 - p_i)\,\big].$$

# %%
p_true = np.array([0.9, 0.5, 0.1, 0.001])
costs = [binary_cross_entropy([p], [1.0]) for p in p_true]
for p, c in zip(p_true, costs, strict=True):
    print(f"y = 1, p = {p:<6}: cross-entropy {c:.4f}   squared error {0.5 * (1 - p) ** 2:.4f}")

# %% [markdown]
# Its gradient with respect to the probability, and, through the sigmoid whose derivative is
# $p(1 - p)$, with respect to the logit $z_i$:
#
# $$\frac{\partial L}{\partial p_i} = \frac{1}{n}\,\frac{p_i - y_i}{p_i(1 - p_i)},
# \qquad
# \frac{\partial L}{\partial z_i} = \frac{\partial L}{\partial p_i}\,p_i(1 - p_i) = \frac{1}{n}\,(p_i - y_i).$$
#
# In exact arithmetic the awkward denominator cancels against the sigmoid's derivative: the pair
# sigmoid + cross-entropy has the same simple gradient as squared error on a linear output.
# Code keeps this $p - y$ for every $z$ only when it computes the loss from $z$ in one piece
# (*fused*), as `binary_cross_entropy_with_logits` does. The package's `binary_cross_entropy`
# takes probabilities, and a network that ends in a separate sigmoid layer multiplies the two
# factors as rounded numbers; the section *Cross-entropy from the logit* below shows where that
# fails.
#
# sympy checks both: the rule for $\partial L/\partial p$ on a batch of two, and the cancellation
# for one sample with $p = \sigma(z)$.

# %%
bce_check = loss_derivative("binary_cross_entropy", n_samples=2, n_outputs=1)
display(Math(r"\text{sympy.diff: }\ " + sp.latex(bce_check.diff.T)))
print("sympy.diff equals (p - y) / (n p (1 - p)):", bce_check.equal())
z_s, y_s = sp.symbols("z y", real=True)
p_s = sigmoid_expression(z_s)
bce_one_sample = -(y_s * sp.log(p_s) + (1 - y_s) * sp.log(1 - p_s))
d_bce_dz = sp.diff(bce_one_sample, z_s)
display(Math(r"\text{sympy.diff: }\ \frac{\partial L}{\partial z} = " + sp.latex(d_bce_dz)))
print("equals p - y:", expressions_equal(d_bce_dz, p_s - y_s))

# %% [markdown]
# And numerically, on four samples with small logits ($|z| \le 3$), where the probabilities are
# far from 0 and 1:

# %%
logits = np.array([[2.0], [-1.0], [0.5], [-3.0]])
labels = np.array([[1.0], [0.0], [0.0], [1.0]])
probability = sigmoid(logits)
d_prob = binary_cross_entropy_gradient(probability, labels)
numeric_p = numeric_gradient(lambda q: binary_cross_entropy(q, labels), probability)
numeric_z = numeric_gradient(lambda z: binary_cross_entropy(sigmoid(z), labels), logits)
d_logit = (probability - labels) / len(labels)  # the simple form (p - y) / n
error_p, error_z = relative_error(d_prob, numeric_p), relative_error(d_logit, numeric_z)
print(f"dL/dp: relative error to central differences {format_relative_error(error_p)}")
print("dL/dz = (p - y) / n:", d_logit.ravel())
print(f"dL/dz: relative error to central differences {format_relative_error(error_z)}")
print(f"both below TOLERANCE = {TOLERANCE:g}: {max(error_p, error_z) < TOLERANCE}")

# %% [markdown]
# ## Softmax cross-entropy
#
# With $k$ classes the last layer produces $k$ logits $z_{i1}, \dots, z_{ik}$ per sample, softmax
# turns them into probabilities $p_{ij} = e^{z_{ij}} / \sum_m e^{z_{im}}$, and the target $y_i$ is
# a one-hot row (a 1 at the true class). Cross-entropy again charges $-\log$ of the probability
# given to the true class:
#
# $$L = -\frac{1}{n}\sum_{i=1}^{n}\sum_{j=1}^{k} y_{ij}\,\log p_{ij} .$$
#
# Its gradient with respect to the logits is famously simple:
#
# $$\frac{\partial L}{\partial z_{i}} = \frac{1}{n}\,(p_i - y_i).$$
#
# Why? Follow the chain rule for one sample ($n = 1$), in three steps.
#
# 1. The loss as a function of the probabilities: $\partial L/\partial p_j = -\,y_j / p_j$.
# 2. The softmax Jacobian: $\partial p_j/\partial z_m = p_j(\delta_{jm} - p_m)$, where
#    $\delta_{jm}$ is 1 if $j = m$ and 0 otherwise; as a matrix, $J = \operatorname{diag}(p) - p\,p^\top$.
# 3. Multiply: $\dfrac{\partial L}{\partial z_m} = \sum_j \Big(-\dfrac{y_j}{p_j}\Big)\,p_j(\delta_{jm} - p_m)
#    = -\,y_m + p_m \sum_j y_j = p_m - y_m$, because the one-hot $y$ sums to 1.
#
# The $p_j$ of step 1 cancels the $p_j$ of step 2, and what is left collapses to $p - y$.
# sympy does the same three steps for three classes:

# %%
z1, z2, z3, y1, y2, y3 = sp.symbols("z1 z2 z3 y1 y2 y3", real=True)
z_sym, y_sym = sp.Matrix([z1, z2, z3]), sp.Matrix([y1, y2, y3])
exp_z = z_sym.applyfunc(sp.exp)
p_sym = exp_z / sum(exp_z)  # softmax
dL_dp = sp.Matrix([-y_sym[j] / p_sym[j] for j in range(3)])  # step 1
jacobian = p_sym.jacobian(z_sym)  # step 2
print("J - (diag(p) - p p^T) =", sp.simplify(jacobian - (sp.diag(*p_sym) - p_sym * p_sym.T)))
dL_dz = jacobian.T * dL_dp  # step 3
one_hot = {y3: 1 - y1 - y2}  # the targets sum to 1
difference = sp.simplify((dL_dz - (p_sym - y_sym)).subs(one_hot))
print("dL/dz - (p - y) simplifies to", difference.T)

# %% [markdown]
# `loss_derivative` proves the batch version in one go, for 2 samples and 3 classes: `sympy.diff`
# of the mean loss equals $(\operatorname{softmax}(z) - y)/n$ entry by entry.

# %%
softmax_ce_check = loss_derivative("softmax_cross_entropy", n_samples=2, n_outputs=3)
display(Math(softmax_ce_check.latex()))
print("sympy.diff equals (softmax(z) - y) / n:", softmax_ce_check.equal())

# %% [markdown]
# The same collapse with numbers: the package's softmax Jacobian (`softmax_jacobian`) times
# $-y/p$ is $p - y$, and so is the fused gradient `softmax_cross_entropy_gradient` (here $n = 1$),
# and so are central differences of the loss.

# %%
z_row = np.array([2.0, -1.0, 0.5])
y_row = np.array([0.0, 0.0, 1.0])
p_row = softmax(z_row)
via_jacobian = softmax_jacobian(z_row).T @ (-y_row / p_row)
fused = softmax_cross_entropy_gradient(z_row[None, :], y_row[None, :])[0]
numeric = numeric_gradient(lambda z: softmax_cross_entropy(z[None, :], y_row[None, :]), z_row)
print("p - y:          ", p_row - y_row)
print("J^T (-y / p):   ", via_jacobian)
print("fused gradient: ", fused)
error = relative_error(fused, numeric)
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE: {error < TOLERANCE})")

# %% [markdown]
# For a batch the package divides by $n$ and accepts the labels as class indices too:

# %%
batch_logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-2.0, 3.0, 0.0]])
batch_labels = np.array([2, 0, 1])
gradient = softmax_cross_entropy_gradient(batch_logits, batch_labels)
numeric = numeric_gradient(lambda z: softmax_cross_entropy(z, batch_labels), batch_logits)
error = relative_error(gradient, numeric)
print("(p - y) / n:\n", gradient)
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE: {error < TOLERANCE})")

# %% [markdown]
# ## Why the mean and not the sum?
#
# Every loss above divides by the number of samples $n$. The sum of the samples' errors would
# be one number for the error over all samples just as well, so why bother? Because of the
# **step size**. Gradient descent (lesson 07) moves each weight by $-\eta\,\partial L/\partial w$,
# with a learning rate $\eta$. With a sum, every extra sample adds its own term to
# $\partial L/\partial w$: a batch ten times larger gives a gradient about ten times larger, and
# a learning rate that worked before now overshoots. With the mean, the gradient is an *average*
# slope whose size does not grow with $n$, so a learning rate chosen for one batch size does not
# overshoot just because the batch grows.
#
# A one-weight model $\hat y = w\,x$ shows it. Copying the same batch 100 times changes nothing
# about the data, yet the summed gradient grows 100-fold while the mean gradient stays put:

# %%
rng = np.random.default_rng(0)
x_small = rng.normal(size=(8, 1))
y_small = 2.0 * x_small  # the best weight is w = 2
w = np.array([[0.5]])
for copies in (1, 10, 100):
    x_batch, y_batch = np.tile(x_small, (copies, 1)), np.tile(y_small, (copies, 1))
    d_mean = x_batch.T @ mean_squared_error_gradient(x_batch @ w, y_batch)  # dL/dw
    d_sum = len(x_batch) * d_mean  # the same loss without the 1/n
    print(f"n = {len(x_batch):4d}: mean-loss gradient {d_mean.item():8.4f}"
          f"   sum-loss gradient {d_sum.item():10.4f}")

# %% [markdown]
# Now one gradient-descent step from $w = 0.5$ towards the best weight $w = 2$, with the
# learning rate $\eta = 0.1$. With the summed loss, the step that looks reasonable for 8 samples
# throws $w$ far past 2 for 800 samples of the very same data; with the mean, both steps are equal.

# %%
learning_rate = 0.1
for copies in (1, 100):
    x_batch, y_batch = np.tile(x_small, (copies, 1)), np.tile(y_small, (copies, 1))
    d_mean = x_batch.T @ mean_squared_error_gradient(x_batch @ w, y_batch)
    w_mean = w - learning_rate * d_mean
    w_sum = w - learning_rate * len(x_batch) * d_mean
    print(f"n = {len(x_batch):3d}: after one step, mean loss -> w = {w_mean.item():.4f},"
          f"  sum loss -> w = {w_sum.item():.4f}")

# %% [markdown]
# ## Large logits: computing softmax cross-entropy safely
#
# Logits are unbounded. With badly scaled inputs or too large a learning rate one can reach
# $10^4$, and $e^{10^4}$ is far beyond the largest float64 ($\approx 1.8 \times 10^{308}$,
# reached near $e^{709.8}$). Computed literally, softmax divides infinity by infinity:

# %%
big_logits = np.array([[1e4, 0.0, -1e4]])
with np.errstate(over="ignore", invalid="ignore"):  # silence the overflow warnings on purpose
    naive_exp = np.exp(big_logits)
    naive_p = naive_exp / naive_exp.sum()
largest = np.finfo(np.float64).max
print(f"largest float64: {largest:.1e} = exp({np.log(largest):.1f})")
print("exp(z):         ", naive_exp)
print("naive softmax:  ", naive_p)

# %% [markdown]
# The cure is the **log-sum-exp** trick. Subtracting the same number $c$ from every logit does not
# change softmax (the factor $e^{-c}$ cancels between numerator and denominator), so take
# $c = \max_j z_j$. Then every exponent is $\le 0$, nothing overflows, and the largest term is
# $e^0 = 1$, so the sum is at least 1 and its logarithm is safe:
#
# $$\log p_j = z_j - \log\sum_m e^{z_m} = (z_j - c) - \log\sum_m e^{z_m - c}.$$

# %%
c = big_logits.max(axis=1, keepdims=True)  # the shift: the largest logit of each row
log_p = (big_logits - c) - np.log(np.exp(big_logits - c).sum(axis=1, keepdims=True))
print("log p:        ", log_p)
print("softmax:      ", softmax(big_logits))
for label in (0, 1, 2):
    loss = softmax_cross_entropy(big_logits, [label])
    by_hand = 0.0 - log_p[0, label]  # "0.0 -" so that a loss of zero prints as 0.0, not -0.0
    print(f"true class {label}: by hand {by_hand:.1f}, package {loss + 0.0:.1f}")

# %% [markdown]
# The loss for the wrong classes is large, $10^4$ and $2 \times 10^4$, but finite and exact, and the
# gradient $p - y$ is perfectly well behaved:

# %%
print("gradient for true class 1:", softmax_cross_entropy_gradient(big_logits, [1]))

# %% [markdown]
# ## Why not mean squared error on a sigmoid output?
#
# With squared error on a sigmoid output $a = \sigma(z)$, the gradient that reaches the logit is
#
# $$\delta = \frac{\partial L}{\partial z} = \frac1n\,(a - y)\,\sigma'(z):$$
#
# the error times the sigmoid's slope $\sigma'(z)$, which is at most $0.25$ (at $z = 0$, lesson
# 02) and close to 0 wherever the sigmoid is flat. Cross-entropy's gradient $\frac1n(p - y)$ has
# no such factor. Side by side for one sample ($n = 1$) with target 0: $\delta$ from the package's
# sigmoid layer, the product $(a - y)\,\sigma'(z)$ by hand to confirm the formula, and $p - y$.

# %%
sigmoid_layer = ActivationLayer("sigmoid")
target_0 = np.array([[0.0]])
for z in (0.0, 2.0, 5.0, 10.0):
    a = sigmoid_layer.forward(np.array([[z]]))
    delta_mse = sigmoid_layer.backward(mean_squared_error_gradient(a, target_0)).item()
    by_hand = (a.item() - 0.0) * sigmoid_derivative(z)
    print(f"z = {z:4.1f}: a = {a.item():.4f}   sigma'(z) = {sigmoid_derivative(z):.3g}"
          f"   MSE delta {delta_mse:.3g} (by hand {by_hand:.3g})   p - y = {a.item() - 0.0:.4f}")
zs = np.linspace(0.0, 5.0, 50001)
deltas = sigmoid(zs) ** 2 * (1 - sigmoid(zs))  # (a - 0) * sigma'(z) with a = sigmoid(z)
print(f"largest delta for target 0: {deltas.max():.4f} at z = {zs[np.argmax(deltas)]:.3f}"
      f" (ln 2 = {np.log(2):.3f})")

# %% [markdown]
# At $z = 0$ the sigmoid is steepest, $\sigma'(0) = 0.25$, and $\delta$ is 0.125, a quarter of
# $p - y = 0.5$. That is not the largest $\delta$: for target 0 it is
# $\sigma(z)^2(1 - \sigma(z))$, which still grows a little beyond $z = 0$, up to 0.1481 at
# $z = \ln 2 = 0.693$, where the growing error and the falling slope balance.
# From $z = 2$ on, $\delta$ shrinks as the mistake grows: 0.0925 at $z = 2$,
# 0.0066 at $z = 5$, $4.54 \times 10^{-5}$ at $z = 10$, while $p - y$ approaches 1. The sigmoid
# has **saturated**: it is so flat that the gradient through it fades, and the network learns
# least from the samples it gets most wrong. Cross-entropy is meant to cure this, and in exact
# arithmetic it does. The next section shows that code keeps the cure only if it computes the
# loss from the logit.

# %% [markdown]
# ## Cross-entropy from the logit
#
# Take the same sample with target $y = 0$ and logits $z = 10, 30, 40$: confidently wrong. First
# the way of two separate pieces: the sigmoid layer, then `binary_cross_entropy` on its output.
# The loss hands $\partial L/\partial p$ back and the layer's backward multiplies it by the
# sigmoid's derivative $p(1 - p)$. To keep $\log p$ and $\log(1 - p)$ finite,
# `binary_cross_entropy` first clips the probability to $[10^{-12},\ 1 - 10^{-12}]$ (its
# docstring says so).

# %%
print(f"-log(1e-12) = {-np.log(1e-12):.4f}")
for z in (10.0, 30.0, 40.0):
    p = sigmoid_layer.forward(np.array([[z]]))
    d_z = sigmoid_layer.backward(binary_cross_entropy_gradient(p, target_0))
    loss = binary_cross_entropy(p, target_0)
    print(f"z = {z:2.0f}: 1 - p = {1 - p.item():.2e}   loss {loss:.4f}   dL/dz {d_z.item():.4f}")

# %% [markdown]
# At $z = 10$ the two factors still cancel: $\partial L/\partial z$ is 1.0000, as $p - y$ says.
# Once $1 - p$ falls below $10^{-12}$, beyond about $z = -\log(10^{-12}) = 27.6310$, the clip
# takes over: the loss stops at 27.6310 however large $z$ grows, $\partial L/\partial p$ stops
# growing, and the sigmoid's derivative keeps shrinking. At $z = 30$ the gradient is 0.0935
# instead of about 1, and at $z = 40$, where $p$ rounds to exactly 1 ($1 - p = 0$), it is 0: the
# saturation that cross-entropy was meant to cure is back, and the network learns nothing from
# this sample.
#
# The cure is to hand the loss the logit $z$ and let it do the sigmoid's work; the network then
# ends with an `"identity"` output layer, no sigmoid. Written in $z$, one entry of the loss is
#
# $$-\big[y \log \sigma(z) + (1 - y)\log(1 - \sigma(z))\big] = \log(1 + e^{z}) - y z
# = \max(z, 0) - y z + \log\big(1 + e^{-|z|}\big),$$
#
# the log-sum-exp trick of the section above for the two terms $e^0$ and $e^z$: the only
# exponential left is of $-|z| \le 0$. Its derivative is $\sigma(z) - y$, which
# `binary_cross_entropy_with_logits_gradient` computes from $z$ (divided by $n$), never through
# $\partial L/\partial p$. sympy checks both equalities (the second for $z > 0$ and $z < 0$
# separately, with $t = |z|$) and the derivative:

# %%
softplus_form = sp.log(1 + sp.exp(z_s)) - y_s * z_s
t_s = sp.symbols("t", positive=True)
checks = {"-[y log p + (1 - y) log(1 - p)] = log(1 + e^z) - y z":
          expressions_equal(bce_one_sample, softplus_form)}
for case, z_value in (("z = t > 0", t_s), ("z = -t < 0", -t_s)):
    stable = sp.Max(z_value, 0) - y_s * z_value + sp.log(1 + sp.exp(-sp.Abs(z_value)))
    checks[f"{case}: max(z, 0) - y z + log(1 + e^-|z|) = log(1 + e^z) - y z"] = (
        expressions_equal(stable, softplus_form.subs(z_s, z_value)))
checks["d/dz [log(1 + e^z) - y z] = sigmoid(z) - y"] = expressions_equal(
    sp.diff(softplus_form, z_s), p_s - y_s)
for claim, holds in checks.items():
    print(f"{claim}: {holds}")

# %% [markdown]
# `binary_cross_entropy_with_logits` and its gradient on the same confidently wrong sample, and
# at $z = 10^4$, with the loss's relative difference to $\log(1 + e^z)$ evaluated by sympy to 30
# digits:

# %%
for z in (10.0, 30.0, 40.0, 1e4):
    logit = np.array([[z]])
    loss = binary_cross_entropy_with_logits(logit, target_0)
    d_z = binary_cross_entropy_with_logits_gradient(logit, target_0)
    exact = float(sp.N(sp.log(1 + sp.exp(sp.Integer(int(z)))), 30))
    difference = format_relative_error(abs(loss - exact) / exact, bound=1e-15)
    print(f"z = {z:5.0f}: loss {loss:10.4f} (relative difference to sympy {difference})"
          f"   dL/dz {d_z.item():.4f}")

# %% [markdown]
# The loss keeps growing with $z$, and the gradient stays at 1.0000, the sigmoid of a large $z$:
# the worst mistakes get the largest step. Central differences agree on a batch with large logits
# of both signs and targets between 0 and 1:

# %%
z_batch = np.array([[30.0, -40.0], [-30.0, 40.0], [0.5, -2.0]])
y_batch = np.array([[0.0, 1.0], [1.0, 0.0], [0.3, 0.9]])
d_z = binary_cross_entropy_with_logits_gradient(z_batch, y_batch)
numeric = numeric_gradient(lambda q: binary_cross_entropy_with_logits(q, y_batch), z_batch)
error = relative_error(d_z, numeric)
print("(sigmoid(z) - y) / n:\n", d_z)
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE: {error < TOLERANCE})")

# %% [markdown]
# **Rule of thumb.** When a network's last activation is a sigmoid and the loss is cross-entropy,
# leave the sigmoid out of the network and use `binary_cross_entropy_with_logits`, as
# `softmax_cross_entropy` takes the logits for several classes; apply the sigmoid only to read
# off a probability. PyTorch's `BCEWithLogitsLoss` computes the same terms but by default averages
# them over all $n k$ entries, where the course sums over the $k$ outputs of a sample and averages over the
# $n$ samples: the course's loss is $k$ times PyTorch's (the same for one output per sample).
# For the batch above, with $k = 2$:

# %%
terms = np.maximum(z_batch, 0) - y_batch * z_batch + np.log1p(np.exp(-np.abs(z_batch)))
course = binary_cross_entropy_with_logits(z_batch, y_batch)
print(f"course {course:.4f}   mean over all n k entries (BCEWithLogitsLoss) {terms.mean():.4f}"
      f"   ratio {course / terms.mean():.2f}")

# %% [markdown]
# ## What it costs in training
#
# Lesson 00's XOR network (2 inputs, 3 tanh neurons, 1 output), trained twice from the same
# starting weights with the same learning rate: once with mean squared error on a sigmoid output,
# once with cross-entropy from the logit (an `"identity"` output, the sigmoid inside the loss).
# After every epoch, `train_xor` records how far the worst of the four predictions is from its
# target, and the largest size $|z|$ of the four output logits.

# %%
X_xor, y_xor = xor()


def train_xor(output, loss, lr=1.0, epochs=300):
    """Train the XOR network; after each epoch, the largest |p - y| of its four predictions
    and the largest |z| of its four output logits."""
    net = build_network([2, 3, 1], hidden="tanh", output=output, rng=0)
    worst, largest_z = [], []

    def record(epoch, value):
        net.forward(X_xor)
        z = net.layers[-1].z.ravel()  # the output logits, the input of the last layer
        worst.append(np.max(np.abs(sigmoid(z) - y_xor)))
        largest_z.append(np.max(np.abs(z)))

    train(net, X_xor, y_xor, loss=loss, lr=lr, epochs=epochs, callback=record)
    return worst, largest_z


# %%
starts = [build_network([2, 3, 1], hidden="tanh", output=o, rng=0) for o in ("sigmoid", "identity")]
same = all(np.array_equal(a.value, b.value)
           for a, b in zip(*(n.parameters() for n in starts), strict=True))
mse_run, mse_z = train_xor("sigmoid", "mse")
logit_run, logit_z = train_xor("identity", "binary_cross_entropy_with_logits")
print("same starting weights:", same)
for epoch in (1, 50, 100, 200, 300):
    print(f"epoch {epoch:3d}: worst |p - y|   MSE on sigmoid {mse_run[epoch - 1]:.3f}"
          f"   cross-entropy from logit {logit_run[epoch - 1]:.3f}")

# %% [markdown]
# After 50 epochs neither run does better than answering 0.5 for every point would (the worst
# prediction is 0.508 and 0.555 from its target). Then cross-entropy from the logit pulls away:
# by epoch 100 every prediction is within 0.158 of its target, by epoch 300 within 0.019. With
# mean squared error on a sigmoid the worst prediction is still 0.529 away at epoch 100 and 0.352
# at epoch 300.
#
# Is that the saturation of the previous sections? Only if the logits are large. The largest
# $|z|$ of the mean-squared-error run, at the start and over all epochs up to each one, and the
# sigmoid's slope there (the smallest slope so far, since $\sigma'$ falls as $|z|$ grows):

# %%
starts[0].forward(X_xor)
z_start = np.max(np.abs(starts[0].layers[-1].z))
print(f"at the start:       largest |z| {z_start:.3f}   sigma'(z) {sigmoid_derivative(z_start):.3f}")
for epoch in (1, 50, 100, 200, 300):
    z_max = max(z_start, *mse_z[:epoch])
    print(f"up to epoch {epoch:3d}: largest |z| {z_max:.3f}"
          f"   sigma'(z) {sigmoid_derivative(z_max):.3f}")

# %% [markdown]
# The logits stay small: $|z| < 0.37$ through epoch 100 and $|z| < 1.61$ through epoch 300. The
# sigmoid is never saturated: its slope stays above 0.24 through epoch 100 and above 0.13
# through epoch 300, against 0.25 at its steepest. What slows mean squared error here is that
# slope itself: for the same output $a = p$, its $\delta = \frac1n(a - y)\,\sigma'(z)$ is,
# with $\sigma'(z)$ between 0.24 and 0.25, as it is through epoch 100, about a quarter of
# cross-entropy's $\frac1n(p - y)$, so every step is about a quarter as long. If that is all,
# cross-entropy with a quarter of the learning rate, $\eta = 0.25$, should move like mean
# squared error with $\eta = 1$:

# %%
quarter_run, _ = train_xor("identity", "binary_cross_entropy_with_logits", lr=0.25)
for epoch in (1, 50, 100, 200, 300):
    print(f"epoch {epoch:3d}: worst |p - y|   MSE on sigmoid, lr = 1 {mse_run[epoch - 1]:.3f}"
          f"   cross-entropy from logit, lr = 0.25 {quarter_run[epoch - 1]:.3f}")
gap = np.max(np.abs(np.array(mse_run) - np.array(quarter_run)))
print(f"largest difference between the two over all 300 epochs: {gap:.3f}")

# %% [markdown]
# It does: cross-entropy with $\eta = 0.25$ gives 0.551, 0.509, 0.529, 0.554, 0.359 where mean
# squared error with $\eta = 1$ gives 0.551, 0.508, 0.529, 0.551, 0.352, and the largest
# difference over all 300 epochs is 0.018. On this network, mean squared error on a sigmoid
# learns like cross-entropy with a learning rate four times smaller, not like a saturated
# sigmoid. That factor is one reason for the long flat start of lesson 00's loss curve, which
# trains this network with mean squared error.
#
# Saturation costs far more than a factor 4. Take one sigmoid neuron with one input $x = 1$ and
# target 0, and start it confidently wrong: weight 6 and bias 0, so $z = 6$ and
# $p = \sigma(6)$. Train it with mean squared error on the sigmoid, and with cross-entropy from
# the logit at the same learning rate and at a quarter of it:

# %%
x_one, y_one = np.array([[1.0]]), np.array([[0.0]])


def train_wrong_neuron(output, loss, lr, epochs=200):
    """One neuron, z = 6 at the start (target 0); p = sigmoid(z) after every epoch."""
    net = build_network([1, 1], output=output)
    net.layers[0].W[:], net.layers[0].b[:] = 6.0, 0.0
    p_history = []

    def record(epoch, value):
        net.forward(x_one)
        p_history.append(sigmoid(net.layers[-1].z).item())

    train(net, x_one, y_one, loss=loss, lr=lr, epochs=epochs, callback=record)
    return p_history


print(f"start: z = 6, p = {sigmoid(6.0):.4f}, sigma'(6) = {sigmoid_derivative(6.0):.5f}")
logit_loss = "binary_cross_entropy_with_logits"
runs = {"MSE on sigmoid, lr = 1": train_wrong_neuron("sigmoid", "mse", 1.0),
        "cross-entropy, lr = 1": train_wrong_neuron("identity", logit_loss, 1.0),
        "cross-entropy, lr = 0.25": train_wrong_neuron("identity", logit_loss, 0.25)}
for name, p_history in runs.items():
    print(f"{name:<25}" + "".join(f"  epoch {e}: p = {p_history[e - 1]:.4f}" for e in (10, 100, 200)))

# %% [markdown]
# Here the slope is $\sigma'(6) = 0.00247$, about a hundred times below 0.25. After 100 epochs
# mean squared error has moved $p$ only from 0.9975 to 0.9952, while cross-entropy, even with a
# quarter of the learning rate, has brought it down to 0.0237. That is the cost of saturation:
# the network learns least from the samples it gets most wrong, and cross-entropy from the
# logit removes it.

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Each exercise has an answer cell, where you replace the `None` (or fill in the function), and
# below it a check cell that you run to see what is right and what is still wrong. The first two
# ask for the gradients of losses this lesson has not derived; the third asks you to predict
# before a cell shows you.
#
# **A new loss: Huber.** Mean squared error punishes an outlier, one sample with a large
# residual $r = \hat y - y$, by $\tfrac12 r^2$, so one bad sample can dominate the loss. The
# **Huber loss** (here with threshold 1) is the square near 0 and grows only like $|r|$ beyond:
#
# $$\operatorname{huber}(r) = \begin{cases} \tfrac12\,r^2 & |r| \le 1,\\
#   |r| - \tfrac12 & |r| > 1, \end{cases}
# \qquad L = \frac1n \sum_{i=1}^{n}\sum_{j=1}^{k} \operatorname{huber}(\hat y_{ij} - y_{ij}).$$
#
# Like the course's mean squared error it adds up the $k$ outputs of a sample and averages over
# the $n$ samples. Here it is in numpy, and the two losses on one entry for three residuals:

# %%
def huber_loss(prediction, target):
    """The mean Huber loss (threshold 1): sum over the outputs, mean over the n samples."""
    r = prediction - target
    per_entry = np.where(np.abs(r) <= 1, 0.5 * r**2, np.abs(r) - 0.5)
    return float(per_entry.sum() / len(r))


for r in (0.5, 2.0, 10.0):
    print(f"r = {r:4.1f}: huber {huber_loss(np.array([[r]]), np.array([[0.0]])):6.3f}"
          f"   squared error {mean_squared_error(np.array([[r]]), np.array([[0.0]])):6.3f}")
prediction_h = np.array([[0.3, 2.5], [1.7, -0.4], [-0.8, 3.0], [0.1, -1.5], [2.2, 0.6]])
target_h = np.array([[0.0, 0.0], [0.5, 0.0], [0.0, -0.2], [0.4, 0.0], [0.0, 1.0]])
print(f"huber_loss(prediction_h, target_h) = {huber_loss(prediction_h, target_h):.4f}")

# %% [markdown]
# **Exercise 1 — the gradient of the Huber loss.** Write `my_huber_gradient(prediction,
# target)`, which returns $\partial L/\partial \hat y$ of `huber_loss` for a prediction of shape
# $(n, k)$, as an array of the same shape. The check calls it on `prediction_h` and `target_h`
# above (5 samples, $k = 2$ outputs, residuals on both sides of $\pm 1$), then on three other
# predictions, and compares it with the exact gradient; the cell after the check compares that
# with central differences of `huber_loss`.
#
# <details><summary>Hint</summary>
#
# Differentiate $\operatorname{huber}(r)$ piece by piece: what is its slope for $|r| \le 1$, for
# $r > 1$ and for $r < -1$? Then follow the chain rule from $r = \hat y - y$ to $\hat y$, and keep
# the $\frac1n$ of the mean. `np.where(condition, a, b)` picks entry by entry.
#
# </details>

# %%
def my_huber_gradient(prediction, target):
    """dL/dprediction of huber_loss; same shape as prediction."""
    ### BEGIN SOLUTION
    return np.clip(prediction - target, -1.0, 1.0) / len(prediction)
    ### END SOLUTION


# %%
check_huber_gradient(my_huber_gradient, prediction_h, target_h)

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The slope is $r$ inside $[-1, 1]$ and $\pm 1$ beyond: the residual **clipped** to $[-1, 1]$,
# divided by $n$. Central differences of `huber_loss` agree, and next to it the gradient of mean
# squared error, which grows with the residual:
#
# </details>

# %% tags=["reveal"]
r_h = prediction_h - target_h
huber_grad = np.clip(r_h, -1.0, 1.0) / len(r_h)
numeric = numeric_gradient(lambda q: huber_loss(q, target_h), prediction_h)
error = relative_error(huber_grad, numeric)
print("residuals r = prediction_h - target_h:\n", r_h)
print("clip(r, -1, 1) / n:\n", huber_grad)
print("mean squared error's r / n:\n", mean_squared_error_gradient(prediction_h, target_h))
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE: {error < TOLERANCE})")

# %% [markdown]
# However far off a sample is, its pull on the prediction is at most $\frac1n$ per output: the
# residual 3.2 in row 2 (counting from 0, as Python does) pulls with 0.2, where mean squared error pulls with 0.64.
#
# **A new case: rare positives.** When positive samples ($y = 1$) are rare, a classifier can
# score well by answering "no" almost always. One cure weights the positive term of binary
# cross-entropy by a factor $w$, `pos_weight` (PyTorch's `BCEWithLogitsLoss` has the same
# argument):
#
# $$L = -\frac1n\sum_{i=1}^{n}\big[\,w\,y_i \log \sigma(z_i) + (1 - y_i)\log(1 - \sigma(z_i))\,\big].$$
#
# With $w = 1$ it is the loss of the section *Cross-entropy from the logit*, whose gradient is
# $\frac1n(\sigma(z) - y)$. Computed from the logits, with $-\log\sigma(z) = \log(1 + e^{-z})$
# and $-\log(1 - \sigma(z)) = \log(1 + e^{z})$ (`np.logaddexp(0, ...)` computes
# $\log(e^0 + e^{\dots})$ safely):

# %%
def weighted_bce_with_logits(z, y, pos_weight):
    """The mean binary cross-entropy from the logits z, with weight pos_weight on y log p."""
    per_entry = pos_weight * y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)
    return float(per_entry.sum() / len(z))


z_w = np.array([[2.0], [-1.0], [0.5], [-3.0], [1.5]])
y_w = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
pos_weight = 3.0
print(f"weighted loss {weighted_bce_with_logits(z_w, y_w, pos_weight):.4f}"
      f"   with pos_weight = 1: {weighted_bce_with_logits(z_w, y_w, 1.0):.4f}"
      f" (binary_cross_entropy_with_logits: {binary_cross_entropy_with_logits(z_w, y_w):.4f})")

# %% [markdown]
# **Exercise 2 — the gradient with a weight on the positives.** Write
# `my_weighted_gradient(z, y)`, which returns $\partial L/\partial z$ of
# `weighted_bce_with_logits` with the weight `pos_weight` set above, for logits of shape
# $(n, 1)$, as an array of the same shape. You may use `sigmoid`. The check calls it on `z_w` and
# `y_w`, then on three other batches of logits, with soft targets anywhere between 0 and 1.
#
# <details><summary>Hint</summary>
#
# Take the two terms apart. You need $\frac{d}{dz}\log\sigma(z)$ and $\frac{d}{dz}\log(1 -
# \sigma(z))$; both follow from the chain rule and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$ (lesson
# 02). Check your result: with $w = 1$ it must reduce to $\frac1n(\sigma(z) - y)$.
#
# </details>

# %%
def my_weighted_gradient(z, y):
    """dL/dz of weighted_bce_with_logits(z, y, pos_weight); same shape as z."""
    ### BEGIN SOLUTION
    p = sigmoid(z)
    return ((1 - y) * p - pos_weight * y * (1 - p)) / len(z)
    ### END SOLUTION


# %%
check_weighted_logit_gradient(my_weighted_gradient, z_w, y_w, pos_weight)

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The two derivatives are $\frac{d}{dz}\log\sigma(z) = 1 - \sigma(z)$ and
# $\frac{d}{dz}\log(1 - \sigma(z)) = -\sigma(z)$, so
#
# $$\frac{\partial L}{\partial z_i} = \frac1n\big[(1 - y_i)\,\sigma(z_i) - w\,y_i\,(1 - \sigma(z_i))\big],$$
#
# which for $w = 1$ is $\frac1n(\sigma(z_i) - y_i)$. Central differences of
# `weighted_bce_with_logits` agree:
#
# </details>

# %% tags=["reveal"]
p_w = sigmoid(z_w)
weighted_grad = ((1 - y_w) * p_w - pos_weight * y_w * (1 - p_w)) / len(z_w)
numeric = numeric_gradient(lambda q: weighted_bce_with_logits(q, y_w, pos_weight), z_w)
error = relative_error(weighted_grad, numeric)
print("dL/dz:", weighted_grad.ravel())
print("(sigmoid(z) - y) / n, no weight:", ((p_w - y_w) / len(z_w)).ravel())
print(f"relative error to central differences: {format_relative_error(error)}"
      f" (below TOLERANCE: {error < TOLERANCE})")

# %% [markdown]
# Only the positive samples (entries 0, 2 and 3) pull harder, by the factor $w = 3$ on their
# term; the negative ones keep the gradient $\frac1n\,\sigma(z)$ they had.
#
# **A prediction: where does the clip bite?** A colleague computes $\partial L/\partial z$ of
# binary cross-entropy for the six logits below through the probability, as a network with a
# separate sigmoid layer does:
# `sigmoid_derivative(z) * binary_cross_entropy_gradient(sigmoid(z), y)`.

# %%
z_check = np.array([[1.0], [-2.0], [20.0], [33.0], [-35.0], [-30.0]])
y_check = np.array([[1.0], [0.0], [0.0], [0.0], [1.0], [0.0]])
for index, (z_value, y_value) in enumerate(zip(z_check.ravel(), y_check.ravel(), strict=True)):
    print(f"entry {index}: z = {z_value:5.1f}, y = {y_value:.0f}")

# %% [markdown]
# **Exercise 3 — predict the faded entries.** Without computing their gradient, predict which
# entries of it are wrong, that is, do not agree with the true $\frac1n(\sigma(z) - y)$ by the
# course's test. Put their indices in the list `wrong_entries` (an empty list if none). The
# cell after the check shows both gradients.
#
# <details><summary>Hint</summary>
#
# Ask two questions for each entry. Does the clip of `binary_cross_entropy` act, that is, is
# $p = \sigma(z)$ within $10^{-12}$ of 0 or of 1? And if it does, is the sample confidently
# wrong or confidently right? For the second question, write $\frac{p - y}{p(1 - p)}$ for
# $y = 0$ and for $y = 1$, and see whether the clipped $p$ still cancels.
#
# </details>

# %%
wrong_entries = None  # your answer: a list of indices, e.g. [0, 2]
### BEGIN SOLUTION
wrong_entries = [3, 4]
### END SOLUTION

# %%
check_faded_entries(wrong_entries, z_check, y_check)

# %% [markdown]
# For each entry: $p$ and $1 - p$ (computed as $\sigma(-z)$, so that it keeps its digits), both
# gradients, and their relative error, with the floor the exercise checks use, `FLOOR`: the
# denominator never drops below it, $10^{-3}$, so two numbers near 0 that differ by less than
# `TOLERANCE` times `FLOOR`, $10^{-9}$, count as agreeing. (Lesson 06 meets floors again: its `noise_floor` is another one, sized by the
# rounding noise of the loss.)

# %% tags=["reveal"]
colleague = sigmoid_derivative(z_check) * binary_cross_entropy_gradient(sigmoid(z_check), y_check)
fused = binary_cross_entropy_with_logits_gradient(z_check, y_check)
for index in range(len(z_check)):
    p_value, one_minus_p = sigmoid(z_check[index, 0]), sigmoid(-z_check[index, 0])
    print(f"entry {index}: p {p_value:.1e}, 1 - p {one_minus_p:.1e}"
          f"   colleague {colleague[index, 0]: .4e}   (sigmoid(z) - y) / n {fused[index, 0]: .4e}")

# %% tags=["reveal"]
print(f"FLOOR = {FLOOR:g}")
for index in range(len(z_check)):
    a, b = colleague[index, 0], fused[index, 0]
    entry_error = abs(a - b) / max(abs(a) + abs(b), FLOOR)
    print(f"entry {index}: relative error {format_relative_error(entry_error)}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# Entries 3 and 4 are wrong: there the sample is confidently wrong and the clip acts, at
# $1 - p = 4.7 \times 10^{-15}$ for $z = 33$ and at $p = 6.3 \times 10^{-16}$ for $z = -35$: the
# clip works at both ends. Entry 5 is clipped too ($p = 9.4 \times 10^{-14}$) but confidently
# right: with $y = 0$ the factor $\frac{p - y}{p(1 - p)} = \frac{1}{1 - p}$ is 1 to twelve digits
# whatever the clip does to $p$, and the product is right. Entry 2, at $z = 20$, is not clipped yet
# ($1 - p = 2.1 \times 10^{-9}$), and the two factors still cancel.
#
# </details>

# %% [markdown]
# ## Summary
#
# - The loss turns the errors of all samples into **one number**, their average, which training
#   drives down; its gradient with respect to the prediction is where the backward pass starts.
# - Mean squared error $\frac1n\sum_i \frac12\lVert\hat y_i - y_i\rVert^2$ has gradient $\frac1n(\hat y - y)$.
# - Mean squared error as PyTorch and scikit-learn compute it averages over all $n k$ entries and
#   has no $\tfrac12$: the course's $L$ is $k/2$ times theirs.
# - Binary cross-entropy on a sigmoid output, and softmax cross-entropy on logits, both have the
#   gradient $\frac1n(p - y)$ with respect to the logits: in exact arithmetic the activation's
#   derivative cancels against the loss's (for softmax, the Jacobian times $-y/p$ collapses
#   because $\sum_j y_j = 1$).
# - Code keeps that cancellation only when it computes the loss from the logits:
#   `binary_cross_entropy_with_logits` and `softmax_cross_entropy`. Behind a separate sigmoid
#   layer, cross-entropy on clipped probabilities sends back a gradient that fades once $z$ is
#   beyond about 27.63 on the wrong side, and mean squared error one that is multiplied by
#   $\sigma'(z) \le 0.25$ and fades already for moderate $z$: either way the network learns
#   least from its worst mistakes.
# - In the mean-squared-error run on lesson 00's XOR network the logits stay below 1.61 in size
#   and the sigmoid never saturates; through epoch 100, while $\sigma'(z)$ stays between 0.24
#   and 0.25, mean squared error on a sigmoid learns like cross-entropy with a quarter of the
#   learning rate. On one sigmoid neuron started confidently wrong ($z = 6$), mean squared error
#   moves $p$ only from 0.9975 to 0.9952 in 100 epochs, while cross-entropy from the logit
#   corrects the mistake.
# - We average over the batch so that the size of the gradient, and with it a good learning rate,
#   does not grow with the batch size.
# - Both cross-entropies are computed from the logits with the log-sum-exp trick (subtract the
#   largest exponent before exponentiating), and nothing overflows even for logits of $10^4$.
#
# [← 03 · The chain rule on a computational graph](03_chain_rule_on_a_graph.ipynb) | [Contents](00_start_here.ipynb) | [05 · Backpropagation →](05_backpropagation.ipynb)
