"""Bad input fails early with a message naming the argument, what was seen and expected."""

import numpy as np
import pytest

from helpers.activations import (
    get_activation,
    relu,
    sigmoid,
    softmax,
    softmax_jacobian,
    softmax_jvp,
)
from helpers.data import circles, one_hot, spirals, two_moons
from helpers.gradcheck import numeric_gradient, relative_error
from helpers.layers import ActivationLayer, Dense
from helpers.losses import (
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_gradient,
    get_loss,
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy,
)
from helpers.network import Network, build_network
from helpers.training import SGD, train, train_step

X = np.ones((4, 2))
Y = np.ones((4, 1))


# --- shapes ---------------------------------------------------------------------------------

def test_feature_count_mismatch_in_dense():
    with pytest.raises(ValueError, match=r"x has 3 features \(shape \(4, 3\)\) but Dense\(2→5\) "
                                         r"expects 2; expected shape \(n_samples, 2\)"):
        Dense(2, 5).forward(np.ones((4, 3)))


def test_feature_count_mismatch_in_network():
    with pytest.raises(ValueError, match=r"X has 3 features .* network expects 2"):
        build_network([2, 3, 1]).forward(np.ones((4, 3)))


def test_feature_count_mismatch_in_train():
    with pytest.raises(ValueError, match=r"X has 3 features .* network expects 2"):
        train(build_network([2, 1]), np.ones((4, 3)), Y)


def test_wrong_rank():
    message = r"X must be 2-D \(n_samples, n_features\); got shape \(2,\)"
    with pytest.raises(ValueError, match=message):
        build_network([2, 1]).forward(np.ones(2))
    with pytest.raises(ValueError, match=r"x must be 2-D .* got shape \(2, 2, 1\)"):
        Dense(2, 1).forward(np.ones((2, 2, 1)))
    with pytest.raises(ValueError, match=r"logits must be 2-D .* got shape \(3,\)"):
        softmax_cross_entropy(np.ones(3), [0])
    with pytest.raises(ValueError, match=r"z must be 1-D \(n,\); got shape \(1, 2\)"):
        softmax_jacobian(np.ones((1, 2)))


def test_layers_that_do_not_fit_together():
    with pytest.raises(ValueError, match=r"layers\[0\] Dense\(2→3\) outputs 3 values but "
                                         r"layers\[2\] Dense\(4→1\) expects 4 inputs"):
        Network([Dense(2, 3), ActivationLayer("relu"), Dense(4, 1)])
    with pytest.raises(TypeError, match=r"layers\[1\] is a str; expected Dense or ActivationLayer"):
        Network([Dense(2, 3), "relu"])
    with pytest.raises(ValueError, match="layers is empty"):
        Network([])
    with pytest.raises(ValueError, match="no Dense layer"):
        Network([ActivationLayer("relu")])


def test_given_weights_and_bias_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"weights must have shape \(2, 3\) \(n_in, n_out\); "
                                         r"got shape \(3, 2\)"):
        Dense(2, 3, weights=np.ones((3, 2)))
    message = r"bias must have shape \(3,\) \(n_out,\); got shape \(2,\)"
    with pytest.raises(ValueError, match=message):
        Dense(2, 3, bias=np.ones(2))


def test_upstream_grad_shape_is_checked_before_computing():
    layer = Dense(2, 3)
    layer.forward(X)
    message = r"upstream_grad must have shape \(4, 3\) .*got shape \(4, 2\)"
    with pytest.raises(ValueError, match=message):
        layer.backward(np.ones((4, 2)))
    activation = ActivationLayer("tanh")
    activation.forward(X)
    message = r"upstream_grad must have shape \(4, 2\) .*got shape \(2, 4\)"
    with pytest.raises(ValueError, match=message):
        activation.backward(np.ones((2, 4)))
    with pytest.raises(ValueError, match=r"upstream_grad must have shape \(2, 2\)"):
        get_activation("softmax").backward(np.ones((2, 2)), np.ones((2, 3)))
    network = build_network([2, 3, 1])
    network.forward(X)
    message = r"upstream_grad must have shape \(4, 1\) .*got shape \(4,\)"
    with pytest.raises(ValueError, match=message):
        network.backward(np.ones(4))


