"""Toy data sets: shapes, labels, determinism, geometry."""

import numpy as np
import pytest

from helpers.data import DATASETS, circles, noisy_line, one_hot, spirals, two_moons, xor


def test_xor():
    X, y = xor()
    assert X.shape == (4, 2) and X.dtype == np.float64
    np.testing.assert_array_equal(y, (X[:, 0] != X[:, 1]).astype(int))


@pytest.mark.parametrize("make", [two_moons, circles])
def test_two_class_sets(make):
    X, y = make(101)
    assert X.shape == (101, 2) and y.shape == (101,)
    assert X.dtype == np.float64 and y.dtype.kind == "i"
    assert set(np.unique(y)) == {0, 1}
    assert abs(int(np.sum(y == 0)) - int(np.sum(y == 1))) <= 1


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_same_seed_same_data_and_different_seed_different_data(name):
    make = DATASETS[name]
    first, second = make(), make()
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)
    if name != "xor":
        seed0, seed1 = make(seed=0), make(seed=1)
        assert any(not np.array_equal(a, b) for a, b in zip(seed0, seed1, strict=True))


def test_circles_radii():
    X, y = circles(400, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)


def test_two_moons_without_noise_lies_on_the_arcs():
    X, y = two_moons(100, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)


def test_spirals_classes_and_radius():
    X, y = spirals(30, 4, noise=0.0)
    assert X.shape == (120, 2)
    np.testing.assert_array_equal(np.bincount(y), [30, 30, 30, 30])
    assert np.hypot(X[:, 0], X[:, 1]).max() == pytest.approx(1.0)


def test_noisy_line():
    X, y = noisy_line(11, slope=3.0, intercept=0.5, noise=0.0)
    assert X.shape == (11, 1) and y.shape == (11, 1)
    np.testing.assert_allclose(y, 3.0 * X + 0.5)
    X, y = noisy_line(2000, noise=0.1, seed=3)
    assert np.std(y - (2.0 * X - 1.0)) == pytest.approx(0.1, rel=0.1)


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0, 1], 3), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot(np.array([1.0]), 2).dtype == np.float64


@pytest.mark.parametrize("name", ["two_moons", "circles", "spirals", "noisy_line"])
@pytest.mark.parametrize("seed, error, message", [
    (None, TypeError, "seed must be a whole number >= 0; got None"),
    (1.5, TypeError, "seed must be a whole number >= 0; got 1.5"),
    (-1, ValueError, "seed must be a whole number >= 0; got -1"),
])
def test_a_seed_that_is_not_a_whole_number_is_named(name, seed, error, message):
    # before: None silently gave different data on every call, the others a numpy message
    with pytest.raises(error, match=message):
        DATASETS[name](seed=seed)
    assert np.array_equal(DATASETS[name](seed=np.int64(3))[0], DATASETS[name](seed=3)[0])
