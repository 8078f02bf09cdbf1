"""Tests of helpers.widgets without a browser: the state classes step by step, and the
widget views driven by button clicks and slider values."""

import re

import numpy as np
import pytest

from helpers import widgets as w
from helpers.graph import (
    Value,
    apply_operation,
)
from helpers.layers import Dense
from helpers.losses import get_loss
from helpers.network import build_network
from helpers.plots import change_digits, figure_to_png, new_figure, write
from helpers.widgets import parser
from helpers.widgets.formulas import matrix

pytestmark = pytest.mark.filterwarnings("error")


def example_graph():
    """L = tanh(w * x + b) with a reused input: (x * x) gives a node used twice."""
    x, w_, b = Value(0.5, "x"), Value(-1.5, "w"), Value(0.25, "b")
    out = (w_ * x + b).tanh() + x * x
    out.label = "L"
    return out


def walk(state):
    """Every position from first to last, then back: list of snapshots."""
    state.first()
    seen = [state.snapshot()]
    while not state.at_end:
        state.next()
        seen.append(state.snapshot())
    while not state.at_start:
        state.previous()
        seen.append(state.snapshot())
    return seen


# ---- GraphStepperState ----------------------------------------------------------------
def test_graph_steps_are_the_recorded_passes():
    state = w.GraphStepperState(example_graph())
    twin = example_graph()
    forward, backward = twin.forward_steps(), twin.backward_steps()
    assert state.n_steps == len(forward) + len(backward)
    shown = []
    for index in range(state.n_steps):
        state.go_to(index)
        shown.append((state.phase, state.current_text, state.current_latex))
    expected = [("forward", s.text(), s.latex()) for s in forward] + \
        [("backward", s.text(), s.latex()) for s in backward]
    assert shown == expected


def test_graph_stepping_to_the_end_and_back_returns_the_start_state():
    state = w.GraphStepperState(example_graph())
    fig = new_figure(state.figsize)
    start, start_png = state.snapshot(), figure_to_png(state.draw(fig))
    seen = walk(state)
    assert len(seen) == 2 * state.n_steps - 1
    assert seen[0] == start and seen[-1] == start
    assert seen[: state.n_steps] == seen[::-1][: state.n_steps]
    assert figure_to_png(state.draw(fig)) == start_png


def test_graph_first_last_and_clamping():
    state = w.GraphStepperState(example_graph())
    assert state.at_start and state.previous() == 0 and state.first() == 0
    assert state.last() == state.n_steps - 1 and state.at_end
    assert state.next() == state.n_steps - 1
    assert state.go_to(-7) == 0
    assert state.go_to(10**6) == state.n_steps - 1
    assert state.go_to(2.9) == 2
    assert state.description == f"forward pass, step 3 of {len(state.forward_steps)}"


def test_graph_values_and_gradients_appear_as_the_passes_go():
    state = w.GraphStepperState(example_graph())
    nodes = state.root.topological_order()
    operations = [n for n in nodes if n.inputs]
    state.first()
    assert set(state.shown_values()) == {n for n in nodes if not n.inputs} | {operations[0]}
    assert state.shown_grads() == {}
    state.go_to(len(state.forward_steps))  # the first backward step
    assert set(state.shown_values()) == set(nodes)
    assert state.shown_grads()[state.root] == 1.0
    state.last()
    grads = state.shown_grads()
    for node in nodes:
        if not node.is_constant:
            assert grads[node] == pytest.approx(node.grad)


def test_graph_every_step_renders_without_warnings():
    state = w.GraphStepperState(example_graph())
    fig = new_figure(state.figsize)
    for index in range(state.n_steps):
        state.go_to(index)
        assert figure_to_png(state.draw(fig)).startswith(b"\x89PNG")
    assert len(fig.axes) == 1  # the same figure, cleared and redrawn


def test_graph_changing_an_input_recomputes_both_passes():
    state = w.GraphStepperState(example_graph())
    state.go_to(3)
    before = state.current_text
    state.set_input("x", 2.0)
    assert state.index == 3 and state.inputs["x"] == 2.0
    twin = example_graph()
    twin_x = [n for n in twin.topological_order() if n.label == "x"][0]
    twin_x.data = 2.0
    expected = w.recompute(twin, {})
    expected.backward()
    assert state.root.data == pytest.approx(np.tanh(-1.5 * 2 + 0.25) + 4.0)
    assert state.current_text != before
    x = [n for n in state.root.topological_order() if n.label == "x"][0]
    assert x.grad == pytest.approx(-1.5 * (1 - np.tanh(-2.75) ** 2) + 4.0)


def test_graph_bad_input_leaves_the_state_unchanged():
    x = Value(2.0, "x")
    state = w.GraphStepperState(x.log() * 3)
    state.last()
    before = state.snapshot(), state.inputs
    with pytest.raises(ValueError, match="cannot use x = -1"):
        state.set_input("x", -1.0)
    with pytest.raises(ValueError, match="unknown input 'y'; valid: x"):
        state.set_input("y", 1.0)
    assert (state.snapshot(), state.inputs) == before


def test_graph_state_rejects_a_non_value():
    with pytest.raises(TypeError, match="root must be a Value"):
        w.GraphStepperState("x * y")
    with pytest.raises(ValueError, match="no operation to step through"):
        w.GraphStepperState(Value(1.0, "x"))


# ---- typed expressions -----------------------------------------------------------------
@pytest.mark.parametrize("text, ops", [
    ("(x + y) * z", ["+", "*"]),
    ("x - y", ["-"]),
    ("x / y", ["/"]),
    ("-x", ["neg"]),
    ("x^2 + 1", ["**", "+"]),
    ("tanh(w*x + b)", ["*", "+", "tanh"]),
    ("relu(x) * sigmoid(y)", ["relu", "sigmoid", "*"]),
    ("exp(x) + log(y)", None),
])
def test_parse_expression_keeps_the_typed_structure(text, ops):
    root = w.parse_expression(text, {"x": 2.0, "y": 3.0, "z": 4.0, "w": 0.5, "b": 0.1})
    if ops is not None:
        assert [n.op for n in root.topological_order() if n.inputs] == ops
    python = eval(text.replace("^", "**"), {"__builtins__": {}}, {  # the test's own oracle
        "x": 2.0, "y": 3.0, "z": 4.0, "w": 0.5, "b": 0.1, "tanh": np.tanh, "exp": np.exp,
        "log": np.log, "relu": lambda v: max(v, 0.0),
        "sigmoid": lambda v: 1 / (1 + np.exp(-v))})
    assert root.data == pytest.approx(python)