def test_prediction_and_target_shapes_must_match():
    with pytest.raises(ValueError, match=r"target shape \(3, 2\) does not match prediction "
                                         r"shape \(3, 1\)"):
        mean_squared_error(np.ones((3, 1)), np.ones((3, 2)))
    message = r"target shape \(4,\) does not match probability shape \(3,\)"
    with pytest.raises(ValueError, match=message):
        binary_cross_entropy(np.full(3, 0.5), np.ones(4))


def test_y_that_does_not_fit_x_or_the_loss_in_train():
    with pytest.raises(ValueError, match="X has 4 samples but y has 3"):
        train(build_network([2, 1]), X, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"y does not fit the loss 'mse': target shape \(4, 3\)"):
        train(build_network([2, 1]), X, np.ones((4, 3)))


# --- labels ---------------------------------------------------------------------------------

def test_labels_out_of_range():
    with pytest.raises(ValueError, match=r"labels must be whole class indices in \[0, 3\) "
                                         r"\(logits has 3 columns\); got 3 at index 1"):
        softmax_cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match=r"got -1 at index 0"):
        softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0]))
    with pytest.raises(ValueError, match=r"got 0.5 at index 0"):
        softmax_cross_entropy(np.zeros((2, 3)), [0.5, 1])
    with pytest.raises(ValueError, match=r"labels must be whole class indices in \[0, 2\); got 2"):
        one_hot([0, 2], 2)
    # the index is the one of the target as given (1-D), not of its (n, 1) reshape
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]; got 2 at index 1$"):
        binary_cross_entropy(np.full((2, 1), 0.5), [0, 2])
    with pytest.raises(ValueError, match=r"probability must lie in \[0, 1\]; got 1.5"):
        binary_cross_entropy(np.array([[1.5]]), [1])


def test_labels_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"labels has 3 entries but logits has 2 rows"):
        softmax_cross_entropy(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match=r"labels must have shape \(n,\) class indices or "
                                         r"\(2, 3\) one-hot rows; got shape \(2, 2\)"):
        softmax_cross_entropy(np.zeros((2, 3)), np.eye(2))
    with pytest.raises(ValueError, match=r"one-hot labels must have rows summing to 1; row 1"):
        softmax_cross_entropy(np.zeros((2, 3)), [[1, 0, 0], [1, 1, 0]])
    with pytest.raises(ValueError, match=r"labels must be 1-D \(n,\) or 2-D"):
        softmax_cross_entropy(np.zeros((2, 3)), np.zeros((2, 3, 1)))


def test_labels_out_of_range_in_train_fail_before_any_update():
    network = build_network([2, 2])
    before = network.layers[0].W.copy()
    with pytest.raises(ValueError, match=r"y does not fit the loss 'softmax_cross_entropy': "
                                         r"labels must be whole class indices in \[0, 2\)"):
        train(network, X, [0, 1, 2, 0], loss="softmax_cross_entropy", batch_size=1)
    np.testing.assert_array_equal(network.layers[0].W, before)


# --- values ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, word", [(np.nan, "NaN"), (np.inf, "inf"), (-np.inf, "inf")])
def test_nan_and_inf_in_inputs_and_targets(bad, word):
    X_bad = X.copy()
    X_bad[2, 1] = bad
    with pytest.raises(ValueError, match=rf"X contains {word} at index \(2, 1\)"):
        build_network([2, 1]).forward(X_bad)
    with pytest.raises(ValueError, match=rf"X contains {word} at index \(2, 1\)"):
        train(build_network([2, 1]), X_bad, Y)
    with pytest.raises(ValueError, match=rf"x contains {word}"):
        Dense(2, 1).forward(X_bad)
    Y_bad = Y.copy()
    Y_bad[3, 0] = bad
    with pytest.raises(ValueError, match=rf"y contains {word} at index \(3, 0\)"):
        train(build_network([2, 1]), X, Y_bad)
    with pytest.raises(ValueError, match=rf"target contains {word} at index \(3, 0\)"):
        mean_squared_error(Y, Y_bad)
    with pytest.raises(ValueError, match=rf"labels contains {word} at index 1"):
        softmax_cross_entropy(np.zeros((2, 3)), [0, bad])
    with pytest.raises(ValueError, match=rf"weights contains {word}"):
        Dense(2, 1, weights=[[1.0], [bad]])


