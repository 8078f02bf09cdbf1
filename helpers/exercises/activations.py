"""Checks for lesson 02 (Activation functions).

``check_activation``: an activation's values f(z), entry by entry (softmax row by row). The
functions themselves come from ``helpers.activations``;
the mistakes named here (a sign in the exponent, z put where sigmoid(z) belongs, a forgotten
square, a softmax shifted by the largest score of the whole batch instead of each row's) are
the ones learners make when they write them; so is a max or sum over the rows taken without
``keepdims=True``.
``check_elu``: an activation the package does not have, ELU, value and derivative, written by
the learner; the check holds the truth and takes the derivative by central differences.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validate import as_float_array, check_choice
from ..activations import ACTIVATIONS, get_activation
from .feedback import Feedback, _attempt, _check, _Stop, _wrong
from .judging import _combine, _evaluate, _normal_like

__all__ = ["check_activation", "check_elu"]

ELU_STEP = 1e-6  # the step h of the central differences that give ELU's true slope
KINK_GAP = 1e-3  # the check's points keep this far from z = 0, where ELU's slope jumps


def _activation_name(name, *, derivative: bool) -> str:
    """The activation's name in lower case; ValueError listing the valid ones otherwise.

    derivative: softmax is refused, as it has no entry-by-entry derivative.
    """
    valid = [n for n in ACTIVATIONS if not (derivative and n == "softmax")]
    try:
        return check_choice(name.lower() if isinstance(name, str) else name, "activation", valid)
    except ValueError as error:
        if derivative:
            raise ValueError(f"{error} (softmax has no entry-by-entry derivative: its backward "
                             "step is a Jacobian-vector product)") from None
        raise


@_check
def check_activation(answer, name: str, z, *, z_name: str = "z") -> Feedback:
    """Check an activation's values f(z).

    answer: f(z) with the shape of z, or a function f(z) returning it (then it is also tried at
    other z of the same shape). name: "identity", "relu", "sigmoid", "softmax" or "tanh".
    z: pre-activation, any shape ((n, k) or (k,) for softmax, which normalises each row).
    z_name: the input's name in the messages, e.g. "Z" for a batch written Z in the exercise.
    """
    if not isinstance(z_name, str) or not z_name.strip():
        raise TypeError(f"z_name must be a non-empty text naming the input; got {z_name!r}")
    name = _activation_name(name, derivative=False)
    z = as_float_array(z, "z")
    act = get_activation(name)

    def mistakes(z):
        sigmoid, tanh = get_activation("sigmoid").forward, get_activation("tanh").forward
        exp = np.exp(z - z.max())  # one shift for all entries keeps every ratio
        by_column = np.exp(z - z.max(axis=0, keepdims=True))  # one shift per column
        by_row = np.exp(z - z.max(axis=-1, keepdims=True))  # one shift per row, as it should
        table = {
            "sigmoid": [(lambda: sigmoid(-z), "the sign in the exponent: "
                         "sigmoid(z) = 1 / (1 + exp(-z)).")],
            "tanh": [(lambda: sigmoid(z), "that is the sigmoid, whose values lie in (0, 1); "
                      "tanh's lie in (-1, 1)."),
                     (lambda: 2 * sigmoid(z) - 1, "tanh(z) = 2 * sigmoid(2 * z) - 1: "
                      "the sigmoid's argument is 2 * z.")],
            "relu": [(lambda: np.abs(z), "negative inputs must become 0, not change sign."),
                     (lambda: np.minimum(z, 0), "you kept the negative part; "
                      "ReLU keeps max(0, z).")],
            "softmax": [(lambda: np.exp(z), "you forgot to divide by the sum of the exponentials."),
                        (lambda: by_column / by_column.sum(axis=0, keepdims=True),
                         "you normalised each column (axis 0); each row must sum to 1: "
                         "sum over axis=-1 with keepdims=True."),
                        (lambda: exp / exp.sum(), "you divided by the sum over the whole array; "
                         "each row must sum to 1 on its own."),
                        (lambda: by_row / by_row.sum(), "you divided by the sum over the whole "
                         "array; each row must sum to 1 on its own: sum over axis=-1 with "
                         "keepdims=True."),
                        (lambda: sigmoid(z), "that is the sigmoid of each entry; softmax divides "
                         f"exp({z_name}) by the sum over the row.")],
        }
        if name != "softmax":
            table.setdefault(name, []).append(
                (lambda: act.derivative(z), f"that is the derivative {name}'(z), not {name}(z)."))
        table.setdefault(name, []).append(
            (lambda: tanh(z), f"that is tanh; the exercise asks for {name}."))
        return table.get(name, [])

    if name == "softmax":
        answer = _watch_softmax(answer, z, z_name)
    return _evaluate(
        answer, f"{name}({z_name})", (z,), (z_name,),
        truth=act.forward, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0),),
    )


def _softmax_trouble(got, z, z_name: str) -> str | None:
    """What made a softmax answer nan or inf, when its bad entries are where a typical
    mistake puts them: the plain formula (exp overflows) or one shift by the largest score of
    the whole array (a row far below it underflows to 0 / 0). None otherwise."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return None
    if got.shape != z.shape or np.all(np.isfinite(got)):
        return None
    with np.errstate(all="ignore"):
        plain = np.exp(z) / np.exp(z).sum(axis=-1, keepdims=True)
        shifted = np.exp(z - z.max())
        one_shift = shifted / shifted.sum(axis=-1, keepdims=True)
    bad = ~np.isfinite(got)
    if z.ndim == 2 and np.array_equal(bad, ~np.isfinite(one_shift)):
        return (f"Your softmax({z_name}) contains nan: you subtracted the largest score of the "
                "whole array, so in a row whose scores all lie far below it every exp() "
                "underflows to 0, and 0 / 0 is nan. Subtract each row's own largest score: "
                f"{z_name}.max(axis=-1, keepdims=True).")
    if np.array_equal(bad, ~np.isfinite(plain)):
        return (f"Your softmax({z_name}) contains nan: exp() of a large score overflows to inf, "
                "and inf / inf is nan. Subtract the largest score first; the result is the "
                "same.")
    return None


