"""Checks of predictions: a value the learner writes down *before* a cell reveals it.

Used in lesson 00 (Start here) and lesson 01 (Forward propagation); any lesson may use
``check_prediction``.

``check_prediction``: the general check. The truth is a number, an array, a shape (a tuple of
whole numbers) or a choice (a text such as "up"); the author lists the typical wrong
predictions with what each one means.
``check_descent_step`` (lesson 00): the weight after one gradient-descent step on the loss
L(w) = (w - target)**2, which the check differentiates itself.
``check_parameter_count`` (lesson 01): how many numbers (weights and biases) a network of
Dense layers learns, which the check counts itself.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence

import numpy as np

from .._validate import as_float_array
from ..notation import format_number
from .answers import _as_answer, _describe, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _close, _judge

__all__ = ["check_descent_step", "check_parameter_count", "check_prediction"]

Predictions = Iterable[tuple[object, str]]

CLOSE = 0.05  # a predicted number within 5 % of the truth is "close" (e.g. a rounded measurement)


def _number(answer, name: str, *, asked: str = "your prediction (a number or an expression)",
            kind: str = "a number") -> float:
    """The learner's number as a float, or a _Stop saying what is missing or wrong.
    name: the variable the lesson has the learner write it into; asked: what to write there;
    kind: what it should be."""
    if _is_missing(answer):
        raise _Stop(_not_done(f"replace the None in {name} with {asked}, then run the cell."))
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        raise _Stop(_wrong(f"Your {name} should be {kind}; got {_describe(answer)}."))
    return float(answer)


def _same(a: float, b: float) -> bool:
    """The same number up to the course's TOLERANCE, as every check judges it."""
    return _close(np.asarray(float(a)), np.asarray(float(b)))


def _named_mistake(value: float, truth: float, mistakes, head: str) -> Feedback | None:
    """The verdict for the first (wrong value, why) of mistakes that value matches (and the
    truth does not): head + why."""
    for wrong, why in mistakes:
        if _same(value, wrong) and not _same(wrong, truth):
            return _wrong(f"{head}{why}")
    return None


def _close_or_off(value: float, truth: float, close: str, off: str,
                  words: tuple[str, str] = ("too high", "too low"),
                  within: float | None = None) -> Feedback:
    """The verdict on a predicted number that is not right and matches no named mistake: the
    message close when it is within CLOSE of the truth (a rounded number; or within the
    absolute distance within, when given), else off with "{direction}" replaced by the word
    for which way it is off (words: above, below)."""
    if abs(value - truth) <= (CLOSE * abs(truth) if within is None else within):
        return _wrong(close)
    return _wrong(off.replace("{direction}", words[0] if value > truth else words[1]))


def _is_shape(value) -> bool:
    """True for a tuple of whole numbers (a shape, e.g. (4, 2) or ())."""
    return isinstance(value, tuple) and all(
        isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 0 for n in value)


def _as_shape(answer, what: str) -> tuple[int, ...]:
    """The learner's shape as a tuple of ints, or a _Stop saying what it was instead."""
    if isinstance(answer, int | np.integer) and not isinstance(answer, bool):
        answer = (answer,)
    if isinstance(answer, list):
        answer = tuple(answer)
    if not _is_shape(answer):
        raise _Stop(_wrong(f"Your {what} should be a shape: a tuple of whole numbers such as "
                           f"(4, 2); got {_describe(answer)}."))
    return tuple(int(n) for n in answer)


def _judge_shape(got: tuple, truth: tuple, what: str, mistakes: Predictions) -> Feedback:
    if got == truth:
        return _correct(f"Correct! Your {what} is {truth}.")
    for wrong, why in mistakes:
        if _is_shape(wrong) and got == tuple(wrong) and wrong != truth:
            return _wrong(f"Your {what} {got} is not right: {why}")
    if len(got) != len(truth):
        why = (f"it has {len(got)} ax{'is' if len(got) == 1 else 'es'}, the result has "
               f"{len(truth)}.")
    elif len(got) > 1 and got == truth[::-1]:
        why = "the axes are the right sizes in the wrong order."
    else:
        why = "count again which axes the result keeps and how long each one is."
    return _wrong(f"Your {what} {got} is not right: {why}")


