"""Drawings for the lessons: a computational graph, a layered network, activation curves,
a loss curve and a decision boundary.

Every function takes an optional ``ax`` (a matplotlib Axes) and returns the Figure it drew
on; none calls ``plt.show()``. Without ``ax`` a new Figure is made with matplotlib's object
API (no pyplot state), sized for the drawing. In a notebook a returned Figure displays as a
PNG image.

Made to be projected in a classroom: large fonts, the Okabe-Ito colour-blind-safe palette,
line styles and markers that do not rely on colour alone, and labels whose font shrinks
until no two labels overlap (graphs up to 15 nodes, networks up to 4 layers of 6 neurons).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path

from .._validate import as_float_array, check_class_indices
from ..activations import get_activation
from ..graph import BackwardStep, ForwardStep, Value, format_number
from ..network import predicted_classes

__all__ = [
    "FONT_SIZE",
    "OKABE_ITO",
    "draw_graph",
    "draw_network",
    "draw_training_loop",
    "figure_to_png",
    "GraphLayout",
    "graph_figsize",
    "graph_layout",
    "network_figsize",
    "new_figure",
    "plot_activation",
    "plot_decision_boundary",
    "plot_loss_curve",
]

# The Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
CLASS_COLOURS = ["blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "vermillion"]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P"]

FONT_SIZE = 14  # labels inside drawings, in points
TITLE_SIZE = 16
TICK_SIZE = 13
MIN_FONT_SIZE = 4  # labels shrink no further (a crowded drawing needs a larger figure)
GREY = "#7F7F7F"
FORWARD_COLOUR = OKABE_ITO["orange"]  # the current forward operation
BACKWARD_COLOUR = OKABE_ITO["vermillion"]  # the current chain-rule products
CURRENT_FILL = "#FBF6B8"  # a light Okabe-Ito yellow behind the current node
INPUT_FILL = "#DDEFF9"  # a light sky blue behind inputs


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------
def new_figure(figsize=(8.0, 5.0), dpi=100) -> Figure:
    """A Figure with an Agg canvas, not registered with pyplot (so it never leaks)."""
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def _figure_and_axes(ax, figsize):
    """The Figure and Axes to draw on: ``ax`` if given, else a new Figure with one Axes."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(figsize)
    return fig, fig.add_subplot()


def figure_to_png(fig: Figure, dpi=None) -> bytes:
    """Render a Figure with the Agg backend and return the PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    return buffer.getvalue()


def _register_png_formatter() -> None:
    """In IPython, display a returned Figure as PNG even if pyplot was never imported."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, figure_to_png)


_register_png_formatter()


def _renderer(fig: Figure) -> RendererAgg:
    """An Agg renderer of the figure's size, for measuring text in pixels."""
    width, height = fig.get_size_inches() * fig.dpi
    return RendererAgg(int(width), int(height), fig.dpi)


def _box_size_px(text: str, fontsize: float, fig: Figure, renderer, pad: float) -> tuple:
    """(width, height) in pixels of ``text`` in a box with ``pad`` (fraction of fontsize)."""
    probe = fig.text(0, 0, text, fontsize=fontsize, ha="center", va="center")
    extent = probe.get_window_extent(renderer)
    probe.remove()
    margin = 2 * pad * fontsize * fig.dpi / 72
    return extent.width + margin, extent.height + margin


class _Measure:
    """Sizes of text boxes in pixels, measured once each with an Agg renderer."""

    def __init__(self, fig: Figure):
        self.fig = fig
        self.renderer = _renderer(fig)
        self._cache: dict = {}

    def box(self, text: str, fontsize: float, pad: float = 0.3) -> tuple[float, float]:
        key = (text, round(fontsize, 4), pad)
        if key not in self._cache:
            self._cache[key] = _box_size_px(text, fontsize, self.fig, self.renderer, pad)
        return self._cache[key]

    def number(self, text: str, fontsize: float, pad: float) -> tuple[float, float]:
        """Box of a short number such as "-0.53", measured once per shape ("-0.00")."""
        return self.box(re.sub(r"\d", "0", text), fontsize, pad)

    def to_px(self, ax):
        """A function (x, y) in data units -> (x, y) in pixels, for a linear Axes."""
        bbox = ax.get_window_extent(self.renderer)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()

        def convert(point):
            return (bbox.x0 + (point[0] - x0) / (x1 - x0) * bbox.width,
                    bbox.y0 + (point[1] - y0) / (y1 - y0) * bbox.height)

        return convert


