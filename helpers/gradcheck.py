"""Gradient checking: compare backprop's gradients with numeric ones from finite differences.
Taught in lesson 06 (Gradient checking); lessons 02 to 05 use numeric_gradient and
relative_error as a referee.

numeric_gradient(f, x) returns dF/dx with the shape of x; check_layer and check_network
report one relative error per checked array (dx, W (n_in, n_out), b (n_out,)).

The central difference (f(x + h) - f(x - h)) / 2h has an error of order h**2 from the
curvature of f plus a rounding error of about eps * |f| / h (eps = 2.2e-16 in float64),
so with h = 1e-6 a numeric gradient is good to roughly 1e-10 * |f| in absolute terms.
"""

import numbers
from dataclasses import dataclass, field

import numpy as np

from ._validate import as_float_array, check_positive_float
from .losses import get_loss

TOLERANCE = 1e-6
"""The course's one tolerance for "agree": a relative error |a - b| / (|a| + |b|) below it, in
every entry, means two gradients (or derivatives) are the same up to rounding. The lessons
compare with it, ``GradCheckReport.passed`` does (with ``noise_floor`` under the denominator),
and so does the judging engine of the exercise checks, ``helpers.exercises.judging`` (where
entries with |a| + |b| below 1e-3 are held to an absolute error of 1e-9 instead)."""


def _perturbed_quotients(f, x, h, central):
    """Shared loop of the two finite-difference gradients (see their docstrings)."""
    h = check_positive_float(h, "h")
    if not callable(f):
        raise TypeError(f"f must be a function of an array returning a number; got {f!r}")
    x = as_float_array(x, "x", allow_empty=True)  # a float64 array as it is, else a new one
    grad = np.zeros_like(x)
    f_x = None if central else _scalar(f(x))
    for index in np.ndindex(x.shape):
        original = x[index]
        try:
            x[index] = original + h
            step_up = x[index]  # the step actually taken after rounding
            f_up = _scalar(f(x))
            if central:
                x[index] = original - h
                step_down = x[index]
                f_down = _scalar(f(x))
            else:
                step_down, f_down = original, f_x
        finally:
            x[index] = original
        if step_up == step_down:
            where = f"[{', '.join(str(int(i)) for i in index)}]" if index else ""
            raise ValueError(
                f"h={h:g} is too small for x{where} = {original:g}: x + h rounds back to x "
                "in float64; expected a step h larger than about 1e-16 * |x|"
            )
        grad[index] = (f_up - f_down) / (step_up - step_down)
    return grad


def _scalar(result):
    """f's result as a float; TypeError unless it is a single number."""
    if isinstance(result, numbers.Real):
        return float(result)
    array = np.asarray(result)
    if array.size != 1 or array.dtype.kind not in "biuf":
        raise TypeError(
            f"f must return a single number; got {type(result).__name__}"
            + (f" of shape {array.shape}" if array.dtype.kind in "biuf" else "")
            + " (did you forget to sum the output into a loss?)"
        )
    return float(array.reshape(()))


def numeric_gradient(f, x, h=1e-6):
    """Central-difference gradient of a scalar function f at x.

    f: function taking an array shaped like x and returning a float.
    x: float64 array (any shape); it is perturbed in place one entry at a time, so f may
       read it directly (e.g. a network's live weight array), and is restored on return.
       Other inputs are copied to float64 first.
    Returns dF/dx with the shape of x: (f(x + h e_i) - f(x - h e_i)) / 2h per entry i.
    """
    return _perturbed_quotients(f, x, h, central=True)


def forward_difference_gradient(f, x, h=1e-6):
    """One-sided gradient (f(x + h e_i) - f(x)) / h; same shapes as numeric_gradient.

    Its error shrinks only like h, against h**2 for the central difference.
    """
    return _perturbed_quotients(f, x, h, central=False)


def relative_error(a, b, floor=1e-300):
    """Largest entry-wise relative error max |a - b| / max(|a| + |b|, floor); 0 if a == b.

    a, b: arrays of the same shape (or numbers) -> float.
    floor: the smallest denominator, a number > 0. Numeric gradients carry an absolute
    rounding error (about 1e-10 * |loss| for h = 1e-6), so entries much smaller than that
    cannot agree to a small relative error; a floor turns the test into an absolute one for
    those entries.
    """
    floor = check_positive_float(floor, "floor")
    a = as_float_array(a, "a", allow_empty=True)
    b = as_float_array(b, "b", allow_empty=True)
    if a.shape != b.shape:
        raise ValueError(f"a has shape {a.shape} but b has shape {b.shape}; expected the same")
    if a.size == 0:
        return 0.0
    return float(np.max(_entrywise_relative_error(a, b, floor)))


def _entrywise_relative_error(a, b, floor):
    """|a - b| / max(|a| + |b|, floor) for every entry of two float arrays of one shape."""
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def format_relative_error(error: float, bound: float = 1e-7) -> str:
    """A relative error for printing, stable across machines.

    The digits of a tiny relative error (1.9e-11 or 2.2e-16) depend on floating-point
    rounding, so they change with the CPU and the BLAS library. Below ``bound`` the error
    is shown as ``"< 1e-7"``; at or above it, where it means something, as ``"3.2e-05"``.

    ``bound`` is a display choice, not the test for "agree": that test is always
    ``error < TOLERANCE`` (1e-6). The default 1e-7 sits one decade below TOLERANCE, so a
    printed ``"< 1e-7"`` also says that the two gradients agree, while an error shown with
    its digits (1e-7 or more) may still agree: compare it with TOLERANCE to decide.
    Pass ``bound=TOLERANCE`` to show exactly the agreeing errors as ``"< 1e-6"``.

    error: a relative error (a number >= 0) -> str. bound: a positive number.
    """
    error, bound = float(error), check_positive_float(bound, "bound")
    if error < bound:
        mantissa, exponent = f"{bound:.0e}".split("e")
        return f"< {mantissa}e{int(exponent)}"
    return f"{error:.1e}"


