"""Tests of helpers.symbolic: conversions, chain rule, derivative proofs, network report."""

import math

import numpy as np
import pytest
import sympy as sp

from helpers import activations, losses
from helpers.graph import (
    OPERATIONS,
    Operation,
    Value,
    apply_operation,
    register_operation,
    unregister_operation,
)
from helpers.network import build_network
from helpers.symbolic import (
    ChainRuleResult,
    DerivativeCheck,
    GradientReport,
    SymbolicNetwork,
    activation_derivative,
    all_derivative_checks,
    assert_expressions_equal,
    chain_rule_gradient,
    derivative,
    expression_size_table,
    expressions_equal,
    format_size_table,
    from_sympy,
    loss_derivative,
    sigmoid_expression,
    softmax_jacobian_derivative,
    to_sympy,
)

x, y, z = sp.symbols("x y z", real=True)


def circuit():
    """(x + y) * z at x = -2, y = 5, z = -4."""
    xv, yv, zv = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    return (xv + yv) * zv, (xv, yv, zv)


# ---- to_sympy / from_sympy --------------------------------------------------------------
def test_to_sympy_of_known_circuit():
    f, _ = circuit()
    expr, symbols = to_sympy(f)
    assert set(symbols) == {"x", "y", "z"}
    assert expr == (symbols["x"] + symbols["y"]) * symbols["z"]


def test_to_sympy_every_operation_and_constants():
    a = Value(0.7, "a")
    out = (a * 2 - 1) / (a**2 + 3) + (-a).exp() + a.log() + a.sigmoid() + a.tanh() + a.relu()
    expr, symbols = to_sympy(out)
    s = symbols["a"]
    expected = (2 * s - 1) / (s**2 + 3) + sp.exp(-s) + sp.log(s) + sigmoid_expression(s) + (
        sp.tanh(s) + sp.Max(0, s)
    )
    assert expressions_equal(expr, expected)
    assert float(expr.subs(s, 0.7)) == pytest.approx(out.data, rel=1e-14)


def test_to_sympy_names_unlabelled_inputs_and_rejects_duplicate_labels():
    expr, symbols = to_sympy(Value(1.0) * Value(2.0))
    assert set(symbols) == {"v1", "v2"}
    with pytest.raises(ValueError, match="labelled 'x'"):
        to_sympy(Value(1.0, "x") + Value(2.0, "x"))
    with pytest.raises(TypeError, match="Value"):
        to_sympy(x + y)


def test_from_sympy_builds_an_equal_graph():
    expr = (x + y) * z
    out = from_sympy(expr, {"x": -2, y: 5, "z": -4})
    out.backward()
    leaves = {node.label: node for node in out.topological_order() if not node.inputs}
    assert out.data == -12
    assert (leaves["x"].grad, leaves["y"].grad, leaves["z"].grad) == (-4, -4, 3)


def test_from_sympy_reuses_a_symbol_and_maps_operations():
    expr = x * x - x / y + sp.exp(-x) + sp.log(y) + sp.tanh(x) + sp.Max(0, x) + sp.sqrt(y)
    expr += 1 / (1 + sp.exp(-x * y))
    out = from_sympy(expr, {"x": 0.8, "y": 1.7})
    ops = {node.op for node in out.topological_order()}
    assert {"*", "-", "/", "exp", "log", "tanh", "relu", "sigmoid", "**"} <= ops
    xs = [n for n in out.topological_order() if n.label == "x"]
    assert len(xs) == 1  # one input Value for the symbol x
    assert out.data == pytest.approx(float(expr.subs({x: 0.8, y: 1.7})), rel=1e-13)
    out.backward()
    ys = [n for n in out.topological_order() if n.label == "y"]
    for leaf, symbol in ((xs[0], x), (ys[0], y)):
        exact = float(sp.diff(expr, symbol).subs({x: 0.8, y: 1.7}))
        assert leaf.grad == pytest.approx(exact, rel=1e-12)


def test_round_trip_value_to_sympy_to_value():
    f, (xv, yv, zv) = circuit()
    expr, _ = to_sympy(f)
    g = from_sympy(expr, {"x": -2, "y": 5, "z": -4})
    assert g.data == f.data


