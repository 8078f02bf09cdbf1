"""Reproduce a published worked example of backpropagation, number by number.

Matt Mazur, "A Step by Step Backpropagation Example": a 2-2-2 network with sigmoid hidden
and output layers, one training sample, loss E = sum over outputs of 0.5 (target - out)^2
(our mean squared error with n = 1) and one step of gradient descent with learning rate 0.5.
Each number below is checked to the digits the example prints.

The example's weights map to our W[i, j] (input i -> neuron j):
w1: i1->h1, w2: i2->h1, w3: i1->h2, w4: i2->h2, so W_hidden = [[w1, w3], [w2, w4]];
w5: h1->o1, w6: h2->o1, w7: h1->o2, w8: h2->o2, so W_output = [[w5, w7], [w6, w8]].
One bias per layer is shared by both of its neurons: b1 = 0.35, b2 = 0.60.
"""

import numpy as np
import pytest

from helpers.layers import ActivationLayer, Dense
from helpers.losses import mean_squared_error, mean_squared_error_gradient
from helpers.network import Network
from helpers.training import SGD, train_step

X = np.array([[0.05, 0.10]])
TARGET = np.array([[0.01, 0.99]])


def mazur_network():
    hidden = Dense(2, 2, weights=[[0.15, 0.25], [0.20, 0.30]], bias=[0.35, 0.35])
    output = Dense(2, 2, weights=[[0.40, 0.50], [0.45, 0.55]], bias=[0.60, 0.60])
    return Network([hidden, ActivationLayer("sigmoid"), output, ActivationLayer("sigmoid")])


def matches(value, printed):
    """True when value rounds to the printed number at the printed number of decimals."""
    decimals = len(printed.split(".")[1])
    return round(float(value), decimals) == float(printed)


@pytest.fixture
def forward_pass():
    network = mazur_network()
    out = network.forward(X, record=True)
    return network, out


def test_forward_pass_numbers(forward_pass):
    network, out = forward_pass
    net_h, out_h, net_o = (network.record[i].output for i in range(3))
    assert matches(net_h[0, 0], "0.3775")
    assert matches(out_h[0, 0], "0.593269992")
    assert matches(out_h[0, 1], "0.596884378")
    assert matches(net_o[0, 0], "1.105905967")
    assert matches(out[0, 0], "0.75136507")
    assert matches(out[0, 1], "0.772928465")
    assert matches(mean_squared_error(out, TARGET), "0.298371109")


def test_gradient_of_w5(forward_pass):
    network, out = forward_pass
    network.backward(mean_squared_error_gradient(out, TARGET))
    dW_output = network.layers[2].dW
    assert matches(dW_output[0, 0], "0.082167041")  # dE/dw5, w5 is W_output[0, 0]


def test_updated_weights_after_one_step():
    network = mazur_network()
    loss = train_step(network, X, TARGET, "mse", SGD(0.5))
    assert matches(loss, "0.298371109")
    W_output, W_hidden = network.layers[2].W, network.layers[0].W
    assert matches(W_output[0, 0], "0.35891648")  # w5
    assert matches(W_output[1, 0], "0.408666186")  # w6
    assert matches(W_output[0, 1], "0.511301270")  # w7
    assert matches(W_output[1, 1], "0.561370121")  # w8
    assert matches(W_hidden[0, 0], "0.149780716")  # w1
    assert matches(W_hidden[1, 0], "0.19956143")  # w2
    assert matches(W_hidden[0, 1], "0.24975114")  # w3
    assert matches(W_hidden[1, 1], "0.29950229")  # w4


def test_matches_helper_uses_printed_digits():
    assert matches(0.3775004, "0.3775")
    assert not matches(0.3776, "0.3775")
