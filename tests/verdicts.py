"""What the exercise-check tests assert of a verdict: right, wrong with the named words, or
not done yet, each shown with its symbol and never as a traceback."""

from helpers.exercises import Feedback


def assert_accepted(feedback):
    assert isinstance(feedback, Feedback)
    assert feedback.correct and feedback.done, str(feedback)
    assert str(feedback).startswith("✓ Correct")


def assert_rejected(feedback, *words):
    """Wrong, and the message contains every one of words."""
    assert isinstance(feedback, Feedback)
    assert not feedback.correct and feedback.done, str(feedback)
    assert str(feedback).startswith("✗ ")
    for word in words:
        assert word in feedback.message, f"{word!r} not in:\n{feedback}"
    assert "Traceback" not in feedback.message


def assert_not_done(feedback, *words):
    """Not answered yet, and the message contains every one of words."""
    assert isinstance(feedback, Feedback)
    assert not feedback.correct and not feedback.done, str(feedback)
    assert str(feedback).startswith("… ")
    assert "Not done yet" in feedback.message
    for word in words:
        assert word in feedback.message, f"{word!r} not in:\n{feedback}"