def _style_title(ax, title):
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, loc="left")


# ------------------------------------------------------------------------------------------
# The computational graph
# ------------------------------------------------------------------------------------------
_OP_TEXT = {
    "+": "{0} + {1}",
    "-": "{0} − {1}",
    "*": "{0} × {1}",
    "/": "{0} ÷ {1}",
    "neg": "−{0}",
    "exp": "exp({0})",
    "log": "log({0})",
    "sigmoid": "σ({0})",
    "tanh": "tanh({0})",
    "relu": "ReLU({0})",
}


def _operation_text(node: Value) -> str:
    """The node's operation on its inputs' names, e.g. ``"z = x × y"``."""
    names = [inp.name for inp in node.inputs]
    if node.op == "**":
        body = f"{names[0]}^{format_number(node.exponent)}"
    else:
        body = _OP_TEXT[node.op].format(*names)
    return f"{node.name} = {body}"


def _graph_label(node: Value, value, grad) -> str:
    """The text in a node's box: operation, value and gradient ("?" where not known yet)."""
    if node.is_constant:
        return node.name
    head = _operation_text(node) if node.inputs else node.name
    value_text = "?" if value is None else format_number(value, 3)
    grad_text = "?" if grad is None else format_number(grad, 3)
    return f"{head}\nvalue {value_text}\ngrad {grad_text}"


def _columns(order: list[Value]) -> dict[Value, int]:
    """Column of each node: operations one right of their latest input; a leaf sits one
    column left of its first user (so ``b`` in ``w*x + b`` stands next to its ``+``)."""
    column: dict[Value, int] = {}
    first_use: dict[Value, int] = {}
    for node in order:
        column[node] = 1 + max((column[inp] for inp in node.inputs), default=-1)
        for inp in node.inputs:
            first_use[inp] = min(first_use.get(inp, column[node]), column[node])
    for node in order:
        if not node.inputs and node in first_use:
            column[node] = first_use[node] - 1
    return column


def _spread(desired: list[float], sizes: list[float]) -> list[float]:
    """Keep the order (top to bottom), push items apart so neighbours are at least
    (size_a + size_b) / 2 apart, and keep the mean of the desired positions."""
    placed: list[float] = []
    for k, y in enumerate(desired):
        gap = (sizes[k - 1] + sizes[k]) / 2 if k else 0.0
        placed.append(y if not placed else min(y, placed[-1] - gap))
    shift = (sum(desired) - sum(placed)) / len(placed)
    return [y + shift for y in placed]


@dataclass
class GraphLayout:
    """Where ``draw_graph`` puts things, in data units (one column = 1, one row = 1).

    positions: {Value: (x, y)} box centres; x is the column, inputs left, output right.
    edges: [(input, node, bends)] one per operand; bends are (x, y) points that an edge
        spanning several columns passes through, so it goes around the boxes in between.
    """

    positions: dict
    edges: list


def graph_layout(root: Value) -> GraphLayout:
    """Lay the graph out in columns (layered drawing with bends for long edges).

    Rows in each column are ordered by the mean row of their neighbours, sweeping left to
    right and back, which keeps edges short and rarely crossing.
    """
    order = root.topological_order()
    column = _columns(order)
    items: list[list] = [[] for _ in range(column[root] + 1)]
    left: dict = {}
    right: dict = {}
    size: dict = {}
    edges = []
    for node in order:
        items[column[node]].append(node)
        left.setdefault(node, [])
        right.setdefault(node, [])
        size[node] = 1.0
    for node in order:
        for k, inp in enumerate(node.inputs):
            chain = [inp]
            for c in range(column[inp] + 1, column[node]):
                bend = ("bend", id(node), k, c)
                items[c].append(bend)
                left[bend], right[bend], size[bend] = [], [], 0.5
                chain.append(bend)
            chain.append(node)
            for a, b in zip(chain, chain[1:], strict=False):
                right[a].append(b)
                left[b].append(a)
            edges.append((inp, node, chain[1:-1]))
    y = {}
    for column_items in items:
        for i, item in enumerate(column_items):
            y[item] = (len(column_items) - 1) / 2 - i

    def sweep(columns, neighbours):
        for column_items in columns:
            wish = {item: np.mean([y[n] for n in neighbours[item]]) if neighbours[item]
                    else y[item] for item in column_items}
            column_items.sort(key=lambda item: -wish[item])
            spread = _spread([wish[i] for i in column_items], [size[i] for i in column_items])
            for item, new_y in zip(column_items, spread, strict=True):
                y[item] = new_y

    for _ in range(3):
        sweep(items[1:], left)
        sweep(reversed(items[:-1]), right)
    sweep(items[1:], left)
    positions = {node: (float(column[node]), float(y[node])) for node in order}
    routes = [(inp, node, [(float(b[3]), float(y[b])) for b in bends])
              for inp, node, bends in edges]
    return GraphLayout(positions, routes)


