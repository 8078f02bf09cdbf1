"""Checks for lesson 03 (The chain rule on a graph), part 2: a scalar engine of the learner's own.

The lesson gives ``Node(data, inputs=(), backward_rule=None)`` (attributes ``data``, ``grad``,
``inputs``, ``backward_rule``); the learner writes the rules ``add_backward(out)``,
``mul_backward``, ``tanh_backward``, ``relu_backward``, ``max_backward`` (each adds every input's
share of ``out.grad`` into its ``.grad``: ``check_backward_rule``), then ``backward(out)`` (grads
to 0, ``out.grad = 1``, each node's rule in reverse topological order: ``check_engine_backward``).

The checks build their graphs themselves with the learner's class, so a bug in one rule never
fails another rule's check; ``check_engine_backward`` runs rules of its own, which note when each
ran. The truth is ``helpers.graph.Value``'s (max(a, b) as a + relu(b - a)), confirmed by central
differences, at seeded random points: upstream gradients other than 1, a node used twice, nodes
that already hold another node's share.
"""

from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from ..gradcheck import TOLERANCE, numeric_gradient
from ..graph import Value, apply_operation
from ..notation import format_number
from .answers import _a, _is_missing, _is_placeholder
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _close

__all__ = ["check_backward_rule", "check_engine_backward"]

RULE_NAMES = {"+": "add_backward", "*": "mul_backward", "tanh": "tanh_backward",
              "relu": "relu_backward", "max": "max_backward"}
_N = format_number


def _forward(op: str, x: list[float]) -> float:
    """The value of out = op(inputs) at plain numbers."""
    return {"+": lambda: x[0] + x[1], "*": lambda: x[0] * x[1], "tanh": lambda: math.tanh(x[0]),
            "relu": lambda: max(x[0], 0.0), "max": lambda: max(x[0], x[1])}[op]()


def _local(op: str, x: list[float], out: float) -> tuple[float, ...]:
    """d out / d input_i, one per input position (the package's conventions: ReLU's slope is 0
    at 0, and max gives its gradient to the first input at a tie, like a + relu(b - a))."""
    return {"+": lambda: (1.0, 1.0), "*": lambda: (x[1], x[0]), "tanh": lambda: (1 - out**2,),
            "relu": lambda: (1.0 if x[0] > 0 else 0.0,),
            "max": lambda: (1.0, 0.0) if x[0] >= x[1] else (0.0, 1.0)}[op]()


def _value_node(op: str, inputs: list[Value]) -> Value:
    """op applied to Value nodes; max(a, b) as a + relu(b - a)."""
    return inputs[0] + (inputs[1] - inputs[0]).relu() if op == "max" else apply_operation(
        op, inputs)


@dataclass(frozen=True)
class _Case:
    """One call of a rule: the input nodes' values, which fills each input position ((0, 1);
    (0, 0) for out = a * a), out.grad, and the grads they hold before (another node's share)."""

    values: tuple[float, ...]
    positions: tuple[int, ...]
    upstream: float
    priors: tuple[float, ...]

    @property
    def inputs(self) -> list[float]:
        return [self.values[i] for i in self.positions]

    names = property(lambda self: ["a", "b"][: len(self.values)], doc="the inputs' names")


def _cases(op: str) -> list[_Case]:
    """The calls a rule is checked on: first fresh inputs, then a node used as both inputs,
    then inputs that already hold a gradient. Every out.grad differs from 1."""
    rng = np.random.default_rng(sum(map(ord, op)))
    pm = lambda low, high, sign=None: round(float(  # noqa: E731
        rng.uniform(low, high) * (sign or rng.choice([-1.0, 1.0]))), 3)
    if op in ("tanh", "relu"):  # for relu: above 0, below 0, at the kink
        values = [pm(0.4, 2, 1.0), pm(0.4, 2, -1.0), 0.0] if op == "relu" else [
            pm(0.4, 2), pm(0.4, 2)]
        return [_Case((v,), (0,), pm(1.3, 2.5), (0.0,)) for v in values] + [
            _Case((pm(0.4, 2, 1.0),), (0,), pm(1.3, 2.5), (pm(0.2, 0.9),))]
    a, b = pm(0.4, 2, 1.0), pm(0.4, 2, -1.0)  # distinct sizes: a swap and a max are visible
    cases = [_Case((a, b), (0, 1), pm(1.3, 2.5), (0.0, 0.0)),
             _Case((b * 1.5, a / 2), (0, 1), pm(1.3, 2.5), (0.0, 0.0))]
    if op != "max":  # max(a, a) is a tie, where the rule's choice is a convention
        cases.append(_Case((pm(0.4, 2),), (0, 0), pm(1.3, 2.5), (0.0,)))
    return cases + [_Case((pm(0.4, 2), pm(0.4, 2)), (0, 1), pm(1.3, 2.5),
                          (pm(0.2, 0.9), pm(0.2, 0.9)))]


