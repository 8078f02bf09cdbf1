"""Curves of one variable: an activation function with its derivative, and the loss per epoch.

``plot_activation`` is used in lesson 02 (Activation functions) and by the activation
explorer of helpers.widgets; ``plot_loss_curve`` in lesson 00 (Start here) and lesson 07
(Training with gradient descent), and by the training explorer. An activation is read through
its public API only: ``get_activation(name).forward(z)`` and ``.derivative(z)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .._validate import as_float_array, check_positive_int
from ..activations import get_activation
from ..notation import format_number
from .style import (
    FONT_SIZE,
    GREY,
    OKABE_ITO,
    TICK_SIZE,
    figure_and_axes,
    style_title,
)

__all__ = ["plot_activation", "plot_loss_curve"]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Index ranges [start, stop) where ``mask`` is True."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2], edges[1::2], strict=True))


def plot_activation(name, *, z=None, z_range=(-6.0, 6.0), show_derivative=True,
                    saturation=0.05, title=None, ax=None) -> Figure:
    """Plot an activation a = f(z) and its derivative f'(z) over ``z_range``.

    Args:
        name: "identity", "relu", "sigmoid" or "tanh" (or an Activation); softmax is not
            entry by entry, so it has no curve of one variable.
        z: a point to mark, with the tangent line of slope f'(z) through (z, f(z)).
        z_range: (low, high) of the horizontal axis.
        show_derivative: also draw f'(z) (dashed).
        saturation: shade where |f'(z)| < saturation (the gradient nearly vanishes there);
            None to shade nothing.
        title: text above the plot (default: the activation's name).
        ax: Axes to draw into; if None a new Figure.

    Returns:
        the Figure.
    """
    activation = get_activation(name)
    if activation.name == "softmax":
        raise ValueError("activation 'softmax' maps a whole vector to a vector, so it has no "
                         "curve of one z; plot sigmoid (softmax of [z, 0]) instead")
    low, high = (float(v) for v in z_range)
    if not low < high:
        raise ValueError(f"z_range must be (low, high) with low < high; got {z_range}")
    fig, ax = figure_and_axes(ax, (8.0, 5.0))
    grid = np.linspace(low, high, 601)
    values = activation.forward(grid)
    slopes = activation.derivative(grid)
    ax.plot(grid, values, color=OKABE_ITO["blue"], lw=3, label=f"{activation.name}(z)")
    if show_derivative:
        ax.plot(grid, slopes, color=OKABE_ITO["orange"], lw=3, ls="--",
                label=f"{activation.name}′(z)")
    if saturation is not None:
        for n, (start, stop) in enumerate(_runs(np.abs(slopes) < saturation)):
            ax.axvspan(grid[start], grid[stop - 1], color=GREY, alpha=0.18, lw=0,
                       label=f"|slope| < {saturation:g}" if n == 0 else None)
    if z is not None:
        z = float(z)
        value = float(activation.forward(np.array([z]))[0])
        slope = float(activation.derivative(np.array([z]))[0])
        half = (high - low) / 6
        ax.plot([z - half, z + half], [value - slope * half, value + slope * half],
                color=OKABE_ITO["vermillion"], lw=2.5,
                label=f"tangent, slope {format_number(slope, 3)}")
        ax.plot([z], [value], "o", color=OKABE_ITO["vermillion"], ms=11, zorder=5)
    top = max(float(values.max()), float(slopes.max()) if show_derivative else -np.inf)
    bottom = min(float(values.min()), float(slopes.min()) if show_derivative else np.inf)
    margin = 0.1 * max(top - bottom, 1.0)
    ax.set_xlim(low, high)
    ax.set_ylim(bottom - margin, top + margin)
    ax.axhline(0, color="black", lw=0.8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("pre-activation z", fontsize=FONT_SIZE)
    ax.set_ylabel("activation a", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=TICK_SIZE, loc="upper left", framealpha=0.9)
    style_title(ax, title if title is not None else activation.name)
    return fig


def _end_label(loss: float) -> str:
    """The last loss with 4 significant digits, a power of ten written as × 10^k."""
    text = format_number(loss)
    return f"${format_number(loss, latex=True)}$" if "e" in text else text


def plot_loss_curve(losses, *, log_scale=False, title="Loss per epoch", ax=None,
                    epochs=None) -> Figure:
    """Plot the loss after each epoch.

    Args:
        losses: sequence of floats, shape (n_epochs,) (may be empty: empty axes that say
            "no epochs yet").
        log_scale: use a logarithmic loss axis (all losses must then be > 0).
        title: text above the plot.
        ax: Axes to draw into; if None a new Figure.
        epochs: the epoch axis runs from 0 to this (e.g. the epochs a run will take, so
            that the curve grows from left to right); default: the epochs in ``losses``.

    Returns:
        the Figure.
    """
    losses = as_float_array(losses, "losses", allow_empty=True).reshape(-1)
    if log_scale and np.any(losses <= 0):
        raise ValueError("log_scale needs losses > 0")
    fig, ax = figure_and_axes(ax, (8.0, 5.0))
    n = len(losses)
    end = max(n, 1) if epochs is None else max(check_positive_int(epochs, "epochs"), n)
    epoch_numbers = np.arange(1, n + 1)
    ax.plot(epoch_numbers, losses, color=OKABE_ITO["blue"], lw=3)
    if n:
        # the last loss as a dot, drawn whole even where it sits on the edge of the axes
        ax.plot(epoch_numbers[-1:], losses[-1:], "o", color=OKABE_ITO["vermillion"], ms=9,
                clip_on=False, zorder=5)
        # the last loss, written inside the axes on the side away from the point
        right_half = epoch_numbers[-1] > 0.6 * end
        ax.annotate(_end_label(losses[-1]), (epoch_numbers[-1], losses[-1]),
                    xytext=(-8 if right_half else 8, 10), textcoords="offset points",
                    ha="right" if right_half else "left", fontsize=TICK_SIZE)
    if epochs is not None:
        ax.set_xlim(0, end)
    elif n:
        ax.set_xlim(0.5, max(n, 2) + 0.5)
    else:
        ax.set_xlim(0, 10)
    if log_scale:
        ax.set_yscale("log")
    if n and not log_scale:
        ax.set_ylim(0, float(losses.max()) * 1.1 + 1e-12)
    elif not n:  # no numbers on the loss axis until there is a loss
        ax.set_ylim(*((0.01, 1) if log_scale else (0, 1)))
        ax.tick_params(axis="y", which="both", labelleft=False)
        ax.text(0.5, 0.5, "no epochs yet", transform=ax.transAxes, ha="center",
                va="center", fontsize=FONT_SIZE, color=GREY)
    ax.set_xlabel("epoch", fontsize=FONT_SIZE)
    ax.set_ylabel("loss", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(alpha=0.3)
    style_title(ax, title)
    return fig