def test_parse_expression_defaults_inputs_to_one():
    root = w.parse_expression("a * b", {"a": 3.0})
    assert root.data == 3.0
    assert {leaf.label for leaf in w.input_leaves(root)} == {"a", "b"}


@pytest.mark.parametrize("text, message", [
    ("__import__('os').system('echo hi')", "attribute access"),
    ("x.real", r"attribute access \(.real\)"),
    ("open('f')", "calling open"),
    ("__import__('os')", "calling __import__"),
    ("_x + 1", "name '_x' is not allowed"),
    ("Integer * 2", "name 'Integer' is not allowed"),
    ("'text'", "Constant is not allowed"),
    ("[x, y]", "List is not allowed"),
    ("lambda: 1", "Lambda is not allowed"),
    ("x if y else z", "IfExp is not allowed"),
    ("x ** y", "exponent"),
    ("exp(x, y)", "exactly one argument"),
    ("tanh", "tanh is a function"),
    ("x +", "could not read"),
    ("", "empty"),
    ("x" + " + x" * 120, "at most 200"),
    ("3 + 4", "no operation"),
    ("log(x - 2)", "cannot compute"),
])
def test_parse_expression_rejects_with_a_message(text, message):
    with pytest.raises(w.ExpressionError, match=message):
        w.parse_expression(text, {"x": 1.0})


@pytest.mark.parametrize("text, message", [
    ("2x + y", r"write 2\*x for 2 times x: multiplication needs a \*"),
    ("3.5x", r"write 3\.5\*x for 3\.5 times x"),
    ("x y", r"write x\*y for x times y"),
    ("2 x", r"write 2\*x for 2 times x"),
    ("2(x + y)", r"write 2\*\(x \+ y\) for 2 times \(x \+ y\)"),
    ("(x + 1)(x - 1)", r"write \(x \+ 1\)\*\(x - 1\) for \(x \+ 1\) times \(x - 1\)"),
    ("x(y + 1)", r"write x\*\(y \+ 1\) for x times \(y \+ 1\): multiplication needs a \* "
                 r"\(x is not one of the functions: exp, log"),
    ("2exp(x)", r"write 2\*exp\(x\) for 2 times exp\(x\)"),
    ("tanh(x) y", r"write tanh\(x\)\*y for tanh\(x\) times y"),
    ("sigmoid(w x + b)", r"write w\*x for w times x"),
    ("x²", r"² cannot be typed here: write \*\*2 instead, e.g. x\*\*2"),
    ("2×x", r"× cannot be typed here: write \* instead, e.g. 2\*x"),
    ("x − y", "− cannot be typed here: write - instead, e.g. x - y"),
    ("f = x*y", r'type the expression only, without "f =": e.g. x\*y'),
    ("(x + y", r"the brackets do not match: 1 \( and 0 \); add the missing \)"),
    ("x + y))", r"the brackets do not match: 0 \( and 2 \); add the missing \("),
])
def test_common_typing_mistakes_say_what_to_write(text, message):
    with pytest.raises(w.ExpressionError, match=message):
        w.parse_expression(text, {"x": 1.0})
    assert parser.typing_hint("1e-3 * x + exp(x)") is None  # nothing to say: it is right
    stepper = w.GraphStepper("x * y", x=1.0, y=2.0)
    stepper._expression.value = "2x + y"
    assert "write 2*x for 2 times x" in stepper._message.value
    children = stepper.widget.children
    assert children.index(stepper._message) < children.index(stepper._heading)  # near the box


def test_rejected_input_never_reaches_the_parser(monkeypatch, capfd):
    calls = []
    monkeypatch.setattr(parser, "_sympy_expression", lambda *args: calls.append(args))
    for text in ("__import__('os').system('echo hi')", "x.__class__", "().__class__"):
        with pytest.raises(w.ExpressionError):
            w.parse_expression(text)
    assert calls == []
    assert "hi" not in capfd.readouterr().out


def test_graph_stepper_state_from_expression():
    state = w.GraphStepperState.from_expression("(x + y) * z", x=1.0, y=2.0, z=-3.0)
    state.last()
    assert state.root.data == -9.0
    assert state.inputs == {"x": 1.0, "y": 2.0, "z": -3.0}


# ---- NetworkStepperState --------------------------------------------------------------
def independent_pass(net, x, target, loss):
    copy = net.copy()
    out = copy.forward(np.asarray(x, dtype=float)[None, :], record=True)
    loss = get_loss(loss)
    copy.backward(loss.gradient(out, target))
    return copy, float(loss.value(out, target))


