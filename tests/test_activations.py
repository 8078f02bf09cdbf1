"""Activation functions: values, derivatives and stability at extreme inputs."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    identity,
    identity_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    softmax_jvp,
    tanh,
    tanh_derivative,
)
from helpers.gradcheck import numeric_gradient

Z = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0]])


def test_values_at_simple_points():
    assert sigmoid(0.0) == 0.5
    assert math.isclose(float(sigmoid(2.0)), 1 / (1 + math.exp(-2.0)), rel_tol=1e-15)
    assert math.isclose(float(sigmoid(-2.0)), 1 / (1 + math.exp(2.0)), rel_tol=1e-15)
    np.testing.assert_allclose(tanh(Z), np.tanh(Z))
    np.testing.assert_array_equal(relu(Z), [[0.0, 0.0, 0.0, 0.5, 3.0]])
    np.testing.assert_array_equal(identity(Z), Z)


def test_integer_input_gives_float64():
    for function in (sigmoid, tanh, relu, identity, softmax):
        assert function(np.array([1, 2, 3])).dtype == np.float64


@pytest.mark.parametrize(
    "function, derivative",
    [(sigmoid, sigmoid_derivative), (tanh, tanh_derivative), (identity, identity_derivative)],
)
def test_derivatives_match_central_differences(function, derivative):
    z = np.linspace(-4, 4, 17)
    numeric = numeric_gradient(lambda v: float(np.sum(function(v))), z.copy())
    np.testing.assert_allclose(derivative(z), numeric, rtol=1e-8, atol=1e-10)


def test_relu_derivative_is_zero_at_the_kink():
    np.testing.assert_array_equal(relu_derivative(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])


def test_known_derivative_values():
    assert sigmoid_derivative(0.0) == 0.25
    assert tanh_derivative(0.0) == 1.0
    np.testing.assert_allclose(
        tanh_derivative(Z), 1 - np.tanh(Z) ** 2, rtol=1e-12, atol=1e-15
    )
    np.testing.assert_allclose(
        sigmoid_derivative(Z), sigmoid(Z) * (1 - sigmoid(Z)), rtol=1e-12
    )


def test_softmax_rows_sum_to_one_and_keep_shape():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    s = softmax(z)
    assert s.shape == z.shape
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    np.testing.assert_allclose(s[1], 1 / 3)
    np.testing.assert_allclose(softmax(z[0]), s[0])


def test_softmax_jacobian_and_jvp_agree():
    z = np.array([0.3, -1.2, 2.0, 0.1])
    g = np.array([1.0, -2.0, 0.5, 3.0])
    jacobian = softmax_jacobian(z)
    numeric = np.stack(
        [numeric_gradient(lambda v, i=i: float(softmax(v)[i]), z.copy()) for i in range(4)]
    )
    np.testing.assert_allclose(jacobian, numeric, atol=1e-9)
    np.testing.assert_allclose(softmax_jvp(z, g), jacobian.T @ g, atol=1e-15)
    np.testing.assert_allclose(softmax_jvp(z[None], g[None])[0], jacobian.T @ g, atol=1e-15)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_backward_is_chain_rule(name):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(3, 4))
    g = rng.normal(size=(3, 4))
    activation = get_activation(name)
    a = activation.forward(z)
    numeric = numeric_gradient(lambda v: float(np.sum(activation.forward(v) * g)), z.copy())
    np.testing.assert_allclose(activation.backward(z, g), numeric, atol=1e-9)
    np.testing.assert_allclose(activation.backward(z, g, a), numeric, atol=1e-9)


def test_get_activation_accepts_objects_and_names():
    relu_activation = get_activation("relu")
    assert isinstance(relu_activation, Activation)
    assert get_activation(relu_activation) is relu_activation
    assert sorted(ACTIVATIONS) == ["identity", "relu", "sigmoid", "softmax", "tanh"]
    assert repr(relu_activation) == "Activation('relu')"


# --- stability: no warning, no overflow, correct limits ------------------------------------

EXTREMES = np.array([-1e308, -1000.0, -800.0, -745.0, -710.0, -1e-320, 0.0, 5e-324, 1e-200,
                     710.0, 800.0, 1000.0, 1e308])


def test_stable_at_the_documented_points():
    with np.errstate(all="raise"):
        assert sigmoid(-1000.0) == 0.0
        assert sigmoid(1000.0) == 1.0
        assert tanh(800.0) == 1.0
        assert tanh(-800.0) == -1.0
        np.testing.assert_array_equal(softmax(np.array([1000.0, 0.0, -1000.0])), [1.0, 0.0, 0.0])
        np.testing.assert_array_equal(softmax(np.array([[1e308, -1e308]])), [[1.0, 0.0]])
        assert sigmoid_derivative(-1000.0) == 0.0
        assert tanh_derivative(800.0) == 0.0
        # far tails are still right where float64 can represent them
        assert math.isclose(float(sigmoid(-700.0)), math.exp(-700.0), rel_tol=1e-12)
        assert math.isclose(float(tanh_derivative(300.0)), 4 * math.exp(-600.0), rel_tol=1e-12)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_activation_is_finite_at_extremes(name):
    activation = get_activation(name)
    z = EXTREMES.reshape(1, -1)
    g = np.ones_like(z)
    with np.errstate(all="raise"):
        a = activation.forward(z)
        dz = activation.backward(z, g)
        dz_from_output = activation.backward(z, g, a)
        derivative = None if name == "softmax" else activation.derivative(z)
    for result in (a, dz, dz_from_output, derivative):
        assert result is None or np.isfinite(result).all()


finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(arrays(np.float64, st.tuples(st.integers(1, 4), st.integers(1, 6)), elements=finite_floats))
def test_any_finite_input_gives_finite_output_without_warnings(z):
    with np.errstate(all="raise"):
        assert ((sigmoid(z) >= 0) & (sigmoid(z) <= 1)).all()
        assert (np.abs(tanh(z)) <= 1).all()
        s = softmax(z)
        np.testing.assert_allclose(s.sum(axis=-1), 1.0)
        for derivative in (sigmoid_derivative, tanh_derivative, relu_derivative):
            d = derivative(z)
            assert np.isfinite(d).all() and (d >= 0).all()
        assert np.isfinite(softmax_jvp(z, np.ones_like(z))).all()


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.floats(-700, 700))
def test_sigmoid_symmetry_and_derivative_identity(z):
    assert math.isclose(float(sigmoid(z) + sigmoid(-z)), 1.0, rel_tol=1e-15)
    # a (1 - a) = sigmoid(z) sigmoid(-z), written so that 1 - a does not lose digits
    expected = float(sigmoid(z)) * float(sigmoid(-z))
    assert math.isclose(float(sigmoid_derivative(z)), expected, rel_tol=1e-14)


def test_backward_checks_the_shape_of_a():
    from helpers.activations import get_activation

    with pytest.raises(ValueError, match=r"a .*shape of z"):
        get_activation("sigmoid").backward(np.zeros((2, 3)), np.ones((2, 3)), a=np.zeros((3, 2)))


@pytest.mark.parametrize("name", ["identity", "relu", "sigmoid", "tanh"])
def test_local_grad_from_z_and_a_is_the_derivative(name):
    activation = get_activation(name)
    z = np.linspace(-5, 5, 21).reshape(3, 7)
    np.testing.assert_allclose(activation.local_grad(z, activation.forward(z)),
                               activation.derivative(z), rtol=1e-12, atol=1e-15)
    g = np.random.default_rng(0).normal(size=z.shape)
    np.testing.assert_array_equal(activation.backward(z, g),
                                  activation.local_grad(z, activation.forward(z)) * g)


def test_softmax_backward_is_its_jacobian_vector_product():
    softmax_activation = get_activation("softmax")
    z = np.array([[0.3, -1.2, 2.0], [1.0, 1.0, -3.0]])
    g = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]])
    np.testing.assert_allclose(softmax_activation.backward(z, g), softmax_jvp(z, g), atol=1e-15)
    with pytest.raises(ValueError, match="no entry-by-entry derivative"):
        softmax_activation.local_grad(z, softmax(z))


def test_exp_nonpositive_is_shared_and_quiet():
    from helpers import losses
    from helpers.activations import exp_nonpositive

    assert losses.exp_nonpositive is exp_nonpositive
    with np.errstate(all="raise"):
        np.testing.assert_array_equal(exp_nonpositive(np.array([0.0, -1e308, -800.0])),
                                      [1.0, 0.0, 0.0])
        assert 0.0 < float(exp_nonpositive(-740.0)) < 1e-320