def graph_figsize(root: Value) -> tuple[float, float]:
    """A figure size (inches) that fits the graph at the classroom font size."""
    layout = graph_layout(root)
    xs, ys = _extent(layout)
    width = min(16.0, max(6.0, 2.2 * (xs[1] - xs[0] + 1)))
    height = min(9.0, max(3.0, 1.1 * (ys[1] - ys[0] + 1) + 0.6))
    return width, height


def _extent(layout: GraphLayout):
    """((x_min, x_max), (y_min, y_max)) over boxes and bends."""
    points = list(layout.positions.values()) + [p for *_, bends in layout.edges for p in bends]
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), max(xs)), (min(ys), max(ys))


def _edge_ends(start, end, half_start, half_end):
    """Points where the straight line between two box centres leaves each box."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0

    def exit_fraction(half):
        hx, hy = half
        tx = hx / abs(dx) if dx else np.inf
        ty = hy / abs(dy) if dy else np.inf
        return min(tx, ty)

    t0 = exit_fraction(half_start)
    t1 = 1 - exit_fraction(half_end)
    if t1 <= t0:  # overlapping boxes: draw centre to centre
        return start, end
    return (x0 + t0 * dx, y0 + t0 * dy), (x0 + t1 * dx, y0 + t1 * dy)


def _fit_font(sizes_px, pitch_px, base, fill=(0.72, 0.8)):
    """Largest font <= base such that every box fits its pitch (boxes scale with the font)."""
    if not sizes_px:
        return base
    max_w = max(w for w, _ in sizes_px)
    max_h = max(h for _, h in sizes_px)
    scale = min(1.0, fill[0] * pitch_px[0] / max_w, fill[1] * pitch_px[1] / max_h)
    return max(MIN_FONT_SIZE, base * scale * 0.97)


def draw_graph(root: Value, *, step=None, values=None, grads=None, title=None, ax=None,
               fontsize=FONT_SIZE) -> Figure:
    """Draw the computational graph that ends at ``root``, inputs left, output right.

    Each node's box shows its operation, value and gradient. The node of ``step`` is
    highlighted; for a ForwardStep the edges from its inputs are marked (orange, solid),
    for a BackwardStep the edges of its chain-rule products (vermillion, dashed, pointing
    back towards the inputs).

    Args:
        root: the output Value of the graph (at most about 15 nodes stay readable).
        step: a ForwardStep or BackwardStep of this graph to highlight, or None.
        values: {Value: float} values to show; default every node's ``data``. Nodes left
            out show "?" (not computed yet).
        grads: {Value: float} gradients to show; default every node's ``grad``; "?" if left out.
        title: text above the drawing.
        ax: Axes to draw into; if None a new Figure sized by ``graph_figsize`` is made.
        fontsize: the largest label font; it shrinks only if the labels would not fit.

    Returns:
        the Figure.
    """
    if not isinstance(root, Value):
        raise TypeError(f"root must be a Value; got {type(root).__name__}")
    if step is not None and not isinstance(step, ForwardStep | BackwardStep):
        raise TypeError(f"step must be a ForwardStep, a BackwardStep or None; got {step!r}")
    fig, ax = _figure_and_axes(ax, graph_figsize(root))
    if ax.figure is fig and len(fig.axes) == 1 and not fig.get_constrained_layout():
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9 if title else 0.99)
    _style_title(ax, title)
    root.names()
    layout = graph_layout(root)
    positions = layout.positions
    order = list(positions)
    shown_values = {n: n.data for n in order} if values is None else values
    shown_grads = {n: n.grad for n in order} if grads is None else grads
    labels = {n: _graph_label(n, shown_values.get(n), shown_grads.get(n)) for n in order}

    (x_min, x_max), (y_min, y_max) = _extent(layout)
    ax.set_xlim(x_min - 0.5, x_max + 0.5)
    ax.set_ylim(y_min - 0.5, y_max + 0.5)
    ax.set_axis_off()

    # One font for every box: the largest that lets the widest box fit its column.
    measure = _Measure(fig)
    bbox = ax.get_window_extent(measure.renderer)
    pitch = (bbox.width / (x_max - x_min + 1), bbox.height / (y_max - y_min + 1))
    template = "value −0.00123"
    probes = list(labels.values()) + [f"{template}\n{template}\n{template}"]
    font = _fit_font([measure.box(t, fontsize) for t in probes], pitch, fontsize)

    current = step.node if step is not None else None
    if isinstance(step, ForwardStep):
        touched = set(step.node.inputs)
    elif isinstance(step, BackwardStep):
        touched = {c.input for c in step.contributions}
    else:
        touched = set()

    half = {}
    for node in order:
        x, y = positions[node]
        if node is current:
            face, edge, width = CURRENT_FILL, BACKWARD_COLOUR, 3.5
        elif node in touched:
            face, edge, width = INPUT_FILL, OKABE_ITO["blue"], 2.5
        else:
            face, edge, width = ("#F2F2F2" if not node.inputs else "white"), "black", 1.2
        ax.text(x, y, labels[node], fontsize=font, ha="center", va="center", zorder=3,
                multialignment="center",
                bbox=dict(boxstyle="round,pad=0.3", fc=face, ec=edge, lw=width))
        w_px, h_px = measure.box(labels[node], font)
        half[node] = (w_px / 2 / pitch[0], h_px / 2 / pitch[1])

    seen: dict[tuple, int] = {}
    for inp, node, bends in layout.edges:
        repeat = seen.get((id(inp), id(node)), 0)
        seen[(id(inp), id(node))] = repeat + 1
        marked = node is current and inp in touched
        style = dict(color=GREY, lw=1.5, ls="-")
        if marked:
            forward = isinstance(step, ForwardStep)
            style = dict(color=FORWARD_COLOUR if forward else BACKWARD_COLOUR, lw=4.0,
                         ls="-" if forward else "--")
        points = [positions[inp], *bends, positions[node]]
        start, _ = _edge_ends(points[0], points[1], half[inp], (0.0, 0.0))
        _, end = _edge_ends(points[-2], points[-1], (0.0, 0.0), half[node])
        points = [start, *bends, end]
        if marked and isinstance(step, BackwardStep):
            points = points[::-1]  # the gradient flows from the node back to its input
        arrow = dict(arrowstyle="-|>", mutation_scale=18 if marked else 13,
                     zorder=4 if marked else 2, shrinkA=0, shrinkB=0, **style)
        if bends:
            codes = [Path.MOVETO] + [Path.LINETO] * (len(points) - 1)
            ax.add_patch(FancyArrowPatch(path=Path(points, codes), **arrow))
        else:
            rad = 0.0 if repeat == 0 else 0.35 * (1 if repeat % 2 else -1) * (1 + repeat // 2)
            ax.add_patch(FancyArrowPatch(points[0], points[1],
                                         connectionstyle=f"arc3,rad={rad}", **arrow))
    return fig


# ------------------------------------------------------------------------------------------
# The layered network
# ------------------------------------------------------------------------------------------
def _network_layers(network) -> list[tuple]:
    """[(dense_layer, activation_name), ...]: each Dense with the activation that follows."""
    layers = list(network.layers)
    pairs = []
    for i, layer in enumerate(layers):
        if hasattr(layer, "W"):
            follower = layers[i + 1] if i + 1 < len(layers) else None
            name = follower.activation.name if hasattr(follower, "activation") else "identity"
            pairs.append((layer, name))
    if not pairs:
        raise ValueError("network must contain at least one Dense layer")
    return pairs


def network_figsize(network, *, with_loss=True) -> tuple[float, float]:
    """A figure size (inches) that fits the network drawing at the classroom font size."""
    pairs = _network_layers(network)
    sizes = [pairs[0][0].n_in] + [dense.n_out for dense, _ in pairs]
    n_columns = len(sizes) + (1 if with_loss else 0)
    width = min(16.0, max(7.0, 3.2 * n_columns))
    height = min(9.0, max(3.5, 1.2 * max(sizes) + 1.0))
    return width, height


def _rows(n: int) -> list[float]:
    return [(n - 1) / 2 - i for i in range(n)]


def _as_vector(value, name, size):
    """One sample's values as a 1-D float array of ``size`` (accepts (size,) or (1, size))."""
    if value is None:
        return None
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    if array.shape != (size,):
        raise ValueError(f"{name} must have {size} entries (one sample); got shape "
                         f"{np.shape(value)}")
    return array


