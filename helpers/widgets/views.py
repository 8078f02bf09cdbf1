"""Widgets for the lessons: step through forward and backward propagation, explore
activations and training.

Each widget comes as two classes. The *state* (``GraphStepperState``,
``NetworkStepperState``, ``ActivationExplorerState``, ``TrainingExplorerState``) is plain
Python: the recorded steps, the current position and the transitions between them, plus
``draw(fig)`` for the picture. Tests drive it without a browser. The *view*
(``GraphStepper``, ``NetworkStepper``, ``ActivationExplorer``, ``TrainingExplorer``) is
thin: standard ipywidgets controls that call the state and redraw. A cell ending with
``GraphStepper(z)`` displays it; a later cell can read ``stepper.state.current_text``.

Redrawing reuses one fixed-size Figure and shows it as PNG bytes in an ``ipywidgets.Image``
(rendered by the Agg backend), so a step replaces the picture in place without flicker and
without needing ipympl. A control out of range is clamped or disabled; an error in a
callback is shown as a message under the widget, never raised into the notebook.
"""

from __future__ import annotations

import ast
import functools
import html
import math
import time

import ipywidgets as widgets
import numpy as np

from .activations import get_activation
from .data import DATASETS
from .graph import BackwardStep, ForwardStep, Value, apply_operation, format_number
from .losses import get_loss
from .network import Network, build_network, predicted_classes
from .plots import (
    draw_graph,
    draw_network,
    figure_to_png,
    graph_figsize,
    network_figsize,
    new_figure,
    plot_activation,
    plot_decision_boundary,
    plot_loss_curve,
)
from .training import SGD, train

__all__ = [
    "ActivationExplorer",
    "ActivationExplorerState",
    "ExpressionError",
    "GraphStepper",
    "GraphStepperState",
    "NetworkStep",
    "NetworkStepper",
    "NetworkStepperState",
    "TrainingExplorer",
    "TrainingExplorerState",
    "expression_text",
    "input_leaves",
    "parse_expression",
    "recompute",
]

MAX_FIGURE_WIDTH = 11.0  # inches at 100 dpi: about the width of a notebook cell


def _fit_width(figsize):
    """Scale a figure size down so that its width fits a notebook cell."""
    width, height = figsize
    if width <= MAX_FIGURE_WIDTH:
        return width, height
    return MAX_FIGURE_WIDTH, height * MAX_FIGURE_WIDTH / width


def _fresh_figure(fig, figsize):
    """``fig`` cleared for a new drawing, or a new Figure of ``figsize`` if ``fig`` is None."""
    if fig is None:
        return new_figure(figsize)
    fig.clear()
    return fig


def _clamp_index(index, n_steps: int) -> int:
    """An integer position clamped to 0 .. n_steps - 1."""
    return int(min(max(int(index), 0), max(n_steps - 1, 0)))


class _Stepper:
    """Position bookkeeping shared by the two steppers: index, n_steps and the moves."""

    index: int

    @property
    def n_steps(self) -> int:
        return len(self.steps)

    @property
    def at_start(self) -> bool:
        """True on the first step ("first" and "previous" do nothing there)."""
        return self.index == 0

    @property
    def at_end(self) -> bool:
        """True on the last step ("next" and "last" do nothing there)."""
        return self.index >= self.n_steps - 1

    def go_to(self, index) -> int:
        """Move to step ``index`` (0-based), clamped to the valid range; returns the index."""
        self.index = _clamp_index(index, self.n_steps)
        return self.index

    def first(self) -> int:
        return self.go_to(0)

    def previous(self) -> int:
        return self.go_to(self.index - 1)

    def next(self) -> int:
        return self.go_to(self.index + 1)

    def last(self) -> int:
        return self.go_to(self.n_steps - 1)

    def snapshot(self) -> tuple:
        """(index, phase, current_text): enough to tell two positions apart in a test."""
        return self.index, self.phase, self.current_text


# ------------------------------------------------------------------------------------------
# Typed expressions: parsed with sympy, restricted to a few symbols and functions
# ------------------------------------------------------------------------------------------
FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")
MAX_EXPRESSION_LENGTH = 200
MAX_OPERATIONS = 40


class ExpressionError(ValueError):
    """A typed expression that is not allowed or cannot be read; the message says why."""


_PARSER_NAMES = ("Add", "Mul", "Pow", "Integer", "Float", "Rational", "Symbol")  # sympy's
_ALLOWED_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}


