"""Check functions for the lessons' exercises.

Every ``check_*`` function takes the learner's answer first, then the problem data. It compares
the answer with the truth and returns a :class:`Feedback`, which a notebook cell displays:

    ✓ Correct! ...
    ✗ Your dW has shape (3, 2) but should be (2, 3): you probably computed ...
    … Not done yet: ...

An answer may be a number, an array (or nested list) or a *function* that computes the answer
from the problem data. A function is called at the given inputs and at ``N_EXTRA_POINTS`` other
inputs of the same shapes, so an answer that is right at one point only is caught.
``None``, ``...`` or a function that returns ``None`` means "not done yet".

The checks never raise because of the learner's answer (a wrong type, a function that raises);
that becomes the message. Bad *problem data* (a mistake of the notebook's author) raises
``TypeError`` or ``ValueError`` as everywhere in ``helpers``.

Tolerance: an answer is right when it has the expected shape and
``np.allclose(answer, truth, rtol=RTOL, atol=ATOL)``.
"""

from __future__ import annotations

import functools
import html
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array
from .activations import ACTIVATIONS, get_activation
from .graph import apply_operation, format_number
from .layers import Dense
from .losses import LOSSES, get_loss

RTOL = 1e-6
ATOL = 1e-9
N_EXTRA_POINTS = 3
SHOW_AT_MOST = 30  # arrays with more entries are summarised by their largest difference

__all__ = [
    "ATOL",
    "RTOL",
    "Feedback",
    "check_activation",
    "check_activation_derivative",
    "check_backward_pass",
    "check_chain_rule",
    "check_delta",
    "check_dense_backward",
    "check_graph_gradient",
    "check_layer_cost",
    "check_local_derivative",
    "check_loss_gradient",
    "check_pre_activation",
    "check_sgd_update",
    "check_two_layer_forward",
]


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True, repr=False)
class Feedback:
    """The verdict on one answer.

    correct: the answer is right. done: the learner has answered (False means "not done yet";
    for several parts, False only when no part is wrong and some part is missing).
    message: what a learner reads. ``str``, ``repr`` and the notebook display show the message
    after a symbol: ✓ correct, ✗ wrong, … not done yet. ``bool(feedback)`` is ``correct``.
    """

    correct: bool
    done: bool
    message: str

    @property
    def symbol(self) -> str:
        return "✓" if self.correct else "✗" if self.done else "…"

    def __str__(self) -> str:
        return f"{self.symbol} {self.message}"

    __repr__ = __str__

    def __bool__(self) -> bool:
        return self.correct

    def _repr_html_(self) -> str:
        color = {"✓": "#1a7f37", "✗": "#cf222e", "…": "#9a6700"}[self.symbol]
        return (
            f'<pre style="white-space: pre-wrap; border-left: 4px solid {color}; '
            f'padding: 0.3em 0.8em; margin: 0">{html.escape(str(self))}</pre>'
        )


def _correct(message: str = "Correct!") -> Feedback:
    return Feedback(True, True, message)


def _wrong(message: str) -> Feedback:
    return Feedback(False, True, message)


def _not_done(message: str) -> Feedback:
    return Feedback(False, False, f"Not done yet: {message}")


class _Stop(Exception):
    """Carries a Feedback out of the depths of a check (never escapes a check)."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _check(func):
    """Decorator: a check returns the Feedback that a _Stop carries instead of raising."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except _Stop as stop:
            return stop.feedback

    return wrapper


def _attempt(make_feedback: Callable[[], Feedback]) -> Feedback:
    try:
        return make_feedback()
    except _Stop as stop:
        return stop.feedback


# --------------------------------------------------------------------------- answers


def _is_missing(value) -> bool:
    return value is None or value is Ellipsis


def _is_node(value) -> bool:
    """A graph Value (duck-typed, so helpers.graph need not be imported)."""
    return all(hasattr(value, attr) for attr in ("data", "grad", "backward"))


def _describe(value) -> str:
    if isinstance(value, str):
        text = value if len(value) <= 20 else value[:17] + "..."
        return f"the text {text!r}"
    if _is_node(value):
        return "a graph node (use its .data or .grad for its number)"
    if isinstance(value, list | tuple) and any(_is_missing(item) for item in value):
        return f"a {type(value).__name__} that still contains None or ..."
    if isinstance(value, tuple) and all(isinstance(item, np.ndarray) for item in value):
        return f"a tuple of {len(value)} arrays (did you return several results at once?)"
    return f"a {type(value).__name__}"


def _as_answer(value, what: str) -> np.ndarray:
    """The learner's value as a float array, or a _Stop with a message a learner understands."""
    if _is_missing(value):
        raise _Stop(_not_done(f"replace the None (or ...) with your {what}, then run the cell."))
    if _is_node(value) and isinstance(getattr(value, "data", None), int | float):
        value = value.data
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists and other oddities
        array = np.asarray(None, dtype=object)
    if array.dtype.kind not in "biuf":
        raise _Stop(
            _wrong(f"Your {what} should be a number or an array of numbers; "
                   f"got {_describe(value)}.")
        )
    array = array.astype(float)
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {index}" if array.ndim else ""
        raise _Stop(_wrong(f"Your {what} contains {array[bad][0]}{where}: check for a division "
                           "by zero or an exp() of a large number."))
    return array


def _function_name(func) -> str:
    name = getattr(func, "__name__", "")
    return f"your function {name}" if name and name != "<lambda>" else "your function"


def _describe_point(names: Sequence[str], values: Sequence) -> str:
    parts = []
    for name, value in zip(names, values, strict=False):
        array = np.asarray(value)
        if array.dtype.kind in "biuf" and array.size <= 6:
            parts.append(f"{name} = {' '.join(_fmt(array).split())}")
        elif array.dtype.kind in "biuf":
            parts.append(f"{name} of shape {array.shape}")
        else:
            parts.append(f"{name} = {value!r}")
    return ", ".join(parts)


def _call(func, args: Sequence, what: str, names: Sequence[str]):
    """Call a learner's function on copies of args; errors and None become a _Stop."""
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*copies)
    except Exception as error:  # the learner's code: report it, never a traceback
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise _Stop(
            _wrong(
                f"{_function_name(func).capitalize()} raised {text}\n"
                f"    (called with {_describe_point(names, args)})"
            )
        ) from None
    if _is_missing(result):
        raise _Stop(
            _not_done(f"{_function_name(func)} returned None; fill in its body so that it "
                      f"returns your {what}.")
        )
    return result


# --------------------------------------------------------------------------- comparing


def _num(value: float) -> str:
    return format_number(value)


