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
# # 06 · Gradient checking
# [← 05 · Backpropagation](05_backpropagation.ipynb) | [Contents](00_start_here.ipynb) | [07 · Training with gradient descent →](07_training_with_gradient_descent.ipynb)

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
# - approximate a derivative with a **forward** and a **central difference**, and derive from
#   Taylor series why their errors shrink like $h$ and like $h^2$;
# - explain why a smaller step $h$ is not always better (round-off error grows like
#   $\varepsilon / h$) and pick a good $h$;
# - compare an analytic gradient with a numeric one through the **relative error**, and say what
#   a value of $10^{-10}$, $10^{-5}$ or $10^{-1}$ means;
# - check every weight and bias of a network at once, and use the result to locate a bug in a
#   backward pass.

# %% [markdown]
# ## Why check gradients at all?
#
# Backpropagation is code that *you* write: every layer's `backward` is a few lines of matrix
# algebra, and one misplaced transpose, a missing factor or a forgotten activation derivative is
# enough to make it wrong. The worst part is that a wrong gradient rarely crashes anything.
# Training still runs, the loss often still goes down a little, and you blame the learning rate.
#
# The cure is an independent second opinion. The derivative is *defined* as a limit of
# difference quotients, and a difference quotient needs nothing but the forward pass:
# nudge one number, run the network again, see how much the loss moved. It is far too slow to
# train with (lesson 08 says why), but it is an excellent referee.
#
# **Run this cell first.**

# %%
import matplotlib.pyplot as plt
import numpy as np
import sympy as sp

from helpers.exercises import check_dense_backward, check_loss_gradient
from helpers.gradcheck import (
    check_layer,
    check_network,
    forward_difference_gradient,
    numeric_gradient,
    relative_error,
)
from helpers.layers import ActivationLayer, Dense
from helpers.losses import binary_cross_entropy
from helpers.network import build_network

np.set_printoptions(precision=4, suppress=True)

# %% [markdown]
# ## Two difference quotients
#
# Take a function $f$ of one number and a small step $h > 0$. The **forward difference** looks
# one step ahead; the **central difference** looks one step each way and divides by the
# distance $2h$ between the two points:
#
# $$D_{\text{fwd}}(h) = \frac{f(x + h) - f(x)}{h}, \qquad
#   D_{\text{cen}}(h) = \frac{f(x + h) - f(x - h)}{2h}.$$
#
# Both tend to $f'(x)$ as $h \to 0$. How fast? Write Taylor's expansion of $f$ around $x$:
#
# $$f(x \pm h) = f(x) \pm h f'(x) + \frac{h^2}{2} f''(x) \pm \frac{h^3}{6} f'''(x) + O(h^4).$$
#
# In the forward difference $f(x)$ cancels and the rest is divided by $h$:
#
# $$D_{\text{fwd}}(h) = f'(x) + \frac{h}{2} f''(x) + O(h^2),$$
#
# so its error is of **order $h$**. In the central difference the even powers cancel too
# ($f(x)$ and the $h^2$ terms appear with the same sign on both sides):
#
# $$D_{\text{cen}}(h) = f'(x) + \frac{h^2}{6} f'''(x) + O(h^4),$$
#
# an error of **order $h^2$**. Make $h$ ten times smaller and the forward error drops ten
# times, the central error a hundred times. sympy confirms both expansions for an arbitrary
# function $f$:

# %%
x, h = sp.symbols("x h")
f = sp.Function("f")
forward = (f(x + h) - f(x)) / h
central = (f(x + h) - f(x - h)) / (2 * h)

for name, quotient in [("forward", forward), ("central", central)]:
    error = sp.series(quotient, h, 0, 3).doit() - sp.diff(f(x), x)
    print(f"{name} difference - f'(x) = {error}")

# %% [markdown]
# The forward error starts with $\frac{h}{2} f''(x)$, the central one with
# $\frac{h^2}{6} f'''(x)$, exactly as derived. A quick numeric example with $f = \exp$ at
# $x = 1$ (where $f = f' = f'' = f''' = e$) and $h = 10^{-3}$: the two errors should be close
# to $\frac{h}{2} e \approx 1.36 \times 10^{-3}$ and $\frac{h^2}{6} e \approx 4.53 \times 10^{-7}$.

