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
# >
# > **Exercises and solutions.** In `notebooks/` the exercises are yours to write, with a hint to
# > reveal under each; the same lesson with worked solutions is
# > [solutions/06_gradient_checking.ipynb](../solutions/06_gradient_checking.ipynb). Try each exercise before you compare.

# %% [markdown]
# ## Learning goals
#
# After this lesson you can
#
# - approximate a derivative with a **forward** and a **central difference**, and derive from
#   Taylor series why their errors shrink like $h$ and like $h^2$;
# - explain why a smaller step $h$ is not always better (round-off error grows like
#   $\varepsilon / h$) and pick a good $h$;
# - compare an analytic gradient with a numeric one through the **relative error**: the two
#   agree when it is below the course's one tolerance, `TOLERANCE`; say what a value of
#   $10^{-10}$, $10^{-5}$ or $10^{-1}$ can mean, and why its size alone cannot prove a bug;
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

from helpers.activations import sigmoid
from helpers.exercises import check_bug_hunt, check_loss_gradient
from helpers.gradcheck import (
    TOLERANCE,
    check_layer,
    check_network,
    format_relative_error,
    forward_difference_gradient,
    noise_floor,
    numeric_gradient,
    relative_error,
)
from helpers.layers import ActivationLayer, Dense
from helpers.losses import binary_cross_entropy
from helpers.network import Network, build_network

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
# an error of **order $h^2$**. Make $h$ ten times smaller and, to leading order, the forward
# error drops ten times, the central error a hundred times. sympy confirms both expansions for
# an arbitrary function $f$, up to the terms of order $h^3$:

# %%
x, h = sp.symbols("x h")
f = sp.Function("f")
forward = (f(x + h) - f(x)) / h
central = (f(x + h) - f(x - h)) / (2 * h)

for name, quotient in [("forward", forward), ("central", central)]:
    error = sp.series(quotient, h, 0, 4).doit() - sp.diff(f(x), x)
    print(f"{name} difference - f'(x) = {error}")

# %% [markdown]
# The forward error starts with $\frac{h}{2} f''(x)$, the central one with
# $\frac{h^2}{6} f'''(x)$, exactly as derived, and the central one has no $h^3$ term: its next
# term is of order $h^4$. A quick numeric example with $f = \exp$ at $x = 1$ (where
# $f = f' = f'' = f''' = e$) and $h = 10^{-3}$: the two errors should be close to their leading
# terms $\frac{h}{2} e$ and $\frac{h^2}{6} e$.

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
# Both errors match their leading terms to the three digits printed: $1.36 \times 10^{-3}$ and
# $4.53 \times 10^{-7}$.
#
# `helpers.gradcheck` has both quotients for functions of whole arrays: `numeric_gradient`
# (central) and `forward_difference_gradient` nudge one entry at a time and return an array
# shaped like the input. For one number we wrap it in an array of length 1, and get the same
# two numbers as by hand:

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
# Each float64 arithmetic operation rounds its exact result to the nearest float64, off by a
# relative error of at most $\varepsilon / 2$, where $\varepsilon$ is the **machine epsilon**
# (the gap between 1 and the next float64); functions such as $\exp$ are nearly as accurate. When $h$ is tiny, $f(x + h)$ and $f(x)$ agree in almost all their
# digits; subtracting them cancels those digits and leaves mostly rounding noise of size about
# $\varepsilon |f|$, which we then divide by $h$. So the total error is roughly
#
# $$E_{\text{fwd}}(h) \approx \underbrace{\tfrac{h}{2} |f''|}_{\text{truncation}}
#   + \underbrace{\tfrac{\varepsilon |f|}{h}}_{\text{round-off}}, \qquad
#   E_{\text{cen}}(h) \approx \tfrac{h^2}{6} |f'''| + \tfrac{\varepsilon |f|}{h}.$$
#
# One term falls with $h$, the other rises. Setting the derivative of each sum to zero gives
# the best step: $h^\ast \sim \sqrt{\varepsilon}$ for the forward difference and
# $h^\ast \sim \varepsilon^{1/3}$ for the central one (when $f$ and its derivatives are of
# order 1). In numbers:

