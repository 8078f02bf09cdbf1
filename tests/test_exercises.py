"""Tests of helpers.exercises: right answers pass, typical mistakes are named, nothing raises."""

from dataclasses import dataclass

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.activations import sigmoid, softmax
from helpers.exercises import (
    Feedback,
    check_activation,
    check_activation_backward,
    check_dense_backward,
    check_descent_step,
    check_graph_gradient,
    check_local_derivative,
    check_loss_gradient,
    check_pre_activation,
    check_two_layer_forward,
)
from helpers.graph import (
    Value,
    apply_operation,
)

rng = np.random.default_rng(0)
x = rng.normal(size=(4, 3))  # n = 4 samples, n_in = 3
W = rng.normal(size=(3, 2))  # n_out = 2
b = rng.normal(size=2)
g = rng.normal(size=(4, 2))  # upstream_grad = dL/dz
z = rng.normal(size=(4, 3))
n = 4



def two_layer(X, W1, b1, W2, b2):
    return sigmoid(np.tanh(X @ W1 + b1) @ W2 + b2)


def graph():
    """L = x * y + x: x is used twice, dL/dx = y + 1 = 4."""
    x_node, y_node = Value(2.0, "x"), Value(3.0, "y")
    return x_node * y_node + x_node, x_node


# ------------------------------------------------------------------ every check, the same way


@dataclass
class Case:
    """check(answer) -> Feedback, the right value, and a right function of the problem data."""

    name: str
    check: object
    truth: object
    function: object


def _dense(part):
    """Check one part of check_dense_backward, the other two parts being right."""

    def check(answer):
        answers = [x.T @ g, g.sum(axis=0), g @ W.T]
        answers["dW db dx".split().index(part)] = answer
        return check_dense_backward(*answers, x, W, g)

    return check


CASES = [
    Case("pre_activation", lambda a: check_pre_activation(a, x, W, b), x @ W + b,
         lambda x, W, b: x @ W + b),
    Case("activation", lambda a: check_activation(a, "sigmoid", z), sigmoid(z),
         lambda z: 1 / (1 + np.exp(-z))),
    Case("local_derivative", lambda a: check_local_derivative(a, "/", (3.0, 2.0), wrt=1),
         -3.0 / 4.0, lambda x, y: -x / y**2),
    Case("loss_gradient", lambda a: check_loss_gradient(a, "mse", x, z), (x - z) / n,
         lambda p, t: (p - t) / len(p)),
    Case("dense_backward dW", _dense("dW"), x.T @ g, lambda x, W, g: x.T @ g),
    Case("dense_backward db", _dense("db"), g.sum(axis=0), lambda x, W, g: g.sum(axis=0)),
    Case("dense_backward dx", _dense("dx"), g @ W.T, lambda x, W, g: g @ W.T),
    Case("two_layer_forward", lambda a: check_two_layer_forward(a, x, W, b, W.T, z[0]),
         two_layer(x, W, b, W.T, z[0]), two_layer),
    Case("graph_gradient", lambda a: check_graph_gradient(a, *graph()), 4.0, None),
]
FUNCTION_CASES = [case for case in CASES if case.function is not None]


def _ids(cases):
    return [case.name for case in cases]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_the_right_value_is_accepted(case):
    assert_accepted(case.check(case.truth))


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_ids(FUNCTION_CASES))
def test_a_right_function_is_accepted_at_several_points(case):
    feedback = case.check(case.function)
    assert_accepted(feedback)
    assert "and 3 others" in feedback.message


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_ids(FUNCTION_CASES))
def test_a_function_right_at_one_point_only_is_rejected(case):
    def hard_coded(*args):
        return case.truth

    assert_rejected(case.check(hard_coded), "right for the given", "not for other")


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
@pytest.mark.parametrize("missing", [None, ...], ids=["None", "Ellipsis"])
def test_none_or_ellipsis_is_not_done_yet(case, missing):
    assert_not_done(case.check(missing))


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_ids(FUNCTION_CASES))
def test_a_function_returning_none_is_not_done_yet(case):
    def my_answer(*args):
        ...  # YOUR CODE HERE

    feedback = case.check(my_answer)
    assert_not_done(feedback)
    assert "my_answer returned None" in feedback.message


@pytest.mark.parametrize("case", FUNCTION_CASES, ids=_ids(FUNCTION_CASES))
def test_a_function_that_raises_gives_a_message_not_a_traceback(case):
    def broken(*args):
        raise KeyError("no such weight: w7")

    feedback = case.check(broken)
    assert_rejected(feedback, "raised KeyError", "no such weight: w7", "called with")


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_a_string_is_the_wrong_type(case):
    assert_rejected(case.check("x @ W + b"), "should be", "the text 'x @ W + b'")


@pytest.mark.parametrize("case", CASES[:-2], ids=_ids(CASES[:-2]))
def test_a_flipped_sign_is_named(case):
    truth = case.truth
    assert_rejected(case.check(-np.asarray(truth)), "sign")


