"""Checks on user input, so that bad input fails early with a message a learner can act on.

Used by every module of the package; no lesson teaches it, but every lesson meets its
messages, which name the argument, say what was seen and what was expected, for example
``X must be 2-D (n_samples, n_features); got shape (3,)``.

Arrays. ``as_float_array`` turns input into float64 and checks it (rank, emptiness, NaN/inf);
``check_batch`` and ``check_upstream_grad`` are the one-line checks at the top of a layer's
forward and backward. Numbers. ``check_positive_int`` and its neighbours check arguments such
as sizes, learning rates, seeds and noise levels.
"""

import numbers
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np

_RANK_HINTS = {
    0: "a single number",
    1: "1-D (n,)",
    2: "2-D (n_samples, n_features)",
}


# --- arrays -------------------------------------------------------------------------------

def as_float_array(value, name, *, ndim=None, allow_empty=False):
    """Return ``value`` as a float64 numpy array after checking it.

    value: anything numpy can turn into a numeric array (list, tuple, array, number).
        Integers and booleans are accepted and converted to float64.
    name: the argument's name, used in error messages.
    ndim: the required number of dimensions (an int or a tuple of allowed ints), or None.
    allow_empty: whether an array with no entries is acceptable.

    Returns an array of the same shape and dtype float64. When ``value`` already is a
    float64 array it is returned as it is (no copy), so callers that keep the array and
    must not see later changes to it take their own copy.

    Raises TypeError for non-numeric input (strings, None, objects, complex numbers) and
    ValueError for a wrong number of dimensions, an empty array, or NaN/inf entries.
    """
    array = as_float64(value, name)
    if ndim is not None:
        check_ndim(array, name, ndim)
    if array.size == 0 and not allow_empty:
        raise ValueError(f"{name} is empty (shape {array.shape}); expected at least one entry")
    check_finite(array, name)
    return array


def as_float64(value, name):
    """Return ``value`` as a float64 array (no copy when it already is one), TypeError for
    non-numeric input. Unlike as_float_array it lets NaN and inf through: for functions
    such as activations that are defined for them and cheap enough to call often."""
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        return value
    if value is None or isinstance(value, str | bytes):
        raise TypeError(f"{name} must be a numeric array; got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested lists
        raise ValueError(
            f"{name} must be a rectangular numeric array; got rows of different lengths"
        ) from error
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{name} must be a numeric array (bool, int or float); got dtype {array.dtype}"
        )
    return array.astype(np.float64, copy=False)


def check_ndim(array, name, ndim):
    """Raise ValueError unless ``array.ndim`` equals ``ndim`` (an int or a tuple of ints)."""
    allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    if array.ndim not in allowed:
        expected = " or ".join(_RANK_HINTS.get(d, f"{d}-D") for d in allowed)
        raise ValueError(f"{name} must be {expected}; got shape {array.shape}")


def check_finite(array, name):
    """Raise ValueError naming the first NaN or inf entry of a float array, if any."""
    if np.isfinite(array).all():
        return
    bad = np.argwhere(~np.isfinite(array))[0]
    index = tuple(int(i) for i in bad)
    kind = "NaN" if np.isnan(array[index]) else "inf"
    where = f" at index {index[0] if len(index) == 1 else index}" if index else ""
    raise ValueError(f"{name} contains {kind}{where}; expected finite numbers only")


def check_shape(array, name, expected, meaning=""):
    """Raise ValueError unless ``array.shape == expected``; ``meaning`` explains the shape."""
    if array.shape != tuple(expected):
        hint = f" {meaning}" if meaning else ""
        raise ValueError(f"{name} must have shape {tuple(expected)}{hint}; got shape {array.shape}")


def check_unit_interval(array, name):
    """ValueError naming the first entry of a float array outside [0, 1], indexed as the
    array is indexed (so the index is one the caller can look up)."""
    if array.min() < 0.0 or array.max() > 1.0:
        bad = np.argwhere((array < 0.0) | (array > 1.0))[0]
        index = tuple(int(i) for i in bad)
        where = index[0] if len(index) == 1 else index
        raise ValueError(f"{name} must lie in [0, 1]; got {array[index]:g} at index {where}")


def check_class_indices(labels, name, n_classes, context=""):
    """Check that a float array of labels holds whole class indices in [0, n_classes).

    labels: (n,) float64 -> (n,) integer indices. context is added after the range in the
    message, e.g. " (logits has 3 columns)".
    """
    bad = (labels != np.round(labels)) | (labels < 0) | (labels >= n_classes)
    if bad.any():
        index = int(np.argmax(bad))
        raise ValueError(
            f"{name} must be whole class indices in [0, {n_classes}){context}; "
            f"got {labels[index]:g} at index {index}"
        )
    return labels.astype(np.intp)


def own_copy(array, original):
    """``array`` itself, or a copy of it when it shares memory with the caller's ``original``.

    Layers keep their input for the backward pass; owning it means that a caller who changes
    their array after forward cannot silently change the gradients computed later.
    """
    if isinstance(original, np.ndarray) and np.may_share_memory(array, original):
        return array.copy()
    return array