def _layer_values(values, name, sizes):
    """A list with one 1-D array (or None) per layer."""
    if values is None:
        return [None] * len(sizes)
    if len(values) != len(sizes):
        raise ValueError(f"{name} must have one entry per layer ({len(sizes)}); got {len(values)}")
    return [_as_vector(v, f"{name}[{i}]", n) for i, (v, n) in enumerate(zip(values, sizes,
                                                                             strict=True))]


def _neuron_label(z, a, delta, index, layer):
    lines = []
    if z is not None:
        lines.append(f"z {z[index]:.2f}")
    if a is not None:
        lines.append(f"a {a[index]:.2f}")
    if delta is not None:
        lines.append(f"δ {delta[index]:.2f}")
    return "\n".join(lines) or f"{layer}{index + 1}"


def _place_edge_labels(edges, obstacles, size_of, base_font):
    """Greedy placement of one label per edge, on the edge, overlapping nothing placed so far.

    Args:
        edges: list of (start_px, end_px, text, preferred_fraction, ...).
        obstacles: list of boxes (x0, y0, x1, y1) in pixels that labels must avoid.
        size_of: function (text, fontsize) -> (width_px, height_px) of the label box.
        base_font: the font size to try first; it shrinks by 10% until every label fits.

    Returns:
        (fontsize, [(x_px, y_px) per edge]).
    """
    fractions = np.linspace(0.12, 0.88, 15)
    font = base_font
    while True:
        placed = np.empty((len(obstacles) + len(edges), 4))
        placed[: len(obstacles)] = obstacles
        n_placed, points = len(obstacles), []
        for start, end, text, preferred, *_ in edges:
            w, h = size_of(text, font)
            t = fractions[np.argsort(np.abs(fractions - preferred), kind="stable")]
            x = start[0] + t * (end[0] - start[0])
            y = start[1] + t * (end[1] - start[1])
            others = placed[:n_placed]
            overlap_x = np.minimum(x[:, None] + w / 2, others[:, 2]) - \
                np.maximum(x[:, None] - w / 2, others[:, 0])
            overlap_y = np.minimum(y[:, None] + h / 2, others[:, 3]) - \
                np.maximum(y[:, None] - h / 2, others[:, 1])
            free = ~np.any((overlap_x > 0.5) & (overlap_y > 0.5), axis=1)
            if not free.any():
                break
            k = int(np.argmax(free))
            placed[n_placed] = (x[k] - w / 2, y[k] - h / 2, x[k] + w / 2, y[k] + h / 2)
            n_placed += 1
            points.append((x[k], y[k]))
        if len(points) == len(edges) or font <= MIN_FONT_SIZE:
            if len(points) < len(edges):  # nothing fits even at the smallest font
                points = [(s[0] + p * (e[0] - s[0]), s[1] + p * (e[1] - s[1]))
                          for s, e, _, p, *_ in edges]
            return font, points
        font = max(MIN_FONT_SIZE, font * 0.9)