@pytest.mark.parametrize("sizes, hidden, output, loss, target", [
    ([2, 3, 1], "sigmoid", "sigmoid", "mse", np.array([[1.0]])),
    ([2, 3, 1], "tanh", "sigmoid", "binary_cross_entropy", np.array([[0.0]])),
    ([3, 4, 3], "relu", "identity", "softmax_cross_entropy", np.array([2])),
    ([2, 3, 2], "tanh", "softmax", "mse", np.array([[0.0, 1.0]])),
])
def test_network_steps_equal_the_network_record(sizes, hidden, output, loss, target):
    net = build_network(sizes, hidden=hidden, output=output, rng=3)
    x = np.linspace(-1.0, 1.0, sizes[0])
    weights_before = [layer.W.copy() for layer in net.layers if isinstance(layer, Dense)]
    target_arg = int(target[0]) if loss == "softmax_cross_entropy" else target[0]
    state = w.NetworkStepperState(net, x, target_arg, loss=loss, lr=0.1)
    reference, loss_value = independent_pass(net, x, target, loss)
    L = len(sizes) - 1
    assert state.n_steps == 4 * L + 2
    assert [s.phase for s in state.steps] == \
        ["forward"] * 2 * L + ["loss"] + ["backward"] * 2 * L + ["update"]
    by_kind = {}
    for step in state.steps:
        by_kind.setdefault(step.kind, {})[step.layer] = step
    dense = [r for r in reference.record if r.kind == "dense"]
    act = [r for r in reference.record if r.kind == "activation"]
    for l in range(1, L + 1):
        np.testing.assert_allclose(by_kind["weighted_sum"][l].values["z"], dense[l - 1].output[0])
        np.testing.assert_allclose(by_kind["activation"][l].values["a"], act[l - 1].output[0])
        np.testing.assert_allclose(by_kind["delta"][l].values["delta"],
                                   dense[l - 1].upstream_grad[0])
        np.testing.assert_allclose(by_kind["gradients"][l].values["dW"], dense[l - 1].dW)
        np.testing.assert_allclose(by_kind["gradients"][l].values["db"], dense[l - 1].db)
        update = state.steps[-1].values
        np.testing.assert_allclose(update[f"W{l}"], dense[l - 1].W - 0.1 * dense[l - 1].dW)
        np.testing.assert_allclose(update[f"b{l}"], dense[l - 1].b - 0.1 * dense[l - 1].db)
    assert state.steps[2 * L].values["loss"] == pytest.approx(loss_value)
    assert state.loss_after < state.loss_value
    # the caller's network is untouched
    for before, layer in zip(weights_before, [la for la in net.layers if isinstance(la, Dense)],
                             strict=True):
        np.testing.assert_array_equal(before, layer.W)


def test_network_stepping_to_the_end_and_back_and_every_step_renders():
    state = w.NetworkStepperState()
    fig = new_figure(state.figsize)
    start, start_png = state.snapshot(), figure_to_png(state.draw(fig))
    pictures = set()
    for index in range(state.n_steps):
        state.go_to(index)
        pictures.add(figure_to_png(state.draw(fig)))
        assert state.current_latex and state.current_text
    assert len(pictures) == state.n_steps  # every step shows something new
    seen = walk(state)
    assert seen[0] == seen[-1] == start
    assert figure_to_png(state.draw(fig)) == start_png
    assert state.last() == state.n_steps - 1 and state.next() == state.n_steps - 1
    assert state.first() == 0 and state.previous() == 0


def _latex_problems(latex):
    """Mistakes MathJax would show in red: double superscripts, unbalanced braces."""
    problems = []
    if re.search(r"\^\{[^{}]*\}\^|\^\w\^", latex):
        problems.append("double superscript")
    if latex.count("{") != latex.count("}"):
        problems.append("unbalanced braces")
    if latex.count(r"\begin{") != latex.count(r"\end{"):
        problems.append("unbalanced environments")
    return problems


@pytest.mark.parametrize("loss, output", [("mse", "sigmoid"), ("binary_cross_entropy",
                                                                "sigmoid"),
                                          ("softmax_cross_entropy", "identity")])
def test_every_equation_is_well_formed_latex(loss, output):
    net = build_network([2, 3, 2], hidden="relu", output=output, rng=0)
    target = 1 if loss == "softmax_cross_entropy" else [1.0, 0.0]
    state = w.NetworkStepperState(net, [0.5, -1.0], target, loss=loss)
    graph = w.GraphStepperState(example_graph())
    explorer = w.ActivationExplorerState("tanh", 1.0)
    for latex in [s.latex for s in state.steps] + [s.latex() for s in graph.steps] + \
            [explorer.current_latex]:
        assert _latex_problems(latex) == [], latex
    assert _latex_problems("a^{[1]}^{T}") == ["double superscript"]


def test_network_view_reveals_values_in_order():
    state = w.NetworkStepperState()
    state.first()
    view = state.view()
    assert view["pre_activations"][0] is not None and view["activations"][0] is None
    assert view["loss"] is None and view["highlight"] == 1
    state.go_to(4)  # the loss
    assert state.phase == "loss" and state.view()["loss"] == pytest.approx(state.loss_value)
    state.go_to(6)  # gradients of the last layer
    assert state.view()["weight_grads"][1] is not None
    state.last()
    assert state.phase == "update" and state.view()["weights"] is not None


def test_network_stepper_four_layers_of_six_render():
    net = build_network([6, 6, 6, 6, 6], hidden="tanh", output="sigmoid", rng=0)
    state = w.NetworkStepperState(net, np.linspace(-1, 1, 6), np.ones(6), lr=0.1)
    fig = new_figure(state.figsize)
    for index in (0, 8, 12, state.n_steps - 1):
        state.go_to(index)
        state.draw(fig)


def test_network_stepper_checks_its_arguments():
    with pytest.raises(TypeError, match="network must be a Network"):
        w.NetworkStepperState("net")
    with pytest.raises(ValueError, match="x must be 2 finite numbers"):
        w.NetworkStepperState(None, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="lr"):
        w.NetworkStepperState(lr=0)
    from helpers.layers import ActivationLayer
    from helpers.network import Network
    with pytest.raises(ValueError, match="each Dense layer followed by an ActivationLayer"):
        w.NetworkStepperState(Network([Dense(2, 1)]))
    with pytest.raises(ValueError, match="each Dense layer followed by an ActivationLayer"):
        w.NetworkStepperState(Network([Dense(2, 2), Dense(2, 1), ActivationLayer("tanh")]))
    with pytest.raises(ValueError, match=r"x contains NaN at index 1; expected finite"):
        w.NetworkStepperState(None, [1.0, float("nan")])
    with pytest.raises(TypeError, match="x must be a numeric array"):
        w.NetworkStepperState(None, "1, 2")
    with pytest.raises(ValueError, match=r"target must be 1 numbers \(one per output of the "
                                         r"network\); got shape \(2,\)"):
        w.NetworkStepperState(None, [1.0, 2.0], [1.0, 0.0])
    softmax_net = build_network([2, 3, 3], hidden="relu", output="identity", rng=0)
    with pytest.raises(ValueError, match=r"target must be whole class indices in \[0, 3\)"):
        w.NetworkStepperState(softmax_net, [1.0, 2.0], 3, loss="softmax_cross_entropy")
    with pytest.raises(ValueError, match="unknown loss"):
        w.NetworkStepperState(loss="mae")


