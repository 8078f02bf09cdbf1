"""Gradient checking: finite differences, relative error, layer and network reports."""

import numpy as np
import pytest

from helpers.gradcheck import (
    TOLERANCE,
    GradCheckReport,
    check_layer,
    check_network,
    forward_difference_gradient,
    noise_floor,
    numeric_gradient,
    relative_error,
)
from helpers.layers import Dense
from helpers.network import build_network


def cubic(x):
    return float(np.sum(x**3))


def test_central_difference_of_a_cubic():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    numeric = numeric_gradient(cubic, x)
    # the central difference of x^3 is exact up to h^2 = 1e-12 (and rounding)
    np.testing.assert_allclose(numeric, 3 * x**2, rtol=1e-8)


def test_central_beats_forward_difference():
    x = np.array([2.0])
    central = numeric_gradient(cubic, x, h=1e-3)
    forward = forward_difference_gradient(cubic, x, h=1e-3)
    assert abs(central[0] - 12.0) < abs(forward[0] - 12.0) / 100


def test_input_is_restored_and_may_be_read_in_place():
    x = np.array([1.0, 2.0, 3.0])
    original = x.copy()
    # f reads the array it closes over, like a loss reads a network's live weights
    gradient = numeric_gradient(lambda _: float(x @ x), x)
    np.testing.assert_array_equal(x, original)
    np.testing.assert_allclose(gradient, 2 * original, rtol=1e-8)


def test_input_restored_even_if_f_fails():
    x = np.array([1.0, 2.0])

    def failing(_):
        raise KeyError("boom")

    with pytest.raises(KeyError):
        numeric_gradient(failing, x)
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_lists_and_integers_are_accepted():
    np.testing.assert_allclose(numeric_gradient(cubic, [1, 2]), [3.0, 12.0], rtol=1e-8)


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error(1.0, 1.0) == 0.0
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.2])) == pytest.approx(0.2 / 4.2)
    assert relative_error(1e-20, 2e-20) == pytest.approx(1 / 3)
    assert relative_error(1e-20, 2e-20, floor=1e-8) == pytest.approx(1e-12)


def test_noise_floor_scales_with_the_loss():
    assert noise_floor(0.3) == noise_floor(1.0) == pytest.approx(2.22e-3, rel=1e-2)
    assert noise_floor(10.0) == pytest.approx(10 * noise_floor(1.0))


def test_check_network_passes_on_correct_backprop():
    rng = np.random.default_rng(0)
    network = build_network([3, 4, 2], hidden="sigmoid", rng=1)
    report = check_network(network, rng.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1]),
                           "softmax_cross_entropy")
    assert isinstance(report, GradCheckReport)
    assert report.passed() and report.worst_relative_error < 1e-7
    assert [e.parameter for e in report.entries] == [
        "layer 0 W", "layer 0 b", "layer 2 W", "layer 2 b"
    ]
    assert report.worst_entry.startswith("layer ")
    text = str(report)
    assert "layer 0 W" in text and "worst:" in text


def test_check_network_finds_a_broken_backward():
    rng = np.random.default_rng(0)
    network = build_network([3, 4, 1], hidden="tanh", rng=1)
    dense = network.layers[2]
    correct_backward = dense.backward

    def forgot_transpose_sign(upstream_grad):  # a bug: dW with the wrong sign
        dx = correct_backward(upstream_grad)
        dense.dW = -dense.dW
        return dx

    dense.backward = forgot_transpose_sign  # the network calls the public backward
    report = check_network(network, rng.normal(size=(6, 3)), rng.normal(size=(6, 1)), "mse")
    assert not report.passed()
    assert report.worst_entry.startswith("layer 2 W[")
    assert report.worst_relative_error == pytest.approx(1.0)


def test_check_layer_reports_dx_and_parameters():
    report = check_layer(Dense(2, 3, rng=0), np.array([[1.0, 2.0]]))
    assert report.passed()
    assert {e.parameter for e in report.entries} == {"dx", "W", "b"}


def test_format_relative_error_hides_rounding_digits():
    from helpers.gradcheck import format_relative_error

    assert format_relative_error(1.9e-11) == "< 1e-7"
    assert format_relative_error(2.2e-16, bound=1e-9) == "< 1e-9"
    assert format_relative_error(0.0, bound=5e-8) == "< 5e-8"
    assert format_relative_error(3.2e-5) == "3.2e-05"
    assert format_relative_error(1e-7) == "1.0e-07"  # at the bound: shown
    with pytest.raises(ValueError, match="bound"):
        format_relative_error(1e-9, bound=0)


def test_format_relative_error_hides_only_errors_that_agree():
    # the default display bound is a choice, but "< bound" must never hide a disagreement
    import inspect

    from helpers.gradcheck import format_relative_error

    default = inspect.signature(format_relative_error).parameters["bound"].default
    assert default <= TOLERANCE
    assert format_relative_error(5e-7, bound=TOLERANCE) == "< 1e-6"
    assert format_relative_error(TOLERANCE, bound=TOLERANCE) == "1.0e-06"


def test_passed_compares_with_the_one_tolerance():
    assert TOLERANCE == 1e-6
    assert GradCheckReport(0.99 * TOLERANCE, "layer 0 W[0, 0]").passed()
    assert not GradCheckReport(TOLERANCE, "layer 0 W[0, 0]").passed()
    assert GradCheckReport(1e-3, "layer 0 W[0, 0]").passed(tol=1e-2)


def test_numeric_gradient_of_a_function_returning_an_array_says_so():
    expected = r"f must return a single number; got ndarray of shape \(2,\)"
    with pytest.raises(TypeError, match=expected):
        numeric_gradient(lambda x: 2.0 * x, np.array([1.0, 2.0]))
    # a one-entry array is a single number
    assert numeric_gradient(lambda x: x[:1] * 3.0, np.array([1.0, 2.0]))[0] == pytest.approx(3.0)


def test_numeric_gradient_with_a_step_lost_to_rounding_names_the_entry():
    with np.errstate(all="raise"):
        with pytest.raises(ValueError, match=r"h=1e-06 is too small for x\[1\] = 1e\+20"):
            numeric_gradient(lambda x: float(x.sum()), np.array([1.0, 1e20]))
        with pytest.raises(ValueError, match="too small"):
            forward_difference_gradient(lambda x: float(x.sum()), np.array([1e20]))


def test_relative_error_rejects_a_floor_that_is_not_positive():
    with pytest.raises(ValueError, match="floor must be a finite number > 0; got 0.0"):
        relative_error(0.0, 0.0, floor=0)
    assert relative_error(0.0, 0.0) == 0.0
