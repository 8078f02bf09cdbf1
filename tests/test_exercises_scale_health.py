"""Tests of the checks that lessons 08 (Why backprop works at scale) and 09 (Initialisation and
the health of gradients) use for their transfer exercises: check_sigmoid_chain with a weight,
check_residual_backward, check_difference_passes, check_first_layer_share,
check_gradient_scale and check_layer_factor. The right answer passes,
each named mistake gets its own message, planted wrong answers are rejected, an unanswered
exercise is "not done yet", nothing raises because of the learner's answer, and while nbgrader
grades a wrong answer raises AnswerNotAccepted."""

import math
import time

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.activations import sigmoid, tanh
from helpers.exercises import (
    check_gradient_scale,
    check_layer_factor,
    check_residual_backward,
    check_sigmoid_chain,
)
from helpers.exercises.cost import check_difference_passes, check_first_layer_share
from helpers.exercises.feedback import GRADING_VARIABLE, AnswerNotAccepted
from helpers.gradcheck import numeric_gradient, relative_error

rng = np.random.default_rng(5)
G = rng.normal(size=(4, 3))  # upstream_grad = dL/d(out)
W = rng.normal(size=(3, 3))  # the block's square weights
Z = rng.normal(size=(4, 3))  # the block's pre-activation


# --- check_sigmoid_chain with heavier weights (lesson 08, Exercise 1) --------------------------


def test_sigmoid_chain_accepts_weight_times_slope_per_neuron():
    feedback = check_sigmoid_chain((3 * 0.25) ** 6, 6, weight=3)
    assert_accepted(feedback)
    assert "w · σ'(0) = 0.75" in feedback.message and "0.178" in feedback.message
    assert_accepted(check_sigmoid_chain(0.75**6, 6, 3))
    assert_accepted(check_sigmoid_chain(np.float64(0.75**6), 6, weight=3.0))
    assert_accepted(check_sigmoid_chain(np.array(0.75**6), 6, weight=3))
    assert_accepted(check_sigmoid_chain(1, 6, weight=4))  # w = 4 makes up exactly for 1/4


def test_sigmoid_chain_with_weight_one_keeps_its_words():
    feedback = check_sigmoid_chain(0.25**6, 6)
    assert_accepted(feedback)
    assert "even in the sigmoid's best case" in feedback.message


