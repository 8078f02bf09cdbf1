"""Checks for lesson 03 (The chain rule on a graph).

``check_local_derivative``: d(out)/d(input) of one operation of the scalar graph, any row of
``helpers.graph.OPERATIONS`` (its value, local derivatives, domain and written form all come
from that row, so a newly registered operation is checked with no edit here);
``check_chain_rule``: upstream gradient times local derivatives;
``check_graph_gradient``: d(output)/d(node) on a graph where a node may be used several times.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Sequence

import numpy as np

from .._validate import as_float_array
from ..graph import Operation, Value, apply_operation, get_operation
from ..notation import format_number
from .answers import _describe_point
from .feedback import Feedback, _check, _wrong
from .judging import Mistakes, _evaluate, _normal_like

__all__ = ["check_chain_rule", "check_graph_gradient", "check_local_derivative"]


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
                    "you forgot the square.")],
        ("**", 0): [(lambda: x ** (y - 1), "you forgot the factor p in front: "
                     "d(x**p)/dx = p * x**(p - 1)."),
                    (lambda: y * x**y, "the power drops by one: d(x**p)/dx = p * x**(p - 1).")],
        ("log", 0): [(lambda: math.exp(x), "that is the derivative of exp; log's is 1 / x.")],
        ("sigmoid", 0): [(lambda: x * (1 - x), "you put the input into s * (1 - s); "
                          "first compute s = sigmoid(input).")],
        ("tanh", 0): [(lambda: 1 - x**2, "you put the input into 1 - t**2; "
                       "first compute t = tanh(input).")],
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
def check_chain_rule(answer, upstream_grad, *local_grads) -> Feedback:
    """Check a chain-rule product: upstream_grad * local_grads[0] * local_grads[1] * ...

    answer: the product (dL/dinput), or a function f(upstream_grad, *local_grads) returning it.
    upstream_grad: dL/d(output), a number or an array; local_grads: one or more local
    derivatives along the path (numbers or arrays of the same shape, multiplied elementwise).
    """
    if not local_grads:
        raise ValueError("check_chain_rule needs at least one local_grad after upstream_grad")
    upstream = as_float_array(upstream_grad, "upstream_grad")
    locals_ = [as_float_array(g, f"local_grads[{k}]") for k, g in enumerate(local_grads)]
    names = ["upstream_grad"] + (["local_grad"] if len(locals_) == 1 else
                                 [f"local_grads[{k}]" for k in range(len(locals_))])

    def product(*factors):
        return functools.reduce(np.multiply, factors)

    def mistakes(upstream, *locals_):
        found = [
            (lambda: product(*locals_), "you left out the upstream gradient: multiply by what "
             "arrives from above (dL/d(output))."),
            (lambda: upstream + sum(locals_), "you added the factors; the chain rule multiplies "
             "them."),
            (lambda: upstream / product(*locals_), "you divided by the local derivative; "
             "multiply by it."),
        ]
        for k in range(len(locals_)):
            rest = [upstream, *locals_[:k], *locals_[k + 1:]]
            found.append((lambda rest=rest: product(*rest),
                          f"you left out the factor {names[k + 1]}."))
        return found

    return _evaluate(
        answer, "chain-rule product", (upstream, *locals_), names,
        truth=product, mistakes=mistakes,
        sample=lambda rng: [_normal_like(rng, a) + 0.5 for a in (upstream, *locals_)],
        praise="Correct! Upstream gradient times local derivative.",
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
    shares = [c.product for step in steps for c in step.contributions if c.input is wrt]
    mistakes = []
    if len(shares) > 1:
        listed = " + ".join(format_number(s) for s in shares)
        mistakes = [(lambda s=s: s, f"{name} is used in {len(shares)} places, so its gradient is "
                     f"the sum of {len(shares)} contributions ({listed}); yours is only one of "
                     "them. Add them up (this is why backward uses +=).") for s in shares]
    return _evaluate(answer, f"d{out}/d{name}", (), (), truth=lambda: np.asarray(truth),
                     mistakes=lambda: mistakes)