def _network_labels(x, z, a, delta, sizes):
    """The text of every node, column by column (inputs first)."""
    n_layers = len(sizes) - 1
    labels = [[f"x{i + 1} {x[i]:.2f}" if x is not None else f"x{i + 1}"
               for i in range(sizes[0])]]
    for layer in range(1, n_layers + 1):
        prefix = "h" if layer < n_layers else "y"
        labels.append([_neuron_label(z[layer - 1], a[layer - 1], delta[layer - 1], i, prefix)
                       for i in range(sizes[layer])])
    return labels


def _loss_label(loss, target):
    label = "L ?" if loss is None else f"L {loss:.3f}"
    if target is not None:
        target = np.asarray(target, dtype=np.float64).reshape(-1)
        label = "target " + " ".join(f"{t:.2f}" for t in target) + "\n" + label
    return label


def _box_style(highlighted, column):
    if highlighted:
        return dict(boxstyle="round,pad=0.3", fc=CURRENT_FILL, ec=BACKWARD_COLOUR, lw=3.0)
    return dict(boxstyle="round,pad=0.3", fc=INPUT_FILL if column == 0 else "white",
                ec="black", lw=1.2)


def draw_network(network, x=None, *, pre_activations=None, activations=None, deltas=None,
                 weights=None, weight_grads=None, target=None, loss=None, highlight=None,
                 loss_box=None, weight_labels="all", title=None, ax=None,
                 fontsize=FONT_SIZE) -> Figure:
    """Draw a layered network for one input: inputs, weights on edges, z, a and delta.

    Columns from left to right: the inputs x (layer 0), then each Dense layer with its
    activation (layers 1..L), then the loss. Each neuron shows the quantities that are
    known: its pre-activation z, its activation a and its delta dL/dz. Edge labels are the
    weights W[i, j] (positive: solid blue; negative: dashed vermillion; thickness grows
    with |w|), or dL/dW (written ∂...) for the layers given in ``weight_grads``.

    Args:
        network: a Network (Dense layers each followed by an ActivationLayer).
        x: one input, shape (n_inputs,) or (1, n_inputs). If given and both
            ``pre_activations`` and ``activations`` are None, a forward pass on a copy of the
            network fills them in.
        pre_activations, activations, deltas: one entry per layer (1..L), each (n_l,) or
            None (not known yet).
        weights: one (n_{l-1}, n_l) array per layer to show instead of the network's W
            (e.g. the weights after an update).
        weight_grads: one (n_{l-1}, n_l) array or None per layer; where given, that layer's
            edges show dL/dW instead of W.
        target: the target for this input, shape (n_outputs,), shown in the loss box.
        loss: the loss value, shown in a box right of the output layer.
        highlight: a column to highlight: 0 for the inputs, 1..L for a layer, L+1 for the loss.
        loss_box: draw the loss box (showing "L ?" while ``loss`` is None); default: only
            when ``loss`` is given. True keeps the layout the same before and after the loss.
        weight_labels: "all" (a number on every edge), "highlighted" (only on the edges into
            the highlighted layer; all if no layer is highlighted) or "none".
        title: text above the drawing.
        ax: Axes to draw into; if None a new Figure sized by ``network_figsize``.
        fontsize: the largest neuron-label font; labels shrink only if they would not fit.

    Returns:
        the Figure.
    """
    pairs = _network_layers(network)
    sizes = [pairs[0][0].n_in] + [dense.n_out for dense, _ in pairs]
    n_layers = len(pairs)
    x = _as_vector(x, "x", sizes[0])
    if x is not None and pre_activations is None and activations is None:
        copy = network.copy()
        copy.forward(x[None, :], record=True)
        pre_activations = [r.output for r in copy.record if r.kind == "dense"]
        activations = [r.output for r in copy.record if r.kind == "activation"]
    z = _layer_values(pre_activations, "pre_activations", sizes[1:])
    a = _layer_values(activations, "activations", sizes[1:])
    delta = _layer_values(deltas, "deltas", sizes[1:])
    weights = [dense.W for dense, _ in pairs] if weights is None else list(weights)
    weight_grads = [None] * n_layers if weight_grads is None else list(weight_grads)
    if len(weights) != n_layers or len(weight_grads) != n_layers:
        raise ValueError(f"weights and weight_grads need one entry per layer ({n_layers})")
    with_loss = loss is not None if loss_box is None else bool(loss_box)
    if weight_labels not in ("all", "highlighted", "none"):
        raise ValueError(f"unknown weight_labels {weight_labels!r}; valid: all, highlighted, none")
    labelled = set(range(1, n_layers + 1)) if weight_labels != "none" else set()
    if weight_labels == "highlighted" and highlight in labelled:
        labelled = {highlight}

    fig, ax = _figure_and_axes(ax, network_figsize(network, with_loss=with_loss))
    if ax.figure is fig and len(fig.axes) == 1 and not fig.get_constrained_layout():
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9 if title else 0.99)
    _style_title(ax, title)
    n_columns = len(sizes) + (1 if with_loss else 0)
    top = max(sizes)
    ax.set_xlim(-0.5, n_columns - 0.5)
    ax.set_ylim(-top / 2, top / 2)
    ax.set_axis_off()

    # Nodes: one font for all, the largest that fits the column and row pitch.
    labels = _network_labels(x, z, a, delta, sizes)
    measure = _Measure(fig)
    to_px = measure.to_px(ax)
    bbox = ax.get_window_extent(measure.renderer)
    pitch = (bbox.width / n_columns, bbox.height / top)
    probes = ["z −00.00\na −00.00\nδ −00.00"] + [t for column in labels for t in column]
    font = _fit_font([measure.box(t, fontsize) for t in probes], pitch, fontsize,
                     fill=(0.42, 0.82))
    nodes = [(column, (column, y), text) for column, texts in enumerate(labels)
             for y, text in zip(_rows(len(texts)), texts, strict=True)]
    if with_loss:
        nodes.append((n_layers + 1, (n_columns - 1, 0.0), _loss_label(loss, target)))
    positions = [[] for _ in labels]
    boxes = []
    for column, (cx, cy), text in nodes:
        ax.text(cx, cy, text, fontsize=font, ha="center", va="center", zorder=3,
                multialignment="left", bbox=_box_style(column == highlight, column))
        w, h = measure.box(text, font)
        px, py = to_px((cx, cy))
        boxes.append((px - w / 2, py - h / 2, px + w / 2, py + h / 2))
        if column < len(labels):
            positions[column].append((cx, cy))

    # Edges, with their weights (or dL/dW) as labels placed so that none overlap.
    segments, colours, widths, styles, edge_labels = [], [], [], [], []
    if with_loss:
        for point in positions[-1]:
            segments.append([point, (n_columns - 1, 0.0)])
            colours.append(to_rgba(GREY))
            widths.append(1.0)
            styles.append("solid")
    for layer in range(1, n_layers + 1):
        is_grad = weight_grads[layer - 1] is not None
        values = np.asarray(weight_grads[layer - 1] if is_grad else weights[layer - 1],
                            dtype=np.float64)
        if values.shape != (sizes[layer - 1], sizes[layer]):
            raise ValueError(f"weights for layer {layer} must have shape "
                             f"{(sizes[layer - 1], sizes[layer])}; got {values.shape}")
        largest = max(float(np.abs(values).max()), 1e-12)
        alpha = 0.35 if highlight is not None and highlight != layer else 0.9
        for i, start in enumerate(positions[layer - 1]):
            for j, end in enumerate(positions[layer]):
                w = float(values[i, j])
                colour = OKABE_ITO["blue"] if w >= 0 else OKABE_ITO["vermillion"]
                segments.append([start, end])
                colours.append(to_rgba(colour, alpha))
                widths.append(0.8 + 2.7 * abs(w) / largest)
                styles.append("solid" if w >= 0 else "dashed")
                if layer in labelled:
                    text = f"∂{w:.2f}" if is_grad else f"{w:.2f}"
                    preferred = 0.3 + 0.45 * (i + 1) / (sizes[layer - 1] + 1)
                    edge_labels.append((to_px(start), to_px(end), text, preferred,
                                        to_rgba(colour, 0.6 + 0.4 * (alpha > 0.5))))
    ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths,
                                     linestyles=styles, zorder=1, capstyle="butt"))

    def size_of(text, font_size):
        return measure.number(text, font_size, 0.15)

    label_font, points = _place_edge_labels(edge_labels, boxes, size_of, 0.9 * font)
    to_data = ax.transData.inverted()
    for (*_, text, _, colour), point in zip(edge_labels, points, strict=True):
        x_data, y_data = to_data.transform(point)
        ax.text(x_data, y_data, text, fontsize=label_font, ha="center", va="center",
                color=colour, zorder=2,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.85))
    return fig