# ------------------------------------------------------------------ the feedback object


def test_feedback_shows_its_message_with_a_symbol():
    right, wrong, missing = Feedback(True, True, "Yes."), Feedback(False, True, "No <b>."), \
        Feedback(False, False, "Not done yet: z.")
    assert (str(right), str(wrong), str(missing)) == ("✓ Yes.", "✗ No <b>.", "… Not done yet: z.")
    assert repr(wrong) == str(wrong)
    assert "No &lt;b&gt;." in wrong._repr_html_() and "<pre" in wrong._repr_html_()
    assert bool(right) and not bool(wrong) and not bool(missing)


def test_small_answers_show_expected_and_got_with_4_significant_digits():
    # a function's value at the given inputs (a single number written by hand is not shown)
    feedback = check_local_derivative(lambda x, y: 0.25, "/", (2.0, 1.5))  # 1 / y = 0.6667
    assert_rejected(feedback)
    assert "expected: 0.6667" in feedback.message and "got:      0.25" in feedback.message
    by_hand = check_local_derivative(0.25, "/", (2.0, 1.5))
    assert_rejected(by_hand, "not right yet")
    assert "0.6667" not in by_hand.message


def test_large_answers_show_the_largest_difference():
    big = np.ones((20, 20))
    wrong = big.copy()
    wrong[3, 4] = 5.0
    feedback = check_pre_activation(wrong, np.ones((20, 1)), np.ones((1, 20)), np.zeros(20))
    assert_rejected(feedback, "largest difference at index (3, 4): expected 1, got 5")
    assert "expected: [" not in feedback.message  # not all 400 entries


def test_answers_within_the_documented_tolerance_are_accepted():
    truth = x @ W + b
    assert_accepted(check_pre_activation(truth * (1 + 1e-8), x, W, b))
    assert_rejected(check_pre_activation(truth * (1 + 1e-4), x, W, b))


def test_nested_lists_and_integers_are_accepted():
    assert_accepted(check_local_derivative(3, "*", (2, 3)))  # d(x * y)/dx = y
    assert_accepted(check_pre_activation([[2.5, -1]], [[1, 2]], [[0.5, 1], [1, -1]], [0, 0]))


def test_a_function_that_updates_its_inputs_in_place_leaves_the_problem_data_alone():
    def in_place(x, W, b):
        x *= 2.0  # the learner's function changes its argument...
        return x @ W / 2 + b

    before = x.copy()
    assert_accepted(check_pre_activation(in_place, x, W, b))
    assert np.array_equal(x, before)  # ...but the check called it on a copy


def test_nan_and_inf_are_reported():
    assert_rejected(check_local_derivative(float("nan"), "*", (2.0, 3.0)), "contains nan")
    feedback = check_activation(lambda z: np.exp(1000 * z), "sigmoid", z)  # no RuntimeWarning
    assert_rejected(feedback, "contains inf")


def test_a_list_with_a_missing_entry_is_the_wrong_type():
    assert_rejected(check_activation([0.5, None], "sigmoid", [0.0, 2.0]), "still contains None")


def test_an_all_zero_placeholder_is_named():
    assert_rejected(check_pre_activation(np.zeros((4, 2)), x, W, b), "all zeros")


def test_broadcasting_an_n_by_1_with_an_n_array_is_named():
    prediction, target = x[:, :1], z[:, 0]
    assert_rejected(check_loss_gradient(prediction - target, "mse", prediction, target),
                    "broadcasts to (n, n)", ".reshape(-1, 1)")


def test_a_tuple_of_results_is_named():
    feedback = check_dense_backward(lambda x, W, g: (x.T @ g, g.sum(axis=0)), None, None, x, W, g)
    assert_rejected(feedback, "a tuple of 2 arrays", "several results")


def test_a_wrong_shape_is_named():
    assert_rejected(check_pre_activation(np.ones((4, 3)), x, W, b),
                    "has shape (4, 3) but should have shape (4, 2)")
    assert_rejected(check_local_derivative([3.0], "*", (2.0, 3.0)), "should be a single number",
                    ".item()")


def test_bad_problem_data_raises_for_the_author():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'"):
        check_activation(None, "sigmod", z)
    with pytest.raises(ValueError, match="do not fit"):
        check_pre_activation(None, x, W.T, b)
    with pytest.raises(ValueError, match="softmax has no entry-by-entry derivative"):
        check_activation_backward(None, z, z, "softmax")
    with pytest.raises(ValueError, match="lr must be a positive number"):
        check_descent_step(None, 1.0, -1.0, 0.0)


# ------------------------------------------------------------------ planted mistakes


