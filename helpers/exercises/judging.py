"""The judging engine: compare an answer with the truth and name the most likely mistake.

Used by every exercise of lessons 00 to 08. ``_evaluate`` is what a check calls: it reads the
answer (a value, or a function it calls at the given inputs and at ``N_EXTRA_POINTS`` other
inputs of the same shapes, so an answer that is right at one point only is caught), and
``_judge`` compares it with the truth. An answer is right when it has the expected shape and
every entry agrees with the truth by the course's one test, a relative error below
``helpers.gradcheck.TOLERANCE`` (see ``_close``). When it is not, the message names, in
this order: a typical mistake the check knows for this exercise (a list of "mistakes", each a
wrong answer and what the learner probably did), a transposed or reshaped answer, all zeros,
a flipped sign, a constant factor; else it shows expected and got side by side.
``_combine`` joins the verdicts on an answer in several parts (dW, db, dx) into one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..gradcheck import TOLERANCE, _entrywise_relative_error, format_relative_error
from ..notation import format_number
from .answers import _as_answer, _call, _describe_point, _function_name
from .feedback import Feedback, _correct, _fmt, _wrong

# An answer agrees with the truth when, entry by entry, its relative error
# |got - expected| / (|got| + |expected|) is below TOLERANCE, the test every lesson uses for
# "agree". An entry whose true value is 0 or nearly 0 (the db of a neuron no sample reaches,
# a derivative at a turning point) has no size of its own to be relative to: a right answer
# computed in another order may hold 1e-17 there, a relative error of 1. So the denominator
# never drops below FLOOR, and such entries are held to an absolute error of
# ATOL = TOLERANCE * FLOOR = 1e-9 instead: far above the rounding of sums and products of
# numbers of order 1 (about 1e-16), far below any mistake an exercise names.
FLOOR = 1e-3
RTOL = TOLERANCE  # the relative part of the test, for checks that compare single numbers
ATOL = TOLERANCE * FLOOR  # the absolute part, for entries near zero
N_EXTRA_POINTS = 3
SHOW_AT_MOST = 30  # arrays with more entries are summarised by their largest difference
NEARLY = 1e-3  # below this relative error the 4 digits shown hardly differ: the message says it

Mistakes = Iterable[tuple[Callable[[], object], str]]


def _show(expected: np.ndarray, got: np.ndarray) -> str:
    """Expected and got on two lines, or for large arrays their largest difference. Where the
    4 digits shown cannot tell them apart, the relative error replaces the second line; where
    they differ by little (a relative error below NEARLY), a third line gives it."""
    if expected.shape != got.shape:
        if expected.size <= SHOW_AT_MOST and got.size <= SHOW_AT_MOST:
            return (f"\n    expected: {_fmt(expected, '    expected: ')}"
                    f"\n    got:      {_fmt(got, '    got:      ')}")
        return ""
    error = float(np.max(_errors(got, expected)))
    measured = f"relative error {format_relative_error(error)}, not below TOLERANCE = {TOLERANCE:g}"
    same = (f"the same to the 4 digits shown, but the relative error is "
            f"{format_relative_error(error)}, not below TOLERANCE = {TOLERANCE:g}")
    if expected.size <= SHOW_AT_MOST:
        want, have = _fmt(expected, '    expected: '), _fmt(got, '    got:      ')
        first = f"\n    expected: {want}"
    else:
        index = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
        index = tuple(int(i) for i in index)
        want, have = format_number(expected[index]), format_number(got[index])
        first = f"\n    largest difference at index {index}: expected {want}, got "
        return first + (same if want == have else have + (
            f"\n    {measured}" if error < NEARLY else ""))
    if want == have:  # both prefixes are 14 characters wide, so the lines match
        return first + f"\n    got:      {same}"
    return first + f"\n    got:      {have}" + (f"\n    {measured}" if error < NEARLY else "")


def _show_nearly(expected: np.ndarray, got: np.ndarray) -> str:
    """For an answer whose truth the message must not give away (a prediction, one number):
    only, when it is nearly right, how near, so that a rounded answer is told so."""
    if expected.shape != got.shape:
        return ""
    error = float(np.max(_errors(got, expected)))
    return (f"\n    It is close: relative error {format_relative_error(error)}, not below "
            f"TOLERANCE = {TOLERANCE:g}; give it with more digits (or compute it in code)."
            if error < NEARLY else "")


def _errors(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The relative error of every entry, |a - b| / max(|a| + |b|, FLOOR) (same shapes); nan
    where an entry is not finite (a typical mistake may divide by zero), which is never close."""
    with np.errstate(invalid="ignore"):
        return _entrywise_relative_error(a, b, FLOOR)


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    """True when a and b have one shape and every entry's relative error is below TOLERANCE."""
    return a.shape == b.shape and bool(np.all(_errors(a, b) < TOLERANCE))


def _explain(what: str, got: np.ndarray, expected: np.ndarray, why: str,
             reveal: bool = True) -> str:
    """"Your {what} is not right: {why}" (or what is wrong with its shape), then the numbers
    (reveal=False: no expected value, see _show_nearly)."""
    if got.shape == expected.shape:
        head = f"Your {what} is not right: {why}"
    elif got.ndim == 0:
        head = f"Your {what} is a single number but should have shape {expected.shape}: {why}"
    elif expected.ndim == 0:
        head = f"Your {what} has shape {got.shape} but should be a single number: {why}"
    else:
        head = f"Your {what} has shape {got.shape} but should have shape {expected.shape}: {why}"
    return head + (_show(expected, got) if reveal else _show_nearly(expected, got))