# %%
eps = np.finfo(np.float64).eps
print(f"machine epsilon       = {eps:.2e}")
print(f"eps ** (1/2)          = {eps ** 0.5:.1e}   (best forward step, roughly)")
print(f"eps ** (1/3)          = {eps ** (1 / 3):.1e}   (best central step, roughly)")

# %% [markdown]
# So $\varepsilon = 2.22 \times 10^{-16}$, and the best steps are near $1.5 \times 10^{-8}$
# (forward) and $6.1 \times 10^{-6}$ (central).
#
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

# %% alt="Log-log plot of the mean error of the forward and the central difference of exp against the step size h, from 0.1 down to 1e-13. From large h down, the forward error falls along the slope-1 line and the central error along the steeper slope-2 line, until each turns and both rise along the round-off line ε/h: the forward difference is best near h = 1e-8 (error about 1e-8), the central difference near h = 3e-6 (error about 1e-11), close to the marked √ε and ε^(1/3)."
fig, ax = plt.subplots(figsize=(10, 5))
ax.loglog(steps, err_forward, "o-", label="forward difference")
ax.loglog(steps, err_central, "s-", label="central difference")
ax.loglog(steps, steps, "k:", lw=1, label="slope 1 (h)")
ax.loglog(steps, steps**2, "k--", lw=1, label="slope 2 (h²)")
ax.loglog(steps, eps / steps, "k-.", lw=1, label="round-off ε/h")
ax.axvline(eps**0.5, color="C0", alpha=0.3, label="√ε (best forward h)")
ax.axvline(eps ** (1 / 3), color="C1", alpha=0.3, label="ε^(1/3) (best central h)")
ax.set_ylim(1e-13, 1)
ax.set_xlabel("step size h", fontsize=12)
ax.set_ylabel("mean |error|", fontsize=12)
ax.set_title("Finite-difference error against step size (f = exp)", fontsize=13)
ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize=11)
fig.tight_layout()
plt.show()

# %% [markdown]
# Read the plot from right to left (from large $h$ to small):
#
# - at large $h$ the truncation error rules: the forward curve runs parallel to the slope-1
#   line and the central curve parallel to the slope-2 line, and the central curve lies far
#   below the forward one;
# - each curve turns around at its best $h$ (the faint vertical lines mark
#   $\sqrt{\varepsilon}$ and $\varepsilon^{1/3}$), and the measured minima above sit right
#   next to them;
# - to the left of its minimum each curve climbs along the $\varepsilon / h$ line: pure
#   round-off, which does not care about the method (below $h \approx 10^{-8}$ the two curves
#   lie on top of each other).
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
# The fitted slopes, 1.00 and 2.00, are the orders $h$ and $h^2$ of the Taylor analysis.
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
# the worst entry wins (`relative_error` computes it, counting an entry where both are 0 as 0).
# It is 0 for a perfect match and at most 1 (reached when the signs are opposite, or when one of
# the two is 0 and the other is not).
#
# **Other courses measure it differently.** The CS231n notes divide by $\max(|a_i|, |n_i|)$
# instead of the sum, which gives about twice the course's value when the two are close, and
# their thresholds ($10^{-7}$ for a clean check, $10^{-2}$ for a probable bug) are on that
# scale. Andrew Ng's deep-learning course compares whole vectors,
# $\lVert a - n\rVert_2 / (\lVert a\rVert_2 + \lVert n\rVert_2)$, with Euclidean norms instead of
# the worst entry. PyTorch's `torch.autograd.gradcheck` uses no relative error at all: an entry
# passes when $|a_i - n_i| \le \text{atol} + \text{rtol}\,|n_i|$ (by default atol $= 10^{-5}$,
# rtol $= 10^{-3}$). The first two on one pair of numbers that differ by $10^{-4}$ of their size:

