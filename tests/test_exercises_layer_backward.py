"""Tests of lesson 05's layer-backward checks: check_gradient_shapes, check_dense_backward on a
non-square layer (errors explained by their line), check_activation_backward and
check_two_layer_backward. Right answers pass, each named mistake gets its own words, nothing
raises, and under grading a wrong answer raises AnswerNotAccepted."""

import time

import numpy as np
import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.exercises import (
    check_activation_backward,
    check_dense_backward,
    check_gradient_shapes,
    check_two_layer_backward,
)
from helpers.exercises.feedback import AnswerNotAccepted
from helpers.exercises.layer_backward import SILU
from helpers.losses import mean_squared_error_gradient
from helpers.network import build_network

rng = np.random.default_rng(11)
X = rng.normal(size=(5, 3))  # n = 5, n_in = 3
W = rng.normal(size=(3, 2))  # n_out = 2
G = rng.normal(size=(5, 2))  # upstream_grad
Z = rng.normal(size=(6, 4))
U = rng.normal(size=(6, 4))  # dL/da
SIZES = {"n": 5, "n_in": 3, "n_out": 2}
RIGHT_SHAPES = ((3, 2), (2,), (5, 3), ((3, 5), (5, 2)), ((5, 2), (2, 3)))
NAMES = {"names": ("X", "W", "upstream_grad"), "dx_name": "dX"}
NET = build_network([3, 4, 2], hidden="tanh", output="identity", rng=3)
X_TWO = np.random.default_rng(4).normal(size=(6, 3))
Y_TWO = np.random.default_rng(5).normal(size=(6, 2))


# --- the shapes first ----------------------------------------------------------------------


def shapes(**changed):
    answer = dict(zip(["dW", "db", "dX", "dW_factors", "dX_factors"], RIGHT_SHAPES, strict=True))
    answer.update(changed)
    return check_gradient_shapes(*answer.values(), **SIZES)


def test_shapes_right():
    assert_accepted(shapes())
    assert_accepted(shapes(db=2, dW=[3, 2], dX=(np.int64(5), 3)))


@pytest.mark.parametrize(("changed", "words"), [
    ({"dW": (2, 3)}, ["the shape of what it is the gradient of", "transpose"]),
    ({"dW": (5, 2)}, ["shape of upstream_grad"]),
    ({"db": (1, 2)}, ["keepdims=True"]),
    ({"db": (5,)}, ["one number per sample"]),
    ({"db": (5, 2)}, ["adds up its rows"]),
    ({"dX": (3, 5)}, ["transpose"]),
    ({"dX": (5, 2)}, ["passes down to its input X"]),
    ({"dW_factors": ((2, 5), (5, 3))}, ["gives (2, 3)", "not the shape of dW",
                                        "Which order"]),
    ({"dW_factors": ((5, 3), (5, 2))}, ["cannot be computed", "number of columns of A"]),
    ({"dW_factors": ((3, 3), (3, 2))}, ["none of the arrays dW is made of", "X.T (3, 5)"]),
    ({"dX_factors": ((5, 2), (3, 2))}, ["cannot be computed"]),
    ({"dX_factors": ((5, 2),)}, ["pair of shapes"]),
    ({"dX": "(5, 3)"}, ["should be a shape", "the text"]),
    ({"dX": np.zeros((5, 3))}, ["is an array", "tuple of sizes"]),
])
def test_shapes_mistakes_are_named(changed, words):
    assert_rejected(shapes(**changed), *words)


def test_shapes_not_done():
    assert_not_done(shapes(dW=None), "dW_shape")
    assert_not_done(shapes(dX_factors=...), "dX_factors")
    assert_not_done(check_gradient_shapes(None, None, None, None, None, **SIZES))
    feedback = shapes(dW=None, db=(9,))  # one wrong part makes it wrong, not "not done"
    assert_rejected(feedback, "db_shape")


def test_shapes_refuses_bad_problem_data():
    with pytest.raises(ValueError, match="must differ"):
        check_gradient_shapes(*RIGHT_SHAPES, n=3, n_in=3, n_out=2)
    with pytest.raises(ValueError, match="n_out must be a positive int"):
        check_gradient_shapes(*RIGHT_SHAPES, n=5, n_in=3, n_out=0)


