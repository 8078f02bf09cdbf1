"""Drawing a scalar computational graph: inputs left, output right, each node's box with its
operation, value and gradient, and the current forward or backward step highlighted.

Used in lesson 03 (The chain rule on a graph) by ``draw_graph``, and in lessons 00 (Start
here) and 03 by the graph stepper of helpers.widgets, which draws one step at a time. Each
node's operation is written with the ``label`` form of its row in the table of operations
(helpers.graph.OPERATIONS), so an operation registered there is drawn with no change here.
Labels share one font, the largest at which every box fits its column (graphs up to 15 nodes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.path import Path

from ..graph import BackwardStep, ForwardStep, Value, format_number, get_operation
from .style import (
    BACKWARD_COLOUR,
    CURRENT_FILL,
    FONT_SIZE,
    FORWARD_COLOUR,
    GREY,
    INPUT_FILL,
    OKABE_ITO,
    Measure,
    figure_and_axes,
    fit_font,
    style_title,
)

__all__ = ["GraphLayout", "draw_graph", "graph_figsize", "graph_layout"]


def _operation_text(node: Value) -> str:
    """The node's operation on its inputs' names, in the drawing's form, e.g. ``"z = x × y"``."""
    names = [inp.name for inp in node.inputs]
    body = get_operation(node.op).write(names, node.exponent, style="label")
    return f"{node.name} = {body}"


def _graph_label(node: Value, value, grad) -> str:
    """The text in a node's box: operation, value and gradient ("?" where not known yet)."""
    if node.is_constant:
        return node.name
    head = _operation_text(node) if node.inputs else node.name
    value_text = "?" if value is None else format_number(value)  # as the steps write it
    grad_text = "?" if grad is None else format_number(grad)
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
    fig, ax = figure_and_axes(ax, graph_figsize(root))
    if ax.figure is fig and len(fig.axes) == 1 and not fig.get_constrained_layout():
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9 if title else 0.99)
    style_title(ax, title)
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
    measure = Measure(fig)
    bbox = ax.get_window_extent(measure.renderer)
    pitch = (bbox.width / (x_max - x_min + 1), bbox.height / (y_max - y_min + 1))
    template = "value −0.00123"
    probes = list(labels.values()) + [f"{template}\n{template}\n{template}"]
    font = fit_font([measure.box(t, fontsize) for t in probes], pitch, fontsize)

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