# ------------------------------------------------------------------------------------------
# Curves
# ------------------------------------------------------------------------------------------
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
    fig, ax = _figure_and_axes(ax, (8.0, 5.0))
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
                color=OKABE_ITO["vermillion"], lw=2.5, label=f"tangent, slope {slope:.3f}")
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
    _style_title(ax, title if title is not None else activation.name)
    return fig


def plot_loss_curve(losses, *, log_scale=False, title="Loss per epoch", ax=None) -> Figure:
    """Plot the loss after each epoch.

    Args:
        losses: sequence of floats, shape (n_epochs,) (may be empty: an empty plot).
        log_scale: use a logarithmic loss axis (all losses must then be > 0).
        title: text above the plot.
        ax: Axes to draw into; if None a new Figure.

    Returns:
        the Figure.
    """
    losses = np.asarray(losses, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(losses)):
        raise ValueError("losses must be finite numbers; got NaN or inf")
    if log_scale and np.any(losses <= 0):
        raise ValueError("log_scale needs losses > 0")
    fig, ax = _figure_and_axes(ax, (8.0, 5.0))
    epochs = np.arange(1, len(losses) + 1)
    ax.plot(epochs, losses, color=OKABE_ITO["blue"], lw=3)
    if len(losses):
        ax.plot(epochs[-1:], losses[-1:], "o", color=OKABE_ITO["vermillion"], ms=9)
        ax.annotate(f"{losses[-1]:.4f}", (epochs[-1], losses[-1]), xytext=(-8, 10),
                    textcoords="offset points", ha="right", fontsize=TICK_SIZE)
        ax.set_xlim(0.5, max(len(losses), 2) + 0.5)
    else:
        ax.set_xlim(0, 10)
    if log_scale:
        ax.set_yscale("log")
    elif len(losses):
        ax.set_ylim(0, float(losses.max()) * 1.1 + 1e-12)
    ax.set_xlabel("epoch", fontsize=FONT_SIZE)
    ax.set_ylabel("loss", fontsize=FONT_SIZE)
    ax.tick_params(labelsize=TICK_SIZE)
    ax.grid(alpha=0.3)
    _style_title(ax, title)
    return fig


