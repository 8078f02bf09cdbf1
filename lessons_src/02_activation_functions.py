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
# # 02 · Activation functions
# [← 01 · Forward propagation](01_forward_propagation.ipynb) | [Contents](00_start_here.ipynb) | [03 · The chain rule on a computational graph →](03_chain_rule_on_a_graph.ipynb)

# %% [markdown]
# > **Running this lesson.** Run the cells in order from the top (*Run → Run All Cells* runs
# > them all). The notebook opens showing the outputs of its last run, but a fresh kernel (a new
# > session, or after *Kernel → Restart Kernel*) has run nothing yet. To start from a cell in the
# > middle, click that cell, choose *Run → Run All Above Selected Cell*, then run the cell. Each
# > widget cell sets up what it needs and also runs on its own.
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/02_activation_functions.ipynb](../solutions/02_activation_functions.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - write down sigmoid, tanh, ReLU and softmax and the derivative of each, and check them with
#   sympy and with finite differences;
# - explain what non-linearity buys: without it, any stack of layers is one linear layer;
# - recognise **saturation**, where a derivative is almost zero;
# - compute sigmoid and softmax without overflow, and say why the naive formulas fail.

# %% [markdown]
# **Run this cell first.**

# %%
import numpy as np
import sympy as sp

from helpers.activations import (
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    tanh,
    tanh_derivative,
)
from helpers.data import xor
from helpers.gradcheck import TOLERANCE, format_relative_error, numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.plots import plot_activation
from helpers.symbolic import activation_derivative, expressions_equal, softmax_jacobian_derivative

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## What an activation function does
#
# In lesson 01 every neuron computed a pre-activation $z = \mathbf{w} \cdot \mathbf{x} + b$ and then
# an activation $a = f(z)$. The function $f$ is chosen once for the whole layer. It is the only
# place where a network bends: everything else is multiplying and adding. Later in this lesson
# you will see that without a bend, depth buys nothing.
#
# Backward propagation will need each $f$'s derivative $f'(z)$, so we meet the two together.
# The code derives each derivative with **sympy** (exact algebra) and checks the course's
# numpy version against **central differences**,
# $f'(z) \approx \dfrac{f(z + h) - f(z - h)}{2h}$ with a small $h$. The two agree when their
# relative error $|a - b| / (|a| + |b|)$, the largest over all entries, is below the course's one
# tolerance for "agree", `TOLERANCE` from `helpers.gradcheck`; the first check prints its value.

# %% [markdown]
# ## Sigmoid
#
# $$\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad \sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr).$$
#
# It squeezes every number into $(0, 1)$, with $\sigma(0) = 0.5$, so its output reads as a
# probability. The derivative has a neat form: it needs only the output $\sigma(z)$ itself,
# which the forward pass has already computed. sympy confirms it:

# %%
sigmoid_check = activation_derivative("sigmoid")
print("sympy.diff(sigma(z), z) =", sigmoid_check.diff)
print("the rule s (1 - s)      =", sigmoid_check.rule, " (with s written out)")
print("equal:", sigmoid_check.equal())

# %% [markdown]
# Numerically, at nine points from $-4$ to $4$: since $\sigma$ acts entry by entry, the gradient
# of $\sum_i \sigma(z_i)$ with respect to the vector $\mathbf{z}$ is exactly the list of
# derivatives $\sigma'(z_i)$, so one call to `numeric_gradient` checks them all.

# %%
z_grid = np.linspace(-4, 4, 9)
numeric = numeric_gradient(lambda v: sigmoid(v).sum(), z_grid)
analytic = sigmoid_derivative(z_grid)
print(f"sigmoid(0) = {sigmoid(0.0):.4f}")
print("sigmoid'(z):", analytic)
print("relative error:", format_relative_error(relative_error(analytic, numeric)))
print(f"relative error below TOLERANCE = {TOLERANCE:.0e}, so it agrees with central differences:",
      relative_error(analytic, numeric) < TOLERANCE)

# %% [markdown]
# The plot shows $\sigma$ (solid) with its derivative (dashed); the grey bands mark where the
# slope is below $0.05$.

# %% alt="sigmoid(z) for z from −6 to 6: an S-curve rising from 0 to 1 through 0.5 at z = 0, with its derivative as a dashed bump that peaks at 0.25 at z = 0; grey bands beyond |z| ≈ 2.9 mark where the slope is below 0.05."
plot_activation("sigmoid")

# %% [markdown]
# ## Tanh
#
# $$\tanh(z) = \frac{e^{z} - e^{-z}}{e^{z} + e^{-z}}, \qquad \tanh'(z) = 1 - \tanh^2(z).$$
#
# The same S-shape, stretched to $(-1, 1)$ and centred at $0$: $\tanh(0) = 0$ and the slope there
# is $1$. So, unlike the sigmoid, it turns negative inputs into negative outputs. Again the
# derivative needs only the output.

# %%
tanh_check = activation_derivative("tanh")
z_symbol = tanh_check.variables[0]
exp_form = (sp.exp(z_symbol) - sp.exp(-z_symbol)) / (sp.exp(z_symbol) + sp.exp(-z_symbol))
print("tanh(z) equals (e^z - e^-z) / (e^z + e^-z):", expressions_equal(sp.tanh(z_symbol), exp_form))
print("sympy.diff(tanh(z), z) =", tanh_check.diff, "  equals 1 - tanh^2:", tanh_check.equal())

numeric = numeric_gradient(lambda v: tanh(v).sum(), z_grid)
analytic = tanh_derivative(z_grid)
print(f"tanh(0) = {tanh(0.0):.4f}")
print("tanh'(z):", analytic)
print("agrees with central differences:", relative_error(analytic, numeric) < TOLERANCE)

# %% alt="tanh(z) for z from −6 to 6: an S-curve rising from −1 to 1 through 0 at z = 0, with its derivative as a dashed bump that peaks at 1 at z = 0; grey bands beyond |z| ≈ 2.2 mark where the slope is below 0.05."
plot_activation("tanh")

# %% [markdown]
# ## ReLU
#
# $$\mathrm{ReLU}(z) = \max(0, z), \qquad
#   \mathrm{ReLU}'(z) = \begin{cases} 1 & z > 0 \\ 0 & z < 0 \end{cases}$$
#
# The simplest bend: negative inputs become $0$, positive ones pass unchanged. Its derivative is
# a **step** (sympy calls it `Heaviside`). At the kink $z = 0$ there is no derivative; code must
# pick a number, and the cell below prints the course's choice. The central-difference check
# uses points away from the kink, where a finite difference is meaningful.

# %%
relu_check = activation_derivative("relu")
print("sympy.diff(max(0, z), z) =", relu_check.diff, "  equals the step:", relu_check.equal())

z_off_kink = np.array([-3.0, -1.5, -0.5, 0.5, 1.5, 3.0])
numeric = numeric_gradient(lambda v: relu(v).sum(), z_off_kink)
print("z       :", z_off_kink)
print("ReLU'(z):", relu_derivative(z_off_kink))
print("agrees with central differences:",
      relative_error(relu_derivative(z_off_kink), numeric) < TOLERANCE)
print(f"ReLU'(0) as chosen by the course: {relu_derivative(0.0):.1f}")

# %% alt="relu(z) for z from −6 to 6: 0 for negative z, then the straight line a = z up to 6; its derivative (dashed) is 0 for negative z and 1 for positive z, and the whole negative half is shaded grey, where the slope is below 0.05."
plot_activation("relu")

# %% [markdown]
# ## Softmax
#
# Softmax is different: it takes a whole vector $\mathbf{z} = (z_1, \dots, z_k)$ (one score per
# class) and returns a vector of probabilities that sum to 1:
# $$s_i = \frac{e^{z_i}}{\sum_{j=1}^{k} e^{z_j}}.$$
# The largest score gets the largest share, and every $s_i$ depends on **every** $z_j$. So the
# derivative is a matrix, the Jacobian $J_{ij} = \partial s_i / \partial z_j = s_i(\delta_{ij} - s_j)$
# (here $\delta_{ij}$ is 1 when $i = j$ and 0 otherwise):
# $$J = \operatorname{diag}(\mathbf{s}) - \mathbf{s}\,\mathbf{s}^\top.$$

# %%
jacobian_check = softmax_jacobian_derivative(3)
print("scores:", jacobian_check.variables)
print("sympy's Jacobian equals diag(s) - s s^T:", jacobian_check.equal())

# %% [markdown]
# Numerically, row $i$ of the Jacobian is the gradient of the single output $s_i$:

# %%
z_vec = np.array([2.0, 1.0, -1.0])
numeric_jac = np.vstack([numeric_gradient(lambda v, i=i: softmax(v)[i], z_vec) for i in range(3)])
print("softmax(z) =", softmax(z_vec), " sum =", f"{softmax(z_vec).sum():.4f}")
print(softmax_jacobian(z_vec))
print("agrees with central differences:",
      relative_error(softmax_jacobian(z_vec), numeric_jac) < TOLERANCE)

# %% [markdown]
# Softmax maps a vector to a vector, so it has no single curve to draw. With two scores it is an
# old friend: dividing top and bottom by $e^{z_1}$ gives
# $s_1 = \dfrac{e^{z_1}}{e^{z_1} + e^{z_2}} = \dfrac{1}{1 + e^{-(z_1 - z_2)}} = \sigma(z_1 - z_2)$,
# the sigmoid of the difference. So the sigmoid plot above is softmax's picture for two classes.

# %%
z1 = np.linspace(-6, 6, 13)
two_scores = np.stack([z1, np.full_like(z1, 0.5)], axis=1)  # rows (z1, z2) with z2 = 0.5
print("softmax(z1, z2)[0] == sigmoid(z1 - z2):", np.allclose(softmax(two_scores)[:, 0], sigmoid(z1 - 0.5)))

# %% [markdown]
# ## What non-linearity buys
#
# Take two layers **without** an activation (or with the identity, $f(z) = z$):
# $$(X W_1 + \mathbf{b}_1) W_2 + \mathbf{b}_2 = X\,\underbrace{W_1 W_2}_{W}
#   + \underbrace{\mathbf{b}_1 W_2 + \mathbf{b}_2}_{\mathbf{b}}.$$
# That is one layer with weights $W = W_1 W_2$ and bias $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$.
# However many linear layers we stack, they collapse into one. Let us check it.

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(5, 2))
layer1 = Dense(2, 3, weights=rng.normal(size=(2, 3)), bias=rng.normal(size=3))
layer2 = Dense(3, 1, weights=rng.normal(size=(3, 1)), bias=rng.normal(size=1))
identity = ActivationLayer("identity")