# --- dense_backward on a non-square layer ---------------------------------------------------


def dense(func):
    return check_dense_backward(func, x=X, W=W, upstream_grad=G, **NAMES)


def test_dense_right():
    assert_accepted(dense(lambda X, W, g: (X.T @ g, g.sum(axis=0), g @ W.T)))


def test_dense_mistakes_are_named():
    assert_rejected(dense(lambda X, W, g: (g.T @ X, g.sum(axis=0), g @ W.T)),
                    "upstream_grad.T @ X: that is the transpose of dW")
    assert_rejected(dense(lambda X, W, g: (X.T @ g, g.mean(axis=0), g @ W.T)), "took the mean")
    assert_rejected(dense(lambda X, W, g: (X.T @ g, g.sum(axis=1), g @ W.T)), "wrong axis")
    assert_rejected(dense(lambda X, W, g: (X.T @ g, g.sum(axis=0), W @ g.T)),
                    "W @ upstream_grad.T: that is the transpose of dX")
    assert_rejected(dense(lambda X, W, g: (X.T @ g / 5, g.sum(axis=0), g @ W.T)),
                    "divided by the batch size")


def test_dense_refused_products_are_explained_by_their_line():
    def with_W(X, W, upstream_grad):
        dW = X.T @ upstream_grad
        dX = upstream_grad @ W
        return dW, upstream_grad.sum(axis=0), dX

    assert_rejected(dense(with_W), "raised ValueError", "in the line:  dX = upstream_grad @ W",
                    "upstream_grad @ W is (5, 2) @ (3, 2)", "dX is computed with W.T, not W")

    def transposed(X, W, upstream_grad):
        dW = X @ upstream_grad.T
        return dW, upstream_grad.sum(axis=0), upstream_grad @ W.T

    assert_rejected(dense(transposed), "X @ upstream_grad.T is (5, 3) @ (2, 5)",
                    "dW is a product of X and upstream_grad", "which one is transposed")


def test_dense_not_done_and_odd_answers():
    assert_not_done(dense(lambda X, W, g: None))
    assert_not_done(dense(lambda X, W, g: (None, None, None)), "dX is still None")
    assert_rejected(dense(lambda X, W, g: X), "should return three arrays", "dX")

    def broken(X, W, g):
        raise KeyError("w7")

    assert_rejected(dense(broken), "raised KeyError", "called with")


# --- activation_backward --------------------------------------------------------------------


def act(func, name="tanh"):
    return check_activation_backward(func, Z, U, name)


def test_activation_right():
    assert_accepted(act(lambda z, g: (1 - np.tanh(z) ** 2) * g))
    assert_accepted(act(lambda z, g: g / np.cosh(z) ** 2))
    s = 1 / (1 + np.exp(-Z))
    assert_accepted(check_activation_backward(s * (1 - s) * U, Z, U, "sigmoid"))


@pytest.mark.parametrize(("answer", "words"), [
    (lambda z, g: 1 - np.tanh(z) ** 2, ["forgot the upstream factor"]),
    (lambda z, g: g, ["returned upstream_grad unchanged"]),
    (lambda z, g: (1 - np.tanh(np.tanh(z)) ** 2) * g, ["wrong place", "pre-activation z"]),
    (lambda z, g: (1 - z**2) * g, ["you used z where the formula wants a = tanh(z)"]),
    (lambda z, g: (1 - np.tanh(z)) ** 2 * g, ["the square belongs to tanh alone"]),
    (lambda z, g: np.tanh(z) * g, ["tanh(z) itself, not by its derivative"]),
    (lambda z, g: ((1 - np.tanh(z) ** 2) * g).sum(axis=0), ["summed over the batch"]),
    (lambda z, g: g @ (1 - np.tanh(z) ** 2).T, ["matrix product", "entry by entry"]),
    (lambda z, g: ((1 - np.tanh(z) ** 2) * g).T, ["transpose"]),
])
def test_activation_mistakes_are_named(answer, words):
    assert_rejected(act(answer), *words)


def test_activation_refused_product_is_explained():
    def matrix(z, upstream_grad):
        return (1 - np.tanh(z) ** 2) @ upstream_grad

    assert_rejected(act(matrix), "raised ValueError", "in the line:", "with *, not with the "
                    "matrix product @")


