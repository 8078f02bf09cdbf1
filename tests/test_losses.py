"""Losses: values, gradients, label formats, stability."""

import math

import mpmath
import numpy as np
import pytest

from helpers.activations import sigmoid
from helpers.data import one_hot, xor
from helpers.gradcheck import TOLERANCE, numeric_gradient, relative_error
from helpers.layers import ActivationLayer
from helpers.losses import (
    LOSSES,
    Loss,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_gradient,
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
        ("binary_cross_entropy_with_logits", LOGITS, PROBABILITY),
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
    assert sorted(LOSSES) == ["binary_cross_entropy", "binary_cross_entropy_with_logits", "mse",
                              "softmax_cross_entropy"]
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


# --- binary cross-entropy from logits --------------------------------------------------------

EDGE_LOGITS = [0.0, 1e-300, 0.5, -0.5, 10.0, -10.0, 30.0, -30.0, 40.0, -40.0, 1e4, -1e4, 1e300,
               -1e300]
EDGE_TARGETS = [0.0, 0.25, 0.5, 0.9, 1.0]
ROUNDING = 4 * np.finfo(np.float64).eps  # a few units of rounding


def reference_bce_from_logit(z, y):
    """-[y log sigmoid(z) + (1 - y) log(1 - sigmoid(z))] and sigmoid(z) - y, in 60 digits."""
    with mpmath.workdps(60):
        z, y = mpmath.mpf(z), mpmath.mpf(y)
        # log sigmoid(z) = -log(1 + e^-z), log(1 - sigmoid(z)) = -log(1 + e^z), exactly
        value = y * mpmath.log1p(mpmath.exp(-z)) + (1 - y) * mpmath.log1p(mpmath.exp(z))
        gradient = 1 / (1 + mpmath.exp(-z)) - y
        return float(value), float(gradient)


@pytest.mark.parametrize("z", EDGE_LOGITS)
@pytest.mark.parametrize("y", EDGE_TARGETS)
def test_bce_with_logits_against_a_high_precision_reference(z, y):
    value_ref, gradient_ref = reference_bce_from_logit(z, y)
    with np.errstate(all="raise"):
        value = binary_cross_entropy_with_logits(np.array([[z]]), np.array([[y]]))
        gradient = binary_cross_entropy_with_logits_gradient(np.array([[z]]), np.array([[y]]))
    assert value == pytest.approx(value_ref, rel=ROUNDING, abs=1e-300)
    assert gradient.item() == pytest.approx(gradient_ref, rel=ROUNDING, abs=1e-300)


def test_bce_with_logits_a_confident_wrong_answer_keeps_its_gradient():
    # target 0, logit z: the loss is z + log1p(exp(-z)) and dL/dz = sigmoid(z) -> 1, never 0
    z = np.array([[10.0], [30.0], [40.0], [1e4]])
    y = np.zeros((4, 1))
    total = 4 * binary_cross_entropy_with_logits(z, y)
    by_hand = sum(z + math.log1p(math.exp(-z)) for z in (10.0, 30.0, 40.0, 1e4))
    assert total == pytest.approx(by_hand, rel=1e-15)
    gradient = 4 * binary_cross_entropy_with_logits_gradient(z, y)
    expected = [1.0 / (1.0 + math.exp(-z)) for z in (10.0, 30.0, 40.0, 1e4)]
    np.testing.assert_allclose(gradient.ravel(), expected, rtol=1e-15)


def test_the_clipped_probability_path_loses_the_gradient_that_logits_keep():
    # what lesson 04 shows: a separate sigmoid layer and binary_cross_entropy (clipped at
    # 1e-12) stop at a loss of -log(1e-12) and a gradient that fades to exactly 0
    layer = ActivationLayer("sigmoid")
    z, y = np.array([[30.0], [40.0]]), np.zeros((2, 1))
    probability = layer.forward(z)
    through_layer = layer.backward(binary_cross_entropy_gradient(probability, y)) * 2
    assert binary_cross_entropy(probability, y) == pytest.approx(-math.log(1e-12), rel=1e-5)
    assert 0.09 < through_layer[0, 0] < 0.1 and through_layer[1, 0] == 0.0
    np.testing.assert_allclose(binary_cross_entropy_with_logits_gradient(z, y) * 2, 1.0, rtol=1e-12)


def test_bce_with_logits_equals_bce_of_the_sigmoid_where_probabilities_are_accurate():
    # |z| <= 5: 1 - sigmoid(z) >= 6.7e-3, so the probability version loses at most ~1e-13
    z = np.clip(LOGITS * 2, -5.0, 5.0)
    assert binary_cross_entropy_with_logits(z, PROBABILITY) == pytest.approx(
        binary_cross_entropy(sigmoid(z), PROBABILITY), rel=1e-12)
    np.testing.assert_allclose(binary_cross_entropy_with_logits_gradient(z, PROBABILITY),
                               (sigmoid(z) - PROBABILITY) / len(z), rtol=1e-13, atol=1e-17)


def test_bce_with_logits_sums_columns_averages_rows_and_accepts_1d():
    per_column = [binary_cross_entropy_with_logits(LOGITS[:, [j]], PROBABILITY[:, j])
                  for j in range(3)]
    assert binary_cross_entropy_with_logits(LOGITS, PROBABILITY) == pytest.approx(sum(per_column))
    z, y = LOGITS[:, 0], BINARY[:, 0]
    assert binary_cross_entropy_with_logits(z, y) == binary_cross_entropy_with_logits(z[:, None], y)
    assert binary_cross_entropy_with_logits_gradient(z, y).shape == (5,)
    assert binary_cross_entropy_with_logits_gradient(z[:, None], y).shape == (5, 1)


def test_bce_with_logits_value_and_gradient_in_one_call():
    loss = get_loss("binary_cross_entropy_with_logits")
    value, gradient = loss.value_and_gradient(LOGITS, BINARY)
    assert value == binary_cross_entropy_with_logits(LOGITS, BINARY)
    separately = binary_cross_entropy_with_logits_gradient(LOGITS, BINARY)
    np.testing.assert_array_equal(gradient, separately)


def test_bce_with_logits_matches_central_differences_at_large_logits():
    z = np.array([[30.0, -30.0], [40.0, -40.0], [0.3, 12.0]])
    y = np.array([[0.0, 1.0], [0.0, 1.0], [0.5, 0.2]])
    analytic = binary_cross_entropy_with_logits_gradient(z, y)
    numeric = numeric_gradient(lambda q: binary_cross_entropy_with_logits(q, y), z.copy())
    assert relative_error(analytic, numeric) < TOLERANCE


def test_a_network_ending_in_identity_learns_xor_with_bce_from_logits():
    from helpers.network import build_network
    from helpers.training import train

    X, y = xor()
    network = build_network([2, 3, 1], hidden="tanh", output="identity", rng=0)
    history = train(network, X, y, loss="binary_cross_entropy_with_logits", lr=1.0, epochs=1000)
    assert history[-1] < 0.01 < history[0]
    assert np.array_equal(sigmoid(network.forward(X)).ravel() > 0.5, y.astype(bool))


def test_symbolic_loss_derivations_hold_for_every_registered_loss():
    # helpers.symbolic iterates over LOSSES: its derivations must keep passing
    from helpers.symbolic import all_derivative_checks, loss_derivative

    for name in LOSSES:
        assert loss_derivative(name, n_samples=2, n_outputs=2).equal(), name
    assert all(check.equal() for check in all_derivative_checks())


def test_symbolic_losses_equal_the_package_for_every_registered_loss():
    import sympy as sp

    from helpers.symbolic.derivations import sample_loss

    z1, z2 = sp.symbols("z1 z2", real=True)
    prediction, target = [0.3, 0.8], [0.0, 1.0]  # fits all four losses (one-hot, in [0, 1])
    for name in LOSSES:
        expression = sample_loss(name, [z1, z2], target)
        symbolic = float(expression.subs({z1: prediction[0], z2: prediction[1]}))
        numeric = get_loss(name).value(np.array([prediction]), np.array([target]))
        assert symbolic == pytest.approx(numeric, rel=1e-12), name