def test_pre_activation_mistakes():
    check = lambda a: check_pre_activation(a, x, W, b)  # noqa: E731
    assert_rejected(check(x @ W), "forgot to add the bias b")
    assert_rejected(check((x @ W + b).T), "has shape (2, 4) but should have shape (4, 2)",
                    "W.T @ x.T", "use x @ W + b")
    assert_rejected(check(sigmoid(x @ W + b)), "applied sigmoid")
    assert_rejected(check(x @ W - b), "subtracted the bias")


def test_pre_activation_of_one_neuron():
    x1, w1 = np.array([1.0, 2.0, -1.0]), np.array([0.5, -0.25, 2.0])
    assert_accepted(check_pre_activation(w1 @ x1 + 0.75, x1, w1, 0.75))
    assert_rejected(check_pre_activation(x1 * w1 + 0.75, x1, w1, 0.75),
                    "did not add the products up")


def test_two_layer_forward():
    assert_accepted(check_two_layer_forward(two_layer))
    assert_rejected(check_two_layer_forward(lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2
                                            + b2), "forgot the output activation")
    assert_rejected(check_two_layer_forward(lambda X, W1, b1, W2, b2: sigmoid(
        (X @ W1 + b1) @ W2 + b2)), "forgot the hidden activation")
    assert_rejected(check_two_layer_forward(lambda X, W1, b1, W2, b2: np.tanh(
        sigmoid(X @ W1 + b1) @ W2 + b2)), "swapped the activations")
    assert_rejected(check_two_layer_forward(lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1)),
                    "hidden layer's output")
    data = [rng.normal(size=s) for s in ((2, 3), (3, 2), (2,), (2, 1), (1,))]
    assert_accepted(check_two_layer_forward(two_layer(*data), *data))
    assert_not_done(check_two_layer_forward(lambda *args: None))


def test_activation_mistakes():
    assert_rejected(check_activation(sigmoid(-z), "sigmoid", z), "sign in the exponent")
    assert_rejected(check_activation(sigmoid(z) * (1 - sigmoid(z)), "sigmoid", z),
                    "that is the derivative")
    assert_rejected(check_activation(np.abs(z), "relu", z), "negative inputs must become 0")
    assert_rejected(check_activation(sigmoid(z), "tanh", z), "that is the sigmoid")
    assert_rejected(check_activation(np.exp(z), "softmax", z), "divide by the sum")
    by_column = np.exp(z) / np.exp(z).sum(axis=0)
    assert_rejected(check_activation(by_column, "softmax", z), "each row must sum to 1")
    assert_accepted(check_activation(softmax(z), "softmax", z))
    assert_accepted(check_activation(lambda z: np.maximum(z, 0), "relu", z))


def test_local_derivative_mistakes():
    check = check_local_derivative
    assert_rejected(check(2.0, "*", {"x": 2.0, "y": 3.0}, wrt="x"), "with respect to y")
    assert_rejected(check(-1.5, "/", (3.0, 2.0), wrt=1), "forgot the square")
    assert_rejected(check(6.0, "*", (2.0, 3.0), wrt=0), "value of x * y itself")
    assert_rejected(check(4.0, "**", (2.0, 3.0)), "factor p")
    assert_accepted(check(12.0, "**", (2.0, 3.0)))
    assert_accepted(check(lambda x: 1 / x, "log", (2.0,)))


def test_local_derivative_of_a_graph_node():
    x_node, y_node = Value(2.0, "x"), Value(3.0, "y")
    assert_accepted(check_local_derivative(3.0, x_node * y_node, wrt=x_node))
    assert_rejected(check_local_derivative(2.0, x_node * y_node, wrt=x_node), "with respect to y")
    cube = x_node**3
    assert_accepted(check_local_derivative(lambda x, p: p * x ** (p - 1), cube, wrt=x_node))
    assert_rejected(check_local_derivative(4.0, cube, wrt=x_node), "factor p")


def test_graph_gradient_of_a_reused_variable():
    assert_rejected(check_graph_gradient(3.0, *graph()), "x is used twice", "add up the shares")
    assert_rejected(check_graph_gradient(1.0, *graph()), "only one use")
    loss, x_node = graph()
    x_node.grad = 123.0
    assert_accepted(check_graph_gradient(4.0, loss, x_node))
    assert x_node.grad == 123.0  # the learner's graph is left as it was
    assert_rejected(check_graph_gradient(x_node, loss, x_node), "pass the number", "x.grad")
    assert_rejected(check_graph_gradient(lambda: 4.0, loss, x_node), "not a function")


