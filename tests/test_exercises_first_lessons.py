"""Tests of the checks of lessons 00, 01 and 02: check_prediction, check_descent_step,
check_parameter_count, check_pre_activation in one neuron's notation, check_two_layer_forward's
bug hunt, check_elu and check_activation on a batch of softmax scores.

Each check: the true answer passes; each named mistake gets its own message; planted wrong
answers are rejected; None, ... and a function returning None are "not done yet"; a function
that raises and an answer of the wrong type or shape give a message, never a traceback; while
nbgrader grades, a wrong answer raises AnswerNotAccepted and a right one does not; bad problem
data raises early, naming the argument; every check answers well under a second.
"""

import time

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.exercises import (
    check_activation,
    check_descent_step,
    check_elu,
    check_parameter_count,
    check_pre_activation,
    check_prediction,
    check_two_layer_forward,
)
from helpers.exercises.feedback import AnswerNotAccepted
from helpers.gradcheck import TOLERANCE, numeric_gradient, relative_error


def boom(*args):
    raise RuntimeError("oops")


# ------------------------------------------------------------- the lessons' problem data

# lesson 00, exercise 1: one neuron, in the notation w @ x + b
x0 = np.array([1.0, 2.0, -1.0])
w0 = np.array([0.5, -0.25, 1.0])
b0 = 0.5

# lesson 01, exercise 4: the bug hunt
X_two = np.array([[0.0, 1.0], [1.0, -1.0], [2.0, 0.5], [-1.0, -2.0]])
W1 = np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]])
b1 = np.array([0.0, 0.1, -0.1])
W2 = np.array([[1.0], [-2.0], [0.5]])
b2 = np.array([0.3])
DATA = (X_two, W1, b1, W2, b2)
ID = {"hidden": "tanh", "output": "identity"}


def buggy_forward(X, W1, b1, W2, b2):
    Z1 = X @ W1 + b2
    A1 = np.tanh(Z1)
    Z2 = A1 @ W2 + b2
    return np.tanh(Z2)


def fixed_forward(X, W1, b1, W2, b2):
    return np.tanh(X @ W1 + b1) @ W2 + b2


# lesson 02: ELU and a batch of scores
z_check = np.concatenate([np.linspace(-6, -0.25, 24), np.linspace(0.25, 6, 24)])
ALPHA = 0.5
score_rows = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0],
                       [0.0, 0.0, 0.0]])


def elu(z, alpha):
    return np.where(z > 0, z, alpha * (np.exp(np.minimum(z, 0)) - 1))


def elu_derivative(z, alpha):
    return np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0)))


def batch_softmax(Z):
    exps = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return exps / exps.sum(axis=-1, keepdims=True)


# ------------------------------------------------------------------------ check_prediction


def test_prediction_of_a_number():
    assert_accepted(check_prediction(1.4, 1.4, "w_after"))
    assert_accepted(check_prediction(np.float64(1.4) + 1e-9, 1.4, "w_after"))
    assert_rejected(check_prediction(np.array([1.4]), 1.4, "w_after"), "plain number")
    assert_rejected(check_prediction(0.6, 1.4, "w_after", mistakes=[(0.6, "you went uphill.")]),
                    "Your w_after is not right: you went uphill.")
    wrong = check_prediction(1.0, 1.4, "w_after")  # a prediction: the truth is not shown
    assert_rejected(wrong, "Your w_after is not right yet.")
    assert "1.4" not in wrong.message and "expected" not in wrong.message
    assert_rejected(check_prediction(1.3999, 1.4, "w_after"), "It is close", "more digits")
    assert "times the right answer" not in check_prediction(2.8, 1.4, "w_after").message
    assert check_prediction(1.4, 1.4, "w", praise="Correct! Well done.").message == \
        "Correct! Well done."


