"""Tests of the checks of lesson 04 (Loss functions: check_huber_gradient,
check_weighted_logit_gradient, check_faded_entries) and lesson 06 (Gradient checking:
check_bug_hunt): right answers pass, each named mistake gets its own message, nothing raises
because of the learner's answer, and a wrong answer raises only while nbgrader grades."""

import copy
import time

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.activations import sigmoid
from helpers.exercises import (
    check_bug_hunt,
    check_faded_entries,
    check_huber_gradient,
    check_loss_gradient,
    check_weighted_logit_gradient,
)
from helpers.exercises.feedback import AnswerNotAccepted
from helpers.exercises.losses import huber_gradient, weighted_logit_gradient
from helpers.gradcheck import TOLERANCE, numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import binary_cross_entropy
from helpers.network import Network


def broken(*args):
    raise KeyError("no such entry")


def unfinished(*args):
    ...  # YOUR CODE HERE


# --- lesson 04, exercise 1: the Huber gradient -------------------------------------------------

PRED_H = np.array([[0.3, 2.5], [1.7, -0.4], [-0.8, 3.0], [0.1, -1.5], [2.2, 0.6]])
TARGET_H = np.array([[0.0, 0.0], [0.5, 0.0], [0.0, -0.2], [0.4, 0.0], [0.0, 1.0]])


def huber_loss(prediction, target):
    r = prediction - target
    return float(np.sum(np.where(np.abs(r) <= 1, 0.5 * r**2, np.abs(r) - 0.5)) / len(r))


def huber(answer):
    return check_huber_gradient(answer, PRED_H, TARGET_H)


def right_huber(prediction, target):
    return np.clip(prediction - target, -1, 1) / len(prediction)


def test_the_huber_gradient_is_central_differences_of_the_loss():
    rng = np.random.default_rng(0)
    for _ in range(5):
        target = rng.normal(size=(6, 3))
        prediction = target + rng.normal(0, 2, size=(6, 3))
        numeric = numeric_gradient(lambda q, t=target: huber_loss(q, t), prediction)
        assert relative_error(huber_gradient(prediction, target), numeric) < TOLERANCE


def test_the_right_huber_gradient_is_accepted():
    assert_accepted(huber(right_huber(PRED_H, TARGET_H)))
    feedback = huber(right_huber)
    assert_accepted(feedback)
    assert "and 3 others" in feedback.message


@pytest.mark.parametrize(("answer", "words"), [
    (lambda p, t: (p - t) / len(p), "gradient of mean squared error"),
    (lambda p, t: np.sign(p - t) / len(p), "gradient of the absolute error"),
    (lambda p, t: np.clip(t - p, -1, 1) / len(p), "sign is flipped"),
    (lambda p, t: np.where(np.abs(p - t) <= 1, p - t, 1.0) / len(p), "where r < -1"),
    (lambda p, t: 2 * np.clip(p - t, -1, 1) / len(p), "twice too large"),
    (lambda p, t: np.clip(p - t, -1, 1), "5 times too large"),
    (lambda p, t: np.clip(p - t, -1, 1) / len(p) ** 2, "divided by n twice"),
    (lambda p, t: np.clip(p - t, -1, 1) / p.size, "all n k = 10 entries"),
], ids=["mse", "mae", "swapped", "slope +1", "no half", "no 1/n", "1/n twice", "n k"])
def test_each_huber_mistake_is_named(answer, words):
    assert_rejected(huber(answer), words)


def test_huber_rejects_planted_wrong_answers():
    assert_rejected(huber(lambda p, t: right_huber(PRED_H, TARGET_H)), "right for the given",
                    "not for other")
    assert_rejected(huber(np.zeros_like(PRED_H)), "all zeros")
    assert_rejected(huber(right_huber(PRED_H, TARGET_H) + 0.01), "not right yet")


@pytest.mark.parametrize("missing", [None, ..., unfinished], ids=["None", "Ellipsis", "body"])
def test_huber_not_done_yet(missing):
    assert_not_done(huber(missing))