@pytest.mark.parametrize("missing", [None, ...])
def test_sigmoid_chain_not_done(missing):
    assert_not_done(check_sigmoid_chain(missing, 6, weight=3))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (0.25**6, "you left out the weights"),
        (3.0**6, "you left out the slopes"),
        (3 * 0.25**6, "the weight counts once per neuron"),
        (3.25**6, "you added the weight and the slope"),
        (1.5**6, "σ(0) = 1/2 is the neuron's activation"),
        (0.75**5, "that is 5 factors"),
        (0.75**7, "that is 7 factors"),
        (1.0, "dL/da_6"),
        (0.75 * 6, "you added the neurons' factors"),
        ((4 / 3) ** 6, "you divided by it"),
        (-(0.75**6), "sign is flipped"),
        (0.2, "too large"),
        (0.01, "too small"),
        (0.178, "close, but the chain rule gives it exactly"),
        ("0.75 ** 6", "should be a number"),
        ([0.75] * 6, "should be a single number"),
        (lambda: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_sigmoid_chain_names_each_mistake_with_weights(answer, words):
    feedback = check_sigmoid_chain(answer, 6, weight=3)
    assert_rejected(feedback, words)
    # a prediction: no message gives the factor per neuron or the expected value away
    for given_away in ("0.75", "0.178", "0.1780", "1/4", "expected"):
        assert given_away not in feedback.message.replace("'0.75 ** 6'", "")


def test_sigmoid_chain_with_weight_one_names_mistakes_without_numbers():
    assert_rejected(check_sigmoid_chain(0.5**6, 6), "σ(0) = 1/2 is the neuron's activation")
    feedback = check_sigmoid_chain(0.25**5, 6)
    assert_rejected(feedback, "that is 5 factors")
    assert "0.25" not in feedback.message and "expected" not in feedback.message


def test_sigmoid_chain_function_answers_are_called():
    assert_accepted(check_sigmoid_chain(lambda: 0.75**6, 6, weight=3))
    assert_not_done(check_sigmoid_chain(lambda: None, 6, weight=3))


def test_sigmoid_chain_a_mistake_that_equals_the_truth_is_no_mistake():
    # w = 2: (w / 2) ** n = 1, the sigmoid-value mistake, but 0.5 ** n is the truth
    assert_accepted(check_sigmoid_chain(0.5**6, 6, weight=2))
    assert_rejected(check_sigmoid_chain(1.0, 6, weight=2), "σ(0) = 1/2")


@pytest.mark.parametrize(("n_neurons", "weight", "error", "name"), [
    (6, 0, ValueError, "weight"), (6, -3, ValueError, "weight"), (0, 3, ValueError, "n_neurons"),
    (6, "3", TypeError, "weight"),
])
def test_sigmoid_chain_bad_problem_data_raises(n_neurons, weight, error, name):
    with pytest.raises(error, match=name):
        check_sigmoid_chain(0.5, n_neurons, weight=weight)


def test_the_chain_rule_the_check_holds_is_what_the_package_computes():
    from helpers.layers import ActivationLayer, Dense
    from helpers.network import Network

    weight, n = 3.0, 6
    layers = []
    for k in range(n):
        bias = 0.0 if k == 0 else -weight / 2
        layers += [Dense(1, 1, weights=[[weight]], bias=[bias]), ActivationLayer("sigmoid")]
    chain = Network(layers)
    chain.forward(np.zeros((1, 1)))
    dL_dx = chain.backward(np.ones((1, 1))).item()
    assert_accepted(check_sigmoid_chain(dL_dx, n, weight=weight))


# --- check_residual_backward (lesson 08, Exercise 2) ---------------------------------------


def residual_backward(upstream_grad, W, z):
    s = sigmoid(z)
    return upstream_grad + (upstream_grad * s * (1 - s)) @ W.T


def test_residual_backward_accepts_a_right_function_and_a_right_array():
    feedback = check_residual_backward(residual_backward, G, W, Z)
    assert_accepted(feedback)
    assert "skip path adds upstream_grad unchanged" in feedback.message
    assert "3 others" in feedback.message
    assert_accepted(check_residual_backward(residual_backward(G, W, Z), G, W, Z))
    assert_accepted(check_residual_backward(residual_backward(G, W, Z).tolist(), G, W, Z))


def test_residual_backward_with_tanh():
    def with_tanh(upstream_grad, W, z):
        return upstream_grad + (upstream_grad * (1 - tanh(z) ** 2)) @ W.T

    assert_accepted(check_residual_backward(with_tanh, G, W, Z, "tanh"))
    assert_rejected(check_residual_backward(residual_backward, G, W, Z, "tanh"))


def test_the_residual_rule_agrees_with_central_differences():
    x = rng.normal(size=(4, 3))
    b = rng.normal(size=3)

    def loss(x):
        return float(np.sum((x + sigmoid(x @ W + b)) * G))

    by_rule = residual_backward(G, W, x @ W + b)
    assert relative_error(by_rule, numeric_gradient(loss, x)) < 1e-6


@pytest.mark.parametrize("missing", [None, ...])
def test_residual_backward_not_done(missing):
    assert_not_done(check_residual_backward(missing, G, W, Z))


def test_residual_backward_function_returning_none_is_not_done():
    def residual_backward(upstream_grad, W, z):
        ...

    feedback = check_residual_backward(residual_backward, G, W, Z)
    assert_not_done(feedback)
    assert "residual_backward returned None" in feedback.message


def slope(z):
    return sigmoid(z) * (1 - sigmoid(z))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (lambda g, W, z: (g * slope(z)) @ W.T, "you left out the skip path"),
        (lambda g, W, z: g + g @ W.T, "you left out the slope sigmoid'(z)"),
        (lambda g, W, z: g + (g * slope(z)) @ W, "W is square, so numpy accepts both"),
        (lambda g, W, z: g + (g @ W.T) * slope(z), "after the product with W.T"),
        (lambda g, W, z: g * slope(z) + (g * slope(z)) @ W.T, "multiplied the skip path"),
        (lambda g, W, z: (g + g * slope(z)) @ W.T, "does not go through W"),
        (lambda g, W, z: g + g * slope(z), "left out the product with W.T"),
        (lambda g, W, z: g + (g * sigmoid(z)) @ W.T, "you multiplied by sigmoid(z)"),
        (lambda g, W, z: g + (g * slope(sigmoid(z))) @ W.T, "at the activation sigmoid(z)"),
        (lambda g, W, z: g, "you returned upstream_grad alone"),
        (lambda g, W, z: g * ((g * slope(z)) @ W.T), "you multiplied the gradients of the two"),
        (lambda g, W, z: 1 + (g * slope(z)) @ W.T, "you wrote the skip path as 1"),
        (lambda g, W, z: g + (g * (1 - tanh(z) ** 2)) @ W.T, "you used the slope of tanh"),
        (lambda g, W, z: -residual_backward(g, W, z), "sign is flipped"),
        (lambda g, W, z: 2 * residual_backward(g, W, z), "2 times the right answer"),
        (lambda g, W, z: residual_backward(G, W, Z), "right for the given inputs but not"),
        (lambda g, W, z: residual_backward(g, W, z).T, "transpose"),
        (lambda g, W, z: residual_backward(g, W, z)[:, :2], "should have shape (4, 3)"),
        (lambda g, W, z: g @ np.ones((2, 2)), "raised ValueError"),
        (lambda g, W, z: 1 / 0, "raised ZeroDivisionError"),
        (lambda g, W, z: "g + g @ W.T", "number or an array"),
        (lambda g, W, z: (g, g), "shape (2, 4, 3)"),
        ("upstream_grad", "number or an array"),
        (np.full((4, 3), np.nan), "contains nan"),
    ],
)
def test_residual_backward_names_each_mistake(answer, words):
    assert_rejected(check_residual_backward(answer, G, W, Z), words)