def _check_syntax(text: str) -> set[str]:
    """Check that ``text`` is arithmetic on names and numbers only; return the names used.

    Allowed: numbers, names, + - * / ** (or ^), unary minus, parentheses and the calls
    exp, log, tanh, sigmoid, relu with one argument. Anything else (attributes, strings,
    subscripts, keywords, other calls) raises ExpressionError before anything is evaluated.
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        column = f" near column {error.offset}" if error.offset else ""
        raise ExpressionError(f"could not read the expression{column}: {error.msg}") from None
    names: set[str] = set()
    operations = 0
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load | ast.USub | ast.UAdd) or \
                type(node) in _ALLOWED_BINARY:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in _ALLOWED_BINARY:
            operations += 1
            if isinstance(node.op, ast.Pow) and not _is_number(node.right):
                raise ExpressionError("the exponent in a ** p must be a plain number, "
                                      "e.g. x ** 2")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operations += 1
        elif isinstance(node, ast.Constant) and _is_real_constant(node.value):
            pass
        elif isinstance(node, ast.Call):
            operations += 1
            if isinstance(node.func, ast.Attribute):
                raise ExpressionError(f"attribute access (.{node.func.attr}) is not allowed; "
                                      "write arithmetic with + - * / ** and exp, log, tanh, "
                                      "sigmoid, relu")
            if not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
                what = node.func.id if isinstance(node.func, ast.Name) else "this"
                raise ExpressionError(f"calling {what}(...) is not allowed; functions you can "
                                      f"use: {', '.join(FUNCTIONS)}")
            if len(node.args) != 1 or node.keywords:
                raise ExpressionError(f"{node.func.id} takes exactly one argument, "
                                      f"e.g. {node.func.id}(x)")
        elif isinstance(node, ast.Name):
            if node.id in FUNCTIONS and id(node) not in called:
                raise ExpressionError(f"{node.id} is a function: write {node.id}(x)")
            if node.id not in FUNCTIONS:
                if node.id.startswith("_") or node.id in _PARSER_NAMES:
                    raise ExpressionError(f"the name {node.id!r} is not allowed; use names "
                                          "like x, y, w1, b")
                names.add(node.id)
        elif isinstance(node, ast.Attribute):
            raise ExpressionError(f"attribute access (.{node.attr}) is not allowed; write "
                                  "arithmetic with + - * / ** and exp, log, tanh, sigmoid, relu")
        else:
            raise ExpressionError(f"{type(node).__name__} is not allowed in an expression; "
                                  "write arithmetic with + - * / ** and exp, log, tanh, "
                                  "sigmoid, relu")
    if operations > MAX_OPERATIONS:
        raise ExpressionError(f"the expression has {operations} operations; at most "
                              f"{MAX_OPERATIONS} fit in a drawing")
    return names


def _is_real_constant(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_number(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and _is_real_constant(node.value)


def _sympy_expression(text: str, names: set[str]):
    """Parse checked ``text`` with sympy: only the given symbols and the allowed functions."""
    import sympy
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    from .symbolic import sigmoid_expression

    local_dict = {name: sympy.Symbol(name) for name in names}
    local_dict.update(exp=sympy.exp, log=sympy.log, tanh=sympy.tanh, sigmoid=sigmoid_expression,
                      relu=lambda z: sympy.Max(0, z))
    global_dict = {"__builtins__": {}}  # no Python builtins inside the parser's eval
    for name in _PARSER_NAMES:
        global_dict[name] = getattr(sympy, name)
    try:
        return parse_expr(text, local_dict=local_dict, global_dict=global_dict,
                          transformations=standard_transformations, evaluate=False)
    except Exception as error:  # sympy reports many kinds of error for odd input
        raise ExpressionError(f"could not read the expression: {error}") from None


def parse_expression(text: str, values: dict | None = None) -> Value:
    """Turn a typed expression such as ``"(x + y) * z"`` into a Value graph, safely.

    The text is first checked to be plain arithmetic (numbers, names, + - * / ** or ^,
    parentheses, exp, log, tanh, sigmoid, relu), then parsed by sympy's ``parse_expr``
    with only those names defined and no Python builtins (nothing else is ever evaluated),
    then turned into a graph by ``helpers.symbolic.from_sympy``.

    Args:
        text: the expression, at most 200 characters.
        values: {name: number} for the inputs; names not given start at 1.0.

    Returns:
        the output Value; its leaves are labelled with the names used.

    Raises:
        ExpressionError (a ValueError) with a message saying what is wrong.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text (str); got {type(text).__name__}")
    text = text.strip().replace("^", "**")
    if not text:
        raise ExpressionError("the expression is empty; type e.g. (x + y) * z")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"the expression has {len(text)} characters; at most "
                              f"{MAX_EXPRESSION_LENGTH} are allowed")
    names = _check_syntax(text)
    values = dict(values or {})
    for name, number in values.items():
        if not isinstance(number, int | float) or isinstance(number, bool) \
                or not math.isfinite(number):
            raise ExpressionError(f"the value of {name} must be a finite number; got {number!r}")
    from .symbolic import from_sympy

    expression = _sympy_expression(text, names)
    try:
        root = from_sympy(expression, {name: values.get(name, 1.0) for name in names})
    except (ArithmeticError, ValueError, TypeError) as error:
        raise ExpressionError(f"cannot compute {text} at these inputs: {error}") from None
    if not root.inputs:
        raise ExpressionError("the expression has no operation to step through; try x * y")
    return root


# ------------------------------------------------------------------------------------------
# Graph stepper
# ------------------------------------------------------------------------------------------


def recompute(root: Value, inputs: dict[str, float]) -> Value:
    """A new graph with the same operations and labels, some inputs set to new values.

    Args:
        root: the output Value of the graph.
        inputs: {input name: new value}; inputs not named keep their value.

    Returns:
        the new output Value (the old graph is not changed).
    """
    names = root.names()
    copies: dict[Value, Value] = {}
    for node in root.topological_order():
        if node.inputs:
            copy = apply_operation(node.op, [copies[i] for i in node.inputs], node.exponent)
            copy.label = node.label
        else:
            copy = Value(inputs.get(names[node], node.data), node.label)
            copy.is_constant = node.is_constant
        copies[node] = copy
    return copies[root]


def expression_text(root: Value) -> str:
    """The graph written as a typed expression, e.g. ``"(x + y) * z"`` ("" if it is too big).

    A node used twice is written out twice; ``parse_expression`` turns it back into a
    graph that computes the same value.
    """
    order = root.topological_order()
    if len(order) > 2 * MAX_OPERATIONS:
        return ""
    root.names()
    written: dict[Value, str] = {}
    for node in order:  # inputs first, so every operand is written already
        args = [written[inp] for inp in node.inputs]
        if not node.is_constant and not node.inputs:
            text = node.name
        elif node.is_constant:
            number = _exact_number(node.data)
            text = number if node.data >= 0 else f"({number})"
        elif node.op in ("+", "-", "*", "/"):
            text = f"({args[0]} {node.op} {args[1]})"
        elif node.op == "**":
            text = f"({args[0]} ** {_exact_number(node.exponent)})"
        elif node.op == "neg":
            text = f"(-{args[0]})"
        else:
            text = f"{node.op}({_unwrap(args[0])})"
        written[node] = text
    return _unwrap(written[root])


def _exact_number(x: float) -> str:
    """x as text that reads back as exactly x: the short display form (2, 0.5) when that is
    exact, else all the digits needed (0.123456 rather than the display's 0.1235)."""
    text = format_number(x)
    return text if float(text) == x else repr(float(x))


def _unwrap(text: str) -> str:
    """Drop one pair of parentheses around the whole text, if they belong together."""
    if not (text.startswith("(") and text.endswith(")")):
        return text
    depth = 0
    for position, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and position < len(text) - 1:
            return text
    return text[1:-1]


def input_leaves(root: Value) -> list[Value]:
    """The inputs of a graph: leaves that are not plain-number constants, in order."""
    return [n for n in root.topological_order() if not n.inputs and not n.is_constant]