def test_from_sympy_bad_input():
    with pytest.raises(ValueError, match="no number for y"):
        from_sympy(x + y, {"x": 1.0})
    with pytest.raises(ValueError, match="unsupported sympy function sin"):
        from_sympy(sp.sin(x), {"x": 1.0})
    with pytest.raises(ValueError, match="exponent y is not a number"):
        from_sympy(x**y, {"x": 1.0, "y": 2.0})
    with pytest.raises(ValueError, match="log.*positive"):
        from_sympy(sp.log(x), {"x": -1.0})
    with pytest.raises(ValueError, match="finite"):
        from_sympy(x + 1, {"x": float("nan")})
    with pytest.raises(TypeError, match="real number"):
        from_sympy(x + 1, {"x": "one"})
    with pytest.raises(TypeError, match="sympy expression"):
        from_sympy("x + 1", {"x": 1.0})


# ---- chain rule -------------------------------------------------------------------------
def test_chain_rule_on_known_circuit_value():
    f, (xv, _, _) = circuit()
    result = chain_rule_gradient(f, xv)
    assert isinstance(result, ChainRuleResult)
    assert result.gradient == sp.Symbol("z", real=True)
    assert len(result.paths) == 1
    assert [(fac.node, fac.input) for fac in result.paths[0]] == [("f", "v1"), ("v1", "x")]
    assert [fac.expression for fac in result.paths[0]] == [sp.Symbol("z", real=True), 1]
    assert result.matches_diff()
    result.check()
    assert "df/dx = df/dv1 * dv1/dx" in result.text()
    assert r"\frac{\partial f}{\partial v_{1}}" in result.latex()


def test_chain_rule_on_known_circuit_sympy():
    result = chain_rule_gradient((x + y) * z, "z")
    assert result.gradient == x + y
    assert result.matches_diff()


def test_chain_rule_reused_node_gives_8a():
    a = Value(1.5, "a")
    b = a + a
    c = b * b
    result = chain_rule_gradient(c, "a")
    s = sp.Symbol("a", real=True)
    assert sp.expand(result.gradient) == 8 * s
    assert len(result.paths) == 4  # c -> b twice, b -> a twice
    assert sp.expand(sum(result.path_products)) == 8 * s
    assert {(f.node, f.input) for f in result.factors} == {("f", "v1"), ("v1", "a")}


def test_chain_rule_on_a_deeper_expression():
    expr = sp.tanh(x * y + sp.exp(x)) / (1 + x**2) - sp.log(y) + sigmoid_expression(x * z)
    for wrt in (x, y, z):
        result = chain_rule_gradient(expr, wrt)
        assert result.matches_diff()
        assert expressions_equal(sum(result.path_products), result.gradient)


def test_chain_rule_check_raises_on_a_wrong_gradient():
    result = chain_rule_gradient(x * y, x)
    result.gradient = x
    assert not result.matches_diff()
    with pytest.raises(AssertionError, match="differ"):
        result.check()


def test_chain_rule_and_derivative_bad_input():
    with pytest.raises(ValueError, match="'w'.*does not appear.*symbols are: x, y"):
        chain_rule_gradient(x * y, "w")
    with pytest.raises(ValueError, match="does not appear"):
        derivative(x * y, sp.Symbol("w"))
    with pytest.raises(TypeError, match="wrt must be"):
        chain_rule_gradient(x * y, 3)
    with pytest.raises(TypeError, match="sympy expression or a helpers.graph.Value"):
        chain_rule_gradient("x * y", "x")
    assert derivative(x * y, "x") == y
    with pytest.raises(ValueError, match="unsupported sympy function Piecewise"):
        chain_rule_gradient(sp.Piecewise((x**2, x > 0), (x, True)), x)


def test_chain_rule_on_any_differentiable_sympy_function():
    result = chain_rule_gradient(sp.sin(x) ** 2 * sp.cos(x), x)
    assert result.matches_diff()
    assert [len(path) for path in result.paths] == [3, 2]


def test_chain_rule_refuses_to_list_too_many_paths():
    node = Value(0.5, "a")
    for _ in range(12):
        node = node * node  # 2**12 paths
    result = chain_rule_gradient(node, "a", max_paths=1000)
    assert result.gradient != 0
    with pytest.raises(ValueError, match="4096 paths"):
        result.paths  # noqa: B018