def test_residual_backward_a_planted_wrong_array_is_rejected():
    planted = residual_backward(G, W, Z)
    planted[1, 2] += 0.1
    assert_rejected(check_residual_backward(planted, G, W, Z), "1 of 12 entries differ")


@pytest.mark.parametrize(("args", "error", "words"), [
    ((G, rng.normal(size=(3, 2)), Z), ValueError, "do not fit"),
    ((G, W, Z[:, :2]), ValueError, "do not fit"),
    ((G[0], W, Z), ValueError, "upstream_grad"),
    ((G, W, Z, "softmax"), ValueError, "activation"),
])
def test_residual_backward_bad_problem_data_raises(args, error, words):
    with pytest.raises(error, match=words):
        check_residual_backward(residual_backward, *args)


# --- check_gradient_scale (lesson 09, Exercise 2) ------------------------------------------


@pytest.mark.parametrize(("scale", "n_layers"), [(1.5, 10), (1.0, 10), (2.0, 3), (0.7, 2)])
def test_gradient_scale_accepts_the_factor_once_per_step(scale, n_layers):
    feedback = check_gradient_scale((scale**2 / 2) ** (n_layers - 1), scale, n_layers)
    assert_accepted(feedback)
    assert f"there are {n_layers - 1} steps" in feedback.message


def test_gradient_scale_shows_the_measured_ratio():
    feedback = check_gradient_scale(1.125**9, 1.5, 10, 2.8431)
    assert_accepted(feedback)
    assert "measured in the stacks: 2.843" in feedback.message
    assert_rejected(check_gradient_scale(1.125**10, 1.5, 10, 2.8431),
                    "measured in the stacks: 2.843")