def test_prediction_of_a_shape():
    assert_accepted(check_prediction((5, 2), (5, 2), "shape of Z"))
    assert_accepted(check_prediction([5, 2], (5, 2), "shape of Z"))
    assert_accepted(check_prediction(3, (3,), "shape of b"))
    assert_rejected(check_prediction((2, 5), (5, 2), "shape of Z"), "wrong order")
    assert_rejected(check_prediction((10,), (5, 2), "shape of Z"), "it has 1 axis", "has 2")
    assert_rejected(check_prediction((5, 3), (5, 2), "shape of Z",
                                     mistakes=[((5, 3), "you kept n_in.")]), "you kept n_in.")
    assert_rejected(check_prediction((5, 4), (5, 2), "shape of Z"), "count again")
    assert_rejected(check_prediction("5, 2", (5, 2), "shape of Z"), "should be a shape",
                    "the text")
    assert_rejected(check_prediction((5.0, 2.0), (5, 2), "shape of Z"), "should be a shape")


def test_prediction_of_a_choice():
    choices = ["up", "down"]
    assert_accepted(check_prediction(" Up ", "up", "direction", choices=choices))
    assert_rejected(check_prediction("down", "up", "direction", choices=choices,
                                     mistakes=[("down", "the gradient is negative.")]),
                    "the gradient is negative.")
    assert_rejected(check_prediction("sideways", "up", "direction", choices=choices),
                    "not one of the choices", "'up', 'down'")
    assert_rejected(check_prediction(1, "up", "direction", choices=choices), "'up' or 'down'")


@pytest.mark.parametrize("missing", [None, ...])
def test_prediction_not_done(missing):
    assert_not_done(check_prediction(missing, 1.4, "w_after"))
    assert_not_done(check_prediction(missing, (5, 2), "shape"))
    assert_not_done(check_prediction(missing, "up", "direction"))


def test_prediction_of_the_wrong_type():
    assert_rejected(check_prediction("1.4", 1.4, "w_after"), "should be a number")
    assert_rejected(check_prediction([1.0, 2.0], 1.4, "w_after"), "shape (2,)")


def test_prediction_refuses_bad_problem_data():
    with pytest.raises(TypeError, match="what"):
        check_prediction(1.0, 1.0, "")
    with pytest.raises(ValueError, match="truth"):
        check_prediction((1,), (1, -2), "shape")
    with pytest.raises(ValueError, match="choices"):
        check_prediction("up", "left", "direction", choices=["up", "down"])
    with pytest.raises(TypeError, match="truth"):
        check_prediction(1.0, object(), "value")


# ---------------------------------------------------------------------- check_descent_step


def step(answer):
    return check_descent_step(answer, w=1.0, lr=0.1, target=3.0)


def test_descent_step_right():
    feedback = step(1.4)
    assert_accepted(feedback)
    assert "dL/dw = 2 * (w - target) = -4" in feedback.message
    assert_accepted(step(np.float64(1.4)))
    assert_accepted(step(1.0 - 0.1 * 2 * (1.0 - 3.0)))


@pytest.mark.parametrize("answer, words", [
    (0.6, "stepped up the gradient"),
    (1.2, "you took dL/dw = w - target; the derivative"),
    (0.8, "took dL/dw = w - target and stepped up"),
    (5.0, "forgot the learning rate"),
    (-4.0, "that is the gradient dL/dw"),
    (0.4, "that is only the step -lr * dL/dw"),
    (-0.4, "only the size of the step"),
    (3.0, "one step does not jump to the lowest point"),
    (1.0, "the weight does change"),
])
def test_descent_step_mistakes_are_named(answer, words):
    assert_rejected(step(answer), words)


def test_descent_step_other_wrong_answers():
    assert_rejected(step(1.5), "not right yet")
    assert "1.4" not in step(1.5).message
    assert_rejected(step(1.41), "not right")
    assert_rejected(step("1.4"), "should be a number")
    assert_rejected(step([1.4, 1.4]), "shape (2,)")
    assert_rejected(step(lambda w: 1.4), "should be a number")


