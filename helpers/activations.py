"""Activation functions: each value next to its derivative.

An activation turns a pre-activation z into an activation a = f(z), entry by entry
(softmax works on a whole row). The backward pass multiplies the upstream gradient dL/da
by the local derivative to get dL/dz.

All functions take an array z of any shape (softmax: 1-D or 2-D, over the last axis) and
are stable for every finite float64 input: nothing overflows, no NaN, no RuntimeWarning.
Exponentials are only ever taken of numbers <= 0, so they lie in [0, 1]; results too small
for a normal float64 (below 2.2e-308) come out as tiny subnormal numbers or 0 quietly.
"""

import numpy as np

from ._validate import as_float64, as_float_array, check_choice, check_ndim, check_shape


def _exp_nonpositive(x):
    """exp(x) for x <= 0: a number in [0, 1]. Results below 2.2e-308 lose precision
    gracefully (that is underflow, which is harmless here, so it is not reported)."""
    with np.errstate(under="ignore"):
        return np.exp(x)


# --- identity: a = z, da/dz = 1 -----------------------------------------------------------

def identity(z):
    """a = z. z: any shape -> a: same shape."""
    return as_float64(z, "z")


def identity_derivative(z):
    """da/dz = 1. z: any shape -> same shape of ones."""
    return np.ones(as_float64(z, "z").shape)


def _identity_backward(z, upstream_grad, a=None):
    """dL/dz = dL/da * 1 = dL/da (returned as it is, no multiplication needed)."""
    return upstream_grad


# --- sigmoid: a = 1 / (1 + exp(-z)), da/dz = a (1 - a) -------------------------------------

def sigmoid(z):
    """a = 1 / (1 + exp(-z)), in (0, 1). z: any shape -> a: same shape.

    Uses e = exp(-|z|) <= 1, so nothing overflows: a = 1 / (1 + e) for z >= 0 and
    a = e / (1 + e) for z < 0.
    """
    z = as_float64(z, "z")
    e = _exp_nonpositive(-np.abs(z))
    with np.errstate(under="ignore"):
        return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(z):
    """da/dz = a (1 - a) = e / (1 + e)**2 with e = exp(-|z|). z: any shape -> same shape."""
    z = as_float64(z, "z")
    e = _exp_nonpositive(-np.abs(z))
    with np.errstate(under="ignore"):
        return e / (1.0 + e) ** 2


def _sigmoid_derivative_from_output(a):
    """da/dz = a (1 - a), from the activation a the forward pass already computed."""
    return a * (1.0 - a)


# --- tanh: a = tanh(z), da/dz = 1 - a**2 ---------------------------------------------------

def tanh(z):
    """a = tanh(z), in (-1, 1). z: any shape -> a: same shape.

    numpy's tanh is already stable: it saturates to +-1 without overflow.
    """
    return np.tanh(as_float64(z, "z"))


def tanh_derivative(z):
    """da/dz = 1 - tanh(z)**2 = 4 e / (1 + e)**2 with e = exp(-2|z|). z: any shape -> same.

    The second form stays accurate where tanh(z) rounds to +-1 and never underflows.
    """
    z = as_float64(z, "z")
    # beyond |z| = 400, exp(-2|z|) is below every float64 anyway; capping avoids 2|z| = inf
    e = _exp_nonpositive(-2.0 * np.minimum(np.abs(z), 400.0))
    with np.errstate(under="ignore"):
        return 4.0 * e / (1.0 + e) ** 2


def _tanh_derivative_from_output(a):
    """da/dz = 1 - a**2, written (1 - a)(1 + a): no underflow for tiny a, and no rounding
    of a**2 near a = +-1."""
    local_grad = 1.0 - a
    local_grad *= 1.0 + a
    return local_grad


# --- relu: a = max(0, z), da/dz = 1 if z > 0 else 0 ----------------------------------------

def relu(z):
    """a = max(0, z). z: any shape -> a: same shape."""
    return np.maximum(as_float64(z, "z"), 0.0)


def relu_derivative(z):
    """da/dz = 1 where z > 0, else 0 (we choose 0 at the kink z == 0). z: any shape -> same."""
    return (as_float64(z, "z") > 0).astype(np.float64)


def _relu_backward(z, upstream_grad, a=None):
    """dL/dz = dL/da * relu'(z): the upstream gradient passes where z > 0, else 0."""
    return upstream_grad * (z > 0)


# --- softmax: a_j = exp(z_j) / sum_k exp(z_k), over the last axis ---------------------------