class GraphStepperState(_Stepper):
    """The forward and backward passes of a Value graph, and where we are in them.

    Args:
        root: the output Value (its graph gets gradients, as after ``root.backward()``).
        upstream_grad: dL/d(root), 1.0 when root is the loss itself.

    Attributes a notebook can check after the widget cell:
        index (int, 0-based), n_steps (forward + backward steps), phase ("forward" or
        "backward"), current_step (ForwardStep or BackwardStep), current_latex,
        current_text, description ("backward pass, step 2 of 4"), inputs ({name: value}),
        forward_steps, backward_steps, steps, root.
    """

    def __init__(self, root: Value, *, upstream_grad: float = 1.0):
        if not isinstance(root, Value):
            raise TypeError(f"root must be a Value (e.g. z = x * y); got {type(root).__name__}")
        if not root.inputs:
            raise ValueError(f"root {root.name} is an input, with no operation to step "
                             "through; build an expression such as z = x * y")
        self.upstream_grad = float(upstream_grad)
        self.index = 0
        self._load(root)

    @classmethod
    def from_expression(cls, text: str, **values) -> GraphStepperState:
        """A state for a typed expression, e.g. ``from_expression("(x + y) * z", x=1.0)``."""
        return cls(parse_expression(text, values))

    def _load(self, root: Value) -> None:
        self.root = root
        self.forward_steps = root.forward_steps()
        self.backward_steps = root.backward_steps(self.upstream_grad)
        self.steps = [*self.forward_steps, *self.backward_steps]
        self.index = _clamp_index(self.index, self.n_steps)

    @property
    def inputs(self) -> dict[str, float]:
        """{name: value} of the graph's inputs (the leaves that are not constants)."""
        return {leaf.name: leaf.data for leaf in input_leaves(self.root)}

    def set_input(self, name: str, value: float) -> None:
        """Give input ``name`` a new value and recompute both passes; the step stays.

        Raises ValueError (unknown name, or a value where the graph is not defined, such as
        log of a negative number); the state is then unchanged.
        """
        if name not in self.inputs:
            raise ValueError(f"unknown input {name!r}; valid: {', '.join(self.inputs)}")
        try:
            root = recompute(self.root, {name: value})
        except (ArithmeticError, ValueError, TypeError) as error:
            raise ValueError(f"cannot use {name} = {value}: {error}") from None
        self._load(root)

    @property
    def phase(self) -> str:
        """"forward" while computing values, "backward" while passing gradients back."""
        return "forward" if self.index < len(self.forward_steps) else "backward"

    @property
    def current_step(self) -> ForwardStep | BackwardStep:
        return self.steps[self.index]

    @property
    def phase_index(self) -> int:
        """1-based number of the current step within its phase."""
        return self.index + 1 if self.phase == "forward" else \
            self.index - len(self.forward_steps) + 1

    @property
    def description(self) -> str:
        n_phase = len(self.forward_steps if self.phase == "forward" else self.backward_steps)
        return f"{self.phase} pass, step {self.phase_index} of {n_phase}"

    @property
    def current_latex(self) -> str:
        """The current step's equation in LaTeX with the numbers put in."""
        return self.current_step.latex()

    @property
    def current_text(self) -> str:
        """The current step's equation in plain text, e.g. ``"z = x * y = -2 * 3 = -6"``."""
        return self.current_step.text()

    def shown_values(self) -> dict[Value, float]:
        """Values known at this step: inputs, constants and the nodes computed so far."""
        order = self.root.topological_order()
        known = {n: n.data for n in order if not n.inputs}
        done = self.forward_steps[: self.index + 1] if self.phase == "forward" \
            else self.forward_steps
        known.update({step.node: step.value for step in done})
        return known

    def shown_grads(self) -> dict[Value, float]:
        """Gradients known at this step: none while forward; then as accumulated so far."""
        if self.phase == "forward":
            return {}
        known = {self.root: self.upstream_grad}
        for step in self.backward_steps[: self.index - len(self.forward_steps) + 1]:
            for contribution in step.contributions:
                known[contribution.input] = contribution.grad_after
        return known

    @property
    def figsize(self) -> tuple[float, float]:
        return _fit_width(graph_figsize(self.root))

    def draw(self, fig=None):
        """Draw the graph at this step into ``fig`` (cleared) or a new Figure; returns it."""
        fig = _fresh_figure(fig, self.figsize)
        draw_graph(self.root, step=self.current_step, values=self.shown_values(),
                   grads=self.shown_grads(), title=self.description, ax=fig.add_subplot())
        return fig


# ------------------------------------------------------------------------------------------
# Network stepper
# ------------------------------------------------------------------------------------------
def _num(x, latex=True) -> str:
    return format_number(float(x), 3, latex=latex)


def _row(vector, latex=True) -> str:
    """A row vector: LaTeX bmatrix, or "[1, 2]" in text."""
    vector = np.asarray(vector, dtype=np.float64).reshape(-1)
    if not latex:
        return "[" + ", ".join(_num(v, False) for v in vector) + "]"
    return r"\begin{bmatrix}" + " & ".join(_num(v) for v in vector) + r"\end{bmatrix}"


def _matrix(matrix, latex=True) -> str:
    matrix = np.asarray(matrix, dtype=np.float64)
    if not latex:
        return "[" + "; ".join(", ".join(_num(v, False) for v in row) for row in matrix) + "]"
    rows = [" & ".join(_num(v) for v in row) for row in matrix]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


_ACTIVATION_LATEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{ReLU}",
                     "identity": r"\operatorname{id}", "softmax": r"\operatorname{softmax}"}
_LOSS_LATEX = {
    "mse": r"\tfrac{1}{2}\lVert a^{[L]} - y \rVert^2",
    "binary_cross_entropy": r"-\left[y \log a^{[L]} + (1 - y) \log(1 - a^{[L]})\right]",
    "softmax_cross_entropy": r"-\log \operatorname{softmax}(a^{[L]})_{y}",
}


class NetworkStep:
    """One step of the network stepper.

    Attributes:
        phase: "forward", "loss", "backward" or "update".
        kind: "weighted_sum", "activation", "loss", "delta", "gradients" or "update".
        layer: the layer 1..L it works on (L + 1 for the loss, None for the update).
        title: a short heading, e.g. "layer 1: weighted sum".
        text: the step with its numbers, plain text.
        latex: the step with its numbers, LaTeX (lines joined by \\\\).
        values: the arrays this step computes, by name, e.g. {"z": (n_l,) array}.
    """

    def __init__(self, phase, kind, layer, title, text, latex, values):
        self.phase, self.kind, self.layer = phase, kind, layer
        self.title, self.text, self.latex, self.values = title, text, latex, values

    def __repr__(self):
        return f"NetworkStep({self.phase!r}, {self.kind!r}, layer={self.layer})"