two_layers = identity.forward(layer2.forward(identity.forward(layer1.forward(X))))
W = layer1.W @ layer2.W
b = layer1.b @ layer2.W + layer2.b
one_layer = X @ W + b
print("two linear layers:", two_layers.ravel())
print("one layer W1 W2  :", one_layer.ravel())
print("the same:", np.allclose(two_layers, one_layer))

# %% [markdown]
# A linear model can only draw a straight line (a plane) between classes. **XOR** is the classic
# problem no straight line solves: the output is 1 when exactly one input is 1. The best linear
# fit (least squares) gives up and predicts $0.5$ for every point:

# %%
X_xor, y_xor = xor()
design = np.hstack([X_xor, np.ones((4, 1))])  # a column of ones for the bias
coefficients, *_ = np.linalg.lstsq(design, y_xor, rcond=None)
print("best linear weights and bias:", coefficients.round(4) + 0.0)  # + 0.0 turns -0.0 into 0.0
print("its predictions             :", design @ coefficients)

# %% [markdown]
# Add one tanh layer and XOR is easy. Two hidden neurons both look at $x_1 + x_2$: one switches on
# when the sum passes $0.5$, the other when it passes $1.5$. Their difference is "exactly one".
# The weights below are set by hand (5 makes each tanh switch sharply); the predictions land
# close to the targets. Lesson 07 finds such weights by itself, with gradient descent.

