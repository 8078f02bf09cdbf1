"""Drawing a layered network for one input: the inputs, the weights on the edges, and each
neuron's pre-activation z, activation a and delta dL/dz, then the loss.

Used in lesson 01 (Forward propagation) and lesson 05 (Backpropagation), by ``draw_network``
and by the network stepper of helpers.widgets, which draws one step of the passes at a time.
Numbers have 3 significant digits, more where 3 would write two different values of one
kind alike (``numbers``). Neuron labels share one font, the largest that fits the column
and row pitch; the weight labels are then placed along their edges so that none overlaps
another label or a neuron (networks up to 4 layers of 6 neurons), and, wherever a readable
font allows it, so that no other edge passes through a label: each can be told to its edge.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from .._validate import as_float64, check_choice, check_shape
from ..layers import ActivationLayer
from .numbers import MIN_DIGITS, change_digits, distinct_digits, write
from .style import (
    BACKWARD_COLOUR,
    CURRENT_FILL,
    FONT_SIZE,
    GREY,
    INPUT_FILL,
    MIN_FONT_SIZE,
    OKABE_ITO,
    Measure,
    figure_and_axes,
    fit_font,
    style_title,
)

__all__ = ["draw_network", "label_digits", "network_figsize"]

LINE_CLEARANCE = 3.0  # pixels between a weight label's box and any other edge's line
ATTRIBUTABLE_FONT = 8.0  # a weight label shrinks no further to avoid a crossing (points)

WEIGHT_LABELS = ("all", "highlighted", "none")  # the choices of draw_network's weight_labels


def _network_layers(network) -> list[tuple]:
    """[(dense_layer, activation_name), ...]: each Dense with the activation that follows."""
    layers = list(network.layers)
    pairs = []
    for i, layer in enumerate(layers):
        if hasattr(layer, "W"):
            follower = layers[i + 1] if i + 1 < len(layers) else None
            is_activation = isinstance(follower, ActivationLayer)
            name = follower.activation.name if is_activation else "identity"
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
    """The heights of n neurons in a column, centred on 0, one unit apart, top first."""
    return [(n - 1) / 2 - i for i in range(n)]


def _as_vector(value, name, size):
    """One sample's values as a (size,) float array (accepts (size,) or (1, size)), or None.

    NaN and inf are let through: a drawing shows a diverged value as it is.
    """
    if value is None:
        return None
    array = as_float64(value, name).reshape(-1)
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
    return [_as_vector(v, f"{name}[{i}]", n)
            for i, (v, n) in enumerate(zip(values, sizes, strict=True))]


def _neuron_label(z, a, delta, index, layer, digits):
    """A neuron's known quantities, one per line ("z 0.53", "a 0.49", "δ -0.0977"), or its
    name ("h1", "y2") when none is known yet. digits: {"z", "a", "delta": int}."""
    lines = [f"{name} {write(values[index], digits[key])}"
             for name, key, values in (("z", "z", z), ("a", "a", a), ("δ", "delta", delta))
             if values is not None]
    return "\n".join(lines) or f"{layer}{index + 1}"


def label_digits(x=None, z=None, a=None, delta=None) -> dict:
    """Significant digits of the node labels: {"x": int, "z", "a", "delta": one int per
    layer}. At least 3, and enough that different values of one vector (the inputs, or one
    kind of one layer) look different, as the stepper's formulas write them (``row``).
    x: (n_inputs,) or None; z, a, delta: one (n_l,) array or None per layer."""
    digits = {"x": distinct_digits([] if x is None else x)}
    for key, values in (("z", z), ("a", a), ("delta", delta)):
        digits[key] = [distinct_digits([] if v is None else v) for v in values or []]
    return digits


def _crossed(boxes, lines, margin):
    """(n_boxes, n_lines) bool: does line k pass through box i grown by ``margin`` pixels?
    boxes: (n, 4) as (x0, y0, x1, y1); lines: (m, 4) as (x_start, y_start, x_end, y_end)."""
    bx0, by0, bx1, by1 = (boxes[:, k, None] + (-margin if k < 2 else margin) for k in range(4))
    sx0, sy0, sx1, sy1 = lines.T
    spans = (np.minimum(sx0, sx1) <= bx1) & (np.maximum(sx0, sx1) >= bx0) & \
        (np.minimum(sy0, sy1) <= by1) & (np.maximum(sy0, sy1) >= by0)
    # the line separates the box's corners (or touches one) where their sides differ
    side = [(sx1 - sx0) * (cy - sy0) - (sy1 - sy0) * (cx - sx0)
            for cx in (bx0, bx1) for cy in (by0, by1)]
    return spans & (np.minimum.reduce(side) <= 0) & (np.maximum.reduce(side) >= 0)


def _place_edge_labels(edges, obstacles, size_of, base_font, lines=()):
    """Greedy placement of one label per edge, on its edge, overlapping nothing placed so far
    and, so that a reader can tell which edge it belongs to, crossed by no other line.

    Each label takes the free position on its edge nearest its preferred fraction (near the
    source end, where edges from different sources are far apart) that no other line passes
    through or within ``LINE_CLEARANCE`` pixels of. The font shrinks by 10% (not below
    ``ATTRIBUTABLE_FONT``) until every label has such a position; if none does, the font is
    the largest at which every label fits without overlap, and only the labels that cannot
    avoid a crossing sit on one.

    Args:
        edges: list of (start_px, end_px, text, preferred_fraction, ...).
        obstacles: list of boxes (x0, y0, x1, y1) in pixels that labels must avoid.
        size_of: function (text, fontsize) -> (width_px, height_px) of the label box.
        base_font: the font size to try first.
        lines: every line drawn, as ((x, y), (x, y)) in pixels; a label's own edge (the
            line with its start and end) is left out of its check.

    Returns:
        (fontsize, [(x_px, y_px) per edge]).
    """
    fractions = np.linspace(0.1, 0.9, 33)
    segments = np.array([(*a, *b) for a, b in lines], dtype=float).reshape(-1, 4)

    def attempt(font):
        placed = np.empty((len(obstacles) + len(edges), 4))
        placed[: len(obstacles)] = obstacles
        n_placed, points, n_crossed = len(obstacles), [], 0
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
                return None, 0
            own = np.all(np.isclose(segments, (*start, *end)), axis=1)
            boxes = np.stack([x - w / 2, y - h / 2, x + w / 2, y + h / 2], axis=1)
            clear = ~_crossed(boxes, segments[~own], LINE_CLEARANCE).any(axis=1)
            k = int(np.argmax(free & clear)) if (free & clear).any() else int(np.argmax(free))
            n_crossed += not clear[k]
            placed[n_placed] = boxes[k]
            n_placed += 1
            points.append((x[k], y[k]))
        return points, n_crossed

    font, fallback = base_font, None
    while True:
        points, n_crossed = attempt(font)
        if points is not None and n_crossed == 0:
            return font, points
        if points is not None and fallback is None:
            fallback = font, points
        if font <= MIN_FONT_SIZE or (fallback is not None and font <= ATTRIBUTABLE_FONT):
            break
        font = max(MIN_FONT_SIZE, font * 0.9)
    if fallback is not None:
        return fallback
    # nothing fits even at the smallest font
    return font, [(s[0] + p * (e[0] - s[0]), s[1] + p * (e[1] - s[1]))
                  for s, e, _, p, *_ in edges]


def _network_labels(x, z, a, delta, sizes, digits):
    """The text of every node, column by column (inputs first)."""
    n_layers = len(sizes) - 1
    labels = [[f"x{i + 1} {write(x[i], digits['x'])}" if x is not None else f"x{i + 1}"
               for i in range(sizes[0])]]
    for layer in range(1, n_layers + 1):
        prefix = "h" if layer < n_layers else "y"
        of_layer = {key: digits[key][layer - 1] for key in ("z", "a", "delta")}
        labels.append([_neuron_label(z[layer - 1], a[layer - 1], delta[layer - 1], i, prefix,
                                     of_layer)
                       for i in range(sizes[layer])])
    return labels


def _loss_label(loss, target, loss_after=None):
    """The loss box's text: the target (if given) above "L 0.123" ("L ?" while unknown), or
    "L 0.298 → 0.28" when the loss after an update is given too (with the digits that show
    the change)."""
    digits = MIN_DIGITS if loss is None or loss_after is None else \
        change_digits([loss], [loss_after])
    label = "L ?" if loss is None else f"L {write(loss, digits)}"
    if loss is not None and loss_after is not None:
        label += f" → {write(loss_after, digits)}"
    if target is not None:
        target = as_float64(target, "target").reshape(-1)
        places = distinct_digits(target)
        label = "target " + " ".join(write(t, places) for t in target) + "\n" + label
    return label


def _widest(labels, keep=3):
    """The few labels with the longest line and the most lines: the ones to measure when
    only the largest box matters (measuring text is the slow part of a drawing)."""
    def size(label):
        lines = label.split("\n")
        return max(len(line) for line in lines), len(lines)

    return sorted(labels, key=size, reverse=True)[:keep]


def _box_style(highlighted, column):
    """The box behind a neuron's label: highlighted, an input (light blue), or plain."""
    if highlighted:
        return dict(boxstyle="round,pad=0.3", fc=CURRENT_FILL, ec=BACKWARD_COLOUR, lw=3.0)
    return dict(boxstyle="round,pad=0.3", fc=INPUT_FILL if column == 0 else "white",
                ec="black", lw=1.2)


