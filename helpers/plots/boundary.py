"""The decision boundary of a classifier: the plane coloured by the class it predicts, with
the data on top.

Used in lesson 07 (Training with gradient descent) and by the training explorer of
helpers.widgets, which redraws it as the network trains.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .._validate import as_float_array, check_class_indices, check_positive_int, check_shape
from ..network import Network, predicted_classes
from .style import (
    CLASS_COLOURS,
    CLASS_MARKERS,
    FONT_SIZE,
    OKABE_ITO,
    TICK_SIZE,
    figure_and_axes,
    lighten,
    style_title,
)

__all__ = ["plot_decision_boundary"]


def _scores_function(model) -> Callable[[np.ndarray], np.ndarray]:
    """A function X (n, 2) -> scores (n, k), from a Network (run on a copy) or a callable."""
    if isinstance(model, Network):
        network = model.copy()  # the lesson's network keeps its cached forward pass
        return network.forward
    if callable(model):
        return model
    raise TypeError(f"model must be a Network or a function X -> scores; got "
                    f"{type(model).__name__}")


def plot_decision_boundary(model, X, y, *, resolution=200, padding=0.5, title=None,
                           ax=None) -> Figure:
    """Colour the plane by the class a classifier predicts, with the data on top.

    Args:
        model: a Network, or a function X (n, 2) -> scores (n, k) or (n,). One score
            column is read as P(class 1) (threshold 0.5); k columns as class scores (argmax).
        X: inputs, shape (n_samples, 2).
        y: class labels, shape (n_samples,) of ints (or (n_samples, 1)).
        resolution: grid points per axis.
        padding: margin around the data, in input units.
        title: text above the plot.
        ax: Axes to draw into; if None a new Figure.

    Returns:
        the Figure.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2); got shape {X.shape}")
    y = as_float_array(y, "y", ndim=(1, 2)).reshape(-1)
    check_shape(y, "y", (len(X),), "(one label per sample)")
    # whole labels >= 0 only: 0.7 used to be drawn as class 0 and -1 not drawn at all
    labels = check_class_indices(y, "y", int(max(y.max(), 0)) + 1)
    resolution = check_positive_int(resolution, "resolution")
    scores_of = _scores_function(model)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(low[0], high[0], resolution),
                         np.linspace(low[1], high[1], resolution))
    scores = np.asarray(scores_of(np.column_stack([g0.ravel(), g1.ravel()])), dtype=np.float64)
    scores = scores.reshape(len(scores), -1)
    n_classes = max(int(labels.max()) + 1, 2, scores.shape[1])
    predicted = predicted_classes(scores)
    colours = [OKABE_ITO[CLASS_COLOURS[k % len(CLASS_COLOURS)]] for k in range(n_classes)]
    light = ListedColormap([lighten(c) for c in colours])

    fig, ax = figure_and_axes(ax, (7.0, 6.0))
    ax.imshow(predicted.reshape(g0.shape), cmap=light, vmin=-0.5, vmax=n_classes - 0.5,
              origin="lower", extent=(low[0], high[0], low[1], high[1]), aspect="auto",
              interpolation="nearest", zorder=0)
    if scores.shape[1] == 1 and np.ptp(predicted) > 0:
        ax.contour(g0, g1, scores[:, 0].reshape(g0.shape), levels=[0.5], colors="black",
                   linewidths=2)
    for k in range(n_classes):
        mask = labels == k
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=40, color=colours[k],
                       marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], edgecolor="black",
                       linewidth=0.6, label=f"class {k}", zorder=2)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel("x1", fontsize=FONT_SIZE)
    ax.set_ylabel("x2", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.legend(fontsize=TICK_SIZE, loc="upper right", framealpha=0.9)
    style_title(ax, title)
    return fig