def softmax(z):
    """a = exp(z) / sum(exp(z)) over the last axis. z: (k,) or (n, k) -> same shape.

    Subtracting the row maximum first keeps every exponent <= 0, so nothing overflows.
    Each row of the result sums to 1.
    """
    z = as_float64(z, "z")
    check_ndim(z, "z", (1, 2))
    if z.shape[-1] == 0:
        raise ValueError(f"z has no entries to normalise (shape {z.shape}); expected k >= 1")
    with np.errstate(over="ignore"):  # only if a row spans more than the float64 range
        shifted = z - z.max(axis=-1, keepdims=True)  # every entry <= 0, the maximum is 0
    e = _exp_nonpositive(shifted)
    with np.errstate(under="ignore"):
        return e / e.sum(axis=-1, keepdims=True)  # the sum is >= 1


def softmax_jvp(z, upstream_grad):
    """dL/dz from dL/da for a = softmax(z): s * (g - sum(g * s, axis=-1, keepdims=True)).

    z, upstream_grad: (k,) or (n, k), same shape -> dL/dz: same shape.
    This is the Jacobian-vector product without building the (k, k) Jacobian.
    """
    z = as_float64(z, "z")
    upstream_grad = as_float64(upstream_grad, "upstream_grad")
    check_shape(upstream_grad, "upstream_grad", z.shape, "(the shape of z)")
    return _softmax_backward(z, upstream_grad)


def _softmax_backward(z, upstream_grad, a=None):
    s = softmax(z) if a is None else a
    return s * (upstream_grad - (upstream_grad * s).sum(axis=-1, keepdims=True))


def softmax_jacobian(z):
    """da_i/dz_j for one row z: (k,) -> (k, k) matrix diag(s) - s s^T."""
    z = as_float_array(z, "z", ndim=1)
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


# --- the Activation object used by layers --------------------------------------------------

class Activation:
    """An activation function together with its derivative.

    name: "identity", "relu", "sigmoid", "softmax" or "tanh".
    forward(z) -> a, same shape as z.
    derivative(z) -> f'(z) entry by entry, same shape (not defined for softmax, whose
        derivative is a matrix per row: use softmax_jacobian or backward).
    backward(z, upstream_grad, a=None) -> dL/dz = f'(z) * dL/da, same shape as z.
        Passing a = forward(z) lets sigmoid, tanh and softmax reuse it instead of
        recomputing exponentials.
    """

    def __init__(self, name, function, derivative=None, *, derivative_from_output=None,
                 backward=None):
        self.name = name
        self._function = function
        self._derivative = derivative
        self._derivative_from_output = derivative_from_output
        self._backward = backward

    def forward(self, z):
        """a = f(z). z: any shape (softmax: (k,) or (n, k)) -> a: same shape."""
        return self._function(z)

    def derivative(self, z):
        """f'(z) entry by entry. z: any shape -> same shape."""
        if self._derivative is None:
            raise ValueError(
                f"{self.name} has no entry-by-entry derivative (each output depends on the "
                "whole row); use softmax_jacobian(z) for one row or backward(z, upstream_grad)"
            )
        return self._derivative(z)

    def backward(self, z, upstream_grad, a=None):
        """dL/dz from the upstream gradient dL/da. z, upstream_grad (and a): same shape."""
        z = as_float64(z, "z")
        upstream_grad = as_float64(upstream_grad, "upstream_grad")
        check_shape(upstream_grad, "upstream_grad", z.shape, "(the shape of z)")
        if a is not None:
            a = as_float64(a, "a")
            check_shape(a, "a", z.shape, "(the shape of z: a = f(z))")
        with np.errstate(under="ignore"):  # tiny gradients may round to 0; that is fine
            if self._backward is not None:
                return self._backward(z, upstream_grad, a)
            if a is not None and self._derivative_from_output is not None:
                local_grad = self._derivative_from_output(a)
            else:
                local_grad = self._derivative(z)
            local_grad *= upstream_grad  # a fresh array: reuse it for dL/dz = f'(z) * dL/da
            return local_grad

    def __repr__(self):
        return f"Activation({self.name!r})"


ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_derivative,
                           backward=_identity_backward),
    "relu": Activation("relu", relu, relu_derivative, backward=_relu_backward),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative,
                          derivative_from_output=_sigmoid_derivative_from_output),
    "softmax": Activation("softmax", softmax, backward=_softmax_backward),
    "tanh": Activation("tanh", tanh, tanh_derivative,
                       derivative_from_output=_tanh_derivative_from_output),
}


def get_activation(name_or_activation):
    """Return the Activation for a name such as "relu" (or an Activation itself)."""
    if isinstance(name_or_activation, Activation):
        return name_or_activation
    return ACTIVATIONS[check_choice(name_or_activation, "activation", ACTIVATIONS)]