class NetworkStepperState(_Stepper):
    """One training step of a small network on one input, in steps a lesson can show.

    Forward layer by layer (weighted sum, then activation), then the loss, then backward
    layer by layer (delta, then dW, db and the gradient for the layer before), then the
    gradient-descent update with the weights before and after.

    Args:
        network: a Network whose Dense layers are each followed by an ActivationLayer (as
            ``build_network`` makes); it is copied, the caller's network is not changed.
            Default: build_network([2, 3, 1], hidden="sigmoid", output="sigmoid").
        x: the input, shape (n_inputs,); default [0.5, -1.0] (zeros if the size differs).
        target: the target, shape (n_outputs,), or a class index for softmax_cross_entropy;
            default ones.
        loss: "mse", "binary_cross_entropy" or "softmax_cross_entropy".
        lr: the learning rate of the update.

    Attributes a notebook can check:
        index, n_steps, phase, current_step (a NetworkStep), current_latex, current_text,
        description, steps, record (the LayerRecords after forward and backward),
        loss_value, loss_after (on this input after the update), updated_network.
    """

    def __init__(self, network: Network | None = None, x=None, target=None, *, loss="mse",
                 lr: float = 0.5):
        if network is None:
            network = build_network([2, 3, 1], hidden="sigmoid", output="sigmoid", rng=0)
        if not isinstance(network, Network):
            raise TypeError(f"network must be a Network; got {type(network).__name__}")
        self.network = network.copy()
        self._check_layers()
        self.loss = get_loss(loss)
        self.lr = SGD(lr).lr
        n_in, n_out = self.network.n_inputs, self.network.n_outputs
        if x is None:
            x = [0.5, -1.0] if n_in == 2 else np.zeros(n_in)
        self.x = np.asarray(x, dtype=np.float64).reshape(-1)
        if self.x.shape != (n_in,) or not np.all(np.isfinite(self.x)):
            raise ValueError(f"x must be {n_in} finite numbers (one input); got {x!r}")
        if target is None:
            target = 0 if self.loss.name == "softmax_cross_entropy" else np.ones(n_out)
        if self.loss.name == "softmax_cross_entropy" and np.ndim(target) == 0:
            self.target = np.array([int(target)])
        else:
            self.target = np.asarray(target, dtype=np.float64).reshape(1, -1)
        self.index = 0
        self._run()

    def _check_layers(self):
        kinds = ["dense" if hasattr(layer, "W") else "activation"
                 for layer in self.network.layers]
        if kinds != ["dense", "activation"] * (len(kinds) // 2) or len(kinds) % 2:
            raise ValueError("the network stepper needs each Dense layer followed by an "
                             f"ActivationLayer (as build_network makes); got {self.network}")

    def _run(self):
        net = self.network
        output = net.forward(self.x[None, :], record=True)
        self.loss_value = float(self.loss.value(output, self.target))
        self.output_grad = np.asarray(self.loss.gradient(output, self.target))
        net.backward(self.output_grad)
        self.record = net.record
        self.updated_network = net.copy()
        SGD(self.lr).step(self.updated_network)
        after = self.updated_network.forward(self.x[None, :])
        self.loss_after = float(self.loss.value(after, self.target))
        self.steps = self._build_steps()

    @property
    def n_layers(self) -> int:
        return len(self.record) // 2

    def layer_records(self, layer: int):
        """(dense record, activation record) of layer 1..L."""
        return self.record[2 * layer - 2], self.record[2 * layer - 1]

    @property
    def current_step(self) -> NetworkStep:
        return self.steps[self.index]

    @property
    def phase(self) -> str:
        return self.current_step.phase

    @property
    def current_latex(self) -> str:
        return self.current_step.latex

    @property
    def current_text(self) -> str:
        return self.current_step.text

    @property
    def description(self) -> str:
        return f"step {self.index + 1} of {self.n_steps}: {self.current_step.title}"

    # the steps ----------------------------------------------------------------------------
    def _build_steps(self) -> list[NetworkStep]:
        steps = []
        for layer in range(1, self.n_layers + 1):
            steps += self._forward_steps(layer)
        steps.append(self._loss_step())
        for layer in range(self.n_layers, 0, -1):
            steps += self._backward_steps(layer)
        steps.append(self._update_step())
        return steps

    def _forward_steps(self, l):
        dense, act = self.layer_records(l)
        a_prev = "x" if l == 1 else f"a^{{[{l - 1}]}}"
        a_prev_text = "x" if l == 1 else f"a{l - 1}"
        x, z, a = dense.input[0], dense.output[0], act.output[0]
        f = _ACTIVATION_LATEX.get(act.name, act.name)
        weighted = NetworkStep(
            "forward", "weighted_sum", l, f"layer {l}: weighted sum",
            f"z{l} = {a_prev_text} W{l} + b{l} = {_row(x, False)} {_matrix(dense.W, False)} "
            f"+ {_row(dense.b, False)} = {_row(z, False)}",
            rf"z^{{[{l}]}} = {a_prev}\, W^{{[{l}]}} + b^{{[{l}]}} = {_row(x)} "
            rf"{_matrix(dense.W)} + {_row(dense.b)} = {_row(z)}",
            {"z": z})
        activation = NetworkStep(
            "forward", "activation", l, f"layer {l}: activation ({act.name})",
            f"a{l} = {act.name}(z{l}) = {act.name}({_row(z, False)}) = {_row(a, False)}",
            rf"a^{{[{l}]}} = {f}(z^{{[{l}]}}) = {f}\left({_row(z)}\right) = {_row(a)}",
            {"a": a})
        return [weighted, activation]

    def _loss_step(self):
        L = self.n_layers
        a = self.record[-1].output[0]
        name = self.loss.name
        target = self.target.reshape(-1)
        target_latex = _num(target[0]) if target.size == 1 else _row(target)
        grad = self.output_grad[0]
        text = (f"L = {name}(a{L}, y) = {name}({_row(a, False)}, {_row(target, False)}) = "
                f"{_num(self.loss_value, False)}; dL/da{L} = {_row(grad, False)}")
        formula = _LOSS_LATEX.get(name, name).replace("[L]", f"[{L}]")
        latex = (rf"L = {formula} = {_num(self.loss_value)}"
                 rf"\quad\text{{with }} a^{{[{L}]}} = {_row(a)},\ y = {target_latex}"
                 rf" \\ \frac{{\partial L}}{{\partial a^{{[{L}]}}}} = {_row(grad)}")
        return NetworkStep("loss", "loss", L + 1, "loss", text, latex,
                           {"loss": self.loss_value, "dL/da": grad})

    def _backward_steps(self, l):
        dense, act = self.layer_records(l)
        g, delta = act.upstream_grad[0], act.downstream_grad[0]
        z = act.input[0]
        f = _ACTIVATION_LATEX.get(act.name, act.name)
        if act.name == "softmax":
            slope_text, slope_latex = "J_softmax(z)^T", r"J_{\operatorname{softmax}}^{\top}"
            delta_text = f"delta{l} = J(z{l})^T dL/da{l} = {_row(delta, False)}"
            delta_latex = (rf"\delta^{{[{l}]}} = {slope_latex}\,"
                           rf"\frac{{\partial L}}{{\partial a^{{[{l}]}}}} = {_row(delta)}")
        else:
            slope = get_activation(act.name).derivative(z)
            slope_text = _row(slope, False)
            delta_text = (f"delta{l} = dL/da{l} * {act.name}'(z{l}) = {_row(g, False)} * "
                          f"{slope_text} = {_row(delta, False)}")
            delta_latex = (rf"\delta^{{[{l}]}} = \frac{{\partial L}}{{\partial a^{{[{l}]}}}}"
                           rf" \odot {f}'(z^{{[{l}]}}) = {_row(g)} \odot {_row(slope)} = "
                           rf"{_row(delta)}")
        delta_step = NetworkStep("backward", "delta", l, f"layer {l}: delta", delta_text,
                                 delta_latex, {"delta": delta})
        a_prev_t = r"x^{\top}" if l == 1 else rf"a^{{[{l - 1}]\top}}"
        a_prev_text = "x" if l == 1 else f"a{l - 1}"
        lines = [
            rf"\frac{{\partial L}}{{\partial W^{{[{l}]}}}} = {a_prev_t}\, \delta^{{[{l}]}}"
            rf" = {_matrix(dense.dW)}",
            rf"\frac{{\partial L}}{{\partial b^{{[{l}]}}}} = \delta^{{[{l}]}} = {_row(dense.db)}",
        ]
        text = (f"dL/dW{l} = {a_prev_text}^T delta{l} = {_matrix(dense.dW, False)}; "
                f"dL/db{l} = delta{l} = {_row(dense.db, False)}")
        values = {"dW": dense.dW, "db": dense.db}
        if l > 1:
            upstream = dense.downstream_grad[0]
            lines.append(rf"\frac{{\partial L}}{{\partial a^{{[{l - 1}]}}}} = \delta^{{[{l}]}}"
                         rf" W^{{[{l}]\top}} = {_row(upstream)}")
            text += f"; dL/da{l - 1} = delta{l} W{l}^T = {_row(upstream, False)}"
            values["dL/da_prev"] = upstream
        gradients = NetworkStep("backward", "gradients", l, f"layer {l}: gradients dW, db",
                                text, r" \\ ".join(lines), values)
        return [delta_step, gradients]

    def _update_step(self):
        lines, texts, values = [], [], {}
        new_dense = [layer for layer in self.updated_network.layers if hasattr(layer, "W")]
        for l in range(1, self.n_layers + 1):
            dense, _ = self.layer_records(l)
            new = new_dense[l - 1]
            eta = _num(self.lr)
            lines.append(rf"W^{{[{l}]}} \leftarrow W^{{[{l}]}} - \eta\, "
                         rf"\frac{{\partial L}}{{\partial W^{{[{l}]}}}} = {_matrix(dense.W)} - "
                         rf"{eta}\,{_matrix(dense.dW)} = {_matrix(new.W)}")
            lines.append(rf"b^{{[{l}]}} \leftarrow {_row(dense.b)} - {eta}\,{_row(dense.db)}"
                         rf" = {_row(new.b)}")
            texts.append(f"W{l}: {_matrix(dense.W, False)} -> {_matrix(new.W, False)}; "
                         f"b{l}: {_row(dense.b, False)} -> {_row(new.b, False)}")
            values[f"W{l}"], values[f"b{l}"] = new.W.copy(), new.b.copy()
        lines.append(rf"\text{{loss on this input: }} {_num(self.loss_value)} \to "
                     rf"{_num(self.loss_after)}")
        texts.append(f"loss {_num(self.loss_value, False)} -> {_num(self.loss_after, False)}")
        values["loss_after"] = self.loss_after
        return NetworkStep("update", "update", None, f"gradient-descent update (lr = "
                           f"{self.lr:g})", f"update with lr = {self.lr:g}: " + "; ".join(texts),
                           r" \\ ".join(lines), values)

    # the picture --------------------------------------------------------------------------
    def view(self) -> dict:
        """The keyword arguments of ``draw_network`` for the current step."""
        L = self.n_layers
        done = self.steps[: self.index + 1]
        z = [None] * L
        a = [None] * L
        deltas = [None] * L
        for step in done:
            if step.kind == "weighted_sum":
                z[step.layer - 1] = step.values["z"]
            elif step.kind == "activation":
                a[step.layer - 1] = step.values["a"]
            elif step.kind == "delta":
                deltas[step.layer - 1] = step.values["delta"]
        step = self.current_step
        weight_grads = [None] * L
        if step.kind == "gradients":
            weight_grads[step.layer - 1] = step.values["dW"]
        weights = None
        if step.kind == "update":
            weights = [layer.W for layer in self.updated_network.layers if hasattr(layer, "W")]
        past_loss = any(s.kind == "loss" for s in done)
        sizes = [self.network.n_inputs] + [r.output.shape[1] for r in self.record[::2]]
        return dict(x=self.x, pre_activations=z, activations=a, deltas=deltas,
                    weights=weights, weight_grads=weight_grads,
                    target=self.target.reshape(-1) if past_loss else None,
                    loss=self.loss_value if past_loss else None,
                    highlight=step.layer,
                    weight_labels="all" if max(sizes) <= 4 else "highlighted")

    @property
    def figsize(self) -> tuple[float, float]:
        return _fit_width(network_figsize(self.network, with_loss=True))

    def draw(self, fig=None):
        """Draw the network at this step into ``fig`` (cleared) or a new Figure; returns it."""
        fig = _fresh_figure(fig, self.figsize)
        draw_network(self.network, title=self.description, ax=fig.add_subplot(),
                     loss_box=True, **self.view())
        return fig


# ------------------------------------------------------------------------------------------
# Activation explorer
# ------------------------------------------------------------------------------------------
class ActivationExplorerState:
    """An activation function at one point z: its value, its slope, and whether it saturates.

    Args:
        activation: "sigmoid", "tanh", "relu" or "identity".
        z: the pre-activation, clamped to ``z_range``.
        z_range: (low, high) of z.
        saturation: |f'(z)| below this counts as saturated (the gradient nearly vanishes).

    Attributes a notebook can check: activation, z, value (f(z)), slope (f'(z)),
        saturated (bool), current_latex, current_text.
    """

    ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")

    def __init__(self, activation="sigmoid", z=0.0, *, z_range=(-6.0, 6.0), saturation=0.05):
        low, high = (float(v) for v in z_range)
        if not low < high:
            raise ValueError(f"z_range must be (low, high) with low < high; got {z_range}")
        self.z_range = (low, high)
        self.saturation = float(saturation)
        self.activation = "sigmoid"
        self.z = 0.0
        self.set_activation(activation)
        self.set_z(z)

    def set_activation(self, name: str) -> None:
        """Choose the activation; ValueError (listing the valid names) for any other name."""
        if name not in self.ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}; valid: {', '.join(self.ACTIVATIONS)}")
        self.activation = name

    def set_z(self, z: float) -> float:
        """Move to ``z``, clamped to z_range (NaN keeps the old z); returns the new z."""
        z = float(z)
        if not math.isnan(z):
            self.z = min(max(z, self.z_range[0]), self.z_range[1])
        return self.z

    @property
    def value(self) -> float:
        return float(get_activation(self.activation).forward(np.array([self.z]))[0])

    @property
    def slope(self) -> float:
        return float(get_activation(self.activation).derivative(np.array([self.z]))[0])

    @property
    def saturated(self) -> bool:
        return abs(self.slope) < self.saturation

    @property
    def current_latex(self) -> str:
        f = _ACTIVATION_LATEX[self.activation]
        z = _num(self.z)
        return (rf"{f}({z}) = {_num(self.value)}, \qquad {f}'({z}) = {_num(self.slope)}")

    @property
    def current_text(self) -> str:
        name, z = self.activation, _num(self.z, False)
        text = (f"{name}({z}) = {_num(self.value, False)}, slope {name}'({z}) = "
                f"{_num(self.slope, False)}")
        if self.saturated:
            text += f" (saturated: |slope| < {self.saturation:g}, the gradient almost vanishes)"
        return text

    figsize = (8.0, 5.0)

    def draw(self, fig=None):
        fig = _fresh_figure(fig, self.figsize)
        plot_activation(self.activation, z=self.z, z_range=self.z_range,
                        saturation=self.saturation, ax=fig.add_subplot())
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.13, top=0.92)
        return fig


