"""The verdict a check returns, and how it reaches the learner.

Used by every exercise of lessons 00 to 08. A check returns a :class:`Feedback`, which a
notebook cell displays with a symbol in front of the message:

    ✓ Correct! ...                      (right)
    ✗ Your dW has shape (3, 2) ...      (wrong, with what is wrong)
    … Not done yet: ...                 (the learner has not answered yet)

Deep inside a check, a verdict that ends the check early (an answer of the wrong type, a
learner's function that raised) travels up as a ``_Stop``; the ``_check`` decorator turns it
back into the Feedback it carries, so a check never raises because of the learner's answer.

The one exception is grading. nbgrader runs a notebook with the environment variable
``NBGRADER_EXECUTION`` set ("autograde" or "validate") and scores a check cell by whether it
raises. There a check whose answer is not right raises ``AnswerNotAccepted`` (an
``AssertionError``) with the message the learner would have read, so a wrong or missing answer
loses the cell's points and the report says why.
"""

from __future__ import annotations

import functools
import html
import os
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..notation import format_number

__all__ = ["AnswerNotAccepted", "Feedback"]

GRADING_VARIABLE = "NBGRADER_EXECUTION"  # set by nbgrader while it autogrades or validates


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
        """The message in a <pre> with a coloured bar. Long lines wrap between words
        (``overflow-wrap: break-word`` breaks a word only if it is longer than the line,
        overriding JupyterLab's ``word-break: break-all`` for output); line breaks and the
        alignment of printed arrays are kept (``white-space: pre-wrap``) only where the
        message has them."""
        color = {"✓": "#1a7f37", "✗": "#cf222e", "…": "#9a6700"}[self.symbol]
        text = str(self)
        layout = "pre-wrap" if "\n" in text or "  " in text else "normal"
        return (
            f'<pre class="exercise-feedback" style="white-space: {layout}; '
            f"word-break: normal; overflow-wrap: break-word; "
            f'border-left: 4px solid {color}; padding: 0.3em 0.8em; margin: 0">'
            f"{html.escape(text)}</pre>"
        )


def _correct(message: str = "Correct!") -> Feedback:
    return Feedback(True, True, message)


def _wrong(message: str) -> Feedback:
    return Feedback(False, True, message)


def _not_done(message: str) -> Feedback:
    return Feedback(False, False, f"Not done yet: {message}")


class AnswerNotAccepted(AssertionError):
    """Raised by a check, only while nbgrader grades, when the answer is not right."""


def _grading() -> bool:
    """True while nbgrader executes the notebook to grade or validate it."""
    return bool(os.environ.get(GRADING_VARIABLE))


class _Stop(Exception):
    """Carries a Feedback out of the depths of a check (never escapes a check)."""

    def __init__(self, feedback: Feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _check(func):
    """Decorator: a check returns the Feedback that a _Stop carries instead of raising; while
    nbgrader grades, a Feedback that is not correct is raised as AnswerNotAccepted."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            feedback = func(*args, **kwargs)
        except _Stop as stop:
            feedback = stop.feedback
        if _grading() and not feedback.correct:
            raise AnswerNotAccepted(str(feedback))
        return feedback

    return wrapper


def _attempt(make_feedback: Callable[[], Feedback]) -> Feedback:
    """make_feedback(), or the Feedback a _Stop carries out of it (one part of a check)."""
    try:
        return make_feedback()
    except _Stop as stop:
        return stop.feedback


def _fmt(array, prefix: str = "") -> str:
    """A number or an array as a message shows it: 4 significant digits, commas between
    entries; prefix is the text before it on its first line (to align the next lines)."""
    array = np.asarray(array, dtype=float)
    if array.ndim == 0:
        return format_number(array)
    return np.array2string(array, separator=", ", formatter={"float_kind": format_number},
                           prefix=prefix)