# %%
x0, step = 1.0, 1e-3
exact = np.exp(x0)
d_forward = (np.exp(x0 + step) - np.exp(x0)) / step
d_central = (np.exp(x0 + step) - np.exp(x0 - step)) / (2 * step)
print(f"exact f'(1)         = {exact:.10f}")
print(f"forward difference  = {d_forward:.10f}   error {d_forward - exact:.2e}")
print(f"central difference  = {d_central:.10f}   error {d_central - exact:.2e}")
print(f"predicted errors: h/2 * e = {step / 2 * exact:.2e},  h^2/6 * e = {step**2 / 6 * exact:.2e}")

# %% [markdown]
# `helpers.gradcheck` has both quotients for functions of whole arrays: `numeric_gradient`
# (central) and `forward_difference_gradient` nudge one entry at a time and return an array
# shaped like the input. For one number we wrap it in an array of length 1:

# %%
def f_exp(v):
    """A scalar function of a length-1 array."""
    return float(np.exp(v[0]))


v0 = np.array([x0])
print(f"numeric_gradient            : {numeric_gradient(f_exp, v0, h=step)[0]:.10f}")
print(f"forward_difference_gradient : {forward_difference_gradient(f_exp, v0, h=step)[0]:.10f}")

# %% [markdown]
# ## Smaller is not always better: the step size
#
# Taylor says: shrink $h$ and the error shrinks. The computer disagrees below some point.
# Every float64 value carries a relative rounding error of about
# $\varepsilon = 2.22 \times 10^{-16}$ (machine epsilon). When $h$ is tiny, $f(x + h)$ and
# $f(x)$ agree in almost all their digits; subtracting them cancels those digits and leaves
# mostly rounding noise of size about $\varepsilon |f|$, which we then divide by $h$. So the
# total error is roughly
#
# $$E_{\text{fwd}}(h) \approx \underbrace{\tfrac{h}{2} |f''|}_{\text{truncation}}
#   + \underbrace{\tfrac{\varepsilon |f|}{h}}_{\text{round-off}}, \qquad
#   E_{\text{cen}}(h) \approx \tfrac{h^2}{6} |f'''| + \tfrac{\varepsilon |f|}{h}.$$
#
# One term falls with $h$, the other rises. Setting the derivative of each sum to zero gives
# the best step: $h^\ast \sim \sqrt{\varepsilon} \approx 1.5 \times 10^{-8}$ for the forward
# difference and $h^\ast \sim \varepsilon^{1/3} \approx 6.1 \times 10^{-6}$ for the central one
# (when $f$ and its derivatives are of order 1).

# %%
eps = np.finfo(np.float64).eps
print(f"machine epsilon       = {eps:.2e}")
print(f"eps ** (1/2)          = {eps ** 0.5:.1e}   (best forward step, roughly)")
print(f"eps ** (1/3)          = {eps ** (1 / 3):.1e}   (best central step, roughly)")

# %% [markdown]
# Let us measure it. For 25 step sizes from $10^{-1}$ down to $10^{-13}$ we compute both
# quotients of $f = \exp$ at 101 points $x \in [0.5, 1.5]$ and average the absolute error over
# the points (one point alone gives a jumpy curve, because round-off is noise).

# %%
xs = np.linspace(0.5, 1.5, 101)
steps = np.logspace(-1, -13, 25)
err_forward = np.array([np.mean(np.abs((np.exp(xs + s) - np.exp(xs)) / s - np.exp(xs)))
                        for s in steps])
err_central = np.array([np.mean(np.abs((np.exp(xs + s) - np.exp(xs - s)) / (2 * s) - np.exp(xs)))
                        for s in steps])
best_forward = steps[np.argmin(err_forward)]
best_central = steps[np.argmin(err_central)]
def order(value):
    """The power of ten just below a positive number, e.g. 3.2e-11 -> 1e-11."""
    return f"1e{int(np.floor(np.log10(value))):03d}"


print(f"best h, forward: {best_forward:.0e}   (error of order {order(err_forward.min())})")
print(f"best h, central: {best_central:.0e}   (error of order {order(err_central.min())})")
print(f"central error at h = 1e-6: of order {order(err_central[np.argmin(np.abs(steps - 1e-6))])}")
print(f"the exact derivatives exp(x) range from {np.exp(xs[0]):.1f} to {np.exp(xs[-1]):.1f}")