def draw_network(network, x=None, *, pre_activations=None, activations=None, deltas=None,
                 weights=None, weight_grads=None, target=None, loss=None, loss_after=None,
                 highlight=None, loss_box=None, weight_labels="all", title=None, ax=None,
                 fontsize=FONT_SIZE, digits=None, edge_digits=None, fit_to=None) -> Figure:
    """Draw a layered network for one input: inputs, weights on edges, z, a and delta.

    Columns from left to right: the inputs x (layer 0), then each Dense layer with its
    activation (layers 1..L), then the loss. Each neuron shows the quantities that are
    known: its pre-activation z, its activation a and its delta dL/dz. Edge labels are the
    weights W[i, j] (positive: solid blue; negative: dashed vermillion; thickness grows
    with |w|), or dL/dW (written ∂...) for the layers given in ``weight_grads``. Numbers
    have 3 significant digits, more where 3 would write different values of one kind alike.

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
        loss_after: the loss after an update, shown after it: "L 0.298 → 0.28".
        highlight: a column to highlight: 0 for the inputs, 1..L for a layer, L+1 for the loss.
        loss_box: draw the loss box (showing "L ?" while ``loss`` is None); default: only
            when ``loss`` is given. True keeps the layout the same before and after the loss.
        weight_labels: "all" (a number on every edge), "highlighted" (only on the edges into
            the highlighted layer; all if no layer is highlighted) or "none".
        title: text above the drawing.
        ax: Axes to draw into; if None a new Figure sized by ``network_figsize``.
        fontsize: the largest neuron-label font; labels shrink only if they would not fit.
        digits: significant digits of the node labels, {"x": int, "z", "a", "delta": one
            int per layer}, as ``label_digits`` gives (default: ``label_digits`` of what is
            shown). A stepper passes those of its whole pass, so a number keeps its digits.
        edge_digits: one int or None per layer: significant digits of its edge labels
            (None: 3, or more where 3 would write two of the layer's labels alike).
        fit_to: the keyword arguments (pre_activations, activations, deltas, target, loss,
            loss_after) of the fullest drawing of a series: the font is chosen so that its
            labels fit too, so every drawing of the series has the same font.

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
    digits = {**label_digits(x, z, a, delta), **(digits or {})}
    edge_digits = [None] * n_layers if edge_digits is None else list(edge_digits)
    weights = [dense.W for dense, _ in pairs] if weights is None else list(weights)
    weight_grads = [None] * n_layers if weight_grads is None else list(weight_grads)
    if len(weights) != n_layers or len(weight_grads) != n_layers or \
            len(edge_digits) != n_layers:
        raise ValueError("weights, weight_grads and edge_digits need one entry per layer "
                         f"({n_layers})")
    with_loss = loss is not None if loss_box is None else bool(loss_box)
    check_choice(weight_labels, "weight_labels", WEIGHT_LABELS)
    labelled = set(range(1, n_layers + 1)) if weight_labels != "none" else set()
    if weight_labels == "highlighted" and highlight in labelled:
        labelled = {highlight}

    fig, ax = figure_and_axes(ax, network_figsize(network, with_loss=with_loss))
    if ax.figure is fig and len(fig.axes) == 1 and not fig.get_constrained_layout():
        fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.9 if title else 0.99)
    style_title(ax, title)
    n_columns = len(sizes) + (1 if with_loss else 0)
    top = max(sizes)
    ax.set_xlim(-0.5, n_columns - 0.5)
    ax.set_ylim(-top / 2, top / 2)
    ax.set_axis_off()

    # Nodes: one font for all, the largest that fits the column and row pitch.
    labels = _network_labels(x, z, a, delta, sizes, digits)
    loss_label = _loss_label(loss, target, loss_after)
    measure = Measure(fig)
    to_px = measure.to_px(ax)
    bbox = ax.get_window_extent(measure.renderer)
    pitch = (bbox.width / n_columns, bbox.height / top)
    probes = ["z −0.000\na −0.000\nδ −0.000"] + [t for column in labels for t in column]
    loss_probes = [loss_label] if with_loss else []
    if fit_to:
        fuller = {key: _layer_values(fit_to.get(name), name, sizes[1:]) for key, name in
                  (("z", "pre_activations"), ("a", "activations"), ("delta", "deltas"))}
        fullest = [t for column in _network_labels(x, fuller["z"], fuller["a"],
                                                   fuller["delta"], sizes, digits)
                   for t in column]
        probes += _widest(fullest)
        loss_probes.append(_loss_label(fit_to.get("loss"), fit_to.get("target"),
                                       fit_to.get("loss_after")))
    # the loss box has no edge labels on its right: it may take most of its column
    font = min(fit_font([measure.box(t, fontsize) for t in probes], pitch, fontsize,
                        fill=(0.42, 0.82)),
               fit_font([measure.box(t, fontsize) for t in loss_probes], pitch, fontsize,
                        fill=(0.8, 0.82)))
    nodes = [(column, (column, y), text) for column, texts in enumerate(labels)
             for y, text in zip(_rows(len(texts)), texts, strict=True)]
    if with_loss:
        nodes.append((n_layers + 1, (n_columns - 1, 0.0), loss_label))
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
        name = f"weight_grads[{layer - 1}]" if is_grad else f"weights[{layer - 1}]"
        values = as_float64(weight_grads[layer - 1] if is_grad else weights[layer - 1], name)
        check_shape(values, name, (sizes[layer - 1], sizes[layer]),
                    f"(n_in, n_out) of layer {layer}")
        largest = max(float(np.abs(values).max()), 1e-12)
        places = edge_digits[layer - 1] or distinct_digits(values)
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
                    text = ("∂" if is_grad else "") + write(w, places)
                    preferred = 0.25
                    edge_labels.append((to_px(start), to_px(end), text, preferred,
                                        to_rgba(colour, 0.6 + 0.4 * (alpha > 0.5))))
    ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths,
                                     linestyles=styles, zorder=1, capstyle="butt"))

    def size_of(text, font_size):
        return measure.number(text, font_size, 0.15)

    lines = [(to_px(a), to_px(b)) for a, b in segments]
    label_font, points = _place_edge_labels(edge_labels, boxes, size_of, 0.9 * font, lines)
    to_data = ax.transData.inverted()
    for (*_, text, _, colour), point in zip(edge_labels, points, strict=True):
        x_data, y_data = to_data.transform(point)
        ax.text(x_data, y_data, text, fontsize=label_font, ha="center", va="center",
                color=colour, zorder=2,
                bbox=dict(boxstyle="square,pad=0.15", fc="white", ec="none", alpha=0.85))
    return fig


