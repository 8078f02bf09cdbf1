"""Tests of helpers.plots: every drawing renders with Agg, without warnings, and no two
labels overlap for graphs up to 15 nodes and networks up to 4 layers of 6 neurons."""

import operator
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from helpers import plots
from helpers.graph import (
    Value,
    apply_operation,
)
from helpers.network import build_network
from helpers.plots import (
    OKABE_ITO,
    change_digits,
    distinct_digits,
    draw_graph,
    draw_network,
    figure_to_png,
    new_figure,
    plot_activation,
    plot_decision_boundary,
    plot_loss_curve,
    write,
)

pytestmark = pytest.mark.filterwarnings("error")


# ---- helpers ----------------------------------------------------------------------------
def label_boxes(fig):
    """Pixel boxes of every visible text (with its background box) drawn by the Agg renderer."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        texts = list(ax.texts) + [ax.title, ax._left_title, ax._right_title]
        for text in texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            box = text.get_window_extent(renderer)
            patch = text.get_bbox_patch()
            if patch is not None:
                box = box.union([box, patch.get_window_extent(renderer)])
            boxes.append((text.get_text(), box))
    return boxes


def overlapping_labels(fig, tolerance=0.5):
    """Pairs of label texts whose boxes overlap by more than ``tolerance`` pixels."""
    boxes = label_boxes(fig)
    pairs = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            width = min(a.x1, b.x1) - max(a.x0, b.x0)
            height = min(a.y1, b.y1) - max(a.y0, b.y0)
            if width > tolerance and height > tolerance:
                pairs.append((text_a, text_b))
    return pairs


def graph_fonts(fig):
    return {t.get_fontsize() for t in fig.axes[0].texts}


BINARY = [operator.add, operator.sub, operator.mul]
UNARY = [Value.tanh, Value.sigmoid, Value.relu, operator.neg, lambda v: v.tanh() ** 2]


def random_graph(seed, max_nodes=15):
    """A random expression of at most ``max_nodes`` nodes that reuses nodes (long edges)."""
    rng = np.random.default_rng(seed)
    nodes = [Value(float(rng.uniform(-2, 2)), name) for name in ("x", "y", "w", "b")]
    nodes = nodes[: rng.integers(2, 5)]
    while True:
        if rng.random() < 0.6:
            a, b = rng.choice(len(nodes), size=2)
            candidate = BINARY[rng.integers(len(BINARY))](nodes[a], nodes[b])
        else:
            candidate = UNARY[rng.integers(len(UNARY))](nodes[rng.integers(len(nodes))])
        if len(candidate.topological_order()) > max_nodes:
            break
        nodes.append(candidate)
    root = nodes[-1]
    root.backward()
    return root


def chain_graph(n_nodes=15):
    """x -> tanh -> neg -> tanh -> ... : a graph of n_nodes in n_nodes columns."""
    node = Value(0.5, "x")
    for k in range(n_nodes - 1):
        node = node.tanh() if k % 2 == 0 else -node
    node.backward()
    return node


def neuron_graph():
    w1, x1, w2, x2, b = (Value(v, n) for v, n in
                         [(-3.0, "w1"), (2.0, "x1"), (1.0, "w2"), (0.0, "x2"), (6.88, "b")])
    out = (w1 * x1 + w2 * x2 + b).tanh()
    out.label = "o"
    out.backward()
    return out


GRAPHS = {
    "chain of 15": chain_graph,
    "neuron": neuron_graph,
    "reuse x * x": lambda: _backward((Value(3.0, "x") * Value(3.0, "x")) + 1),
    **{f"random {seed}": (lambda seed=seed: random_graph(seed)) for seed in range(12)},
}


def _backward(node):
    node.backward()
    return node


# ---- the computational graph -----------------------------------------------------------
@pytest.mark.parametrize("name", list(GRAPHS))
def test_graph_labels_never_overlap(name):
    root = GRAPHS[name]()
    assert len(root.topological_order()) <= 15
    fig = draw_graph(root, title=name)
    assert isinstance(fig, Figure)
    assert overlapping_labels(fig) == []
    # also in a fixed smaller figure, as a widget uses, and with every step highlighted
    fixed = new_figure((9.0, 4.5))
    steps = root.forward_steps() + root.backward_steps()
    for step in steps[:: max(1, len(steps) // 2)]:
        fixed.clear()
        draw_graph(root, step=step, ax=fixed.add_subplot(), title="step")
        assert overlapping_labels(fixed) == [], step.text()


def test_graph_fonts_stay_readable_for_fifteen_nodes():
    assert min(graph_fonts(draw_graph(neuron_graph()))) >= 12
    for seed in range(12):  # up to 11 columns side by side
        assert min(graph_fonts(draw_graph(random_graph(seed)))) >= 8
    assert min(graph_fonts(draw_graph(chain_graph()))) >= 6  # 15 columns side by side


def test_graph_is_laid_out_left_to_right():
    root = neuron_graph()
    layout = plots.graph_layout(root)
    for node in root.topological_order():
        for inp in node.inputs:
            assert layout.positions[inp][0] < layout.positions[node][0]
    assert layout.positions[root][0] == max(p[0] for p in layout.positions.values())


def test_graph_shows_operation_value_and_gradient():
    x, y = Value(-2.0, "x"), Value(3.0, "y")
    z = x * y
    z.label = "z"
    z.backward()
    fig = draw_graph(z)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "z = x × y\nvalue -6\ngrad 1" in texts
    assert "x\nvalue -2\ngrad 3" in texts


def test_graph_unknown_values_show_a_question_mark():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = x + y
    fig = draw_graph(z, values={x: 2.0, y: 3.0}, grads={})
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert any("value ?" in t and "grad ?" in t for t in texts)


def test_graph_marks_the_current_chain_rule_edges():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = (x * y).tanh()
    backward = z.backward_steps()
    fig = draw_graph(z, step=backward[1])
    marked = [p for p in fig.axes[0].patches if p.get_linewidth() >= 4]
    assert len(marked) == 2  # dz/dx and dz/dy of the product
    assert {to_hex(p.get_edgecolor()) for p in marked} == {OKABE_ITO["vermillion"].lower()}


def test_draw_graph_rejects_a_non_value():
    with pytest.raises(TypeError, match="root must be a Value"):
        draw_graph(3.0)
    with pytest.raises(TypeError, match="step must be"):
        draw_graph(Value(1.0) + 1, step="first")


def test_graph_writes_each_operation_in_the_drawing_form_of_the_table():
    x, y = Value(2.0, "x"), Value(4.0, "y")
    heads = {"p": (x ** 2.5, "p = x^2.5"), "n": (-x, "n = −x"), "d": (x / y, "d = x ÷ y"),
             "m": (x - y, "m = x − y"), "s": (x.sigmoid(), "s = σ(x)"),
             "r": (x.relu(), "r = ReLU(x)"), "e": (x.exp(), "e = exp(x)")}
    total = 0
    for label, (node, _) in heads.items():
        node.label = label
        total = total + node
    total.backward()
    texts = {t.get_text().split("\n")[0] for t in draw_graph(total).axes[0].texts}
    assert {head for _, head in heads.values()} <= texts


def test_an_operation_registered_in_the_table_is_drawn_with_no_change_here(square):
    x = Value(3.0, "x")
    y = apply_operation("square", (x,))
    y.label = "y"
    z = y * 2
    z.label = "z"
    z.backward()
    fig = draw_graph(z)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "y = x²\nvalue 9\ngrad 2" in texts  # its label form, its value, dz/dy
    assert "x\nvalue 3\ngrad 12" in texts  # dz/dx = 2 * 2x from its local derivative
    assert overlapping_labels(fig) == []
    fixed = new_figure((9.0, 4.5))
    for step in z.forward_steps() + z.backward_steps():
        fixed.clear()
        draw_graph(z, step=step, ax=fixed.add_subplot())
        assert overlapping_labels(fixed) == [], step.text()


# ---- the network -----------------------------------------------------------------------
NETWORKS = {
    "2-3-1": [2, 3, 1],
    "3-4-4-2": [3, 4, 4, 2],
    "6-6-6-6-6 (4 layers of 6)": [6, 6, 6, 6, 6],
    "2-6-6-6-6-1": [2, 6, 6, 6, 1],
}


@pytest.mark.parametrize("name", list(NETWORKS))
@pytest.mark.parametrize("phase", ["structure", "forward", "backward", "update"])
def test_network_labels_never_overlap(name, phase):
    sizes = NETWORKS[name]
    net = build_network(sizes, hidden="tanh", output="sigmoid", rng=1)
    x = np.linspace(-1, 1, sizes[0])
    kwargs = {}
    if phase != "structure":
        kwargs["x"] = x
    if phase in ("backward", "update"):
        copy = net.copy()
        out = copy.forward(x[None, :], record=True)
        copy.backward(out - 1.0)
        deltas = [r.upstream_grad[0] for r in copy.record if r.kind == "dense"]
        kwargs.update(deltas=deltas, loss=0.1234, target=np.ones(sizes[-1]), highlight=2)
        if phase == "update":
            kwargs["weight_grads"] = [None, copy.record[2].dW] + [None] * (len(sizes) - 3)
    fig = draw_network(net, title=name, **kwargs)
    assert overlapping_labels(fig) == []
    fixed = new_figure((11.0, 5.5))
    draw_network(net, ax=fixed.add_subplot(), loss_box=True, **kwargs)
    assert overlapping_labels(fixed) == []


def test_network_weight_labels_are_on_every_edge_and_readable():
    net = build_network([6, 6, 6, 6, 6], rng=0)
    fig = draw_network(net, np.ones(6))
    texts = fig.axes[0].texts
    neurons = 6 * 5
    assert len(texts) == neurons + 4 * 36
    assert min(t.get_fontsize() for t in texts) >= 7
    small = draw_network(build_network([2, 3, 1], rng=0), [1.0, 2.0])
    assert min(t.get_fontsize() for t in small.axes[0].texts) >= 12


def test_network_shows_z_a_and_delta():
    net = build_network([2, 2, 1], hidden="sigmoid", output="identity", rng=0)
    copy = net.copy()
    copy.forward(np.array([[1.0, 2.0]]), record=True)
    z1 = copy.record[0].output[0]
    fig = draw_network(net, [1.0, 2.0], deltas=[[0.5, -0.25], [1.0]])
    texts = [t.get_text() for t in fig.axes[0].texts]
    a1 = 1 / (1 + np.exp(-z1[0]))
    assert f"z {write(z1[0])}\na {write(a1)}\nδ 0.5" in texts
    assert "x1 1" in texts


def test_network_labels_tell_different_values_apart():
    # lesson 05's worked example: the hidden deltas 0.00877 and 0.00995 read "0.01" twice
    # at two decimals; every number has at least three significant digits
    net = build_network([2, 2, 2], hidden="sigmoid", output="sigmoid", rng=0)
    fig = draw_network(net, [0.05, 0.1], deltas=[[0.0087714, 0.0099543], [0.138, -0.0381]],
                       loss=0.298371, loss_after=0.28047, target=[0.01, 0.99])
    texts = [t.get_text() for t in fig.axes[0].texts]
    neurons = [t for t in texts if t.startswith("z ")]
    assert [t.split("\n")[2] for t in neurons] == ["δ 0.00877", "δ 0.00995", "δ 0.138",
                                                     "δ -0.0381"]
    assert "target 0.01 0.99\nL 0.298 → 0.28" in texts  # the loss after the update too
    close = draw_network(net, [0.05, 0.1], deltas=[[0.24132, 0.24058], [1.0, 2.0]])
    hidden = [t.get_text() for t in close.axes[0].texts if t.get_text().startswith("z ")]
    assert [t.split("\n")[2] for t in hidden[:2]] == ["δ 0.2413", "δ 0.2406"]
    assert overlapping_labels(close) == []


def test_network_weights_after_an_update_show_their_change():
    net = build_network([2, 2, 2], hidden="sigmoid", output="sigmoid", rng=0)
    before = np.array([[0.15, 0.25], [0.2, 0.3]])
    after = before - 0.5 * np.array([[0.000439, 0.000498], [0.000877, 0.000995]])
    digits = change_digits(before, after)
    fig = draw_network(net, [0.05, 0.1], weights=[after, net.layers[2].W],
                       edge_digits=[digits, None], loss=0.298371, loss_after=0.29812)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert digits == 4 and {"0.1498", "0.2498", "0.1996", "0.2995"} <= texts
    assert "L 0.2984 → 0.2981" in texts  # four digits, or the change would not show
    assert overlapping_labels(fig) == []


def edge_labels_crossed(fig, clearance=2.0):
    """(label, line) pairs where a line other than the label's own edge passes through, or
    within ``clearance`` pixels of, a weight label's box, in Agg's pixels."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    lines = [ax.transData.transform(segment) for collection in ax.collections
             for segment in collection.get_segments()]
    crossed = []
    for text in ax.texts:
        if text.get_zorder() != 2:  # the weight labels (neurons are at zorder 3)
            continue
        box = text.get_bbox_patch().get_window_extent(renderer).padded(clearance)
        centre = ax.transData.transform(text.get_position())
        for k, ((x0, y0), (x1, y1)) in enumerate(lines):
            if abs((x1 - x0) * (y0 - centre[1]) - (y1 - y0) * (x0 - centre[0])) < \
                    np.hypot(x1 - x0, y1 - y0) * 0.5:  # the label sits on this line: its own
                continue
            if not (min(x0, x1) <= box.x1 and max(x0, x1) >= box.x0 and
                    min(y0, y1) <= box.y1 and max(y0, y1) >= box.y0):
                continue
            sides = [(x1 - x0) * (cy - y0) - (y1 - y0) * (cx - x0)
                     for cx in (box.x0, box.x1) for cy in (box.y0, box.y1)]
            if min(sides) <= 0 <= max(sides):  # the line runs between the box's corners
                crossed.append((text.get_text(), k))
    return crossed


