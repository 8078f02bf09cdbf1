"""Loss functions: each value next to its gradient with respect to the prediction. Taught in
lesson 04 (Loss functions); the gradient starts the backward pass of lesson 05
(Backpropagation) and the training loop of lesson 07 (Training with gradient descent).

The loss L is the total error of a batch, averaged over the n samples (rows). Its gradient
dL/dprediction has the shape of the prediction and is where the backward pass starts.

Shapes: prediction (n, k); for mse and the binary cross-entropies a 1-D prediction (n,) is
treated as (n, 1), and a 1-D target (n,) is accepted when the prediction has one column.

The two cross-entropies on logits (binary_cross_entropy_with_logits, softmax_cross_entropy)
take the last layer's pre-activation z, fuse the sigmoid or softmax with the loss, and
return dL/dz = (p - y) / n, exact for any finite z. binary_cross_entropy takes probabilities
and clips them at 1e-12, so behind a separate sigmoid layer its gradient with respect to z
fades once the output is confidently wrong (|z| above about 28).
"""

import numpy as np

from ._validate import as_float_array, check_choice, check_class_indices, check_unit_interval
from .activations import exp_nonpositive

# probabilities are kept this far from 0 and 1 so that log(p) and 1 / p stay finite
_PROBABILITY_CLIP = 1e-12


def _as_rows(prediction, target, prediction_name, target_name):
    """Check a (prediction, target) pair; return both as (n, k) float arrays and the
    prediction's own shape (for the gradient)."""
    prediction = as_float_array(prediction, prediction_name, ndim=(1, 2))
    target = as_float_array(target, target_name, ndim=(1, 2))
    return _matched_rows(prediction, target, prediction_name, target_name)


def _matched_rows(prediction, target, prediction_name, target_name):
    """The rows of two checked float arrays whose shapes must agree (see _as_rows)."""
    prediction_2d = prediction.reshape(len(prediction), -1)
    if target.ndim == 1 and prediction_2d.shape[1] == 1:
        target_2d = target.reshape(-1, 1)
    else:
        target_2d = target.reshape(len(target), -1) if prediction.ndim == 1 else target
    if target_2d.shape != prediction_2d.shape:
        raise ValueError(
            f"{target_name} shape {target.shape} does not match {prediction_name} shape "
            f"{prediction.shape}; expected the same (n_samples, n_outputs) shape"
        )
    return prediction_2d, target_2d, prediction.shape


# --- mean squared error: L = (1/n) sum_i 0.5 ||yhat_i - y_i||^2 ------------------------------

def mean_squared_error(prediction, target):
    """L = (1/n) * sum_i 0.5 * ||prediction_i - target_i||^2.

    prediction: (n, k) or (n,); target: same shape (or (n,) when k == 1) -> float.
    """
    prediction, target, _ = _as_rows(prediction, target, "prediction", "target")
    error = (prediction - target).ravel()
    return 0.5 * float(error @ error) / len(prediction)


def mean_squared_error_gradient(prediction, target):
    """dL/dprediction = (prediction - target) / n, with the shape of prediction."""
    prediction, target, shape = _as_rows(prediction, target, "prediction", "target")
    return ((prediction - target) / len(prediction)).reshape(shape)


# --- binary cross-entropy on probabilities -----------------------------------------------

def _bce_inputs(probability, target):
    # range checks on the arrays as given, so that an index in a message is one the caller
    # can look up (a 1-D probability is reshaped to (n, 1) only afterwards)
    probability = as_float_array(probability, "probability", ndim=(1, 2))
    target = as_float_array(target, "target", ndim=(1, 2))
    check_unit_interval(probability, "probability")
    check_unit_interval(target, "target")
    probability, target, shape = _matched_rows(probability, target, "probability", "target")
    p = np.clip(probability, _PROBABILITY_CLIP, 1.0 - _PROBABILITY_CLIP)
    return p, target, shape


def binary_cross_entropy(probability, target):
    """L = -(1/n) sum_i sum_j [y_ij log p_ij + (1 - y_ij) log(1 - p_ij)].

    probability: (n, k) or (n,) with entries in [0, 1] (e.g. a sigmoid output);
    target: same shape, entries in [0, 1] -> float (mean over samples, sum over columns).
    p is clipped to [1e-12, 1 - 1e-12] so the logarithms stay finite; the loss of one entry
    therefore stops at about -log(1e-12) = 27.63. For a network ending in a sigmoid, prefer
    binary_cross_entropy_with_logits on the sigmoid's input z.
    """
    p, y, _ = _bce_inputs(probability, target)
    total = np.sum(y * np.log(p) + (1.0 - y) * np.log1p(-p))
    return -float(total) / len(p)