# --- the checks at the top of a layer's forward and backward ------------------------------
#
# A network checks its batch X once, at its edge (conversion, rank, width, NaN/inf, its own
# copy), and then runs its layers inside network_pass(); backward likewise checks dL/doutput
# once. Every array a layer receives inside the pass was computed by its neighbour from those
# checked arrays: it is already a float64 array the network owns. So there a layer checks only
# what costs nothing, the shape, and skips scanning for NaN and copying (both passes over the
# data: done in every layer they make a training step about a fifth slower). Called on its
# own, a layer checks everything, as it cannot know where its input came from. Skipping the
# scan inside the pass also keeps the meaning of an inf there: an overflow caused by training
# (too large a learning rate), which training reports as divergence, not as bad input.

_INSIDE_NETWORK_PASS = ContextVar("inside_network_pass", default=False)


@contextmanager
def network_pass():
    """Run a network's loop over its layers: inside, layers check the shape of their input
    only (see the comment above)."""
    token = _INSIDE_NETWORK_PASS.set(True)
    try:
        yield
    finally:
        _INSIDE_NETWORK_PASS.reset(token)


def check_batch(x, name, n_columns, owner):
    """Return the batch x as a float64 (n, n_columns) array that the caller may keep.

    name: the argument's name ("X", "x", "z"); n_columns: the number of features expected,
    or None for any; owner: who expects them, e.g. "Dense(2→5)" or "the network".
    Outside a network pass: converts, checks rank, emptiness, width and NaN/inf, and copies x
    if it is the caller's array. Inside one: checks the rank and width only.
    """
    if _INSIDE_NETWORK_PASS.get():
        x = as_float64(x, name)
        check_ndim(x, name, 2)
    else:
        x = own_copy(as_float_array(x, name, ndim=2), x)
    if n_columns is not None and x.shape[1] != n_columns:
        raise ValueError(
            f"{name} has {x.shape[1]} features (shape {x.shape}) but {owner} expects "
            f"{n_columns}; expected shape (n_samples, {n_columns})"
        )
    return x


def check_upstream_grad(upstream_grad, output, output_name, owner):
    """Return upstream_grad = dL/d(output) as a float64 array with the shape of output.

    output: what the owner's last forward returned, named output_name ("z", "a") in messages,
    or None before its first forward (RuntimeError); owner: the layer's name.
    Outside a network pass NaN/inf are refused too; inside one the shape is all that is checked.
    """
    if output is None:
        raise RuntimeError(
            f"{owner}.backward was called before forward; run forward(x) first so the "
            "layer has the input it needs for the chain rule"
        )
    if _INSIDE_NETWORK_PASS.get():
        upstream_grad = as_float64(upstream_grad, "upstream_grad")
    else:
        upstream_grad = as_float_array(upstream_grad, "upstream_grad")
    if upstream_grad.shape != output.shape:
        raise ValueError(
            f"upstream_grad must have shape {output.shape} (the shape of {output_name} = "
            f"dL/d{output_name}); got shape {upstream_grad.shape}"
        )
    return upstream_grad


# --- numbers ------------------------------------------------------------------------------

def _real(value, name, expected):
    """``value`` as a float; TypeError "name must be expected" unless it is a real number
    (a bool is refused: True is not a size or a rate)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}; got {value!r}")
    return float(value)


def check_positive_int(value, name):
    """Return ``value`` as an int after checking it is a whole number > 0."""
    number = _real(value, name, "a positive whole number")
    if not number.is_integer() or number <= 0:
        raise ValueError(f"{name} must be a positive whole number (> 0); got {value!r}")
    return int(value)


def check_nonnegative_int(value, name):
    """Return ``value`` as an int after checking it is an integer >= 0 (such as a seed;
    None is refused, since it would give different random numbers on every call)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number >= 0; got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a whole number >= 0; got {value}")
    return int(value)


def check_positive_float(value, name):
    """Return ``value`` as a float after checking it is a finite number > 0."""
    value = _real(value, name, "a positive number")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")
    return value


def check_nonnegative_float(value, name):
    """Return ``value`` as a float after checking it is a finite number >= 0."""
    number = _real(value, name, "a number >= 0")
    if not np.isfinite(number) or number < 0:
        raise ValueError(f"{name} must be a finite number >= 0; got {value}")
    return number


def check_strictly_between(value, name, low, high):
    """Return ``value`` as a float after checking low < value < high."""
    number = _real(value, name, f"a number between {low:g} and {high:g}")
    if not low < number < high:
        raise ValueError(f"{name} must lie strictly between {low:g} and {high:g}; got {value}")
    return number


def check_choice(value, name, choices):
    """Return ``value`` if it is one of ``choices``; ValueError listing the valid ones otherwise.

    Example message: ``unknown activation 'sigmod'; valid: identity, relu, sigmoid, softmax, tanh``.
    """
    valid = ", ".join(sorted(choices))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name (str); got {value!r}; valid: {valid}")
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; valid: {valid}")
    return value