def _keepdims(z_name: str, refused: tuple[int, int] | None = None) -> str:
    """The message for a max or sum over axis=-1 without keepdims=True. refused: the shape
    (n, k) of the scores when numpy refused to combine them (n != k), else None (a square
    batch, where numpy lined the (n,) array up with the columns without complaint)."""
    what = (f"Your softmax({z_name}) is not right: you subtracted or divided by a 1-D array of "
            "one number per row (max or sum over axis=-1 without keepdims=True). ")
    if refused is not None:
        n, k = refused
        return what + (f"numpy lines ({n},) up with the last axis of ({n}, {k}) (the columns) "
                       f"and refused, since {n} ≠ {k}; with keepdims=True it stays a column "
                       f"of shape ({n}, 1), which lines up with the rows.")
    return what + ("numpy lined it up with the columns, not the rows. Use keepdims=True, which "
                   "keeps it a column of shape (n, 1).")


def _missing_keepdims(got, z) -> bool:
    """True when got is what a softmax gives that forgot keepdims=True on the max, on the sum
    or on both (possible without an error only for a square z), and that is not right."""
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    if z.ndim != 2 or got.shape != z.shape:
        return False
    truth = get_activation("softmax").forward(z)
    with np.errstate(all="ignore"):
        for keep_max, keep_sum in ((False, False), (True, False), (False, True)):
            try:
                exps = np.exp(z - z.max(axis=-1, keepdims=keep_max))
                wrong = exps / exps.sum(axis=-1, keepdims=keep_sum)
            except ValueError:  # not square: numpy refuses, the learner's code raises too
                continue
            if (np.allclose(got, wrong, equal_nan=True)
                    and not np.allclose(wrong, truth, equal_nan=True)):
                return True
    return False


def _watch_softmax(answer, z, z_name: str):
    """The answer, or for a function a wrapper that names the trouble of a nan result, or of a
    max or sum taken without keepdims=True."""
    if not callable(answer):
        if not isinstance(answer, str) and _missing_keepdims(answer, z):
            raise _Stop(_wrong(_keepdims(z_name)))
        trouble = _softmax_trouble(answer, z, z_name) if not isinstance(answer, str) else None
        if trouble:
            raise _Stop(_wrong(trouble))
        return answer

    @functools.wraps(answer)
    def watched(scores):
        try:
            result = answer(scores)
        except ValueError as error:  # (n, k) minus an (n,) array: numpy cannot broadcast it
            if "could not be broadcast" in str(error) and scores.ndim == 2:
                raise _Stop(_wrong(_keepdims(z_name, scores.shape)
                                   + f"\n    (numpy said: {error})")) from None
            raise
        if not isinstance(result, str) and _missing_keepdims(result, scores):
            raise _Stop(_wrong(_keepdims(z_name)))
        with np.errstate(all="ignore"):
            trouble = (_softmax_trouble(result, scores, z_name) if not isinstance(result, str)
                       else None)
        if trouble:
            raise _Stop(_wrong(trouble))
        return result

    return watched


# --- ELU, an activation only this exercise has -------------------------------------------


def _elu(z, alpha):
    """ELU: z for z > 0, alpha * (exp(z) - 1) for z <= 0."""
    with np.errstate(over="ignore"):
        return np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def _elu_slope(z, alpha):
    """ELU's slope by central differences, (elu(z + h) - elu(z - h)) / 2h entry by entry (the
    entries do not interact, so this is numeric_gradient of the sum), h = ELU_STEP."""
    return (_elu(z + ELU_STEP, alpha) - _elu(z - ELU_STEP, alpha)) / (2 * ELU_STEP)