@pytest.mark.parametrize("missing", [None, ...])
def test_descent_step_not_done(missing):
    assert_not_done(step(missing))


def test_descent_step_refuses_bad_problem_data():
    with pytest.raises(ValueError, match="lr"):
        check_descent_step(1.4, 1.0, 0.0, 3.0)
    with pytest.raises(ValueError, match="lr"):
        check_descent_step(1.4, 1.0, True, 3.0)
    with pytest.raises(ValueError, match="target"):
        check_descent_step(1.4, 3.0, 0.1, 3.0)
    with pytest.raises((TypeError, ValueError), match="w"):
        check_descent_step(1.4, [1.0, 2.0], 0.1, 3.0)


# ------------------------------------------------------------------- check_parameter_count


def count(answer):
    return check_parameter_count(answer, [4, 6, 3], n_samples=10)


def test_parameter_count_right():
    feedback = count(51)
    assert_accepted(feedback)
    assert "(4*6 + 6) + (6*3 + 3) = 51" in feedback.message
    assert_accepted(count(51.0))
    assert_accepted(count(np.int64(51)))
    assert_accepted(check_parameter_count(4 * 8 + 8 + 8 * 8 + 8 + 8 * 3 + 3, [4, 8, 8, 3], 16))


@pytest.mark.parametrize("answer, words", [
    (42, "weights only"),
    (52, "one bias per input"),
    (510, "multiplied by the 10 samples"),
    (13, "number of neurons (inputs included)"),
    (9, "that is the number of neurons"),
    (55, "the inputs have no bias"),
])
def test_parameter_count_mistakes_are_named(answer, words):
    assert_rejected(count(answer), words)


def test_parameter_count_other_wrong_answers():
    assert_rejected(count(50), "Write down the shape of each layer's weight matrix")
    assert_rejected(count(51.5), "whole number")
    assert_rejected(count("51"), "whole number", "the text")
    assert_rejected(count([51]), "whole number")
    assert_rejected(count(True), "whole number")


@pytest.mark.parametrize("missing", [None, ...])
def test_parameter_count_not_done(missing):
    assert_not_done(count(missing))


def test_parameter_count_refuses_bad_problem_data():
    with pytest.raises(ValueError, match="sizes"):
        check_parameter_count(51, [4], 10)
    with pytest.raises(ValueError, match="sizes"):
        check_parameter_count(51, [4, 0, 3], 10)
    with pytest.raises(ValueError, match="n_samples"):
        check_parameter_count(51, [4, 6, 3], 0)


# ------------------------------------------ check_pre_activation in lesson 00's notation


def test_one_neuron_speaks_of_w_at_x():
    feedback = check_pre_activation(w0 @ x0 + b0, x0, w0, b0)
    assert_accepted(feedback)
    assert feedback.message == "Correct! z = w @ x + b."
    wrong = check_pre_activation(float(np.sum(w0 * x0) - b0), x0, w0, b0)
    assert_rejected(wrong, "subtracted the bias")
    summed = check_pre_activation(w0 * x0 + b0, x0, w0, b0)
    assert_rejected(summed, "did not add the products up", "w @ x + b")
    for feedback in (wrong, summed, check_pre_activation(w0 @ x0, x0, w0, b0)):
        assert "W" not in feedback.message, feedback.message


def test_one_neuron_other_answers():
    assert_rejected(check_pre_activation(-0.4, x0, w0, b0), "not right yet")
    for wrong in (-0.4, 1.0, 0.25):  # one number by hand: the truth is never shown
        message = check_pre_activation(wrong, x0, w0, b0).message
        assert "-0.5" not in message and "times the right answer" not in message, message
    assert_rejected(check_pre_activation("w @ x + b", x0, w0, b0), "should be a number",
                    "the text")
    assert_rejected(check_pre_activation(boom, x0, w0, b0), "raised RuntimeError: oops")
    assert_not_done(check_pre_activation(None, x0, w0, b0))
    assert_not_done(check_pre_activation(..., x0, w0, b0))
    assert_not_done(check_pre_activation(lambda x, w, b: None, x0, w0, b0))
    assert check_pre_activation(-0.5, x0, w0, b0, w_name="weights").message == \
        "Correct! z = weights @ x + b."