# %%
hidden = Dense(2, 2, weights=5.0 * np.ones((2, 2)), bias=[-2.5, -7.5])
output = Dense(2, 1, weights=[[0.5], [-0.5]], bias=[0.0])
tanh_layer = ActivationLayer("tanh")
prediction = output.forward(tanh_layer.forward(hidden.forward(X_xor)))
for point, target, pred in zip(X_xor, y_xor, prediction.ravel(), strict=True):
    print(f"x = {point}  target {target:.0f}  prediction {pred:.4f}")

# %% [markdown]
# ## Saturation
#
# Far from zero, sigmoid and tanh become flat: their derivative is almost $0$. The neuron is
# **saturated**: a small change of $z$ barely changes $a$, so the gradient that backpropagation
# sends through it is tiny and learning slows down. The sigmoid's steepest slope is only $0.25$
# (at $z = 0$); ReLU does not saturate for $z > 0$ but is flat, and passes nothing, for $z < 0$.

# %%
print("    z     sigmoid'     tanh'      ReLU'")
for z_value in (0.0, 2.0, 5.0, 10.0, -10.0):
    print(
        f"{z_value:5.0f}   {sigmoid_derivative(z_value):.2e}   "
        f"{tanh_derivative(z_value):.2e}   {relu_derivative(z_value):.0f}"
    )