def _fmt(array, prefix: str = "") -> str:
    array = np.asarray(array, dtype=float)
    if array.ndim == 0:
        return _num(array)
    return np.array2string(array, separator=", ", formatter={"float_kind": _num}, prefix=prefix)


def _show(expected: np.ndarray, got: np.ndarray) -> str:
    if expected.size <= SHOW_AT_MOST and got.size <= SHOW_AT_MOST:
        return (f"\n    expected: {_fmt(expected, '    expected: ')}"
                f"\n    got:      {_fmt(got, '    got:      ')}")
    if expected.shape == got.shape:
        index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
        index = tuple(int(i) for i in index)
        return (f"\n    largest difference at index {index}: expected {_num(expected[index])}, "
                f"got {_num(got[index])}")
    return ""


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _explain(what: str, got: np.ndarray, expected: np.ndarray, why: str) -> str:
    if got.shape == expected.shape:
        head = f"Your {what} is not right: {why}"
    elif got.ndim == 0:
        head = f"Your {what} is a single number but should have shape {expected.shape}: {why}"
    elif expected.ndim == 0:
        head = f"Your {what} has shape {got.shape} but should be a single number: {why}"
    else:
        head = f"Your {what} has shape {got.shape} but should have shape {expected.shape}: {why}"
    return head + _show(expected, got)


Mistakes = Iterable[tuple[Callable[[], object], str]]


def _judge(what: str, got: np.ndarray, expected: np.ndarray, mistakes: Mistakes = ()) -> str | None:
    """None when got is right, else a message naming the most likely mistake.

    mistakes: pairs (thunk computing a typical wrong answer, explanation starting "you ...").
    A thunk that fails (shapes that do not fit) is skipped.
    """
    if _close(got, expected):
        return None
    for make_wrong, why in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = np.asarray(make_wrong(), dtype=float)
        except Exception:
            continue
        if _close(got, wrong) and not _close(wrong, expected):
            return _explain(what, got, expected, why)
    if got.shape != expected.shape:
        if expected.ndim == 2 and _close(got, expected.T):
            why = "it is the transpose of the right answer; check the order of the factors."
        elif expected.ndim == 0 and got.size == 1 and _close(got.reshape(()), expected):
            why = "the number is right; give it as a plain number (answer.item())."
        elif got.size == expected.size and _close(got.reshape(expected.shape), expected):
            why = f"the numbers are right; reshape it to {expected.shape}."
        elif expected.ndim == 2 and expected.shape[1] == 1 and got.shape == expected.shape[:1] * 2:
            why = ("an (n, 1) array combined with an (n,) array broadcasts to (n, n); reshape "
                   "the 1-D one with .reshape(-1, 1) first.")
        else:
            why = "check which axes your computation keeps."
        return _explain(what, got, expected, why)
    if np.any(np.abs(expected) > ATOL) and not np.any(got):
        return _explain(what, got, expected, "it is all zeros.")
    if np.any(np.abs(expected) > ATOL) and _close(got, -expected):
        return _explain(what, got, expected, "the sign is flipped (it is minus the right answer).")
    factor = _constant_factor(got, expected)
    if factor is not None:
        return _explain(what, got, expected, f"it is {_num(factor)} times the right answer.")
    if got.ndim == 0:
        return f"Your {what} is not right yet." + _show(expected, got)
    wrong = int(np.sum(~np.isclose(got, expected, rtol=RTOL, atol=ATOL)))
    return f"Your {what} is not right yet ({wrong} of {got.size} entries differ)." + _show(
        expected, got
    )


def _constant_factor(got: np.ndarray, expected: np.ndarray) -> float | None:
    nonzero = np.abs(expected) > ATOL
    if not nonzero.any() or np.any(np.abs(got[~nonzero]) > ATOL):
        return None
    ratios = got[nonzero] / expected[nonzero]
    factor = float(ratios.flat[0])
    if np.allclose(ratios, factor, rtol=1e-6) and not math.isclose(abs(factor), 1.0):
        return factor
    return None


def _evaluate(
    answer,
    what: str,
    data: Sequence,
    names: Sequence[str],
    truth: Callable[..., np.ndarray],
    mistakes: Callable[..., Mistakes] = lambda *data: (),
    sample: Callable[[np.random.Generator], Sequence] | None = None,
    *,
    fix: Callable[..., np.ndarray] | None = None,
    praise: str = "Correct!",
    allow_number: bool = False,
) -> Feedback:
    """Judge a value, or a function of the data at the given point and N_EXTRA_POINTS others.

    truth(*data) -> expected; mistakes(*data) -> typical wrong answers; sample(rng) -> new data of
    the same shapes; fix(got, expected, *data) -> expected adjusted to accept equivalent answers.
    allow_number: a plain number (or 0-d array) stands for an answer with exactly one entry,
    e.g. the (1,) output of one neuron.
    """
    points = [tuple(data)]
    if callable(answer) and sample is not None:
        rng = np.random.default_rng(2024)
        points += [tuple(sample(rng)) for _ in range(N_EXTRA_POINTS)]
    for k, point in enumerate(points):
        raw = _call(answer, point, what, names) if callable(answer) else answer
        got = _as_answer(raw, what)
        expected = truth(*point)
        if allow_number and got.ndim == 0 and expected.size == 1:
            got = got.reshape(expected.shape)
        if fix is not None and got.shape == expected.shape:
            expected = fix(got, expected, *point)
        verdict = _judge(what, got, expected, mistakes(*point))
        if verdict is None:
            continue
        if k == 0:
            return _wrong(verdict)
        return _wrong(
            f"{_function_name(answer).capitalize()} is right for the given inputs but not for "
            f"others, e.g. {_describe_point(names, point)}:\n{verdict}\n"
            "Did you write in numbers that only hold for the given inputs? "
            "Compute from the arguments."
        )
    if len(points) > 1:
        return _correct(f"{praise} Your function is right for the given inputs and "
                        f"{len(points) - 1} others.")
    return _correct(praise)


def _combine(parts: Sequence[tuple[str, Feedback]], functions: Sequence[str] = ()) -> Feedback:
    """One Feedback for an answer in several parts (dW, db, dx, ...), one line per part.

    functions: the names of the parts answered by a function (tried at several points).
    """
    if all(feedback.correct for _, feedback in parts):
        names = [name for name, _ in parts]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        tried = (f" Your function{'s' if len(functions) > 1 else ''} for {', '.join(functions)}: "
                 f"right for the given inputs and {N_EXTRA_POINTS} others." if functions else "")
        return _correct(f"Correct! {listed} are all right.{tried}")
    lines = []
    for name, feedback in parts:
        if feedback.correct:
            lines.append(f"✓ {name} is right.")
        else:
            lines.append(str(feedback).replace("\n", "\n  "))
    wrong = any(feedback.done and not feedback.correct for _, feedback in parts)
    done = wrong or all(feedback.done for _, feedback in parts)
    head = "Some parts are not right yet:" if wrong else "Some parts are not done yet:"
    return Feedback(False, done, head + "\n" + "\n".join(lines))