def test_loss_gradient_mistakes():
    assert_rejected(check_loss_gradient(x - z, "mse", x, z), "4 times too large", "mean")
    assert_rejected(check_loss_gradient(2 * (x - z) / n, "mse", x, z), "0.5")
    p = sigmoid(x[:, :1])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    assert_accepted(check_loss_gradient((p - y) / (p * (1 - p)) / n, "binary_cross_entropy", p, y))
    assert_rejected(check_loss_gradient((p - y) / n, "binary_cross_entropy", p, y),
                    "pre-activation")
    labels = np.array([0, 2, 1, 2])
    onehot = np.eye(3)[labels]
    assert_accepted(check_loss_gradient((softmax(x) - onehot) / n, "softmax_cross_entropy",
                                        x, labels))
    assert_rejected(check_loss_gradient((x - onehot) / n, "softmax_cross_entropy", x, labels),
                    "softmax")
    assert_rejected(check_loss_gradient(softmax(x) / n, "softmax_cross_entropy", x, onehot),
                    "one-hot")
    assert_rejected(check_loss_gradient(softmax(x) - onehot, "softmax_cross_entropy", x, labels),
                    "times too large")


def test_loss_gradient_from_logits_names_the_faded_gradient():
    from helpers.activations import sigmoid_derivative
    from helpers.losses import binary_cross_entropy_gradient

    logits = np.array([[1.0], [-2.0], [40.0], [-35.0]])
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    p = sigmoid(logits)
    name = "binary_cross_entropy_with_logits"
    assert_accepted(check_loss_gradient((p - y) / n, name, logits, y))
    assert_accepted(check_loss_gradient(lambda z_, y_: (sigmoid(z_) - y_) / len(z_), name,
                                        logits, y))
    through_p = sigmoid_derivative(logits) * binary_cross_entropy_gradient(p, y)
    assert_rejected(check_loss_gradient(through_p, name, logits, y), "within 1e-12 of 0 or 1",
                    "from z directly")
    assert_rejected(check_loss_gradient(p * (1 - p) * binary_cross_entropy_gradient(p, y), name,
                                        logits, y), "clips")
    assert_rejected(check_loss_gradient((logits - y) / n, name, logits, y), "apply the sigmoid")
    assert_rejected(check_loss_gradient(p / n, name, logits, y), "subtract the target")
    assert_rejected(check_loss_gradient(p - y, name, logits, y), "times too large")
    assert "Not done yet" in str(check_loss_gradient(lambda z_, y_: None, name, logits, y))

def test_dense_backward_mistakes():
    dW, db, dx = x.T @ g, g.sum(axis=0), g @ W.T
    assert_accepted(check_dense_backward(dW, db, dx, x, W, g))
    assert_rejected(check_dense_backward(g.T @ x, db, dx, x, W, g),
                    "your dW has shape (2, 3) but should have shape (3, 2): you probably computed "
                    "upstream_grad.T @ x: that is the transpose of dW".replace("your", "Your"))
    assert_rejected(check_dense_backward(dW / n, db, dx, x, W, g), "1/n is already inside")
    assert_rejected(check_dense_backward(dW, g.mean(axis=0), dx, x, W, g), "took the mean")
    assert_rejected(check_dense_backward(dW, g.sum(axis=1), dx, x, W, g), "wrong axis, axis 1")
    assert_rejected(check_dense_backward(dW, db, W @ g.T, x, W, g),
                    "W @ upstream_grad.T: that is the transpose of dx")
    feedback = check_dense_backward(dW, g.sum(axis=1), dx, x, W, g)
    assert "✓ dW is right" in feedback.message and "✓ dx is right" in feedback.message


def test_dense_backward_partly_done():
    feedback = check_dense_backward(x.T @ g, None, None, x, W, g)
    assert_not_done(feedback)
    assert "✓ dW is right" in feedback.message
    assert_rejected(check_dense_backward(g.T @ x, None, None, x, W, g), "dW")


def test_right_at_the_given_point_only_is_worded_neutrally():
    # lesson 03, exercise 1: at y = -4 the slip -x / (2y) is not the truth -x / y**2 ...
    at_lesson = check_local_derivative(lambda x, y: -x / (y * 2), "/", {"x": 3.0, "y": -4.0},
                                       wrt="y")
    assert_rejected(at_lesson, "times the right answer")
    assert "other inputs" not in at_lesson.message
    # ... where at y = 2 it would be, and only the other points would catch it
    feedback = check_local_derivative(lambda x, y: -x / (y * 2), "/", {"x": 3.0, "y": 2.0},
                                      wrt="y")
    assert_rejected(feedback, "not for others", "Check the formula at other inputs")
    assert "Did you write in numbers" not in feedback.message