@dataclass
class GradCheckEntry:
    """One checked array: its name, backprop's gradient, the numeric gradient, their error."""

    parameter: str
    analytic: np.ndarray
    numeric: np.ndarray
    relative_error: float


@dataclass
class GradCheckReport:
    """Result of a gradient check.

    worst_relative_error: the largest relative error over every checked entry;
    worst_entry: where it is, e.g. "layer 2 W[0, 1]"; entries: one GradCheckEntry per array.
    """

    worst_relative_error: float
    worst_entry: str
    entries: list = field(default_factory=list)

    def passed(self, tol=TOLERANCE):
        """True when every relative error is below tol (the course's TOLERANCE, 1e-6)."""
        return self.worst_relative_error < tol

    def __str__(self):
        lines = [f"{'parameter':<16}{'relative error':>16}"]
        lines += [f"{e.parameter:<16}{e.relative_error:>16.2e}" for e in self.entries]
        lines.append(f"worst: {self.worst_entry} ({self.worst_relative_error:.2e})")
        return "\n".join(lines)


def _report(named_pairs, floor):
    """Build a GradCheckReport from (name, analytic, numeric) triples."""
    entries, worst, worst_entry = [], 0.0, ""
    for name, analytic, numeric in named_pairs:
        error = relative_error(analytic, numeric, floor)
        entries.append(GradCheckEntry(name, analytic, numeric, error))
        if analytic.size and (error > worst or not worst_entry):
            per_entry = _entrywise_relative_error(analytic, numeric, floor)
            index = np.unravel_index(np.argmax(per_entry), analytic.shape)
            worst, worst_entry = error, f"{name}[{', '.join(str(int(i)) for i in index)}]"
    return GradCheckReport(worst, worst_entry, entries)


# Rounding in f makes a central difference wrong by up to a few eps * |f| / h (measured on
# random networks: at most about 2.2 of these units). Entries smaller than the floor below
# are therefore held to an absolute error of 1e-6 * floor = 10 * eps * max(|f|, 1) / h,
# a safety factor of 10 over that noise, instead of an unreachable relative error.
_NOISE_SAFETY = 10.0



def noise_floor(value, h=1e-6):
    """Smallest denominator for relative errors of central differences of a function whose
    value is about ``value``: 10 * eps * max(|value|, 1) / h / 1e-6 (2.2e-3 for |value| <= 1
    and h = 1e-6). Below it no relative error of 1e-6 is reachable in float64."""
    eps = np.finfo(np.float64).eps
    return _NOISE_SAFETY * eps * max(abs(float(value)), 1.0) / h / TOLERANCE


def check_layer(layer, x, *, rng=0, h=1e-6):
    """Check a layer's backward against numeric gradients.

    layer: Dense or ActivationLayer; x: its input (n, n_in).
    Uses the scalar f = sum(layer.forward(x) * g) for a random upstream gradient g, so
    backward(g) must return df/dx and store df/dW, df/db.
    Returns a GradCheckReport with entries "dx" and, for Dense, "W" and "b".
    """
    x = as_float_array(x, "x", ndim=2).copy()
    g = np.random.default_rng(rng).normal(size=layer.forward(x).shape)
    dx = layer.backward(g)
    analytic = [("dx", dx)] + [(name, grad.copy()) for name, grad in layer.gradients().items()]

    def f(_):
        return float(np.sum(layer.forward(x) * g))

    # rounding noise scales with the size of the terms summed, not with their (signed) sum
    scale = float(np.sum(np.abs(layer.forward(x) * g)))
    numeric = {"dx": numeric_gradient(f, x, h)}
    for name, parameter in layer.parameters().items():
        numeric[name] = numeric_gradient(f, parameter, h)
    layer.forward(x)  # leave the layer holding the values of the unperturbed input
    return _report(
        [(name, grad, numeric[name]) for name, grad in analytic], noise_floor(scale, h)
    )


def check_network(network, X, y, loss, *, h=1e-6):
    """Check every parameter gradient of network on the batch (X, y) with the given loss.

    Runs forward, loss gradient and backward once for backprop's gradients, then perturbs
    each weight and bias by +-h. Returns a GradCheckReport whose entries are named
    "layer i W" / "layer i b" (i = position in network.layers).
    Relative errors use noise_floor(L, h) as the smallest denominator (2.2e-3 for a loss
    up to 1 with h = 1e-6): entries smaller than that are held to an absolute error of
    about 2e-9 instead, the level of rounding noise of the numeric gradient.
    """
    loss = get_loss(loss)
    X = as_float_array(X, "X", ndim=2)
    value, gradient = loss.value_and_gradient(network.forward(X), y)
    network.backward(gradient)
    analytic = [(p, p.grad.copy()) for p in network.parameters()]

    def f(_):
        return loss.value(network.forward(X), y)

    pairs = [
        (f"layer {p.layer_index} {p.name}", grad, numeric_gradient(f, p.value, h))
        for p, grad in analytic
    ]
    network.forward(X)  # leave every layer holding the values of the unperturbed network
    network.backward(gradient)
    return _report(pairs, noise_floor(value, h))