# --------------------------------------------------------------------------- problem data


def _normal_like(rng: np.random.Generator, array: np.ndarray, scale: float = 1.0) -> np.ndarray:
    return rng.normal(0.0, scale, size=np.shape(array))


def _with_batch(n: int) -> str:
    return f"n = {n} sample{'s' if n != 1 else ''}"


# --------------------------------------------------------------------------- forward pass


@_check
def check_pre_activation(answer, x, W, b, *, what: str = "z") -> Feedback:
    """Check a pre-activation z = x @ W + b (a weighted sum of the inputs plus a bias).

    A layer: x (n, n_in) or (n_in,), W (n_in, n_out), b (n_out,) -> z (n, n_out) or (n_out,).
    One neuron: x (n, n_in) or (n_in,), w (n_in,) or W (n_in, 1), b a number or (1,) -> z.
    When z has exactly one entry (one neuron, one sample), a plain number is accepted too.
    answer: z, or a function f(x, W, b) returning it (then also tried at other inputs).
    what: the answer's name in the messages ("Your {what} is not right"), e.g. "output a2"
        when a later layer computes the network's output this way.
    """
    x = as_float_array(x, "x", ndim=(1, 2))
    W = as_float_array(W, "W", ndim=(1, 2))
    b = as_float_array(b, "b", ndim=(0, 1))
    if W.shape[1:] == (1,) and b.shape == ():  # one neuron as a column, a plain-number bias
        b = b.reshape(1)
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"what must be a non-empty text naming the answer; got {what!r}")
    if x.shape[-1] != W.shape[0] or b.shape != W.shape[1:]:
        raise ValueError(f"x {x.shape}, W {W.shape} and b {b.shape} do not fit: expected "
                         "x (n, n_in), W (n_in, n_out), b (n_out,), or w (n_in,) and a number b")

    def mistakes(x, W, b):
        z = x @ W + b
        act = get_activation
        transposed = [  # only where transposing changes something (not for one neuron)
            (lambda: z.T, "you probably computed W.T @ x.T; the samples are the rows, "
             "so use x @ W + b."),
            (lambda: (x @ W).T, "you probably computed W.T @ x.T and forgot the bias; "
             "the samples are the rows, so use x @ W + b."),
        ] if z.ndim == 2 and z.shape != (1, 1) else []
        return [
            *transposed,
            (lambda: x @ W, "you forgot to add the bias b."),
            (lambda: x @ W - b, "you subtracted the bias; add it."),
            (lambda: x * W + b, "you multiplied entry by entry but did not add the products "
             "up: the weighted sum is x @ w + b."),
            (lambda: x @ W.T + b, "you used W.T; W has shape (n_in, n_out), so use x @ W."),
            *[(lambda f=f: act(f).forward(z), f"you applied {f}; the pre-activation is the "
               "weighted sum before any activation.") for f in ("sigmoid", "tanh", "relu")],
        ]

    return _evaluate(
        answer, what, (x, W, b), ("x", "W", "b"),
        truth=lambda x, W, b: x @ W + b,
        mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, x), _normal_like(rng, W), _normal_like(rng, b)),
        praise="Correct! z = x @ W + b." if what == "z" else f"Correct! Your {what} is x @ W + b.",
        allow_number=True,
    )


@_check
def check_two_layer_forward(answer, X=None, W1=None, b1=None, W2=None, b2=None, *,
                            hidden: str = "tanh", output: str = "sigmoid") -> Feedback:
    """Check the forward pass of a two-layer network: output(hidden(X @ W1 + b1) @ W2 + b2).

    answer: a function f(X, W1, b1, W2, b2) returning the output (n, n_out), tried at the given
    data and at other data of the same shapes; or the output itself (then give the data).
    X: (n, n_in); W1: (n_in, n_hidden); b1: (n_hidden,); W2: (n_hidden, n_out); b2: (n_out,).
    Without data, a seeded problem with n = 5, n_in = 3, n_hidden = 4, n_out = 2 is used.
    hidden, output: activation names.
    """
    data = (X, W1, b1, W2, b2)
    if all(d is None for d in data):
        rng = np.random.default_rng(7)
        data = tuple(rng.normal(size=s) for s in ((5, 3), (3, 4), (4,), (4, 2), (2,)))
    names = ("X", "W1", "b1", "W2", "b2")
    X, W1, b1, W2, b2 = (as_float_array(d, name, ndim=(2 if name[0] in "XW" else 1))
                         for d, name in zip(data, names, strict=True))
    if (X.shape[1], W1.shape[1], W2.shape[1]) != (W1.shape[0], b1.shape[0], b2.shape[0]) or \
            W1.shape[1] != W2.shape[0]:
        raise ValueError(f"X {X.shape}, W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 "
                         f"{b2.shape} do not fit: expected X (n, n_in), W1 (n_in, n_hidden), "
                         "b1 (n_hidden,), W2 (n_hidden, n_out), b2 (n_out,)")
    f, g = get_activation(_activation_name(hidden, derivative=False)), \
        get_activation(_activation_name(output, derivative=False))

    def mistakes(X, W1, b1, W2, b2):
        a1 = f.forward(X @ W1 + b1)
        return [
            (lambda: a1, f"that is the hidden layer's output {hidden}(X @ W1 + b1); pass it "
             f"through the second layer too."),
            (lambda: a1 @ W2 + b2, f"you forgot the output activation: apply {output} to "
             "a1 @ W2 + b2."),
            (lambda: g.forward((X @ W1 + b1) @ W2 + b2), f"you forgot the hidden activation: "
             f"the second layer takes {hidden}(X @ W1 + b1), not X @ W1 + b1."),
            (lambda: f.forward(g.forward(X @ W1 + b1) @ W2 + b2), f"you swapped the "
             f"activations: {hidden} in the hidden layer, {output} at the output."),
        ]

    return _evaluate(
        answer, "network output", (X, W1, b1, W2, b2), names,
        truth=lambda X, W1, b1, W2, b2: g.forward(f.forward(X @ W1 + b1) @ W2 + b2),
        mistakes=mistakes,
        sample=lambda rng: tuple(_normal_like(rng, d) for d in (X, W1, b1, W2, b2)),
    )


_ACTIVATION_NAMES = tuple(ACTIVATIONS)


