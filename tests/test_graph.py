"""Tests of helpers.graph: values, gradients, recorded steps, bad input."""

import math
import subprocess
import sys

import pytest

from helpers.graph import BackwardStep, ForwardStep, Value, format_number, latex_name


# ---- known circuits ---------------------------------------------------------------------
def test_sum_times_circuit():
    x, y, z = Value(-2.0, "x"), Value(5.0, "y"), Value(-4.0, "z")
    f = (x + y) * z
    f.backward()
    assert f.data == -12.0
    assert (x.grad, y.grad, z.grad) == (-4.0, -4.0, 3.0)


@pytest.mark.parametrize("a_value", [-1.5, 0.0, 3.0])
def test_reused_node_accumulates(a_value):
    a = Value(a_value, "a")
    b = a + a
    c = b * b
    c.backward()
    assert a.grad == pytest.approx(8 * a_value)
    assert b.grad == pytest.approx(2 * b.data)


def test_upstream_grad_scales_everything():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = x * y
    z.backward(upstream_grad=2.0)
    assert (z.grad, x.grad, y.grad) == (2.0, 6.0, 4.0)


def test_backward_twice_gives_the_same_gradients():
    x = Value(0.3, "x")
    y = (x * x).tanh() + x
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first


def test_zero_grad_resets_graph():
    x, y = Value(2.0), Value(3.0)
    z = x * y + x
    z.backward()
    z.zero_grad()
    assert all(node.grad == 0 for node in z.topological_order())


# ---- each operation: value and local derivative -----------------------------------------
OPS = [
    (lambda a: a + 2, lambda a: a + 2, lambda a: 1.0),
    (lambda a: 2 + a, lambda a: 2 + a, lambda a: 1.0),
    (lambda a: a - 2, lambda a: a - 2, lambda a: 1.0),
    (lambda a: 2 - a, lambda a: 2 - a, lambda a: -1.0),
    (lambda a: a * 3, lambda a: a * 3, lambda a: 3.0),
    (lambda a: 3 * a, lambda a: 3 * a, lambda a: 3.0),
    (lambda a: a / 4, lambda a: a / 4, lambda a: 0.25),
    (lambda a: 4 / a, lambda a: 4 / a, lambda a: -4 / a**2),
    (lambda a: a**3, lambda a: a**3, lambda a: 3 * a**2),
    (lambda a: a**-1, lambda a: 1 / a, lambda a: -1 / a**2),
    (lambda a: a**0, lambda a: 1.0, lambda a: 0.0),
    (lambda a: -a, lambda a: -a, lambda a: -1.0),
    (lambda a: a.exp(), math.exp, math.exp),
    (lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)),
     lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2),
    (lambda a: a.tanh(), math.tanh, lambda a: 1 - math.tanh(a) ** 2),
    (lambda a: a.relu(), lambda a: max(a, 0.0), lambda a: float(a > 0)),
]


@pytest.mark.parametrize("a", [-1.7, 0.6, 2.5])
@pytest.mark.parametrize("op, value, derivative", OPS)
def test_operation_value_and_derivative(op, value, derivative, a):
    x = Value(a, "x")
    y = op(x)
    y.backward()
    assert y.data == pytest.approx(value(a), rel=1e-12)
    assert x.grad == pytest.approx(derivative(a), rel=1e-12)


@pytest.mark.parametrize("a", [0.3, 2.5])
def test_log_and_fractional_power(a):
    x = Value(a, "x")
    y = x.log() + x**0.5
    y.backward()
    assert y.data == pytest.approx(math.log(a) + math.sqrt(a))
    assert x.grad == pytest.approx(1 / a + 0.5 / math.sqrt(a))


def test_numpy_scalar_on_the_left():
    np = pytest.importorskip("numpy")
    x = Value(2.0, "x")
    y = np.float64(3.0) * x
    assert isinstance(y, Value) and y.data == 6.0


# ---- stability --------------------------------------------------------------------------
def test_sigmoid_and_tanh_are_stable_at_extremes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(800.0).tanh().data == 1.0
    assert Value(-800.0).tanh().data == -1.0
    x = Value(-1000.0)
    y = x.sigmoid()
    y.backward()
    assert x.grad == 0.0 and math.isfinite(x.grad)