def test_expressions_equal_and_assert():
    assert expressions_equal(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert not expressions_equal(x, x + 1e-3)
    assert expressions_equal(sp.Matrix([x, 1]), sp.Matrix([x, 1]))
    assert not expressions_equal(sp.Matrix([x, 1]), sp.Matrix([[x, 1]]))
    with pytest.raises(AssertionError, match="the two expressions differ"):
        assert_expressions_equal(x, y)


# ---- activations and losses -------------------------------------------------------------
@pytest.mark.parametrize("check", all_derivative_checks(), ids=lambda c: c.name)
def test_every_derivative_rule_equals_sympy_diff(check):
    assert isinstance(check, DerivativeCheck)
    assert check.equal()
    check.check()
    assert check.latex()


@pytest.mark.parametrize("name", ["mse", "binary_cross_entropy", "softmax_cross_entropy"])
def test_loss_rules_for_a_batch(name):
    assert loss_derivative(name, n_samples=2, n_outputs=3).equal()


def test_softmax_jacobian_for_four_classes():
    assert softmax_jacobian_derivative(4).equal()


def test_a_wrong_rule_is_caught():
    good = activation_derivative("sigmoid")
    wrong = DerivativeCheck("sigmoid", good.variables, good.expression,
                            good.expression * (1 + good.expression), good.diff, "")
    assert not wrong.equal()
    with pytest.raises(AssertionError):
        wrong.check()


def test_softmax_cross_entropy_gradient_is_jacobian_times_loss_gradient():
    """p - y arises from the chain rule: J(s)^T (-y / s) = s - y when sum(y) = 1."""
    jacobian = softmax_jacobian_derivative(3)
    s = jacobian.expression
    y1, y2 = sp.symbols("y_1 y_2", real=True)
    labels = sp.Matrix([y1, y2, 1 - y1 - y2])
    dloss_ds = sp.Matrix([-labels[i] / s[i] for i in range(3)])
    assert expressions_equal(jacobian.rule.T * dloss_ds, s - labels)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "identity"])
def test_symbolic_activation_rules_match_the_numeric_core(name):
    check = activation_derivative(name)
    rule = sp.lambdify(check.variables, check.rule, "numpy")
    points = np.array([-2.5, -0.3, 0.4, 1.7])
    numeric = activations.get_activation(name).derivative(points)
    np.testing.assert_allclose(np.broadcast_to(rule(points), points.shape), numeric,
                               rtol=1e-12)


@pytest.mark.parametrize("name", ["mse", "binary_cross_entropy", "softmax_cross_entropy"])
def test_symbolic_loss_rules_match_the_numeric_core(name):
    check = loss_derivative(name, n_samples=2, n_outputs=3)
    prediction = np.array([[0.2, 0.7, 0.4], [0.9, 0.1, 0.5]])
    target = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    free = sorted(check.rule.free_symbols | check.diff.free_symbols, key=str)
    values = {}
    for symbol in free:
        i, j = _indices(symbol.name)
        values[symbol] = (target if symbol.name.startswith("y") else prediction)[i, j]
    symbolic = np.array(check.rule.subs(values).evalf(), dtype=float)
    numeric = losses.get_loss(name).gradient(prediction, target)
    np.testing.assert_allclose(symbolic, numeric, rtol=1e-12)


def _indices(name):
    """"\\hat{y}_{1,2}" -> (0, 1)."""
    i, j = name.split("_{")[-1].rstrip("}").split(",")
    return int(i) - 1, int(j) - 1


def test_bad_activation_and_loss_names():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'.*sigmoid"):
        activation_derivative("sigmod")
    with pytest.raises(ValueError, match="softmax_jacobian_derivative"):
        activation_derivative("softmax")
    with pytest.raises(ValueError, match="unknown loss 'l2'.*mse"):
        loss_derivative("l2")
    with pytest.raises(ValueError, match="k must be"):
        softmax_jacobian_derivative(1)