def test_huber_bad_answers_give_messages_not_tracebacks():
    assert_rejected(huber(broken), "raised KeyError", "no such entry")
    assert_rejected(huber("clip(r)"), "should be a number or an array", "the text")
    assert_rejected(huber(right_huber(PRED_H, TARGET_H)[:, :1]), "shape (5, 1)", "(5, 2)")
    assert_rejected(huber(lambda p, t: "r"), "should be a number or an array")


def test_huber_bad_problem_data_raises():
    with pytest.raises(ValueError, match="same shape"):
        check_huber_gradient(None, PRED_H, TARGET_H[:, :1])


# --- lesson 04, exercise 2: binary cross-entropy from logits with pos_weight -------------------

Z_W = np.array([[2.0], [-1.0], [0.5], [-3.0], [1.5]])
Y_W = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
W = 3.0


def weighted_loss(z, y, w):
    return float(np.sum(w * y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)) / len(z))


def weighted(answer):
    return check_weighted_logit_gradient(answer, Z_W, Y_W, W)


def right_weighted(z, y):
    p = sigmoid(z)
    return ((1 - y) * p - W * y * (1 - p)) / len(z)


def test_the_weighted_gradient_is_central_differences_of_the_loss():
    rng = np.random.default_rng(1)
    for w in (0.5, 3.0, 10.0):
        z, y = rng.normal(0, 3, size=(7, 2)), rng.uniform(size=(7, 2))
        numeric = numeric_gradient(lambda q, y_=y, w_=w: weighted_loss(q, y_, w_), z)
        assert relative_error(weighted_logit_gradient(z, y, w), numeric) < TOLERANCE
    z, y = rng.normal(size=(4, 1)), rng.uniform(size=(4, 1))
    np.testing.assert_allclose(weighted_logit_gradient(z, y, 1.0), (sigmoid(z) - y) / 4)


def test_the_right_weighted_gradient_is_accepted():
    assert_accepted(weighted(right_weighted(Z_W, Y_W)))
    feedback = weighted(right_weighted)
    assert_accepted(feedback)
    assert "and 3 others" in feedback.message


@pytest.mark.parametrize(("answer", "words"), [
    (lambda z, y: (sigmoid(z) - y) / len(z), "without the weight"),
    (lambda z, y: W * (sigmoid(z) - y) / len(z), "whole gradient by pos_weight"),
    (lambda z, y: (W * (1 - y) * sigmoid(z) - y * (1 - sigmoid(z))) / len(z), "on the (1 - y)"),
    (lambda z, y: -right_weighted(z, y), "sign is flipped"),
    (lambda z, y: right_weighted(z, y) * len(z), "5 times too large"),
    (lambda z, y: right_weighted(z, y) / len(z), "divided by n twice"),
], ids=["unweighted", "all weighted", "negative weighted", "sign", "no 1/n", "1/n twice"])
def test_each_weighted_mistake_is_named(answer, words):
    assert_rejected(weighted(answer), words)


def test_weighted_rejects_planted_wrong_answers():
    fixed = right_weighted(Z_W, Y_W)
    assert_rejected(weighted(lambda z, y: fixed), "right for the given", "not for other")
    assert_rejected(weighted(fixed + 0.05), "not right yet")


@pytest.mark.parametrize("missing", [None, ..., unfinished], ids=["None", "Ellipsis", "body"])
def test_weighted_not_done_yet(missing):
    assert_not_done(weighted(missing))


def test_weighted_bad_answers_give_messages_not_tracebacks():
    assert_rejected(weighted(broken), "raised KeyError")
    assert_rejected(weighted({"dz": 1}), "should be a number or an array")
    assert_rejected(weighted(np.ones(3)), "shape (3,)", "(5, 1)")


@pytest.mark.parametrize(("y", "w", "match"), [
    (Y_W, 1.0, "pos_weight is 1"), (Y_W, -2.0, "pos_weight"), (Y_W + 1, 3.0, "y"),
    (Y_W[:3], 3.0, "same shape"),
])
def test_weighted_bad_problem_data_raises(y, w, match):
    with pytest.raises(ValueError, match=match):
        check_weighted_logit_gradient(None, Z_W, y, w)


# --- lesson 04, exercise 3: which entries fade ------------------------------------------------