@pytest.mark.parametrize("missing", [None, ...])
def test_gradient_scale_not_done(missing):
    assert_not_done(check_gradient_scale(missing, 1.5, 10))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (1.125**10, "10 factors, one per layer"),
        (1.125**8, "that is 8 factors"),
        (1.125**-9, "upside down"),
        (1.125, "the factor of one step"),
        ((1.5 / math.sqrt(2)) ** 9, "root-mean-squares"),
        (1.5**18, "you left out relu'(z)"),
        ((1.5**2 / 4) ** 9, "once per step, not twice"),
        (0.75**9, "the scale enters squared"),
        (1.125 * 9, "you multiplied the factor by 9"),
        (0.5**9, "LeCun's ratio"),
        (1.0, "He's ratio"),
        (2.9, "is close"),
        (5.0, "too high"),
        (1.5, "too low"),
        ("2.887", "should be a number"),
        (True, "should be a number"),
        (np.array([2.887]), "should be a number"),
        (lambda: 2.887, "should be a number"),
    ],
)
def test_gradient_scale_names_each_mistake(answer, words):
    assert_rejected(check_gradient_scale(answer, 1.5, 10), words)


def test_gradient_scale_does_not_call_the_truth_a_mistake():
    # at s = 1 the truth 0.5 ** 9 is also "LeCun's ratio"; at s = sqrt(2) 1 is "He's"
    assert_accepted(check_gradient_scale(0.5**9, 1.0, 10))
    assert_accepted(check_gradient_scale(1.0, math.sqrt(2), 10))


@pytest.mark.parametrize(("scale", "n_layers", "measured", "error", "words"), [
    (0, 10, None, ValueError, "scale"), (-1.5, 10, None, ValueError, "scale"),
    (1.5, 1, None, ValueError, "n_layers"), (1.5, 2.5, None, ValueError, "n_layers"),
    (1.5, 10, -1.0, ValueError, "measured"), ("1.5", 10, None, TypeError, "scale"),
])
def test_gradient_scale_bad_problem_data_raises(scale, n_layers, measured, error, words):
    with pytest.raises(error, match=words):
        check_gradient_scale(2.887, scale, n_layers, measured)


def test_the_gradient_rule_is_what_a_relu_stack_measures():
    # mean delta² in the first of n square ReLU layers over that in the last, many networks
    width, scale, n_layers = 128, 1.5, 4
    rng_stack = np.random.default_rng(0)
    first, last = 0.0, 0.0
    for _ in range(20):
        weights = [rng_stack.normal(size=(width, width)) * scale / math.sqrt(width)
                   for _ in range(n_layers)]
        zs, a = [], rng_stack.normal(size=(256, width))
        for W_k in weights:
            zs.append(a @ W_k)
            a = np.maximum(zs[-1], 0)
        delta = rng_stack.normal(size=zs[-1].shape)  # dL/dz of the last layer
        last += np.mean(delta**2)
        for W_k, z_prev in zip(weights[:0:-1], zs[-2::-1], strict=True):
            delta = (delta @ W_k.T) * (z_prev > 0)
        first += np.mean(delta**2)
    measured = first / last
    assert measured == pytest.approx((scale**2 / 2) ** (n_layers - 1), rel=0.05)
    rule = (scale**2 / 2) ** (n_layers - 1)
    assert_accepted(check_gradient_scale(rule, scale, n_layers, measured))


# --- check_layer_factor, rewritten on the same helpers (lesson 09, Exercise 1) --------------


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (None, "Not done yet"),
        (..., "Not done yet"),
        (lambda: 1.125, "should be a number"),
        ([1.125], "should be a number"),
        (2.25, "left out the ReLU"),
        (1.0, "He's factor"),
    ],
)
def test_layer_factor_answers_in_words(answer, words):
    feedback = check_layer_factor(answer, 1.5)
    assert not feedback.correct and words in feedback.message


# --- grading and speed -------------------------------------------------------------------------