# --------------------------------------------------- check_two_layer_forward, the bug hunt


def hunt(answer):
    return check_two_layer_forward(answer, *DATA, **ID, buggy=buggy_forward)


def test_bug_hunt_fixed_function_passes():
    assert_accepted(hunt(fixed_forward))
    assert_accepted(hunt(fixed_forward(*DATA)))


def test_bug_hunt_unchanged_function_is_told_so_without_naming_the_bug():
    feedback = hunt(buggy_forward)
    assert_rejected(feedback, "still what buggy_forward returns", "line")
    for giveaway in ("b2", "b1", "tanh"):
        assert giveaway not in feedback.message.split("\n")[0]


@pytest.mark.parametrize("answer, words", [
    (lambda X, W1, b1, W2, b2: np.tanh(np.tanh(X @ W1 + b1) @ W2 + b2),
     "the output layer applies tanh; its activation is identity"),
    (lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b2) @ W2 + b2, "the first layer adds b2"),
    (lambda X, W1, b1, W2, b2: (X @ W1 + b1) @ W2 + b2, "forgot the hidden activation"),
    (lambda X, W1, b1, W2, b2: (np.tanh(X @ W1) + b1) @ W2 + b2, "added b1 after the "
     "activation"),
    (lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1), "hidden layer's output"),
    (lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2, "left out the output layer's bias b2"),
    (lambda X, W1, b1, W2, b2: np.tanh(X @ W1) @ W2 + b2, "left out the hidden layer's bias b1"),
])
def test_bug_hunt_half_fixed_functions_are_named(answer, words):
    assert_rejected(hunt(answer), words)


def test_two_layer_forward_new_mistakes_on_square_layers():
    rng = np.random.default_rng(3)
    data = [rng.normal(size=s) for s in ((5, 3), (3, 3), (3,), (3, 3), (3,))]
    check = lambda answer: check_two_layer_forward(answer, *data, **ID)  # noqa: E731
    assert_rejected(check(lambda X, W1, b1, W2, b2: np.tanh(X @ W1.T + b1) @ W2 + b2),
                    "you used W1.T")
    assert_rejected(check(lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2.T + b2),
                    "you used W2.T")
    assert_rejected(check(lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2 + b1),
                    "the second layer adds b1")


def test_bug_hunt_other_answers():
    assert_not_done(hunt(lambda *args: None))
    assert_not_done(hunt(None))
    assert_not_done(hunt(...))
    assert_rejected(hunt(boom), "raised RuntimeError: oops")
    assert_rejected(hunt(lambda X, W1, b1, W2, b2: X @ W1), "shape (4, 3)", "(4, 1)")
    assert_rejected(hunt(lambda X, W1, b1, W2, b2: "output"), "should be a number")
    assert_rejected(hunt(lambda X, W1, b1, W2, b2: fixed_forward(X_two, W1, b1, W2, b2)),
                    "right for the given inputs but not for others")


def test_bug_hunt_refuses_a_buggy_that_is_not_a_function():
    with pytest.raises(TypeError, match="buggy"):
        check_two_layer_forward(fixed_forward, *DATA, **ID, buggy=1.0)


# ---------------------------------------------------------------------------- check_elu