def test_nan_in_upstream_grad():
    network = build_network([2, 1])
    network.forward(X)
    with pytest.raises(ValueError, match=r"upstream_grad contains NaN at index \(0, 0\)"):
        network.backward(np.array([[np.nan], [0], [0], [0]]))


@pytest.mark.parametrize("bad", [["a", "b"], None, [[object(), 1]], "text"])
def test_non_numeric_arrays(bad):
    with pytest.raises(TypeError, match=r"X must be a numeric array"):
        build_network([2, 1]).forward(bad)
    with pytest.raises(TypeError, match=r"prediction must be a numeric array"):
        mean_squared_error(bad, [1.0])
    with pytest.raises(TypeError, match=r"y must be a numeric array"):
        train(build_network([2, 1]), X, bad)


def test_empty_batches():
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\); expected at least one"):
        build_network([2, 1]).forward(np.zeros((0, 2)))
    with pytest.raises(ValueError, match=r"X is empty"):
        train(build_network([2, 1]), np.zeros((0, 2)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match=r"prediction is empty"):
        mean_squared_error(np.zeros((0, 1)), np.zeros((0, 1)))
    with pytest.raises(ValueError, match=r"logits is empty"):
        softmax_cross_entropy(np.zeros((0, 3)), [])


# --- sizes, rates, counts -------------------------------------------------------------------

@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_non_positive_learning_rate(lr):
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0; got"):
        SGD(lr)
    with pytest.raises(ValueError, match=r"lr must be a finite number > 0"):
        train(build_network([2, 1]), X, Y, lr=lr)


@pytest.mark.parametrize("epochs", [0, -3])
def test_non_positive_epoch_count(epochs):
    message = rf"epochs must be a positive whole number \(> 0\); got {epochs}"
    with pytest.raises(ValueError, match=message):
        train(build_network([2, 1]), X, Y, epochs=epochs)


def test_non_positive_batch_size():
    with pytest.raises(ValueError, match=r"batch_size must be a positive whole number"):
        train(build_network([2, 1]), X, Y, batch_size=0)


@pytest.mark.parametrize("n_in, n_out, name", [(0, 3, "n_in"), (2, -1, "n_out")])
def test_non_positive_layer_size(n_in, n_out, name):
    with pytest.raises(ValueError, match=rf"{name} must be a positive whole number \(> 0\)"):
        Dense(n_in, n_out)


def test_non_positive_size_in_build_network():
    message = r"sizes\[1\] must be a positive whole number \(> 0\); got 0"
    with pytest.raises(ValueError, match=message):
        build_network([2, 0, 1])
    with pytest.raises(ValueError, match=r"sizes must list at least the input and output"):
        build_network([2])
    with pytest.raises(TypeError, match=r"n_in must be a positive whole number; got '2'"):
        Dense("2", 1)


def test_data_set_arguments():
    with pytest.raises(ValueError, match="n_samples must be a positive whole number"):
        two_moons(0)
    with pytest.raises(ValueError, match="noise must be a finite number >= 0; got -0.1"):
        circles(noise=-0.1)
    with pytest.raises(ValueError, match="factor must lie strictly between 0 and 1; got 1.5"):
        circles(factor=1.5)
    with pytest.raises(ValueError, match="n_classes must be a positive whole number"):
        spirals(10, 0)


# --- order of calls -------------------------------------------------------------------------

def test_backward_before_forward():
    with pytest.raises(RuntimeError, match=r"Dense\(2→1\).backward was called before forward"):
        Dense(2, 1).backward(np.ones((1, 1)))
    with pytest.raises(RuntimeError, match=r"relu.backward was called before forward"):
        ActivationLayer("relu").backward(np.ones((1, 1)))
    with pytest.raises(RuntimeError, match=r"Network.backward was called before forward"):
        build_network([2, 1]).backward(np.ones((1, 1)))


def test_update_before_backward():
    with pytest.raises(RuntimeError, match=r"SGD.step found no gradient for layers\[0\] W"):
        SGD(0.1).step(build_network([2, 1]))


# --- names ----------------------------------------------------------------------------------

def test_unknown_activation_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'; valid: identity, relu, "
                                         r"sigmoid, softmax, tanh"):
        ActivationLayer("sigmod")
    with pytest.raises(ValueError, match=r"unknown activation 'Relu'"):
        build_network([2, 3, 1], hidden="Relu")