CASES = {
    "sigmoid_chain": (lambda a: check_sigmoid_chain(a, 6, weight=3), 0.75**6, 0.25**6),
    "residual": (lambda a: check_residual_backward(a, G, W, Z), residual_backward,
                 lambda g, W, z: g + g @ W.T),
    "gradient_scale": (lambda a: check_gradient_scale(a, 1.5, 10), 1.125**9, 1.125**10),
    "layer_factor": (lambda a: check_layer_factor(a, 1.5), 1.125, 2.25),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_while_grading_a_wrong_or_missing_answer_raises_and_the_right_one_does_not(
        name, monkeypatch):
    check, right, wrong = CASES[name]
    monkeypatch.setenv(GRADING_VARIABLE, "autograde")
    assert check(right).correct
    with pytest.raises(AnswerNotAccepted):
        check(wrong)
    with pytest.raises(AnswerNotAccepted, match="Not done yet"):
        check(None)


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_check_answers_well_under_a_second(name):
    check, right, wrong = CASES[name]
    for answer in (right, wrong, None):
        start = time.perf_counter()
        check(answer)
        assert time.perf_counter() - start < 0.5


# --- check_difference_passes (lesson 08, Exercise 3) ------------------------------------------


def test_difference_passes_accepts_two_passes_per_parameter():
    feedback = check_difference_passes(10_100, 32, 100, 50)
    assert_accepted(feedback)
    assert "5,050 parameters" in feedback.message
    assert_accepted(check_difference_passes(10_100.0, 32, 100, 50))
    assert_accepted(check_difference_passes(np.int64(2 * (3 * 2 + 2)), 1, 3, 2))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (10_100 * 32, "one pass handles the whole batch"),
        (10_101, "no pass of the unchanged network"),
        (5_051, "forward differences"),
        (10_000, "forgot the biases"),
        (5_050, "two passes per parameter"),
        (7, "count the numbers the layer learns"),
        (7.5, "count the numbers the layer learns"),
        ("10100", "should be a whole number"),
        (True, "should be a whole number"),
        ([10_100], "should be a whole number"),
    ],
)
def test_difference_passes_names_each_mistake(answer, words):
    feedback = check_difference_passes(answer, 32, 100, 50)
    assert_rejected(feedback, words)
    assert "10,100" not in feedback.message and "10100 " not in feedback.message


@pytest.mark.parametrize("missing", [None, ...])
def test_difference_passes_not_done(missing):
    feedback = check_difference_passes(missing, 32, 100, 50)
    assert_not_done(feedback)
    assert "difference_passes" in feedback.message


@pytest.mark.parametrize(("sizes", "error"), [((0, 100, 50), ValueError),
                                              ((32, 1.5, 50), (TypeError, ValueError))])
def test_difference_passes_bad_problem_data_raises(sizes, error):
    with pytest.raises(error, match="n_rows|n_in|n_out"):
        check_difference_passes(10_100, *sizes)


def test_difference_passes_under_grading(monkeypatch):
    monkeypatch.setenv(GRADING_VARIABLE, "autograde")
    with pytest.raises(AnswerNotAccepted, match="whole batch"):
        check_difference_passes(10_100 * 32, 32, 100, 50)
    assert check_difference_passes(10_100, 32, 100, 50).correct


# --- check_first_layer_share (lesson 08, Exercise 4) ------------------------------------------

GIVEN = 1.6  # the backward pass over the forward pass, as the exercise gives it
SHARE = 2 - GIVEN  # dL/dW of every layer (1) plus dL/dX of all but the first (1 - share)


def test_first_layer_share_accepts_two_minus_the_ratio():
    feedback = check_first_layer_share(SHARE, GIVEN)
    assert_accepted(feedback)
    assert "2 - share = 1.6" in feedback.message and "0.4" in feedback.message
    assert_accepted(check_first_layer_share(0.4, backward_ratio=1.6))
    assert_accepted(check_first_layer_share(np.float64(0.4), 1.6))
    assert_accepted(check_first_layer_share(2 / 5, 1.6))
    assert_accepted(check_first_layer_share(0.25, 1.75))