def test_elu_right_answers_pass():
    assert_accepted(check_elu(elu, elu_derivative, z_check, alpha=ALPHA))
    other_form = lambda z, alpha: np.where(z > 0, 1.0, elu(z, alpha) + alpha)  # noqa: E731
    assert_accepted(check_elu(elu, other_form, z_check, alpha=ALPHA))
    assert_accepted(check_elu(elu(z_check, ALPHA), elu_derivative(z_check, ALPHA), z_check,
                              alpha=ALPHA))


def test_elu_truth_is_the_central_difference_of_elu():
    from helpers.exercises.activations import _elu, _elu_slope

    for alpha in (0.5, 1.0, 1.7):
        numeric = numeric_gradient(lambda v, a=alpha: float(_elu(v, a).sum()), z_check.copy())
        exact = np.where(z_check > 0, 1.0, alpha * np.exp(np.minimum(z_check, 0)))
        assert relative_error(_elu_slope(z_check, alpha), exact) < TOLERANCE
        assert relative_error(numeric, exact) < TOLERANCE


def wrong_value(body):
    return check_elu(body, elu_derivative, z_check, alpha=ALPHA)


def wrong_slope(body):
    return check_elu(elu, body, z_check, alpha=ALPHA)


@pytest.mark.parametrize("body, words", [
    (lambda z, a: np.where(z > 0, a * (np.exp(z) - 1), z), "swapped the branches"),
    (lambda z, a: np.where(z > 0, z, np.exp(z) - 1), "left out the factor alpha"),
    (lambda z, a: np.where(z > 0, z, a * np.exp(z)), "left out the - 1"),
    (lambda z, a: np.where(z > 0, z, a * (np.exp(-z) - 1)), "the exponent is z, not -z"),
    (lambda z, a: np.maximum(z, 0), "that is ReLU"),
    (lambda z, a: np.where(z > 0, z, a * z), "leaky ReLU"),
    (elu_derivative, "that is ELU's slope, not ELU itself"),
])
def test_elu_value_mistakes_are_named(body, words):
    feedback = wrong_value(body)
    assert_rejected(feedback, words, "✓ elu_derivative(z, alpha) is right")


@pytest.mark.parametrize("body, words", [
    (lambda z, a: (z > 0) * 1.0, "the slope is not 0 (that is ReLU's"),
    (lambda z, a: np.where(z > 0, 1.0, np.exp(z)), "lost the slope factor alpha"),
    (lambda z, a: np.where(z > 0, 1.0, a * (np.exp(z) - 1)), "kept the - 1"),
    (lambda z, a: np.where(z > 0, 1.0, a), "constant slope alpha"),
    (lambda z, a: np.where(z > 0, a * np.exp(z), 1.0), "swapped the branches"),
    (lambda z, a: np.where(z > 0, 1.0, a * np.exp(elu(z, a))), "used the output elu(z)"),
    (lambda z, a: elu(z, a) + a, "elu(z) + alpha is the slope only for z < 0"),
    (lambda z, a: np.where(z > 0, z, a * np.exp(z)), "whose slope is 1, not z"),
    (elu, "itself, not its slope"),
])
def test_elu_slope_mistakes_are_named(body, words):
    assert_rejected(wrong_slope(body), words, "✓ elu(z, alpha) is right")


def test_elu_hard_coded_alpha_is_caught():
    feedback = wrong_slope(lambda z, a: np.where(z > 0, 1.0, 0.5 * np.exp(z)))
    assert_rejected(feedback, "right for the given inputs but not for others", "alpha =")


def test_elu_other_answers():
    assert_not_done(check_elu(None, None, z_check))
    assert_not_done(check_elu(..., elu_derivative, z_check))
    feedback = check_elu(lambda z, a: None, elu_derivative, z_check)
    assert_not_done(feedback)
    assert "elu(z, alpha)" in feedback.message
    assert_rejected(check_elu(boom, elu_derivative, z_check), "raised RuntimeError: oops")
    assert_rejected(check_elu(elu, lambda z, a: 1.0, z_check), "single number")
    assert_rejected(check_elu(elu, lambda z, a: np.ones((2, 2)), z_check), "shape (2, 2)")
    assert_rejected(check_elu(elu, lambda z, a: "slope", z_check), "the text")
    assert_rejected(check_elu(elu, lambda z, a: np.exp(-1000 * z), z_check), "contains inf")
    # one part missing, the other wrong: the answer is wrong, not "not done"
    assert_rejected(check_elu(None, lambda z, a: z, z_check), "Not done yet")