def _judge_choice(got, truth: str, what: str, choices: Sequence[str] | None,
                  mistakes: Predictions) -> Feedback:
    if not isinstance(got, str):
        listed = " or ".join(repr(c) for c in choices) if choices else "a text"
        return _wrong(f"Your {what} should be {listed}; got {_describe(got)}.")
    said = got.strip().lower()
    if choices and said not in [c.lower() for c in choices]:
        listed = ", ".join(repr(c) for c in choices)
        return _wrong(f"Your {what} {got!r} is not one of the choices: {listed}.")
    if said == truth.lower():
        return _correct(f"Correct! Your {what} is {truth!r}.")
    for wrong, why in mistakes:
        if isinstance(wrong, str) and said == wrong.lower():
            return _wrong(f"Your {what} {got!r} is not right: {why}")
    return _wrong(f"Your {what} {got!r} is not right.")


@_check
def check_prediction(answer, truth, what: str, *, mistakes: Predictions = (),
                     choices: Sequence[str] | None = None, praise: str | None = None) -> Feedback:
    """Check a prediction against the truth, naming the typical wrong prediction it matches.

    answer: the learner's prediction. truth: a number or array (compared by the course's
    tolerance, see ``judging``), a shape (a tuple of whole numbers, compared exactly; a list or,
    for one axis, a plain number is accepted), or a text (a choice, compared ignoring case and
    spaces at the ends). what: the prediction's name in the messages, e.g. "predicted shape".
    mistakes: pairs (a wrong prediction, what the learner probably thought, starting "you ...").
    choices: for a text truth, the valid answers (an answer outside them is told so).
    praise: the message for a right prediction (default "Correct! Your {what} is ...").
    A wrong number never shows the truth (the cell after the check reveals it).
    """
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"what must be a non-empty text naming the prediction; got {what!r}")
    mistakes = list(mistakes)
    if _is_missing(answer):
        return _not_done(f"replace the None with your {what}, then run the cell.")
    if isinstance(truth, str):
        if choices is not None and truth.lower() not in [c.lower() for c in choices]:
            raise ValueError(f"truth {truth!r} is not one of the choices {list(choices)!r}")
        feedback = _judge_choice(answer, truth, what, choices, mistakes)
    elif isinstance(truth, tuple):
        if not _is_shape(truth):
            raise ValueError(f"truth must be a shape (a tuple of whole numbers); got {truth!r}")
        feedback = _judge_shape(_as_shape(answer, what), truth, what, mistakes)
    else:
        expected = as_float_array(truth, "truth")
        got = _as_answer(answer, what)
        if got.ndim == 0 and expected.size == 1:
            got = got.reshape(expected.shape)
        verdict = _judge(what, got, expected,
                         [(lambda wrong=wrong: wrong, why) for wrong, why in mistakes
                          if not isinstance(wrong, str | tuple)], reveal=False)
        feedback = _correct(f"Correct! Your {what} is right.") if verdict is None else \
            _wrong(verdict)
    return _correct(praise) if feedback.correct and praise else feedback