# ---- ActivationExplorerState ----------------------------------------------------------
def test_activation_explorer_state():
    state = w.ActivationExplorerState("sigmoid", 0.0)
    assert state.value == 0.5 and state.slope == 0.25 and not state.saturated
    state.set_z(5.0)
    assert state.saturated and "saturated" in state.current_text
    assert state.set_z(100.0) == 6.0 and state.set_z(-100) == -6.0
    assert state.set_z(float("nan")) == -6.0
    state.set_activation("relu")
    state.set_z(-1.0)
    assert state.value == 0.0 and state.slope == 0.0 and state.saturated
    assert state.note == "flat: slope 0, no gradient passes back"
    state.set_z(2.0)
    assert state.current_text == "relu(2) = 2, slope relu'(2) = 1"
    assert state.current_latex.startswith(r"\operatorname{ReLU}(2) = 2")
    with pytest.raises(ValueError, match="unknown activation 'softmax'; valid: identity, relu, "
                                         "sigmoid, tanh"):
        state.set_activation("softmax")
    fig = new_figure(state.figsize)
    for name in state.ACTIVATIONS:
        state.set_activation(name)
        figure_to_png(state.draw(fig))


# ---- TrainingExplorerState ------------------------------------------------------------
def test_training_explorer_is_deterministic_and_learns():
    a = w.TrainingExplorerState("xor", hidden=4, lr=1.0, epochs=300)
    b = w.TrainingExplorerState("xor", hidden=4, lr=1.0, epochs=300)
    progress = []
    losses = a.train(callback=lambda done, total, loss: progress.append(done))
    assert progress == list(range(1, 301))
    assert b.train() == losses
    assert losses[-1] < losses[0] and a.accuracy == 1.0
    assert a.epoch == 300 and a.run_one_epoch() == a.losses[-1] and a.epoch == 301
    a.reset()
    assert a.epoch == 0 and a.current_text.startswith("untrained")


def test_training_explorer_plays_a_run_in_chunks_with_a_picture_each():
    state = w.TrainingExplorerState("circles", hidden=8, lr=0.5, epochs=300)
    assert state.chunk == 10 and not state.playing
    assert "press train" in state.status
    assert state.tick() == 0 and state.epoch == 0  # paused: a tick does nothing
    state.play()
    assert state.playing and "training: epoch 0 of 300" in state.status
    trained = [state.tick() for _ in range(3)]
    assert trained == [10, 10, 10] and state.epoch == 30
    assert [s.epoch for s in state.snapshots] == [10, 20, 30]
    assert state.snapshots[-1] == w.Snapshot(30, state.losses[-1], state.accuracy)
    state.pause()
    assert state.tick() == 0 and state.epoch == 30
    assert "paused at epoch 30 of 300" in state.status
    assert state.step() == state.losses[-1] and state.epoch == 31  # one epoch exactly
    assert not state.playing and state.snapshots[-1].epoch == 31
    state.play()  # goes on from 31; the last chunk is cut to end at 300
    while state.playing:
        state.tick()
    epochs = [s.epoch for s in state.snapshots]
    assert epochs[:5] == [10, 20, 30, 31, 41] and epochs[-1] == 300
    assert all(0 < b - a <= state.chunk for a, b in zip(epochs, epochs[1:], strict=False))
    assert len(epochs) >= 25  # a run shows about FRAMES pictures, not one
    assert state.finished and "done: 300 epochs" in state.status
    # the same epochs trained at once give the same losses: chunks change nothing
    at_once = w.TrainingExplorerState("circles", hidden=8, lr=0.5, epochs=300)
    assert at_once.train(31) == state.losses[:31]
    state.play()  # a finished run starts again from the untrained network
    assert state.epoch == 0 and state.playing and state.snapshots == []
    assert w.TrainingExplorerState("xor", epochs=20).chunk == 1


def diverge_at(monkeypatch, epoch):
    """Make training raise FloatingPointError (as a learning rate too large does) when the
    network trains its ``epoch``-th epoch of this test."""
    from helpers.widgets import training_explorer

    calls, real = [], training_explorer.train

    def train(*args, **kwargs):
        calls.append(1)
        if len(calls) == epoch:
            raise FloatingPointError("training diverged: the loss became inf")
        return real(*args, **kwargs)

    monkeypatch.setattr(training_explorer, "train", train)


def test_training_explorer_stops_a_diverging_run_with_a_reason(monkeypatch):
    state = w.TrainingExplorerState("two_moons", hidden=8, lr=10.0, epochs=300)
    diverge_at(monkeypatch, 25)
    state.play()
    while state.playing:
        state.tick()
    assert state.epoch == 0 and not state.playing  # back to the untrained network
    assert "diverged at epoch 25" in state.status
    assert "learning rate 10 is too large" in state.status
    state.play()
    assert state.problem == "" and "training" in state.status


def test_training_explorer_configure_resets_and_errors():
    state = w.TrainingExplorerState("spirals", hidden=6, epochs=5)
    assert state.n_classes == 3 and state.loss_name == "softmax_cross_entropy"
    state.train()
    state.play()
    state.configure(lr=0.3, epochs=7)  # any new setting: the untrained network, paused
    assert state.epoch == 0 and state.lr == 0.3 and state.epochs == 7 and not state.playing
    state.configure(dataset="circles", activation="relu")
    assert state.epoch == 0 and state.loss_name == "binary_cross_entropy"
    for bad, message in [(dict(dataset="iris"),
                          "unknown dataset 'iris'; valid: circles, spirals, two_moons, xor"),
                         (dict(activation="softmax"), "unknown activation"),
                         (dict(hidden=0), "hidden must be"), (dict(lr=-1), "lr"),
                         (dict(epochs=0), "epochs"), (dict(colour=1), "unknown setting")]:
        with pytest.raises(ValueError, match=message):
            state.configure(**bad)
    assert state.dataset == "circles"
    fig = new_figure(state.figsize)
    figure_to_png(state.draw(fig))
    state.run_one_epoch()
    figure_to_png(state.draw(fig))