def test_elu_refuses_bad_problem_data():
    with pytest.raises(ValueError, match="z must keep"):
        check_elu(elu, elu_derivative, np.array([-1.0, 0.0, 1.0]))
    with pytest.raises(ValueError, match="alpha"):
        check_elu(elu, elu_derivative, z_check, alpha=-1.0)
    with pytest.raises(TypeError, match="z"):
        check_elu(elu, elu_derivative, "z")


# -------------------------------------------------------------- softmax on a batch of rows


def soft(answer):
    return check_activation(answer, "softmax", score_rows, z_name="Z")


def test_batch_softmax_right():
    assert_accepted(soft(batch_softmax))
    assert_accepted(soft(batch_softmax(score_rows)))


def test_batch_softmax_mistakes_are_named():
    def one_shift(Z):  # the vector version, copied: one max for the whole batch
        exps = np.exp(Z - Z.max())
        return exps / exps.sum(axis=-1, keepdims=True)

    def plain(Z):
        return np.exp(Z) / np.exp(Z).sum(axis=-1, keepdims=True)

    def whole(Z):
        exps = np.exp(Z - Z.max())
        return exps / exps.sum()

    def by_column(Z):
        exps = np.exp(Z - Z.max(axis=0))
        return exps / exps.sum(axis=0)

    assert_rejected(soft(one_shift), "largest score of the whole array", "0 / 0",
                    "Z.max(axis=-1, keepdims=True)")
    with np.errstate(invalid="ignore"):
        one_shift_values = one_shift(score_rows)
    assert_rejected(soft(one_shift_values), "largest score of the whole array")
    assert_rejected(soft(plain), "overflows to inf", "inf / inf")
    assert_rejected(soft(whole), "sum over the whole array")

    def whole_after_row_shift(Z):  # each row's own shift, then the sum of the whole array
        exps = np.exp(Z - Z.max(axis=-1, keepdims=True))
        return exps / exps.sum()

    assert_rejected(soft(whole_after_row_shift), "sum over the whole array",
                    "each row must sum to 1")
    assert_rejected(soft(by_column), "normalised each column")
    small = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 4.0]])
    assert_rejected(check_activation(by_column, "softmax", small, z_name="Z"),
                    "normalised each column")
    assert_rejected(check_activation(np.exp, "softmax", small, z_name="Z"),
                    "Your softmax(Z) is not right", "divide by the sum")


def test_batch_softmax_other_answers():
    assert_not_done(soft(lambda Z: None))
    assert_not_done(soft(None))
    assert_rejected(soft(boom), "raised RuntimeError: oops", "Z of shape (4, 3)")
    assert_rejected(soft(lambda Z: "probabilities"), "the text")
    assert_rejected(soft(lambda Z: batch_softmax(Z)[0]), "shape (3,)")
    with pytest.raises(TypeError, match="z_name"):
        check_activation(batch_softmax, "softmax", score_rows, z_name="")


def _no_keepdims(keep_max, keep_sum):
    def batch_softmax(Z):
        exps = np.exp(Z - Z.max(axis=-1, keepdims=keep_max))
        return exps / exps.sum(axis=-1, keepdims=keep_sum)
    return batch_softmax