@_check
def check_descent_step(w_after, w, lr, target) -> Feedback:
    """Check the weight after one gradient-descent step on the loss L(w) = (w - target)**2.

    w_after: the learner's prediction, a number. w: the weight before the step; lr > 0: the
    learning rate; target: where the loss is smallest. The truth is w - lr * dL/dw with
    dL/dw = 2 * (w - target); the messages write the gradient dL/dw and the rate lr.
    """
    w, target = (float(as_float_array(v, name, ndim=0)) for v, name in ((w, "w"),
                                                                         (target, "target")))
    if not isinstance(lr, int | float) or isinstance(lr, bool) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number; got {lr!r}")
    gradient = 2 * (w - target)
    if gradient == 0:
        raise ValueError(f"w = {w} is already at target = {target}: the step would be 0")
    mistakes = [
        (w + lr * gradient, "you stepped up the gradient (w + lr * dL/dw); gradient descent "
         "steps against it, w - lr * dL/dw."),
        (w - lr * (w - target), "you took dL/dw = w - target; the derivative of "
         "(w - target)**2 is 2 * (w - target)."),
        (w + lr * (w - target), "you took dL/dw = w - target and stepped up the gradient; "
         "dL/dw = 2 * (w - target), and the step is w - lr * dL/dw."),
        (w - gradient, "you forgot the learning rate lr in w - lr * dL/dw."),
        (gradient, "that is the gradient dL/dw; the exercise asks for the weight after the "
         "step, w - lr * dL/dw."),
        (-lr * gradient, "that is only the step -lr * dL/dw; add it to w."),
        (lr * gradient, "that is only the size of the step, lr * dL/dw; subtract it from w."),
        (target, "one step does not jump to the lowest point: it moves by lr * dL/dw."),
        (w, "the weight does change: dL/dw is not 0 at this w."),
    ]
    w_new = w - lr * gradient
    return check_prediction.__wrapped__(
        w_after, w_new, "w_after", mistakes=mistakes,
        praise=f"Correct! dL/dw = 2 * (w - target) = {format_number(gradient)}, so w_after = "
        f"w - lr * dL/dw = {format_number(w_new)}.")


def _sizes(sizes) -> list[int]:
    """The layer sizes as a list of at least two positive whole numbers, or ValueError."""
    if not isinstance(sizes, list | tuple) or len(sizes) < 2 or not all(
            isinstance(n, int | np.integer) and not isinstance(n, bool) and n > 0
            for n in sizes):
        raise ValueError("sizes must be a list of at least two positive whole numbers, the "
                         f"width of each layer from input to output; got {sizes!r}")
    return [int(n) for n in sizes]


@_check
def check_parameter_count(answer, sizes, n_samples: int) -> Feedback:
    """Check a prediction of how many numbers a network of Dense layers learns.

    answer: the learner's count, a whole number. sizes: the widths [n_in, ..., n_out] as given
    to ``build_network``; each Dense layer from n_in to n_out has a weight matrix
    (n_in, n_out) and a bias (n_out,). n_samples: the batch size the exercise mentions (it
    changes nothing, which is one of the mistakes named).
    """
    sizes = _sizes(sizes)
    if not isinstance(n_samples, int) or isinstance(n_samples, bool) or n_samples < 1:
        raise ValueError(f"n_samples must be a positive whole number; got {n_samples!r}")
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    weights = sum(a * b for a, b in pairs)
    truth = weights + sum(b for _, b in pairs)
    if _is_missing(answer):
        return _not_done("replace the None with your count, then run the cell.")
    if isinstance(answer, float) and answer.is_integer():
        answer = int(answer)
    if not isinstance(answer, int | np.integer) or isinstance(answer, bool):
        return _wrong(f"Your count should be a whole number; got {_describe(answer)}.")
    answer = int(answer)
    mistakes = {
        weights: "you counted the weights only; every neuron also has a bias.",
        weights + sum(a for a, _ in pairs): "you gave each layer one bias per input; a bias "
        "belongs to a neuron, so a layer has n_out of them.",
        truth * n_samples: f"you multiplied by the {n_samples} samples; the same weights serve "
        "every sample, so the batch size changes nothing.",
        sum(sizes): "that is the number of neurons (inputs included); count the numbers "
        "each layer learns: its weight matrix and its bias.",
        sum(sizes[1:]): "that is the number of neurons; each one has a weight per input and a "
        "bias.",
        truth + sizes[0]: "the inputs have no bias: only the Dense layers learn numbers.",
        truth + n_samples: f"you added the {n_samples} samples of a batch; they are data, not "
        "numbers the network learns, so the batch size changes nothing.",
    }
    if answer == truth:
        detail = " + ".join(f"({a}*{b} + {b})" for a, b in pairs)
        return _correct(f"Correct! {detail} = {truth}, whatever the batch size.")
    if answer in mistakes:
        return _wrong(f"Your count {answer} is not right: {mistakes[answer]}")
    return _wrong(f"Your count {answer} is not right. Write down the shape of each layer's "
                  "weight matrix and bias, and add up their entries.")