# %%
a_pair, n_pair = 0.5, 0.5 * (1 + 1e-4)
course_measure = abs(a_pair - n_pair) / (abs(a_pair) + abs(n_pair))
cs231n_measure = abs(a_pair - n_pair) / max(abs(a_pair), abs(n_pair))
print(f"course: |a - n| / (|a| + |n|)    = {course_measure:.4e}")
print(f"CS231n: |a - n| / max(|a|, |n|)  = {cs231n_measure:.4e}")
print(f"CS231n / course = {cs231n_measure / course_measure:.4f}")

# %% [markdown]
# The ratio is 1.9999, twice up to the difference itself. So a threshold quoted with
# $\max(|a|, |n|)$ is about half as large on the course's scale: CS231n's $10^{-7}$ corresponds
# to about $5 \times 10^{-8}$ here.
#
# How small is small enough? The whole course uses one tolerance for "agree",
# `helpers.gradcheck.TOLERANCE`: two gradients agree when their relative error is below it.
# The measurement above shows what a *correct* derivative gives with central differences at
# $h = 10^{-6}$: a mean absolute error of order $10^{-10}$, on derivatives between 1.6 and 4.5.
# The cell below prints the tolerance and the worst relative error of that measurement (its
# digits are rounding noise that differs from machine to machine, so it is printed as a bound).

# %%
exact_slopes = np.exp(xs)
central_slopes = (np.exp(xs + 1e-6) - np.exp(xs - 1e-6)) / 2e-6
worst_exp = relative_error(exact_slopes, central_slopes)
print(f"TOLERANCE = {TOLERANCE:.0e}")
print("worst relative error of the central difference of exp at h = 1e-6, over the 101 points:",
      format_relative_error(worst_exp, bound=1e-9))

# %% [markdown]
# Here a correct derivative lands below $10^{-9}$, more than a thousand times below
# `TOLERANCE` $= 10^{-6}$. The margin leaves room for the extra rounding that a
# network's loss, with many more operations, collects (the network checks below agree).
#
# Above `TOLERANCE` the two gradients **disagree**, and there are two kinds of cause: a bug
# in the backward pass, or the check itself. The check goes wrong in four ways: a **step** $h$
# too large (or far too small), a **one-sided** (forward) difference, a **kink** within $h$ of an
# input, and an entry **near zero**, hardly larger than the rounding noise of the loss. How large
# an error does each give? First the step and the one-sided difference, next
# to two bugs, on $L(\mathbf{w}) = \sum_i \tanh(w_i)^2$, whose gradient is
# $2 \tanh(w_i)\,(1 - \tanh^2 w_i)$:

# %%
w = np.array([0.3, -1.2, 0.8, 2.0])


def loss_tanh(v):
    return float(np.sum(np.tanh(v) ** 2))


grad_true = 2 * np.tanh(w) * (1 - np.tanh(w) ** 2)
grad_central = numeric_gradient(loss_tanh, w, h=1e-6)
cases = {
    "correct, central, h = 1e-6": (grad_true, grad_central),
    "correct, central, h = 1e-2": (grad_true, numeric_gradient(loss_tanh, w, h=1e-2)),
    "correct, forward, h = 1e-5": (grad_true, forward_difference_gradient(loss_tanh, w, h=1e-5)),
    "correct, forward, h = 1e-1": (grad_true, forward_difference_gradient(loss_tanh, w, h=1e-1)),
    "bug: factor 2 lost": (grad_true / 2, grad_central),
    "bug: sign flipped": (-grad_true, grad_central),
}
for name, (analytic, numeric) in cases.items():
    error = relative_error(analytic, numeric)
    print(f"{name:<28} relative error {format_relative_error(error, bound=TOLERANCE):>8}")

# %% [markdown]
# With central differences and $h = 10^{-6}$ the correct gradient agrees. A large step
# ($h = 10^{-2}$) gives $5.8 \times 10^{-5}$. The one-sided difference gives
# $6.4 \times 10^{-6}$ at $h = 10^{-5}$ and $5.5 \times 10^{-2}$ at $h = 10^{-1}$: its truncation
# error is of order $h$ and grows with the step. The bugs give $0.33$ for the lost factor (two
# numbers of which one is twice the other have relative error $|2a - a| / (|2a| + |a|) = 1/3$)
# and $1.0$ for the flipped sign. Here the errors of the check
# are mostly small and the bugs' errors large, but size alone does not separate them: the
# one-sided difference with a large step already exceeds $10^{-2}$.
#
# Is $h = 10^{-6}$ the only clean step? A sweep of the central difference on the same loss, from
# $h = 10^{-2}$ down to $10^{-8}$:

# %%
print("   h      relative error   below TOLERANCE")
for h_sweep in (1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8):
    error = relative_error(grad_true, numeric_gradient(loss_tanh, w, h=h_sweep))
    print(f"{h_sweep:7.0e}   {format_relative_error(error):>14}   {error < TOLERANCE}")

# %% [markdown]
# No: every step from $10^{-3}$ to $10^{-8}$ agrees. The truncation error shrinks like $h^2$,
# from $5.8 \times 10^{-5}$ at $h = 10^{-2}$ to $5.8 \times 10^{-7}$ at $10^{-3}$; from $10^{-4}$ to
# $10^{-8}$ the error stays below $10^{-7}$. Round-off, which grows like $\varepsilon |L| / h$,
# takes over as $h$ shrinks, but this sweep cannot show it: down to $10^{-8}$ it stays below
# $10^{-7}$, where the digits depend on how the machine rounds $\tanh$ and are not printed (the
# plot of $\exp$ above shows the climb). The default $h = 10^{-6}$ is not the one right step but a safe one in the middle of
# a wide range.
#
# The kink: ReLU has slope 0 on the left and 1 on the right of zero. If an entry sits closer
# to 0 than $h$, the two evaluations land on different sides, and the central difference
# returns a value between the two slopes that belongs to neither. Below, the third entry sits
# at $4 \times 10^{-7}$, closer to 0 than $h = 10^{-6}$; then we check again with a step
# $h = 10^{-7}$, smaller than that distance.

# %%
w_kink = np.array([0.5, -0.7, 4e-7])


def loss_relu(v):
    return float(np.sum(np.maximum(v, 0.0)))


grad_relu = (w_kink > 0).astype(float)  # the analytic slope: 1 where positive
print("analytic:", grad_relu)
for h_kink in (1e-6, 1e-7):
    numeric_relu = numeric_gradient(loss_relu, w_kink, h=h_kink)
    error = format_relative_error(relative_error(grad_relu, numeric_relu), bound=TOLERANCE)
    print(f"h = {h_kink:.0e}: numeric {numeric_relu}, relative error {error}")

# %% [markdown]
# With $h = 10^{-6}$ the central difference returns $0.7$ for the third entry, and the
# relative error, $1.8 \times 10^{-1}$, is as large as a bug's. With $h = 10^{-7}$ both
# evaluations land on the positive side and the check agrees. That is how to tell a kink from a
# bug: check again with a smaller $h$, or with the offending input moved away from 0 (another
# seed); a kink goes, a bug stays. With random inputs and $h = 10^{-6}$ a kink is hit rarely,
# so a second seed usually avoids it.
#
# The entry near zero: the numeric estimate of every entry carries the rounding noise of the
# whole loss, about $\varepsilon |L| / h$, however small the entry itself is. Give the tanh loss
# a fifth weight at $10^{-9}$, whose exact gradient is about $2 \times 10^{-9}$, then at
# $10^{-12}$, and check the right gradient with central differences, $h = 10^{-6}$, once with
# bare `relative_error` and once with the floor that `check_network` puts under the denominator:

# %%
print(f"rounding noise eps |L| / h = {eps * loss_tanh(w) / 1e-6:.1e} (L = {loss_tanh(w):.4f})")
for tiny in (1e-9, 1e-12):
    w_small = np.append(w, tiny)  # L changes by less than 1e-17
    grad_small = 2 * np.tanh(w_small) * (1 - np.tanh(w_small) ** 2)  # the exact gradient
    numeric_small = numeric_gradient(loss_tanh, w_small, h=1e-6)
    bare = relative_error(grad_small, numeric_small)
    floored = relative_error(grad_small, numeric_small, floor=noise_floor(loss_tanh(w_small)))
    print(f"fifth weight {tiny:.0e}: exact {grad_small[4]:.6e}, numeric {numeric_small[4]:.6e};"
          f" relative_error {format_relative_error(bare)}, with the floor"
          f" {format_relative_error(floored)} (below TOLERANCE: {floored < TOLERANCE})")