def test_training_explorer_picture_before_training_is_a_clean_empty_state():
    state = w.TrainingExplorerState("circles", epochs=300)
    fig = state.draw()
    loss_axes = fig.axes[0]
    assert loss_axes.get_xlim() == (0.0, 300.0) and loss_axes.get_ylim() == (0.0, 1.0)
    assert [t.get_text() for t in loss_axes.texts] == ["no epochs yet"]
    assert all(not label.get_visible() or not label.get_text()
               for label in loss_axes.get_yticklabels())
    assert texts_outside_the_figure(fig) == []
    state.play()
    state.tick()
    fig = state.draw(fig)
    assert fig.axes[0].get_xlim() == (0.0, 300.0)  # the curve grows from left to right
    assert texts_outside_the_figure(fig) == []


def texts_outside_the_figure(fig):
    """The Axes of ``fig`` with something drawn (a title, a label, a tick label) beyond the
    figure's edge, where it would be cut off."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width, height = fig.canvas.get_width_height()
    outside = []
    for ax in fig.axes:
        box = ax.get_tightbbox(renderer)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5:
            outside.append(ax.get_title(loc="left") or ax.get_title())
    return outside


# ---- the widget views, without a browser ----------------------------------------------
def test_graph_stepper_buttons_and_slider_drive_the_state():
    stepper = w.GraphStepper(example_graph())
    state = stepper.state
    assert stepper._first.disabled and stepper._previous.disabled
    assert not stepper._next.disabled
    equation = stepper._equation.value
    stepper._next.click()
    assert state.index == 1 and stepper._slider.value == 2
    assert stepper._equation.value != equation
    assert state.current_latex in stepper._equation.value
    assert not stepper._previous.disabled
    stepper._last.click()
    assert state.at_end and stepper._next.disabled and stepper._last.disabled
    stepper._slider.value = 3
    assert state.index == 2
    stepper._first.click()
    assert state.index == 0 and stepper._slider.value == 1
    assert bytes(stepper._image.value).startswith(b"\x89PNG")


def shown(box):
    """The children of an ipywidgets box that are not hidden."""
    return [child for child in box.children if child.layout.display != "none"]


def test_stepper_controls_come_before_what_changes_and_nothing_is_said_twice():
    for stepper in (w.GraphStepper("(x + y) * z", x=-2.0, y=5.0, z=-4.0),
                    w.NetworkStepper()):
        children = stepper.widget.children
        order = [children.index(part) for part in
                 (stepper._heading, stepper._image, stepper._equation_box)]
        assert stepper._next in children[0].children  # the buttons come first
        assert order == sorted(order) and order[0] > 0
        if isinstance(stepper, w.GraphStepper):  # its inputs are controls too: above
            assert children.index(stepper._inputs) < order[0]
            assert children.index(stepper._expression) < order[0]
        for index in range(stepper.state.n_steps):
            stepper._slider.value = index + 1
            equations = shown(stepper._equation_box)
            assert equations == [stepper._equation]  # one equation, rendered once
            assert stepper.state.current_latex in equations[0].value
            texts = [c.value for c in children if isinstance(c, type(stepper._heading))]
            assert not any(stepper.state.current_text in text for text in texts)


def test_a_stepper_click_shows_a_picture_drawn_before(monkeypatch):
    stepper = w.NetworkStepper()
    state = stepper.state
    assert state.drawn_steps == [0]  # the first picture only, as before
    stepper._after_display()  # what the notebook does once the widget is shown
    assert state.drawn_steps == [0, 1, state.n_steps - 1]
    drawn = []
    original = type(state).draw
    monkeypatch.setattr(type(state), "draw",
                        lambda self, fig=None: drawn.append(self.index) or original(self, fig))
    for _ in range(state.n_steps - 1):
        before = len(drawn)
        stepper._next.click()
        assert bytes(stepper._image.value) == state.picture()
        assert drawn[before:] in ([], [state.index + 1])  # only the step after, ahead
        assert state.index + 1 >= state.n_steps or state.index + 1 in state.drawn_steps
    assert drawn == list(range(2, state.n_steps - 1))  # every step drawn once, ahead
    for _ in range(state.n_steps - 1):
        stepper._previous.click()
    assert drawn == list(range(2, state.n_steps - 1))  # back: nothing drawn again
    assert set(stepper._equations) == set(range(state.n_steps))  # each typeset once


def test_stepper_pictures_are_kept_drawn_ahead_and_forgotten_when_inputs_change():
    state = w.GraphStepperState(example_graph())
    fig = new_figure(state.figsize)
    assert state.picture(3) == figure_to_png(
        (state.go_to(3), state.draw(fig))[1], fast=True) and state.drawn_steps == [3]
    assert state.picture(3) is state.picture(3)  # kept, not drawn again
    state.go_to(4)  # moving forward: the next one first, then the one behind
    assert state.ahead() == [5, 3, state.n_steps - 1, 0]
    assert state.draw_ahead() == [5, state.n_steps - 1]  # 3 is drawn already
    state.go_to(2)  # moving back: the one before first
    assert state.ahead()[:2] == [1, 3]
    state.set_input("x", 2.0)
    assert state.drawn_steps == []  # the numbers changed: every picture is new
    state.first()
    assert state.ahead() == [1, state.n_steps - 1]
    assert state.picture() == figure_to_png(state.draw(fig), fast=True)


def test_graph_stepper_input_sliders_recompute_and_refuse_bad_values():
    stepper = w.GraphStepper(Value(2.0, "x").log() * Value(3.0, "y"))
    sliders = {s.description: s for s in stepper._inputs.children}
    assert set(sliders) == {"x", "y"}
    stepper._last.click()
    sliders["y"].value = 1.5
    assert stepper.state.inputs["y"] == 1.5 and stepper.state.at_end
    assert stepper.state.root.data == pytest.approx(np.log(2.0) * 1.5)
    sliders["x"].value = -1.0  # log(-1): refused, with a message, slider put back
    assert "cannot use x = -1" in stepper._message.value
    assert sliders["x"].value == 2.0 and stepper.state.inputs["x"] == 2.0


def test_graph_stepper_expression_box():
    stepper = w.GraphStepper("(x + y) * z", x=1.0, y=2.0, z=-3.0)
    assert stepper.state.inputs == {"x": 1.0, "y": 2.0, "z": -3.0}
    stepper._expression.value = "__import__('os').system('echo hi')"
    assert "not allowed" in stepper._message.value
    assert stepper.state.inputs == {"x": 1.0, "y": 2.0, "z": -3.0}
    stepper._expression.value = "tanh(w * x + b)"
    assert stepper._message.value == ""
    assert stepper.state.inputs == {"w": 1.0, "x": 1.0, "b": 1.0}
    assert [s.description for s in stepper._inputs.children] == ["w", "x", "b"]
    stepper._next.click()
    assert stepper.state.index == 1  # the buttons drive the new state


@pytest.mark.parametrize("make, text", [
    (lambda: w.GraphStepper(example_graph()), "Graph stepper: run this cell to show it."),
    (lambda: w.NetworkStepper(), "Network stepper: run this cell to show it."),
    (lambda: w.ActivationExplorer(), "Activation explorer: run this cell to show it."),
    (lambda: w.TrainingExplorer("xor", epochs=10),
     "Training explorer: run this cell to show it."),
])
def test_a_widget_stored_without_its_state_says_to_run_the_cell(make, text):
    widget = make()
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == text  # what a notebook shows before the cell runs
    assert widget.css_class in widget.widget._dom_classes


def test_network_stepper_buttons():
    stepper = w.NetworkStepper()
    stepper._next.click()
    stepper._next.click()
    assert stepper.state.index == 2 and stepper._slider.value == 3
    stepper._last.click()
    assert stepper.state.phase == "update" and stepper._next.disabled
    stepper._previous.click()
    assert stepper.state.phase == "backward"
    stepper._slider.value = 5
    assert stepper.state.phase == "loss"
    assert "network-stepper" in stepper.widget._dom_classes


def test_activation_explorer_controls():
    explorer = w.ActivationExplorer("tanh", 0.5)
    explorer._z.value = 3.0
    assert explorer.state.z == 3.0 and explorer.state.saturated
    assert "saturated" in explorer._note.value
    explorer._choice.value = "identity"
    assert explorer.state.activation == "identity" and not explorer.state.saturated
    assert explorer._note.value == "<b></b>"  # the equation says the rest; nothing twice
    assert r"\operatorname{id}" in explorer._equation.value
    assert explorer.widget.children[0].children == (explorer._choice, explorer._z)


def test_training_explorer_controls(monkeypatch):
    explorer = w.TrainingExplorer("xor", hidden=4, epochs=60)
    explorer.stale_gap = 0  # ticks come from the test, not from a browser
    state = explorer.state
    assert "press train" in explorer._text.value and explorer._pause.disabled
    explorer._train.click()  # the first chunk at once, then the browser ticks
    assert state.epoch == state.chunk == 2 and explorer._ticker.playing
    assert explorer._progress.value == 2 and explorer._progress.max == 60
    for _ in range(3):
        explorer._ticker.value += 1
    assert state.epoch == 8 and "training: epoch 8 of 60" in explorer._text.value
    assert not explorer._pause.disabled
    explorer._pause.click()
    assert not explorer._ticker.playing and not state.playing
    explorer._ticker.value += 1  # a tick already on its way: ignored
    assert state.epoch == 8 and "paused at epoch 8" in explorer._text.value
    explorer._step.click()
    assert state.epoch == 9 and not explorer._ticker.playing
    explorer._train.click()
    while explorer._ticker.playing:
        explorer._ticker.value += 1
    assert state.epoch == 60 and "done: 60 epochs" in explorer._text.value
    assert [s.epoch for s in state.snapshots][:6] == [2, 4, 6, 8, 9, 11]
    explorer._lr.value = 0.1  # a new setting: the untrained network, shown at once
    assert state.lr == pytest.approx(0.1) and state.epoch == 0
    assert "press train" in explorer._text.value
    explorer._hidden.value = 5
    assert state.hidden == 5 and state.epoch == 0
    explorer._dataset.value = "spirals"
    assert state.n_classes == 3
    explorer._train.click()
    explorer._reset.click()
    assert state.epoch == 0 and explorer._progress.value == 0
    assert not explorer._ticker.playing


def test_training_explorer_learning_rates_are_readable_stops():
    explorer = w.TrainingExplorer("xor", lr=0.5, epochs=10)
    labels = [label for label, _ in explorer._lr.options]
    assert labels == ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "0.5", "1", "3", "10"]
    assert explorer._lr.value == 0.5 and explorer._lr.layout.width == "480px"
    assert [label for label, _ in w.TrainingExplorer("xor", lr=1.0, epochs=10)._lr.options] \
        == ["0.001", "0.003", "0.01", "0.03", "0.1", "0.3", "1", "3", "10"]


def test_training_explorer_drops_ticks_that_queued_behind_a_picture():
    explorer = w.TrainingExplorer("xor", hidden=4, epochs=60)
    explorer._train.click()
    assert explorer.state.epoch == 2
    explorer._ticker.value += 1  # at once after the picture: it had queued up, skip it
    assert explorer.state.epoch == 2
    explorer._last_picture -= 1.0  # a second later: a tick of its own
    explorer._ticker.value += 1
    assert explorer.state.epoch == 4


def test_training_explorer_shows_a_diverging_run_as_a_message(monkeypatch):
    explorer = w.TrainingExplorer("two_moons", lr=10.0, epochs=300)
    explorer.stale_gap = 0
    diverge_at(monkeypatch, 15)
    explorer._train.click()
    explorer._ticker.value += 1
    assert "diverged at epoch 15" in explorer._text.value and not explorer._ticker.playing
    assert explorer._message.value == ""  # said in the status line, not as an error


def test_exercise_feedback_wraps_between_words():
    from helpers.exercises.feedback import Feedback

    one_line = Feedback(False, True, "Your dW was checked against the numeric gradient.")
    page = one_line._repr_html_()
    assert "word-break: normal" in page and "overflow-wrap: break-word" in page
    assert "break-all" not in page and "white-space: normal" in page
    lines = Feedback(False, True, "Expected:\n[[1, 2],\n [3, 4]]")._repr_html_()
    assert "white-space: pre-wrap" in lines  # line breaks and alignment kept


def test_expression_text_round_trips_through_the_parser():
    x, y, z = Value(1.5, "x"), Value(-2.0, "y"), Value(3.0, "z")
    graphs = [(x + y) * z, -(x * y), (x * x + 1).tanh(), (x ** 2) ** 3 / y - 3,
              (x * -2.0).exp().log(), 2 - x.sigmoid(), (x - y).relu() / z]
    for graph in graphs:
        text = w.expression_text(graph)
        again = w.parse_expression(text, {"x": 1.5, "y": -2.0, "z": 3.0})
        assert again.data == pytest.approx(graph.data), text
    assert w.expression_text((x + y) * z) == "(x + y) * z"


def test_editable_graph_stepper_starts_with_its_expression():
    x, y = Value(1.0, "x"), Value(2.0, "y")
    stepper = w.GraphStepper(x * y + 1, editable=True)
    assert stepper._expression.value == "(x * y) + 1"
    stepper._expression.value = "x * y + 2"
    assert stepper.state.inputs == {"x": 1.0, "y": 2.0}
    assert stepper.state.root.data == 4.0
    assert w.GraphStepper(x * y)._expression is None


def test_expression_text_keeps_every_digit_of_constants_and_exponents():
    # the display form has 4 significant digits: 0.123456 was written 0.1235, 12345 as 1.234e4
    x = Value(2.0, "x")
    for graph in (x * 0.123456, x ** 1.23456, x * 12345.0, x * -0.3333333):
        text = w.expression_text(graph)
        assert w.parse_expression(text, {"x": 2.0}).data == graph.data, text
    assert w.expression_text(x * 0.123456) == "x * 0.123456"
    assert w.expression_text(x * 2 - 0.5) == "(x * 2) - 0.5"


# ---- formulas: written once in LaTeX, the plain text read from it -----------------------
@pytest.mark.parametrize("latex, text", [
    (r"\frac{\partial L}{\partial W^{[2]}} = a^{[1]\top}\, \delta^{[2]}",
     "dL/dW2 = a1^T delta2"),
    (r"\begin{bmatrix}1 & -2\end{bmatrix}", "[1, -2]"),
    (r"\begin{bmatrix}1 & 2 \\ 3 & 4\end{bmatrix}", "[1, 2; 3, 4]"),
    (r"\delta^{[1]} = g \odot \sigma'(z^{[1]})", "delta1 = g * sigmoid'(z1)"),
    (r"\operatorname{ReLU}(2) = 2, \qquad \text{slope } \operatorname{ReLU}'(2) = 1",
     "relu(2) = 2, slope relu'(2) = 1"),
    (r"\operatorname{id}(z) \cdot \tanh\left(z\right)", "identity(z) * tanh(z)"),
    (r"x^{\top} W^{[2]\top} + J_{\operatorname{softmax}}^{\top}", "x^T W2^T + J_softmax^T"),
    (r"\tfrac{1}{2}\lVert a - y\rVert^2", "1/2||a - y||^2"),
    (r"\frac{a + b}{2}", "(a + b)/2"),
    (r"a = 1 \\ b = 2", "a = 1; b = 2"),
    (r"W \leftarrow W - \eta\, G \quad\text{loss } 2 \to 1", "W <- W - lr G loss 2 -> 1"),
    (r"1.5 \times 10^{-7} + 10^{-8} - 2 \times x", "1.5e-7 + 1e-8 - 2 * x"),
    (r"e^{x + 1} + e^{2}", "e^(x + 1) + e^2"),
])
def test_latex_to_text(latex, text):
    assert w.latex_to_text(latex) == text


def test_network_step_texts_are_read_from_their_latex():
    net = build_network([2, 3, 1], hidden="tanh", output="sigmoid", rng=0)
    state = w.NetworkStepperState(net, [1.0, -2.0])
    for step in state.steps:
        assert step.text == w.latex_to_text(step.latex)
        assert "\\" not in step.text and "{" not in step.text, step.text
    texts = {(step.kind, step.layer): step.text for step in state.steps}
    assert texts["weighted_sum", 1] == (
        "z1 = x W1 + b1 = [1, -2] [0.0889, -0.0934, 0.453; 0.0742, -0.379, 0.256] + "
        "[0, 0, 0] = [-0.0594, 0.664, -0.0585]")
    assert texts["activation", 2] == "a2 = sigmoid(z2) = sigmoid([0.297]) = [0.574]"
    assert texts["loss", 3] == ("L = 1/2||a2 - y||^2 = 0.0909 with a2 = [0.574], y = 1; "
                                "dL/da2 = [-0.426]")
    assert texts["delta", 2].startswith("delta2 = dL/da2 * sigmoid'(z2) = [-0.426] * ")
    assert texts["gradients", 2].startswith("dL/dW2 = a1^T delta2 = [")
    assert "; dL/db2 = delta2 = [" in texts["gradients", 2]
    assert "; dL/da1 = delta2 W2^T = [" in texts["gradients", 2]
    assert "dL/da0" not in texts["gradients", 1] and "x^T delta1" in texts["gradients", 1]
    update = texts["update", None]
    assert update.startswith("W1 <- W1 - lr dL/dW1 = [0.0889, -0.0934, 0.453; ")
    assert "; b2 <- [0] - 0.5 [" in update
    assert update.endswith("; loss on this input: 0.0909 -> 0.0601")


def worked_example():
    """Lesson 05's worked example: 2 inputs, 2 sigmoid hidden, 2 sigmoid outputs, MSE."""
    from helpers.layers import ActivationLayer
    from helpers.network import Network

    net = Network([Dense(2, 2, weights=np.array([[0.15, 0.25], [0.2, 0.3]]),
                         bias=np.array([0.35, 0.35])), ActivationLayer("sigmoid"),
                   Dense(2, 2, weights=np.array([[0.4, 0.5], [0.45, 0.55]]),
                         bias=np.array([0.6, 0.6])), ActivationLayer("sigmoid")])
    return w.NetworkStepperState(net, [0.05, 0.1], [0.01, 0.99], loss="mse", lr=0.5)