@pytest.mark.parametrize("keep_max, keep_sum", [(False, False), (True, False), (False, True)])
def test_batch_softmax_without_keepdims_is_named(keep_max, keep_sum):
    # a square batch: numpy lines the (n,) array up with the columns without complaint
    square = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -1002.0], [1.0, 2.0, 3.0]])
    feedback = check_activation(_no_keepdims(keep_max, keep_sum), "softmax", square, z_name="Z")
    assert_rejected(feedback, "keepdims=True", "columns, not the rows")
    assert "contains" not in feedback.message and "entries differ" not in feedback.message
    with np.errstate(all="ignore"):
        values = _no_keepdims(keep_max, keep_sum)(square)
    assert_rejected(check_activation(values, "softmax", square, z_name="Z"), "keepdims=True")
    # the lesson's batch is not square: numpy refuses, and the check says why
    refused = soft(_no_keepdims(keep_max, keep_sum))
    assert_rejected(refused, "keepdims=True", "(4, 1)", "refused, since 4 ≠ 3")
    assert "columns, not the rows" not in refused.message


# --------------------------------------------------- feedback on the first lessons' slips


def test_one_neuron_bias_added_once_per_input_is_named_before_the_sign():
    assert_accepted(check_pre_activation(-0.5, x0, w0, b0, activations=False))
    feedback = check_pre_activation(0.5, x0, w0, b0, activations=False)  # w @ x + 3 * b
    assert_rejected(feedback, "you added b once per input (3 times)")
    assert "sign" not in feedback.message


def test_lesson_00_does_not_name_activations():
    assert_rejected(check_pre_activation(0.0, x0, w0, b0), "you applied relu")
    feedback = check_pre_activation(0.0, x0, w0, b0, activations=False)
    assert_rejected(feedback)
    assert "relu" not in feedback.message and "sigmoid" not in feedback.message


@pytest.mark.parametrize("answer", [[-0.5], np.array([-0.5])])
def test_one_number_in_brackets_is_told_to_drop_them(answer):
    feedback = check_pre_activation(answer, x0, w0, b0, activations=False)
    assert_rejected(feedback, "the number is right", "without brackets")


def test_not_done_message_has_no_loose_parenthesis():
    feedback = check_pre_activation(None, x0, w0, b0)
    assert_not_done(feedback)
    assert "(or ...)" not in feedback.message and "replace the None with your z" in feedback.message


X5 = np.random.default_rng(1).normal(size=(5, 3))
W_TORCH = np.array([[1.0, 0.5, -2.0], [-1.0, 0.0, 1.0]])
B_TORCH = np.array([0.1, -0.2])


def torch(answer):
    return check_pre_activation(answer, X5, W_TORCH, B_TORCH, what="Z", x_name="X",
                                w_name="W_torch", layout="out_in")


def test_a_layer_in_the_pytorch_layout():
    assert_accepted(torch(lambda X, W, b: X @ W.T + b))
    assert "X @ W_torch.T + b" in torch(lambda X, W, b: X @ W.T + b).message
    assert_rejected(torch(lambda X, W, b: X @ W), "raised ValueError", "matmul",
                    "W_torch (2, 3)")
    assert_rejected(torch(lambda X, W, b: X @ W.T), "forgot to add the bias")
    assert_rejected(torch(lambda X, W, b: (W @ X.T)), "W_torch @ X.T", "X @ W_torch.T + b")
    assert_rejected(torch(lambda X, W, b: X @ W.T + 3 * b), "once per input")
    with pytest.raises(ValueError, match="layout"):
        check_pre_activation(None, X5, W_TORCH, B_TORCH, layout="rows")


def test_a_python_if_on_an_array_is_explained():
    def elu(z, alpha):
        if z > 0:
            return z
        return alpha * (np.exp(z) - 1)

    feedback = check_elu(elu, elu_derivative, z_check, alpha=ALPHA)
    assert_rejected(feedback, "truth value of an array", "np.where")


def test_elu_praise_is_one_sentence():
    message = check_elu(elu, elu_derivative, z_check, alpha=ALPHA).message
    assert message == ("Correct! elu(z, alpha) and elu_derivative(z, alpha) are all right, "
                       "at the given inputs and 3 others.")