# ---- the network in symbols -------------------------------------------------------------
def test_network_symbols_and_names():
    net = SymbolicNetwork([2, 2, 1], hidden="sigmoid", output="sigmoid", loss="mse")
    assert [s.name for s in net.x] == ["x_{1}", "x_{2}"]
    assert [s.name for s in net.y] == ["y_{1}"]
    assert net.parameters["W1[0, 1]"].name == "w^{(1)}_{12}"
    assert net.parameters["b1[0]"].name == "b^{(1)}_{1}"
    assert list(net.parameters) == ["W1[0, 0]", "W1[0, 1]", "W1[1, 0]", "W1[1, 1]", "b1[0]",
                                    "b1[1]", "W2[0, 0]", "W2[1, 0]", "b2[0]"]
    assert net.weights[0].shape == (2, 2) and net.output.shape == (1, 1)
    # the output layer's gradient has the textbook form (a - y) a (1 - a) h
    a = net.output[0]
    h = net.activations[0][0]
    assert expressions_equal(net.gradients["W2[0, 0]"], (a - net.y[0]) * a * (1 - a) * h)


CASES = [
    ([2, 2, 1], "sigmoid", "sigmoid", "mse", np.array([[0.3], [0.9], [0.1]])),
    ([2, 3, 2], "tanh", "identity", "softmax_cross_entropy", np.array([0, 1, 1])),
    ([2, 3, 2], "relu", "sigmoid", "binary_cross_entropy",
     np.array([[0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])),
    ([2, 2, 2], "tanh", "softmax", "mse", np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]])),
    ([2, 1], "tanh", "identity", "mse", np.array([0.5, -0.2, 0.1])),
]


@pytest.mark.parametrize("sizes, hidden, output, loss, y", CASES,
                         ids=[f"{c[0]}-{c[1]}-{c[2]}-{c[3]}" for c in CASES])
def test_symbolic_backprop_and_numeric_gradients_agree(sizes, hidden, output, loss, y):
    X = np.array([[0.5, -1.2], [1.5, 0.3], [-0.7, 0.8]])
    net = SymbolicNetwork(sizes, hidden=hidden, output=output, loss=loss)
    report = net.compare(X, y, rng=3)
    assert isinstance(report, GradientReport)
    assert len(report.rows) == len(net.parameters)
    assert report.passed(1e-6), report.to_text()
    network = build_network(sizes, hidden=hidden, output=output, rng=3)
    assert report.loss == pytest.approx(
        losses.get_loss(loss).value(network.forward(X), y if loss != "softmax_cross_entropy"
                                    else np.eye(2)[y]), rel=1e-12)


def test_report_renders_as_text_and_html():
    net = SymbolicNetwork([2, 2, 1], hidden="tanh", output="identity")
    report = net.compare([[1.0, 2.0]], [[0.5]])
    text, page = str(report), report._repr_html_()
    assert "W1[0, 1]" in text and "rel. error" in text and "largest relative error" in text
    assert page.startswith("<table>") and "<td>W1[0, 1]</td>" in page


def test_from_network_and_mismatch():
    network = build_network([2, 3, 2], hidden="relu", output="softmax")
    net = SymbolicNetwork.from_network(network, loss="mse")
    assert (net.sizes, net.hidden, net.output_activation) == ([2, 3, 2], "relu", "softmax")
    other = SymbolicNetwork([2, 3, 2], hidden="tanh", output="softmax")
    with pytest.raises(ValueError, match="does not match"):
        other.compare([[1.0, 2.0]], [[0.0, 1.0]], network)


def test_network_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        SymbolicNetwork([2])
    with pytest.raises(ValueError, match="unknown hidden activation 'tan'"):
        SymbolicNetwork([2, 1], hidden="tan")
    with pytest.raises(ValueError, match="unknown loss"):
        SymbolicNetwork([2, 1], loss="l1")
    net = SymbolicNetwork([2, 1])
    with pytest.raises(ValueError, match="expected \\(n_samples, 2\\)"):
        net.compare([[1.0, 2.0, 3.0]], [0.0])
    with pytest.raises(ValueError, match="unknown parameter"):
        net.chain_rule("W9[0, 0]")


def test_chain_rule_on_the_network_loss_matches_diff():
    net = SymbolicNetwork([2, 2, 1], hidden="tanh", output="identity")
    result = net.chain_rule("W1[0, 1]")
    assert result.matches_diff()


@pytest.mark.parametrize("hidden, output, loss", [("tanh", "softmax", "mse"),
                                                  ("sigmoid", "identity", "softmax_cross_entropy"),
                                                  ("relu", "sigmoid", "binary_cross_entropy")])