def _describe(op: str, case: _Case) -> str:
    """The call in the exercise's names, e.g. "out = a * a, a.data = 1.2, out.grad = 1.7"."""
    names = [["a", "b"][i] for i in case.positions]
    shown = {"+": "{} + {}", "*": "{} * {}", "tanh": "tanh({})", "relu": "relu({})",
             "max": "max({}, {})"}[op].format(*names)
    parts = [f"out = {shown}", *(f"{n}.data = {_N(v)}" for n, v in zip(case.names, case.values,
                                                                      strict=True)),
             f"out.grad = {_N(case.upstream)}"]
    held = [f"{n}.grad = {_N(p)}" for n, p in zip(case.names, case.priors, strict=True) if p]
    return ", ".join(parts + [f"and before the rule ran {' and '.join(held)} (a share from "
                              "another node)"] * bool(held))


def _truth(op: str, case: _Case) -> np.ndarray:
    """The grads after the rule: held before + the Value graph's gradient."""
    leaves = [Value(v) for v in case.values]
    out = _value_node(op, [leaves[i] for i in case.positions])
    out.backward(case.upstream)
    truth = np.array([p + leaf.grad for p, leaf in zip(case.priors, leaves, strict=True)])
    kink = min((abs(v) for v in case.inputs), default=1.0) if op == "relu" else (
        abs(case.inputs[0] - case.inputs[1]) if op == "max" and case.positions == (0, 1) else 1.0)
    if kink > 1e-3:  # away from a kink, central differences must say the same
        _central(lambda v: case.upstream * _forward(op, [v[i] for i in case.positions]),
                 case.values, truth - np.array(case.priors), op)
    return truth


def _central(f, values, truth: np.ndarray, what: str) -> None:
    """Central differences of f(list of numbers) at values agree with the package's truth, or
    the package has a bug."""
    slopes = numeric_gradient(lambda v: f([float(n) for n in v]), np.array(values, dtype=float))
    if not _close(truth, slopes):
        raise RuntimeError(f"Value and central differences disagree on {what}: {truth}, {slopes}")


def _assign_why(op: str, case: _Case) -> str:
    """Why = instead of += went wrong in this call, in its terms."""
    if len(set(case.positions)) < len(case.positions):
        shown = "a + a" if op == "+" else "a * a"
        return (f"you wrote = where the rule must add, +=. In out = {shown}, a is both inputs, "
                "so it gets two shares that add up; with = the second share replaced the first.")
    return ("you wrote = where the rule must add, +=. An input that is used by another node "
            "too already holds that node's share when this rule runs; = threw it away.")


def _shown_by(op: str, case: _Case, mistake) -> np.ndarray:
    """The grads the rule with this mistake leaves behind in this call (+= or =)."""
    shares, assign, _ = mistake
    grads = list(case.priors)
    for i, share in zip(case.positions, shares(case.inputs, _forward(op, case.inputs),
                                               case.upstream), strict=True):
        if share is not None:  # None: the rule leaves this input alone
            grads[i] = share if assign else grads[i] + share
    return np.array(grads, dtype=float)