print(f"the floor, noise_floor(L) = {noise_floor(loss_tanh(w)):.1e}")

# %% [markdown]
# At $10^{-9}$ the fifth entry is only about four times the noise of $4.8 \times 10^{-10}$, and
# its numeric estimate is off by 0.08 %: the right gradient gets a relative error of
# $4.0 \times 10^{-4}$, as large as a small bug's. At $10^{-12}$ the entry is far below the
# noise, its numeric estimate comes out as 0, and the relative error is $1.0$, as large as a
# flipped sign's. `check_network` and `check_layer` therefore put a floor under the denominator,
# `noise_floor`, ten times the noise divided by `TOLERANCE` ($4.8 \times 10^{-3}$ here): an entry
# smaller than the floor is held to an absolute error of `TOLERANCE` times the floor, ten noise
# units, instead, and with the floor both gradients agree. Bare `relative_error` has no floor
# unless you pass one.
#
# ## Reading a relative error
#
# The measurements give these rules of thumb for float64 gradient checks:
#
# | relative error | verdict | usual causes |
# |---|---|---|
# | below `TOLERANCE` $= 10^{-6}$ | agree | the gradient is right; what is left is rounding |
# | $10^{-6}$ to $10^{-2}$ | small disagreement | the check itself: a step much too large (or too small), a one-sided difference, a kink, an entry near zero with no floor under the denominator; a bug only if it changes the gradient a little |
# | $10^{-2}$ and above | large disagreement | usually a bug (a lost factor, a flipped sign, a missing derivative); but a kink, a one-sided difference with a large step, or an entry far below the rounding noise gets here too |
#
# The line at $10^{-2}$ is a rule of thumb, between the check's small errors and the bugs'
# large ones measured above; no band proves its cause. Before hunting a bug, make the check
# clean (central differences, $h = 10^{-6}$, inputs away from kinks, a noise floor under the
# denominator) and run it again. `check_network` and `check_layer` put the noise floor in; with
# them, an error above `TOLERANCE` that stays when you check again with another seed and a
# smaller $h$ (so that no input sits within $h$ of a kink) is a bug. With bare `relative_error` and no floor
# it need not be: an entry near zero can stay above `TOLERANCE` with a right gradient, as the
# $4.0 \times 10^{-4}$ above did. The function below turns the table into code; we use it for
# the rest of the lesson.

# %%
def verdict(error):
    """Classify a relative error between an analytic and a numeric gradient (the table above).

    The hints assume a central-difference check, as check_network and check_layer make."""
    if error < TOLERANCE:
        return f"agree ({format_relative_error(error, bound=TOLERANCE)})"
    if error < 1e-2:
        return f"small disagreement ({error:.1e}): step h or kink? (see the table)"
    return f"large disagreement ({error:.2f}): a bug? (or a kink)"


# %% [markdown]
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
# "layer i" counts the entries of network.layers (Dense and activation layers alike): the first
# dense layer's W and b are at index 0, the second's (W2, b2 in lesson 05's names) at index 2
for entry in report.entries:
    print(f"{entry.parameter:<12} {verdict(entry.relative_error)}")
print("passed:", report.passed())

# %% [markdown]
# Every parameter agrees, and `report.passed()`, which compares the worst relative error with
# `TOLERANCE`, says `True`. This is what a correct backward pass looks like.
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
# Only the bias of layer 2 disagrees, so the bug is in how layer 2 computes `db`: every other
# gradient, including the ones that flow back through layer 2 to layer 0, is right. Its size
# tells the story too: the loss already averages over the $n$ samples, so the mean divides by
# $n$ a second time and `db` comes out $n$ times too small. Two numbers that differ by a factor
# $n$ have relative error $(n - 1)/(n + 1)$:

# %%
n = len(X)
print(f"n                 = {n}")
print(f"(n - 1) / (n + 1) = {(n - 1) / (n + 1):.4f}")
print(f"measured          = {report_buggy.worst_relative_error:.4f}")

# %% [markdown]
# With $n = 8$ samples the prediction, $0.7778$, is exactly what the check measured.
#
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
# Here two steps sit between them: the activation layer 1, and the gradient $\partial L /
# \partial \mathbf{x}$ that dense layer 2 hands back to it, which `check_network` does not see.
# `check_layer(layer, x)` checks one layer alone at an input `x`: its `W` and `b` if it has them,
# and `dx`, the gradient with respect to its input. After a forward pass every layer holds the
# input it received: a `Dense` layer as `layer.x`, an activation layer as `layer.z`.

# %%
forgetful.forward(X)
for index in (1, 2):
    layer = forgetful.layers[index]
    layer_input = layer.x if isinstance(layer, Dense) else layer.z
    print(f"layer {index} ({layer.name}):")
    for entry in check_layer(layer, layer_input).entries:
        print(f"  {entry.parameter:<3} {verdict(entry.relative_error)}")

# %% [markdown]
# Dense layer 2 is right on its own, `dx` included; the activation layer is not. The bug is in
# layer 1's backward.
#
# ## Exercises
#
# If a cell stops with `NameError: name '...' is not defined`, the kernel has not run the cells
# above it yet: click the cell, choose *Run → Run All Above Selected Cell*, then run it again.
#
# Each exercise has an answer cell, where you replace the `None` (or fill in the function), and
# below it a check cell that you run to see what is right and what is still wrong.
#
# The data of the first exercise: three predicted probabilities `p`, their targets `y_ex` and a
# step `h_ex`.

# %%
p = np.array([[0.2], [0.7], [0.9]])
y_ex = np.array([[0.0], [1.0], [1.0]])
h_ex = 1e-5

# %% [markdown]
# **Exercise 1 — a central difference by hand.** Compute the gradient of
# `binary_cross_entropy(p, y_ex)` with respect to the three probabilities `p`,
# **numerically**: for each entry, nudge it up by `h_ex` and down by `h_ex` (on copies of `p`),
# evaluate the loss both times and form the central difference. Do it by hand, without
# `numeric_gradient` or the formula: one loop, two loss evaluations per entry. Store the results
# in an array `numeric` shaped like `p`. The check compares it with the exact gradient,
# `binary_cross_entropy_gradient(p, y_ex)`: they agree when the relative error is below
# `TOLERANCE`.
#
# <details><summary>Hint</summary>
#
# Work on copies of `p`, one entry at a time. How far apart are the two points?
#
# </details>

# %%
numeric = None  # your answer: the central-difference gradient, shape (3, 1)
### BEGIN SOLUTION
numeric = np.zeros_like(p)
for i in range(len(p)):
    up, down = p.copy(), p.copy()
    up[i, 0] += h_ex
    down[i, 0] -= h_ex
    numeric[i, 0] = (binary_cross_entropy(up, y_ex) - binary_cross_entropy(down, y_ex)) / (2 * h_ex)
### END SOLUTION

# %%
check_loss_gradient(numeric, "binary_cross_entropy", p, y_ex, h=h_ex, names=("p", "y_ex", "h_ex"))

# %% [markdown]
# The exact gradient is $\frac{1}{n}\,\frac{p - y}{p\,(1 - p)}$ (lesson 04 derives it). Written
# out, against `numeric_gradient`:

# %%
formula = (p - y_ex) / (len(p) * p * (1 - p))
reference = numeric_gradient(lambda q: binary_cross_entropy(q, y_ex), p)
print("(p - y) / (n p (1 - p)) agrees with central differences:",
      relative_error(formula, reference) < TOLERANCE)

# %% [markdown]
# **A network with a bug in it.** A colleague wrote three layer classes and built a small
# regression network from them: five layers, trained with mean squared error. Exactly **one**
# of the layers computes its backward pass wrongly. It runs without complaint, and every
# gradient has the right shape. `softplus` is a smooth ReLU, $\log(1 + e^z)$.