def test_backprop_equations_give_the_symbolic_gradients(hidden, output, loss):
    net = SymbolicNetwork([2, 3, 2], hidden=hidden, output=output, loss=loss)
    rng = np.random.default_rng(1)
    numbers = {s: sp.Float(rng.uniform(0.1, 0.9)) for s in net.x + net.y}
    numbers.update({s: sp.Float(rng.normal()) for s in net.parameters.values()})
    env = dict(numbers)
    for symbol, rhs in net.backprop_equations():
        env[symbol] = rhs.xreplace(env)  # a number: every symbol is known by now
    for name, gradient in net.gradients.items():
        expected = float(gradient.xreplace(numbers))
        assert float(env[sp.Symbol(f"d{name}")]) == pytest.approx(expected, rel=1e-10, abs=1e-14)


# ---- expression size --------------------------------------------------------------------
def test_expression_size_grows_much_faster_written_out():
    rows = expression_size_table(max_depth=4)
    assert [r.depth for r in rows] == [1, 2, 3, 4]
    steps = [b.chain_rule_ops - a.chain_rule_ops for a, b in zip(rows, rows[1:], strict=False)]
    assert len(set(steps)) == 1  # the chain-rule form grows linearly with depth
    ratios = [r.ratio for r in rows]
    assert ratios == sorted(ratios) and ratios[-1] > 50
    assert all(r.expanded_ops > r.cse_ops > r.chain_rule_ops for r in rows[1:])
    assert "expanded_ops" in format_size_table(rows)
    with pytest.raises(ValueError, match="max_depth"):
        expression_size_table(0)


# ---- notation of the direct edge, short reprs, stable error column ------------------------
def test_direct_edge_is_written_apart_from_the_total_derivative():
    xv, yv = Value(3.0, "x"), Value(-2.0, "y")
    p = xv * yv
    p.label = "p"
    f = p + xv
    f.label = "f"
    result = chain_rule_gradient(f, "x")
    chain = result.text().splitlines()[2]
    assert chain == "df/dx = df/dp * dp/dx + df/dx (direct)"
    assert "  df/dx (direct) = 1" in result.text().splitlines()
    assert [fac.direct for fac in result.factors] == [False, False, True]
    direct = r"\left.\frac{\partial f}{\partial x}\right|_{\text{direct}}"
    assert result.latex().count(direct) == 1
    # a local derivative on any other edge keeps the plain symbol
    assert "(direct)" not in chain_rule_gradient((x + y) * z, "x").text()


def test_dataclass_reprs_are_short_and_readable():
    check = activation_derivative("sigmoid")
    assert repr(check) == "DerivativeCheck(sigmoid (wrt z): rule = sympy.diff ✓)"
    assert repr(loss_derivative("softmax_cross_entropy", 2, 3)) == (
        "DerivativeCheck(softmax_cross_entropy (wrt 6 variables): rule = sympy.diff ✓)"
    )
    wrong = DerivativeCheck("wrong", (z,), z**2, z, 2 * z, "f'(z) = z")
    assert repr(wrong) == "DerivativeCheck(wrong (wrt z): rule ≠ sympy.diff ✗)"
    latex = check._repr_latex_()
    assert latex.startswith("$$") and latex.endswith("$$")
    assert r"\text{rule} = \text{sympy.diff}" in latex and "✓" in latex
    assert r"\neq" in wrong._repr_latex_() and "✗" in wrong._repr_latex_()

    result = chain_rule_gradient(x * y + x, "x")
    assert repr(result) == "ChainRuleResult(df/dx = y + 1)"
    assert repr(result.factors[0]) == "LocalDerivative(df/dx (direct) = 1)"
    big = chain_rule_gradient(sp.tanh(sp.tanh(sp.tanh(x * y + z) * x) * y), "x")
    assert len(repr(big)) <= 80 and repr(big).endswith("…)")

    net = SymbolicNetwork([2, 2, 1], hidden="tanh", output="identity")
    assert repr(net) == (
        "SymbolicNetwork([2, 2, 1], hidden='tanh', output='identity', loss='mse': "
        "9 parameters)"
    )
    report = net.compare([[1.0, 2.0]], [[0.5]])
    assert "\n" not in repr(report) and len(repr(report)) < 120
    assert repr(report).startswith("GradientReport(9 parameter entries, loss (mse) = ")
    row = repr(report.rows[0])
    assert row.startswith("GradientRow(W1[0, 0]: symbolic ") and row.endswith("< 1e-7)")
    (size,) = expression_size_table(1)
    assert repr(size).startswith("SizeRow(depth 1: expanded ") and len(repr(size)) < 100