def test_weight_labels_sit_on_no_other_edge():
    # lesson 05's worked example (its crossing edges 0.25/0.2 and 0.5/0.45) and lesson 01's
    # 3-4-2 network: every weight label can be told to its own edge, at a readable size
    w1, w2 = np.array([[0.15, 0.25], [0.20, 0.30]]), np.array([[0.40, 0.50], [0.45, 0.55]])
    example = build_network([2, 2, 2], hidden="sigmoid", output="sigmoid", rng=0)
    example.layers[0].W[...], example.layers[2].W[...] = w1, w2
    worked = draw_network(example, [0.05, 0.1], deltas=[[0.00877, 0.00995], [0.138, -0.0381]],
                          target=[0.01, 0.99], loss=0.298371, title="worked example")
    x = np.random.default_rng(0).normal(size=3)
    for net, fig in ((example, worked),
                     *((net, draw_network(net, x, title="3-4-2")) for net in (
                         build_network([3, 4, 2], hidden="tanh", output=output, rng=0)
                         for output in ("identity", "sigmoid")))):
        texts = fig.axes[0].texts
        weights = [t for t in texts if t.get_zorder() == 2]
        assert len(weights) == sum(d.W.size for d in net.layers[::2])
        assert edge_labels_crossed(fig) == []
        assert overlapping_labels(fig) == []
        assert min(t.get_fontsize() for t in weights) >= 10
    assert {"0.25", "0.2", "0.5", "0.45"} <= {t.get_text() for t in worked.axes[0].texts}