Z_C = np.array([[1.0], [-2.0], [20.0], [33.0], [-35.0], [-30.0]])
Y_C = np.array([[1.0], [0.0], [0.0], [0.0], [1.0], [0.0]])


def faded(answer):
    return check_faded_entries(answer, Z_C, Y_C)


@pytest.mark.parametrize("answer", [[3, 4], (4, 3), {3, 4}, np.array([3, 4]), [3, 4, 4],
                                    [np.int64(3), 4.0]])
def test_the_right_entries_are_accepted(answer):
    assert_accepted(faded(answer))


def test_no_wrong_entry_is_an_empty_list():
    assert_accepted(check_faded_entries([], np.array([1.0, -2.0]), np.array([1.0, 0.0])))
    assert_accepted(check_faded_entries(range(0), np.array([1.0, -2.0]), np.array([1.0, 0.0])))


@pytest.mark.parametrize(("answer", "words"), [
    ([3], ["1 wrong entry is missing"]),
    ([4], ["1 wrong entry is missing"]),
    ([3, 4, 5], ["entry 5 is right", "confidently right", "1 / (1 - p)"]),
    ([2, 3, 4], ["entry 2 is right", "nothing is clipped", "1 - p = 2.1e-09"]),
    ([4, 5], ["counted from 1"]),
    ([], ["you listed none", "2 wrong entries are missing"]),
    ([0, 1, 2, 3, 4, 5], ["entry 0 is right", "entry 1 is right"]),
])
def test_each_faded_mistake_is_named(answer, words):
    assert_rejected(faded(answer), *words)


@pytest.mark.parametrize(("answer", "words"), [
    ("3, 4", ["list of indices", "the text"]),
    (3.5, ["list of indices", "a float"]),
    ([1.5], ["whole numbers", "1.5"]),
    ([True], ["whole numbers"]),
    ([6], ["index 6", "indices 0 to 5"]),
    ([-1], ["index -1"]),
    (lambda: [3, 4], ["list of indices", "a function"]),
])
def test_faded_bad_answers_give_messages_not_tracebacks(answer, words):
    assert_rejected(faded(answer), *words)


@pytest.mark.parametrize("missing", [None, ..., [3, None]], ids=["None", "Ellipsis", "inside"])
def test_faded_not_done_yet(missing):
    assert_not_done(faded(missing))


def test_a_single_index_counts_as_a_list_of_one():
    assert_rejected(faded(3), "1 wrong entry is missing")