def _activation_name(name, *, derivative: bool) -> str:
    valid = [n for n in _ACTIVATION_NAMES if not (derivative and n == "softmax")]
    if not isinstance(name, str) or name.lower() not in valid:
        extra = " (softmax has no elementwise derivative: use check_delta)" if derivative else ""
        raise ValueError(f"unknown activation {name!r}; valid: {', '.join(valid)}{extra}")
    return name.lower()


@_check
def check_activation(answer, name: str, z) -> Feedback:
    """Check an activation's values f(z).

    answer: f(z) with the shape of z, or a function f(z) returning it (then it is also tried at
    other z of the same shape). name: "identity", "relu", "sigmoid", "softmax" or "tanh".
    z: pre-activation, any shape ((n, k) or (k,) for softmax, which normalises each row).
    """
    name = _activation_name(name, derivative=False)
    z = as_float_array(z, "z")
    act = get_activation(name)

    def mistakes(z):
        sigmoid, tanh = get_activation("sigmoid").forward, get_activation("tanh").forward
        exp = np.exp(z - z.max())  # one shift for all entries keeps every ratio
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
                        (lambda: exp / exp.sum(axis=0, keepdims=True),
                         "you normalised each column (axis 0); each row must sum to 1: "
                         "sum over axis=-1 with keepdims=True."),
                        (lambda: exp / exp.sum(), "you divided by the sum over the whole array; "
                         "each row must sum to 1 on its own."),
                        (lambda: sigmoid(z), "that is the sigmoid of each entry; softmax divides "
                         "exp(z) by the sum over the row.")],
        }
        if name != "softmax":
            table.setdefault(name, []).append(
                (lambda: act.derivative(z), f"that is the derivative {name}'(z), not {name}(z)."))
        table.setdefault(name, []).append(
            (lambda: tanh(z), f"that is tanh; the exercise asks for {name}."))
        return table.get(name, [])

    return _evaluate(
        answer, f"{name}(z)", (z,), ("z",),
        truth=act.forward, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0),),
    )


@_check
def check_activation_derivative(answer, name: str, z) -> Feedback:
    """Check an activation's derivative f'(z), elementwise.

    answer: f'(z) with the shape of z, or a function f'(z) returning it (then also tried at other
    z). name: "identity", "relu", "sigmoid" or "tanh". z: pre-activation, any shape.
    ReLU's slope at exactly z = 0 is undefined: any value in [0, 1] is accepted there.
    """
    name = _activation_name(name, derivative=True)
    z = as_float_array(z, "z")
    act = get_activation(name)

    def mistakes(z):
        f = act.forward
        table = {
            "sigmoid": [(lambda: z * (1 - z), "you put z into s * (1 - s); "
                         "first compute s = sigmoid(z)."),
                        (lambda: f(z) * (1 + f(z)), "the derivative is s * (1 - s), "
                         "with a minus.")],
            "tanh": [(lambda: 1 - z**2, "you put z into 1 - t**2; first compute t = tanh(z)."),
                     (lambda: 1 - f(z), "you forgot the square: 1 - tanh(z)**2."),
                     (lambda: 1 + f(z) ** 2, "the derivative is 1 - tanh(z)**2, with a minus.")],
            "relu": [(lambda: np.ones_like(z), "the slope is 0 where z < 0."),
                     (lambda: (z < 0).astype(float), "the step is reversed: "
                      "the slope is 1 where z > 0 and 0 where z < 0.")],
            "identity": [(lambda: np.zeros_like(z), "the identity f(z) = z has slope 1 "
                          "everywhere.")],
        }[name]
        return [*table, (lambda: f(z), f"that is {name}(z) itself, not its derivative.")]

    def fix(got, expected, z):  # any slope in [0, 1] is fine for ReLU at exactly 0
        if name != "relu":
            return expected
        return np.where(z == 0, np.clip(got, 0.0, 1.0), expected)

    return _evaluate(
        answer, f"{name}'(z)", (z,), ("z",),
        truth=act.derivative, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0),), fix=fix,
    )


# --------------------------------------------------------------------------- computational graph


_BINARY = ("+", "-", "*", "/", "**")
_OPERATIONS = (*_BINARY, "neg", "exp", "log", "sigmoid", "tanh", "relu")


def _operation(op: str, values: Sequence[float]) -> tuple[float, tuple[float, ...]]:
    """(value, local derivatives d out / d input_i) of one operation at plain numbers, as the
    computational graph computes them. For x ** p the graph's exponent is a constant, so the
    derivative with respect to p, x**p log(x), is added here (nan where x <= 0)."""
    if op == "**":
        x, p = values
        node = apply_operation("**", [x], p)
        return node.data, (node.local_grads[0], node.data * math.log(x) if x > 0 else math.nan)
    node = apply_operation(op, values)
    return node.data, node.local_grads




def _expression(op: str, names: Sequence[str]) -> str:
    if len(names) == 2:
        return f"{names[0]} {op} {names[1]}"
    return f"-{names[0]}" if op == "neg" else f"{op}({names[0]})"


def _local_mistakes(op: str, values: Sequence[float], i: int, names: Sequence[str]) -> Mistakes:
    x, y, other = values[0], values[-1], names[-1]
    mistakes = [(lambda: _operation(op, values)[0],
                 f"that is the value of {_expression(op, names)} itself, not its derivative.")]
    if len(values) == 2 and op != "-":  # for "-" the other input's derivative is a sign flip
        mistakes.append((lambda: _operation(op, values)[1][1 - i], "that is the derivative "
                         f"with respect to {names[1 - i]}; this one is with respect to "
                         f"{names[i]}."))
    return mistakes + {
        ("/", 0): [(lambda: y, f"dividing by {other} multiplies by 1 / {other}.")],
        ("/", 1): [(lambda: -x / y, f"the derivative of 1 / {other} is -1 / {other}**2: "
                    "you forgot the square.")],
        ("**", 0): [(lambda: x ** (y - 1), "you forgot the factor p in front: "
                     "d(x**p)/dx = p * x**(p - 1)."),
                    (lambda: y * x**y, "the power drops by one: d(x**p)/dx = p * x**(p - 1).")],
        ("log", 0): [(lambda: math.exp(x), "that is the derivative of exp; log's is 1 / x.")],
        ("sigmoid", 0): [(lambda: x * (1 - x), "you put the input into s * (1 - s); "
                          "first compute s = sigmoid(input).")],
        ("tanh", 0): [(lambda: 1 - x**2, "you put the input into 1 - t**2; "
                       "first compute t = tanh(input).")],
    }.get((op, i), [])