def test_network_steps_write_enough_digits_to_tell_values_apart_and_show_a_change():
    state = worked_example()
    texts = {(step.kind, step.layer): step.text for step in state.steps}
    assert "* [0.2413, 0.2406] = [0.00877, 0.00995]" in texts["delta", 1]
    update = texts["update", None]
    assert "W1 <- W1 - lr dL/dW1 = [0.15, 0.25; 0.2, 0.3] - 0.5 [0.000439, 0.000498; " \
        "0.000877, 0.000995] = [0.1498, 0.2498; 0.1996, 0.2995]" in update
    assert update.endswith("loss on this input: 0.298 -> 0.28")
    # in every layer, every weight and bias the update changed reads differently after it
    for seed in range(8):
        net = build_network([3, 4, 2], hidden="tanh", output="sigmoid", rng=seed)
        random = w.NetworkStepperState(net, [0.3, -0.2, 0.1], [1.0, 0.0], lr=0.01)
        latex = random.steps[-1].latex
        for l, (dense, _) in enumerate(map(random.layer_records, (1, 2)), start=1):
            for old, new in ((dense.W, random.steps[-1].values[f"W{l}"]),
                             (dense.b, random.steps[-1].values[f"b{l}"])):
                digits = change_digits(old, new)
                for array in (old, new):  # the formula writes both with these digits
                    assert matrix(np.atleast_2d(array), digits)[15:-13] in latex
                written = [(write(a, digits), write(b, digits))
                           for a, b in zip(old.ravel(), new.ravel(), strict=True) if a != b]
                assert all(before != after for before, after in written), (seed, l)


