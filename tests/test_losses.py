"""Losses: values, gradients, label formats, stability."""

import math

import numpy as np
import pytest

from helpers.data import one_hot
from helpers.gradcheck import numeric_gradient
from helpers.losses import (
    LOSSES,
    Loss,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    get_loss,
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)

RNG = np.random.default_rng(0)
PREDICTION = RNG.normal(size=(5, 3))
TARGET = RNG.normal(size=(5, 3))
PROBABILITY = RNG.uniform(0.05, 0.95, size=(5, 3))
BINARY = RNG.integers(0, 2, size=(5, 3)).astype(float)
LOGITS = RNG.normal(size=(5, 3))
LABELS = np.array([0, 2, 1, 1, 0])


def test_mse_value_by_hand():
    prediction = np.array([[1.0, 2.0], [0.0, 0.0]])
    target = np.array([[0.0, 0.0], [0.0, 2.0]])
    # (1/2) * [0.5 * (1 + 4) + 0.5 * 4] = 2.25
    assert mean_squared_error(prediction, target) == 2.25
    np.testing.assert_array_equal(
        mean_squared_error_gradient(prediction, target), (prediction - target) / 2
    )


def test_mse_accepts_1d_prediction_and_target():
    prediction, target = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0])
    assert mean_squared_error(prediction, target) == pytest.approx((0 + 0.5 + 2) / 3)
    assert mean_squared_error(prediction[:, None], target) == mean_squared_error(prediction, target)
    assert mean_squared_error_gradient(prediction, target).shape == (3,)
    assert mean_squared_error_gradient(prediction[:, None], target).shape == (3, 1)


def test_bce_value_by_hand():
    p = np.array([[0.8], [0.3]])
    y = np.array([1, 0])
    expected = -(math.log(0.8) + math.log(0.7)) / 2
    assert binary_cross_entropy(p, y) == pytest.approx(expected, rel=1e-14)


def test_bce_sums_columns_and_averages_rows():
    per_column = [binary_cross_entropy(PROBABILITY[:, [j]], BINARY[:, j]) for j in range(3)]
    assert binary_cross_entropy(PROBABILITY, BINARY) == pytest.approx(sum(per_column))


def test_bce_at_exact_zero_and_one_is_finite():
    with np.errstate(all="raise"):
        value = binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
        gradient = binary_cross_entropy_gradient(np.array([0.0, 1.0]), np.array([1.0, 0.0]))
    assert value == pytest.approx(-math.log(1e-12), rel=1e-6)
    assert np.isfinite(gradient).all()


def test_softmax_ce_value_by_hand():
    logits = np.array([[0.0, 0.0], [math.log(3.0), 0.0]])
    labels = np.array([0, 0])
    expected = -(math.log(0.5) + math.log(0.75)) / 2
    assert softmax_cross_entropy(logits, labels) == pytest.approx(expected, rel=1e-14)


def test_softmax_ce_indices_and_one_hot_agree():
    encoded = one_hot(LABELS, 3)
    assert softmax_cross_entropy(LOGITS, LABELS) == pytest.approx(
        softmax_cross_entropy(LOGITS, encoded), rel=1e-15
    )
    np.testing.assert_allclose(
        softmax_cross_entropy_gradient(LOGITS, LABELS),
        softmax_cross_entropy_gradient(LOGITS, encoded),
    )
    # float labels holding whole numbers are class indices too
    assert softmax_cross_entropy(LOGITS, LABELS.astype(float)) == softmax_cross_entropy(
        LOGITS, LABELS
    )


def test_softmax_ce_gradient_formula():
    shifted = np.exp(LOGITS - LOGITS.max(axis=1, keepdims=True))
    probabilities = shifted / shifted.sum(axis=1, keepdims=True)
    expected = (probabilities - one_hot(LABELS, 3)) / len(LOGITS)
    np.testing.assert_allclose(softmax_cross_entropy_gradient(LOGITS, LABELS), expected)


@pytest.mark.parametrize(
    "name, prediction, target",
    [
        ("mse", PREDICTION, TARGET),
        ("binary_cross_entropy", PROBABILITY, BINARY),
        ("softmax_cross_entropy", LOGITS, LABELS),
    ],
)
def test_gradients_match_central_differences(name, prediction, target):
    loss = get_loss(name)
    numeric = numeric_gradient(lambda p: loss.value(p, target), prediction.copy())
    np.testing.assert_allclose(loss.gradient(prediction, target), numeric, rtol=1e-6, atol=1e-9)
    value, gradient = loss.value_and_gradient(prediction, target)
    assert value == loss.value(prediction, target)
    np.testing.assert_array_equal(gradient, loss.gradient(prediction, target))


def test_softmax_ce_is_stable_for_huge_logits():
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0], [5e3, 5e3, -1e4]])
    labels = np.array([0, 2, 1])
    with np.errstate(all="raise"):
        value = softmax_cross_entropy(logits, labels)
        gradient = softmax_cross_entropy_gradient(logits, labels)
    # row 0 is right with certainty (loss 0), row 1 is off by 1e4, row 2 has p = 1/2
    assert value == pytest.approx((0.0 + 1e4 + math.log(2.0)) / 3, rel=1e-15)
    expected = np.array([[0.0, 0.0, 0.0], [0.0, 1.0, -1.0], [0.5, -0.5, 0.0]]) / 3
    np.testing.assert_allclose(gradient, expected, atol=1e-300)


def test_softmax_ce_accepts_soft_labels_whose_rows_sum_to_one():
    soft = np.array([[0.5, 0.5, 0.0]] * 5)
    assert np.isfinite(softmax_cross_entropy(LOGITS, soft))


def test_get_loss_and_registry():
    assert sorted(LOSSES) == ["binary_cross_entropy", "mse", "softmax_cross_entropy"]
    mse = get_loss("mse")
    assert isinstance(mse, Loss) and get_loss(mse) is mse
    assert repr(mse) == "Loss('mse')"


def test_integer_inputs_are_computed_in_float64():
    assert mean_squared_error(np.array([[1], [2]]), np.array([[0], [0]])) == 1.25
    assert mean_squared_error_gradient(np.array([[1], [2]]), np.array([[0], [0]])).dtype == float


def test_binary_cross_entropy_range_error_indexes_the_array_as_given():
    with pytest.raises(ValueError, match=r"probability must lie in \[0, 1\]; got 1.5 at index 1$"):
        binary_cross_entropy([0.2, 1.5], [0.0, 1.0])
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]; got 2 at index 2$"):
        binary_cross_entropy_gradient([0.2, 0.5, 0.5], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError, match=r"got -0.5 at index \(1, 0\)$"):
        binary_cross_entropy([[0.2], [-0.5]], [[0.0], [1.0]])