def test_graph_gradient_messages_use_the_graphs_own_names():
    a = Value(3.0, "a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    feedback = check_graph_gradient(12.0, c, a)
    assert_rejected(feedback, "dc/da", "a is used twice (both by b)", "b is used twice (both by c)")
    assert "12" not in feedback.message.split("\n")[0]  # the shares are not given away
    assert_rejected(check_graph_gradient(6.0, c, a), "a is used twice", "b is used twice")
    assert_rejected(check_graph_gradient(36.0, c, a), "that is the value of c")
    assert "dL/d" not in feedback.message
    assert_rejected(check_graph_gradient(a, c, a), "pass the number dc/da",
                    "after c.backward(), it is a.grad")
    assert_rejected(check_graph_gradient(lambda: 1.0, c, a), "dc/da should be a number")
    assert_rejected(check_graph_gradient(24.0, c, b), "dc/db")
    # unlabelled nodes get the display names of helpers.graph (v1, v2, ...)
    x_node, y_node = Value(2.0), Value(3.0, "y")
    out = x_node * y_node + x_node
    assert_rejected(check_graph_gradient(3.0, out, x_node), f"d{out.name}/d{x_node.name}")
    assert (out.name, x_node.name) == ("v3", "v1")
    with pytest.raises(ValueError, match="not a node of the graph"):
        check_graph_gradient(1.0, c, Value(1.0, "stranger"))


def test_pre_activation_of_one_neuron_accepts_a_plain_number():
    x_one = np.array([1.0, 2.0, -1.0])
    W_col = np.array([[0.5], [-0.25], [2.0]])  # one neuron as a column, like Dense
    w_vec = W_col[:, 0]
    truth = float(x_one @ w_vec + 0.75)  # -1.25
    for answer in (truth, np.float64(truth), np.array(truth), np.array([truth])):
        assert_accepted(check_pre_activation(answer, x_one, W_col, np.array([0.75])))
        assert_accepted(check_pre_activation(answer, x_one, W_col, 0.75))
        assert_accepted(check_pre_activation(answer, x_one[None, :], w_vec, 0.75))
    assert_accepted(check_pre_activation(truth, x_one, w_vec, 0.75))
    assert_accepted(check_pre_activation(lambda x, W, b: float((x @ W + b)[0]),
                                         x_one, W_col, 0.75))
    # a wrong number is still diagnosed, and real shape mistakes keep their diagnosis
    assert_rejected(check_pre_activation(float(x_one @ w_vec), x_one, W_col, 0.75),
                    "forgot to add the bias")
    assert_rejected(check_pre_activation(np.array([[truth]]), x_one, W_col, 0.75),
                    "has shape (1, 1) but should have shape (1,)")
    assert_rejected(check_pre_activation(truth, np.ones((3, 3)), W_col, 0.75),
                    "single number but should have shape (3, 1)")
    assert_rejected(check_pre_activation(1.0, x, W, b), "single number", "(4, 2)")


def test_pre_activation_names_the_quantity_it_checks():
    a1 = np.tanh(x @ W + b)
    W2, b2 = W.T[:, :1], np.array([0.3])
    right = a1 @ W2 + b2
    feedback = check_pre_activation(right, a1, W2, b2, what="output a2")
    assert_accepted(feedback)
    assert "output a2" in feedback.message
    assert_rejected(check_pre_activation(a1 @ W2, a1, W2, b2, what="output a2"),
                    "Your output a2 is not right", "forgot to add the bias")
    assert check_pre_activation(x @ W + b, x, W, b).message == "Correct! z = x @ W + b."
    with pytest.raises(TypeError, match="what"):
        check_pre_activation(x @ W + b, x, W, b, what="")


@pytest.mark.parametrize("op, inputs", [
    ("log", [-1.0]), ("log", [0.0]), ("/", [1.0, 0.0]), ("**", [-2.0, 0.5]), ("exp", [800.0]),
])
def test_local_derivative_outside_the_domain_is_a_problem_data_error(op, inputs):
    # before: log at -1 judged answers against 1 / x = -1, and 1 / 0 raised ZeroDivisionError
    with pytest.raises(ValueError, match="is not defined at"):
        check_local_derivative(1.0, op, inputs)


def test_local_derivative_inside_the_domain_still_works():
    assert check_local_derivative(-4.0, "**", [-2.0, 2.0]).correct
    assert check_local_derivative(0.25, "**", [4.0, 0.5]).correct
    assert check_local_derivative(-0.25, "/", [1.0, 2.0], wrt=1).correct


def test_two_layer_forward_shape_error_says_what_was_expected():
    rng = np.random.default_rng(0)
    X, W1, b1, W2, b2 = (rng.normal(size=s) for s in ((5, 3), (3, 4), (4,), (4, 2), (3,)))
    with pytest.raises(ValueError, match=r"b2 \(3,\) do not fit: expected X \(n, n_in\), "
                                         r"W1 \(n_in, n_hidden\), b1 \(n_hidden,\), "
                                         r"W2 \(n_hidden, n_out\), b2 \(n_out,\)"):
        check_two_layer_forward(None, X, W1, b1, W2, b2)


# --- operations come from the graph's one table ----------------------------------------------


def test_a_registered_operation_is_checked_with_no_edit_in_exercises(square):
    assert_accepted(check_local_derivative(6.0, "square", (3.0,)))
    feedback = check_local_derivative(lambda x: 2 * x, "square", [3.0])
    assert_accepted(feedback)
    assert "and 3 others" in feedback.message
    assert_rejected(check_local_derivative(9.0, "square", (3.0,)), "Your d(square(x))/dx",
                    "the value of square(x) itself")
    assert_rejected(check_local_derivative(lambda x: 6.0, "square", (3.0,)), "not for others")
    assert_rejected(check_local_derivative(3.0, "square", {"w": 3.0}), "d(square(w))/dw")
    with pytest.raises(ValueError, match="operation 'square' takes 1 input"):
        check_local_derivative(1.0, "square", (1.0, 2.0))
    # a graph node of the new operation, and a graph that uses it: L = square(w) + w
    w = Value(3.0, "w")
    node = apply_operation("square", (w,))
    assert_accepted(check_local_derivative(6.0, node, wrt=w))
    loss = node + w
    loss.label = "L"
    assert_accepted(check_graph_gradient(7.0, loss, w))
    assert_rejected(check_graph_gradient(6.0, loss, w), "dL/dw", "w is used twice")


def test_local_derivative_with_respect_to_the_exponent():
    # the graph holds p constant; d(x ** p)/dp = x ** p * log(x) comes from central differences
    assert_accepted(check_local_derivative(8 * np.log(2.0), "**", (2.0, 3.0), wrt=1))
    assert_accepted(check_local_derivative(lambda x, p: x**p * np.log(x), "**", (2.0, 3.0),
                                           wrt=1))
    assert_rejected(check_local_derivative(12.0, "**", (2.0, 3.0), wrt=1), "with respect to x")


# ---- one function for a whole layer's backward, and numpy's shape errors explained ----------
def test_dense_backward_as_one_function_returning_three_arrays():
    def dense_backward(x, W, g):
        return x.T @ g, g.sum(axis=0), g @ W.T

    assert_accepted(check_dense_backward(dense_backward, x=x, W=W, upstream_grad=g))

    def wrong_db(x, W, g):
        return x.T @ g, g.mean(axis=0), g @ W.T

    feedback = check_dense_backward(wrong_db, x=x, W=W, upstream_grad=g)
    assert_rejected(feedback, "took the mean")
    assert "✓ dW is right." in str(feedback) and "✓ dx is right." in str(feedback)


def test_dense_backward_as_one_function_not_done_or_returning_too_little():
    def half_done(x, W, g):
        dW, db, dx = x.T @ g, None, None
        return dW, db, dx

    feedback = check_dense_backward(half_done, x=x, W=W, upstream_grad=g)
    assert_not_done(feedback)
    assert "✓ dW is right." in str(feedback)
    assert "db is still None in what your function half_done returns" in str(feedback)

    def two(x, W, g):
        return x.T @ g, g.sum(axis=0)

    feedback = check_dense_backward(two, x=x, W=W, upstream_grad=g)
    assert_rejected(feedback, "should return three arrays, dW, db, dx", "tuple of 2 arrays")
    assert str(feedback).count("three arrays") == 1  # said once, not once per part


def test_a_shape_error_in_the_learners_code_reaches_the_check_and_is_explained():
    def forgot_transpose(x, W, g):
        return x.T @ g, g.sum(axis=0), g @ W  # (4, 2) @ (3, 2): numpy refuses

    feedback = check_dense_backward(forgot_transpose, x=x, W=W, upstream_grad=g)
    assert_rejected(feedback, "raised ValueError: matmul",
                    "numpy could not multiply two matrices",
                    "the number of columns of A must equal the number of rows of B",
                    "with x (4, 3), g (4, 2), W (3, 2)", "dx is computed with W.T, not W")
    assert str(feedback).count("numpy could not multiply") == 1

    def entrywise(x, W, g):
        return x.T @ g, g.sum(axis=0), g * W  # (4, 2) * (3, 2): cannot be broadcast

    feedback = check_dense_backward(entrywise, x=x, W=W, upstream_grad=g)
    assert_rejected(feedback, "(4, 2) and (3, 2) do not combine entry by entry",
                    "lines shapes up from the right, and 4 ≠ 3")
    assert "same shape" not in feedback.message
    # a separate function per part keeps the other parts' verdicts
    feedback = check_dense_backward(lambda x, W, g: x.T @ g, g.sum(axis=0),
                                    lambda x, W, g: g @ W, x, W, g)
    assert "✓ dW is right." in str(feedback) and "✓ db is right." in str(feedback)
    assert "numpy could not multiply two matrices" in str(feedback)


def test_a_shape_hint_only_for_shape_errors():
    from helpers.exercises.answers import shape_hint

    assert shape_hint(ZeroDivisionError("division by zero"), ["x"], [x]) == ""
    assert shape_hint(ValueError("math domain error"), ["x"], [x]) == ""
    assert "x (4, 3)" in shape_hint(ValueError("shapes (4,3) and (2,4) not aligned"), ["x"], [x])


# ------------------------------------------------- lesson 08: feedback in its own words


def test_sigmoid_chain_accepts_the_product_of_the_slopes():
    from helpers.exercises.cost import check_sigmoid_chain

    assert_accepted(check_sigmoid_chain(0.25**6, 6))
    assert_accepted(check_sigmoid_chain(4.0**-6, 6))
    assert_not_done(check_sigmoid_chain(None, 6))


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (0.25**5, "that is 5 factors"),
        (0.25**7, "one factor per neuron, 6 in all"),
        (0.5**6, "σ(0) = 1/2 is the neuron's activation"),
        (0.5**5, "not its slope"),
        (1.0, "dL/da_6"),
        (0.25 * 6, "multiplies the factors"),
        (4.0**6, "you divided by it"),
        (-(0.25**6), "sign is flipped"),
        ("0.25 ** 6", "should be a number"),
    ],
)
def test_sigmoid_chain_names_each_mistake_in_the_chains_words(answer, words):
    from helpers.exercises.cost import check_sigmoid_chain

    feedback = check_sigmoid_chain(answer, 6)
    assert_rejected(feedback, words)
    assert "local_grads" not in feedback.message


