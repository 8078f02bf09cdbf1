"""Property tests: gradients of random Value graphs equal central differences.

A random graph is a recipe: leaf values and a list of steps (op, i, j, exponent), each step
using one or two earlier nodes (possibly the same node twice, so nodes get reused). The
recipe only keeps steps where the operation is defined and smooth near the current point
(no ReLU kink, no log of a small number, no huge exp), so central differences are accurate.
"""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.graph import Value

SETTINGS = settings(derandomize=True, deadline=None, max_examples=150)
BINARY = ("+", "-", "*", "/")
UNARY = ("**", "neg", "exp", "log", "sigmoid", "tanh", "relu")


def apply_step(nodes, op, i, j, exponent):
    """The Value made by one recipe step from the list of earlier nodes."""
    a, b = nodes[i], nodes[j]
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        return a / b
    if op == "**":
        return a**exponent
    if op == "neg":
        return -a
    return getattr(a, op)()


def is_safe(op, a, b, exponent):
    """True where the step is defined, smooth and moderate at the values a (and b)."""
    if op == "/":
        return abs(b) >= 0.3
    if op == "**":
        return {0.5: a >= 0.2, -1: abs(a) >= 0.3}.get(exponent, True)
    if op == "exp":
        return a <= 3
    if op == "log":
        return a >= 0.3
    if op == "relu":
        return abs(a) >= 0.1
    return True


def build(leaf_values, steps):
    """All nodes of the recipe's graph (leaves first, then one per step) as Values."""
    nodes = [Value(v, f"x{k + 1}") for k, v in enumerate(leaf_values)]
    for op, i, j, exponent in steps:
        nodes.append(apply_step(nodes, op, i, j, exponent))
    return nodes


@st.composite
def graph_recipes(draw, max_leaves=3, max_steps=10):
    """(leaf_values, steps) of a random graph whose last node is the output."""
    magnitude = st.floats(0.25, 2.0)
    leaf_values = [
        draw(magnitude) * draw(st.sampled_from([-1.0, 1.0]))
        for _ in range(draw(st.integers(1, max_leaves)))
    ]
    nodes = build(leaf_values, [])
    steps = []
    for _ in range(draw(st.integers(1, max_steps))):
        op = draw(st.sampled_from(BINARY + UNARY))
        # prefer recent nodes, so graphs get deep, but allow any (reuse)
        i = draw(st.integers(0, len(nodes) - 1) | st.just(len(nodes) - 1))
        j = draw(st.integers(0, len(nodes) - 1))
        exponent = draw(st.sampled_from([2, 3, -1, 0.5]))
        step = (op, i, j, exponent)
        if not is_safe(op, nodes[i].data, nodes[j].data, exponent):
            step = ("tanh", i, i, exponent)
        node = apply_step(nodes, *step)
        if abs(node.data) > 20:
            step = ("tanh", i, i, exponent)
            node = apply_step(nodes, *step)
        nodes.append(node)
        steps.append(step)
    return leaf_values, steps


def scaled_error(a, b):
    """|a - b| / max(|a|, |b|, 1): relative error, absolute for values below 1."""
    return abs(a - b) / max(abs(a), abs(b), 1.0)


def central_difference(leaf_values, steps, k, h=1e-6):
    """d(output)/d(leaf k) by (f(x + h) - f(x - h)) / 2h."""
    plus, minus = list(leaf_values), list(leaf_values)
    plus[k] += h
    minus[k] -= h
    return (build(plus, steps)[-1].data - build(minus, steps)[-1].data) / (2 * h)


@SETTINGS
@given(graph_recipes())
def test_gradients_equal_central_differences(recipe):
    leaf_values, steps = recipe
    nodes = build(leaf_values, steps)
    nodes[-1].backward()
    for k in range(len(leaf_values)):
        numeric = central_difference(leaf_values, steps, k)
        assert scaled_error(nodes[k].grad, numeric) < 1e-6


@SETTINGS
@given(graph_recipes(), st.floats(-3, 3))
def test_recorded_backward_equals_plain_backward(recipe, upstream_grad):
    leaf_values, steps = recipe
    out = build(leaf_values, steps)[-1]
    out.backward(upstream_grad)
    plain = [node.grad for node in out.topological_order()]
    recorded_steps = out.backward_steps(upstream_grad)
    assert [node.grad for node in out.topological_order()] == plain
    for step in recorded_steps:
        for c in step.contributions:
            assert c.product == step.upstream_grad * c.local_grad


@SETTINGS
@given(graph_recipes())
def test_topological_order_is_valid(recipe):
    out = build(*recipe)[-1]
    order = out.topological_order()
    position = {id(node): k for k, node in enumerate(order)}
    assert len(position) == len(order)
    assert all(position[id(i)] < position[id(n)] for n in order for i in n.inputs)
    assert math.isfinite(out.data)