# ------------------------------------------------------------------------------------------
# Training explorer
# ------------------------------------------------------------------------------------------
class TrainingExplorerState:
    """A small classifier trained on a toy data set, epoch by epoch.

    Args:
        dataset: "xor", "two_moons", "circles" or "spirals".
        hidden: width of the one hidden layer (1..64).
        activation: hidden activation, "tanh", "relu" or "sigmoid".
        lr: learning rate (> 0).
        epochs: epochs one press of "train" runs (> 0).
        seed: seed of the data and of the initial weights.

    Two classes use a sigmoid output with binary cross-entropy; more classes an identity
    output with softmax cross-entropy. Full-batch gradient descent, so it is deterministic.

    Attributes a notebook can check: losses (one per epoch trained), epoch, accuracy,
        current_text, network, X, y.
    """

    DATASETS = ("xor", "two_moons", "circles", "spirals")
    ACTIVATIONS = ("tanh", "relu", "sigmoid")

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.seed = int(seed)
        self.dataset, self.hidden, self.activation = dataset, hidden, activation
        self.lr, self.epochs = lr, epochs
        self.X = self.y = None
        self.configure()  # checks the settings, loads the data, builds the network

    def configure(self, **changes) -> None:
        """Change dataset, hidden, activation, lr and/or epochs.

        A new data set, width or activation starts again with an untrained network; a new
        learning rate or number of epochs keeps the network, so training can go on with it.
        """
        settings = dict(dataset=self.dataset, hidden=self.hidden, activation=self.activation,
                        lr=self.lr, epochs=self.epochs)
        unknown = set(changes) - set(settings)
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}; valid: "
                             f"{', '.join(settings)}")
        settings.update(changes)
        if settings["dataset"] not in self.DATASETS:
            raise ValueError(f"unknown dataset {settings['dataset']!r}; valid: "
                             f"{', '.join(self.DATASETS)}")
        if settings["activation"] not in self.ACTIVATIONS:
            raise ValueError(f"unknown activation {settings['activation']!r}; valid: "
                             f"{', '.join(self.ACTIVATIONS)}")
        hidden = int(settings["hidden"])
        if not 1 <= hidden <= 64:
            raise ValueError(f"hidden must be a width from 1 to 64; got {settings['hidden']!r}")
        lr = SGD(settings["lr"]).lr
        epochs = int(settings["epochs"])
        if epochs < 1:
            raise ValueError(f"epochs must be at least 1; got {settings['epochs']!r}")
        model = (settings["dataset"], hidden, settings["activation"])
        self.lr, self.epochs = lr, epochs
        if model != (self.dataset, self.hidden, self.activation) or self.X is None:
            self.dataset, self.hidden, self.activation = model
            self.X, self.y = self._load_data()
            self.reset()

    def _load_data(self):
        make = DATASETS[self.dataset]
        X, y = make() if self.dataset == "xor" else make(seed=self.seed)
        return np.asarray(X, dtype=np.float64), np.asarray(y).astype(int)

    @property
    def n_classes(self) -> int:
        return int(self.y.max()) + 1

    @property
    def loss_name(self) -> str:
        return "binary_cross_entropy" if self.n_classes == 2 else "softmax_cross_entropy"

    def reset(self) -> None:
        """A fresh, untrained network (same seed, so the same start every time)."""
        binary = self.n_classes == 2
        sizes = [2, self.hidden, 1 if binary else self.n_classes]
        self.network = build_network(sizes, hidden=self.activation,
                                     output="sigmoid" if binary else "identity", rng=self.seed)
        self.losses: list[float] = []

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return len(self.losses)

    def _targets(self):
        return self.y.astype(np.float64) if self.n_classes == 2 else self.y

    def train(self, epochs: int | None = None, callback=None) -> list[float]:
        """Train ``epochs`` more epochs (default: self.epochs), one at a time.

        callback(done, total, loss) is called after each epoch (for a progress bar).
        Returns the losses of these epochs. FloatingPointError if training diverges (the
        learning rate is too large); the network is then reset.
        """
        total = self.epochs if epochs is None else int(epochs)
        if total < 1:
            raise ValueError(f"epochs must be at least 1; got {epochs!r}")
        new = []
        for done in range(1, total + 1):
            try:
                loss = train(self.network, self.X, self._targets(), loss=self.loss_name,
                             lr=self.lr, epochs=1, rng=self.seed)[0]
            except FloatingPointError:
                self.reset()
                raise
            self.losses.append(loss)
            new.append(loss)
            if callback is not None:
                callback(done, total, loss)
        return new

    def run_one_epoch(self) -> float:
        """Train exactly one more epoch; returns its loss."""
        return self.train(1)[0]

    @property
    def accuracy(self) -> float:
        """Fraction of the training points classified correctly, in [0, 1]."""
        scores = self.network.copy().forward(self.X)
        predicted = predicted_classes(scores)
        return float(np.mean(predicted == self.y))

    @property
    def current_text(self) -> str:
        if not self.losses:
            return f"untrained; accuracy {self.accuracy:.0%}"
        return (f"epoch {self.epoch}: loss {self.losses[-1]:.4f}, "
                f"accuracy {self.accuracy:.0%}")

    figsize = (11.0, 4.8)

    def draw(self, fig=None):
        """Loss curve (left) and decision boundary (right) in ``fig`` or a new Figure."""
        fig = _fresh_figure(fig, self.figsize)
        left, right = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.05]))
        plot_loss_curve(self.losses, ax=left, title="loss per epoch")
        plot_decision_boundary(self.network, self.X, self.y, ax=right, resolution=120,
                               title=f"{self.dataset}, epoch {self.epoch}")
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.22)
        return fig