def test_exp_overflow_is_a_clear_error():
    with pytest.raises(OverflowError, match=r"exp\(x\).*800"):
        Value(800.0, "x").exp()
    assert math.isfinite(Value(709.0).exp().data)


def test_product_overflow_is_a_clear_error():
    with pytest.raises(OverflowError, match="too large"):
        Value(1e200) * 1e200


# ---- deep graphs --------------------------------------------------------------------------
def test_chain_of_100000_operations_has_no_recursion_error():
    x = Value(0.5, "x")
    node = x
    for _ in range(100_000):
        node = node.tanh()
    node.backward()
    order = node.topological_order()
    assert len(order) == 100_001
    assert order[0] is x and order[-1] is node
    # d tanh^n(x)/dx = prod (1 - tanh_k^2), each factor < 1 and > 0
    assert 0.0 < x.grad < 1.0


def test_long_chain_of_additions_has_exact_gradient():
    x = Value(1.0, "x")
    node = x
    for _ in range(20_000):
        node = node + x  # x used 20,001 times
    node.backward()
    assert x.grad == 20_001.0


def test_topological_order_puts_inputs_first_and_each_node_once():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    assert len(order) == len(set(map(id, order)))
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for inp in node.inputs:
            assert position[id(inp)] < position[id(node)]


# ---- names and recorded steps ------------------------------------------------------------
def test_names_use_labels_then_v1_v2_in_topological_order():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = (x * y + 1).tanh()
    names = z.names()
    assert [names[n] for n in z.topological_order()] == ["x", "y", "v1", "1", "v2", "v3"]
    assert z.name == "v3"


def test_label_taken_by_user_is_skipped():
    x = Value(2.0, "v1")
    y = x * 2
    assert y.name == "v2"


def test_forward_steps_text_and_latex():
    x, y = Value(-2.0, "x"), Value(3.0, "y")
    z = x * y
    z.label = "z"
    steps = z.forward_steps()
    assert len(steps) == 1
    step = steps[0]
    assert isinstance(step, ForwardStep)
    assert (step.op, step.input_values, step.value) == ("*", (-2.0, 3.0), -6.0)
    assert step.text() == "z = x * y = -2 * 3 = -6"
    assert step.latex() == r"z = x \cdot y = -2 \cdot 3 = -6"


@pytest.mark.parametrize(
    "build, text, latex",
    [
        (lambda x: x - 4, "v1 = x - 4 = -2 - 4 = -6", "v_{1} = x - 4 = -2 - 4 = -6"),
        (lambda x: x / 4, "v1 = x / 4 = -2 / 4 = -0.5",
         r"v_{1} = \frac{x}{4} = \frac{-2}{4} = -0.5"),
        (lambda x: x**2, "v1 = x ** 2 = (-2) ** 2 = 4", "v_{1} = x^{2} = (-2)^{2} = 4"),
        (lambda x: -x, "v1 = -x = -(-2) = 2", "v_{1} = -x = -(-2) = 2"),
        (lambda x: x.exp(), "v1 = exp(x) = exp(-2) = 0.1353", "v_{1} = e^{x} = e^{-2} = 0.1353"),
        (lambda x: x.sigmoid(), "v1 = sigmoid(x) = sigmoid(-2) = 0.1192",
         r"v_{1} = \sigma(x) = \sigma(-2) = 0.1192"),
        (lambda x: x.relu(), "v1 = relu(x) = relu(-2) = 0",
         r"v_{1} = \operatorname{ReLU}(x) = \operatorname{ReLU}(-2) = 0"),
    ],
)
def test_forward_step_renderings(build, text, latex):
    x = Value(-2.0, "x")
    (step,) = build(x).forward_steps()
    assert step.text() == text
    assert step.latex() == latex


def test_backward_step_text_and_latex():
    x, y = Value(2.0, "x"), Value(3.0, "y")
    z = x * y
    z.label = "z"
    (step,) = z.backward_steps(upstream_grad=2.0)
    assert isinstance(step, BackwardStep)
    assert step.upstream_grad == 2.0
    assert [c.input for c in step.contributions] == [x, y]
    assert step.text().splitlines()[0] == "dL/dx = dL/dz * dz/dx = 2 * 3 = 6"
    assert step.latex().split(r" \\ ")[0] == (
        r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial z}\,"
        r"\frac{\partial z}{\partial x} = 2 \times 3 = 6"
    )


