"""Network: forward, backward, parameters, records, build_network."""

import numpy as np
import pytest

from helpers.gradcheck import check_network
from helpers.layers import ActivationLayer, Dense
from helpers.losses import get_loss, mean_squared_error_gradient
from helpers.network import LayerRecord, Network, Parameter, build_network

RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 2))
Y = RNG.normal(size=(6, 1))


def test_build_network_layers():
    network = build_network([2, 3, 1], hidden="sigmoid", output="sigmoid")
    kinds = [layer.name for layer in network.layers]
    assert kinds == ["Dense(2→3)", "sigmoid", "Dense(3→1)", "sigmoid"]
    assert network.n_inputs == 2 and network.n_outputs == 1
    identity_output = build_network([2, 4, 4, 3])
    assert [layer.name for layer in identity_output.layers][-1] == "identity"
    assert len(identity_output.layers) == 6
    assert repr(network) == "Network([Dense(2→3), sigmoid, Dense(3→1), sigmoid])"


def test_build_network_is_seeded():
    first, second = build_network([2, 3, 1], rng=5), build_network([2, 3, 1], rng=5)
    np.testing.assert_array_equal(first.layers[0].W, second.layers[0].W)
    assert not np.array_equal(first.layers[0].W, build_network([2, 3, 1], rng=6).layers[0].W)


def test_forward_chains_the_layers():
    network = build_network([2, 3, 1], hidden="tanh")
    hidden = np.tanh(X @ network.layers[0].W + network.layers[0].b)
    expected = hidden @ network.layers[2].W + network.layers[2].b
    np.testing.assert_allclose(network.forward(X), expected)


def test_backward_returns_input_gradient_and_fills_parameters():
    network = build_network([2, 3, 1], hidden="tanh")
    output = network.forward(X)
    dX = network.backward(mean_squared_error_gradient(output, Y))
    assert dX.shape == X.shape
    parameters = network.parameters()
    assert [(p.layer_index, p.name) for p in parameters] == [(0, "W"), (0, "b"), (2, "W"), (2, "b")]
    assert all(isinstance(p, Parameter) for p in parameters)
    assert parameters[0].value is network.layers[0].W
    assert parameters[0].grad is network.layers[0].dW
    assert all(p.grad.shape == p.value.shape for p in parameters)


def test_parameters_before_backward_have_no_gradient():
    assert all(p.grad is None for p in build_network([2, 2]).parameters())


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu"])
def test_network_gradcheck(hidden):
    network = build_network([2, 5, 3, 1], hidden=hidden, rng=3)
    report = check_network(network, X, Y, "mse")
    assert report.passed(), str(report)


def test_record_keeps_every_intermediate():
    network = build_network([2, 3, 1], hidden="sigmoid", rng=1)
    output = network.forward(X, record=True)
    assert len(network.record) == 4
    first, activation = network.record[0], network.record[1]
    assert isinstance(first, LayerRecord)
    assert (first.kind, activation.kind) == ("dense", "activation")
    np.testing.assert_array_equal(first.input, X)
    np.testing.assert_array_equal(first.output, activation.input)
    np.testing.assert_array_equal(network.record[-1].output, output)
    np.testing.assert_array_equal(first.W, network.layers[0].W)
    assert first.W is not network.layers[0].W  # a copy, safe from later updates
    assert first.dW is None and first.upstream_grad is None

    network.backward(mean_squared_error_gradient(output, Y))
    for entry in network.record:
        assert entry.upstream_grad.shape == entry.output.shape
        assert entry.downstream_grad.shape == entry.input.shape
    np.testing.assert_array_equal(first.dW, network.layers[0].dW)
    np.testing.assert_array_equal(first.db, network.layers[0].db)
    # delta = dL/dz, the same array seen from both sides of the pre-activation
    np.testing.assert_array_equal(first.delta, activation.delta)
    np.testing.assert_array_equal(activation.upstream_grad, network.record[2].downstream_grad)


def test_forward_without_record_clears_it():
    network = build_network([2, 3, 1])
    network.forward(X, record=True)
    network.forward(X)
    assert network.record == []


def test_copy_is_independent():
    network = build_network([2, 3, 1])
    clone = network.copy()
    clone.layers[0].W[0, 0] += 1.0
    assert clone.layers[0].W[0, 0] != network.layers[0].W[0, 0]


def test_network_of_explicit_layers():
    network = Network([Dense(2, 2, rng=0), ActivationLayer("relu"), Dense(2, 1, rng=1)])
    assert network.forward(X).shape == (6, 1)
    assert network.n_outputs == 1


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid", "relu", "softmax"])
def test_forward_and_backward_are_stable_for_huge_inputs(hidden):
    network = build_network([2, 4, 3], hidden=hidden, rng=2)
    X_huge = np.array([[1e4, -1e4], [-3e3, 5e3], [0.0, 1e4]])
    labels = np.array([0, 1, 2])
    with np.errstate(all="raise"):
        logits = network.forward(X_huge)
        value, gradient = get_loss("softmax_cross_entropy").value_and_gradient(logits, labels)
        network.backward(gradient)
    assert np.isfinite(value)
    assert all(np.isfinite(p.grad).all() for p in network.parameters())