# ------------------------------------------------------------------------------------------
# The views: ipywidgets around a state
# ------------------------------------------------------------------------------------------
def _safely(method):
    """Run a widget callback; show any error as a message instead of raising it."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # a control must never raise into the notebook
            self._show_message(f"{type(error).__name__}: {error}")
            return None

    return wrapper


class _View:
    """What every widget view shares: one fixed-size figure shown as a PNG image, a
    message line, and display in a notebook."""

    css_class = "backprop-widget"

    def _make_figure(self):
        """The Figure reused for every redraw, and the Image widget that shows it."""
        self._figure = new_figure(self.state.figsize)
        self._image = widgets.Image(format="png",
                                    layout=widgets.Layout(max_width="100%", height="auto"))

    def _redraw(self):
        self.state.draw(self._figure)
        self._image.value = figure_to_png(self._figure)

    def _show_message(self, text: str = "") -> None:
        self._message.value = (f'<span style="color:#D55E00">{html.escape(text)}</span>'
                               if text else "")

    def _finish(self, children):
        self._message = widgets.HTML()
        self.widget = widgets.VBox([*children, self._message])
        self.widget.add_class(self.css_class)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)

    def __repr__(self):
        return f"{type(self).__name__}({self.state.current_text})"


def _button(description, tooltip):
    return widgets.Button(description=description, tooltip=tooltip,
                          layout=widgets.Layout(width="auto"))


def _math(latex: str) -> str:
    """Display math for HTMLMath, large enough for a classroom; several lines are gathered
    one under the other."""
    if not latex:
        return ""
    return (rf'<div style="font-size: 1.3em; overflow-x: auto">$$\begin{{gathered}}{latex}'
            rf"\end{{gathered}}$$</div>")


class _StepperView(_View):
    """Buttons first / previous / next / last, a step slider, a heading and the equation."""

    def _make_controls(self):
        self._first = _button("first", "go to the first step")
        self._previous = _button("previous", "one step back")
        self._next = _button("next", "one step forward")
        self._last = _button("last", "go to the last step")
        self._slider = widgets.IntSlider(value=1, min=1, max=max(self.state.n_steps, 1),
                                         description="step", continuous_update=False)
        self._heading = widgets.HTML()
        self._heading.add_class("step-heading")
        self._equation = widgets.HTMLMath()
        self._equation.add_class("step-equation")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        for button in (self._first, self._previous, self._next, self._last):
            button.on_click(functools.partial(self._move, button.description))
        self._slider.observe(self._on_slider, names="value")
        self._syncing = False
        return widgets.HBox([self._first, self._previous, self._next, self._last,
                             self._slider])

    @_safely
    def _move(self, move: str, _button=None):
        """Apply the state's move "first", "previous", "next" or "last"."""
        getattr(self.state, move)()
        self._refresh()

    @_safely
    def _on_slider(self, change):
        if not self._syncing:
            self.state.go_to(change["new"] - 1)
            self._refresh()

    def _refresh(self):
        """Bring every control in line with the state, then redraw."""
        state = self.state
        self._syncing = True
        try:
            self._slider.max = max(state.n_steps, 1)
            self._slider.value = state.index + 1
        finally:
            self._syncing = False
        self._first.disabled = self._previous.disabled = state.at_start
        self._next.disabled = self._last.disabled = state.at_end
        self._heading.value = f"<b>{html.escape(state.description)}</b>"
        self._equation.value = _math(state.current_latex)
        self._text.value = f"<code>{html.escape(state.current_text)}</code>"
        self._show_message()
        self._redraw()


