"""Input checks shared by the whole package."""

import numpy as np
import pytest

from helpers._validate import (
    as_float_array,
    check_choice,
    check_positive_float,
    check_positive_int,
)


def test_as_float_array_converts_ints_and_bools():
    for value in ([1, 2], np.array([1, 2], dtype=np.int32), [True, False], (1.5, 2)):
        array = as_float_array(value, "x")
        assert array.dtype == np.float64


def test_as_float_array_does_not_copy_float64_arrays():
    x = np.ones((2, 2))
    assert as_float_array(x, "x") is x


def test_as_float_array_ndim():
    assert as_float_array([[1.0]], "X", ndim=2).shape == (1, 1)
    assert as_float_array(3.0, "s", ndim=0).shape == ()
    message = r"X must be 2-D \(n_samples, n_features\); got shape \(3,\)"
    with pytest.raises(ValueError, match=message):
        as_float_array([1.0, 2.0, 3.0], "X", ndim=2)
    with pytest.raises(ValueError, match=r"1-D \(n,\) or 2-D"):
        as_float_array(np.ones((1, 1, 1)), "y", ndim=(1, 2))


def test_as_float_array_non_numeric():
    for value in (None, "abc", ["a", "b"], [object()], [1 + 2j]):
        with pytest.raises(TypeError, match="x must be a numeric array"):
            as_float_array(value, "x")


def test_as_float_array_ragged():
    with pytest.raises(ValueError, match="x must be a rectangular numeric array"):
        as_float_array([[1.0, 2.0], [3.0]], "x")


def test_as_float_array_nan_inf_and_empty():
    with pytest.raises(ValueError, match=r"X contains NaN at index \(0, 1\)"):
        as_float_array([[1.0, np.nan]], "X")
    with pytest.raises(ValueError, match=r"y contains inf at index 2"):
        as_float_array([1.0, 2.0, -np.inf], "y")
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\)"):
        as_float_array(np.zeros((0, 2)), "X")
    assert as_float_array(np.zeros((0, 2)), "X", allow_empty=True).shape == (0, 2)


def test_positive_numbers():
    assert check_positive_int(3, "epochs") == 3
    assert check_positive_int(np.int64(3), "epochs") == 3
    assert check_positive_int(4.0, "epochs") == 4
    assert check_positive_float(1, "lr") == 1.0
    for bad in (0, -2, 2.5):
        with pytest.raises(ValueError, match="epochs must be a positive whole number"):
            check_positive_int(bad, "epochs")
    for bad in ("3", None, True):
        with pytest.raises(TypeError, match="epochs must be a positive whole number"):
            check_positive_int(bad, "epochs")
    for bad in (0.0, -0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="lr must be a finite number > 0"):
            check_positive_float(bad, "lr")
    with pytest.raises(TypeError, match="lr must be a positive number"):
        check_positive_float("0.1", "lr")


def test_check_choice():
    assert check_choice("b", "thing", {"a": 1, "b": 2}) == "b"
    with pytest.raises(ValueError, match=r"unknown thing 'c'; valid: a, b"):
        check_choice("c", "thing", {"b": 2, "a": 1})
    with pytest.raises(TypeError, match=r"thing must be a name .*valid: a, b"):
        check_choice(3, "thing", ["a", "b"])