def test_sigmoid_chain_rejects_a_bad_length():
    from helpers.exercises.cost import check_sigmoid_chain

    with pytest.raises(ValueError, match="n_neurons"):
        check_sigmoid_chain(0.25, 0)


# --- the course's TOLERANCE in the judging engine; lessons 04 to 06 ---------------------------


def test_answers_agree_by_the_courses_relative_error_below_tolerance():
    from helpers.exercises.judging import ATOL, FLOOR, _close
    from helpers.gradcheck import TOLERANCE, relative_error

    truth = np.array([2.0, -3.0, 0.0])
    for factor in (1 + 1.5e-6, 1 - 1.5e-6):  # relative error about 7.5e-7: agrees
        assert relative_error(truth * factor, truth) < TOLERANCE
        assert _close(truth * factor, truth)
    for factor in (1 + 3e-6, 1 - 3e-6):  # about 1.5e-6: does not
        assert relative_error(truth * factor, truth) >= TOLERANCE
        assert not _close(truth * factor, truth)
    assert ATOL == TOLERANCE * FLOOR == pytest.approx(1e-9)
    assert _close(np.array([2.0, -3.0, 5e-10]), truth)  # near zero: an absolute 1e-9
    assert not _close(np.array([2.0, -3.0, 2e-9]), truth)
    assert_accepted(check_local_derivative(3.0 * (1 + 1.5e-6), "*", (2.0, 3.0)))  # truth: y = 3
    assert_rejected(check_local_derivative(3.0 * (1 + 3e-6), "*", (2.0, 3.0)))