class GraphStepper(_StepperView):
    """Step through the forward and backward pass of any Value expression.

    Args:
        expression: the output Value, or a typed expression such as ``"(x + y) * z"``.
        upstream_grad: dL/d(output), 1.0 when the output is the loss itself.
        editable: show a text box to type a new expression (default: True for a typed one).
        **values: starting values of the inputs of a typed expression, e.g. x=2.0.

    Attributes: state (GraphStepperState), widget (the ipywidgets box).
    """

    css_class = "graph-stepper"

    def __init__(self, expression, *, upstream_grad=1.0, editable=None, **values):
        if isinstance(expression, str):
            self.state = GraphStepperState(parse_expression(expression, values),
                                           upstream_grad=upstream_grad)
        else:
            self.state = GraphStepperState(expression, upstream_grad=upstream_grad)
        editable = isinstance(expression, str) if editable is None else editable
        buttons = self._make_controls()
        self._make_figure()
        self._inputs = widgets.VBox()
        children = [self._heading, self._equation, self._text, self._image, buttons,
                    self._inputs]
        self._expression = None
        if editable:
            self._expression = widgets.Text(
                value=expression if isinstance(expression, str) else
                expression_text(self.state.root),
                description="expression", placeholder="e.g. (x + y) * z",
                continuous_update=False, layout=widgets.Layout(width="60%"))
            self._expression.observe(self._on_expression, names="value")
            children.append(self._expression)
        self._finish(children)
        self._make_input_sliders()
        self._refresh()

    def _make_input_sliders(self):
        sliders = []
        for name, value in self.state.inputs.items():
            low, high = min(-5.0, math.floor(value) - 1.0), max(5.0, math.ceil(value) + 1.0)
            slider = widgets.FloatSlider(value=value, min=low, max=high, step=0.1,
                                         description=name, continuous_update=False,
                                         readout_format=".2f")
            slider.observe(functools.partial(self._on_input, name), names="value")
            sliders.append(slider)
        self._inputs.children = sliders

    @_safely
    def _on_input(self, name, change):
        if self._syncing:
            return
        try:
            self.state.set_input(name, change["new"])
        except ValueError:
            self._syncing = True  # put the slider back where the state is
            change["owner"].value = self.state.inputs[name]
            self._syncing = False
            raise
        self._refresh()

    @_safely
    def _on_expression(self, change):
        values = self.state.inputs
        root = parse_expression(change["new"], values)
        self.state = GraphStepperState(root, upstream_grad=self.state.upstream_grad)
        self._figure = new_figure(self.state.figsize)  # the new graph may need another size
        self._make_input_sliders()
        self._refresh()


