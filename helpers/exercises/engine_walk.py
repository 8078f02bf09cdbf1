"""Checks for lesson 03 (The chain rule on a graph), part 3: the backward pass of the learner's
own scalar engine (its rules: ``engine``).

``check_engine_backward``: ``backward(out)`` sets the grads to 0, ``out.grad = 1`` and calls each
node's rule in reverse topological order. The check builds two graphs in which one node feeds
two others with the learner's ``Node`` and rules of its own, which note when each ran, so it
sees whether a node passed its gradient on before it was complete; it runs ``backward`` twice.
Once ``backward`` is right, the learner's whole engine (their operations, rules and backward)
runs on a bigger expression: the verdict is correct only when that agrees with ``Value`` too,
and otherwise names the rules to fix.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..gradcheck import TOLERANCE
from ..graph import Value
from .answers import _a, _is_missing, _is_placeholder
from .engine import (
    _N,
    RULE_NAMES,
    _build,
    _cases,
    _central,
    _check_problem,
    _forward,
    _local,
    _read_grad,
    _run,
    _value_node,
    check_backward_rule,
)
from .feedback import Feedback, _attempt, _check, _correct, _not_done, _Stop, _wrong
from .judging import _close

__all__ = ["check_engine_backward"]


# Each graph: its formula, its leaves, and its operation nodes (name, op, inputs) in
# topological order. In both, one node feeds two others, so the order of the walk matters.
_GRAPHS = (
    ("out = s + tanh(s) with s = x * y", ("x", "y"),
     (("s", "*", ("x", "y")), ("t", "tanh", ("s",)), ("out", "+", ("s", "t")))),
    ("out = max(h, c) * h with h = tanh(w * x + b)", ("w", "x", "b", "c"),
     (("p", "*", ("w", "x")), ("z", "+", ("p", "b")), ("h", "tanh", ("z",)),
      ("m", "max", ("h", "c")), ("out", "*", ("m", "h")))),
)
DEMO = ("L = max(tanh(w * x + b), relu(x * c)) * w + tanh(w * x + b)", ("w", "x", "b", "c"),
        (("p", "*", ("w", "x")), ("z", "+", ("p", "b")), ("h", "tanh", ("z",)),
         ("q", "*", ("x", "c")), ("r", "relu", ("q",)), ("m", "max", ("h", "r")),
         ("n", "*", ("m", "w")), ("out", "+", ("n", "h"))))
DEMO_POINT = {"w": 0.7, "x": -1.2, "b": 0.4, "c": -0.9}
_METHODS = {"+": "__add__", "*": "__mul__", "tanh": "tanh", "relu": "relu", "max": "max"}


def _recording_rule(op: str, calls: list, owner: list):
    """The check's own rule for op, noting (out, out.grad) each run; owner: [its node]."""
    def rule(out):
        if owner and out is not owner[0]:
            raise _Stop(_wrong("Your backward is not right: it called a node's backward_rule "
                               "with another node; call it with that node: "
                               "node.backward_rule(node)."))
        calls.append((out, out.grad))
        x = [float(node.data) for node in out.inputs]
        for node, local in zip(out.inputs, _local(op, x, float(out.data)), strict=True):
            node.grad += out.grad * local
    return rule


def _forward_graph(ops, values: dict) -> dict:
    """Every node's value, from the leaves' values."""
    data = dict(values)
    for name, op, inputs in ops:
        data[name] = _forward(op, [data[i] for i in inputs])
    return data


def _value_graph(leaves, ops, values, formula) -> dict:
    """d out / d(node) for every node, from Value, confirmed on the leaves by central
    differences."""
    nodes = {name: Value(values[name]) for name in leaves}
    for name, op, inputs in ops:
        nodes[name] = _value_node(op, [nodes[i] for i in inputs])
    nodes["out"].backward()
    _central(lambda v: _forward_graph(ops, dict(zip(leaves, v, strict=True)))["out"],
             [values[n] for n in leaves], np.array([nodes[n].grad for n in leaves]), formula)
    return {name: node.grad for name, node in nodes.items()}