# ------------------------------------------------------------------------------------------
# Decision boundary
# ------------------------------------------------------------------------------------------
def _scores_function(model) -> Callable[[np.ndarray], np.ndarray]:
    """A function X (n, 2) -> scores (n, k), from a Network (run on a copy) or a callable."""
    if hasattr(model, "forward") and hasattr(model, "copy"):
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
    if y.shape != (len(X),):
        raise ValueError(f"y must have shape ({len(X)},); got shape {np.shape(y)}")
    # whole labels >= 0 only: 0.7 used to be drawn as class 0 and -1 not drawn at all
    labels = check_class_indices(y, "y", int(max(y.max(), 0)) + 1)
    scores_of = _scores_function(model)
    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(low[0], high[0], resolution),
                         np.linspace(low[1], high[1], resolution))
    scores = np.asarray(scores_of(np.column_stack([g0.ravel(), g1.ravel()])), dtype=np.float64)
    scores = scores.reshape(len(scores), -1)
    n_classes = max(int(labels.max()) + 1, 2, scores.shape[1])
    predicted = predicted_classes(scores)
    colours = [OKABE_ITO[CLASS_COLOURS[k % len(CLASS_COLOURS)]] for k in range(n_classes)]
    light = ListedColormap([_lighten(c) for c in colours])

    fig, ax = _figure_and_axes(ax, (7.0, 6.0))
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
    _style_title(ax, title)
    return fig


