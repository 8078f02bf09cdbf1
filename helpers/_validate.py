"""Checks on user input, so that bad input fails early with a message a learner can act on.

Every message names the argument, says what was seen and what was expected, for example
``X must be 2-D (n_samples, n_features); got shape (3,)``.
"""

import numbers

import numpy as np

_RANK_HINTS = {
    0: "a single number",
    1: "1-D (n,)",
    2: "2-D (n_samples, n_features)",
}


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
    if isinstance(value, np.ndarray) and value.dtype == np.float64:
        array = value
    else:
        array = _to_numeric_array(value, name).astype(np.float64, copy=False)
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
    return _to_numeric_array(value, name).astype(np.float64, copy=False)


def _to_numeric_array(value, name):
    """Convert to a numpy array of booleans, integers or floats; TypeError otherwise."""
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
    return array


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


def check_positive_int(value, name):
    """Return ``value`` as an int after checking it is a whole number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive whole number; got {value!r}")
    if not float(value).is_integer() or value <= 0:
        raise ValueError(f"{name} must be a positive whole number (> 0); got {value!r}")
    return int(value)


def check_positive_float(value, name):
    """Return ``value`` as a float after checking it is a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number; got {value!r}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value}")
    return value


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