def test_changing_X_after_forward_does_not_change_the_gradients():
    network = build_network([2, 1], output="identity", rng=0)
    X = np.array([[1.0, 2.0]])
    network.forward(X)
    X[:] = 0.0
    network.backward(np.ones((1, 1)))
    np.testing.assert_array_equal(network.layers[0].dW, [[1.0], [2.0]])


def test_predicted_classes_thresholds_one_column_and_takes_the_largest_of_several():
    from helpers.network import predicted_classes

    np.testing.assert_array_equal(predicted_classes([[0.2], [0.7]]), [0, 1])
    np.testing.assert_array_equal(predicted_classes([[0.1, 2.0, -1.0], [3.0, 0.0, 0.5]]), [1, 0])
    with pytest.raises(ValueError, match="scores"):
        predicted_classes([0.2, 0.7])


def test_network_runs_the_public_methods_a_subclass_overrides():
    class HalfBiasGradient(Dense):
        def backward(self, upstream_grad):
            dx = super().backward(upstream_grad)
            self.db = self.db / 2  # a planted bug
            return dx

    class PassThrough(ActivationLayer):
        def backward(self, upstream_grad):
            return upstream_grad  # a planted bug: no f'(z)

    network = build_network([2, 3, 1], hidden="tanh", rng=4)
    plain = network.copy()
    old = network.layers[2]
    network.layers[2] = HalfBiasGradient(3, 1, weights=old.W, bias=old.b)
    network.layers[1] = PassThrough("tanh")
    output = network.forward(X, record=True)
    network.backward(mean_squared_error_gradient(output, Y))
    plain.backward(mean_squared_error_gradient(plain.forward(X), Y))
    np.testing.assert_allclose(network.layers[2].db, plain.layers[2].db / 2)
    assert not np.allclose(network.layers[0].dW, plain.layers[0].dW)
    # the record still holds the gradients passed to and returned by the overridden layers
    tanh_record = network.record[1]
    np.testing.assert_array_equal(tanh_record.downstream_grad, tanh_record.upstream_grad)
    np.testing.assert_array_equal(network.record[2].db, network.layers[2].db)


def test_network_calls_each_layer_forward_once_per_pass():
    calls = []

    class CountingDense(Dense):
        def forward(self, x):
            calls.append(x.shape)
            return super().forward(x)

    network = Network([CountingDense(2, 3), ActivationLayer("relu"), CountingDense(3, 1)])
    network.forward(X)
    assert calls == [(6, 2), (6, 3)]


def test_overflow_inside_the_network_is_not_reported_as_bad_input():
    # values that overflow inside the pass are the network's own, not the caller's input:
    # they come out as inf (training reports that as divergence), not as a ValueError
    network = Network([Dense(1, 1, weights=[[1e300]]), ActivationLayer("relu"),
                       Dense(1, 1, weights=[[1e300]])])
    with np.errstate(over="ignore"):
        output = network.forward(np.array([[1.0]]))
    assert output[0, 0] == np.inf


def test_layers_check_everything_again_after_a_failed_pass():
    network = Network([Dense(2, 3), ActivationLayer("relu"), Dense(3, 1)])
    network.layers[2] = Dense(4, 1)  # no longer fits
    with pytest.raises(ValueError, match=r"x has 3 features \(shape \(6, 3\)\) but Dense\(4→1\)"):
        network.forward(X)
    with pytest.raises(ValueError, match=r"x contains NaN"):
        Dense(2, 1).forward(np.array([[np.nan, 0.0]]))
    layer = Dense(2, 1)
    layer.forward(X)
    with pytest.raises(ValueError, match=r"upstream_grad contains inf"):
        layer.backward(np.full((6, 1), np.inf))


def test_record_is_built_from_what_the_layers_kept():
    network = build_network([2, 3, 1], hidden="tanh", rng=1)
    W_at_forward = network.layers[0].W.copy()
    network.forward(X, record=True)
    dense, tanh_layer = network.layers[0], network.layers[1]
    first, activation = network.record[0], network.record[1]
    assert first.input is dense.x and first.output is dense.z
    assert activation.input is tanh_layer.z and activation.output is tanh_layer.a
    network.backward(np.ones((6, 1)))
    network.layers[0].W += 1.0  # an update after the pass does not change the record
    np.testing.assert_array_equal(first.W, W_at_forward)
    assert first.dW is dense.dW and first.db is dense.db