def test_network_drawing_of_the_update_agrees_with_its_text():
    state = worked_example()
    state.last()
    texts = [t.get_text() for t in state.draw().axes[0].texts]
    assert "target 0.01 0.99\nL 0.298 → 0.28" in texts  # the loss after the update too
    assert {"0.1498", "0.2498", "0.1996", "0.2995"} <= set(texts)  # W1 as the text has it
    assert "z 0.378\na 0.593\nδ 0.00877" in texts and "z 0.392\na 0.597\nδ 0.00995" in texts
    fonts = set()
    for index in range(state.n_steps):  # one font for the neurons at every step
        state.go_to(index)
        fonts |= {t.get_fontsize() for t in state.draw().axes[0].texts
                  if t.get_text()[:2] in ("z ", "x1", "h1", "y1")}
    assert len(fonts) == 1


@pytest.mark.parametrize("loss, output, target, expected", [
    ("binary_cross_entropy", "sigmoid", [0.0], "L = -[y log a2 + (1 - y) log(1 - a2)] = "),
    ("softmax_cross_entropy", "identity", 1, "L = -log softmax(a2)_y = "),
])
def test_network_loss_texts_write_the_loss_formula(loss, output, target, expected):
    n_out = 1 if loss == "binary_cross_entropy" else 2
    net = build_network([2, 3, n_out], hidden="relu", output=output, rng=0)
    state = w.NetworkStepperState(net, [0.5, -1.0], target, loss=loss)
    assert state.steps[4].text.startswith(expected)