def _walk_problem(answer, node_class, leaves, ops, values, formula) -> str | None:
    """None when backward(out) is right on this graph (run twice), else why not."""
    truth = _value_graph(leaves, ops, values, formula)
    calls: list = []
    nodes = {name: _build(node_class, values[name]) for name in leaves}
    data = _forward_graph(ops, values)
    for name, op, inputs in ops:
        owner: list = []
        nodes[name] = _build(node_class, data[name], [nodes[i] for i in inputs],
                             _recording_rule(op, calls, owner))
        owner.append(nodes[name])
    names = {id(node): name for name, node in nodes.items()}
    where = f"\n    on the graph {formula}"
    for run in (1, 2):
        calls.clear()
        _run(answer, nodes["out"], "backward(out)")
        got = {name: _read_grad(node, name, "backward(out)") for name, node in nodes.items()}
        ran = [names[id(node)] for node, _ in calls]
        if run == 1 and not calls:
            if not any(got.values()) and _is_placeholder(answer):
                raise _Stop(_not_done("backward(out) changed no .grad; fill in its body."))
            return ("it ran no backward_rule: after setting out.grad = 1, call "
                    "node.backward_rule(node) for each node that has one.")
        for name, _, _ in reversed(ops):
            if ran.count(name) != 1:
                times = "never ran" if name not in ran else f"ran {ran.count(name)} times"
                return (f"{name}'s backward_rule {times}; walk over the order once, calling "
                        "each node's rule once." + where)
        at_call = {names[id(node)]: grad for node, grad in calls}
        if not math.isclose(at_call["out"], 1.0, rel_tol=TOLERANCE):
            return (f"when out's rule ran, out.grad was {_N(at_call['out'])}: start the walk "
                    "with out.grad = 1 (d out / d out), after setting the grads to 0." + where)
        for name in ran:
            if _close(np.array(at_call[name]), np.array(truth[name])):
                continue
            users = ", ".join(n for n, _, inputs in ops if name in inputs)
            seen = (f"when {name}'s rule ran, {name}.grad was {_N(at_call[name])}, while its "
                    f"users ({users}) give it {_N(truth[name])} in all")
            if ran == [n for n, _, _ in reversed(ops)]:  # the right order: the grads were wrong
                if run == 1 and _close(np.array(at_call[name]), np.array(truth[name] + 1.0)):
                    return ("you set the grads to 1 before the walk; they start at 0, and only "
                            "out.grad is 1 (d out / d out)." + where)
                if run == 2:
                    return (f"a second backward(out) on the same graph went wrong: {seen}. The "
                            "grads of the first pass were still there, and the rules add to "
                            "them: set every node's grad to 0 before the walk." + where)
                return (f"the order is right, but {seen}: a grad was changed during the walk. "
                        "Set every grad to 0 before the walk, not inside it." + where)
            if ran == [n for n, _, _ in ops]:
                why = ("You walked the order forwards, inputs first; backward must walk from "
                       "out back to the inputs.")
            else:
                why = ("The walk is not in reverse topological order: a node must come after "
                       "all the nodes that use it.")
            return f"{name} passed on its gradient before it was complete: {seen}. {why}" + where
        wrong = [n for n in got if not _close(np.array(got[n]), np.array(truth[n]))]
        if wrong:
            shown = ", ".join(f"{n}.grad = {_N(got[n])} (expected {_N(truth[n])})"
                              for n in wrong[:3])
            return f"after backward(out): {shown}." + where
    return None


def _demonstration(answer, node_class) -> tuple[bool, str]:
    """(whether it agrees, a line on it): the learner's whole engine (their Node operations,
    rules and backward) on a bigger expression, compared with Value."""
    formula, leaves, ops = DEMO
    truth = _value_graph(leaves, ops, DEMO_POINT, formula)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nodes = {n: node_class(DEMO_POINT[n]) for n in leaves}
            for name, op, inputs in ops:
                first, *rest = (nodes[i] for i in inputs)
                nodes[name] = getattr(first, _METHODS[op])(*rest)
            answer(nodes["out"])
            got = [float(nodes[n].grad) for n in leaves]
    except Exception as error:
        return False, (f"your whole engine could not run {formula} ({type(error).__name__}: "
                       f"{error}).")
    shown = ", ".join(f"{n}.grad = {_N(g)}" for n, g in zip(leaves, got, strict=True))
    point = ", ".join(f"{n} = {_N(v)}" for n, v in DEMO_POINT.items())
    if _close(np.array(got), np.array([truth[n] for n in leaves])):
        return True, (f"Your whole engine (Node's operations, your five rules and this "
                      f"backward) on {formula} at {point}: {shown}, the same as Value.")
    return False, (f"your whole engine on {formula} at {point} gives {shown}, while Value gives "
                   + ", ".join(_N(truth[n]) for n in leaves) + ".")


def _rule_verdicts(node_class) -> list[tuple[str, Feedback]]:
    """(name, verdict) of each rule that the class's operations use and that is not right."""
    failing = []
    for op, method in _METHODS.items():
        def verdict(op=op, method=method):
            a = node_class(0.5)
            rule = getattr(a, method)(*[node_class(-0.3)][:len(_cases(op)[0].values) - 1])
            return check_backward_rule.__wrapped__(rule.backward_rule, op, node_class)
        try:
            feedback = _attempt(verdict)
        except Exception as error:  # an operation of the class that raises
            feedback = _wrong(f"{type(error).__name__}: {error}")
        if not feedback.correct:
            failing.append((RULE_NAMES[op], feedback))
    return failing


def _engine_verdict(answer, node_class) -> Feedback:
    """The verdict once backward itself is right: correct only when the learner's whole
    engine agrees with Value too; else which rules to fix."""
    right = ("agrees with Value on two graphs where one node feeds two others, at 4 points: "
             "it sets every grad to 0, starts from out.grad = 1 and walks in reverse "
             "topological order.")
    same, line = _demonstration(answer, node_class)
    if same:
        return _correct(f"Correct! Your backward {right}\n{line}")
    failing = _rule_verdicts(node_class)
    names = " and ".join(name for name, _ in failing) or "a rule above"
    head = f"Your backward is right: it {right}\n    But {line}\n    "
    if failing and not any(feedback.done for _, feedback in failing):
        return _not_done(head + f"Still to write: {names}; then run this check again.")
    return _wrong(head + f"Fix {names} (run {'its' if len(failing) < 2 else 'their'} "
                  "check above), then run this check again.")


@_check
def check_engine_backward(answer, node_class) -> Feedback:
    """Check backward(out): grads to 0, out.grad = 1, each node's rule in reverse topological
    order. answer: the function; node_class: the lesson's Node(data, inputs=(), backward_rule=
    None), with which the check builds two graphs (rules of its own, which note each call)."""
    _check_problem(node_class)
    if _is_missing(answer):
        return _not_done("replace the None with your function backward(out).")
    if not callable(answer):
        return _wrong(f"Your backward should be a function of out; got {_a(answer)}.")
    rng = np.random.default_rng(3)
    for formula, leaves, ops in (*_GRAPHS, *_GRAPHS):  # each graph at two random points
        values = {n: round(float(rng.uniform(0.3, 1.5) * rng.choice([-1, 1])), 3) for n in leaves}
        problem = _walk_problem(answer, node_class, leaves, ops, values, formula)
        if problem is not None:
            return _wrong(f"Your backward is not right: {problem}")
    return _engine_verdict(answer, node_class)