def test_backward_step_shows_accumulation_for_a_reused_node():
    a = Value(3.0, "a")
    b = a * a
    b.label = "b"
    (step,) = b.backward_steps()
    first, second = step.contributions
    assert (first.grad_before, first.grad_after) == (0.0, 3.0)
    assert (second.grad_before, second.grad_after) == (3.0, 6.0)
    assert step.text().splitlines()[1] == (
        "dL/da += dL/db * db/da = 1 * 3 = 3, so dL/da = 3 + 3 = 6"
    )


def test_backward_steps_multiply_out_and_sum_to_grad():
    x, y = Value(0.7, "x"), Value(-1.3, "y")
    q = x * y
    r = (q + x).tanh()
    out = r * q - (x / (y * y + 1)).sigmoid() + (q.exp()).log()
    steps = out.backward_steps()
    order = out.topological_order()
    assert [s.node for s in steps] == [n for n in reversed(order) if n.inputs]
    received = {id(n): 0.0 for n in order}
    for step in steps:
        assert step.upstream_grad == step.node.grad
        for c in step.contributions:
            assert c.product == step.upstream_grad * c.local_grad
            assert c.grad_after == c.grad_before + c.product
            received[id(c.input)] += c.product
    for node in order:
        if node is not out and not node.is_constant:
            assert received[id(node)] == pytest.approx(node.grad, rel=1e-15, abs=1e-15)
    # and the recorded run gives the same grads as a plain backward
    recorded = [n.grad for n in order]
    out.backward()
    assert [n.grad for n in order] == recorded


def test_forward_steps_are_in_topological_order():
    x = Value(1.0, "x")
    y = (x * 2).exp() + x
    steps = y.forward_steps()
    assert [s.node for s in steps] == [n for n in y.topological_order() if n.inputs]
    assert steps[-1].value == y.data


# ---- formatting -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "x, text",
    [(2.0, "2"), (-6.0, "-6"), (1 / 3, "0.3333"), (-0.0, "0"), (123456.0, "1.235e5"),
     (1.5e-7, "1.5e-7"), (float("inf"), "inf"), (float("nan"), "nan")],
)
def test_format_number(x, text):
    assert format_number(x) == text


def test_format_number_latex_powers_of_ten():
    assert format_number(1.5e-7, latex=True) == r"1.5 \times 10^{-7}"
    assert format_number(1e-7, latex=True) == "10^{-7}"


@pytest.mark.parametrize(
    "name, latex", [("x", "x"), ("x1", "x_{1}"), ("v12", "v_{12}"), ("loss", r"\mathrm{loss}"),
                    ("w_1", "w_1")],
)
def test_latex_name(name, latex):
    assert latex_name(name) == latex


# ---- bad input --------------------------------------------------------------------------
@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_inf_are_rejected(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad, "x")
    with pytest.raises(ValueError, match="finite"):
        Value(1.0) + bad


@pytest.mark.parametrize("bad", ["2", None, [1.0], 1j])
def test_non_numbers_are_rejected(bad):
    with pytest.raises(TypeError, match="real number"):
        Value(bad)
    with pytest.raises(TypeError, match="real number"):
        Value(1.0) * bad


@pytest.mark.parametrize("a", [0.0, -1.0])
def test_log_of_non_positive_value(a):
    with pytest.raises(ValueError, match=r"log\(x\) needs a positive input; got x = "):
        Value(a, "x").log()


def test_value_exponent_is_rejected():
    x, p = Value(2.0, "x"), Value(3.0, "p")
    with pytest.raises(TypeError, match="exponent.*not a Value"):
        x**p
    with pytest.raises(TypeError, match="exponent.*not a Value"):
        2**x


def test_bad_powers_and_division():
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0, "x") ** 0.5
    with pytest.raises(ValueError, match="x = 0"):
        Value(0.0, "x") ** -1
    with pytest.raises(ValueError, match="division by zero"):
        Value(1.0) / 0


def test_bad_upstream_grad_and_label():
    with pytest.raises(ValueError, match="upstream_grad"):
        Value(1.0).backward(float("nan"))
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)


def test_import_does_not_load_sympy():
    code = "import sys, helpers.graph; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ---- LaTeX: no English word left in math mode -------------------------------------------