def test_faded_bad_problem_data_raises():
    with pytest.raises(ValueError, match="one column"):
        check_faded_entries([], np.zeros((3, 2)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="same shape"):
        check_faded_entries([], Z_C, Y_C[:2])


# --- lesson 06, exercise 2: the bug hunt ------------------------------------------------------


class Linear(Dense):
    def backward(self, upstream_grad):
        self.dW = self.x.T @ upstream_grad
        self.db = upstream_grad.sum(axis=0)
        return upstream_grad @ self.W.T


class MeanBiasLinear(Linear):
    def backward(self, upstream_grad):
        dx = super().backward(upstream_grad)
        self.db = upstream_grad.mean(axis=0)
        return dx


class Tanh(ActivationLayer):
    def __init__(self):
        super().__init__("tanh")

    def backward(self, upstream_grad):
        return upstream_grad * (1 - self.a**2)


class Softplus(ActivationLayer):
    def __init__(self):
        super().__init__("identity")
        self.name = "softplus"

    def forward(self, z):
        self.z, self.a = z, np.logaddexp(0.0, z)
        return self.a

    def backward(self, upstream_grad):
        return upstream_grad * sigmoid(self.a)


class RightSoftplus(Softplus):
    def backward(self, upstream_grad):
        return upstream_grad * sigmoid(self.z)


def mystery_network(softplus=Softplus, last=Linear):
    return Network([Linear(2, 4, rng=1), Tanh(), Linear(4, 3, rng=2), softplus(),
                    last(3, 1, rng=3)])


rng_hunt = np.random.default_rng(5)
X_HUNT = rng_hunt.normal(size=(6, 2))
Y_HUNT = rng_hunt.normal(size=(6, 1))
MYSTERY = mystery_network()


def hunt(bug_layer, fixed_backward, network=MYSTERY):
    return check_bug_hunt(bug_layer, fixed_backward, network, X_HUNT, Y_HUNT, "mse",
                          name="mystery")


def right_fix(layer, upstream_grad):
    return upstream_grad * sigmoid(layer.z)


def test_the_right_hunt_is_accepted():
    feedback = hunt(3, right_fix)
    assert_accepted(feedback)
    assert "bug_layer and fixed_backward are right; fixed_backward was tried at the layer's " \
        "input and 3 others." in feedback.message
    assert_accepted(hunt(np.int64(3), right_fix))


def test_the_check_leaves_the_learners_network_alone():
    before = copy.deepcopy([layer.parameters() for layer in MYSTERY.layers])
    hunt(3, right_fix)
    after = [layer.parameters() for layer in MYSTERY.layers]
    for old, new in zip(before, after, strict=True):
        for key in old:
            np.testing.assert_array_equal(old[key], new[key])


@pytest.mark.parametrize(("index", "words"), [
    (0, ["layer 0 (Dense(2→4)) is not it", "only because a wrong gradient", "nearer the output"]),
    (1, ["layer 1 (tanh) is not it", "nearer the output"]),
    (2, ["layer 2 (Dense(4→3)) is not it", "Its W and b disagree", "nearer the output"]),
    (4, ["layer 4 (Dense(3→1)) is not it", "its own backward is right", "nearer the input"]),
])
def test_a_wrong_layer_is_named_with_the_way_to_look(index, words):
    feedback = hunt(index, right_fix)
    assert_rejected(feedback, "Your bug_layer is not right", *words)
    assert "fixed_backward is checked once bug_layer is right" in feedback.message


@pytest.mark.parametrize(("fix", "words"), [
    (lambda layer, g: g * sigmoid(layer.a), "the bug is still there"),
    (lambda layer, g: g, "passed upstream_grad back unchanged"),
    (lambda layer, g: g * layer.a, "output a"),
    (lambda layer, g: sigmoid(layer.z), "local derivative alone"),
    (lambda layer, g: -g * sigmoid(layer.z), "sign is flipped"),
    (lambda layer, g: g[:2] * sigmoid(layer.z[:2]), "shape (2, 3)"),
    (broken, "raised KeyError"),
    ("g * sigmoid(z)", "should be a function"),
], ids=["original", "no derivative", "output", "no upstream", "sign", "shape", "raises",
        "text"])
def test_each_wrong_fix_is_named(fix, words):
    feedback = hunt(3, fix)
    assert_rejected(feedback, "bug_layer is right", words)


def test_a_fix_right_for_one_input_only_is_rejected():
    values = X_HUNT  # the input z of layer 3, worked out once and written in
    for step in MYSTERY.layers[:3]:
        values = copy.deepcopy(step).forward(values)
    fixed_z = values.copy()

    def hard_coded(layer, g):
        return g * sigmoid(fixed_z)

    assert_rejected(hunt(3, hard_coded), "right for the layer's own input but not for another")


@pytest.mark.parametrize(("bug_layer", "fix"), [(None, right_fix), (..., right_fix),
                                                (3, None), (3, ...), (3, unfinished)])
def test_the_hunt_not_done_yet(bug_layer, fix):
    assert_not_done(hunt(bug_layer, fix))


@pytest.mark.parametrize(("bug_layer", "words"), [
    ("3", ["whole number from 0 to 4", "the text '3'"]),
    (3.0, ["whole number", "a float"]),
    (True, ["whole number"]),
    (5, ["has 5 layers", "indices 0 to 4"]),
    (-1, ["indices 0 to 4"]),
])
def test_bad_bug_layers_give_messages_not_tracebacks(bug_layer, words):
    assert_rejected(hunt(bug_layer, right_fix), *words)


def test_a_bug_in_a_dense_layer_is_judged_on_dW_db_and_dx():
    network = mystery_network(softplus=RightSoftplus, last=MeanBiasLinear)

    def fixed(layer, g):
        layer.dW, layer.db = layer.x.T @ g, g.sum(axis=0)
        return g @ layer.W.T

    def still_mean(layer, g):
        layer.dW, layer.db = layer.x.T @ g, g.mean(axis=0)
        return g @ layer.W.T

    assert_accepted(hunt(4, fixed, network))
    assert_rejected(hunt(4, still_mean, network), "db that fixed_backward sets",
                    "the bug is still there")
    assert_rejected(hunt(2, fixed, network), "nearer the output")


def test_the_hunt_bad_problem_data_raises():
    with pytest.raises(ValueError, match="0 layers"):
        hunt(3, right_fix, mystery_network(softplus=RightSoftplus))
    with pytest.raises(ValueError, match="2 layers"):
        hunt(3, right_fix, mystery_network(last=MeanBiasLinear))
    with pytest.raises(TypeError, match="expected a Network"):
        check_bug_hunt(3, right_fix, [Linear(2, 1)], X_HUNT, Y_HUNT, "mse")


# --- all four: grading and speed ---------------------------------------------------------------

RIGHT_AND_WRONG = [
    ("huber", lambda: huber(right_huber), lambda: huber(lambda p, t: (p - t) / len(p))),
    ("weighted", lambda: weighted(right_weighted), lambda: weighted(None)),
    ("faded", lambda: faded([3, 4]), lambda: faded([3])),
    ("hunt", lambda: hunt(3, right_fix), lambda: hunt(2, right_fix)),
]


@pytest.mark.parametrize(("name", "right", "wrong"), RIGHT_AND_WRONG,
                         ids=[case[0] for case in RIGHT_AND_WRONG])
def test_while_grading_a_wrong_answer_raises_and_a_right_one_does_not(name, right, wrong,
                                                                      monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert_accepted(right())
    with pytest.raises(AnswerNotAccepted):
        wrong()


@pytest.mark.parametrize(("name", "right", "wrong"), RIGHT_AND_WRONG,
                         ids=[case[0] for case in RIGHT_AND_WRONG])
def test_each_check_answers_well_under_a_second(name, right, wrong):
    for answer in (right, wrong):
        start = time.perf_counter()
        answer()
        assert time.perf_counter() - start < 0.5


# --- lesson 04, exercises 2 and 3, and lesson 06, exercise 1: mistakes named ------------------


def test_weighted_forgotten_chain_rule_is_named():
    def one_over_sigma(z, y):
        s = sigmoid(z)
        return (-W * y / s + (1 - y) / (1 - s)) / len(z)

    assert_rejected(weighted(one_over_sigma), "as 1 / sigmoid(z)", "chain rule")


@pytest.mark.parametrize("answer", [
    lambda z, y: (1 + (W - 1) * y) * (sigmoid(z) - y) / len(z),
    lambda z, y: np.where(y == 1, W * (sigmoid(z) - y), sigmoid(z) - y) / len(z),
], ids=["weight factor", "where"])
def test_weighted_formulas_right_only_for_hard_targets_are_rejected(answer):
    assert_accepted(weighted(answer(Z_W, Y_W)))  # right for the targets 0 and 1 given
    assert_rejected(weighted(answer), "right only for targets 0 and 1", "soft target")


def test_faded_counts_come_first_and_missing_entries_are_not_named():
    feedback = faded([])
    assert_rejected(feedback, "2 wrong entries are missing")
    assert "entry 3" not in feedback.message and "entry 4" not in feedback.message
    feedback = faded([2, 3])
    assert_rejected(feedback, "1 wrong entry is missing and 1 of the entries you listed is "
                    "right", "entry 2 is right")
    assert "entry 4" not in feedback.message


P_EX = np.array([[0.2], [0.7], [0.9]])
Y_EX = np.array([[0.0], [1.0], [1.0]])
H_EX = 1e-5


def bce(q):
    return binary_cross_entropy(q, Y_EX)


def by_hand(h=H_EX, copy=True, at_once=False):
    p, numeric = P_EX.copy(), np.zeros_like(P_EX)
    for i in range(len(p)):
        up, down = (p.copy(), p.copy()) if copy else (p, p)
        if at_once:
            up, down = p + h, p - h
        else:
            up[i, 0] += h
            down[i, 0] -= h
        numeric[i, 0] = (bce(up) - bce(down)) / (2 * h)
    return numeric


def central(answer):
    return check_loss_gradient(answer, "binary_cross_entropy", P_EX, Y_EX, h=H_EX,
                               names=("p", "y_ex"), h_name="h_ex")


def test_central_difference_by_hand_is_accepted_with_neutral_praise():
    feedback = central(by_hand())
    assert_accepted(feedback)
    assert "Your central differences agree" not in feedback.message
    exact = (P_EX - Y_EX) / (len(P_EX) * P_EX * (1 - P_EX))
    assert_accepted(central(exact))


@pytest.mark.parametrize(("answer", "words"), [
    (lambda: by_hand(copy=False), ["all zeros", "up = p", "not a copy"]),
    (lambda: by_hand(at_once=True), ["all the entries of p at once"]),
    (lambda: by_hand(h=1e-2), ["step 0.01, not h_ex = 1e-05"]),
], ids=["no copy", "at once", "other step"])
def test_central_difference_mistakes_are_named(answer, words):
    assert_rejected(central(answer()), *words)


def test_central_difference_grading(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert central(by_hand()).correct
    with pytest.raises(AnswerNotAccepted):
        central(by_hand(copy=False))


def test_bug_hunt_fix_with_the_sigmoid_derivative_is_named():
    def sigmoid_slope(layer, g):
        s = sigmoid(layer.z)
        return g * s * (1 - s)

    assert_rejected(hunt(3, sigmoid_slope), "the derivative of the sigmoid", "softplus")


# --- changes after a second reading: hard-coded n, the exercise's names, nudges, counting -------


def test_huber_with_n_written_in_is_rejected_at_a_batch_of_another_size():
    feedback = huber(lambda p, t: np.clip(p - t, -1.0, 1.0) / 5)
    assert_rejected(feedback, "right for the given inputs but not for others",
                    "prediction of shape (7, 2)", "you divided by 5", "len(prediction)")


def test_weighted_with_n_written_in_is_rejected_at_a_batch_of_another_size():
    def fixed_n(z, y):
        s = sigmoid(z)
        return ((1 - y) * s - W * y * (1 - s)) / 5

    assert_rejected(weighted(fixed_n), "z of shape (7, 1)", "you divided by 5", "len(z)")


def test_central_difference_messages_use_the_exercises_names():
    def exercise(answer):
        return check_loss_gradient(answer, "binary_cross_entropy", P_EX, Y_EX, h=H_EX,
                                   names=("p", "y_ex", "h_ex"))

    feedback = exercise(by_hand())
    assert_accepted(feedback)
    assert "Your numeric agrees" in feedback.message
    assert_not_done(exercise(None), "your numeric")
    forward = np.zeros_like(P_EX)
    for i in range(len(P_EX)):
        up = P_EX.copy()
        up[i, 0] += H_EX
        forward[i, 0] = (bce(up) - bce(P_EX)) / H_EX
    feedback = exercise(forward)
    assert_rejected(feedback, "Your numeric is not right", "(L(p + h_ex) - L(p)) / h_ex",
                    "2 * h_ex")
    assert "by 2h" not in feedback.message
    assert_rejected(exercise(2 * by_hand()), "you divided by h_ex", "2 * h_ex apart")
    with pytest.raises(ValueError, match="names"):
        check_loss_gradient(None, "mse", P_EX, Y_EX, names=("p",))


def test_nudges_never_undone_are_named():
    p, numeric = P_EX.copy(), np.zeros_like(P_EX)
    up, down = p.copy(), p.copy()  # once, before the loop
    for i in range(len(p)):
        up[i, 0] += H_EX
        down[i, 0] -= H_EX
        numeric[i, 0] = (bce(up) - bce(down)) / (2 * H_EX)
    assert_rejected(central(numeric), "never undid the earlier nudges",
                    "fresh copies of p inside the loop")


def test_bug_layer_counted_from_1_is_named():
    assert_rejected(hunt(4, right_fix), "count from 1", "Python counts from 0",
                    "mystery.layers has index 0")
    feedback = hunt(2, right_fix)  # not the one counted from 1
    assert_rejected(feedback, "nearer the output")
    assert "count from 1" not in feedback.message