# %% [markdown]
# Through many sigmoid layers these factors multiply. Each is at most $0.25$ (its value at
# $z = 0$), so ten sigmoid derivatives multiply to at most

# %%
print(f"0.25 ** 10 = {0.25**10:.2e}")

# %% [markdown]
# So, unless the weights make up for it, ten sigmoid layers shrink the gradient that reaches
# the first layer to at most $9.54 \times 10^{-7}$ of its size: less than a millionth.
# Lesson 08 measures this.
#
# At $z = 4$ the sigmoid's tangent is almost flat (slope $0.0177$), and the grey bands show
# how much of the axis is like that:

# %% alt="The sigmoid curve again with the point z = 4 marked at a ≈ 0.98 and its tangent of slope 0.0177, almost flat: the point lies in the grey band where the slope is below 0.05, where the sigmoid is saturated."
print(f"sigmoid'(4) = {sigmoid_derivative(4.0):.4f}")
plot_activation("sigmoid", z=4.0, title="sigmoid at z = 4: saturated")

# %% [markdown]
# ## Computing them safely
#
# A float64 cannot hold arbitrarily large numbers, so $e^{z}$ **overflows** to `inf` as soon as
# $z$ passes the logarithm of the largest float64:

# %%
print(f"largest float64: {np.finfo(np.float64).max:.2e};  its log: {np.log(np.finfo(np.float64).max):.2f}")

# %% [markdown]
# The largest float64 is about $1.8 \times 10^{308}$, so $e^{z}$ overflows for $z$ above about
# $709.78$.
#
# The textbook sigmoid $1 / (1 + e^{-z})$ at $z = -1000$ has to compute $e^{1000}$, and so does
# the equivalent form $e^{z} / (1 + e^{z})$ at $z = +1000$. Let us see what numpy returns
# (it normally warns about the overflow; `np.errstate` silences the warning so we can look at the
# results):

# %%
with np.errstate(over="ignore", invalid="ignore"):
    big = np.exp(np.float64(1000.0))
    naive_left = 1 / (1 + np.exp(-np.float64(-1000.0)))
    naive_right = np.exp(np.float64(1000.0)) / (1 + np.exp(np.float64(1000.0)))
print(f"exp(1000) = {big}")
print(f"1 / (1 + exp(-z)) at z = -1000: {naive_left}")
print(f"exp(z) / (1 + exp(z)) at z = +1000: {naive_right}")

