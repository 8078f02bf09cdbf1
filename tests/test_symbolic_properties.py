"""Property tests: Value gradients equal sympy's derivatives of the same random graphs."""

import sympy as sp
from hypothesis import given, settings
from test_graph_properties import build, graph_recipes, scaled_error

from helpers.symbolic import chain_rule_gradient, from_sympy, to_sympy

SETTINGS = settings(derandomize=True, deadline=None, max_examples=40)


def at_point(expr, symbols, leaf_values):
    """expr evaluated at x_k = leaf_values[k - 1], as a float."""
    values = {symbols[f"x{k + 1}"]: sp.Float(v, 30) for k, v in enumerate(leaf_values)
              if f"x{k + 1}" in symbols}
    return float(expr.xreplace(values).evalf(30))


def built_with_sympy(recipe):
    """The recipe's graph after backward, and its sympy expression with the leaf symbols."""
    leaf_values, steps = recipe
    nodes = build(leaf_values, steps)
    out = nodes[-1]
    out.backward()
    expr, symbols = to_sympy(out)
    return leaf_values, nodes, out, expr, symbols


@SETTINGS
@given(graph_recipes())
def test_value_gradients_equal_sympy_derivatives(recipe):
    leaf_values, nodes, out, expr, symbols = built_with_sympy(recipe)
    assert scaled_error(at_point(expr, symbols, leaf_values), out.data) < 1e-12
    for k in range(len(leaf_values)):
        name = f"x{k + 1}"
        exact = at_point(sp.diff(expr, symbols[name]), symbols, leaf_values) if (
            name in symbols) else 0.0
        assert scaled_error(nodes[k].grad, exact) < 1e-10


@SETTINGS
@given(graph_recipes(max_steps=6))
def test_chain_rule_gradient_equals_value_gradient(recipe):
    leaf_values, nodes, out, expr, symbols = built_with_sympy(recipe)
    for k in range(len(leaf_values)):
        if f"x{k + 1}" in symbols:
            result = chain_rule_gradient(out, nodes[k])
            gradient = at_point(result.gradient, symbols, leaf_values)
            assert scaled_error(nodes[k].grad, gradient) < 1e-10


@SETTINGS
@given(graph_recipes(max_steps=6))
def test_from_sympy_round_trip_keeps_value_and_gradients(recipe):
    leaf_values, nodes, out, expr, symbols = built_with_sympy(recipe)
    names = {symbol.name for symbol in expr.free_symbols}  # x - x loses x
    values = {f"x{k + 1}": v for k, v in enumerate(leaf_values) if f"x{k + 1}" in names}
    rebuilt = from_sympy(expr, values)
    rebuilt.backward()
    assert scaled_error(rebuilt.data, out.data) < 1e-12
    leaves = {n.label: n for n in rebuilt.topological_order() if not n.inputs}
    for name in values:
        k = int(name[1:]) - 1
        assert scaled_error(leaves[name].grad, nodes[k].grad) < 1e-10