def _graph_node_problem(node, wrt):
    """(op, input values, input names, wrt index) of a graph node; x ** p gives (x, p)."""
    values = [float(v.data) for v in node.inputs]
    names = [v.name for v in node.inputs]
    if _is_node(wrt):
        matches = [k for k, v in enumerate(node.inputs) if v is wrt]
        if not matches:
            raise ValueError(f"wrt must be one of the inputs of the node: {', '.join(names)}")
        wrt = matches[0]
    if node.op == "**":
        values.append(float(node.exponent))
        names.append(format(node.exponent, "g"))
    return node.op, values, names, wrt


def _check_defined(op: str, values: Sequence[float], names: Sequence[str], i: int) -> None:
    """ValueError unless op and its derivative with respect to input i are finite numbers at
    values (log needs x > 0, / a nonzero divisor, ** a positive base for a fractional power)."""
    try:
        value, local_grads = _operation(op, values)
        results = (value, local_grads[i])
        defined = all(isinstance(r, numbers.Real) and math.isfinite(r) for r in results)
    except (ArithmeticError, ValueError):
        defined = False
    if not defined:
        raise ValueError(
            f"{_expression(op, names)} or its derivative is not defined at "
            f"{_describe_point(names, values)}; expected inputs where both are finite numbers"
        )


@_check
def check_local_derivative(answer, op, inputs=None, wrt=0) -> Feedback:
    """Check a local derivative d(out)/d(input) of one operation of a computational graph.

    Give the operation either as
      - a name, "+", "-", "*", "/", "**", "neg", "exp", "log", "sigmoid", "tanh" or "relu",
        with inputs its input numbers, a sequence (x, y) or a dict {"x": 2.0, "y": 3.0}
        ((base, exponent) for "**"), and wrt the input's index or dict key; or
      - a graph node (helpers.graph.Value) as op, with wrt one of its input nodes.
    answer: a number, or a function of the input numbers f(x, y) (f(x, p) for "**") returning
    it; a function is also tried at other inputs (the exponent of "**" stays).
    """
    if _is_node(op):
        op, values, names, wrt = _graph_node_problem(op, wrt)
    elif isinstance(inputs, dict):
        names, values = list(inputs), [float(v) for v in inputs.values()]
    else:
        values = [float(v) for v in np.atleast_1d(as_float_array(inputs, "inputs"))]
        names = ["x", "y"][: len(values)]
    if op not in _OPERATIONS:
        raise ValueError(f"unknown operation {op!r}; valid: {', '.join(_OPERATIONS)}")
    if len(values) != (2 if op in _BINARY else 1):
        raise ValueError(f"operation {op!r} takes {2 if op in _BINARY else 1} input(s); "
                         f"got {len(values)}")
    i = names.index(wrt) if isinstance(wrt, str) and wrt in names else wrt
    if not isinstance(i, int) or not 0 <= i < len(values):
        raise ValueError(f"wrt must be one of the inputs {names} or its index; got {wrt!r}")
    _check_defined(op, values, names, i)

    def sample(rng):
        new = rng.uniform(0.5, 2.5, size=len(values)) * (1 if op in ("log", "**") else
                                                         rng.choice([-1.0, 1.0], len(values)))
        return [*new[:-1], values[-1]] if op == "**" else list(new)

    return _evaluate(
        answer, f"d({_expression(op, names)})/d{names[i]}", values, names,
        truth=lambda *v: np.asarray(_operation(op, v)[1][i]),
        mistakes=lambda *v: _local_mistakes(op, v, i, names),
        sample=sample,
    )


@_check
def check_chain_rule(answer, upstream_grad, *local_grads) -> Feedback:
    """Check a chain-rule product: upstream_grad * local_grads[0] * local_grads[1] * ...

    answer: the product (dL/dinput), or a function f(upstream_grad, *local_grads) returning it.
    upstream_grad: dL/d(output), a number or an array; local_grads: one or more local
    derivatives along the path (numbers or arrays of the same shape, multiplied elementwise).
    """
    if not local_grads:
        raise ValueError("check_chain_rule needs at least one local_grad after upstream_grad")
    upstream = as_float_array(upstream_grad, "upstream_grad")
    locals_ = [as_float_array(g, f"local_grads[{k}]") for k, g in enumerate(local_grads)]
    names = ["upstream_grad"] + (["local_grad"] if len(locals_) == 1 else
                                 [f"local_grads[{k}]" for k in range(len(locals_))])

    def product(*factors):
        return functools.reduce(np.multiply, factors)

    def mistakes(upstream, *locals_):
        found = [
            (lambda: product(*locals_), "you left out the upstream gradient: multiply by what "
             "arrives from above (dL/d(output))."),
            (lambda: upstream + sum(locals_), "you added the factors; the chain rule multiplies "
             "them."),
            (lambda: upstream / product(*locals_), "you divided by the local derivative; "
             "multiply by it."),
        ]
        for k in range(len(locals_)):
            rest = [upstream, *locals_[:k], *locals_[k + 1:]]
            found.append((lambda rest=rest: product(*rest),
                          f"you left out the factor {names[k + 1]}."))
        return found

    return _evaluate(
        answer, "chain-rule product", (upstream, *locals_), names,
        truth=product, mistakes=mistakes,
        sample=lambda rng: [_normal_like(rng, a) + 0.5 for a in (upstream, *locals_)],
        praise="Correct! Upstream gradient times local derivative.",
    )


@_check
def check_graph_gradient(answer, output, wrt) -> Feedback:
    """Check d(output)/d(node) on a computational graph, where a node may feed several others.

    answer: a number. output: the graph's final node (a helpers.graph.Value), e.g. L or c;
    wrt: a node of its graph. Messages use the graph's display names (labels, else v1, v2, ...),
    e.g. "dc/da". The truth comes from a backward pass; the graph's grads are restored afterwards.
    """
    if not (_is_node(output) and _is_node(wrt)):
        raise TypeError("output and wrt must be graph nodes (helpers.graph.Value)")
    names = output.names()
    if wrt not in names:
        raise ValueError(f"wrt ({wrt.name}) is not a node of the graph of output ({output.name})")
    out, name = names[output], names[wrt]
    if _is_node(answer):
        return _wrong(f"You passed a graph node; pass the number d{out}/d{name} "
                      f"(after {out}.backward(), it is {name}.grad).")
    if callable(answer):
        return _wrong(f"Your d{out}/d{name} should be a number, not a function.")
    nodes = output.topological_order()
    saved = [node.grad for node in nodes]
    try:
        steps = output.backward_steps()
        truth = float(wrt.grad)
    finally:
        for node, grad in zip(nodes, saved, strict=True):
            node.grad = grad
    shares = [c.product for step in steps for c in step.contributions if c.input is wrt]
    mistakes = []
    if len(shares) > 1:
        listed = " + ".join(_num(s) for s in shares)
        mistakes = [(lambda s=s: s, f"{name} is used in {len(shares)} places, so its gradient is "
                     f"the sum of {len(shares)} contributions ({listed}); yours is only one of "
                     "them. Add them up (this is why backward uses +=).") for s in shares]
    return _evaluate(answer, f"d{out}/d{name}", (), (), truth=lambda: np.asarray(truth),
                     mistakes=lambda: mistakes)