# %% [markdown]
# $e^{1000}$ is `inf`. The first form then gives $1 / \infty = 0$, which happens to be right
# (the true value, about $e^{-1000}$, is far below the smallest positive float64); the second
# gives $\infty / \infty$ = `nan`.
#
# The cure is to only ever exponentiate a number $\le 0$. With $u = e^{-|z|} \le 1$:
# $\sigma(z) = 1 / (1 + u)$ for $z \ge 0$ and $\sigma(z) = u / (1 + u)$ for $z < 0$ (multiply
# top and bottom by $e^{z}$). The two cases by hand, next to `helpers.activations.sigmoid`,
# which does exactly this:

# %%
z_test = np.array([-1000.0, -3.0, 0.0, 3.0, 1000.0])
e_small = np.exp(-np.abs(z_test))  # the exponent is never positive: no overflow
by_cases = np.where(z_test >= 0, 1 / (1 + e_small), e_small / (1 + e_small))
print("z              :", z_test)
print("the two cases  :", by_cases)
print("helpers sigmoid:", sigmoid(z_test))

# %% [markdown]
# Softmax has the same trap. The naive formula on $\mathbf{z} = (1000, 0, -1000)$:

# %%
z_wide = np.array([1000.0, 0.0, -1000.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive_softmax = np.exp(z_wide) / np.exp(z_wide).sum()
print("naive softmax:", naive_softmax)

# %% [markdown]
# The first entry is $e^{1000} / \sum_j e^{z_j} = \infty / \infty$ = `nan` instead of 1. The
# other two are a finite number divided by $\infty$, that is 0, which happens to be right (their
# true values, about $e^{-1000}$ and $e^{-2000}$, are below the smallest positive float64).
#
# **The max-subtraction trick.** Subtracting the same number $c$ from every score changes
# nothing, because $e^{-c}$ cancels:
# $$\frac{e^{z_i - c}}{\sum_j e^{z_j - c}} = \frac{e^{-c}\, e^{z_i}}{e^{-c} \sum_j e^{z_j}}
#   = \frac{e^{z_i}}{\sum_j e^{z_j}}.$$
# Choose $c = \max_j z_j$: every exponent is now $\le 0$, nothing overflows, and the largest term
# is exactly $e^0 = 1$, so the sum is at least 1 and never $0$.

# %%
z_sym, c = jacobian_check.variables, sp.Symbol("c", real=True)
shifted = sp.exp(z_sym[0] - c) / sum(sp.exp(zj - c) for zj in z_sym)
print("shift changes nothing (sympy):", expressions_equal(shifted, jacobian_check.expression[0]))
print("shift changes nothing (numpy):", np.allclose(softmax(z_vec), softmax(z_vec - 3.0)))

shifted_scores = z_wide - z_wide.max()
manual = np.exp(shifted_scores) / np.exp(shifted_scores).sum()
print("z - max(z)      :", shifted_scores)
print("stable softmax  :", manual)
print("helpers.softmax :", softmax(z_wide))

# %% [markdown]
# ## Explore
#
# The explorer shows one activation and its derivative. Pick a function in the **activation**
# menu and drag the **z** slider (both at the top): the red-orange dot marks $f(z)$, the solid
# red-orange line through it is the tangent, of slope $f'(z)$ (the dashed orange curve is
# $f'$ itself), and the equation above the picture (under the controls) gives both numbers. Drag far to the left
# and right to watch sigmoid and tanh saturate (a line under the equation says so when
# $|f'(z)| < 0.05$, and says "flat" where the slope is exactly 0); try ReLU on both sides of $0$.
# (Softmax is not in the menu: it needs a whole vector of scores.)

# %% tags=["nbval-ignore-output"]
from helpers.widgets import ActivationExplorer

ActivationExplorer("sigmoid", z=0.0)

# %% [markdown]
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Each exercise has a cell for your answer and, below it, a cell that checks it.

# %%
from helpers.exercises import check_activation, check_elu

# %% [markdown]
# **Exercise 1 — a new activation, ELU.** The *exponential linear unit* is ReLU with a smooth
# negative side: for a number $\alpha > 0$,
# $$\mathrm{ELU}(z) = \begin{cases} z & z > 0 \\ \alpha\,(e^{z} - 1) & z \le 0. \end{cases}$$
# For $z > 0$ it is the same as ReLU; for very negative $z$ it flattens out near $-\alpha$
# instead of at $0$. The package does not have it. Write `elu(z, alpha)` and its derivative
# `elu_derivative(z, alpha)` with numpy, for an array `z` (`np.where(condition, a, b)` picks
# `a` where the condition holds and `b` elsewhere, entry by entry). The check compares your
# derivative with central differences of ELU at the points `z_check` with $\alpha = 0.5$, and
# at other points and other $\alpha$.
#
# <details><summary>Hint</summary>
#
# Differentiate each piece on its own with respect to $z$. The derivative of $e^{z}$ is $e^{z}$. At $z = 0$ the two
# pieces meet, but their slopes agree only when $\alpha = 1$; the check's points keep away
# from $z = 0$.
#
# </details>

# %%
z_check = np.concatenate([np.linspace(-6, -0.25, 24), np.linspace(0.25, 6, 24)])


def elu(z, alpha):
    """ELU(z) for an array z, same shape."""
    ### BEGIN SOLUTION
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))
    ### END SOLUTION