def _counted_ratio(sizes):
    """Backward over forward multiply-adds of Dense layers, counted as the package's layers
    compute them, leaving out the first layer's dL/dX."""
    from helpers.layers import Dense

    network = [Dense(n_in, n_out, rng=k) for k, (n_in, n_out)
               in enumerate(zip(sizes[:-1], sizes[1:], strict=True))]
    forward = sum(layer.W.size for layer in network)  # multiply-adds per row
    return network[0].W.size / forward, (2 * forward - network[0].W.size) / forward


@pytest.mark.parametrize("sizes", [[64, 128, 64, 64], [784, 256, 128, 10], [16, 512, 512, 10]])
def test_the_share_the_check_holds_is_what_the_layers_count(sizes):
    share, ratio = _counted_ratio(sizes)
    assert_accepted(check_first_layer_share(share, ratio))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (1.6, "is the backward pass over the forward pass"),
        (1 / 1.6, "1 / 1.6 is the forward pass over the backward pass"),
        (0.625, "1 / 1.6"),
        (0.2, ("you skipped both of the first layer's products", "dL/dW is still needed")),
        (0.6, "share of the layers after the first"),
        (40, "not as a percentage"),
        (1.4, "do not add the forward pass"),
        (-0.4, "sign is flipped"),
        (0.855, "section 2's 784-256-128-10 network"),
        (0.86, "section 2's 784-256-128-10 network"),
        (0.401, "close, but the count gives it exactly"),
        (0.5, "too large"),
        (0.1, "too small"),
        (1.15, "lies between 0 and 1"),
        (0, "lies between 0 and 1"),
        ("0.4", "should be a number"),
        ([0.4], "should be a number"),
        (True, "should be a number"),
        (lambda: 0.4, "should be a number"),
    ],
)
def test_first_layer_share_names_each_mistake(answer, words):
    words = (words,) if isinstance(words, str) else words
    feedback = check_first_layer_share(answer, GIVEN)
    assert_rejected(feedback, *words)
    # a wrong answer is never told the share (past its own value, which the message repeats)
    if isinstance(answer, int | float) and not isinstance(answer, bool):
        told = feedback.message.split(" is ", 1)[-1]
        for given_away in ("0.4", "40%", "expected"):
            assert given_away not in told


@pytest.mark.parametrize("wrong", [0.3, 0.45, 0.7, 0.9, 0.05, 2.0, 1.0, 100])
def test_first_layer_share_rejects_planted_wrong_answers(wrong):
    assert not check_first_layer_share(wrong, GIVEN).correct


@pytest.mark.parametrize("missing", [None, ...])
def test_first_layer_share_not_done(missing):
    feedback = check_first_layer_share(missing, GIVEN)
    assert_not_done(feedback, "first_layer_share")


def test_first_layer_share_a_mistake_that_equals_the_truth_is_no_mistake():
    # the truth is near section 2's share: that is no mistake
    share, ratio = _counted_ratio([784, 256, 128, 10])
    assert_accepted(check_first_layer_share(share, ratio))


@pytest.mark.parametrize(("ratio", "error"), [(2, ValueError), (1, ValueError),
                                              (2.5, ValueError), ("1.6", TypeError),
                                              (True, TypeError)])
def test_first_layer_share_bad_problem_data_raises(ratio, error):
    with pytest.raises(error, match="backward_ratio"):
        check_first_layer_share(SHARE, ratio)


def test_first_layer_share_under_grading(monkeypatch):
    monkeypatch.setenv(GRADING_VARIABLE, "autograde")
    with pytest.raises(AnswerNotAccepted, match="dL/dW is still needed"):
        check_first_layer_share(0.2, GIVEN)
    with pytest.raises(AnswerNotAccepted):
        check_first_layer_share(0.5, GIVEN)
    assert check_first_layer_share(SHARE, GIVEN).correct


def test_first_layer_share_answers_quickly():
    start = time.perf_counter()
    for answer in (SHARE, 0.2, 0.5, None, "x"):
        check_first_layer_share(answer, GIVEN)
    assert time.perf_counter() - start < 1
