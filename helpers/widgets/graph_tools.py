"""Small tools on a Value graph for the graph stepper: its inputs, the same graph at new
input values, and the graph written back as the text a learner types.

Used by the graph stepper of lessons 00 (Start here) and 03 (The chain rule on a graph).
Every operation is applied and written through the table of operations
(``helpers.graph.OPERATIONS``): ``recompute`` calls ``apply_operation`` and
``expression_text`` fills in each operation's ``text`` template, so an operation registered
later works here too.
"""

from __future__ import annotations

from ..graph import OPERATIONS, Value, apply_operation, format_number
from .parser import MAX_OPERATIONS

__all__ = ["expression_text", "input_leaves", "recompute"]


def input_leaves(root: Value) -> list[Value]:
    """The inputs of a graph: leaves that are not plain-number constants, in order."""
    return [n for n in root.topological_order() if not n.inputs and not n.is_constant]


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

    Each operation is written with its ``text`` template; an operator's result is put in
    parentheses, a function's arguments are not. A node used twice is written out twice;
    ``parse_expression`` turns the text back into a graph that computes the same value.
    """
    order = root.topological_order()
    if len(order) > 2 * MAX_OPERATIONS:
        return ""
    root.names()
    written: dict[Value, str] = {}
    for node in order:  # inputs first, so every operand is written already
        if not node.inputs:
            written[node] = _leaf_text(node)
            continue
        operation = OPERATIONS[node.op]
        exponent = "" if node.exponent is None else _exact_number(node.exponent)
        if operation.is_function:
            operands = [_unwrap(written[i]) for i in node.inputs]
            written[node] = operation.text.format(*operands, p=exponent)
        else:
            operands = [written[i] for i in node.inputs]
            written[node] = f"({operation.text.format(*operands, p=exponent)})"
    return _unwrap(written[root])


def _leaf_text(leaf: Value) -> str:
    """An input by its name; a constant as its exact number, negative ones in parentheses."""
    if not leaf.is_constant:
        return leaf.name
    number = _exact_number(leaf.data)
    return number if leaf.data >= 0 else f"({number})"


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
