"""The graph the symbolic chain rule walks: nodes with their local derivatives, in symbols.

Taught in lesson 03 (The chain rule on a graph). A graph comes either from a ``Value`` graph
(its nodes are the graph's own operations, with forms and local derivatives read from the table
of ``helpers.graph``) or from a sympy expression (its nodes are the nodes of the expression
tree, equal sub-trees shared). Either way it is a list of ``Node``, inputs before the nodes
that use them, that ``chain_rule.ChainRuleResult`` walks backwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from ..graph import Value, get_operation
from .forms import local_derivatives, number, operation_expression

__all__ = ["Node", "nodes_from_sympy", "nodes_from_value"]


@dataclass(eq=False)
class Node:
    """One node of the graph the chain rule walks.

    name: display name; expr: its value in terms of the leaf symbols; inputs: input nodes;
    local_grads: d(node)/d(inputs[i]) in terms of the leaf symbols; definition: its
    expression in terms of the input names (e.g. q = x + y).
    """

    name: str
    expr: sp.Expr
    inputs: list = field(default_factory=list)
    local_grads: list = field(default_factory=list)
    definition: sp.Expr | None = None


def nodes_from_value(value: Value) -> tuple[list[Node], dict[str, sp.Symbol]]:
    """The Value graph as Nodes in topological order, and its leaf symbols by name.

    Raises:
        TypeError: value is not a Value. ValueError: two different inputs share a label.
    """
    if not isinstance(value, Value):
        raise TypeError(f"value must be a helpers.graph.Value; got {type(value).__name__}")
    names = value.names()
    symbols: dict[str, sp.Symbol] = {}
    leaf_of_name: dict[str, Value] = {}
    nodes: dict[Value, Node] = {}
    for v in value.topological_order():
        if v.is_constant:
            nodes[v] = Node(names[v], number(v.data))
        elif not v.inputs:
            name = names[v]
            if name in leaf_of_name and leaf_of_name[name] is not v:
                raise ValueError(
                    f"two different input Values are labelled {name!r}; give each input "
                    "its own label so it becomes its own symbol"
                )
            leaf_of_name[name] = v
            symbols[name] = sp.Symbol(name, real=True)
            nodes[v] = Node(name, symbols[name])
        else:
            nodes[v] = _operation_node(v, names[v], [nodes[i] for i in v.inputs])
    return list(nodes.values()), symbols


def _operation_node(v: Value, name: str, inputs: list[Node]) -> Node:
    """The Node of one operation: its form and local derivatives from the graph's table."""
    operation = get_operation(v.op)
    p = None if v.exponent is None else number(v.exponent)
    exprs = [i.expr for i in inputs]
    named = [i.expr if i.expr.is_number else sp.Symbol(i.name, real=True) for i in inputs]
    with sp.evaluate(False):  # keep "a + a" as written, not 2*a
        definition = operation_expression(operation, named, p)
    return Node(name, operation_expression(operation, exprs, p), inputs,
                list(local_derivatives(operation, exprs, p)), definition)


def nodes_from_sympy(expr: sp.Expr) -> list[Node]:
    """The expression tree as Nodes in topological order (equal sub-trees shared).

    Each node's local derivative is taken with its other arguments held fixed.

    Raises:
        ValueError: a function whose arguments are not all expressions (e.g. Piecewise).
    """
    nodes: dict[sp.Basic, Node] = {}
    stack = [(expr, False)]
    while stack:
        e, inputs_done = stack.pop()
        if e in nodes:
            continue
        if not inputs_done and e.args and not e.is_number:
            if not all(isinstance(a, sp.Expr) for a in e.args):
                raise ValueError(
                    f"unsupported sympy function {type(e).__name__} in {e}: the chain rule "
                    "here needs functions whose arguments are all expressions (no "
                    "conditions, no integration limits)"
                )
            stack.append((e, True))
            stack.extend((a, False) for a in reversed(e.args) if a not in nodes)
            continue
        if e.is_Symbol or e.is_number or not e.args:
            nodes[e] = Node(str(e), e)
            continue
        inputs = [nodes[a] for a in e.args]
        local_grads = [
            _local_derivative(e, k) if a.free_symbols else sp.Integer(0)
            for k, a in enumerate(e.args)
        ]
        nodes[e] = Node("", e, inputs, local_grads)
    counter = 0
    for node in nodes.values():
        if not node.name:
            counter += 1
            node.name = f"v{counter}"
    for node in nodes.values():
        if node.inputs:
            named = [i.expr if not i.inputs else sp.Symbol(i.name) for i in node.inputs]
            try:
                node.definition = node.expr.func(*named, evaluate=False)
            except TypeError:  # a function without the evaluate option
                node.definition = node.expr.func(*named)
    return list(nodes.values())


def _local_derivative(expr: sp.Expr, k: int) -> sp.Expr:
    """d expr / d (its k-th argument), treating the other arguments as constants."""
    u = sp.Dummy("u")
    args = list(expr.args)
    original, args[k] = args[k], u
    return sp.diff(expr.func(*args), u).subs(u, original)