# %%
fig, ax = plt.subplots(figsize=(7, 4.5))
ax.loglog(steps, err_forward, "o-", label="forward difference")
ax.loglog(steps, err_central, "s-", label="central difference")
ax.loglog(steps, steps, "k:", lw=1, label="slope 1 (h)")
ax.loglog(steps, steps**2, "k--", lw=1, label="slope 2 (h²)")
ax.loglog(steps, eps / steps, "k-.", lw=1, label="round-off ε/h")
ax.axvline(eps**0.5, color="C0", alpha=0.3)
ax.axvline(eps ** (1 / 3), color="C1", alpha=0.3)
ax.set_ylim(1e-13, 1)
ax.set_xlabel("step size h")
ax.set_ylabel("mean |error|")
ax.set_title("Finite-difference error against step size (f = exp)")
ax.legend(loc="lower left", fontsize=8)
plt.show()

# %% [markdown]
# Read the plot from right to left (from large $h$ to small):
#
# - at large $h$ the truncation error rules: the forward curve runs parallel to the slope-1
#   line, the central curve parallel to the slope-2 line, far below;
# - each curve turns around at its best $h$ (the faint vertical lines mark
#   $\sqrt{\varepsilon}$ and $\varepsilon^{1/3}$), and the measured minima above sit right
#   next to them;
# - to the left of the minimum both curves climb along the $\varepsilon / h$ line: pure
#   round-off, now the same for both methods.
#
# The slopes on the right can be measured with a straight-line fit of $\log E$ against
# $\log h$, for $h$ between $10^{-1}$ and $10^{-4}$:

# %%
right = steps >= 1e-4
slope_forward = np.polyfit(np.log10(steps[right]), np.log10(err_forward[right]), 1)[0]
slope_central = np.polyfit(np.log10(steps[right]), np.log10(err_central[right]), 1)[0]
print(f"slope of the forward error: {slope_forward:.2f}")
print(f"slope of the central error: {slope_central:.2f}")

# %% [markdown]
# The central difference wins twice: smaller error at every sensible $h$, and a best error
# of order $10^{-11}$ instead of $10^{-8}$. It costs two evaluations of $f$
# per entry instead of one (the forward difference can reuse $f(x)$), a price always worth
# paying in a check.
# `numeric_gradient` therefore uses central differences, with a default step of $10^{-6}$:
# near the bottom of the central curve, for values of $f$ of order 1.

# %% [markdown]
# ## Relative error: how close is close enough?
#
# Now we have two gradients for the same parameters: the analytic one $a$ from backprop and
# the numeric one $n$ from differences. An *absolute* difference $|a - n| = 10^{-6}$ means
# nothing by itself: excellent for a gradient of size 100, terrible for one of size
# $10^{-7}$. So we divide by the size of the numbers:
#
# $$\text{relative error} = \max_i \frac{|a_i - n_i|}{|a_i| + |n_i|},$$
#
# the worst entry wins. It is 0 for a perfect match and at most 1 (reached when the signs are
# opposite, or when one of the two is 0 and the other is not).
# Rules of thumb, for float64, central differences and $h \approx 10^{-6}$:
#
# | relative error | verdict |
# |---|---|
# | below $10^{-7}$ | great: the gradient is right |
# | $10^{-7}$ to $10^{-4}$ | suspicious: look for kinks (ReLU at 0, max), a poor $h$ or a one-sided difference |
# | above $10^{-4}$ | probably a bug |
#
# Why these lines? The measurement above tells us what a correct gradient gives: the central
# difference at $h = 10^{-6}$ is off by something of order $10^{-10}$, for derivatives between
# 1.6 and 4.5, so $10^{-7}$ leaves a safety margin of several hundred (a network's loss, with many
# more operations, collects a little more rounding, and still lands far below $10^{-7}$).
# A *bug*, on the other hand, rarely makes a small error: a missing factor 2 gives $1/3$, a
# flipped sign gives 1, a missing activation derivative gives errors of order 1.
# Nothing honest produces $10^{-3}$ in float64, except the special cases of the middle row. The
# function below turns the table into code; we use it for the rest of the lesson.

