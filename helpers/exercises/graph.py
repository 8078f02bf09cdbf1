"""Checks for lesson 03 (The chain rule on a graph).

``check_local_derivative``: d(out)/d(input) of one operation of the scalar graph, any row of
``helpers.graph.OPERATIONS`` (its value, local derivatives, domain and written form all come
from that row, so a newly registered operation is checked with no edit here);
``check_graph_gradient``: d(output)/d(node) on a graph where a node may be used several times;
an answer that counts only one use of some reused node is told which nodes are used twice.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from .._validate import as_float_array
from ..graph import Operation, Value, apply_operation, get_operation
from ..notation import format_number
from .answers import _describe_point
from .feedback import Feedback, _check, _wrong
from .judging import Mistakes, _evaluate

__all__ = ["check_graph_gradient", "check_local_derivative"]


# --- one operation at plain numbers, read from the table of operations --------------------


def _split(operation: Operation, values: Sequence):
    """(inputs, constant exponent p or None): an operation such as x ** p has its exponent
    after its inputs."""
    if operation.has_exponent:
        return list(values[:operation.arity]), values[operation.arity]
    return list(values), None


def _local_grads(op: str, values: Sequence[float]) -> tuple[float, tuple[float, ...]]:
    """(value, local derivatives d out / d input_i) of one operation at plain numbers, from its
    row of the table, through apply_operation (which raises ValueError or OverflowError where
    the operation is not defined).

    The graph holds an exponent p (of x ** p) constant, so its row has no d out / dp; an
    exercise may still ask for it, so it is added from central differences of the row's value
    (nan where the operation is not defined at p ± h).
    """
    inputs, p = _split(get_operation(op), values)
    node = apply_operation(op, inputs, p)
    if p is None:
        return node.data, node.local_grads
    h = 1e-5 * max(1.0, abs(p))
    try:
        up, down = (apply_operation(op, inputs, p + step).data for step in (h, -h))
    except (ArithmeticError, ValueError):
        return node.data, (*node.local_grads, math.nan)
    return node.data, (*node.local_grads, (up - down) / (2 * h))


def _is_defined(op: str, values: Sequence[float], i: int) -> bool:
    """True when op and its derivative with respect to input i are finite numbers at values
    (log needs x > 0, / a nonzero divisor, ** a positive base for a fractional power...)."""
    try:
        value, local_grads = _local_grads(op, values)
    except (ArithmeticError, ValueError):
        return False
    return all(isinstance(r, numbers.Real) and math.isfinite(r) for r in (value, local_grads[i]))


def _expression(op: str, names: Sequence[str]) -> str:
    """The operation written with these input names, as a learner types it: "x / y",
    "exp(x)", "x ** p" (the exponent's name is the last name)."""
    operation = get_operation(op)
    inputs, p = _split(operation, names)
    return operation.text.format(*inputs, p=p)


def _local_mistakes(op: str, values: Sequence[float], i: int, names: Sequence[str]) -> Mistakes:
    """Typical wrong local derivatives: the value itself, the derivative with respect to the
    other input, and the mistakes learners make with one particular operation."""
    x, y, other = values[0], values[-1], names[-1]
    mistakes = [(lambda: _local_grads(op, values)[0],
                 f"that is the value of {_expression(op, names)} itself, not its derivative.")]
    if len(values) == 2 and op != "-":  # for "-" the other input's derivative is a sign flip
        mistakes.append((lambda: _local_grads(op, values)[1][1 - i], "that is the derivative "
                         f"with respect to {names[1 - i]}; this one is with respect to "
                         f"{names[i]}."))
    return mistakes + {
        ("/", 0): [(lambda: y, f"dividing by {other} multiplies by 1 / {other}.")],
        ("/", 1): [(lambda: -x / y, f"the derivative of 1 / {other} is -1 / {other}**2: "
                    "you forgot the square."),
                   (lambda: -1 / y**2, f"you dropped the factor {names[0]}: holding "
                    f"{names[0]} still, it stays in front of the derivative of 1 / {other}."),
                   (lambda: -(x / y) ** 2, f"you squared {names[0]} too: only 1 / {other} "
                    f"changes when {other} is nudged, and {names[0]} stays a plain factor.")],
        ("**", 0): [(lambda: x ** (y - 1), "you forgot the factor p in front: "
                     "d(x**p)/dx = p * x**(p - 1)."),
                    (lambda: y * x**y, "the power drops by one: d(x**p)/dx = p * x**(p - 1).")],
        ("log", 0): [(lambda: math.exp(x), "that is the derivative of exp; log's is 1 / x.")],
        ("sigmoid", 0): [(lambda: x * (1 - x), "you put the input into s * (1 - s); "
                          "first compute s = sigmoid(input).")],
        ("tanh", 0): [(lambda: 1 - x**2, f"you put the input {names[0]} into "
                       f"1 - tanh({names[0]})**2 as if tanh({names[0]}) were {names[0]}; "
                       f"first compute tanh({names[0]}).")],
    }.get((op, i), [])


def _graph_node_problem(node: Value, wrt):
    """(op, input values, input names, wrt index) of a graph node; x ** p gives (x, p)."""
    values = [float(v.data) for v in node.inputs]
    names = [v.name for v in node.inputs]
    if isinstance(wrt, Value):
        matches = [k for k, v in enumerate(node.inputs) if v is wrt]
        if not matches:
            raise ValueError(f"wrt must be one of the inputs of the node: {', '.join(names)}")
        wrt = matches[0]
    if node.exponent is not None:
        values.append(float(node.exponent))
        names.append(format_number(node.exponent))
    return node.op, values, names, wrt


@_check
def check_local_derivative(answer, op, inputs=None, wrt=0) -> Feedback:
    """Check a local derivative d(out)/d(input) of one operation of a computational graph.

    Give the operation either as
      - a name of helpers.graph.OPERATIONS ("+", "-", "*", "/", "**", "neg", "exp", "log",
        "sigmoid", "tanh", "relu" or any registered one), with inputs its input numbers, a
        sequence (x, y) or a dict {"x": 2.0, "y": 3.0} ((base, exponent) for "**"), and wrt
        the input's index or dict key; or
      - a graph node (helpers.graph.Value) as op, with wrt one of its input nodes.
    answer: a number, or a function of the input numbers f(x, y) (f(x, p) for "**") returning
    it; a function is also tried at other inputs (the exponent of "**" stays).
    """
    if isinstance(op, Value):
        op, values, names, wrt = _graph_node_problem(op, wrt)
    elif isinstance(inputs, dict):
        names, values = list(inputs), [float(v) for v in inputs.values()]
    else:
        values = [float(v) for v in np.atleast_1d(as_float_array(inputs, "inputs"))]
        names = ["x", "y"][: len(values)]
    operation = get_operation(op)
    n_inputs = operation.arity + operation.has_exponent  # x ** p: x and the exponent p
    if len(values) != n_inputs:
        raise ValueError(f"operation {op!r} takes {n_inputs} input(s); got {len(values)}")
    i = names.index(wrt) if isinstance(wrt, str) and wrt in names else wrt
    if not isinstance(i, int) or not 0 <= i < len(values):
        raise ValueError(f"wrt must be one of the inputs {names} or its index; got {wrt!r}")
    if not _is_defined(op, values, i):
        raise ValueError(
            f"{_expression(op, names)} or its derivative is not defined at "
            f"{_describe_point(names, values)}; expected inputs where both are finite numbers"
        )

    def sample(rng):  # inputs of either sign, or positive ones where the operation needs that
        magnitudes = rng.uniform(0.5, 2.5, size=len(values))
        for new in (magnitudes * rng.choice([-1.0, 1.0], len(values)), magnitudes):
            new = [*new[:operation.arity], *values[operation.arity:]]  # the exponent stays
            if _is_defined(op, new, i):
                return new
        return values

    return _evaluate(
        answer, f"d({_expression(op, names)})/d{names[i]}", values, names,
        truth=lambda *v: np.asarray(_local_grads(op, v)[1][i]),
        mistakes=lambda *v: _local_mistakes(op, v, i, names),
        sample=sample,
    )


@_check
def check_graph_gradient(answer, output, wrt) -> Feedback:
    """Check d(output)/d(node) on a computational graph, where a node may feed several others.

    answer: a number. output: the graph's final node (a helpers.graph.Value), e.g. L or c;
    wrt: a node of its graph. Messages use the graph's display names (labels, else v1, v2, ...),
    e.g. "dc/da". The truth comes from a backward pass; the graph's grads are restored afterwards.
    """
    if not (isinstance(output, Value) and isinstance(wrt, Value)):
        raise TypeError("output and wrt must be graph nodes (helpers.graph.Value)")
    names = output.names()
    if wrt not in names:
        raise ValueError(f"wrt ({wrt.name}) is not a node of the graph of output ({output.name})")
    out, name = names[output], names[wrt]
    if isinstance(answer, Value):
        return _wrong(f"You passed a graph node; pass the number d{out}/d{name} "
                      f"(after {out}.backward(), it is {name}.grad).")
    if callable(answer):
        return _wrong(f"Your d{out}/d{name} should be a number, not a function.")
    nodes = output.topological_order()
    saved = [node.grad for node in nodes]
    try:
        steps = output.backward_steps()
        truth = float(wrt.grad)
    finally:
        for node, grad in zip(nodes, saved, strict=True):
            node.grad = grad
    mistakes = _one_share_mistakes(output, wrt, steps, names) + [
        (lambda: output.data, f"that is the value of {out}, not its derivative d{out}/d{name}.")]
    return _evaluate(answer, f"d{out}/d{name}", (), (), truth=lambda: np.asarray(truth),
                     mistakes=lambda: mistakes, praise=_chain_shown(steps, wrt, names, out))


def _chain_shown(steps, wrt: Value, names, out: str) -> str:
    """The praise: each gradient from the output back to wrt as its shares, upstream times
    local, one per use, e.g. "dc/db = 1 * 6 + 1 * 6 = 12, then dc/da = 12 * 1 + 12 * 1 = 24"."""
    show = lambda v: f"({format_number(v)})" if v < 0 else format_number(v)  # noqa: E731
    shares: dict[Value, list] = {}
    for step in steps:
        for c in step.contributions:
            if c.input is wrt or wrt in c.input.topological_order():
                shares.setdefault(c.input, []).append((step.upstream_grad, c.local_grad))
    parts = [f"d{out}/d{names[node]} = " + " + ".join(f"{show(u)} * {show(g)}" for u, g in terms)
             + f" = {format_number(sum(u * g for u, g in terms))}"
             for node, terms in shares.items()]
    return "Correct! Upstream times local, one share per use: " + ", then ".join(parts) + "."


def _one_share_mistakes(output: Value, wrt: Value, steps, names) -> list:
    """The gradients a learner gets who counts only one use of some nodes used more than once
    (any choice of nodes and of the use kept), each with a message that names every node whose
    uses were cut short to reach that number, without giving the shares away."""
    users: dict[Value, list[str]] = {}  # each non-constant input: the nodes using it, per use
    for step in steps:
        for c in step.contributions:
            users.setdefault(c.input, []).append(names[step.node])
    reused = [node for node, by in users.items() if len(by) > 1]
    choices: list[dict] = [{}]
    for node in reused:  # for each reused node: all uses counted, or only use j
        choices = [{**keep, node: j} for keep in choices for j in (None, *range(len(users[node])))]
        if len(choices) > 64:
            break
    order = output.topological_order()
    found: list[tuple[float, set]] = []
    for keep in choices:
        kept = {node: j for node, j in keep.items() if j is not None}
        if kept:
            value = _gradient_counting(order, output, wrt, kept)
            for number, nodes in found:
                if math.isclose(number, value, rel_tol=1e-9, abs_tol=1e-12):
                    nodes.update(kept)
                    break
            else:
                found.append((value, set(kept)))

    def uses(node) -> str:
        by = users[node]
        times = {2: "twice"}.get(len(by), f"{len(by)} times")
        where = (f"both by {by[0]}" if len(by) == 2 else f"all by {by[0]}") if len(set(by)) == 1 \
            else "by " + " and by ".join(dict.fromkeys(by))
        return f"{names[node]} is used {times} ({where})"

    return [(lambda v=value: v, "you counted only one use of a node used more than once: "
             + "; ".join(uses(node) for node in reused if node in nodes)
             + ". Each use adds its own share to the gradient: add up the shares of every use "
             "(this is why backward uses +=).") for value, nodes in found]


def _gradient_counting(order, output: Value, wrt: Value, kept: dict) -> float:
    """d output / d wrt by the chain rule, where each node in kept receives only the share of
    its use number kept[node] (in the backward pass's order) instead of the sum of all."""
    shares: dict[Value, list[float]] = {output: [1.0]}
    grads: dict[Value, float] = {}
    for node in reversed(order):
        got = shares.get(node, [0.0])
        grads[node] = got[kept[node]] if node in kept else sum(got)
        for inp, local in zip(node.inputs, node.local_grads, strict=True):
            shares.setdefault(inp, []).append(grads[node] * local)
    return grads[wrt]
