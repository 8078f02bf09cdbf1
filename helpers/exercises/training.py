"""A check for lesson 07 (Training with gradient descent): how many steps training takes.
Lesson 07's whole training loop is checked in ``training_loop``.

``check_update_count``: a prediction of how many update steps train(..., epochs=epochs,
batch_size=batch_size) makes on n rows, epochs * ceil(n / batch_size); the mistakes named here
are the last, smaller batch left out, n / batch_size not rounded up, one epoch only, one step
per epoch and one step per row. A wrong prediction is not told the truth, only which way it is
off. With ``last_rows`` it also checks a prediction of the rows in the last batch of an epoch,
n - (ceil(n / batch_size) - 1) * batch_size.
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

_UNASKED = object()  # last_rows not part of the exercise


def _last_rows_verdict(last_rows, n: int, batch: int) -> Feedback:
    """The rows of the last batch of an epoch: n minus the full batches before it."""
    truth = n - (math.ceil(n / batch) - 1) * batch
    if _is_missing(last_rows):
        return _not_done("replace the None in last_rows with your prediction, then run the cell.")
    if isinstance(last_rows, bool) or not isinstance(last_rows, int | float | np.integer
                                                     | np.floating):
        return _wrong(f"Your last_rows should be a number; got {_describe(last_rows)}.")
    guess = float(last_rows)
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


@_check
def check_update_count(n_updates, n, batch_size, epochs, last_rows=_UNASKED) -> Feedback:
    """Check a predicted number of update steps of train(network, X, y, epochs=epochs,
    batch_size=batch_size) on n rows: every epoch cuts the n rows into batches of batch_size,
    the last one smaller, and makes one step per batch, so epochs * ceil(n / batch_size).

    n_updates: the learner's prediction, a whole number (None while not done yet).
    n, batch_size, epochs: positive whole numbers.
    last_rows: if given, a second prediction, the rows of the last batch of an epoch (None
    while not done yet); both parts are then judged, one line each.
    """
    n = check_positive_int(n, "n")
    batch_size = check_positive_int(batch_size, "batch_size")
    epochs = check_positive_int(epochs, "epochs")
    count = _count_verdict(n_updates, n, batch_size, epochs)
    if last_rows is _UNASKED:
        return count
    rows = _last_rows_verdict(last_rows, n, min(batch_size, n))
    if count.correct and rows.correct:
        return _correct(f"{count.message} {rows.message.removeprefix('Correct! ')}")
    # name the part: "n_updates = 14 is too few."
    if count.done and not count.correct and not count.message.startswith("Your"):
        count = _wrong(f"n_updates = {count.message}")
    return _combine([("n_updates", count), ("last_rows", rows)])


def _count_verdict(n_updates, n: int, batch_size: int, epochs: int) -> Feedback:
    """The verdict on the predicted number of updates."""
    if _is_missing(n_updates):
        return _not_done("replace the None with your prediction (a whole number), then run "
                         "the cell.")
    if isinstance(n_updates, bool) or not isinstance(n_updates, int | float | np.integer
                                                     | np.floating):
        return _wrong(f"Your n_updates should be a number; got {_describe(n_updates)}.")
    guess = float(n_updates)
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
