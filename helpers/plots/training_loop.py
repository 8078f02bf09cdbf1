"""The learning loop as a picture: forward -> loss -> backward -> update, repeated each epoch.

Used in lesson 00 (Start here), as the map of the course; lesson 07 (Training with gradient
descent) writes the same loop in code.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from .style import FONT_SIZE, GREY, OKABE_ITO, figure_and_axes, lighten, style_title

__all__ = ["draw_training_loop"]


# (step, centre (x, y) in axes units, colour, what it does), clockwise from the top left
_LOOP_STEPS = (
    ("forward", (0.25, 0.78), "orange", "data flows input → output"),
    ("loss", (0.75, 0.78), "sky_blue", "one number: the total error"),
    ("backward", (0.75, 0.3), "vermillion", "dL/dw for every weight and bias"),
    ("update", (0.25, 0.3), "bluish_green", "w ← w − lr·dL/dw"),
)
# the arrows between them, ((x, y) start, (x, y) end): around the boxes and their labels
_LOOP_ARROWS = (  # each starts under its box, so font differences leave no gap there
    ((0.3, 0.78), (0.635, 0.78)),  # forward -> loss
    ((0.75, 0.64), (0.75, 0.375)),  # loss -> backward (below the loss label)
    ((0.7, 0.3), (0.375, 0.3)),  # backward -> update
    ((0.25, 0.3), (0.25, 0.64)),  # update -> forward (below the forward label)
)


def draw_training_loop(ax=None, *, title="One training step") -> Figure:
    """The learning loop as four boxes in a cycle: forward -> loss -> backward -> update.

    Each box has a short label under it; "repeat for each epoch" sits in the centre, and
    arrows run clockwise from box to box (the colour-blind-safe palette of plots.style).

    Args:
        ax: a matplotlib Axes to draw on; None makes a new (9, 5.5) Figure.
        title: the title above the drawing (None for none).

    Returns:
        The Figure drawn on.
    """
    fig, ax = figure_and_axes(ax, (9.0, 5.5))
    ax.set_xlim(0, 1)
    ax.set_ylim(0.12, 0.9)
    ax.set_axis_off()
    for name, (x, y), colour, caption in _LOOP_STEPS:
        edge = OKABE_ITO[colour]
        ax.text(x, y, name, ha="center", va="center", fontsize=FONT_SIZE + 4, fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.6", fc=lighten(edge, 0.75), ec=edge, lw=2.5),
                zorder=3)
        ax.text(x, y - 0.075, caption, ha="center", va="top", fontsize=FONT_SIZE)
    for start, end in _LOOP_ARROWS:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=24, lw=2.5,
                                     color=OKABE_ITO["blue"], zorder=1))
    ax.text(0.5, 0.54, "repeat for\neach epoch", ha="center", va="center",
            fontsize=FONT_SIZE + 1, fontstyle="italic", color=GREY, linespacing=1.4)
    style_title(ax, title)
    return fig