# --------------------------------------------------------------------------- losses


_LOSS_NAMES = tuple(LOSSES)


@_check
def check_loss_gradient(answer, loss_name: str, prediction, target) -> Feedback:
    """Check a loss gradient dL/d(prediction), for a loss averaged over the n samples.

    answer: array shaped like prediction, or a function f(prediction, target) returning it
    (then also tried at other predictions). loss_name: "mse" (L = mean of 0.5 * ||p - y||**2),
    "binary_cross_entropy" (prediction: probabilities) or "softmax_cross_entropy" (prediction:
    logits (n, k); gradient (softmax(logits) - one_hot) / n).
    prediction: (n, k) (or (n,) for mse / bce); target: same shape, or labels (n,) for softmax.
    """
    if loss_name not in _LOSS_NAMES:
        raise ValueError(f"unknown loss {loss_name!r}; valid: {', '.join(_LOSS_NAMES)}")
    loss = get_loss(loss_name)
    prediction = as_float_array(prediction, "prediction")
    target = as_float_array(target, "target")
    loss.gradient(prediction, target)  # validates the problem data early
    n = prediction.shape[0]

    def mistakes(p, y):
        truth = loss.gradient(p, y)
        found = [(lambda: truth * n, f"it is {n} times too large: the loss is the mean over "
                  f"{_with_batch(n)}, so divide by n."),
                 (lambda: truth / n, f"it is {n} times too small: you divided by n twice.")]
        if loss_name == "mse":
            found.append((lambda: 2 * truth, "it is twice too large: the 0.5 in the loss cancels "
                          "the 2 that comes down from the square."))
        elif loss_name == "binary_cross_entropy":
            yy = y.reshape(p.shape)
            found += [(lambda: (p - yy) / n, "that is the gradient with respect to the "
                       "pre-activation (sigmoid and loss together); with respect to the "
                       "probability p it is (p - y) / (p * (1 - p)) / n."),
                      (lambda: -(yy / p) / n, "you kept only the -y / p term; "
                       "-(1 - y) * log(1 - p) adds (1 - y) / (1 - p).")]
        else:
            onehot = y if y.ndim == 2 else np.eye(p.shape[1])[y.astype(int)]
            probs = get_activation("softmax").forward(p)
            found += [(lambda: (p - onehot) / n, "you used the logits; first turn them into "
                       "probabilities with softmax."),
                      (lambda: probs / n, "you forgot to subtract the one-hot target."),
                      (lambda: -onehot / probs / n, "that is the gradient with respect to the "
                       "probabilities; with respect to the logits it is "
                       "(softmax(logits) - one_hot) / n.")]
        return found

    def sample(rng):
        if loss_name == "binary_cross_entropy":
            return rng.uniform(0.05, 0.95, size=prediction.shape), target
        return _normal_like(rng, prediction, 2.0), target

    return _evaluate(
        answer, "loss gradient", (prediction, target), ("prediction", "target"),
        truth=loss.gradient, mistakes=mistakes, sample=sample,
    )


# --------------------------------------------------------------------------- backward pass


def _dense_data(x, W, upstream_grad):
    x, W = as_float_array(x, "x", ndim=2), as_float_array(W, "W", ndim=2)
    g = as_float_array(upstream_grad, "upstream_grad", ndim=2)
    if x.shape[1] != W.shape[0] or g.shape != (x.shape[0], W.shape[1]):
        raise ValueError(f"x {x.shape}, W {W.shape} and upstream_grad {g.shape} do not fit: "
                         "expected x (n, n_in), W (n_in, n_out), upstream_grad (n, n_out)")
    return x, W, g


def _dW_mistakes(x, g):
    n = x.shape[0]
    found = [
        (lambda: g.T @ x, "you probably computed upstream_grad.T @ x; use x.T @ upstream_grad."),
        (lambda: x.T @ g / n, f"you divided by the batch size ({_with_batch(n)}); the 1/n is "
         "already inside upstream_grad (it comes from the mean in the loss)."),
        (lambda: x.T @ g * n, f"it is n = {n} times too large: the 1/n is already inside "
         "upstream_grad; do not multiply by the batch size."),
    ]
    return found


def _db_mistakes(g):
    n = g.shape[0]
    return [
        (lambda: g.mean(axis=0), f"you took the mean over the batch; db is the sum "
         f"upstream_grad.sum(axis=0) (the 1/n is already inside upstream_grad, {_with_batch(n)})."),
        (lambda: g.sum(axis=1), "you summed over axis 1; sum over the batch, axis 0."),
        (lambda: g, "db must add up the rows of upstream_grad (one per sample): "
         "upstream_grad.sum(axis=0)."),
        (lambda: g.sum(axis=0, keepdims=True), "db should have the shape of b; "
         "drop keepdims=True."),
        (lambda: g.sum(), "you summed everything; sum over the batch only (axis 0)."),
    ]


def _dx_mistakes(W, g):
    return [
        (lambda: W @ g.T, "you probably computed W @ upstream_grad.T; use upstream_grad @ W.T."),
        (lambda: g @ W, "use the transpose: upstream_grad @ W.T."),
        (lambda: g @ W.T / g.shape[0], "you divided by the batch size; dx is "
         "upstream_grad @ W.T, nothing more."),
    ]


@_check
def check_dense_backward(dW, db, dx, x, W, upstream_grad) -> Feedback:
    """Check a dense layer's backward pass for z = x @ W + b.

    dW (n_in, n_out) = x.T @ upstream_grad; db (n_out,) = upstream_grad.sum(axis=0);
    dx (n, n_in) = upstream_grad @ W.T. Each answer may be an array, a function
    f(x, W, upstream_grad) returning it, or None if not done yet.
    x: (n, n_in); W: (n_in, n_out); upstream_grad: dL/dz, (n, n_out).
    """
    x, W, g = _dense_data(x, W, upstream_grad)
    names = ("x", "W", "upstream_grad")

    def sample(rng):
        return _normal_like(rng, x), _normal_like(rng, W), _normal_like(rng, g)

    def part(answer, what, truth, mistakes):
        return _attempt(lambda: _evaluate(answer, what, (x, W, g), names, truth=truth,
                                          mistakes=mistakes, sample=sample))

    return _combine([
        ("dW", part(dW, "dW", lambda x, W, g: x.T @ g, lambda x, W, g: _dW_mistakes(x, g))),
        ("db", part(db, "db", lambda x, W, g: g.sum(axis=0), lambda x, W, g: _db_mistakes(g))),
        ("dx", part(dx, "dx", lambda x, W, g: g @ W.T, lambda x, W, g: _dx_mistakes(W, g))),
    ], functions=[name for name, a in (("dW", dW), ("db", db), ("dx", dx)) if callable(a)])