# %%
class Linear(Dense):
    """z = x @ W + b."""

    def backward(self, upstream_grad):
        self.dW = self.x.T @ upstream_grad
        self.db = upstream_grad.sum(axis=0)
        return upstream_grad @ self.W.T


class Tanh(ActivationLayer):
    """a = tanh(z)."""

    def __init__(self):
        super().__init__("tanh")

    def backward(self, upstream_grad):
        return upstream_grad * (1 - self.a**2)


class Softplus(ActivationLayer):
    """a = softplus(z) = log(1 + e^z)."""

    def __init__(self):
        super().__init__("identity")
        self.name = "softplus"

    def forward(self, z):
        self.z = z
        self.a = np.logaddexp(0.0, z)  # log(e^0 + e^z), computed without overflow
        return self.a

    def backward(self, upstream_grad):
        return upstream_grad * sigmoid(self.a)


# %%
mystery = Network([Linear(2, 4, rng=1), Tanh(), Linear(4, 3, rng=2), Softplus(),
                   Linear(3, 1, rng=3)])
rng_hunt = np.random.default_rng(5)
X_hunt = rng_hunt.normal(size=(6, 2))  # 6 samples, 2 inputs
y_hunt = rng_hunt.normal(size=(6, 1))  # their targets
print(mystery)

# %% [markdown]
# **Exercise 2 — hunt the bug.** Find the layer whose backward is wrong, with the gradient
# checks of this lesson, and fix it.
#
# - Set `bug_layer` to its index in `mystery.layers`.
# - Fill in `fixed_backward(layer, upstream_grad)`: the corrected backward of that layer. It
#   gets the layer (after its forward pass) and the upstream gradient, and returns what the
#   layer's `backward` should return, the gradient with respect to the layer's input.
#
# The check finds the faulty layer itself and compares your fix with central differences, at
# the layer's input and at three other inputs.
#
# <details><summary>Hint</summary>
#
# Start with `check_network(mystery, X_hunt, y_hunt, "mse")` and the rule of the section
# *Hunting a planted bug*: which parameters agree, and which is the first one, counting from the
# output, that does not? If more than one layer sits in between, run `mystery.forward(X_hunt)`
# and check each suspect alone with `check_layer`. Once you know the layer, differentiate its
# forward by hand and compare with its backward line by line.
#
# </details>

# %%
bug_layer = None  # your answer: an index in mystery.layers
### BEGIN SOLUTION
for entry in check_network(mystery, X_hunt, y_hunt, "mse").entries:
    print(f"{entry.parameter:<10} {verdict(entry.relative_error)}")
mystery.forward(X_hunt)
for index in (3, 4):  # between layer 4 (right) and layer 2 (wrong)
    layer = mystery.layers[index]
    layer_input = layer.x if isinstance(layer, Dense) else layer.z
    worst = max(entry.relative_error for entry in check_layer(layer, layer_input).entries)
    print(f"check_layer on layer {index} ({layer.name}): {verdict(worst)}")
bug_layer = 3
### END SOLUTION


def fixed_backward(layer, upstream_grad):
    """The corrected backward of the faulty layer: dL/d(its input), shaped like upstream_grad
    for an activation layer (a Linear layer would also set layer.dW and layer.db)."""
    ### BEGIN SOLUTION
    return upstream_grad * sigmoid(layer.z)
    ### END SOLUTION


# %%
check_bug_hunt(bug_layer, fixed_backward, mystery, X_hunt, y_hunt, "mse", name="mystery")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The bug, step by step. `check_network` shows layer 4's `W` and `b` right and layer 2's wrong,
# so the bug is in layer 3 (softplus) or in the `dx` that layer 4 hands back; `check_layer`, run
# on each layer alone, clears every layer but layer 3 and convicts it:
#
# </details>

# %% tags=["reveal"]
for entry in check_network(mystery, X_hunt, y_hunt, "mse").entries:
    print(f"{entry.parameter:<10} {verdict(entry.relative_error)}")