# ------------------------------------------------------------------ grading and speed

RIGHT_AND_WRONG = [
    ("prediction", lambda a: check_prediction(a, (5, 2), "shape"), (5, 2), (2, 5)),
    ("descent_step", step, 1.4, 0.6),
    ("parameter_count", count, 51, 42),
    ("pre_activation", lambda a: check_pre_activation(a, x0, w0, b0), -0.5, 0.5),
    ("bug_hunt", hunt, fixed_forward, buggy_forward),
    ("elu", lambda a: check_elu(*a, z_check, alpha=ALPHA), (elu, elu_derivative),
     (elu, elu)),
    ("batch_softmax", soft, batch_softmax, lambda Z: np.exp(Z) / np.exp(Z).sum()),
]


@pytest.mark.parametrize("name, check, right, wrong", RIGHT_AND_WRONG,
                         ids=[case[0] for case in RIGHT_AND_WRONG])
def test_grading_raises_only_for_answers_not_accepted(monkeypatch, name, check, right, wrong):
    assert not check(wrong).correct
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check(right).correct
    with pytest.raises(AnswerNotAccepted):
        check(wrong)
    missing = (None, None) if name == "elu" else None
    with pytest.raises(AnswerNotAccepted, match="Not done yet"):
        check(missing)


@pytest.mark.parametrize("name, check, right, wrong", RIGHT_AND_WRONG,
                         ids=[case[0] for case in RIGHT_AND_WRONG])
def test_every_check_answers_quickly(name, check, right, wrong):
    for answer in (right, wrong):
        start = time.perf_counter()
        check(answer)
        assert time.perf_counter() - start < 0.5, name


# --------------------------------------------------- the second reading's findings


@pytest.mark.parametrize("answer, words", [
    (1.5, ["one product has the wrong sign", "x[2] * w[2] = (-1) * 1 = -1"]),
    (0.5, ["added b once per input"]),  # named before a sign slip giving the same number
])
def test_one_neuron_by_hand_slips_are_named(answer, words):
    assert_rejected(check_pre_activation(answer, x0, w0, b0, activations=False), *words)


def test_parameter_count_plus_the_batch_is_named():
    assert_rejected(check_parameter_count(61, [4, 6, 3], n_samples=10), "added the 10 samples",
                    "changes nothing")


def test_a_broadcast_error_names_the_shapes_that_met():
    X = np.random.default_rng(1).normal(size=(5, 3))
    W_torch = np.array([[1.0, 0.5, -2.0], [-1.0, 0.0, 1.0]])
    b = np.array([0.1, -0.2])
    feedback = check_pre_activation(lambda X, W_torch, b: W_torch @ X.T + b, X, W_torch, b,
                                    what="Z", x_name="X", w_name="W_torch", layout="out_in")
    assert_rejected(feedback, "(2, 5) and (2,)", "lines shapes up from the right", "5 ≠ 2")
    for false in ("same shape", "transpose", "X (5, 3)"):
        assert false not in feedback.message, feedback.message


def test_math_exp_on_an_array_is_explained():
    import math

    def elu(z, alpha):
        return np.where(z > 0, z, alpha * (math.exp(z) - 1))

    feedback = check_elu(elu, elu, np.array([-1.0, 1.0]), alpha=0.5)
    assert_rejected(feedback, "Your function elu raised TypeError", "np.exp")


def test_a_function_name_keeps_its_capitals():
    def nb_uses_global_X(x, W, b):
        raise KeyError("w7")

    feedback = check_pre_activation(nb_uses_global_X, x0, w0, b0)
    assert feedback.message.startswith("Your function nb_uses_global_X raised KeyError")
    feedback = check_pre_activation(lambda x, W, b: 1 / 0, x0, w0, b0)
    assert feedback.message.startswith("Your function raised")