def _words_in_math(latex: str) -> list[str]:
    """Runs of two or more letters that would render as italic variables (s·o) in math mode.

    Text inside \\text{}, \\mathrm{} and \\operatorname{} and the commands themselves are fine.
    """
    import re

    stripped = re.sub(r"\\(?:text|mathrm|operatorname)\{[^{}]*\}", " ", latex)
    stripped = re.sub(r"\\[A-Za-z]+", " ", stripped)
    return re.findall(r"[A-Za-z]{2,}", stripped)


def test_every_latex_rendering_keeps_words_out_of_math_mode():
    x, y = Value(0.5, "x"), Value(-1.5, "y")
    q = x * y
    out = (q + x).tanh() + (x / (y * y + 1)).sigmoid() - (q.exp()).log() + (x - y).relu()
    out = out + (-x) ** 2 + 2 / x
    out.label = "loss"
    latex = [step.latex() for step in out.forward_steps()]
    steps = out.backward_steps()
    for output_name in ("L", "loss", "c"):
        for step in steps:
            step.output_name = output_name
            latex.append(step.latex())
    assert any(r"\mathrel{+}=" in text for text in latex)  # the accumulation line is covered
    assert format_number(float("nan"), latex=True) == r"\mathrm{NaN}"
    for text in latex:
        assert _words_in_math(text) == [], text


def test_backward_step_latex_writes_so_as_text():
    a = Value(3.0, "a")
    b = a * a
    b.label = "b"
    (step,) = b.backward_steps()
    second = step.latex().split(r" \\ ")[1]
    assert r"\text{so}" in second
    assert ", so " not in second


def test_division_by_a_very_small_or_large_number_has_the_right_local_derivatives():
    # dz/db = -a / b**2: b**2 alone overflows for b = 1e200 (the quotient is fine) and
    # rounds to 0 for b = 1e-200 (where the derivative itself leaves float64)
    z = Value(1.0, "a") / Value(1e200, "b")
    assert z.data == 1e-200
    assert z.local_grads == (1e-200, -0.0)
    with pytest.raises(OverflowError, match="too large for a float64"):
        Value(1.0, "a") / Value(1e-200, "b")
    q = Value(3.0, "a") / Value(2.0, "b")
    assert q.local_grads == (0.5, -0.75)


def test_a_second_use_is_shown_as_accumulation_even_after_a_zero_contribution():
    # relu(a) sends a first contribution of 0 to a; the second one used to be printed as
    # "dL/da = ... = 2", a second, contradicting value for the same gradient
    a, b = Value(-1.0, "a"), Value(2.0, "b")
    loss = a * b + a.relu() * b
    text = "\n".join(step.text() for step in loss.backward_steps())
    assert "dL/da = dL/dv2 * dv2/da = 2 * 0 = 0" in text
    assert "dL/da += dL/dv1 * dv1/da = 1 * 2 = 2, so dL/da = 0 + 2 = 2" in text
    assert a.grad == 2.0
    x = Value(0.0, "x")
    lines = (x * x).backward_steps()[0].text().splitlines()
    assert lines[0].startswith("dL/dx = ") and lines[1].startswith("dL/dx += ")


def test_every_public_name_of_the_graph_module_is_in_all():
    import helpers.graph as graph

    defined_here = {
        name for name, value in vars(graph).items()
        if not name.startswith("_") and not isinstance(value, type(graph))
        and getattr(value, "__module__", graph.__name__) == graph.__name__
    }
    assert defined_here <= set(graph.__all__), defined_here - set(graph.__all__)


def test_apply_operation_is_the_operation_itself():
    from helpers.graph import apply_operation

    x, y = Value(0.5, "x"), Value(2.0, "y")
    cases = {"+": x + y, "-": x - y, "*": x * y, "/": x / y, "neg": -x, "exp": x.exp(),
             "log": x.log(), "sigmoid": x.sigmoid(), "tanh": x.tanh(), "relu": x.relu()}
    for op, expected in cases.items():
        node = apply_operation(op, [x, y] if op in "+-*/" else [x])
        assert (node.op, node.data, node.local_grads) == (op, expected.data, expected.local_grads)
    power = apply_operation("**", [3.0], 2)
    assert (power.data, power.local_grads, power.exponent) == (9.0, (6.0,), 2.0)
    with pytest.raises(ValueError, match=r"unknown operation 'sin'; valid: \+, -, \*, /, \*\*"):
        apply_operation("sin", [x])
