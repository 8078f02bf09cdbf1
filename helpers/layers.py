"""Layers: a dense (fully connected) layer and an activation layer.

Each layer has forward(x) and backward(upstream_grad) side by side. forward keeps what
backward needs; backward receives dL/d(output), stores the parameter gradients and returns
dL/d(input), which is the upstream gradient of the layer before it.

Batches are rows: x has shape (n_samples, n_features).
"""

import numpy as np

from ._validate import as_float_array, check_positive_int, check_shape, own_copy
from .activations import get_activation


def _backward_before_forward(layer):
    return RuntimeError(
        f"{layer.name}.backward was called before forward; run forward(x) first so the "
        "layer has the input it needs for the chain rule"
    )


class Dense:
    """A fully connected layer: pre_activation z = x @ W + b.

    n_in: number of input features; n_out: number of neurons.
    rng: None (seed 0), an int seed or a numpy Generator, used for the initial weights
        W ~ normal(0, 1) * sqrt(1 / n_in) when weights is None.
    weights: optional (n_in, n_out) array, copied; W[i, j] connects input i to neuron j.
    bias: optional (n_out,) array, copied; zeros when None.

    Attributes: W (n_in, n_out), b (n_out,), x (last input, (n, n_in)),
    z (last pre-activation, (n, n_out)), dW (n_in, n_out) and db (n_out,) after backward.

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
        self.x = self.z = self.dW = self.db = None

    @property
    def name(self):
        return f"Dense({self.n_in}→{self.n_out})"

    def forward(self, x):
        """z = x @ W + b. x: (n, n_in) -> z: (n, n_out)."""
        x_checked = as_float_array(x, "x", ndim=2)
        self._check_input(x_checked, "x")
        return self._forward(own_copy(x_checked, x))

    def backward(self, upstream_grad):
        """Given dL/dz (n, n_out): store dW = x.T @ dL/dz and db = sum over rows of dL/dz,
        and return dL/dx = dL/dz @ W.T, shape (n, n_in)."""
        if self.x is None:
            raise _backward_before_forward(self)
        upstream_grad = as_float_array(upstream_grad, "upstream_grad")
        check_shape(upstream_grad, "upstream_grad", self.z.shape, "(the shape of z = dL/dz)")
        return self._backward(upstream_grad)

    def _check_input(self, x, name):
        """O(1) check that x has one column per input of this layer."""
        if x.shape[1] != self.W.shape[0]:
            raise ValueError(
                f"{name} has {x.shape[1]} features (shape {x.shape}) but {self.name} expects "
                f"{self.W.shape[0]}; expected shape (n_samples, {self.W.shape[0]})"
            )

    # The unchecked steps, used by Network after it has checked its own input once. A layer
    # with different maths (say, a deliberately buggy one for a gradient check) overrides these.
    def _forward(self, x):
        self.x = x
        z = x @ self.W
        z += self.b
        self.z = z
        return z

    def _backward(self, upstream_grad):
        self.dW = self.x.T @ upstream_grad
        self.db = upstream_grad.sum(axis=0)
        return upstream_grad @ self.W.T

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
    Attributes: z (last input, the pre-activation), a (last output, the activation).
    """

    def __init__(self, activation):
        self.activation = get_activation(activation)
        self.z = self.a = None

    @property
    def name(self):
        return self.activation.name

    def forward(self, z):
        """a = f(z). z: (n, k) -> a: (n, k)."""
        z_checked = as_float_array(z, "z", ndim=2)
        return self._forward(own_copy(z_checked, z))

    def backward(self, upstream_grad):
        """Given dL/da (n, k), return dL/dz = f'(z) * dL/da (softmax: its Jacobian product)."""
        if self.z is None:
            raise _backward_before_forward(self)
        upstream_grad = as_float_array(upstream_grad, "upstream_grad")
        check_shape(upstream_grad, "upstream_grad", self.z.shape, "(the shape of a = dL/da)")
        return self._backward(upstream_grad)

    def _forward(self, z):
        self.z = z
        self.a = self.activation.forward(z)
        return self.a

    def _backward(self, upstream_grad):
        return self.activation.backward(self.z, upstream_grad, self.a)

    def parameters(self):
        """An activation layer has no parameters: {}."""
        return {}

    def gradients(self):
        """{}."""
        return {}

    def __repr__(self):
        return f"ActivationLayer({self.name!r})"
