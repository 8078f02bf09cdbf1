"""Checks for lesson 03 (The chain rule on a graph), part 2: the rules of a scalar engine of
the learner's own (its backward pass: ``engine_walk``).

The lesson gives ``Node(data, inputs=(), backward_rule=None)`` (attributes ``data``, ``grad``,
``inputs``, ``backward_rule``); the learner writes the rules ``add_backward(out)``,
``mul_backward``, ``tanh_backward``, ``relu_backward``, ``max_backward``: each adds every input's
share of ``out.grad`` into its ``.grad`` (``check_backward_rule``).

The check builds its graphs itself with the learner's class, so a bug in one rule never fails
another rule's check. The truth is ``helpers.graph.Value``'s (max(a, b) as a + relu(b - a)),
confirmed by central differences, at seeded random points: upstream gradients other than 1, a
node used twice, nodes that already hold another node's share.
"""

from __future__ import annotations

import math
import numbers
import re
import warnings
from dataclasses import dataclass

import numpy as np

from ..gradcheck import numeric_gradient
from ..graph import Value, apply_operation
from ..notation import format_number
from .answers import _a, _is_missing, _is_placeholder
from .explained import _raised_at
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _close

__all__ = ["check_backward_rule"]

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
                  "into 1 - tanh(a)**2 as if tanh(a) were a.data; tanh(a) is out.data."),
                 (lambda x, o, u: (u * (1 - math.tanh(o) ** 2),), False, "out.data already "
                  "is tanh(a); you applied tanh to it a second time: the local derivative is "
                  "1 - out.data**2."),
                 (lambda x, o, u: (u * (1 - o),), False, "the local derivative is "
                  "1 - tanh(a)**2 with tanh(a) = out.data: you left out the square."),
                 (lambda x, o, u: (u * o * (1 - o),), False, "that is sigmoid's rule, "
                  "s * (1 - s); tanh's local derivative is 1 - tanh(a)**2."),
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
            if "argument" in str(error) else _nodes_as_numbers(func, error))
        raise _Stop(_wrong(f"Your {call} raised {text}{hint}")) from None


def _nodes_as_numbers(func, error) -> str:
    """For "unsupported operand type(s) for *: 'float' and 'Node'": the nodes used as numbers
    on the line that raised, e.g. "b is a Node; its number is b.data", or ""."""
    where = _raised_at(func, error)
    if where is None:
        return ""
    line, local = where
    nodes = [n for n in dict.fromkeys(re.findall(r"(?<![.\w])(\w+)(?!\w|\s*\.)", line))
             if hasattr(local.get(n), "data") and hasattr(local.get(n), "inputs")]
    return "".join(f"\n    {n} is a {type(local[n]).__name__}; its number is {n}.data."
                   for n in nodes)


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