def test_activation_sigmoid_wrong_place():
    assert_rejected(check_activation_backward(Z * (1 - Z) * U, Z, U, "sigmoid"),
                    "a = sigmoid(z)")


def test_activation_not_done_and_odd_answers():
    assert_not_done(act(None))
    assert_not_done(act(...))
    assert_not_done(act(lambda z, g: None))
    assert_rejected(act("tanh"), "the text")
    assert_rejected(act(lambda z, g: 1 / 0), "raised ZeroDivisionError")
    assert_rejected(act(np.ones((6, 3))), "has shape (6, 3)")
    with pytest.raises(ValueError, match="shape of z"):
        check_activation_backward(None, Z, U[:, :2], "tanh")


# --- two layers from the learner's pieces ---------------------------------------------------


def dense_piece(X, W, g):
    return X.T @ g, g.sum(axis=0), g @ W.T


def act_piece(z, g):
    return (1 - np.tanh(z) ** 2) * g


def two_layer(body):
    """network_backward as the lesson's template has it, with one way to complete it."""

    def network_backward(network, X, y):
        W1, b1 = network.layers[0].W, network.layers[0].b
        W2, b2 = network.layers[2].W, network.layers[2].b
        z1 = X @ W1 + b1
        a1 = np.tanh(z1)
        prediction = a1 @ W2 + b2
        upstream_grad = mean_squared_error_gradient(prediction, y)
        dW1, db1, dW2, db2 = None, None, None, None
        if body == "reversed":
            dW1, db1, _ = dense_piece(X, W1, upstream_grad)
        elif body != "none":
            dW2, db2, da1 = dense_piece(z1 if body == "z1" else a1, W2, upstream_grad)
            dz1 = {"no_activation": da1, "a1": act_piece(a1, da1)}.get(body, act_piece(z1, da1))
            dW1, db1, _ = dense_piece(X, W1, dz1)
        if body == "swapped":
            return [(dW2, db2), (dW1, db1)]
        return [(dW1, db1), (dW2, db2)]

    return network_backward


def two(answer, dense_backward=dense_piece, activation_backward=act_piece):
    return check_two_layer_backward(answer, NET, X_TWO, Y_TWO, dense_backward,
                                    activation_backward)


def test_two_layer_right_and_against_the_package():
    assert_accepted(two(two_layer("right")))
    net = NET.copy()
    net.backward(mean_squared_error_gradient(net.forward(X_TWO), Y_TWO))
    values = [(net.layers[0].dW, net.layers[0].db), (net.layers[2].dW, net.layers[2].db)]
    assert_accepted(two(values))


@pytest.mark.parametrize(("body", "words"), [
    ("no_activation", ["skipped activation_backward", "✓ dW2 is right"]),
    ("a1", ["passed a1 to activation_backward"]),
    ("z1", ["layer 2's input is a1", "✓ dW1 is right"]),
    ("swapped", ["reverse order"]),
    ("reversed", ["started the backward pass at layer 1", "in the line:", "W1 (3, 4)"]),
])
def test_two_layer_mistakes_are_named(body, words):
    assert_rejected(two(two_layer(body)), *words)


def test_two_layer_missing_pieces_are_named_not_a_traceback():
    assert_not_done(two(two_layer("right"), dense_backward=lambda X, W, g: (None, None, None)),
                    "dense_backward (Exercise 2)")
    assert_not_done(two(two_layer("right"), activation_backward=lambda z, g: None),
                    "activation_backward (Exercise 3)")
    assert_not_done(two(two_layer("right"), dense_backward=None), "dense_backward")
    assert_rejected(two(two_layer("right"), activation_backward=lambda z, g: z @ g),
                    "activation_backward from Exercise 3 raises")
    assert_rejected(two(two_layer("right"), dense_backward=lambda X, W, g: (g.T @ X, 0, 0)),
                    "dense_backward from Exercise 2 is not right yet")


def test_two_layer_not_done_and_odd_answers():
    assert_not_done(two(two_layer("none")), "still None")
    assert_not_done(two(lambda net, X, y: None))
    assert_not_done(two(None))
    assert_rejected(two(lambda net, X, y: "grads"), "[(dW1, db1), (dW2, db2)]")
    assert_rejected(two(lambda net, X, y: 1 / 0), "raised ZeroDivisionError")


