"""Layers: a dense (fully connected) layer and an activation layer. Their forward pass is
taught in lesson 01 (Forward propagation), their backward pass in lesson 05
(Backpropagation); lesson 06 (Gradient checking) plants bugs in them.

Each layer has forward(x) and backward(upstream_grad) side by side, and each reads: check
the input, do the maths, return. forward keeps what backward needs; backward receives
dL/d(output), stores the parameter gradients and returns dL/d(input), which is the upstream
gradient of the layer before it. A Network calls exactly these two methods, so a subclass
that overrides one of them (say, with a deliberate bug) changes what the network computes.

Batches are rows: x has shape (n_samples, n_features).
"""

import numpy as np

from ._validate import (
    as_float_array,
    check_batch,
    check_positive_int,
    check_shape,
    check_upstream_grad,
)
from .activations import get_activation


class Dense:
    """A fully connected layer: pre_activation z = x @ W + b.

    n_in: number of input features; n_out: number of neurons.
    rng: None (seed 0), an int seed or a numpy Generator, used for the initial weights
        W ~ normal(0, 1) * sqrt(1 / n_in) when weights is None.
    weights: optional (n_in, n_out) array, copied; W[i, j] connects input i to neuron j.
    bias: optional (n_out,) array, copied; zeros when None.

    Attributes: name, e.g. "Dense(2→3)"; W (n_in, n_out), b (n_out,); x (last input,
    (n, n_in)), z (last pre-activation, (n, n_out)); dW (n_in, n_out) and db (n_out,) after
    backward.

    forward keeps its own copy of the caller's x, so changing x afterwards cannot change dW.
    """

    def __init__(self, n_in, n_out, *, rng=None, weights=None, bias=None):
        self.n_in = check_positive_int(n_in, "n_in")
        self.n_out = check_positive_int(n_out, "n_out")
        shape = (self.n_in, self.n_out)
        if weights is None:
            rng = np.random.default_rng(0 if rng is None else rng)
            self.W = rng.normal(0.0, 1.0, size=shape) * np.sqrt(1.0 / self.n_in)
        else:
            self.W = as_float_array(weights, "weights", ndim=2).copy()
            check_shape(self.W, "weights", shape, "(n_in, n_out)")
        if bias is None:
            self.b = np.zeros(self.n_out)
        else:
            self.b = as_float_array(bias, "bias", ndim=1).copy()
            check_shape(self.b, "bias", (self.n_out,), "(n_out,)")
        self.name = f"Dense({self.n_in}→{self.n_out})"
        self.x = self.z = self.dW = self.db = None

    def forward(self, x):
        """z = x @ W + b. x: (n, n_in) -> z: (n, n_out). Keeps x and z for backward."""
        x = check_batch(x, "x", self.n_in, self.name)
        self.x = x
        self.z = x @ self.W  # (n, n_in) @ (n_in, n_out)
        self.z += self.b  # the same b added to every row (in place: no second (n, n_out) array)
        return self.z

    def backward(self, upstream_grad):
        """Given dL/dz (n, n_out): store dW = x.T @ dL/dz (n_in, n_out) and db = the sum over
        rows of dL/dz (n_out,), and return dL/dx = dL/dz @ W.T, shape (n, n_in)."""
        upstream_grad = check_upstream_grad(upstream_grad, self.z, "z", self.name)
        self.dW = self.x.T @ upstream_grad  # (n_in, n) @ (n, n_out): summed over the batch
        self.db = upstream_grad.sum(axis=0)  # each row of z got the same b
        return upstream_grad @ self.W.T  # (n, n_out) @ (n_out, n_in)

    def parameters(self):
        """{"W": W (n_in, n_out), "b": b (n_out,)}: the live arrays."""
        return {"W": self.W, "b": self.b}

    def gradients(self):
        """{"W": dW, "b": db}, None before the first backward."""
        return {"W": self.dW, "b": self.db}

    def __repr__(self):
        return self.name


class ActivationLayer:
    """Applies an activation function entry by entry (softmax: per row).

    activation: a name ("identity", "relu", "sigmoid", "softmax", "tanh") or an Activation.
    Attributes: name, the activation's name; z (last input, the pre-activation, (n, k)),
    a (last output, the activation, (n, k)).
    """

    def __init__(self, activation):
        self.activation = get_activation(activation)
        self.name = self.activation.name
        self.z = self.a = None

    def forward(self, z):
        """a = f(z). z: (n, k) -> a: (n, k). Keeps z and a for backward."""
        z = check_batch(z, "z", None, self.name)
        self.z = z
        self.a = self.activation.forward(z)
        return self.a

    def backward(self, upstream_grad):
        """Given dL/da (n, k), return dL/dz = f'(z) * dL/da, shape (n, k), with f'(z) computed
        from z and a by the activation's local_grad (softmax: its Jacobian-vector product)."""
        upstream_grad = check_upstream_grad(upstream_grad, self.a, "a", self.name)
        return self.activation.backward(self.z, upstream_grad, self.a)

    def parameters(self):
        """An activation layer has no parameters: {}."""
        return {}

    def gradients(self):
        """{}."""
        return {}

    def __repr__(self):
        return f"ActivationLayer({self.name!r})"