class NetworkStepper(_StepperView):
    """Step through one training step of a small network on one input.

    Takes the arguments of NetworkStepperState (network, x, target, loss, lr).
    Attributes: state (NetworkStepperState), widget (the ipywidgets box).
    """

    css_class = "network-stepper"

    def __init__(self, network=None, x=None, target=None, *, loss="mse", lr=0.5):
        self.state = NetworkStepperState(network, x, target, loss=loss, lr=lr)
        buttons = self._make_controls()
        self._make_figure()
        self._finish([self._heading, self._equation, self._text, self._image, buttons])
        self._refresh()


class ActivationExplorer(_View):
    """Choose an activation and move z: see f(z), the tangent of slope f'(z), and where the
    function saturates (shaded: |f'(z)| < 0.05).

    Takes the arguments of ActivationExplorerState. Attributes: state, widget.
    """

    css_class = "activation-explorer"

    def __init__(self, activation="sigmoid", z=0.0, *, z_range=(-6.0, 6.0), saturation=0.05):
        self.state = ActivationExplorerState(activation, z, z_range=z_range,
                                             saturation=saturation)
        self._choice = widgets.Dropdown(options=list(self.state.ACTIVATIONS),
                                        value=self.state.activation, description="activation")
        low, high = self.state.z_range
        self._z = widgets.FloatSlider(value=self.state.z, min=low, max=high, step=0.05,
                                      description="z", continuous_update=False,
                                      readout_format=".2f")
        self._equation = widgets.HTMLMath()
        self._equation.add_class("step-equation")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        self._make_figure()
        self._choice.observe(self._on_choice, names="value")
        self._z.observe(self._on_z, names="value")
        self._finish([widgets.HBox([self._choice, self._z]), self._equation, self._text,
                      self._image])
        self._refresh()

    @_safely
    def _on_choice(self, change):
        self.state.set_activation(change["new"])
        self._refresh()

    @_safely
    def _on_z(self, change):
        self.state.set_z(change["new"])
        self._refresh()

    def _refresh(self):
        self._equation.value = _math(self.state.current_latex)
        self._text.value = f"<code>{html.escape(self.state.current_text)}</code>"
        self._show_message()
        self._redraw()


class TrainingExplorer(_View):
    """Train a small classifier on a toy data set and watch the loss and the boundary.

    Controls: data set, hidden width, activation, learning rate, epochs; "train" starts
    again and runs the epochs with a progress bar, "one more epoch" continues, "reset"
    goes back to the untrained network. Takes the arguments of TrainingExplorerState.
    Attributes: state, widget.
    """

    css_class = "training-explorer"
    redraw_interval = 0.5  # seconds between pictures while training

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.state = TrainingExplorerState(dataset, hidden, activation, lr, epochs, seed)
        s = self.state
        style = {"description_width": "initial"}
        self._dataset = widgets.Dropdown(options=list(s.DATASETS), value=s.dataset,
                                         description="data set", style=style)
        self._hidden = widgets.IntSlider(value=s.hidden, min=1, max=32, description="hidden",
                                         continuous_update=False, style=style)
        self._activation = widgets.Dropdown(options=list(s.ACTIVATIONS), value=s.activation,
                                            description="activation", style=style)
        self._lr = widgets.FloatLogSlider(value=s.lr, base=10, min=-3, max=1, step=0.1,
                                          description="learning rate", readout_format=".3g",
                                          continuous_update=False, style=style)
        self._epochs = widgets.IntSlider(value=s.epochs, min=10, max=2000, step=10,
                                         description="epochs", continuous_update=False,
                                         style=style)
        self._train = _button("train", "start again and train for the chosen epochs")
        self._one_more = _button("one more epoch", "train one more epoch")
        self._reset = _button("reset", "back to the untrained network")
        self._progress = widgets.IntProgress(value=0, min=0, max=s.epochs,
                                             description="progress")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        self._make_figure()
        for control in (self._dataset, self._hidden, self._activation, self._lr,
                        self._epochs):
            control.observe(self._on_setting, names="value")
        self._train.on_click(self._on_train)
        self._one_more.on_click(self._on_one_more)
        self._reset.on_click(self._on_reset)
        self._finish([
            widgets.HBox([self._dataset, self._activation, self._hidden]),
            widgets.HBox([self._lr, self._epochs]),
            widgets.HBox([self._train, self._one_more, self._reset, self._progress]),
            self._text, self._image])
        self._refresh()

    @_safely
    def _on_setting(self, _change):
        self.state.configure(dataset=self._dataset.value, hidden=self._hidden.value,
                             activation=self._activation.value, lr=self._lr.value,
                             epochs=self._epochs.value)
        self._progress.value = 0
        self._refresh()

    @_safely
    def _on_train(self, _button=None):
        self.state.reset()
        total = self.state.epochs
        self._progress.max, self._progress.value = total, 0
        last_redraw = [time.monotonic()]

        def progress(done, total, loss):
            self._progress.value = done
            if done == total or time.monotonic() - last_redraw[0] > self.redraw_interval:
                self._refresh()
                last_redraw[0] = time.monotonic()

        self._set_busy(True)
        try:
            self.state.train(callback=progress)
        finally:
            self._set_busy(False)

    @_safely
    def _on_one_more(self, _button=None):
        self.state.run_one_epoch()
        self._refresh()

    @_safely
    def _on_reset(self, _button=None):
        self.state.reset()
        self._progress.value = 0
        self._refresh()

    def _set_busy(self, busy: bool):
        for control in (self._train, self._one_more, self._reset):
            control.disabled = busy

    def _refresh(self):
        self._text.value = f"<b>{html.escape(self.state.current_text)}</b>"
        self._show_message()
        self._redraw()