def _elu_points(rng, z):
    """New z shaped like z (normal, scale 2), kept KINK_GAP away from 0, and a new alpha."""
    new = _normal_like(rng, z, 2.0)
    new = np.where(np.abs(new) < KINK_GAP, np.copysign(KINK_GAP, new) * 2, new)
    return new, float(rng.uniform(0.2, 2.0))


def _elu_value_mistakes(z, alpha):
    pos = z > 0
    e = np.exp(np.minimum(z, 0.0))
    return [
        (lambda: np.where(pos, alpha * (np.exp(z) - 1), z), "you swapped the branches: ELU is z "
         "for z > 0 and alpha * (exp(z) - 1) for z <= 0."),
        (lambda: np.where(pos, z, e - 1), "for z <= 0 you left out the factor alpha."),
        (lambda: np.where(pos, z, alpha * e), "for z <= 0 you left out the - 1, so the two "
         "pieces do not meet at z = 0."),
        (lambda: np.where(pos, z, alpha * (np.exp(-np.minimum(z, 0.0)) - 1)), "for z <= 0 the "
         "exponent is z, not -z."),
        (lambda: np.maximum(z, 0.0), "that is ReLU; ELU is not 0 for z < 0."),
        (lambda: np.where(pos, z, alpha * z), "that is leaky ReLU, a straight line alpha * z "
         "for z < 0; ELU bends there."),
        (lambda: np.where(pos, 1.0, alpha * e), "that is ELU's slope, not ELU itself."),
    ]


def _elu_slope_mistakes(z, alpha):
    pos = z > 0
    e = np.exp(np.minimum(z, 0.0))
    value = _elu(z, alpha)
    return [
        (lambda: np.where(pos, 1.0, 0.0), "for z < 0 the slope is not 0 (that is ReLU's "
         "slope): there ELU is a curve, alpha * (exp(z) - 1); differentiate it."),
        (lambda: np.where(pos, 1.0, e), "for z < 0 you lost the slope factor alpha: the "
         "derivative of alpha * (exp(z) - 1) keeps its alpha."),
        (lambda: np.where(pos, 1.0, alpha * (e - 1)), "for z < 0 you kept the - 1: it is a "
         "constant, and the derivative of a constant is 0."),
        (lambda: np.where(pos, 1.0, alpha), "for z < 0 that is a constant slope alpha (leaky "
         "ReLU's); ELU's slope there changes with z."),
        (lambda: np.where(pos, alpha * np.exp(z), 1.0), "you swapped the branches: the slope "
         "is 1 for z > 0, and the derivative of alpha * (exp(z) - 1) for z < 0."),
        (lambda: np.where(pos, 1.0, alpha * np.exp(value)), "you used the output elu(z) where "
         "the input z belongs: for z < 0 the slope is alpha * exp(z), with z itself."),
        (lambda: value + alpha, "elu(z) + alpha is the slope only for z < 0; for z > 0 ELU is "
         "z, whose slope is 1."),
        (lambda: np.where(pos, z, alpha * e), "for z > 0 ELU is z, whose slope is 1, not z."),
        (lambda: value, "that is elu(z, alpha) itself, not its slope."),
    ]


@_check
def check_elu(elu, elu_derivative, z, alpha: float = 0.5) -> Feedback:
    """Check a learner's ELU and its derivative, an activation the lesson defines but the
    package does not have: elu(z) = z for z > 0, alpha * (exp(z) - 1) for z <= 0.

    elu, elu_derivative: functions f(z, alpha) returning an array shaped like z (or the arrays
    themselves, at the given z and alpha). Functions are also tried at other z and alpha.
    z: the points, any shape, none closer than KINK_GAP to 0 (for alpha != 1 the slope jumps
    there). alpha: a positive number. The true slope is ELU's central difference.
    """
    z = as_float_array(z, "z")
    if np.any(np.abs(z) < KINK_GAP):
        raise ValueError(f"z must keep at least {KINK_GAP:g} away from 0, where ELU's slope "
                         f"jumps; got {z[np.abs(z) < KINK_GAP][0]!r}")
    if not isinstance(alpha, int | float) or isinstance(alpha, bool) or not 0 < alpha < np.inf:
        raise ValueError(f"alpha must be a positive number; got {alpha!r}")
    alpha = float(alpha)
    names, sample = ("z", "alpha"), (lambda rng: _elu_points(rng, z))
    parts = [
        ("elu(z, alpha)", _attempt(lambda: _evaluate(
            elu, "elu(z, alpha)", (z, alpha), names, truth=_elu,
            mistakes=_elu_value_mistakes, sample=sample))),
        ("elu_derivative(z, alpha)", _attempt(lambda: _evaluate(
            elu_derivative, "elu_derivative(z, alpha)", (z, alpha), names, truth=_elu_slope,
            mistakes=_elu_slope_mistakes, sample=sample))),
    ]
    functions = [name for (name, _), answer in zip(parts, (elu, elu_derivative), strict=True)
                 if callable(answer)]
    return _combine(parts, functions)
