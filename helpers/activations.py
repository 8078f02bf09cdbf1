"""Activation functions: each value next to its derivative. Taught in lesson 02 (Activation
functions); their backward step is used in lesson 05 (Backpropagation).

An activation turns a pre-activation z into an activation a = f(z), entry by entry
(softmax works on a whole row). The backward pass multiplies the upstream gradient dL/da
by the local gradient da/dz to get dL/dz.

All functions take an array z of any shape (softmax: (k,) or (n, k), over the last axis) and
are stable for every finite float64 input: nothing overflows, no NaN, no RuntimeWarning.
Exponentials are only ever taken of numbers <= 0 (see exp_nonpositive), so they lie in
[0, 1]; results too small for a normal float64 (below 2.2e-308) come out as tiny subnormal
numbers or 0 quietly.
"""

import numpy as np

from ._validate import as_float64, as_float_array, check_choice, check_ndim, check_shape


def exp_nonpositive(x):
    """exp(x) for x <= 0 (any shape): a number in [0, 1], so it cannot overflow.

    The stable sigmoid, tanh derivative, softmax and softmax cross-entropy all rewrite their
    exponentials in this form. Results below 2.2e-308 lose precision gracefully (that is
    underflow, which is harmless here, so it is not reported).
    """
    with np.errstate(under="ignore"):
        return np.exp(x)


# --- identity: a = z, da/dz = 1 -----------------------------------------------------------

def identity(z):
    """a = z. z: any shape -> a: same shape."""
    return as_float64(z, "z")


def identity_derivative(z):
    """da/dz = 1. z: any shape -> same shape of ones."""
    return np.ones(as_float64(z, "z").shape)


def _identity_local_grad(z, a):
    return np.ones_like(z)


# --- sigmoid: a = 1 / (1 + exp(-z)), da/dz = a (1 - a) -------------------------------------

def sigmoid(z):
    """a = 1 / (1 + exp(-z)), in (0, 1). z: any shape -> a: same shape.

    Uses e = exp(-|z|) <= 1, so nothing overflows: a = 1 / (1 + e) for z >= 0 and
    a = e / (1 + e) for z < 0.
    """
    z = as_float64(z, "z")
    e = exp_nonpositive(-np.abs(z))
    with np.errstate(under="ignore"):
        return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_derivative(z):
    """da/dz = a (1 - a) = e / (1 + e)**2 with e = exp(-|z|). z: any shape -> same shape."""
    z = as_float64(z, "z")
    e = exp_nonpositive(-np.abs(z))
    with np.errstate(under="ignore"):
        return e / (1.0 + e) ** 2


def _sigmoid_local_grad(z, a):
    return a * (1.0 - a)  # from the a the forward pass computed: no exponential


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
    e = exp_nonpositive(-2.0 * np.minimum(np.abs(z), 400.0))
    with np.errstate(under="ignore"):
        return 4.0 * e / (1.0 + e) ** 2


def _tanh_local_grad(z, a):
    # 1 - a**2 written (1 - a)(1 + a): no underflow for tiny a, no rounding of a**2 near +-1
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


def _relu_local_grad(z, a):
    return (z > 0).astype(np.float64)


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
    e = exp_nonpositive(shifted)
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
    return _softmax_jvp(softmax(z), upstream_grad)


def _softmax_jvp(s, g):
    """J^T g for J = diag(s) - s s^T, row by row: s * (g - (g . s)). s, g: same shape."""
    with np.errstate(under="ignore"):  # tiny gradients may round to 0; that is fine
        return s * (g - (g * s).sum(axis=-1, keepdims=True))


def softmax_jacobian(z):
    """da_i/dz_j for one row z: (k,) -> (k, k) matrix diag(s) - s s^T."""
    z = as_float_array(z, "z", ndim=1)
    s = softmax(z)
    return np.diag(s) - np.outer(s, s)


# --- the Activation object used by layers --------------------------------------------------