def elu_derivative(z, alpha):
    """ELU'(z) for an array z, same shape."""
    ### BEGIN SOLUTION
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))
    ### END SOLUTION


# %%
check_elu(elu, elu_derivative, z_check, alpha=0.5)

# %% [markdown]
# **Exercise 2 — softmax for a batch.** A batch holds one row of $k$ scores per sample, and
# softmax turns each row into probabilities on its own. Write `batch_softmax(Z)` for an array
# `Z` of shape $(n, k)$ with numpy: every row of the result must sum to 1, also for rows whose
# scores are huge, far apart, or all very negative, like those of `score_rows` below. The check runs it on `score_rows` and on three
# other batches.
#
# <details><summary>Hint</summary>
#
# The max-subtraction trick above works on one vector. Here each row needs its own shift and
# its own sum. Which `axis` do `max` and `sum` take, and what does `keepdims=True` do to the
# shape of the result, so that it lines up with the rows of `Z`?
#
# </details>

# %%
score_rows = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0],
                       [0.0, 0.0, 0.0]])  # 4 samples, 3 scores each


def batch_softmax(Z):
    """softmax of each row of Z (n, k): n rows of k probabilities, each row summing to 1."""
    ### BEGIN SOLUTION
    exps = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)
    ### END SOLUTION


# %%
check_activation(batch_softmax, "softmax", score_rows, z_name="Z")

# %% [markdown]
# The package's `softmax` does the same for every row:

# %%
print(softmax(score_rows))
print("row sums:", softmax(score_rows).sum(axis=1))

# %% [markdown]
# ## Summary
#
# - Sigmoid $\sigma(z) = 1/(1+e^{-z})$, in $(0, 1)$, $\sigma' = \sigma(1-\sigma)$.
#   Tanh, in $(-1, 1)$, $\tanh' = 1 - \tanh^2$. ReLU $\max(0, z)$, derivative a step (0 at the kink
#   by choice). Softmax turns scores into probabilities; its Jacobian is
#   $\operatorname{diag}(\mathbf{s}) - \mathbf{s}\mathbf{s}^\top$.
# - Without a non-linear activation a stack of layers is one linear layer
#   ($W = W_1 W_2$, $\mathbf{b} = \mathbf{b}_1 W_2 + \mathbf{b}_2$) and cannot solve XOR.
# - Sigmoid and tanh saturate: for large $|z|$ their derivative is nearly zero, so little
#   gradient flows back.
# - Exponentials overflow above $z \approx 709.78$: compute sigmoid from $e^{-|z|}$ and softmax
#   after subtracting the maximum score.
#
# [← 01 · Forward propagation](01_forward_propagation.ipynb) | [Contents](00_start_here.ipynb) | [03 · The chain rule on a computational graph →](03_chain_rule_on_a_graph.ipynb)