def _mistakes(op: str):
    """(shares(inputs, out, upstream), sets with = instead of +=, why) per typical mistake."""
    specific = {
        "+": [(lambda x, o, u: (u / 2, u / 2), False, "add does not split out.grad: it "
               "distributes the whole of it to both inputs (each local derivative is 1)."),
              (lambda x, o, u: (u, 0.0), False, "b.grad got nothing: add distributes out.grad "
               "to both inputs.")],
        "*": [(lambda x, o, u: (u * x[0], u * x[1]), False, "multiply swaps its inputs: "
               "a.grad gets out.grad times b.data, and b.grad gets out.grad times a.data."),
              (lambda x, o, u: (u * o, u * o), False, "you multiplied by out.data; each "
               "input's local derivative is the other input."),
              (lambda x, o, u: (u, u), False, "that is add's rule; multiply's local "
               "derivative for one input is the other input.")],
        "tanh": [(lambda x, o, u: (u * (1 - x[0] ** 2),), False, "you put the input a.data "
                  "into 1 - t**2; t is tanh's output, out.data."),
                 (lambda x, o, u: (u * (1 - o),), False, "the local derivative is 1 - t**2 "
                  "with t = out.data: you left out the square."),
                 (lambda x, o, u: (u * o,), False, "you multiplied by tanh's value out.data; "
                  "its derivative is 1 - out.data**2.")],
        "relu": [(lambda x, o, u: (u if x[0] >= 0 else 0.0,), False, "at a.data = 0 the slope "
                  "is taken as 0 (as Value does): pass out.grad on only where a.data > 0."),
                 (lambda x, o, u: (u,), False, "below 0 ReLU is flat, so a.grad gets nothing "
                  "where a.data <= 0; pass out.grad on only where a.data > 0."),
                 (lambda x, o, u: (u * o,), False, "you multiplied by ReLU's output out.data; "
                  "its local derivative is 1 where a.data > 0, else 0.")],
        "max": [(lambda x, o, u: (u, u), False, "max routes out.grad to the larger input only: "
                 "the smaller one did not affect out, so its grad gets nothing."),
                (lambda x, o, u: tuple(u * (1 - g) for g in _local("max", x, o)), False,
                 "you sent out.grad to the smaller input; max routes it to the larger."),
                (lambda x, o, u: (u, None) if x[0] >= x[1] else (None, u), True, "")],
    }[op]
    right = lambda x, o, u: tuple(u * g for g in _local(op, x, o))  # noqa: E731
    return specific + [
        (lambda x, o, u: _local(op, x, o), False, "you left out the upstream gradient: multiply "
         "by out.grad. Your rule is right only when out.grad is 1."),
        (right, True, "you wrote = where the rule must add, +=."),
        (lambda x, o, u: tuple(-s for s in right(x, o, u)), False, "the sign is flipped."),
    ]


def _read_grad(node, name: str, call: str) -> float:
    grad = getattr(node, "grad", None)
    if isinstance(grad, numbers.Real) and not isinstance(grad, bool) and math.isfinite(grad):
        return float(grad)
    raise _Stop(_wrong(f"After {call}, {name}.grad is "
                       f"{f'the number {grad}' if isinstance(grad, numbers.Real) else _a(grad)}"
                       "; it should be a finite number."))


def _run(func, out, call: str):
    """func(out), with an error in the learner's code turned into the message."""
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func(out)
    except _Stop:
        raise
    except Exception as error:
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        hint = "" if not isinstance(error, TypeError) else (
            "\n    A leaf, made by Node(number), has no backward_rule (it is None): call the "
            "rule only of nodes that have one." if "NoneType" in str(error) else
            "\n    A rule takes one argument, out, and finds the inputs in out.inputs."
            if "argument" in str(error) else "")
        raise _Stop(_wrong(f"Your {call} raised {text}{hint}")) from None


def _build(node_class, data, inputs=(), rule=None):
    try:
        return node_class(data, *((tuple(inputs), rule) if inputs else ()))
    except Exception as error:
        raise _Stop(_wrong(
            f"Node(data, inputs, backward_rule) raised {type(error).__name__}: {error}. "
            "The check builds its graphs with your class as the lesson gives it; run that "
            "cell again unchanged.")) from None


def _check_problem(node_class, op=None) -> None:  # errors in the problem data
    if op is not None and op not in RULE_NAMES:
        raise ValueError(f"op must be one of {', '.join(RULE_NAMES)}; got {op!r}")
    if not isinstance(node_class, type):
        raise TypeError(f"node_class must be the lesson's node class; got {node_class!r}")


