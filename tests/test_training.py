"""Training: SGD updates, train_step, and the epoch loop."""

import numpy as np
import pytest

from helpers.data import noisy_line, spirals, xor
from helpers.losses import get_loss
from helpers.network import build_network
from helpers.training import SGD, train, train_step


def test_sgd_step_moves_against_the_gradient():
    network = build_network([1, 1])
    X, y = noisy_line(10)
    before = [p.value.copy() for p in network.parameters()]
    loss = get_loss("mse")
    network.backward(loss.gradient(network.forward(X), y))
    SGD(0.1).step(network)
    for old, parameter in zip(before, network.parameters(), strict=True):
        np.testing.assert_allclose(parameter.value, old - 0.1 * parameter.grad)
    assert repr(SGD(0.1)) == "SGD(lr=0.1)"


def test_train_step_returns_loss_before_update_and_lowers_it():
    network = build_network([1, 1])
    X, y = noisy_line(20)
    expected = get_loss("mse").value(network.forward(X), y)
    first = train_step(network, X, y, "mse", SGD(0.5))
    assert first == expected
    assert train_step(network, X, y, "mse", SGD(0.5)) < first


def test_linear_regression_recovers_the_line():
    X, y = noisy_line(200, slope=2.0, intercept=-1.0, noise=0.01)
    network = build_network([1, 1])
    history = train(network, X, y, loss="mse", lr=0.5, epochs=300)
    assert len(history) == 300 and history[-1] < history[0]
    assert network.layers[0].W[0, 0] == pytest.approx(2.0, abs=0.01)
    assert network.layers[0].b[0] == pytest.approx(-1.0, abs=0.01)


def test_xor_is_learned_with_binary_cross_entropy():
    X, y = xor()
    network = build_network([2, 4, 1], hidden="tanh", output="sigmoid", rng=0)
    history = train(network, X, y, loss="binary_cross_entropy", lr=1.0, epochs=1000)
    assert history[-1] < 0.05
    predicted = (network.forward(X)[:, 0] > 0.5).astype(int)
    np.testing.assert_array_equal(predicted, y)


def test_spirals_with_minibatches_and_softmax_ce():
    X, y = spirals(50, 3, noise=0.1)
    network = build_network([2, 16, 3], hidden="relu", rng=0)
    history = train(network, X, y, loss="softmax_cross_entropy", lr=0.5, epochs=100,
                    batch_size=32)
    assert history[-1] < history[0] * 0.75


def test_minibatch_training_is_deterministic_and_uses_rng():
    X, y = noisy_line(30)
    runs = []
    for seed in (0, 0, 1):
        network = build_network([1, 1])
        runs.append(train(network, X, y, lr=0.1, epochs=5, batch_size=7, rng=seed))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_epoch_loss_is_sample_weighted_mean_of_batch_losses():
    X, y = noisy_line(10)
    network = build_network([1, 1])
    reference = network.copy()
    history = train(network, X, y, lr=0.1, epochs=1, batch_size=4, rng=3)
    order = np.random.default_rng(3).permutation(10)
    total = 0.0
    for start in range(0, 10, 4):
        rows = order[start:start + 4]
        total += train_step(reference, X[rows], y[rows], "mse", SGD(0.1)) * len(rows)
    assert history[0] == pytest.approx(total / 10, rel=1e-15)


def test_callback_sees_every_epoch():
    X, y = noisy_line(10)
    seen = []
    history = train(build_network([1, 1]), X, y, epochs=4,
                    callback=lambda epoch, loss: seen.append((epoch, loss)))
    assert seen == list(zip([1, 2, 3, 4], history, strict=True))


def test_custom_optimizer_and_batch_larger_than_data():
    X, y = noisy_line(10)
    history = train(build_network([1, 1]), X, y, optimizer=SGD(0.2), epochs=3, batch_size=100)
    assert len(history) == 3


def test_divergence_is_reported_clearly():
    X, y = noisy_line(20)
    X = X * 1e3
    with pytest.raises(FloatingPointError, match=r"diverged.*lr=1e\+06"):
        train(build_network([1, 1]), X, y, lr=1e6, epochs=100)


def test_divergence_without_a_learning_rate_blames_no_made_up_number():
    class Doubling:
        """An optimizer with no lr attribute that makes the weights explode."""

        def step(self, network):
            for parameter in network.parameters():
                value = parameter.value  # the live array
                value *= 1e200

    X, y = xor()
    network = build_network([2, 2, 1], rng=0)
    train_step(network, X, y, "mse", Doubling())
    with pytest.raises(FloatingPointError, match=r"the learning rate is probably too large"):
        for _ in range(3):
            train_step(network, X, y, "mse", Doubling())
