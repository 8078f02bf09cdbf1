"""One row of the table of operations is all a new operation needs.

The ``square`` fixture (tests/conftest.py) registers square(a) = a**2 in
helpers/graph/operations.py and nowhere else; this test then uses it through the graph, the
recorded steps, sympy, a drawing and the expression parser of the widgets.
"""

import sympy as sp

from helpers.graph import OPERATIONS, Value, apply_operation
from helpers.plots import draw_graph
from helpers.symbolic import chain_rule_gradient, from_sympy, to_sympy
from helpers.widgets import parse_expression


def test_a_new_operation_works_everywhere_from_its_one_row(square):
    assert OPERATIONS["square"] is square
    # the graph: forward value and backward gradient
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    s = apply_operation("square", [x])
    s.label = "s"
    loss = s * y
    assert (s.data, loss.data) == (9.0, -18.0)
    loss.backward()
    assert (x.grad, y.grad) == (2 * 3.0 * -2.0, 9.0)
    # the recorded steps write it with its own text and LaTeX forms
    assert loss.forward_steps()[0].text() == "s = square(x) = square(3) = 9"
    assert r"\operatorname{square}(x)" in loss.forward_steps()[0].latex()
    # sympy: there and back, and the chain rule against sympy's own derivative
    expression, symbols = to_sympy(loss)
    sx, sy = symbols["x"], symbols["y"]
    assert expression == sx**2 * sy
    assert sp.simplify(chain_rule_gradient(loss, "x").gradient - sp.diff(expression, sx)) == 0
    again = from_sympy(expression, {"x": 3.0, "y": -2.0})
    again.backward()
    assert again.data == loss.data
    # a drawing labels its node with the operation's label form
    texts = [t.get_text() for t in draw_graph(loss).axes[0].texts]
    assert any(text.startswith("s = x²\n") for text in texts), texts
    # the expression parser lets a learner type it
    typed = parse_expression("square(x) * y", {"x": 3.0, "y": -2.0})
    typed.backward()
    assert typed.data == -18.0
    assert {leaf.label: leaf.grad for leaf in typed.topological_order() if leaf.label} == {
        "x": -12.0, "y": 9.0}


def test_the_table_is_back_to_its_own_rows_after_the_test():
    assert "square" not in OPERATIONS