@_check
def check_delta(answer, upstream_grad, W, z, activation: str) -> Feedback:
    """Check one backward step into a hidden layer: delta = (upstream_grad @ W.T) * f'(z).

    answer: delta = dL/dz of the hidden layer, (n, n_hidden), or a function
    f(upstream_grad, W, z) returning it. upstream_grad: dL/dz of the next layer (n, n_out);
    W: the next layer's weights (n_hidden, n_out); z: the hidden pre-activation (n, n_hidden);
    activation: the hidden activation's name ("sigmoid", "tanh", "relu", "identity").
    """
    name = _activation_name(activation, derivative=True)
    act = get_activation(name)
    g = as_float_array(upstream_grad, "upstream_grad", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    z = as_float_array(z, "z", ndim=2)
    if g.shape[1] != W.shape[1] or z.shape != (g.shape[0], W.shape[0]):
        raise ValueError(f"upstream_grad {g.shape}, W {W.shape} and z {z.shape} do not fit: "
                         "expected (n, n_out), (n_hidden, n_out), (n, n_hidden)")

    def mistakes(g, W, z):
        return [
            (lambda: g @ W.T, "you stopped at upstream_grad @ W.T, which is dL/da; multiply by "
             f"the activation's derivative {name}'(z) to get dL/dz."),
            (lambda: (g @ W.T) * act.derivative(act.forward(z)), f"you evaluated {name}' at "
             f"the activation a = {name}(z); evaluate it at the pre-activation z."),
            (lambda: (g @ W.T) * act.forward(z), f"you multiplied by {name}(z); multiply by its "
             f"derivative {name}'(z)."),
            (lambda: (W @ g.T) * act.derivative(z).T, "you probably computed W @ upstream_grad.T;"
             " use upstream_grad @ W.T."),
            (lambda: (g @ W) * act.derivative(z), "use the transpose: upstream_grad @ W.T."),
        ]

    return _evaluate(
        answer, "delta", (g, W, z), ("upstream_grad", "W", "z"),
        truth=lambda g, W, z: act.backward(z, g @ W.T), mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, g), _normal_like(rng, W), _normal_like(rng, z)),
        praise="Correct! delta = (upstream_grad @ W.T) * f'(z).",
    )