def test_unknown_loss_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown loss 'cross_entropy'; valid: "
                                         r"binary_cross_entropy, binary_cross_entropy_with_logits, "
                                         r"mse, softmax_cross_entropy"):
        get_loss("cross_entropy")
    with pytest.raises(ValueError, match=r"unknown loss 'mae'"):
        train(build_network([2, 1]), X, Y, loss="mae")
    with pytest.raises(ValueError, match=r"unknown loss 'l2'"):
        train_step(build_network([2, 1]), X, Y, "l2", SGD(0.1))


def test_softmax_has_no_elementwise_derivative():
    message = r"softmax has no entry-by-entry derivative.*softmax_jacobian"
    with pytest.raises(ValueError, match=message):
        get_activation("softmax").derivative(np.zeros((1, 3)))


def test_gradcheck_arguments():
    with pytest.raises(TypeError, match=r"f must be a function"):
        numeric_gradient(3.0, np.ones(2))
    with pytest.raises(ValueError, match=r"h must be a finite number > 0"):
        numeric_gradient(np.sum, np.ones(2), h=0)
    with pytest.raises(ValueError, match=r"a has shape \(2,\) but b has shape \(3,\)"):
        relative_error(np.ones(2), np.ones(3))


def test_integer_inputs_are_accepted_everywhere():
    network = build_network([2, 1])
    output = network.forward(np.array([[1, 2], [3, 4]]))
    assert output.dtype == np.float64
    network.backward(np.array([[1], [1]]))
    assert network.layers[0].dW.dtype == np.float64
    history = train(network, [[0, 1], [1, 0]], [[1], [0]], epochs=2)
    assert len(history) == 2


def test_activation_functions_reject_non_numeric_input():
    for function in (sigmoid, relu, softmax):
        with pytest.raises(TypeError, match=r"z must be a numeric array"):
            function(["a", "b"])
    with pytest.raises(ValueError, match=r"z must be 1-D \(n,\) or 2-D .*got shape \(\)"):
        softmax(3.0)
    with pytest.raises(ValueError, match=r"z has no entries to normalise"):
        softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"upstream_grad must have shape \(3,\)"):
        softmax_jvp(np.zeros(3), np.zeros(4))


def test_ragged_input_to_a_loss_gradient():
    for gradient in (mean_squared_error_gradient, binary_cross_entropy_gradient):
        with pytest.raises(ValueError, match="must be a rectangular numeric array"):
            gradient([[0.5], [0.5, 0.5]], [1, 0])


# --- binary cross-entropy from logits ---------------------------------------------------------

BCE_FROM_LOGITS = (binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_gradient)


@pytest.mark.parametrize("function", BCE_FROM_LOGITS)
def test_bce_with_logits_rejects_bad_input_naming_the_argument(function):
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]; got 2 at index 1$"):
        function([0.3, -2.0], [0.0, 2.0])
    with pytest.raises(ValueError, match=r"target shape \(4,\) does not match logits shape "
                                         r"\(3,\)"):
        function(np.zeros(3), np.ones(4))
    with pytest.raises(ValueError, match=r"target shape \(2, 3\) does not match logits shape "
                                         r"\(2, 1\)"):
        function(np.zeros((2, 1)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"logits contains NaN at index \(1, 0\)"):
        function([[0.0], [np.nan]], [[0.0], [1.0]])
    with pytest.raises(ValueError, match=r"logits contains inf at index 0"):
        function([np.inf], [1.0])
    with pytest.raises(ValueError, match=r"logits must be 1-D \(n,\) or 2-D"):
        function(np.zeros((2, 1, 1)), np.zeros((2, 1)))
    with pytest.raises(ValueError, match=r"logits is empty"):
        function(np.zeros((0, 1)), np.zeros((0, 1)))
    with pytest.raises(TypeError, match=r"logits must be a numeric array"):
        function("z", [1.0])


def test_targets_outside_0_1_fail_in_train_before_any_update():
    network = build_network([2, 1])
    before = network.layers[0].W.copy()
    with pytest.raises(ValueError, match=r"y does not fit the loss "
                                         r"'binary_cross_entropy_with_logits': target must lie "
                                         r"in \[0, 1\]; got -1 at index \(2, 0\)"):
        train(network, X, [[0.0], [1.0], [-1.0], [1.0]], loss="binary_cross_entropy_with_logits")
    np.testing.assert_array_equal(network.layers[0].W, before)