# ---- how many digits a number needs -----------------------------------------------------
def test_distinct_digits_keeps_different_values_apart():
    assert distinct_digits([0.00877, 0.00995]) == 3
    assert distinct_digits([0.24132, 0.24058]) == 4
    assert distinct_digits([1.0, 1.0, 2.0]) == 3  # equal values may look equal
    assert distinct_digits([]) == 3 and distinct_digits([np.nan, np.inf]) == 3
    assert distinct_digits([1.0, 1.0 + 1e-12]) == 5  # at most 5: a drawing has no room
    assert distinct_digits([1.0, 1.0 + 1e-12], maximum=8) == 8


@pytest.mark.parametrize("before, after, digits", [
    ([0.15, 0.25, 0.2, 0.3], [0.1497805, 0.249751, 0.1995614, 0.2995025], 4),
    ([0.6, 0.6], [0.531, 0.619], 3),
    ([0.298371], [0.280471], 3),
    ([0.5], [0.5], 3),  # nothing changed: the fewest digits
    ([1.0], [1.0 + 1e-14], 12),  # too small to show: the most
    ([0.12345], [0.12346], 5),
])
def test_change_digits_shows_every_change(before, after, digits):
    assert change_digits(before, after) == digits
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    if digits < 12:
        assert all(write(b, digits) != write(a, digits) for b, a in changed)
        assert digits == 3 or any(write(b, digits - 1) == write(a, digits - 1)
                                  for b, a in changed)


