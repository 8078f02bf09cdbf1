"""Property-based tests: backprop agrees with central differences on random networks.

Every drawn case is a network of 1 to 4 Dense layers (widths 1 to 8), each followed by an
activation layer, a batch of 1 to 16 rows, and a loss:
  mse                    with any output activation,
  binary_cross_entropy   with a sigmoid output,
  softmax_cross_entropy  on identity outputs (logits),
hidden activations drawn from all five. Every parameter gradient (and dL/dX) from backward
must match the central difference with h = 1e-6 to a relative error below 1e-6.

Tolerance. The central difference has two errors: truncation, about h**2 |f'''| / 6 ~ 1e-12
here, and rounding, about eps |L| / h ~ 2.2e-10 |L| (eps = 2.2e-16), which does not shrink
with the gradient. An entry of 1e-5 therefore cannot agree to 1e-6 relative, whatever the
code does; on random networks a fixed floor of 1e-8 in the denominator |a| + |b| fails in
about 4% of parameter arrays (differences up to 4e-9 on entries below 1e-4). So the
denominator is floored at FLOOR = 10 * eps * max(|L|, 1) / h / 1e-6 (2.2e-3 when |L| <= 1):
entries above the floor are held to relative error 1e-6, entries below it to an absolute
error of 1e-6 * FLOOR = 10 eps max(|L|, 1) / h, ten times the rounding noise. Any real bug
(a sign, a transpose, a missing factor) moves an entry by about its own size and is caught.
This is helpers.gradcheck.noise_floor, restated here so the test stands on its own.

binary_cross_entropy_with_logits is tested in the last two tests, with the same tolerance: its
gradient alone, on normal logits of scale 1, 10 or 40, and networks of the drawn cases ending
in an identity layer.

ReLU has a kink at 0 where no derivative exists; cases with a ReLU input |z| < 1e-4 are
rejected, since a step of h = 1e-6 in any weight moves z by far less than that.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers.gradcheck import check_network, numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_gradient,
    get_loss,
)
from helpers.network import Network

ACTIVATION_NAMES = ["identity", "relu", "sigmoid", "softmax", "tanh"]
H = 1e-6
TOL = 1e-6
EPS = np.finfo(np.float64).eps
KINK_MARGIN = 1e-4


def floor_for(loss_value):
    return 10 * EPS * max(abs(loss_value), 1.0) / H / TOL


@st.composite
def cases(draw):
    n_dense = draw(st.integers(1, 4))
    widths = draw(st.lists(st.integers(1, 8), min_size=n_dense + 1, max_size=n_dense + 1))
    loss = draw(st.sampled_from(["mse", "binary_cross_entropy", "softmax_cross_entropy"]))
    hidden = [draw(st.sampled_from(ACTIVATION_NAMES)) for _ in range(n_dense - 1)]
    output = {
        "mse": draw(st.sampled_from(ACTIVATION_NAMES)),
        "binary_cross_entropy": "sigmoid",
        "softmax_cross_entropy": "identity",
    }[loss]
    batch = draw(st.integers(1, 16))
    seed = draw(st.integers(0, 2**32 - 1))
    return widths, hidden + [output], loss, batch, seed


def build(widths, activations, loss, batch, seed):
    rng = np.random.default_rng(seed)
    layers = []
    for n_in, n_out, activation in zip(widths[:-1], widths[1:], activations, strict=True):
        layers.append(Dense(n_in, n_out, rng=rng, bias=rng.normal(0.0, 0.5, size=n_out)))
        layers.append(ActivationLayer(activation))
    X = rng.normal(size=(batch, widths[0]))
    k = widths[-1]
    if loss == "mse":
        y = rng.normal(size=(batch, k))
    elif loss == "binary_cross_entropy":
        y = rng.uniform(0.0, 1.0, size=(batch, k)).round(1)
    else:
        y = rng.integers(0, k, size=batch)
    return Network(layers), X, y


def away_from_relu_kinks(network):
    return all(
        np.min(np.abs(layer.z)) >= KINK_MARGIN
        for layer in network.layers
        if isinstance(layer, ActivationLayer) and layer.name == "relu"
    )


@settings(max_examples=80, deadline=None, derandomize=True)
@given(cases())
def test_backprop_matches_central_differences(case):
    network, X, y = build(*case)
    loss = get_loss(case[2])
    value, gradient = loss.value_and_gradient(network.forward(X), y)
    assume(away_from_relu_kinks(network))
    dX = network.backward(gradient)
    analytic = [(p, p.grad.copy()) for p in network.parameters()]
    floor = floor_for(value)

    def loss_of_current_parameters(_):
        return loss.value(network.forward(X), y)

    for parameter, grad in analytic:
        numeric = numeric_gradient(loss_of_current_parameters, parameter.value, H)
        error = relative_error(grad, numeric, floor=floor)
        assert error < TOL, f"layers[{parameter.layer_index}] {parameter.name}: {error:.2e}"
    numeric_dX = numeric_gradient(lambda X_: loss.value(network.forward(X_), y), X.copy(), H)
    assert relative_error(dX, numeric_dX, floor=floor) < TOL


@settings(max_examples=40, deadline=None, derandomize=True)
@given(cases())
def test_check_network_passes_on_random_networks(case):
    network, X, y = build(*case)
    network.forward(X)
    assume(away_from_relu_kinks(network))
    report = check_network(network, X, y, case[2], h=H)
    assert report.passed(TOL), str(report)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(cases())
def test_network_is_unchanged_by_a_gradient_check(case):
    network, X, y = build(*case)
    before = [p.value.copy() for p in network.parameters()]
    check_network(network, X, y, case[2])
    for old, parameter in zip(before, network.parameters(), strict=True):
        np.testing.assert_array_equal(parameter.value, old)


# --- binary cross-entropy from logits -------------------------------------------------------

@st.composite
def logits_and_targets(draw):
    n, k = draw(st.integers(1, 8)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from([1.0, 10.0, 40.0]))  # up to the range where sigmoid rounds to 1
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    z = rng.normal(0.0, scale, size=(n, k))
    y = draw(st.sampled_from([rng.integers(0, 2, size=(n, k)).astype(float),
                              rng.uniform(0.0, 1.0, size=(n, k))]))
    return z, y


@settings(max_examples=80, deadline=None, derandomize=True)
@given(logits_and_targets())
def test_bce_with_logits_gradient_matches_central_differences(case):
    z, y = case
    value = binary_cross_entropy_with_logits(z, y)
    analytic = binary_cross_entropy_with_logits_gradient(z, y)
    numeric = numeric_gradient(lambda q: binary_cross_entropy_with_logits(q, y), z.copy(), H)
    assert relative_error(analytic, numeric, floor=floor_for(value)) < TOL


@settings(max_examples=40, deadline=None, derandomize=True)
@given(cases())
def test_backprop_through_an_identity_output_with_bce_from_logits(case):
    widths, activations, _, batch, seed = case
    network, X, y = build(widths, activations[:-1] + ["identity"], "binary_cross_entropy",
                          batch, seed)
    network.forward(X)
    assume(away_from_relu_kinks(network))
    report = check_network(network, X, y, "binary_cross_entropy_with_logits", h=H)
    assert report.passed(TOL), str(report)