def binary_cross_entropy_gradient(probability, target):
    """dL/dp = (p - y) / (p (1 - p)) / n, with the shape of probability (p clipped)."""
    p, y, shape = _bce_inputs(probability, target)
    return ((p - y) / (p * (1.0 - p)) / len(p)).reshape(shape)


# --- binary cross-entropy on logits (sigmoid and loss fused) ------------------------------

def _bce_logits(logits, target, *, need_value=True, need_gradient=True):
    logits = as_float_array(logits, "logits", ndim=(1, 2))
    target = as_float_array(target, "target", ndim=(1, 2))
    check_unit_interval(target, "target")
    z, y, shape = _matched_rows(logits, target, "logits", "target")
    n = len(z)
    e = exp_nonpositive(-np.abs(z))  # exp(-|z|), in [0, 1]
    positive = z >= 0
    value = gradient = None
    with np.errstate(under="ignore"):  # results below 1e-308 may round to 0: harmless
        if need_value:
            # softplus(z) - y z = max(z, 0) - y z + log1p(exp(-|z|)), with max(z, 0) - y z
            # written as z (1 - y) for z >= 0 and -z y for z < 0: every term is >= 0, so
            # nothing cancels, and no exponent is positive
            linear = np.where(positive, z * (1.0 - y), -z * y)
            value = float(np.sum(linear + np.log1p(e))) / n
        if need_gradient:
            # sigmoid(-|z|) = e / (1 + e); sigmoid(z) - y = (1 - y) - sigmoid(-z) for z >= 0,
            # so that a sigmoid that rounds to 1 still keeps its tiny distance from 1
            small = e / (1.0 + e)
            gradient = (np.where(positive, (1.0 - y) - small, small - y) / n).reshape(shape)
    return value, gradient


def binary_cross_entropy_with_logits(logits, target):
    """L = -(1/n) sum_i sum_j [y_ij log sigmoid(z_ij) + (1 - y_ij) log(1 - sigmoid(z_ij))],
    computed from the logits z, without clipping.

    logits: (n, k) or (n,), the pre-activation z of the last layer (no sigmoid applied: use
    an "identity" output layer); target: same shape (or (n,) when k == 1), entries in [0, 1]
    -> float (mean over samples, sum over columns, as binary_cross_entropy).
    Each entry is softplus(z) - y z = max(z, 0) - y z + log1p(exp(-|z|)): finite and accurate
    to a few units of rounding for every finite z (z = 1e4 with y = 0 costs 1e4).
    """
    return _bce_logits(logits, target, need_gradient=False)[0]


def binary_cross_entropy_with_logits_gradient(logits, target):
    """dL/dz = (sigmoid(z) - y) / n, with the shape of logits: the sigmoid's derivative and
    the loss's 1 / (p (1 - p)) cancel exactly, so a confidently wrong output gets a gradient
    near 1 / n, not 0."""
    return _bce_logits(logits, target, need_value=False)[1]


# --- softmax cross-entropy on logits (softmax and loss fused) -----------------------------

def _one_hot_or_indices(labels, n_samples, n_classes):
    """Return ("indices", int array (n,)) or ("one_hot", float array (n, k))."""
    if isinstance(labels, np.ndarray) and labels.dtype.kind in "iu" and labels.ndim == 1:
        indices = labels  # the common case, checked without converting to float
    else:
        indices = None
        labels = as_float_array(labels, "labels", ndim=(1, 2))
    expected = f"(n,) class indices or ({n_samples}, {n_classes}) one-hot rows"
    if labels.ndim == 1:
        if labels.shape[0] != n_samples:
            raise ValueError(
                f"labels has {labels.shape[0]} entries but logits has {n_samples} rows; "
                f"expected labels of shape {expected}"
            )
        if indices is not None and labels.min() >= 0 and labels.max() < n_classes:
            return "indices", indices
        context = f" (logits has {n_classes} columns)"
        return "indices", check_class_indices(labels, "labels", n_classes, context)
    if labels.shape != (n_samples, n_classes):
        raise ValueError(f"labels must have shape {expected}; got shape {labels.shape}")
    check_unit_interval(labels, "labels")
    row_sums = labels.sum(axis=1)
    if np.any(np.abs(row_sums - 1.0) > 1e-6):
        row = int(np.argmax(np.abs(row_sums - 1.0)))
        raise ValueError(
            f"one-hot labels must have rows summing to 1; row {row} sums to {row_sums[row]:g}"
        )
    return "one_hot", labels