def test_two_layer_refuses_another_network():
    with pytest.raises(ValueError, match="Dense, ActivationLayer, Dense"):
        check_two_layer_backward(None, build_network([3, 4, 4, 2]), X_TWO, Y_TWO)


# --- grading and speed ----------------------------------------------------------------------


RIGHT_AND_WRONG = [
    (lambda: shapes(), lambda: shapes(dW=(2, 3))),
    (lambda: dense(dense_piece), lambda: dense(lambda X, W, g: (g.T @ X, 0, 0))),
    (lambda: act(act_piece), lambda: act(lambda z, g: g)),
    (lambda: two(two_layer("right")), lambda: two(two_layer("no_activation"))),
    (lambda: two(two_layer("right")), lambda: two(two_layer("none"))),
]


@pytest.mark.parametrize(("right", "wrong"), RIGHT_AND_WRONG)
def test_grading_raises_only_for_a_wrong_answer(monkeypatch, right, wrong):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert right().correct
    with pytest.raises(AnswerNotAccepted):
        wrong()


@pytest.mark.parametrize("run", [pair[0] for pair in RIGHT_AND_WRONG[:4]]
                         + [pair[1] for pair in RIGHT_AND_WRONG[:4]])
def test_a_check_answers_quickly(run):
    start = time.perf_counter()
    run()
    assert time.perf_counter() - start < 0.5


# --- messages that name the mistake and leave out the fix ---------------------------------------


@pytest.mark.parametrize(("changed", "answers"), [
    ({"dW": (2, 3)}, ["(3, 2)"]), ({"dX": (3, 5)}, ["(5, 3)"]), ({"db": (5,)}, ["(2,)"]),
    ({"dW_factors": ((2, 5), (5, 3))}, ["(3, 2)", "(3, 5)"]),
])
def test_shapes_messages_do_not_print_the_answer(changed, answers):
    feedback = shapes(**changed)
    assert_rejected(feedback)
    for answer in [*answers, "should be"]:
        assert answer not in feedback.message, feedback.message


@pytest.mark.parametrize(("answer", "fix"), [
    (lambda X, W, g: (g.T @ X, g.sum(axis=0), g @ W.T), "X.T @ upstream_grad"),
    (lambda X, W, g: (X.T @ g, g.mean(axis=0), g @ W.T), "sum(axis=0)"),
    (lambda X, W, g: (X.T @ g, g.sum(axis=1), g @ W.T), "sum(axis=0)"),
    (lambda X, W, g: (X.T @ g, g.sum(axis=0), W @ g.T), "upstream_grad @ W.T"),
])
def test_dense_messages_do_not_print_the_answer(answer, fix):
    feedback = dense(answer)
    assert_rejected(feedback)
    assert fix not in feedback.message, feedback.message


def test_dense_db_and_dX_in_swapped_order_is_named():
    assert_rejected(dense(lambda X, W, g: (X.T @ g, g @ W.T, g.sum(axis=0))),
                    "db and dX in swapped order")


def test_dense_error_message_prints_shapes_not_values():
    def with_W(X, W, upstream_grad):
        return X.T @ upstream_grad, upstream_grad.sum(axis=0), upstream_grad @ W

    feedback = dense(with_W)
    assert_rejected(feedback, "W of shape (3, 2)", "X of shape (5, 3)")
    assert "W = [[" not in feedback.message


def test_activation_with_the_sigmoid_derivative_is_named():
    def sigmoid_slope(z, g):
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s) * g

    assert_rejected(act(sigmoid_slope), "the sigmoid's derivative", "this layer is tanh")