mystery.forward(X_hunt)
for index, layer in enumerate(mystery.layers):
    layer_input = layer.x if isinstance(layer, Dense) else layer.z
    worst = max(entry.relative_error for entry in check_layer(layer, layer_input).entries)
    print(f"check_layer on layer {index} ({layer.name}): {verdict(worst)}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# The derivative of $\operatorname{softplus}(z) = \log(1 + e^z)$ is $\frac{e^z}{1 + e^z} =
# \sigma(z)$, the sigmoid of the layer's **input** $z$. The colleague's backward takes the
# sigmoid of the output `self.a`, perhaps copied from `Tanh`, whose derivative $1 - a^2$ really
# is written in its output. sympy confirms the derivative, and the repaired network passes
# `check_network`:
#
# </details>

# %% tags=["reveal"]
z_sym = sp.symbols("z", real=True)
softplus_slope = sp.diff(sp.log(1 + sp.exp(z_sym)), z_sym)
print("d/dz log(1 + e^z) = sigmoid(z):",
      sp.simplify(softplus_slope - 1 / (1 + sp.exp(-z_sym))) == 0)


class RepairedSoftplus(Softplus):
    """Softplus with the backward pass corrected: f'(z) = sigmoid(z)."""

    def backward(self, upstream_grad):
        return upstream_grad * sigmoid(self.z)


repaired = mystery.copy()
repaired.layers[3] = RepairedSoftplus()
report_repaired = check_network(repaired, X_hunt, y_hunt, "mse")
for entry in report_repaired.entries:
    print(f"{entry.parameter:<10} {verdict(entry.relative_error)}")
print("passed:", report_repaired.passed())

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

# %% tags=["reveal"]
for name, error in [("A", 2e-9), ("B", 3e-5), ("C", 0.33)]:
    print(f"network {name}: {verdict(error)}")

# %% [markdown]
# <details><summary>The answer: open it once you have tried</summary>
#
# A agrees: $2 \times 10^{-9}$ is far below `TOLERANCE` $= 10^{-6}$. B disagrees a little, in a
# single weight of a ReLU network, and every other entry agrees: that fits a kink, one
# pre-activation within $h$ of zero. Check again with another seed or a smaller $h$; if the
# error moves or disappears, it was the kink; if it stays, look for a bug. C has a bug: the same
# large error in every entry of one bias vector is no kink, and $1/3$ is what two numbers give
# when one is twice the other, $|2a - a| / (|2a| + |a|) = 1/3$. Since only that bias vector is
# off, that layer's bias gradient is off by a factor 2, one way or the other: twice too large
# (the upstream gradient summed twice, say) or half the right size (halved, or a mean over a
# batch of 2 where a sum belongs); the relative error is $1/3$ either way. (A factor 2 in the
# loss gradient would put $1/3$ in every parameter, not one vector.)
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
# - Compare gradients by the relative error: below `TOLERANCE` $= 10^{-6}$ they agree. Above it
#   they disagree, because of a bug or because of the check itself (a step much too large or
#   too small, a one-sided difference, a kink within $h$ of an input, an entry near zero that
#   is hardly larger than the rounding noise $\varepsilon |L| / h$). Small disagreements (below
#   $10^{-2}$) usually come from the check and large ones usually from a bug, but a kink or a
#   one-sided difference with a large step can be large too: make the check clean, then check
#   again. `check_network` and `check_layer` put a noise floor under the denominator, so with
#   them an error above `TOLERANCE` that stays with another seed and a smaller $h$ is a bug.
# - Other courses scale differently: CS231n divides by $\max(|a|, |n|)$ (about twice the
#   course's value), Andrew Ng's course by vector norms, and PyTorch's `gradcheck` uses
#   atol and rtol.
# - `check_network` reports every parameter array; the first wrong one, counted from the
#   output, points at the broken backward step.
#   When more than one step sits between the last right parameter and the first wrong one,
#   `check_layer` checks each layer alone, `dx` included, and names the broken one.
#
# [← 05 · Backpropagation](05_backpropagation.ipynb) | [Contents](00_start_here.ipynb) | [07 · Training with gradient descent →](07_training_with_gradient_descent.ipynb)
