"""A check for lesson 07 (Training with gradient descent): how many steps training takes.
Lesson 07's whole training loop is checked in ``training_loop``.

``check_update_count``: a prediction of how many update steps train(..., epochs=epochs,
batch_size=batch_size) makes on n rows, epochs * ceil(n / batch_size); the mistakes named here
are the last, smaller batch left out, n / batch_size not rounded up, one epoch only, one step
per epoch and one step per row. A wrong prediction is not told the truth, only which way it is
off. With ``last_rows`` it also checks a prediction of the rows in the last batch of an epoch,
n - (ceil(n / batch_size) - 1) * batch_size; with ``smallest_batch`` and ``steps`` one of the
smallest batch_size that makes an epoch of n rows take that many steps, ceil(n / steps).
A number may be given as a 0-d or one-entry numpy array too.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import check_positive_int
from ..notation import format_number
from .answers import _describe, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _wrong
from .judging import _combine

__all__ = ["check_update_count"]

_UNASKED = object()  # last_rows (or smallest_batch) not part of the exercise


def _number(value, name: str, what: str) -> Feedback | float:
    """The learner's prediction as a float (a one-entry array counts as its number), or the
    Feedback saying it is missing or not a number."""
    if _is_missing(value):
        return _not_done(f"replace the None in {name} with your prediction ({what}), then run "
                         "the cell.")
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        return _wrong(f"Your {name} should be a number; got {_describe(value)}.")
    return float(value)


def _last_rows_verdict(last_rows, n: int, batch: int) -> Feedback:
    """The rows of the last batch of an epoch: n minus the full batches before it."""
    truth = n - (math.ceil(n / batch) - 1) * batch
    guess = _number(last_rows, "last_rows", "a whole number")
    if isinstance(guess, Feedback):
        return guess
    if guess == truth:
        return _correct(f"Correct! The last batch has {truth} rows.")
    mistakes = [
        (batch, f"a batch has at most {batch} rows, and {batch} does not divide {n}: the rows "
         "left over make a smaller last batch."),
        (n / batch, f"n / batch_size = {n}/{batch} is the number of batches (before rounding), "
         "not the rows in one."),
        (math.ceil(n / batch), "that is the number of batches in an epoch, not the rows in the "
         "last one."),
        (math.ceil(n / batch) * batch - n, "that is how many rows the last batch lacks to be "
         "full; count the rows it has."),
    ]
    for value, why in mistakes:
        if math.isclose(guess, value, rel_tol=1e-3) and value != truth:
            return _wrong(f"last_rows = {format_number(guess)} is not right: {why}")
    return _wrong(f"last_rows = {format_number(guess)} is not right. Take away the rows of the "
                  "full batches from n.")


def _smallest_batch_verdict(smallest_batch, n: int, steps: int) -> Feedback:
    """The smallest batch_size that makes an epoch of n rows take steps steps: ceil(n / steps)."""
    truth = math.ceil(n / steps)
    guess = _number(smallest_batch, "smallest_batch", "a whole number")
    if isinstance(guess, Feedback):
        return guess
    if guess == truth:
        return _correct(f"Correct! With batch_size = {truth} an epoch of {n} rows takes "
                        f"ceil({n} / {truth}) = {steps} steps, with {truth - 1} it takes "
                        f"{math.ceil(n / (truth - 1)) if truth > 1 else n}.")
    head = f"smallest_batch = {format_number(guess)} is not right: "
    if not guess.is_integer() or guess < 1:
        return _wrong(f"{head}a batch holds a whole number of rows, at least 1; n / steps = "
                      f"{n}/{steps} is not a whole number, so round it the way that still "
                      f"fits all {n} rows into {steps} batches.")
    taken = math.ceil(n / guess)
    if taken > steps:
        left = n - steps * int(guess)
        return _wrong(f"{head}with batch_size = {int(guess)} an epoch takes {taken} steps: "
                      f"{steps} batches of {int(guess)} rows hold {steps * int(guess)} rows "
                      f"and leave {left} over, which take {taken - steps} more "
                      f"step{'s' if taken - steps != 1 else ''}.")
    if taken < steps:
        return _wrong(f"{head}with batch_size = {int(guess)} an epoch takes only {taken} "
                      f"step{'s' if taken != 1 else ''}; a smaller batch makes more steps.")
    return _wrong(f"{head}batch_size = {int(guess)} does give {steps} steps, but a smaller "
                  "batch_size gives them too: find the smallest.")


@_check
def check_update_count(n_updates, n, batch_size, epochs, last_rows=_UNASKED,
                       smallest_batch=_UNASKED, steps=None) -> Feedback:
    """Check a predicted number of update steps of train(network, X, y, epochs=epochs,
    batch_size=batch_size) on n rows: every epoch cuts the n rows into batches of batch_size,
    the last one smaller, and makes one step per batch, so epochs * ceil(n / batch_size).

    n_updates: the learner's prediction, a whole number (None while not done yet).
    n, batch_size, epochs: positive whole numbers.
    last_rows: if given, a second prediction, the rows of the last batch of an epoch (None
    while not done yet); both parts are then judged, one line each.
    smallest_batch: if given (with steps, a positive whole number), a third prediction, the
    smallest batch_size that makes an epoch of n rows take exactly steps steps.
    """
    n = check_positive_int(n, "n")
    batch_size = check_positive_int(batch_size, "batch_size")
    epochs = check_positive_int(epochs, "epochs")
    if smallest_batch is not _UNASKED:
        steps = check_positive_int(steps, "steps")
        if steps > n:
            raise ValueError(f"steps = {steps} is more than the n = {n} rows can make")
    count = _count_verdict(n_updates, n, batch_size, epochs)
    parts = [("n_updates", count)]
    if last_rows is not _UNASKED:
        parts.append(("last_rows", _last_rows_verdict(last_rows, n, min(batch_size, n))))
    if smallest_batch is not _UNASKED:
        parts.append(("smallest_batch", _smallest_batch_verdict(smallest_batch, n, steps)))
    if len(parts) == 1:
        return count
    if all(feedback.correct for _, feedback in parts):
        return _correct(" ".join([count.message] + [feedback.message.removeprefix("Correct! ")
                                                    for _, feedback in parts[1:]]))
    # name the part: "n_updates = 14 is too few."
    if count.done and not count.correct and not count.message.startswith("Your"):
        parts[0] = ("n_updates", _wrong(f"n_updates = {count.message}"))
    return _combine(parts)


def _count_verdict(n_updates, n: int, batch_size: int, epochs: int) -> Feedback:
    """The verdict on the predicted number of updates."""
    guess = _number(n_updates, "n_updates", "a whole number")
    if isinstance(guess, Feedback):
        return guess
    batch = min(batch_size, n)
    per_epoch, full, rest = math.ceil(n / batch), n // batch, n % batch
    truth = epochs * per_epoch
    if guess == truth:
        last = f" and one of {rest}" if rest else ""
        return _correct(
            f"Correct! {n} rows in batches of {batch} make ceil({n} / {batch}) = {per_epoch} "
            f"steps per epoch ({full} batch{'es' if full != 1 else ''} of {batch} rows{last}), "
            f"so {epochs} epochs make {epochs} × {per_epoch} = {truth} updates.")
    mistakes = [
        (epochs * full, f"you left out the last, smaller batch: {n} = {full} × {batch} + "
         f"{rest}, and train makes a step with the {rest} rows left over too."),
        (epochs * n / batch, f"n / batch_size = {n}/{batch} is not a whole number of steps: "
         "every step uses one batch, and the rows left over make one more, smaller batch."),
        (per_epoch, f"that is the steps of one epoch; train runs {epochs} epochs."),
        (epochs, "that is one step per epoch, the full-batch case; with "
         f"batch_size = {batch_size} an epoch has several steps."),
        (epochs * n, "that is one step per row (batch_size = 1); a step uses a whole batch."),
    ]
    for value, why in mistakes:
        if math.isclose(guess, value, rel_tol=1e-3) and value != truth:
            return _wrong(f"{format_number(guess)} is not right: {why}")
    if not guess.is_integer():
        return _wrong(f"{format_number(guess)} is not a whole number; count the steps, one "
                      "per batch.")
    direction = "too many" if guess > truth else "too few"
    return _wrong(f"{int(guess)} is {direction}. Count the batches of one epoch (the rows left "
                  "over make a batch of their own), then the epochs.")
