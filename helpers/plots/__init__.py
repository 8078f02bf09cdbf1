"""Drawings for the lessons (matplotlib); see graph_drawing for now."""

from .graph_drawing import (  # noqa: F401
    FONT_SIZE,
    OKABE_ITO,
    GraphLayout,
    _register_png_formatter,
    draw_graph,
    draw_network,
    draw_training_loop,
    figure_to_png,
    graph_figsize,
    graph_layout,
    network_figsize,
    new_figure,
    plot_activation,
    plot_decision_boundary,
    plot_loss_curve,
)
from .graph_drawing import __all__  # noqa: F401