@pytest.mark.parametrize("factor", [1 + 1e-5, 1 - 1e-5, 1 + 4e-5, -(1 + 1e-5)])
def test_a_factor_that_rounds_to_one_is_never_called_a_factor(factor):
    from helpers.exercises.judging import _constant_factor

    truth = (x - z) / n
    assert _constant_factor(truth * factor, truth) is None
    feedback = check_loss_gradient(truth * factor, "mse", x, z)
    assert_rejected(feedback)
    assert "1 times" not in feedback.message and "-1 times" not in feedback.message
    if factor > 0:  # nearly right: the relative error says how far from agreeing
        assert "relative error" in feedback.message and "TOLERANCE = 1e-06" in feedback.message
    assert_rejected(check_loss_gradient(truth * 3, "mse", x, z), "3 times the right answer")


def _central_by_hand(p, y, h, kind):
    from helpers.losses import binary_cross_entropy

    out = np.zeros_like(p)
    for i in range(len(p)):
        up, down = p.copy(), p.copy()
        up[i, 0] += h
        down[i, 0] -= h
        L_up, L_down = binary_cross_entropy(up, y), binary_cross_entropy(down, y)
        L_0 = binary_cross_entropy(p, y)
        out[i, 0] = {"central": (L_up - L_down) / (2 * h), "forward": (L_up - L_0) / h,
                     "backward": (L_0 - L_down) / h, "by h": (L_up - L_down) / h,
                     "one sample": (binary_cross_entropy(up[i:i + 1], y[i:i + 1])
                                    - binary_cross_entropy(down[i:i + 1], y[i:i + 1])) / (2 * h),
                     }[kind]
    return out


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("forward", "one-sided (forward) difference (L(p + h) - L(p)) / h"),
        ("backward", "one-sided (backward) difference (L(p) - L(p - h)) / h"),
        ("by h", "you divided by h; the two points p + h and p - h are 2h apart"),
        ("one sample", "difference of one sample's loss"),
    ],
)
def test_a_central_difference_by_hand_names_the_slips_of_lesson_06(kind, words):
    p = np.array([[0.2], [0.7], [0.9]])
    y = np.array([[0.0], [1.0], [1.0]])
    check = lambda a: check_loss_gradient(a, "binary_cross_entropy", p, y, h=1e-5,  # noqa: E731
                                          names=("p", "y_ex"))
    assert_accepted(check(_central_by_hand(p, y, 1e-5, "central")))
    feedback = check(_central_by_hand(p, y, 1e-5, kind))
    assert_rejected(feedback, words)
    if kind in ("forward", "backward"):  # equal to 4 digits: the relative error is shown
        assert "the same to the 4 digits shown, but the relative error is" in feedback.message
    if kind == "one sample":
        assert "binary_cross_entropy(up, y_ex)" in feedback.message
    assert "times the right answer" not in feedback.message