def _two_layer_with(line):
    """network_backward whose backward part is the given variant."""

    def network_backward(network, X, y):
        W1, b1 = network.layers[0].W, network.layers[0].b
        W2, b2 = network.layers[2].W, network.layers[2].b
        z1 = X @ W1 + b1
        a1 = np.tanh(z1)
        upstream_grad = mean_squared_error_gradient(a1 @ W2 + b2, y)
        if line == "upstream into activation":
            dW2, db2, da1 = dense_piece(a1, W2, upstream_grad)
            dz1 = act_piece(z1, upstream_grad)
            dW1, db1, _ = dense_piece(X, W1, dz1)
        elif line == "W2 into layer 1":
            dW2, db2, da1 = dense_piece(a1, W2, upstream_grad)
            dz1 = act_piece(z1, da1)
            dW1, db1, _ = dense_piece(X, W2, dz1)
        elif line == "X into layer 2":
            dW2, db2, _ = dense_piece(X, W2, upstream_grad)
            da1 = upstream_grad @ W2.T
            dW1, db1, _ = dense_piece(X, W1, act_piece(z1, da1))
        else:  # a1 into layer 1
            dW2, db2, da1 = dense_piece(a1, W2, upstream_grad)
            dW1, db1, _ = dense_piece(a1, W1, act_piece(z1, da1))
        return [(dW1, db1), (dW2, db2)]

    return network_backward


def test_two_layer_upstream_grad_into_activation_backward_is_named():
    feedback = two(_two_layer_with("upstream into activation"))
    assert_rejected(feedback, "act_piece needs dL/da1, shape (6, 4)",
                    "third result of layer 2's dense_backward",
                    "in the line:  dz1 = act_piece(z1, upstream_grad)",
                    "with z1 (6, 4), upstream_grad (6, 2)")
    for off_the_line in ("X (6, 3)", "y (6, 2)", "transpose", "The shapes here"):
        assert off_the_line not in feedback.message, feedback.message


def test_two_layer_W2_given_to_layer_1_is_named():
    feedback = two(_two_layer_with("W2 into layer 1"))
    assert_rejected(feedback, "layer 1's weights W1, (3, 4)", "W2, (4, 2), belongs to layer 2")
    assert "The shapes here" not in feedback.message


@pytest.mark.parametrize(("line", "words"), [
    ("X into layer 2", ["gave layer 2's dense_backward the input X", "✓ dW1 is right"]),
    ("a1 into layer 1", ["gave layer 1's dense_backward the input a1", "✓ dW2 is right"]),
])
def test_two_layer_wrong_layer_input_is_named(line, words):
    feedback = two(_two_layer_with(line))
    assert_rejected(feedback, *words)
    assert "check which axes your computation keeps" not in feedback.message


# --- changes after a second reading -----------------------------------------------------------


def test_shapes_message_goes_on_in_lower_case_after_the_colon():
    feedback = shapes(db=(5,))
    assert_rejected(feedback, "Your db_shape, (5,), is not right: that is one number per sample")
    assert_rejected(shapes(dW=(3, 3)), "is not right: a gradient has the shape")


def test_dense_W_first_is_named_with_the_order():
    def W_first(X, W, upstream_grad):
        dX = W @ upstream_grad
        return X.T @ upstream_grad, upstream_grad.sum(axis=0), dX

    def W_T_first(X, W, upstream_grad):
        dX = W.T @ upstream_grad
        return X.T @ upstream_grad, upstream_grad.sum(axis=0), dX

    assert_rejected(dense(W_first), "upstream_grad comes first in dX's product",
                    "computed with W.T, not W")
    feedback = dense(W_T_first)
    assert_rejected(feedback, "W.T is right, but upstream_grad comes first in dX's product")
    for fix in ("upstream_grad @ W.T", "check which axes"):
        assert fix not in feedback.message, feedback.message


def test_dense_entry_by_entry_product_is_named():
    def star_dW(X, W, upstream_grad):
        dW = X.T * upstream_grad
        return dW, upstream_grad.sum(axis=0), upstream_grad @ W.T

    def star_dX(X, W, upstream_grad):
        dX = upstream_grad * W.T
        return X.T @ upstream_grad, upstream_grad.sum(axis=0), dX

    assert_rejected(dense(star_dW), "in the line:  dW = X.T * upstream_grad",
                    "* multiplies entry by entry; dW needs the matrix product @")
    assert_rejected(dense(star_dX), "* multiplies entry by entry; dX needs the matrix product @")