@_check
def check_backward_rule(answer, op: str, node_class) -> Feedback:
    """Check the rule of one operation, e.g. mul_backward(out), which adds each input's share
    of out.grad into its .grad. op: "+", "*", "tanh", "relu" or "max". node_class: the lesson's
    Node(data, inputs=(), backward_rule=None), with which the check builds out and its inputs."""
    _check_problem(node_class, op)
    name = getattr(answer, "__name__", "") or RULE_NAMES[op]
    name = RULE_NAMES[op] if name == "<lambda>" else name
    if _is_missing(answer):
        return _not_done(f"replace the None with your function {RULE_NAMES[op]}.")
    if not callable(answer):
        return _wrong(f"Your {name} should be a function of out; got {_a(answer)}.")
    for k, case in enumerate(_cases(op)):
        expected = _truth(op, case)
        leaves = [_build(node_class, v) for v in case.values]
        out = _build(node_class, _forward(op, case.inputs),
                     [leaves[i] for i in case.positions], answer)
        for leaf, prior in zip(leaves, case.priors, strict=True):
            leaf.grad = prior
        out.grad = case.upstream
        call, names = f"{name}(out)", case.names
        returned = _run(answer, out, call)
        got = np.array([_read_grad(leaf, n, call) for leaf, n in zip(leaves, names, strict=True)])
        if _close(got, expected):
            continue
        unchanged = np.array_equal(got, np.array(case.priors))
        if unchanged and returned is None and _is_placeholder(answer):
            return _not_done(f"{call} changed no .grad; fill in its body so that it adds "
                             "into the inputs' grads.")
        why = "that is not what Value and central differences give."
        if unchanged:
            why = "it changed no .grad." if returned is None else (
                f"it returned {returned!r} and changed no .grad; a rule returns nothing, it "
                f"adds into {' and '.join(f'{n}.grad' for n in names)}.")
        else:
            earlier = _cases(op)[:k]
            for mistake in _mistakes(op):
                shown = _shown_by(op, case, mistake)
                # a mistake an earlier call would have shown is not the one made here
                if (_close(got, shown) and not _close(shown, expected)
                        and all(_close(_shown_by(op, c, mistake), _truth(op, c))
                                for c in earlier)):
                    why = mistake[2] if not mistake[1] else _assign_why(op, case)
                    break
        lines = "".join(f"\n    {n}.grad: expected {_N(e)}, got {_N(g)}"
                        for n, e, g in zip(names, expected, got, strict=True))
        return _wrong(f"Your {name} is not right: {why}\n    with {_describe(op, case)}:"
                      + lines)
    return _correct(f"Correct! {name} agrees with Value and with central differences on "
                    f"{len(_cases(op))} calls, with out.grad other than 1"
                    + (", a node used as both inputs" if op not in ("tanh", "relu", "max")
                       else "") + " and inputs that already held a gradient.")


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
                    "node.backward_rule(node) for each node of reversed(order) that has one.")
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
            seen = (f"when {name}'s rule ran, {name}.grad was {_N(at_call[name])}, but its users "
                    f"({users}) give it {_N(truth[name])} in all")
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
                why = ("You walked the order forwards, inputs first; backward goes from out to "
                       "the inputs: for node in reversed(order).")
            else:
                why = ("The walk is not in reverse topological order. Use for node in "
                       "reversed(order): a node comes after all the nodes that use it.")
            return f"{name} passed on its gradient before it was complete: {seen}. {why}" + where
        wrong = [n for n in got if not _close(np.array(got[n]), np.array(truth[n]))]
        if wrong:
            shown = ", ".join(f"{n}.grad = {_N(got[n])} (expected {_N(truth[n])})"
                              for n in wrong[:3])
            return f"after backward(out): {shown}." + where
    return None


def _demonstration(answer, node_class) -> str:
    """A line on the learner's whole engine (their Node operations, rules and backward) on a
    bigger expression, compared with Value. It never changes the verdict."""
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
        return (f"\nYour whole engine could not run {formula} ({type(error).__name__}: "
                f"{error}); finish the rule exercises above.")
    shown = ", ".join(f"{n}.grad = {_N(g)}" for n, g in zip(leaves, got, strict=True))
    point = ", ".join(f"{n} = {_N(v)}" for n, v in DEMO_POINT.items())
    if _close(np.array(got), np.array([truth[n] for n in leaves])):
        return (f"\nYour whole engine (Node's operations, your five rules and this backward) on "
                f"{formula} at {point}: {shown}, the same as Value.")
    return (f"\nYour whole engine on {formula} at {point} gives {shown}, but Value gives "
            + ", ".join(_N(truth[n]) for n in leaves) + ": a rule above is not right yet.")


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
    return _correct("Correct! Your backward agrees with Value on two graphs where one node "
                    "feeds two others, at 4 points: it sets every grad to 0, starts from "
                    "out.grad = 1 and walks in reverse topological order."
                    + _demonstration(answer, node_class))