def test_mse_conventions_need_k_other_than_2_to_be_told_apart():
    prediction = np.array([[0.8, 0.1, 0.1], [0.3, 0.7, 0.0], [0.5, 0.5, 0.0], [0.9, 0.2, 0.4]])
    target = np.eye(3)[[0, 1, 0, 0]]
    assert_rejected(check_loss_gradient(lambda p, t: 2 * (p - t) / p.size, "mse", prediction,
                                        target), "PyTorch's MSELoss convention",
                    "n k = 12 entries")
    assert_rejected(check_loss_gradient(lambda p, t: (p - t) / p.size, "mse", prediction,
                                        target), "you averaged over all n k = 12 entries")
    two = prediction[:, :2]  # with k = 2 the two conventions give the same gradient
    assert_accepted(check_loss_gradient(lambda p, t: 2 * (p - t) / p.size, "mse", two,
                                        target[:, :2]))


def test_softmax_gradient_averaged_over_all_entries_is_named():
    logits = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-2.0, 3.0, 0.0], [1.0, 1.0, -1.0]])
    onehot = np.eye(3)[[2, 0, 1, 0]]
    assert_accepted(check_loss_gradient((softmax(logits) - onehot) / 4, "softmax_cross_entropy",
                                        logits, onehot))
    assert_rejected(check_loss_gradient((softmax(logits) - onehot) / 12,
                                        "softmax_cross_entropy", logits, onehot),
                    "averaged over all n k = 12 entries", "k = 3 outputs", "n = 4 samples")


def test_dividing_a_repeated_batch_by_its_original_size_is_named():
    small = np.random.default_rng(0).normal(size=(8, 1))
    x_big = np.tile(small, (100, 1))
    prediction_big, y_big = 0.5 * x_big, 2.0 * x_big
    names = ("prediction_big", "y_big")
    assert_accepted(check_loss_gradient((prediction_big - y_big) / 800, "mse", prediction_big,
                                        y_big, names=names))
    assert_rejected(check_loss_gradient((prediction_big - y_big) / 8, "mse", prediction_big,
                                        y_big, names=names),
                    "n is len(prediction_big) = 800, not 8")
    assert_rejected(check_loss_gradient(prediction_big - y_big, "mse", prediction_big, y_big,
                                        names=names), "800 times too large")


def test_dense_backward_speaks_in_the_exercises_names():
    names = ("x_ex", "W_ex", "g_ex")
    dW, db, dx = x.T @ g, g.sum(axis=0), g @ W.T
    assert_accepted(check_dense_backward(dW, db, dx, x, W, g, names=names))
    assert_rejected(check_dense_backward(dW, db, W @ g.T, x, W, g, names=names),
                    "W_ex @ g_ex.T")
    assert_rejected(check_dense_backward(g.T @ x, db, dx, x, W, g, names=names),
                    "g_ex.T @ x_ex")
    assert_rejected(check_dense_backward(dW, g.mean(axis=0), dx, x, W, g, names=names),
                    "already inside g_ex")
    # the default names keep the messages of lessons 05 to 07
    assert_rejected(check_dense_backward(dW, db, W @ g.T, x, W, g), "W @ upstream_grad.T")
    with pytest.raises(ValueError, match="names must be three names"):
        check_dense_backward(None, None, None, x, W, g, names=("a", "b"))


def test_pre_activation_speaks_of_the_input_by_the_exercises_name():
    feedback = check_pre_activation(lambda x, W, b: (x @ W + b).T, x, W, b, what="Z", x_name="X")
    assert_rejected(feedback, "W.T @ X.T", "use X @ W + b")
    assert "x.T" not in feedback.message


# ------------------------------------------------- lesson 03: the second reading's findings


def test_a_right_graph_gradient_is_praised_with_its_shares():
    a = Value(3.0, "a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    feedback = check_graph_gradient(24.0, c, a)
    assert_accepted(feedback)
    assert "dc/db = 1 * 6 + 1 * 6 = 12, then dc/da = 12 * 1 + 12 * 1 = 24" in feedback.message
    assert a.grad == 0.0  # the graph's grads are left as they were


@pytest.mark.parametrize("answer, words", [
    (lambda x, y: -1 / y**2, ["dropped the factor x"]),
    (lambda x, y: -((x / y) ** 2), ["squared x too"]),
])
def test_a_quotient_rule_slip_is_named(answer, words):
    assert_rejected(check_local_derivative(answer, "/", {"x": 3.0, "y": -4.0}, wrt="y"), *words)