def _judge(what: str, got: np.ndarray, expected: np.ndarray, mistakes: Mistakes = (),
           reveal: bool = True) -> str | None:
    """None when got is right, else a message naming the most likely mistake.

    mistakes: pairs (thunk computing a typical wrong answer, explanation starting "you ...").
    A thunk that fails (shapes that do not fit) is skipped.
    reveal: whether the message may show the expected value. Not for a prediction or a single
    number written by hand, which the first wrong try would give away; there a constant
    factor is not named either (any number is a multiple of the right one).
    """
    def explain(why: str) -> str:
        return _explain(what, got, expected, why, reveal)

    if _close(got, expected):
        return None
    for make_wrong, why in mistakes:
        try:
            with np.errstate(all="ignore"):
                wrong = np.asarray(make_wrong(), dtype=float)
        except Exception:
            continue
        if _close(got, wrong) and not _close(wrong, expected):
            return explain(why)
    if got.shape != expected.shape:
        if expected.ndim == 2 and _close(got, expected.T):
            why = "it is the transpose of the right answer; check the order of the factors."
        elif expected.ndim == 0 and got.size == 1 and _close(got.reshape(()), expected):
            why = ("the number is right; give it as a plain number: write it without brackets "
                   "(or take it out of its array with .item()).")
        elif got.size == expected.size and _close(got.reshape(expected.shape), expected):
            why = f"the numbers are right; reshape it to {expected.shape}."
        elif expected.ndim == 2 and expected.shape[1] == 1 and got.shape == expected.shape[:1] * 2:
            why = ("an (n, 1) array combined with an (n,) array broadcasts to (n, n); reshape "
                   "the 1-D one with .reshape(-1, 1) first.")
        else:
            why = "check which axes your computation keeps."
        return explain(why)
    if np.any(np.abs(expected) > ATOL) and not np.any(got):
        return explain("it is all zeros.")
    if np.any(np.abs(expected) > ATOL) and _close(got, -expected):
        return explain("the sign is flipped (it is minus the right answer).")
    factor = _constant_factor(got, expected) if reveal else None
    if factor is not None:
        return explain(f"it is {format_number(factor)} times the right answer.")
    if not reveal:
        return f"Your {what} is not right yet." + _show_nearly(expected, got)
    if got.ndim == 0:
        return f"Your {what} is not right yet." + _show(expected, got)
    wrong = int(np.sum(_errors(got, expected) >= TOLERANCE))
    return f"Your {what} is not right yet ({wrong} of {got.size} entries differ)." + _show(
        expected, got
    )


def _constant_factor(got: np.ndarray, expected: np.ndarray) -> float | None:
    """c when got = c * expected for one number c, else None. A c that the message would
    write as 1 or -1 (4 significant digits) is no factor mistake and gives None too."""
    nonzero = np.abs(expected) > ATOL
    if not nonzero.any() or np.any(np.abs(got[~nonzero]) > ATOL):
        return None
    ratios = got[nonzero] / expected[nonzero]
    factor = float(ratios.flat[0])
    if np.all(_errors(ratios, np.full_like(ratios, factor)) < TOLERANCE) and (
            format_number(abs(factor)) != "1"):
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
    praise: str = "Correct!",
    allow_number: bool = False,
    reveal: bool | None = None,
) -> Feedback:
    """Judge a value, or a function of the data at the given point and N_EXTRA_POINTS others.

    what: the answer's name in the messages; data: the problem data; names: their names.
    truth(*data) -> expected; mistakes(*data) -> typical wrong answers; sample(rng) -> new data of
    the same shapes.
    allow_number: a plain number (or 0-d array) stands for an answer with exactly one entry,
    e.g. the (1,) output of one neuron.
    reveal: whether a wrong answer's message shows the expected value (see _judge); by default
    it does, except for an answer that is a value (not a function) and a single number.
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
        shown = reveal if reveal is not None else callable(answer) or expected.size != 1
        verdict = _judge(what, got, expected, mistakes(*point), shown)
        if verdict is None:
            continue
        if k == 0:
            return _wrong(verdict)
        return _wrong(
            f"{_function_name(answer, start=True)} is right for the given inputs but not for "
            f"others, e.g. {_describe_point(names, point)}:\n{verdict}\n"
            "Check the formula at other inputs: it must hold there too."
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
        if not functions:
            tried = ""
        elif set(functions) >= set(names):
            tried = f", at the given inputs and {N_EXTRA_POINTS} others"
        else:
            tried = (f", the function{'s' if len(functions) > 1 else ''} for "
                     f"{' and '.join(functions)} at the given inputs and {N_EXTRA_POINTS} others")
        return _correct(f"Correct! {listed} are all right{tried}.")
    lines = []
    for name, feedback in parts:
        if feedback.correct:
            lines.append(f"✓ {name} is right.")
        else:
            line = str(feedback).replace("\n", "\n  ")
            if line not in lines:  # one function for several parts fails once, said once
                lines.append(line)
    wrong = any(feedback.done and not feedback.correct for _, feedback in parts)
    done = wrong or all(feedback.done for _, feedback in parts)
    head = "Some parts are not right yet:" if wrong else "Some parts are not done yet:"
    return Feedback(False, done, head + "\n" + "\n".join(lines))


# --- problem data -------------------------------------------------------------------------


def _normal_like(rng: np.random.Generator, array: np.ndarray, scale: float = 1.0) -> np.ndarray:
    """New problem data for a function answer: normal(0, scale) numbers shaped like array."""
    return rng.normal(0.0, scale, size=np.shape(array))


def _with_batch(n: int) -> str:
    return f"n = {n} sample{'s' if n != 1 else ''}"