def _network_grads(network, X, y, loss, mode: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dW, db) of every Dense layer, first layer first, computed with one typical mistake
    (the true gradients come from the network's own backward pass). mode: "no_derivative"
    (activation layers pass gradients through unchanged), "derivative_at_a" (f' evaluated at the
    activation's output), "z_not_a" (each dW uses the previous pre-activation), "sum" (a loss
    gradient summed over the batch instead of averaged).
    """
    inputs, pre = [], []  # each layer's input; the input of the activation before each layer
    out, before = X, None
    for layer in network.layers:
        inputs.append(out)
        pre.append(before)
        before = out if not isinstance(layer, Dense) else None
        out = out @ layer.W + layer.b if isinstance(layer, Dense) else layer.activation.forward(out)
    g = loss.gradient(out, y) * (X.shape[0] if mode == "sum" else 1)
    grads = []
    for layer, x, z in zip(reversed(network.layers), reversed(inputs), reversed(pre), strict=True):
        if isinstance(layer, Dense):
            used = z if mode == "z_not_a" and z is not None else x
            grads.append((used.T @ g, g.sum(axis=0)))
            g = g @ layer.W.T
        elif mode == "derivative_at_a" and layer.activation.name != "softmax":
            g = g * layer.activation.derivative(layer.activation.forward(x))
        elif mode != "no_derivative":
            g = layer.activation.backward(x, g)
    return grads[::-1]


_NETWORK_MISTAKES = {
    "no_derivative": "you skipped the activation derivative: between layers, multiply "
    "upstream_grad @ W.T by f'(z) before going on.",
    "derivative_at_a": "you evaluated the activation's derivative at its output a = f(z); "
    "evaluate it at the pre-activation z.",
    "z_not_a": "you used the previous layer's pre-activation z; dW needs the layer's input, "
    "the activation a = f(z).",
    "sum": "it is n times too large (n = {n}, the batch size): the loss is a mean over the "
    "batch, so its gradient is divided by n.",
}


_LAYER_MISTAKES = (  # (true gradient, batch size) -> typical mistakes; for dW, then db
    lambda dW, n: [(lambda: dW.T, "you probably computed upstream_grad.T @ x; use "
                    "x.T @ upstream_grad (x is the layer's input).")],
    lambda db, n: [(lambda: db / n, "you took the mean over the batch; db is the sum "
                    "upstream_grad.sum(axis=0) (the 1/n is already inside upstream_grad).")],
)


def _grad_pairs(answer, count: int) -> list:
    """The learner's gradients as [(dW, db), ...] or a _Stop saying what shape was expected."""
    expected = (f"one (dW, db) pair per Dense layer ({count} of them, first layer first), "
                "e.g. [(dW1, db1), (dW2, db2)]")
    if _is_missing(answer):
        raise _Stop(_not_done(f"give {expected}."))
    if isinstance(answer, dict) or not isinstance(answer, list | tuple):
        raise _Stop(_wrong(f"Your gradients should be {expected}; got {_describe(answer)}."))
    if len(answer) != count:
        raise _Stop(_wrong(f"Your gradients should be {expected}; got {len(answer)} items."))
    pairs = []
    for item in answer:
        if isinstance(item, dict) and set(item) == {"W", "b"}:
            item = (item["W"], item["b"])
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise _Stop(_wrong(f"Your gradients should be {expected}; one item is "
                               f"{_describe(item)}."))
        pairs.append(item)
    return pairs


@_check
def check_backward_pass(answer_grads, network, X, y, loss="mse") -> Feedback:
    """Check the gradients of a full backward pass through a network.

    answer_grads: [(dW1, db1), (dW2, db2), ...], one pair per Dense layer, first layer first
    (a pair may also be a dict {"W": dW, "b": db}; dW (n_in, n_out), db (n_out,)), or a function
    f(network, X, y) returning that list (called on a copy of the network, at X and at other
    inputs of the same shape). network: a helpers.network.Network; X: (n, n_features);
    y: the targets of the loss; loss: a loss name or helpers.losses.Loss.
    """
    loss = get_loss(loss)
    X = as_float_array(X, "X", ndim=2)
    dense = [layer for layer in network.layers if isinstance(layer, Dense)]
    names = ("network", "X", "y")

    def truth(X):
        net = network.copy()
        net.backward(loss.gradient(net.forward(X), y))
        return [(layer.dW, layer.db) for layer in net.layers if isinstance(layer, Dense)]

    points = [X]
    if callable(answer_grads):
        rng = np.random.default_rng(2024)
        points += [_normal_like(rng, X) for _ in range(N_EXTRA_POINTS)]
    for k, point in enumerate(points):
        raw = answer_grads
        if callable(answer_grads):
            raw = _call(answer_grads, (network.copy(), point, y), "gradients", names)
        pairs = _grad_pairs(raw, len(dense))
        variants = {m: _network_grads(network, point, y, loss, m) for m in _NETWORK_MISTAKES}
        parts = []
        for j, (answer, true) in enumerate(zip(pairs, truth(point), strict=True)):
            for p, what in enumerate((f"dW{j + 1}", f"db{j + 1}")):
                mistakes = [(lambda v=variants[m][j][p]: v, why.format(n=len(point)))
                            for m, why in _NETWORK_MISTAKES.items()]
                mistakes += _LAYER_MISTAKES[p](true[p], point.shape[0])
                parts.append((what, _attempt(functools.partial(
                    _evaluate, answer[p], what, (), (), truth=lambda t=true[p]: t,
                    mistakes=lambda m=mistakes: m))))
        feedback = _combine(parts)
        if feedback.correct:
            continue
        if k == 0:
            return feedback
        return _wrong(f"{_function_name(answer_grads).capitalize()} is right for the given X but "
                      f"not for other inputs of the same shape:\n{feedback.message}")
    checked = (f" Your function is right for the given inputs and {len(points) - 1} others."
               if len(points) > 1 else "")
    return _correct(f"Correct! All {2 * len(dense)} gradients are right.{checked}")


# --------------------------------------------------------------------------- gradient descent


@_check
def check_sgd_update(new_W, W, dW, lr) -> Feedback:
    """Check one gradient-descent step new_W = W - lr * dW.

    new_W: the updated parameter (same shape as W; b works too), or a function f(W, dW, lr)
    returning it. W: the parameter before the step; dW: its gradient (same shape); lr > 0.
    """
    W, dW = as_float_array(W, "W"), as_float_array(dW, "dW")
    if W.shape != dW.shape:
        raise ValueError(f"W {W.shape} and dW {dW.shape} must have the same shape")
    if not isinstance(lr, int | float) or isinstance(lr, bool) or not lr > 0:
        raise ValueError(f"lr must be a positive number; got {lr!r}")
    if isinstance(new_W, np.ndarray) and np.shares_memory(new_W, W):
        return _wrong("new_W is the same array as W: you updated W in place (W -= ...), so the "
                      "check cannot see the old W any more. Write new_W = <your formula> to make "
                      "a new array.")

    def mistakes(W, dW, lr):
        return [
            (lambda: W + lr * dW, "you moved W up the gradient (W + lr * dW); gradient descent "
             "steps against it: subtract lr * dW."),
            (lambda: W - dW, "you forgot the learning rate."),
            (lambda: W - dW / lr, "you divided by the learning rate; multiply by it."),
            (lambda: -lr * dW, "that is only the step -lr * dW; add it to W."),
            (lambda: lr * dW, "that is only the step size lr * dW; subtract it from W."),
            (lambda: W, "new_W equals W: the update changed nothing (or W itself was updated "
             "in place with W -= ..., so the check no longer sees the old W)."),
        ]

    return _evaluate(
        new_W, "new_W", (W, dW, float(lr)), ("W", "dW", "lr"),
        truth=lambda W, dW, lr: W - lr * dW, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, W), _normal_like(rng, dW), lr),
        praise="Correct! One step downhill: W - lr * dW.",
    )


@_check
def check_layer_cost(forward_ops, backward_ops, difference_passes, n_rows, n_in, n_out):
    """Check the cost of one dense layer: forward and backward multiply-adds, and the number of
    forward passes central differences need for all its weights and biases.

    forward_ops: multiply-adds of X @ W for X (n_rows, n_in), W (n_in, n_out).
    backward_ops: multiply-adds of dW = X.T @ G and dX = G @ W.T together.
    difference_passes: forward passes for central differences over W and b.
    Each answer is a whole number, or None while not done yet.
    """
    truth = {
        "forward_ops": n_rows * n_in * n_out,
        "backward_ops": 2 * n_rows * n_in * n_out,
        "difference_passes": 2 * (n_in * n_out + n_out),
    }
    answers = {
        "forward_ops": forward_ops,
        "backward_ops": backward_ops,
        "difference_passes": difference_passes,
    }
    hints = {
        "forward_ops": {
            n_in * n_out: "that is one row's product: multiply by the n_rows rows of the batch.",
            n_rows * n_in * n_out + n_rows * n_out: "count only the product X @ W; the bias "
            "adds are not multiply-adds.",
            n_rows * (n_in + n_out): "each of the n_rows * n_out outputs is a sum of n_in "
            "products: multiply the three sizes.",
        },
        "backward_ops": {
            n_rows * n_in * n_out: "that is one product; the backward pass has two, "
            "dW = X.T @ G and dX = G @ W.T, each as large as the forward one.",
            3 * n_rows * n_in * n_out: "that includes the forward product; count only dW and dX.",
        },
        "difference_passes": {
            2 * n_in * n_out: "you forgot the biases: b has n_out entries too.",
            n_in * n_out + n_out: "central differences need two passes per parameter, "
            "f(w + h) and f(w - h).",
            2 * n_in * n_out * n_rows: "the batch size does not matter here: one pass "
            "handles the whole batch.",
        },
    }
    missing = [name for name, value in answers.items() if _is_missing(value)]
    problems = []
    for name, value in answers.items():
        if name in missing:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            problems.append(f"{name} should be a whole number; got {_describe(value)}.")
        elif value != truth[name]:
            hint = hints[name].get(value, "count again, size by size.")
            problems.append(f"{name} = {value:,} is not right: {hint}")
    if problems:
        return _wrong("\n".join(problems))
    if missing:
        return _not_done(f"fill in {', '.join(missing)}.")
    return _correct(
        f"Correct! Forward {truth['forward_ops']:,}, backward {truth['backward_ops']:,} "
        f"(twice the forward), and {truth['difference_passes']:,} passes for central "
        "differences."
    )