def test_report_shows_rounding_sized_errors_as_a_bound():
    net = SymbolicNetwork([2, 2, 1], hidden="tanh", output="identity")
    report = net.compare([[1.0, 2.0]], [[0.5]])
    lines = report.to_text().splitlines()
    assert all(line.endswith("< 1e-7") for line in lines[2:-1])
    assert lines[-1].endswith("largest relative error < 1e-7")
    assert "e-1" not in report.to_text() and "e-0" not in report.to_html()
    report.error_bound = 1e-30  # nothing is that small: every value shown
    assert "< " not in report.to_text() and "largest relative error = " in report.to_text()
    report.error_bound = None
    assert "< " not in report.to_text()
    report.rows[0].relative_error = 0.5  # a real disagreement is always shown as a number
    report.error_bound = 1e-7
    assert report.to_text().splitlines()[2].endswith("5.0e-01")


def test_symbolic_relu_slope_at_the_kink_matches_backprop():
    # zero biases and an all-zero input row put hidden pre-activations at exactly 0, where
    # sympy's Heaviside is 1/2 but helpers.activations takes ReLU's slope as 0
    network = build_network([2, 2, 1], hidden="relu", rng=0)
    report = SymbolicNetwork([2, 2, 1], hidden="relu").compare(
        np.array([[0.0, 0.0], [1.0, 2.0]]), np.array([[1.0], [0.0]]), network)
    for row in report.rows:
        assert row.symbolic == pytest.approx(row.backprop, rel=1e-9, abs=1e-12), row


def test_symbolic_network_class_labels_are_checked_like_everywhere_else():
    network = SymbolicNetwork([2, 2], hidden="tanh", output="identity",
                              loss="softmax_cross_entropy")
    X = np.array([[0.1, 0.2], [0.3, -0.4]])
    with pytest.raises(ValueError, match=r"y must be whole class indices in \[0, 2\); "
                                         r"got 3 at index 1$"):
        network.evaluate(X, [0, 3], build_network([2, 2], output="identity"))
    loss, _ = network.evaluate(X, [0, 1], build_network([2, 2], output="identity"))
    assert loss == pytest.approx(losses.softmax_cross_entropy(
        build_network([2, 2], output="identity").forward(X), [0, 1]))


# ---- the operations come from the one table of helpers.graph -------------------------------
@pytest.fixture
def registered():
    """Register operations for one test (register(...) returns the Operation); unregister after."""
    names = []

    def register(*args, **kwargs):
        operation = register_operation(Operation(*args, **kwargs))
        names.append(operation.name)
        return operation

    yield register
    for name in names:
        unregister_operation(name)


def test_a_registered_square_works_in_symbols_with_no_edit_there(square):
    xv, yv = Value(1.5, "x"), Value(-0.5, "y")
    out = apply_operation("square", [xv]) * yv + apply_operation("square", [xv + yv]).tanh()
    expr, symbols = to_sympy(out)
    sx, sy = symbols["x"], symbols["y"]
    assert expr == sx**2 * sy + sp.tanh((sx + sy) ** 2)
    out.backward()
    point = {sx: 1.5, sy: -0.5}
    for leaf, symbol in ((xv, sx), (yv, sy)):
        result = chain_rule_gradient(out, leaf)
        assert expressions_equal(result.gradient, sp.diff(expr, symbol))
        assert float(result.gradient.subs(point)) == pytest.approx(leaf.grad, rel=1e-12)
    # the square node's local derivative is sympy.diff of its form: d(x**2)/dx = 2 x
    factors = chain_rule_gradient(out, "x").factors
    assert 2 * sx in [factor.expression for factor in factors if factor.input == "x"]
    rebuilt = from_sympy(expr, {"x": 1.5, "y": -0.5})
    rebuilt.backward()
    leaves = {node.label: node for node in rebuilt.topological_order() if not node.inputs}
    assert rebuilt.data == pytest.approx(out.data, rel=1e-14)
    assert leaves["x"].grad == pytest.approx(xv.grad, rel=1e-12)
    assert leaves["y"].grad == pytest.approx(yv.grad, rel=1e-12)


