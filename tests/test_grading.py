"""Checks under nbgrader: a verdict that is not correct raises, with the learner's message.

nbgrader scores a check cell by whether it raises, and sets NBGRADER_EXECUTION while it
autogrades or validates. Outside it, a check never raises because of the answer.
"""

import inspect

import numpy as np
import pytest

import helpers.exercises as exercises
from helpers.exercises import check_pre_activation
from helpers.exercises.feedback import GRADING_VARIABLE, AnswerNotAccepted, Feedback

X = np.array([[1.0, 2.0], [0.0, -1.0]])
W = np.array([[0.5], [-1.0]])
B = np.array([0.25])
CHECKS = sorted(name for name in dir(exercises) if name.startswith("check_"))


def test_nbgrader_sets_the_variable_the_checks_read():
    from nbgrader.converters import autograde

    assert GRADING_VARIABLE == "NBGRADER_EXECUTION"
    assert f"{GRADING_VARIABLE}='autograde'" in inspect.getsource(autograde)


@pytest.mark.parametrize("name", CHECKS)
def test_every_check_goes_through_the_grading_decorator(name):
    check = getattr(exercises, name)
    assert hasattr(check, "__wrapped__"), f"{name} is not decorated with _check"


def test_outside_grading_a_check_returns_every_verdict(monkeypatch):
    monkeypatch.delenv(GRADING_VARIABLE, raising=False)
    assert check_pre_activation(X @ W + B, X, W, B).correct
    wrong = check_pre_activation(X @ W, X, W, B)
    assert isinstance(wrong, Feedback) and wrong.done and not wrong.correct
    missing = check_pre_activation(None, X, W, B)
    assert not missing.done


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_while_grading_a_wrong_or_missing_answer_raises_its_message(monkeypatch, mode):
    monkeypatch.setenv(GRADING_VARIABLE, mode)
    assert check_pre_activation(X @ W + B, X, W, B).correct
    with pytest.raises(AnswerNotAccepted, match="bias") as wrong:
        check_pre_activation(X @ W, X, W, B)
    assert isinstance(wrong.value, AssertionError)  # what nbgrader counts as a failed test
    with pytest.raises(AnswerNotAccepted, match="Not done yet"):
        check_pre_activation(None, X, W, B)


def test_an_answer_that_raises_is_still_a_message_while_grading(monkeypatch):
    def broken(x, W, b):
        raise ZeroDivisionError("oops")

    monkeypatch.setenv(GRADING_VARIABLE, "autograde")
    with pytest.raises(AnswerNotAccepted, match="ZeroDivisionError"):
        check_pre_activation(broken, X, W, B)
