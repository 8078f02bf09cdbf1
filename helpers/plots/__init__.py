"""Drawings for the lessons: a computational graph, a layered network, activation curves, a
loss curve, a decision boundary and the training loop.

Every drawing function takes an optional ``ax`` (a matplotlib Axes) and returns the Figure it
drew on; none calls ``plt.show()``. Without ``ax`` a new Figure is made with matplotlib's object
API (no pyplot state), sized for the drawing. In a notebook a returned Figure displays as a
PNG image. Made to be projected in a classroom: large fonts, the Okabe-Ito colour-blind-safe
palette, line styles and markers that do not rely on colour alone, and labels whose font
shrinks until no two labels overlap (graphs up to 15 nodes, networks up to 4 layers of 6).

One module per drawing, each naming the lessons that use it:

- ``style``: palette, font sizes, new figures, PNG output, measuring text (every lesson);
- ``numbers``: how many significant digits a number needs (lessons 01, 05);
- ``graph_drawing``: the computational graph with its values and gradients (lessons 00, 03);
- ``network_drawing``: a layered network with z, a and delta for one input (lessons 01, 05);
- ``curves``: an activation and its derivative (lesson 02), the loss per epoch (00, 07);
- ``boundary``: a classifier's decision boundary (lesson 07);
- ``training_loop``: forward -> loss -> backward -> update as a cycle (lesson 00).

``import helpers`` does not load this package (nor matplotlib); ``import helpers.plots`` does.
"""

from .boundary import plot_decision_boundary
from .curves import plot_activation, plot_loss_curve
from .graph_drawing import GraphLayout, draw_graph, graph_figsize, graph_layout
from .network_drawing import draw_network, label_digits, network_figsize
from .numbers import change_digits, distinct_digits, write
from .style import (
    FONT_SIZE,
    OKABE_ITO,
    _register_png_formatter,  # noqa: F401 - run on import; tests call it again
    figure_to_png,
    new_figure,
)
from .training_loop import draw_training_loop

__all__ = [
    "FONT_SIZE",
    "OKABE_ITO",
    "draw_graph",
    "draw_network",
    "draw_training_loop",
    "figure_to_png",
    "GraphLayout",
    "change_digits",
    "distinct_digits",
    "graph_figsize",
    "graph_layout",
    "label_digits",
    "network_figsize",
    "new_figure",
    "plot_activation",
    "plot_decision_boundary",
    "plot_loss_curve",
    "write",
]
