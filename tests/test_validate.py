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


def test_check_batch_outside_and_inside_a_network_pass():
    from helpers._validate import check_batch, network_pass

    x = np.ones((3, 2))
    checked = check_batch(x, "x", 2, "Dense(2→1)")
    assert checked is not x and np.array_equal(checked, x)  # the caller's array is copied
    with pytest.raises(ValueError, match=r"x has 2 features \(shape \(3, 2\)\) but Dense\(3→1\) "
                                         r"expects 3; expected shape \(n_samples, 3\)"):
        check_batch(x, "x", 3, "Dense(3→1)")
    with pytest.raises(ValueError, match=r"z contains NaN at index \(0, 0\)"):
        check_batch([[np.nan]], "z", None, "relu")
    with network_pass():
        assert check_batch(x, "x", 2, "Dense(2→1)") is x  # no copy, no scan
        np.testing.assert_array_equal(check_batch([[np.inf]], "z", None, "relu"), [[np.inf]])
        with pytest.raises(ValueError, match=r"x must be 2-D"):
            check_batch(np.ones(3), "x", 3, "Dense(3→1)")
    with pytest.raises(ValueError, match="NaN"):  # the pass is over
        check_batch([[np.nan]], "z", None, "relu")


def test_check_upstream_grad():
    from helpers._validate import check_upstream_grad, network_pass

    z = np.zeros((2, 3))
    message = r"Dense\(1→3\).backward was called before forward"
    with pytest.raises(RuntimeError, match=message):
        check_upstream_grad(np.ones((2, 3)), None, "z", "Dense(1→3)")
    with pytest.raises(ValueError, match=r"upstream_grad must have shape \(2, 3\) \(the shape of "
                                         r"z = dL/dz\); got shape \(3, 2\)"):
        check_upstream_grad(np.ones((3, 2)), z, "z", "Dense(1→3)")
    with pytest.raises(ValueError, match=r"upstream_grad contains NaN"):
        check_upstream_grad(np.full((2, 3), np.nan), z, "z", "Dense(1→3)")
    with network_pass():
        assert np.isnan(check_upstream_grad(np.full((2, 3), np.nan), z, "z", "Dense(1→3)")).all()


def test_number_checks_for_data_sets():
    from helpers._validate import (
        check_nonnegative_float,
        check_nonnegative_int,
        check_strictly_between,
    )

    assert check_nonnegative_float(0, "noise") == 0.0
    assert check_nonnegative_int(np.int64(3), "seed") == 3
    assert check_strictly_between(0.5, "factor", 0, 1) == 0.5
    with pytest.raises(TypeError, match=r"noise must be a number >= 0; got '0.1'"):
        check_nonnegative_float("0.1", "noise")
    with pytest.raises(ValueError, match=r"noise must be a finite number >= 0; got -1"):
        check_nonnegative_float(-1, "noise")
    for bad in (None, 1.5, True):
        with pytest.raises(TypeError, match=r"seed must be a whole number >= 0"):
            check_nonnegative_int(bad, "seed")
    with pytest.raises(ValueError, match=r"seed must be a whole number >= 0; got -2"):
        check_nonnegative_int(-2, "seed")
    with pytest.raises(TypeError, match=r"factor must be a number between 0 and 1; got None"):
        check_strictly_between(None, "factor", 0, 1)
    with pytest.raises(ValueError, match=r"factor must lie strictly between 0 and 1; got 1"):
        check_strictly_between(1, "factor", 0, 1)