def test_dense_names_default_to_the_functions_parameters():
    def dense_backward(X, W, upstream_grad):
        return X.T @ upstream_grad, upstream_grad.sum(axis=0), W @ upstream_grad.T

    feedback = check_dense_backward(dense_backward, x=X, W=W, upstream_grad=G)
    assert_rejected(feedback, "W @ upstream_grad.T: that is the transpose of dX", "✓ dW is right")
    assert_accepted(check_dense_backward(dense_piece, x=X, W=W, upstream_grad=G))
    # arrays keep the old names
    assert_rejected(check_dense_backward(X.T @ G, G.sum(axis=0), W @ G.T, X, W, G),
                    "transpose of dx")


def silu_slope(z, g):
    s = 1 / (1 + np.exp(-z))
    return s * (1 + z * (1 - s)) * g


def test_silu_is_the_package_activation_and_its_derivative_agrees_with_central_differences():
    from helpers.gradcheck import TOLERANCE, numeric_gradient, relative_error

    z = np.linspace(-4, 4, 9)
    assert np.allclose(SILU.forward(z), z / (1 + np.exp(-z)))
    numeric = numeric_gradient(lambda v: float(SILU.forward(v).sum()), z)
    assert relative_error(SILU.derivative(z), numeric) < TOLERANCE


def test_silu_backward_right():
    assert_accepted(act(silu_slope, "silu"))
    assert_accepted(act(silu_slope(Z, U), "silu"))
    assert "silu'(z) * upstream_grad" in act(silu_slope, "silu").message


@pytest.mark.parametrize(("answer", "words"), [
    (lambda z, g: g / (1 + np.exp(-z)), ["only the first term of the product", "product rule"]),
    (lambda z, g: z * np.exp(-z) / (1 + np.exp(-z)) ** 2 * g, ["only the second term"]),
    (lambda z, g: np.exp(-z) / (1 + np.exp(-z)) ** 2 * g, ["the sigmoid's derivative alone"]),
    (lambda z, g: (1 / (1 + np.exp(-z)) + z / (1 + np.exp(z))) * g, ["not 1 - sigmoid(z)"]),
    (lambda z, g: (1 + z) / (1 + np.exp(-z)) * g, ["not sigmoid(z) itself"]),
    (lambda z, g: z / (1 + np.exp(-z)) * g, ["silu(z) itself, not by its derivative"]),
    (lambda z, g: silu_slope(z, np.ones_like(z)), ["forgot the upstream factor"]),
], ids=["first term", "second term", "sigmoid slope", "1 - s", "s for s'", "silu itself",
        "no upstream"])
def test_silu_mistakes_are_named(answer, words):
    assert_rejected(act(answer, "silu"), *words)


def test_silu_not_done_and_odd_answers():
    assert_not_done(act(None, "silu"))
    assert_not_done(act(lambda z, g: None, "silu"))
    assert_rejected(act(lambda z, g: 1 / 0, "silu"), "raised ZeroDivisionError")
    assert_rejected(act(np.ones((6, 3)), "silu"), "has shape (6, 3)")


SILU_NET = build_network([3, 4, 2], hidden=SILU, output="identity", rng=3)


def silu_network_backward(network, X, y):
    """The lesson's network_backward for Dense, SiLU, Dense, completed."""
    W1, b1 = network.layers[0].W, network.layers[0].b
    W2, b2 = network.layers[2].W, network.layers[2].b
    z1 = X @ W1 + b1
    a1 = z1 / (1 + np.exp(-z1))
    upstream_grad = mean_squared_error_gradient(a1 @ W2 + b2, y)
    dW2, db2, da1 = dense_piece(a1, W2, upstream_grad)
    dW1, db1, _ = dense_piece(X, W1, silu_slope(z1, da1))
    return [(dW1, db1), (dW2, db2)]


def test_two_layer_with_a_silu_hidden_layer(monkeypatch):
    def check(answer, activation_backward=silu_slope):
        return check_two_layer_backward(answer, SILU_NET, X_TWO, Y_TWO, dense_piece,
                                        activation_backward)

    assert_accepted(check(silu_network_backward))
    assert_rejected(check(silu_network_backward, act_piece),
                    "activation_backward from Exercise 3 is not right yet")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert check(silu_network_backward).correct
    with pytest.raises(AnswerNotAccepted):
        act(lambda z, g: g / (1 + np.exp(-z)), "silu")