class Activation:
    """An activation function with its derivative and its backward step.

    name: "identity", "relu", "sigmoid" or "tanh" (softmax: see SoftmaxActivation).
    function(z) -> a; derivative(z) -> f'(z); local_grad(z, a) -> da/dz from z and a = f(z)
    as a new array (backward multiplies into it); all entry by entry, with the shape of z.

    forward(z) -> a, same shape as z.
    derivative(z) -> f'(z), same shape.
    local_grad(z, a) -> da/dz, same shape: the derivative computed from what the forward pass
        already has (for sigmoid and tanh from a, with no new exponential).
    backward(z, upstream_grad, a=None) -> dL/dz = local_grad(z, a) * dL/da, same shape as z;
        a = forward(z) when not given.
    """

    def __init__(self, name, function, derivative, local_grad):
        self.name = name
        self._function = function
        self._derivative = derivative
        self._local_grad = local_grad

    def forward(self, z):
        """a = f(z). z: any shape (softmax: (k,) or (n, k)) -> a: same shape."""
        return self._function(z)

    def derivative(self, z):
        """f'(z) entry by entry. z: any shape -> same shape."""
        return self._derivative(z)

    def local_grad(self, z, a):
        """da/dz entry by entry, given z and a = f(z) (both the same shape) -> same shape."""
        return self._local_grad(z, a)

    def backward(self, z, upstream_grad, a=None):
        """dL/dz = da/dz * dL/da. z, upstream_grad (and a = f(z)): same shape -> same shape."""
        z, upstream_grad, a = self._checked(z, upstream_grad, a)
        local_grad = self.local_grad(z, a)  # a new array: multiply into it, saving a copy
        with np.errstate(under="ignore"):  # tiny gradients may round to 0; that is fine
            local_grad *= upstream_grad
        return local_grad

    def _checked(self, z, upstream_grad, a):
        """z, upstream_grad and a as float64 arrays of one shape (a = forward(z) if None)."""
        z = as_float64(z, "z")
        upstream_grad = as_float64(upstream_grad, "upstream_grad")
        check_shape(upstream_grad, "upstream_grad", z.shape, "(the shape of z)")
        if a is None:
            return z, upstream_grad, self.forward(z)
        a = as_float64(a, "a")
        check_shape(a, "a", z.shape, "(the shape of z: a = f(z))")
        return z, upstream_grad, a

    def __repr__(self):
        return f"Activation({self.name!r})"


class SoftmaxActivation(Activation):
    """Softmax: each output depends on the whole row, so its derivative is a (k, k) Jacobian
    per row (softmax_jacobian) and its backward step is the Jacobian-vector product
    dL/dz = s * (dL/da - sum(dL/da * s)) with s = softmax(z), shape (n, k)."""

    def __init__(self):
        super().__init__("softmax", softmax, None, None)

    def derivative(self, z):
        """Not defined entry by entry: ValueError pointing to softmax_jacobian."""
        raise ValueError(
            "softmax has no entry-by-entry derivative (each output depends on the whole "
            "row); use softmax_jacobian(z) for one row or backward(z, upstream_grad)"
        )

    def local_grad(self, z, a):
        """Not defined entry by entry either: the same ValueError as derivative."""
        return self.derivative(z)

    def backward(self, z, upstream_grad, a=None):
        """dL/dz = J^T dL/da for every row. z, upstream_grad (and a): (n, k) -> (n, k)."""
        z, upstream_grad, a = self._checked(z, upstream_grad, a)
        return _softmax_jvp(a, upstream_grad)


ACTIVATIONS = {
    "identity": Activation("identity", identity, identity_derivative, _identity_local_grad),
    "relu": Activation("relu", relu, relu_derivative, _relu_local_grad),
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, _sigmoid_local_grad),
    "softmax": SoftmaxActivation(),
    "tanh": Activation("tanh", tanh, tanh_derivative, _tanh_local_grad),
}


def get_activation(name_or_activation):
    """Return the Activation for a name such as "relu" (or an Activation itself)."""
    if isinstance(name_or_activation, Activation):
        return name_or_activation
    return ACTIVATIONS[check_choice(name_or_activation, "activation", ACTIVATIONS)]