# %%
def verdict(error):
    """Classify a relative error between an analytic and a numeric gradient."""
    if error < 1e-7:
        return "great (< 1e-7)"
    if error < 1e-4:
        return "suspicious (1e-7 .. 1e-4): kink, step size or one-sided difference?"
    return f"probably a bug ({error:.2f})"


# %% [markdown]
# Let us try the verdicts on $L(\mathbf{w}) = \sum_i \tanh(w_i)^2$, whose gradient is
# $2 \tanh(w_i)\,(1 - \tanh^2 w_i)$, in four situations: the correct gradient against central
# differences, the correct gradient against a one-sided (forward) difference with
# $h = 10^{-5}$, a gradient that lost a factor 2, and one with the wrong sign.

# %%
w = np.array([0.3, -1.2, 0.8, 2.0])


def loss_tanh(v):
    return float(np.sum(np.tanh(v) ** 2))


grad_true = 2 * np.tanh(w) * (1 - np.tanh(w) ** 2)
grad_central = numeric_gradient(loss_tanh, w, h=1e-6)
grad_forward = forward_difference_gradient(loss_tanh, w, h=1e-5)
print("correct, central     :", verdict(relative_error(grad_true, grad_central)))
print("correct, forward     :", verdict(relative_error(grad_true, grad_forward)))
print("bug (factor 2 lost)  :", verdict(relative_error(grad_true / 2, grad_central)))
print("bug (sign flipped)   :", verdict(relative_error(-grad_true, grad_central)))

# %% [markdown]
# The kink: ReLU has slope 0 on the left and 1 on the right of zero. If an entry sits closer
# to 0 than $h$, the two evaluations land on different sides, and the central difference
# returns a value between the two slopes (here 0.7) that belongs to neither.

# %%
w_kink = np.array([0.5, -0.7, 4e-7])


def loss_relu(v):
    return float(np.sum(np.maximum(v, 0.0)))


grad_relu = (w_kink > 0).astype(float)  # the analytic slope: 1 where positive
grad_relu_numeric = numeric_gradient(loss_relu, w_kink, h=1e-6)
print("analytic:", grad_relu, " numeric:", grad_relu_numeric)
print("kink     :", verdict(relative_error(grad_relu, grad_relu_numeric)))

# %% [markdown]
# A kink can make the relative error as large as a bug. The way out is to check again with the
# offending input moved away from 0 (or with a smaller $h$): a genuine bug stays, a kink goes.
# With random inputs and $h = 10^{-6}$ a kink is hit rarely, so check a few seeds.
#
# ## Checking a whole network
#
# `check_network(network, X, y, loss)` does this for every weight and bias. It treats the
# loss as a function of one parameter array at a time, computes the numeric gradient entry by
# entry with central differences, runs one forward and backward pass for the analytic one, and
# reports the relative error of each parameter array. (An entry that is almost zero cannot be
# judged by its own size, since the rounding noise of its numeric estimate may be a large
# fraction of it; `check_network` puts a floor under the denominator, so such entries are held
# to an absolute standard instead.)

