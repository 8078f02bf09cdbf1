"""Dense and activation layers: forward values, stored values, backward gradients."""

import numpy as np
import pytest

from helpers.activations import get_activation
from helpers.gradcheck import check_layer
from helpers.layers import ActivationLayer, Dense


def test_dense_shapes_and_initialisation_are_seeded():
    layer = Dense(4, 3, rng=7)
    assert layer.W.shape == (4, 3) and layer.b.shape == (3,)
    assert layer.W.dtype == np.float64
    np.testing.assert_array_equal(layer.b, 0.0)
    np.testing.assert_array_equal(layer.W, Dense(4, 3, rng=np.random.default_rng(7)).W)
    np.testing.assert_array_equal(Dense(4, 3).W, Dense(4, 3, rng=0).W)
    assert not np.array_equal(layer.W, Dense(4, 3, rng=8).W)
    assert layer.name == "Dense(4→3)" and repr(layer) == "Dense(4→3)"
    assert layer.dW is None and layer.db is None and layer.x is None


def test_dense_initial_scale_is_one_over_sqrt_n_in():
    layer = Dense(400, 300, rng=0)
    assert layer.W.std() == pytest.approx(np.sqrt(1 / 400), rel=0.02)


def test_dense_given_weights_are_copied():
    weights = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    layer = Dense(3, 2, weights=weights, bias=[1, -1])
    weights[0, 0] = 100.0
    assert layer.W[0, 0] == 1.0
    assert layer.b.dtype == np.float64


def test_dense_forward_is_x_at_w_plus_b():
    layer = Dense(3, 2, weights=[[1, 2], [3, 4], [5, 6]], bias=[0.5, -0.5])
    x = np.array([[1, 0, 0], [1, 1, 1]])
    z = layer.forward(x)
    np.testing.assert_array_equal(z, [[1.5, 1.5], [9.5, 11.5]])
    assert layer.z is z and layer.x.dtype == np.float64


def test_dense_backward_formulas():
    rng = np.random.default_rng(1)
    layer = Dense(3, 2, rng=rng)
    x = rng.normal(size=(5, 3))
    delta = rng.normal(size=(5, 2))
    layer.forward(x)
    dx = layer.backward(delta)
    np.testing.assert_allclose(layer.dW, x.T @ delta)
    np.testing.assert_allclose(layer.db, delta.sum(axis=0))
    np.testing.assert_allclose(dx, delta @ layer.W.T)
    assert layer.gradients()["W"] is layer.dW
    assert layer.parameters()["W"] is layer.W


@pytest.mark.parametrize("batch", [1, 4])
def test_dense_gradcheck(batch):
    rng = np.random.default_rng(batch)
    report = check_layer(Dense(3, 4, rng=rng), rng.normal(size=(batch, 3)))
    assert report.passed(), str(report)
    assert [entry.parameter for entry in report.entries] == ["dx", "W", "b"]


@pytest.mark.parametrize("name", ["identity", "relu", "sigmoid", "softmax", "tanh"])
def test_activation_layer(name):
    rng = np.random.default_rng(2)
    z = rng.normal(size=(4, 3)) + 0.1
    layer = ActivationLayer(name)
    a = layer.forward(z)
    np.testing.assert_array_equal(a, get_activation(name).forward(z))
    assert layer.a is a and layer.name == name
    assert layer.parameters() == {} and layer.gradients() == {}
    report = check_layer(layer, z)
    assert report.passed(), str(report)


def test_activation_layer_accepts_an_activation_object():
    layer = ActivationLayer(get_activation("tanh"))
    assert layer.name == "tanh" and repr(layer) == "ActivationLayer('tanh')"


def test_changing_the_input_after_forward_does_not_change_the_gradients():
    layer = Dense(2, 1, weights=[[1.0], [1.0]])
    x = np.array([[1.0, 2.0]])
    layer.forward(x)
    x[:] = 0.0  # the caller reuses their array
    layer.backward(np.ones((1, 1)))
    np.testing.assert_array_equal(layer.dW, [[1.0], [2.0]])

    relu_layer = ActivationLayer("relu")
    z = np.array([[1.0, -1.0]])
    relu_layer.forward(z)
    z[:] = -5.0
    np.testing.assert_array_equal(relu_layer.backward(np.ones((1, 2))), [[1.0, 0.0]])


def test_forward_and_backward_are_the_public_methods_with_the_maths():
    # no private twin: the method a learner reads is the one a Network runs
    for layer_class in (Dense, ActivationLayer):
        assert not hasattr(layer_class, "_forward") and not hasattr(layer_class, "_backward")


def test_dense_forward_accepts_integers_and_keeps_its_own_copy():
    layer = Dense(2, 1, weights=[[1.0], [1.0]])
    x = np.array([[1, 2]])
    np.testing.assert_array_equal(layer.forward(x), [[3.0]])
    assert layer.x.dtype == np.float64
    x_float = np.array([[1.0, 2.0]])
    layer.forward(x_float)
    assert layer.x is not x_float
