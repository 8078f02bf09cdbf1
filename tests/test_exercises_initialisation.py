"""Tests of the checks of lesson 09 (Initialisation and the health of gradients): right answers
pass, each typical mistake is named, nothing raises because of the learner's answer, and the
rules the checks hold are the ones a simulation measures."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.exercises import check_keeping_scale, check_layer_factor

# --- check_layer_factor ------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [0.5, 1.0, 1.5, math.sqrt(2), 3.0])
def test_layer_factor_accepts_half_the_square_of_the_scale(scale):
    feedback = check_layer_factor(scale**2 / 2, scale)
    assert feedback.correct and "ReLU halves it" in feedback.message


def test_layer_factor_shows_the_measured_factor():
    feedback = check_layer_factor(1.125, 1.5, 1.1222)
    assert feedback.correct and "measured in the stacks: 1.122 per layer" in feedback.message


def test_layer_factor_not_done():
    for missing in (None, ...):
        feedback = check_layer_factor(missing, 1.5)
        assert not feedback.done and "Not done yet" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (2.25, "left out the ReLU"),
        (1.5 / math.sqrt(2), "root-mean-square"),
        (0.75, "enters squared"),
        (1.5, "its mean square by s²"),
        (1.5**2 / 4, "once, not twice"),
        (0.5, "LeCun's factor"),
        (1.0, "He's factor"),
        (1.12, "is close"),
        (3.0, "too high"),
        (0.1, "too low"),
        ("1.125", "should be a number"),
        (True, "should be a number"),
    ],
)
def test_layer_factor_names_each_mistake(answer, words):
    feedback = check_layer_factor(answer, 1.5, 1.12)
    assert feedback.done and not feedback.correct
    assert words in feedback.message


def test_layer_factor_does_not_call_the_truth_a_mistake():
    # at s = 1 the truth 1/2 is also "LeCun's factor", and at s = sqrt(2) 1 is "He's": correct
    assert check_layer_factor(0.5, 1.0).correct
    assert check_layer_factor(1.0, math.sqrt(2)).correct


@pytest.mark.parametrize(("scale", "measured"), [(0, None), (-1.0, None), (1.0, -0.5)])
def test_layer_factor_bad_problem_data_raises(scale, measured):
    with pytest.raises(ValueError, match="scale|measured"):
        check_layer_factor(0.5, scale, measured)


def test_the_relu_factor_is_what_a_stack_measures():
    # mean z² of the next layer / mean z² of this one, for weights normal * s * sqrt(1 / n_in)
    rng = np.random.default_rng(0)
    width, scale = 256, 1.5
    a = rng.normal(size=(512, width))
    z = a @ (rng.normal(size=(width, width)) * scale * np.sqrt(1 / width))
    z_next = np.maximum(z, 0) @ (rng.normal(size=(width, width)) * scale * np.sqrt(1 / width))
    measured = np.mean(z_next**2) / np.mean(z**2)
    assert measured == pytest.approx(scale**2 / 2, rel=0.05)
    assert check_layer_factor(scale**2 / 2, scale, measured).correct


# --- check_keeping_scale ----------------------------------------------------------------------


def keeping_std(n_in, alpha):
    return math.sqrt(2 / ((1 + alpha**2) * n_in))


def test_keeping_scale_accepts_a_right_function_and_a_right_number():
    feedback = check_keeping_scale(keeping_std, 100, 0.2)
    assert feedback.correct and "and 3 others" in feedback.message
    assert "kaiming_normal_" in feedback.message
    assert check_keeping_scale(keeping_std(100, 0.2), 100, 0.2).correct


def test_keeping_scale_not_done():
    assert not check_keeping_scale(None, 100, 0.2).done
    feedback = check_keeping_scale(lambda n_in, alpha: None, 100, 0.2)
    assert not feedback.done and "returned None" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda n, a: math.sqrt(2 / n), "He's scale"),
        (lambda n, a: math.sqrt(1 / ((1 + a**2) * n)), "your variance is half the right one"),
        (lambda n, a: math.sqrt(2 * (1 + a**2) / n), "you multiplied by (1 + alpha²)"),
        (lambda n, a: math.sqrt(1 / n), "LeCun's scale"),
        (lambda n, a: 2 / ((1 + a**2) * n), "variance of the weights"),
        (lambda n, a: math.sqrt(2 / ((1 + a) * n)), "not 1 + alpha"),
        (lambda n, a: math.sqrt((1 + a**2) / (2 * n)), "upside down"),
        (lambda n, a: math.sqrt(2 * n / (1 + a**2)), "denominator"),
        (lambda n, a: math.sqrt(2 / (1 + a**2)) / n, "covers n_in too"),
        (lambda n, a: 2 * keeping_std(n, a), "2 times the right answer"),
        (lambda n, a: keeping_std(100, 0.2), "right for the given inputs but not for others"),
        (lambda n, a: 1 / 0, "raised ZeroDivisionError"),
        (lambda n, a: "sqrt(2 / n_in)", "number or an array"),
    ],
)
def test_keeping_scale_names_each_mistake(answer, words):
    feedback = check_keeping_scale(answer, 100, 0.2)
    assert feedback.done and not feedback.correct
    assert words in feedback.message


@pytest.mark.parametrize(("n_in", "alpha", "error"), [
    (0, 0.2, ValueError), (100, -0.1, ValueError), (2.5, 0.2, ValueError), (100, "0.2", TypeError),
])
def test_keeping_scale_bad_problem_data_raises(n_in, alpha, error):
    with pytest.raises(error, match="n_in|alpha"):
        check_keeping_scale(keeping_std, n_in, alpha)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 10_000), st.floats(0.0, 3.0, allow_nan=False))
def test_keeping_scale_accepts_its_rule_everywhere(n_in, alpha):
    assert check_keeping_scale(keeping_std, n_in, alpha).correct


def test_the_leaky_relu_rule_keeps_the_mean_square_in_a_simulation():
    rng = np.random.default_rng(1)
    width, alpha = 256, 0.2
    a = rng.normal(size=(512, width))
    z = a @ (rng.normal(size=(width, width)) * keeping_std(width, alpha))
    leaky = np.where(z > 0, z, alpha * z)
    z_next = leaky @ (rng.normal(size=(width, width)) * keeping_std(width, alpha))
    assert np.mean(z_next**2) / np.mean(z**2) == pytest.approx(1.0, rel=0.05)


def test_layer_factor_and_gradient_scale_close_does_not_give_the_rule_away():
    from helpers.exercises import check_gradient_scale

    close = check_layer_factor(1.12, 1.5)
    assert "write the rule as an expression in s" in close.message
    assert "1.125" not in close.message and "2.25" not in close.message
    close = check_gradient_scale(2.9, 1.5, 10)
    assert "write the rule as an expression in s" in close.message
    assert "2.887" not in close.message and "1.125" not in close.message


def test_layer_factor_and_gradient_scale_name_the_lesson_variables():
    from helpers.exercises import check_gradient_scale

    assert "predicted_factor" in check_layer_factor(None, 1.5).message
    assert "Your predicted_factor should be a number" in check_layer_factor("1", 1.5).message
    assert "predicted_ratio" in check_gradient_scale(None, 1.5, 10).message
    assert "Your predicted_ratio should be a number" in check_gradient_scale("1", 1.5, 10).message