# %%
rng = np.random.default_rng(0)
X = rng.normal(size=(8, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(float)
network = build_network([2, 3, 1], hidden="tanh", output="sigmoid", rng=0)
report = check_network(network, X, y, "binary_cross_entropy")
for entry in report.entries:
    print(f"{entry.parameter:<12} {verdict(entry.relative_error)}")
print("passed:", report.passed())

# %% [markdown]
# Every parameter is great. This is what a correct backward pass looks like.
#
# ## Hunting a planted bug
#
# Now we plant a bug, the kind that really happens. In the dense layer's backward pass the
# bias gradient is the sum of the upstream gradient over the batch,
# $\partial L / \partial \mathbf{b} = \sum_{\text{rows}} \partial L / \partial \mathbf{z}$.
# Someone "normalises" it with a mean instead. It looks harmless: it even runs.
#
# The network calls each layer's public `backward`, so overriding it in a subclass is enough.

# %%
class BuggyDense(Dense):
    """A Dense layer whose backward pass averages the bias gradient (wrong!)."""

    def backward(self, upstream_grad):
        self.dW = self.x.T @ upstream_grad
        self.db = upstream_grad.mean(axis=0)  # BUG: should be .sum(axis=0)
        return upstream_grad @ self.W.T


# %% [markdown]
# We swap it in for the second dense layer (layer index 2), with the very same weights, and
# ask the referee.

# %%
buggy = network.copy()
old = buggy.layers[2]
buggy.layers[2] = BuggyDense(old.n_in, old.n_out, weights=old.W, bias=old.b)
report_buggy = check_network(buggy, X, y, "binary_cross_entropy")
for entry in report_buggy.entries:
    print(f"{entry.parameter:<12} {verdict(entry.relative_error)}")
print("worst entry:", report_buggy.worst_entry)

# %% [markdown]
# Only the bias of layer 2 fails, so the bug is in how layer 2 computes `db`, and nowhere
# else. Its size tells the story too: the loss already averages over the $n = 8$ samples, so
# the mean divides by $n$ a second time and `db` comes out 8 times too small. Two numbers
# that differ by a factor $n$ have relative error $(n - 1)/(n + 1)$:

# %%
n = len(X)
print(f"n                 = {n}")
print(f"(n - 1) / (n + 1) = {(n - 1) / (n + 1):.4f}")
print(f"measured          = {report_buggy.worst_relative_error:.4f}")

# %% [markdown]
# A second classic: an activation layer that forgets to multiply by its derivative
# $f'(z)$ and passes the upstream gradient through unchanged. Where does the referee point now?

# %%
class ForgetfulActivation(ActivationLayer):
    """An activation layer whose backward pass forgets the factor f'(z) (wrong!)."""

    def backward(self, upstream_grad):
        return upstream_grad  # BUG: should be upstream_grad * f'(z)


forgetful = network.copy()
forgetful.layers[1] = ForgetfulActivation("tanh")
report_forgetful = check_network(forgetful, X, y, "binary_cross_entropy")
for entry in report_forgetful.entries:
    print(f"{entry.parameter:<12} {verdict(entry.relative_error)}")

# %% [markdown]
# The parameters *after* the broken layer (layer 2) are still right: their gradients never
# pass through it. Every parameter *before* it (layer 0) is wrong, because its gradient flows
# back through the broken step. The rule for locating a bug: it sits between the last
# parameter that is right and the first one that is wrong, counting from the output.
#
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# ### Exercise 1: a central difference by hand
#
# Compute the gradient of the binary cross-entropy with respect to the three predicted
# probabilities `p`, **numerically**: for each entry, nudge it up by $h$ and down by $h$
# (on copies of `p`), evaluate the loss both times and form the central difference. Store the
# results in an array `numeric` shaped like `p`. The check compares it with the exact gradient
# $\frac{1}{n}\,\frac{p - y}{p\,(1 - p)}$.

# %%
p = np.array([[0.2], [0.7], [0.9]])
y_ex = np.array([[0.0], [1.0], [1.0]])
h_ex = 1e-5
numeric = None  # your answer: the central-difference gradient, shape (3, 1)
### BEGIN SOLUTION
numeric = np.zeros_like(p)
for i in range(len(p)):
    up, down = p.copy(), p.copy()
    up[i, 0] += h_ex
    down[i, 0] -= h_ex
    numeric[i, 0] = (binary_cross_entropy(up, y_ex) - binary_cross_entropy(down, y_ex)) / (2 * h_ex)
### END SOLUTION
check_loss_gradient(numeric, "binary_cross_entropy", p, y_ex)

# %% [markdown]
# ### Exercise 2: find the bug
#
# Below is a dense layer's backward pass with **one** bug in it. It runs without complaint:
# the layer is square (3 inputs, 3 outputs), so even a wrong matrix product has the right
# shape. First let `check_layer` (the one-layer version of `check_network`, which also checks
# $\partial L / \partial \mathbf{x}$, the gradient handed to the layer below) tell you which of
# the three gradients is off.

# %%
def buggy_dense_backward(x, W, upstream_grad):
    """Backward pass of z = x @ W + b: returns (dW, db, dx). Contains one bug."""
    dW = x.T @ upstream_grad
    db = upstream_grad.sum(axis=0)
    dx = upstream_grad @ W
    return dW, db, dx


class MysteryDense(Dense):
    """A Dense layer whose backward pass is buggy_dense_backward."""

    def backward(self, upstream_grad):
        self.dW, self.db, dx = buggy_dense_backward(self.x, self.W, upstream_grad)
        return dx


x_check = np.random.default_rng(1).normal(size=(5, 3))
for entry in check_layer(MysteryDense(3, 3, rng=0), x_check).entries:
    print(f"{entry.parameter:<4} {verdict(entry.relative_error)}")

# %% [markdown]
# Now write the corrected backward pass for the square layer below: compute `dW`, `db` and
# `dx` from `x_ex`, `W_ex` and the upstream gradient `g_ex`. (Hint: look at the shapes.
# $\mathbf{z}$ is $\mathbf{x} W$, so how does a change in $\mathbf{x}$ reach $\mathbf{z}$? For a
# square $W$ a wrong product has the right shape, so only the numbers can tell.) The check says
# what is still wrong, part by part.

# %%
rng_ex = np.random.default_rng(2)
x_ex = rng_ex.normal(size=(4, 3))  # the layer's input
W_ex = rng_ex.normal(size=(3, 3))  # its weights
g_ex = rng_ex.normal(size=(4, 3))  # the upstream gradient dL/dz
dW, db, dx = None, None, None  # your answer: the corrected dL/dW, dL/db, dL/dx
### BEGIN SOLUTION
dW = x_ex.T @ g_ex
db = g_ex.sum(axis=0)
dx = g_ex @ W_ex.T
### END SOLUTION
check_dense_backward(dW, db, dx, x_ex, W_ex, g_ex)

# %% [markdown]
# ### Question: read a relative error
#
# Three networks are checked with `check_network`. Their worst relative errors are
#
# - network A (tanh): $2 \times 10^{-9}$,
# - network B (ReLU): $3 \times 10^{-5}$, in a single weight; every other entry below $10^{-9}$,
# - network C (sigmoid): $0.33$, in every entry of one bias vector.
#
# Which gradient do you trust, which do you look into, and which one has a bug? For C, what
# kind of mistake gives exactly $1/3$? Decide first, then compare with `verdict` and open the
# answer.

# %%
for name, error in [("A", 2e-9), ("B", 3e-5), ("C", 0.33)]:
    print(f"network {name}: {verdict(error)}")

# %% [markdown]
# <details><summary>Answer</summary>
#
# A is right: far below $10^{-7}$. B is suspicious, but in a ReLU network a single entry in the
# middle band is the signature of a kink: one pre-activation within $h$ of zero. Check again with
# another seed or a smaller $h$; if the error moves or disappears, it was the kink. C has a bug:
# a relative error of $1/3$ is what two numbers give when one is twice the other,
# $|2a - a| / (|2a| + |a|) = 1/3$. Look for a factor 2 in that layer's bias gradient, for
# instance a loss gradient without the $\tfrac12$ of the squared error, or a sum counted twice.
# </details>

# %% [markdown]
# ## Summary
#
# - The forward difference $\frac{f(x+h) - f(x)}{h}$ has error of order $h$; the central
#   difference $\frac{f(x+h) - f(x-h)}{2h}$ has error of order $h^2$ (Taylor: the even terms
#   cancel). Gradient checks use central differences.
# - Round-off adds an error of about $\varepsilon / h$, so the best step is near
#   $\sqrt{\varepsilon} \approx 1.5 \times 10^{-8}$ (forward) and
#   $\varepsilon^{1/3} \approx 6.1 \times 10^{-6}$ (central); $h = 10^{-6}$ is a safe
#   default for central differences.
# - Compare gradients by the relative error: below $10^{-7}$ great, $10^{-7}$ to $10^{-4}$
#   suspicious (kinks, step size), above $10^{-4}$ probably a bug.
# - `check_network` reports every parameter array; the first wrong one, counted from the
#   output, points at the broken backward step.
#
# [← 05 · Backpropagation](05_backpropagation.ipynb) | [Contents](00_start_here.ipynb) | [07 · Training with gradient descent →](07_training_with_gradient_descent.ipynb)