def _lighten(colour, amount=0.7):
    """The colour mixed with white (amount 1 is white)."""
    r, g, b, _ = to_rgba(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


# ------------------------------------------------------------------------------------------
# The training loop
# ------------------------------------------------------------------------------------------
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
    arrows run clockwise from box to box (the colour-blind-safe palette of this module).

    Args:
        ax: a matplotlib Axes to draw on; None makes a new (9, 5.5) Figure.
        title: the title above the drawing (None for none).

    Returns:
        The Figure drawn on.
    """
    fig, ax = _figure_and_axes(ax, (9.0, 5.5))
    ax.set_xlim(0, 1)
    ax.set_ylim(0.12, 0.9)
    ax.set_axis_off()
    for name, (x, y), colour, caption in _LOOP_STEPS:
        edge = OKABE_ITO[colour]
        ax.text(x, y, name, ha="center", va="center", fontsize=FONT_SIZE + 4, fontweight="bold",
                bbox=dict(boxstyle="round,pad=0.6", fc=_lighten(edge, 0.75), ec=edge, lw=2.5),
                zorder=3)
        ax.text(x, y - 0.075, caption, ha="center", va="top", fontsize=FONT_SIZE)
    for start, end in _LOOP_ARROWS:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=24, lw=2.5,
                                     color=OKABE_ITO["blue"], zorder=1))
    ax.text(0.5, 0.54, "repeat for\neach epoch", ha="center", va="center",
            fontsize=FONT_SIZE + 1, fontstyle="italic", color=GREY, linespacing=1.4)
    _style_title(ax, title)
    return fig
