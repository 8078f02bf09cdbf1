"""Small toy data sets, generated from a seed (the same seed always gives the same data).
Used from lesson 00 (Start here) on, mostly in lesson 07 (Training with gradient descent);
no lesson is about them.

Every function returns (X, y) with X of shape (n_samples, n_features) in float64.
Classification sets have integer labels y of shape (n_samples,); noisy_line is a
regression set with y of shape (n_samples, 1).
"""

import numpy as np

from ._validate import (
    as_float_array,
    check_class_indices,
    check_nonnegative_float,
    check_nonnegative_int,
    check_positive_int,
    check_strictly_between,
)


def _rng(seed):
    """A numpy Generator seeded by ``seed``, a whole number >= 0 (None would give different
    data on every call, so it is refused like any other non-number)."""
    return np.random.default_rng(check_nonnegative_int(seed, "seed"))


def _shuffled(rng, X, y):
    """The same random reordering of the rows of X and y (so classes are mixed)."""
    order = rng.permutation(len(X))
    return X[order], y[order]


def xor():
    """The four corners of the unit square labelled by exclusive or.

    Returns X (4, 2) float64 and y (4,) int: y = 1 exactly when one coordinate is 1.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    return X, y


def two_moons(n_samples=200, *, noise=0.1, seed=0):
    """Two interleaving half circles.

    Returns X (n_samples, 2) and y (n_samples,) in {0, 1}: class 0 is the upper arc
    centred at (0, 0), class 1 the lower arc centred at (1, 0.5); gaussian noise of
    standard deviation noise is added to every coordinate.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative_float(noise, "noise")
    rng = _rng(seed)
    n_upper = (n_samples + 1) // 2
    n_lower = n_samples - n_upper
    angle_upper = np.linspace(0.0, np.pi, n_upper)
    angle_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(angle_upper), np.sin(angle_upper)])
    lower = np.column_stack([1.0 - np.cos(angle_lower), 0.5 - np.sin(angle_lower)])
    X = np.vstack([upper, lower]) + noise * rng.normal(size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, dtype=int), np.ones(n_lower, dtype=int)])
    return _shuffled(rng, X, y)


def circles(n_samples=200, *, noise=0.05, factor=0.5, seed=0):
    """A small circle inside a large one.

    Returns X (n_samples, 2) and y (n_samples,) in {0, 1}: class 0 on the circle of
    radius 1, class 1 on the circle of radius factor (0 < factor < 1), plus gaussian noise.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative_float(noise, "noise")
    factor = check_strictly_between(factor, "factor", 0, 1)
    rng = _rng(seed)
    n_outer = (n_samples + 1) // 2
    n_inner = n_samples - n_outer
    angle_outer = np.linspace(0.0, 2.0 * np.pi, n_outer, endpoint=False)
    angle_inner = np.linspace(0.0, 2.0 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(angle_outer), np.sin(angle_outer)])
    inner = factor * np.column_stack([np.cos(angle_inner), np.sin(angle_inner)])
    X = np.vstack([outer, inner]) + noise * rng.normal(size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_outer, dtype=int), np.ones(n_inner, dtype=int)])
    return _shuffled(rng, X, y)


def spirals(n_per_class=100, n_classes=3, *, noise=0.2, seed=0):
    """n_classes spiral arms winding out from the origin, one class per arm.

    Returns X (n_per_class * n_classes, 2) and y (n_per_class * n_classes,) in
    {0, ..., n_classes - 1}. Along arm j the radius grows from 0 to 1 while the angle
    turns from 2 pi j / n_classes by 4 radians; noise (in radians) jitters the angle.
    """
    n_per_class = check_positive_int(n_per_class, "n_per_class")
    n_classes = check_positive_int(n_classes, "n_classes")
    noise = check_nonnegative_float(noise, "noise")
    rng = _rng(seed)
    radius = np.linspace(0.0, 1.0, n_per_class)
    points, labels = [], []
    for arm in range(n_classes):
        angle = 2.0 * np.pi * arm / n_classes + 4.0 * radius
        angle = angle + noise * rng.normal(size=n_per_class)
        points.append(radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
        labels.append(np.full(n_per_class, arm))
    return _shuffled(rng, np.vstack(points), np.concatenate(labels))


def noisy_line(n_samples=50, *, slope=2.0, intercept=-1.0, noise=0.1, seed=0):
    """Points near the line y = slope * x + intercept, for regression.

    Returns X (n_samples, 1), evenly spaced in [-1, 1], and y (n_samples, 1) =
    slope * X + intercept + gaussian noise of standard deviation noise.
    """
    n_samples = check_positive_int(n_samples, "n_samples")
    noise = check_nonnegative_float(noise, "noise")
    slope = float(as_float_array(slope, "slope", ndim=0))
    intercept = float(as_float_array(intercept, "intercept", ndim=0))
    rng = _rng(seed)
    X = np.linspace(-1.0, 1.0, n_samples).reshape(-1, 1)
    y = slope * X + intercept + noise * rng.normal(size=(n_samples, 1))
    return X, y


def one_hot(labels, n_classes):
    """Rows of zeros with a 1 in the column of each label.

    labels: (n,) whole numbers in [0, n_classes) -> (n, n_classes) float64.
    """
    n_classes = check_positive_int(n_classes, "n_classes")
    labels = as_float_array(labels, "labels", ndim=1)
    indices = check_class_indices(labels, "labels", n_classes)
    encoded = np.zeros((len(labels), n_classes))
    encoded[np.arange(len(labels)), indices] = 1.0
    return encoded


DATASETS = {
    "xor": xor,
    "two_moons": two_moons,
    "circles": circles,
    "spirals": spirals,
    "noisy_line": noisy_line,
}