def test_change_digits_checks_shapes():
    with pytest.raises(ValueError, match="same shape"):
        change_digits([1.0, 2.0], [1.0])


def test_network_weight_labels_can_be_limited():
    net = build_network([2, 3, 1], rng=0)
    every = draw_network(net, weight_labels="all")
    only = draw_network(net, weight_labels="highlighted", highlight=2)
    none = draw_network(net, weight_labels="none")
    assert len(every.axes[0].texts) - len(none.axes[0].texts) == 2 * 3 + 3 * 1
    assert len(only.axes[0].texts) - len(none.axes[0].texts) == 3
    with pytest.raises(ValueError, match="weight_labels"):
        draw_network(net, weight_labels="some")


def test_draw_network_checks_shapes():
    net = build_network([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match="x must have 2 entries"):
        draw_network(net, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="pre_activations must have one entry per layer"):
        draw_network(net, pre_activations=[[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"weights\[0\] must have shape \(2, 3\)"):
        draw_network(net, weights=[np.ones((3, 2)), np.ones((3, 1))])
    with pytest.raises(TypeError, match="x must be a numeric array"):
        draw_network(net, ["a", "b"])


def test_draw_network_leaves_the_network_unchanged():
    net = build_network([2, 3, 1], rng=0)
    net.forward(np.ones((5, 2)), record=True)
    before = [r.output.copy() for r in net.record]
    draw_network(net, [0.3, 0.4])
    assert all(np.array_equal(a, r.output) for a, r in zip(before, net.record, strict=True))


# ---- curves ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_plot_activation_with_tangent_and_saturation(name):
    fig = plot_activation(name, z=1.0)
    ax = fig.axes[0]
    colours = {to_hex(line.get_color()) for line in ax.lines}
    palette = {c.lower() for c in OKABE_ITO.values()}
    assert colours <= palette
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("tangent" in label for label in labels)
    shaded = any("|slope|" in label for label in labels)
    assert shaded == (name != "identity")
    assert overlapping_labels(fig) == []
    assert figure_to_png(fig).startswith(b"\x89PNG")


def test_plot_activation_rejects_softmax_and_bad_ranges():
    with pytest.raises(ValueError, match="softmax"):
        plot_activation("softmax")
    with pytest.raises(ValueError, match="z_range"):
        plot_activation("tanh", z_range=(1, -1))
    with pytest.raises(ValueError, match="unknown activation"):
        plot_activation("sigmod")


def test_plot_loss_curve():
    fig = plot_loss_curve([1.0, 0.5, 0.25])
    line = fig.axes[0].lines[0]
    assert list(line.get_xdata()) == [1, 2, 3]
    empty = plot_loss_curve([]).axes[0]
    assert empty.lines[0].get_xdata().size == 0
    assert [t.get_text() for t in empty.texts] == ["no epochs yet"]
    assert empty.get_ylim() == (0.0, 1.0)
    run = plot_loss_curve([0.7, 0.6], epochs=300).axes[0]
    assert run.get_xlim() == (0.0, 300.0)  # room for the epochs still to come
    assert overlapping_labels(run.figure) == []
    assert fig.axes[0].get_yscale() == "linear"
    assert plot_loss_curve([1.0, 0.1], log_scale=True).axes[0].get_yscale() == "log"
    with pytest.raises(ValueError, match="losses contains NaN at index 1; expected finite"):
        plot_loss_curve([1.0, float("nan")])


def test_plot_loss_curve_labels_the_last_loss_with_4_significant_digits():
    def label(losses, **kwargs):
        return [t.get_text() for t in plot_loss_curve(losses, **kwargs).axes[0].texts]

    assert label([1.0, 19063.6024], log_scale=True) == [r"$1.906 \times 10^{4}$"]
    assert label([1.0, 0.2509]) == ["0.2509"]
    assert label([1.0, 0.0143211]) == ["0.01432"]


def test_plot_into_a_given_axes_returns_its_figure():
    fig = new_figure((10, 4))
    left, right = fig.subplots(1, 2)
    assert plot_loss_curve([1, 2], ax=left) is fig
    assert plot_activation("tanh", ax=right) is fig
    assert len(fig.axes) == 2


def test_decision_boundary_for_two_and_three_classes():
    from helpers.data import spirals, two_moons

    X, y = two_moons(60, seed=0)
    net = build_network([2, 4, 1], output="sigmoid", rng=0)
    fig = plot_decision_boundary(net, X, y, resolution=50, title="moons")
    assert len(fig.axes[0].images) == 1
    assert overlapping_labels(fig) == []
    X3, y3 = spirals(20, 3, seed=0)
    fig3 = plot_decision_boundary(lambda X: np.column_stack([X[:, 0], X[:, 1], -X[:, 0]]),
                                  X3, y3, resolution=40)
    legend = [t.get_text() for t in fig3.axes[0].get_legend().get_texts()]
    assert legend == ["class 0", "class 1", "class 2"]


def test_decision_boundary_checks_its_input():
    net = build_network([2, 3, 1], rng=0)
    with pytest.raises(ValueError, match=r"X must have shape \(n_samples, 2\)"):
        plot_decision_boundary(net, np.ones((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="y must have shape"):
        plot_decision_boundary(net, np.ones((5, 2)), np.zeros(4))
    with pytest.raises(TypeError, match="model must be"):
        plot_decision_boundary("net", np.ones((5, 2)), np.zeros(5))
    with pytest.raises(ValueError, match="resolution must be a positive whole number"):
        plot_decision_boundary(net, np.ones((5, 2)), np.zeros(5), resolution=0)


# ---- imports ---------------------------------------------------------------------------
def test_plots_use_no_pyplot_and_helpers_imports_no_matplotlib():
    code = (
        "import sys, helpers, helpers.graph\n"
        "assert 'matplotlib' not in sys.modules and 'ipywidgets' not in sys.modules\n"
        "from helpers.graph import Value\n"
        "from helpers import plots\n"
        "x = Value(1.0, 'x'); y = (x * 2).tanh(); y.backward()\n"
        "plots.figure_to_png(plots.draw_graph(y))\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
        "assert 'ipywidgets' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_returned_figure_displays_as_png_in_ipython(monkeypatch):
    import IPython
    from IPython.core.formatters import PNGFormatter

    class Shell:
        class display_formatter:  # noqa: N801 - the attribute IPython shells have
            formatters = {"image/png": PNGFormatter()}

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell)
    plots._register_png_formatter()
    png = Shell.display_formatter.formatters["image/png"](plot_loss_curve([1.0, 0.5]))
    assert png.startswith(b"\x89PNG")


# ---- the training loop -------------------------------------------------------------------
def test_training_loop_has_four_boxes_labels_and_arrows_without_overlap():
    from matplotlib.patches import FancyArrowPatch

    from helpers.plots import draw_training_loop

    fig = draw_training_loop()
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == (9.0, 5.5)
    figure_to_png(fig)  # renders with Agg, and warnings are errors in this module
    ax = fig.axes[0]
    texts = {t.get_text(): t for t in ax.texts}
    for step in ("forward", "loss", "backward", "update"):
        assert texts[step].get_bbox_patch() is not None
        assert texts[step].get_fontsize() >= plots.FONT_SIZE
    for label in ("data flows input → output", "one number: the total error",
                  "dL/dw for every weight and bias", "w ← w − lr·dL/dw"):
        assert label in texts and texts[label].get_fontsize() >= plots.FONT_SIZE
    assert texts["repeat for\neach epoch"].get_position() == pytest.approx((0.5, 0.54))
    palette = {to_hex(c) for c in OKABE_ITO.values()}
    edges = {to_hex(texts[s].get_bbox_patch().get_edgecolor()) for s in ("forward", "backward")}
    assert edges <= palette and len(edges) == 2
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 4
    assert overlapping_labels(fig) == []
    # each label sits under its box
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for step, label in (("forward", "data flows input → output"),
                        ("update", "w ← w − lr·dL/dw")):
        box = texts[step].get_bbox_patch().get_window_extent(renderer)
        under = texts[label].get_window_extent(renderer)
        assert under.y1 <= box.y0 and under.x0 < box.x1 and under.x1 > box.x0


def test_training_loop_draws_into_a_given_axes():
    from helpers.plots import draw_training_loop

    fig = new_figure((10, 4))
    left, right = fig.subplots(1, 2)
    assert draw_training_loop(ax=right, title=None) is fig
    assert right.get_title(loc="left") == "" and len(right.texts) == 9


@pytest.mark.parametrize("labels, message", [
    ([0, 1, 0.7, 1], r"y must be whole class indices in \[0, 2\); got 0.7 at index 2"),
    ([0, 1, -1, 1], r"y must be whole class indices in \[0, 2\); got -1 at index 2"),
    ([0, 1, np.nan, 1], "y contains NaN at index 2"),
])
def test_decision_boundary_rejects_labels_that_are_not_class_indices(labels, message):
    # before: 0.7 was silently drawn as class 0 and -1 silently left out of the plot
    net = build_network([2, 3, 1], hidden="tanh", output="sigmoid")
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(net, np.ones((4, 2)), np.array(labels), resolution=5)


def test_decision_boundary_rejects_non_numeric_x():
    net = build_network([2, 3, 1], hidden="tanh", output="sigmoid")
    with pytest.raises(TypeError, match="X must be a numeric array"):
        plot_decision_boundary(net, [["a", "b"]], [0], resolution=5)
