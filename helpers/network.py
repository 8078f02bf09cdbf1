"""A network: a sequence of layers, run forward and then backward. Taught in lesson 01
(Forward propagation) and lesson 05 (Backpropagation); trained in lesson 07 (Training with
gradient descent).

forward(X) passes the batch through every layer in order: X (n, n_inputs) -> output
(n, n_outputs). backward(dL/doutput) walks the layers in reverse, each turning the gradient
of its output into the gradient of its input and storing its own parameter gradients on the
way. Both loops call each layer's public forward and backward and nothing else; the record of
every intermediate (for the steppers) is put together from the layers afterwards.
"""

import copy
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ._validate import (
    as_float64,
    as_float_array,
    check_batch,
    check_ndim,
    check_positive_int,
    check_shape,
    network_pass,
)
from .layers import ActivationLayer, Dense


class Parameter(NamedTuple):
    """One parameter array of a network with its gradient.

    layer_index: position of the layer in network.layers; name: "W" or "b";
    value: the live array (updating it in place changes the network);
    grad: dL/dvalue with the same shape, or None before the first backward.
    """

    layer_index: int
    name: str
    value: np.ndarray
    grad: np.ndarray | None


@dataclass
class LayerRecord:
    """Everything one layer saw in the last recorded forward (and the backward after it).

    kind "dense": input is x (n, n_in), output is z (n, n_out); W, b are copies taken at
    forward time; dW, db are filled by backward.
    kind "activation": input is z, output is a (both (n, k)); W, b, dW, db are None.
    upstream_grad is dL/d(output) and downstream_grad is dL/d(input), filled by backward.
    """

    index: int
    name: str
    kind: str
    input: np.ndarray
    output: np.ndarray
    upstream_grad: np.ndarray | None = None
    downstream_grad: np.ndarray | None = None
    W: np.ndarray | None = None
    b: np.ndarray | None = None
    dW: np.ndarray | None = None
    db: np.ndarray | None = None

    @property
    def delta(self):
        """The lesson's delta: dL/dz. For a dense layer that is its upstream_grad, for an
        activation layer its downstream_grad."""
        return self.upstream_grad if self.kind == "dense" else self.downstream_grad


class Network:
    """A feed-forward network: a list of Dense and ActivationLayer objects.

    layers: the layers in order; consecutive Dense layers must fit (n_out of one equals
        n_in of the next Dense).
    forward(X (n, n_inputs), record=False) -> output (n, n_outputs)
    backward(upstream_grad (n, n_outputs)) -> dL/dX (n, n_inputs)
    """

    def __init__(self, layers):
        layers = list(layers)
        if not layers:
            raise ValueError("layers is empty; expected a list of at least one Dense layer")
        for index, layer in enumerate(layers):
            if not isinstance(layer, Dense | ActivationLayer):
                raise TypeError(
                    f"layers[{index}] is a {type(layer).__name__}; expected Dense or "
                    "ActivationLayer"
                )
        dense = [(i, layer) for i, layer in enumerate(layers) if isinstance(layer, Dense)]
        if not dense:
            raise ValueError("layers has no Dense layer; expected at least one")
        for (i, before), (j, after) in zip(dense, dense[1:], strict=False):
            if before.n_out != after.n_in:
                raise ValueError(
                    f"layers[{i}] {before.name} outputs {before.n_out} values but layers[{j}] "
                    f"{after.name} expects {after.n_in} inputs; expected them to match"
                )
        self.layers = layers
        self.record = []
        self._output_shape = None

    @property
    def n_inputs(self):
        """Number of input features (n_in of the first Dense layer)."""
        return next(layer.n_in for layer in self.layers if isinstance(layer, Dense))

    @property
    def n_outputs(self):
        """Number of outputs (n_out of the last Dense layer)."""
        return next(layer.n_out for layer in reversed(self.layers) if isinstance(layer, Dense))

    def forward(self, X, *, record=False):
        """Run every layer in order. X: (n, n_inputs) -> output (n, n_outputs).

        X is checked once, here; each layer's forward then checks only the shape of what it
        receives (see helpers._validate.network_pass). record=True keeps a LayerRecord per
        layer in self.record (for stepping through).
        """
        values = check_batch(X, "X", self.n_inputs, "the network")  # a copy if X is yours
        with network_pass():
            for layer in self.layers:
                values = layer.forward(values)
        self._output_shape = values.shape
        self.record = _forward_records(self.layers) if record else []
        return values

    def backward(self, upstream_grad):
        """Run every layer's backward in reverse order.

        upstream_grad: dL/doutput, shape (n, n_outputs) of the last forward's output.
        Returns dL/dX, shape (n, n_inputs). Dense layers store dW and db on the way.
        """
        if self._output_shape is None:
            raise RuntimeError(
                "Network.backward was called before forward; run forward(X) first so every "
                "layer has the values it needs for the chain rule"
            )
        upstream_grad = as_float_array(upstream_grad, "upstream_grad")
        check_shape(
            upstream_grad, "upstream_grad", self._output_shape,
            "(the shape of the network output = dL/doutput)",
        )
        grads = [upstream_grad]  # then what each layer returns, from the last layer back
        with network_pass():
            for layer in reversed(self.layers):
                grads.append(layer.backward(grads[-1]))
        if self.record:
            _add_backward_records(self.record, self.layers, grads)
        return grads[-1]

    def parameters(self):
        """Every parameter as a Parameter(layer_index, name, value, grad), layer by layer."""
        return [
            Parameter(index, name, value, layer.gradients()[name])
            for index, layer in enumerate(self.layers)
            for name, value in layer.parameters().items()
        ]

    def copy(self):
        """An independent deep copy (weights, gradients and stored values)."""
        return copy.deepcopy(self)

    def __repr__(self):
        return "Network([" + ", ".join(layer.name for layer in self.layers) + "])"


