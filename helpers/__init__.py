"""helpers: forward and backward propagation in numpy, for the course notebooks.

Lesson 00 (Start here) imports it for the first time; each module names the lessons that
teach it. ``import helpers`` loads the numeric core alone (numpy and the standard library):

- ``helpers.activations``  lesson 02: sigmoid, tanh, ReLU, softmax, identity and derivatives
- ``helpers.losses``       lesson 04: mean squared error, cross-entropies (on probabilities
                           and on logits) and gradients
- ``helpers.layers``       lessons 01 and 05: Dense and ActivationLayer, forward and backward
- ``helpers.network``      lessons 01 and 05: a Network of layers, and its record
- ``helpers.graph``        lesson 03: a scalar computational graph (Value) for the chain rule
- ``helpers.gradcheck``    lesson 06: numeric gradients and relative errors
- ``helpers.training``     lesson 07: SGD, train_step, train
- ``helpers.data``         toy data sets (XOR, two moons, circles, spirals, a noisy line)

To see how dL/dW of a dense layer is computed, read ``Dense.backward`` in layers.py, then
``Network.backward`` in network.py, which calls it for every layer in reverse order.

The layers on top load their library only when imported themselves:

- ``helpers.symbolic``  (sympy): chain-rule derivations and symbolic networks
- ``helpers.plots``     (matplotlib): drawings of graphs, networks, activations and losses
- ``helpers.widgets``   (ipywidgets): steppers and explorers for the notebooks
- ``helpers.exercises`` : checks that tell a learner what is wrong with an answer
"""

from .activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    identity,
    identity_derivative,
    relu,
    relu_derivative,
    sigmoid,
    sigmoid_derivative,
    softmax,
    softmax_jacobian,
    softmax_jvp,
    tanh,
    tanh_derivative,
)
from .data import DATASETS, circles, noisy_line, one_hot, spirals, two_moons, xor
from .gradcheck import (
    TOLERANCE,
    GradCheckEntry,
    GradCheckReport,
    check_layer,
    check_network,
    format_relative_error,
    forward_difference_gradient,
    noise_floor,
    numeric_gradient,
    relative_error,
)
from .graph import Value
from .layers import ActivationLayer, Dense
from .losses import (
    LOSSES,
    Loss,
    binary_cross_entropy,
    binary_cross_entropy_gradient,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_gradient,
    get_loss,
    mean_squared_error,
    mean_squared_error_gradient,
    softmax_cross_entropy,
    softmax_cross_entropy_gradient,
)
from .network import LayerRecord, Network, Parameter, build_network, predicted_classes
from .training import SGD, train, train_step

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation", "identity", "identity_derivative", "relu",
    "relu_derivative", "sigmoid", "sigmoid_derivative", "softmax", "softmax_jacobian",
    "softmax_jvp", "tanh", "tanh_derivative",
    "DATASETS", "circles", "noisy_line", "one_hot", "spirals", "two_moons", "xor",
    "TOLERANCE", "GradCheckEntry", "GradCheckReport", "check_layer", "check_network",
    "forward_difference_gradient", "format_relative_error", "noise_floor", "numeric_gradient",
    "relative_error",
    "Value",
    "ActivationLayer", "Dense",
    "LOSSES", "Loss", "binary_cross_entropy", "binary_cross_entropy_gradient",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_gradient", "get_loss",
    "mean_squared_error", "mean_squared_error_gradient", "softmax_cross_entropy",
    "softmax_cross_entropy_gradient",
    "LayerRecord", "Network", "Parameter", "build_network", "predicted_classes",
    "SGD", "train", "train_step",
]