def test_from_sympy_reads_functions_and_patterns_from_the_table(registered):
    with pytest.raises(ValueError, match="unsupported sympy function sin.*exp.*sigmoid"):
        from_sympy(sp.sin(x), {"x": 0.3})
    registered("sin", 1, lambda a: (math.sin(a), (math.cos(a),)), "sin({0})", r"\sin({0})",
               lambda sp, a: sp.sin(a))
    softplus = registered("softplus", 1, lambda a: (math.log1p(math.exp(a)),
                                                    (1 / (1 + math.exp(-a)),)),
                          "softplus({0})", r"\operatorname{{softplus}}({0})",
                          lambda sp, a: sp.log(1 + sp.exp(a)))
    expr = sp.sin(x * y) + softplus.sympy(sp, x) * y
    out = from_sympy(expr, {"x": 0.3, "y": 2.0})
    assert sorted(n.op for n in out.topological_order() if n.inputs) == ["*", "*", "+", "sin",
                                                                         "softplus"]
    out.backward()
    leaves = {node.label: node for node in out.topological_order() if not node.inputs}
    for symbol in (x, y):
        exact = float(sp.diff(expr, symbol).subs({x: 0.3, y: 2.0}))
        assert leaves[symbol.name].grad == pytest.approx(exact, rel=1e-12)
    assert chain_rule_gradient(out, "x").matches_diff()


def test_from_sympy_keeps_a_recognised_operation_inside_a_product():
    out = from_sympy(sp.Max(0, x) * sigmoid_expression(y), {"x": 2.0, "y": 3.0})
    assert sorted(n.op for n in out.topological_order() if n.inputs) == ["*", "relu", "sigmoid"]


def test_sigmoid_and_the_activations_are_the_graph_operations():
    assert sigmoid_expression(z) == OPERATIONS["sigmoid"].sympy(sp, z)
    for name in ("sigmoid", "tanh", "relu"):
        assert activation_derivative(name).expression == OPERATIONS[name].sympy(sp, z)


def test_local_derivatives_reuse_the_node_value_as_backprop_does():
    v = Value(0.4, "v")
    for op, textbook in (("sigmoid", lambda s: s * (1 - s)), ("tanh", lambda t: 1 - t**2),
                         ("exp", lambda e: e)):
        node = apply_operation(op, [v])
        node.label = "a"
        (factor,) = chain_rule_gradient(node, "v").factors
        s = sp.Symbol("v", real=True)
        assert factor.expression == textbook(OPERATIONS[op].sympy(sp, s)), op
    (factor,) = chain_rule_gradient(v.relu(), "v").factors
    assert factor.expression == sp.Heaviside(sp.Symbol("v", real=True))


def test_counts_and_sizes_are_checked_like_everywhere_else():
    with pytest.raises(ValueError, match=r"sizes\[1\] must be a positive whole number"):
        SymbolicNetwork([2, 0])
    with pytest.raises(TypeError, match=r"sizes\[0\] must be a positive whole number"):
        SymbolicNetwork(["2", 1])
    with pytest.raises(ValueError, match="unknown output activation 'soft'; valid: identity"):
        SymbolicNetwork([2, 1], output="soft")
    with pytest.raises(ValueError, match="width must be a positive whole number"):
        expression_size_table(1, width=0)
    with pytest.raises(ValueError, match="unknown activation 'tan'"):
        expression_size_table(1, activation="tan")
    with pytest.raises(ValueError, match="n_samples must be a positive whole number"):
        loss_derivative("mse", n_samples=0)
    with pytest.raises(ValueError, match="k must be at least 2.*got 1"):
        softmax_jacobian_derivative(1)
    with pytest.raises(ValueError, match="max_paths must be a positive whole number"):
        chain_rule_gradient(x * y, "x", max_paths=0)
    net = SymbolicNetwork([2, 1])
    with pytest.raises(TypeError, match="network must be a helpers.network.Network"):
        net.evaluate([[1.0, 2.0]], [0.5], "not a network")
    with pytest.raises(ValueError, match="h must be a finite number > 0"):
        net.compare([[1.0, 2.0]], [0.5], h=0.0)
    with pytest.raises(ValueError, match="unknown parameter 'w'; valid: W1\\[0, 0\\]"):
        net.chain_rule("w")