def _forward_records(layers):
    """One LayerRecord per layer, from what each layer kept in its last forward."""
    records = []
    for index, layer in enumerate(layers):
        if isinstance(layer, Dense):
            records.append(LayerRecord(index, layer.name, "dense", layer.x, layer.z,
                                       W=layer.W.copy(), b=layer.b.copy()))
        else:
            records.append(LayerRecord(index, layer.name, "activation", layer.z, layer.a))
    return records


def _add_backward_records(records, layers, grads):
    """Add what the last backward did to the records of the last forward.

    grads[0] is dL/doutput of the network, grads[k + 1] what the k-th layer from the end
    returned; so layer k from the end received grads[k] and returned grads[k + 1].
    """
    for k, (entry, layer) in enumerate(zip(reversed(records), reversed(layers), strict=True)):
        entry.upstream_grad, entry.downstream_grad = grads[k], grads[k + 1]
        if isinstance(layer, Dense):
            entry.dW, entry.db = layer.dW, layer.db


def build_network(sizes, *, hidden="tanh", output="identity", rng=0):
    """Build Dense layers of the given sizes, each followed by an ActivationLayer.

    sizes: [n_inputs, hidden sizes..., n_outputs], at least two entries.
    hidden: activation after every Dense but the last; output: activation after the last.
    rng: int seed or Generator for the initial weights.

    Example: build_network([2, 3, 1], hidden="sigmoid", output="sigmoid") gives
    [Dense(2→3), sigmoid, Dense(3→1), sigmoid].
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(
            f"sizes must list at least the input and output sizes; got {sizes}"
        )
    for position, size in enumerate(sizes):
        check_positive_int(size, f"sizes[{position}]")
    rng = np.random.default_rng(rng)
    layers = []
    for position, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False)):
        is_last = position == len(sizes) - 2
        layers.append(Dense(n_in, n_out, rng=rng))
        layers.append(ActivationLayer(output if is_last else hidden))
    return Network(layers)


def predicted_classes(scores):
    """The class a classifier's outputs pick for each sample.

    scores: (n, 1) probabilities of class 1 (a sigmoid output), thresholded at 0.5, or
    (n, k) scores of k classes, whose largest entry wins. Returns (n,) integer labels.
    """
    scores = as_float64(scores, "scores")
    check_ndim(scores, "scores", 2)
    if scores.shape[1] == 1:
        return (scores[:, 0] > 0.5).astype(int)
    return scores.argmax(axis=1)