def test_softmax_output_delta_uses_the_jacobian():
    net = build_network([2, 3, 2], hidden="tanh", output="softmax", rng=3)
    state = w.NetworkStepperState(net, [0.5, -1.0], [0.0, 1.0])
    delta = [s for s in state.steps if s.kind == "delta" and s.layer == 2][0]
    assert delta.text.startswith("delta2 = J_softmax^T dL/da2 = [")
    assert r"J_{\operatorname{softmax}}^{\top}" in delta.latex


def test_activation_explorer_checks_its_arguments():
    with pytest.raises(ValueError, match=r"z_range must have shape \(2,\) \(low, high\)"):
        w.ActivationExplorerState(z_range=(1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match="low < high"):
        w.ActivationExplorerState(z_range=(2.0, -2.0))
    with pytest.raises(ValueError, match="saturation must be a finite number > 0"):
        w.ActivationExplorerState(saturation=0)
    with pytest.raises(ValueError, match="hidden must be a width from 1 to 64; got 65"):
        w.TrainingExplorerState("xor", hidden=65)


# ---- a new operation in the table works in the expression box and the stepper ---------
def test_a_registered_operation_can_be_typed_written_and_stepped(square):
    assert "square" in parser.function_names()
    root = w.parse_expression("square(x) + y", {"x": 3, "y": 1})
    assert root.data == 10.0
    root.backward()
    x = [leaf for leaf in w.input_leaves(root) if leaf.label == "x"][0]
    assert x.grad == 6.0
    with pytest.raises(w.ExpressionError, match=r"square takes exactly one argument, "
                                                r"e.g. square\(x\)"):
        w.parse_expression("square(x, y)")
    with pytest.raises(w.ExpressionError, match=r"calling cube\(\.\.\.\) is not allowed; "
                                                r"functions you can use: .*, square"):
        w.parse_expression("cube(x)")
    with pytest.raises(w.ExpressionError, match=r"write arithmetic with \+ - \* / \*\* and "
                                                r"exp, log, .*square"):
        w.parse_expression("x.real")

    x, y = Value(3.0, "x"), Value(1.0, "y")
    graph = apply_operation("square", [x]) * y
    assert w.expression_text(graph) == "square(x) * y"
    assert w.expression_text(apply_operation("square", [x + y])) == "square(x + y)"
    again = w.parse_expression(w.expression_text(graph), {"x": 3.0, "y": 1.0})
    assert again.data == graph.data == 9.0
    copy = w.recompute(graph, {"x": -2.0})
    assert copy.data == 4.0 and copy.inputs[0].op == "square"

    state = w.GraphStepperState(graph)
    seen = walk(state)
    assert seen[0] == seen[-1] and len(seen) == 2 * state.n_steps - 1
    assert "square" in state.forward_steps[0].text()
    state.last()
    assert state.shown_grads()[x] == 6.0
    stepper = w.GraphStepper("square(x) * y", x=3.0, y=1.0)
    stepper._last.click()
    assert stepper.state.at_end and stepper._message.value == ""


def test_without_the_operation_square_cannot_be_typed():
    with pytest.raises(w.ExpressionError, match=r"calling square\(\.\.\.\) is not allowed; "
                                                r"functions you can use: exp, log, sigmoid, "
                                                r"tanh, relu"):
        w.parse_expression("square(x)")