def _log_softmax_parts(logits):
    """Return (log_probabilities, probabilities) of logits (n, k), both (n, k).

    log softmax(z)_j = (z_j - max z) - log(sum_k exp(z_k - max z)): the log-sum-exp trick,
    every exponent <= 0 and the sum >= 1, so nothing overflows for any finite logits.
    """
    with np.errstate(over="ignore"):  # only rows spanning more than the float64 range
        shifted = logits - logits.max(axis=1, keepdims=True)
    e = exp_nonpositive(shifted)
    total = e.sum(axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        return shifted - np.log(total), e / total


def _softmax_ce(logits, labels, *, need_value=True, need_gradient=True):
    logits = as_float_array(logits, "logits", ndim=2)
    n, k = logits.shape
    kind, labels = _one_hot_or_indices(labels, n, k)
    log_p, p = _log_softmax_parts(logits)
    value = gradient = None
    rows = np.arange(n)
    if need_value:
        if kind == "indices":
            value = 0.0 - float(log_p[rows, labels].sum()) / n  # 0.0 - ...: never -0.0
        else:
            # 0 * log(0) counts as 0: skip the zero labels (log_p may be -inf there)
            terms = np.multiply(labels, log_p, out=np.zeros_like(log_p), where=labels > 0)
            value = 0.0 - float(terms.sum()) / n
    if need_gradient:
        gradient = p
        if kind == "indices":
            gradient[rows, labels] -= 1.0
        else:
            gradient -= labels
        gradient /= n
    return value, gradient


def softmax_cross_entropy(logits, labels):
    """L = -(1/n) sum_i log softmax(z_i)[y_i], computed stably with log-sum-exp.

    logits: (n, k) pre-activations z of the last layer (no softmax applied yet);
    labels: (n,) whole class indices in [0, k), or (n, k) one-hot rows -> float.
    """
    return _softmax_ce(logits, labels, need_gradient=False)[0]


def softmax_cross_entropy_gradient(logits, labels):
    """dL/dz = (softmax(z) - one_hot(labels)) / n, shape (n, k)."""
    return _softmax_ce(logits, labels, need_value=False)[1]


# --- the Loss object used by training -------------------------------------------------------

class Loss:
    """A loss function with its gradient.

    name: "mse", "binary_cross_entropy", "binary_cross_entropy_with_logits" or
        "softmax_cross_entropy".
    value(prediction, target) -> float
    gradient(prediction, target) -> dL/dprediction, shape of prediction
    value_and_gradient(prediction, target) -> (float, array), checking the input once
    """

    def __init__(self, name, value, gradient, value_and_gradient=None):
        self.name = name
        self._value = value
        self._gradient = gradient
        self._value_and_gradient = value_and_gradient

    def value(self, prediction, target):
        """The loss, a float."""
        return self._value(prediction, target)

    def gradient(self, prediction, target):
        """dL/dprediction, with the shape of prediction."""
        return self._gradient(prediction, target)

    def value_and_gradient(self, prediction, target):
        """(loss, dL/dprediction) in one call."""
        if self._value_and_gradient is not None:
            return self._value_and_gradient(prediction, target)
        return self._value(prediction, target), self._gradient(prediction, target)

    def __repr__(self):
        return f"Loss({self.name!r})"


LOSSES = {
    "mse": Loss("mse", mean_squared_error, mean_squared_error_gradient),
    "binary_cross_entropy": Loss(
        "binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_gradient
    ),
    "binary_cross_entropy_with_logits": Loss(
        "binary_cross_entropy_with_logits",
        binary_cross_entropy_with_logits,
        binary_cross_entropy_with_logits_gradient,
        _bce_logits,
    ),
    "softmax_cross_entropy": Loss(
        "softmax_cross_entropy",
        softmax_cross_entropy,
        softmax_cross_entropy_gradient,
        _softmax_ce,
    ),
}


def get_loss(name_or_loss):
    """Return the Loss for a name such as "mse" (or a Loss itself)."""
    if isinstance(name_or_loss, Loss):
        return name_or_loss
    return LOSSES[check_choice(name_or_loss, "loss", LOSSES)]

