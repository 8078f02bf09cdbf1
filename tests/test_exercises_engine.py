"""Tests of the checks of lesson 03, part 2 (write the engine): right rules and a right backward
pass are accepted, each typical mistake is named, nothing raises because of the learner's code,
and while nbgrader grades a wrong answer raises AnswerNotAccepted."""

import math
import time

import pytest
from verdicts import assert_accepted, assert_not_done, assert_rejected

from helpers.exercises import check_backward_rule, check_engine_backward
from helpers.exercises.engine import RULE_NAMES
from helpers.exercises.feedback import AnswerNotAccepted

# --- the lesson's engine, with its right answers -------------------------------------------


class Node:
    """The lesson's node class."""

    def __init__(self, data, inputs=(), backward_rule=None):
        self.data = float(data)
        self.grad = 0.0
        self.inputs = tuple(inputs)
        self.backward_rule = backward_rule

    def __add__(self, other):
        return Node(self.data + other.data, (self, other), add_backward)

    def __mul__(self, other):
        return Node(self.data * other.data, (self, other), mul_backward)

    def tanh(self):
        return Node(math.tanh(self.data), (self,), tanh_backward)

    def relu(self):
        return Node(max(self.data, 0.0), (self,), relu_backward)

    def max(self, other):
        return Node(max(self.data, other.data), (self, other), max_backward)


def topological_order(out):
    order, visited, stack = [], set(), [(out, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            stack.extend((inp, False) for inp in node.inputs if inp not in visited)
    return order


def add_backward(out):
    a, b = out.inputs
    a.grad += out.grad
    b.grad += out.grad


def mul_backward(out):
    a, b = out.inputs
    a.grad += out.grad * b.data
    b.grad += out.grad * a.data


def tanh_backward(out):
    (a,) = out.inputs
    a.grad += out.grad * (1.0 - out.data**2)


def relu_backward(out):
    (a,) = out.inputs
    if a.data > 0:
        a.grad += out.grad


def max_backward(out):
    a, b = out.inputs
    if a.data >= b.data:
        a.grad += out.grad
    else:
        b.grad += out.grad


def backward(out):
    order = topological_order(out)
    for node in order:
        node.grad = 0.0
    out.grad = 1.0
    for node in reversed(order):
        if node.backward_rule is not None:
            node.backward_rule(node)


RULES = {"+": add_backward, "*": mul_backward, "tanh": tanh_backward, "relu": relu_backward,
         "max": max_backward}


# --- check_backward_rule ---------------------------------------------------------------------


@pytest.mark.parametrize("op", list(RULES))
def test_each_right_rule_is_accepted(op):
    feedback = check_backward_rule(RULES[op], op, Node)
    assert_accepted(feedback)
    assert "central differences" in feedback.message and RULE_NAMES[op] in feedback.message


def _rule(op, body):
    """A rule whose body is body(out, inputs), named like the lesson's."""
    def rule(out):
        body(out, out.inputs)
    rule.__name__ = RULE_NAMES[op]
    return rule


def _set(node, value):
    node.grad = value


MISTAKES = [
    # missing upstream factor: right only when out.grad is 1
    ("*", lambda o, i: (_set(i[0], i[0].grad + i[1].data), _set(i[1], i[1].grad + i[0].data)),
     ["left out the upstream gradient", "multiply by out.grad", "out.grad = "]),
    ("tanh", lambda o, i: _set(i[0], i[0].grad + 1 - o.data**2), ["left out the upstream"]),
    # = instead of +=: a node used twice (a + a, a * a) ...
    ("+", lambda o, i: (_set(i[0], o.grad), _set(i[1], o.grad)),
     ["wrote = where the rule must add, +=", "out = a + a", "second share replaced the first"]),
    ("*", lambda o, i: (_set(i[0], o.grad * i[1].data), _set(i[1], o.grad * i[0].data)),
     ["+=", "out = a * a", "a is both inputs"]),
    # ... and across two rules feeding one node (the input already holds a share)
    ("tanh", lambda o, i: _set(i[0], o.grad * (1 - o.data**2)),
     ["+=", "already holds that node's share", "before the rule ran a.grad ="]),
    ("relu", lambda o, i: _set(i[0], o.grad if i[0].data > 0 else 0.0), ["+=", "threw it away"]),
    ("max", lambda o, i: (_set(i[0], o.grad if i[0].data >= i[1].data else 0.0),
                          _set(i[1], o.grad if i[1].data > i[0].data else 0.0)),
     ["+=", "threw it away", "b.grad ="]),
    # multiply's inputs not swapped, and its other mistakes
    ("*", lambda o, i: (_set(i[0], i[0].grad + o.grad * i[0].data),
                        _set(i[1], i[1].grad + o.grad * i[1].data)),
     ["multiply swaps its inputs", "a.grad gets out.grad times b.data"]),
    ("*", lambda o, i: (_set(i[0], i[0].grad + o.grad * o.data),
                        _set(i[1], i[1].grad + o.grad * o.data)), ["multiplied by out.data"]),
    ("*", lambda o, i: (_set(i[0], i[0].grad + o.grad), _set(i[1], i[1].grad + o.grad)),
     ["that is add's rule"]),
    # add
    ("+", lambda o, i: (_set(i[0], i[0].grad + o.grad / 2), _set(i[1], i[1].grad + o.grad / 2)),
     ["does not split out.grad", "distributes the whole"]),
    ("+", lambda o, i: _set(i[0], i[0].grad + o.grad), ["b.grad got nothing"]),
    # max sends the gradient to both inputs, or to the smaller
    ("max", lambda o, i: (_set(i[0], i[0].grad + o.grad), _set(i[1], i[1].grad + o.grad)),
     ["routes out.grad to the larger input only", "smaller one did not affect out"]),
    ("max", lambda o, i: (_set(i[0], i[0].grad + (o.grad if i[0].data < i[1].data else 0)),
                          _set(i[1], i[1].grad + (o.grad if i[1].data <= i[0].data else 0))),
     ["sent out.grad to the smaller input"]),
    # tanh with the input instead of the output, or without the square
    ("tanh", lambda o, i: _set(i[0], i[0].grad + o.grad * (1 - i[0].data**2)),
     ["you put the input a.data into 1 - tanh(a)**2 as if tanh(a) were a.data",
      "tanh(a) is out.data"]),
    ("tanh", lambda o, i: _set(i[0], i[0].grad + o.grad * (1 - math.tanh(o.data) ** 2)),
     ["you applied tanh to it a second time"]),
    ("tanh", lambda o, i: _set(i[0], i[0].grad + o.grad * o.data * (1 - o.data)),
     ["that is sigmoid's rule"]),
    ("tanh", lambda o, i: _set(i[0], i[0].grad + o.grad * (1 - o.data)), ["left out the square"]),
    ("tanh", lambda o, i: _set(i[0], i[0].grad + o.grad * o.data), ["tanh's value out.data"]),
    # relu at and below 0
    ("relu", lambda o, i: _set(i[0], i[0].grad + (o.grad if i[0].data >= 0 else 0.0)),
     ["at a.data = 0 the slope is taken as 0", "a.data = 0,"]),
    ("relu", lambda o, i: _set(i[0], i[0].grad + o.grad), ["below 0 ReLU is flat"]),
    ("relu", lambda o, i: _set(i[0], i[0].grad + o.grad * o.data), ["ReLU's output out.data"]),
    # a flipped sign
    ("+", lambda o, i: (_set(i[0], i[0].grad - o.grad), _set(i[1], i[1].grad - o.grad)),
     ["sign is flipped"]),
]


@pytest.mark.parametrize(("op", "body", "words"), MISTAKES,
                         ids=[f"{op}-{k}" for k, (op, _, _) in enumerate(MISTAKES)])
def test_each_rule_mistake_is_named(op, body, words):
    feedback = check_backward_rule(_rule(op, body), op, Node)
    assert_rejected(feedback, f"Your {RULE_NAMES[op]} is not right", "expected", *words)


def test_a_planted_wrong_rule_is_rejected_and_shows_the_numbers():
    def mul_backward(out):
        a, b = out.inputs
        a.grad += out.grad * b.data + 0.1
        b.grad += out.grad * a.data
    feedback = check_backward_rule(mul_backward, "*", Node)
    assert_rejected(feedback, "not what Value and central differences give", "a.grad: expected")


@pytest.mark.parametrize("answer", [None, ..., lambda out: None])
def test_rule_not_done(answer):
    assert_not_done(check_backward_rule(answer, "+", Node))


def test_a_rule_left_as_the_student_edition_is_not_done():
    def add_backward(out):
        a, b = out.inputs
        ...  # YOUR CODE HERE
    feedback = check_backward_rule(add_backward, "+", Node)
    assert_not_done(feedback)
    assert "add_backward(out) changed no .grad" in feedback.message


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (3.0, ["should be a function of out", "a float"]),
        ("a.grad += out.grad", ["should be a function of out", "a str"]),
        (lambda out: 1 / 0, ["raised ZeroDivisionError"]),
        (lambda a, b: None, ["raised TypeError", "takes one argument, out"]),
        (lambda out: out.grad, ["returned", "changed no .grad", "a rule returns nothing"]),
        (lambda out: [_set(n, "1") for n in out.inputs], ["a.grad is a str", "finite number"]),
        (lambda out: [_set(n, math.nan) for n in out.inputs], ["a.grad is the number nan"]),
    ],
)
def test_rule_answers_of_the_wrong_kind_get_a_message(answer, words):
    assert_rejected(check_backward_rule(answer, "+", Node), *words)


def test_a_broken_node_class_gets_a_message():
    class Broken:
        def __init__(self, data):
            self.data = data
    assert_rejected(check_backward_rule(add_backward, "+", Broken), "Node(data, inputs, "
                    "backward_rule) raised TypeError")


@pytest.mark.parametrize(("op", "node_class", "error"),
                         [("-", Node, ValueError), ("sigmoid", Node, ValueError),
                          ("+", Node(1.0), TypeError), ("+", None, TypeError)])
def test_rule_bad_problem_data_raises(op, node_class, error):
    with pytest.raises(error):
        check_backward_rule(add_backward, op, node_class)


def test_a_bug_in_one_rule_does_not_fail_another_rules_check():
    def broken(out):
        raise RuntimeError("broken")
    global add_backward
    saved, add_backward = add_backward, broken  # the Node's + now uses a broken rule
    try:
        assert not check_backward_rule(add_backward, "+", Node).correct
        for op in ("*", "tanh", "relu", "max"):
            assert_accepted(check_backward_rule(RULES[op], op, Node))
        # backward itself is right, but the whole engine is not: the broken rule is named
        assert_rejected(check_engine_backward(backward, Node), "Your backward is right",
                        "Fix add_backward")
    finally:
        add_backward = saved


# --- check_engine_backward ---------------------------------------------------------------


def test_the_right_backward_is_accepted_and_the_whole_engine_agrees_with_value():
    feedback = check_engine_backward(backward, Node)
    assert_accepted(feedback)
    assert "reverse topological order" in feedback.message
    assert "the same as Value" in feedback.message


def _walk(order_of, reset=True, seed=True, skip_leaves=True, reset_inside=False):
    def backward(out):
        order = topological_order(out)
        if reset:
            for node in order:
                node.grad = 0.0
        if seed:
            out.grad = 1.0
        for node in order_of(order):
            if reset_inside and node is not out:
                node.grad = 0.0
            if node.backward_rule is not None or not skip_leaves:
                node.backward_rule(node)
    return backward


def _recursive(out):
    for node in topological_order(out):
        node.grad = 0.0
    out.grad = 1.0

    def visit(node):
        if node.backward_rule is not None:
            node.backward_rule(node)
            for inp in node.inputs:
                visit(inp)
    visit(out)


def _breadth_first(out):
    for node in topological_order(out):
        node.grad = 0.0
    out.grad = 1.0
    queue, seen = [out], set()
    while queue:
        node = queue.pop(0)
        if node not in seen:
            seen.add(node)
            if node.backward_rule is not None:
                node.backward_rule(node)
            queue.extend(node.inputs)


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        (_walk(list), ["passed on its gradient before it was complete",
                       "walked the order forwards", "walk from out back to the inputs"]),
        (_breadth_first, ["before it was complete", "not in reverse topological order",
                          "its users (t, out)"]),
        (_recursive, ["s's backward_rule ran 2 times", "once"]),
        (_walk(reversed, reset=False), ["second backward(out) on the same graph",
                                        "set every node's grad to 0 before the walk"]),
        (_walk(reversed, seed=False), ["out.grad was 0", "start the walk with out.grad = 1"]),
        (_walk(reversed, skip_leaves=False), ["raised TypeError", "has no backward_rule"]),
        (_walk(reversed, reset_inside=True), ["the order is right",
                                              "changed during the walk"]),
        (_walk(lambda order: [n for n in reversed(order) if n.inputs][:1]),
         ["backward_rule never ran"]),
        (lambda out: setattr(out, "grad", 1.0), ["ran no backward_rule"]),
        (lambda out: [_set(n, 2.0) for n in topological_order(out)], ["ran no backward_rule"]),
        (lambda out: 1 / 0, ["raised ZeroDivisionError"]),
        (3, ["should be a function of out", "an int"]),
    ],
)
def test_each_backward_mistake_is_named(answer, words):
    assert_rejected(check_engine_backward(answer, Node), "Your backward", *words)


def test_a_planted_wrong_backward_is_rejected():
    def backward_then_spoil(out):
        backward(out)
        topological_order(out)[0].grad += 1.0
    assert_rejected(check_engine_backward(backward_then_spoil, Node), "after backward(out)",
                    "expected")


def test_backward_not_done():
    def stub(out):
        order = topological_order(out)  # noqa: F841
        ...  # YOUR CODE HERE
    for answer in (None, ..., stub):
        assert_not_done(check_engine_backward(answer, Node))


def test_a_right_backward_with_an_unfinished_rule_names_the_rule_without_a_tick():
    global max_backward
    saved, max_backward = max_backward, lambda out: None
    try:
        feedback = check_engine_backward(backward, Node)
    finally:
        max_backward = saved
    assert_not_done(feedback, "Your backward is right", "Still to write: max_backward")
    assert "✓" not in str(feedback)


def test_a_right_backward_with_a_wrong_rule_names_the_rule_and_is_not_correct():
    global mul_backward, relu_backward
    saved = mul_backward, relu_backward

    def wrong_mul(out):
        a, b = out.inputs
        a.grad += out.grad * a.data
        b.grad += out.grad * b.data

    def empty_relu(out):
        (a,) = out.inputs
        a.grad += 0.0

    try:
        mul_backward = wrong_mul
        feedback = check_engine_backward(backward, Node)
        assert_rejected(feedback, "Your backward is right", "while Value gives",
                        "Fix mul_backward (run its check above)")
        assert "✓" not in str(feedback) and "relu_backward" not in feedback.message
        mul_backward, relu_backward = saved[0], empty_relu
        assert_rejected(check_engine_backward(backward, Node), "Fix relu_backward")
    finally:
        mul_backward, relu_backward = saved


def test_backward_messages_do_not_give_the_walk_away():
    for answer in (_walk(list), lambda out: setattr(out, "grad", 1.0)):
        assert "reversed(order)" not in check_engine_backward(answer, Node).message
    feedback = check_engine_backward(_walk(reversed, reset_inside=True), Node)
    assert_rejected(feedback, "the order is right, but when", "while its users")
    assert feedback.message.count("but") == 1


def test_a_node_used_as_a_number_is_named():
    def with_node(out):
        a, b = out.inputs
        a.grad += out.grad * b
        b.grad += out.grad * a.data

    assert_rejected(check_backward_rule(with_node, "*", Node),
                    "raised TypeError", "b is a Node; its number is b.data")
    assert "a is a Node" not in check_backward_rule(with_node, "*", Node).message


def test_backward_bad_problem_data_raises():
    with pytest.raises(TypeError):
        check_engine_backward(backward, "Node")


# --- grading and speed ------------------------------------------------------------------------


def test_while_grading_a_wrong_answer_raises_and_a_right_one_does_not(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AnswerNotAccepted, match="multiply swaps"):
        check_backward_rule(_rule("*", MISTAKES[7][1]), "*", Node)
    with pytest.raises(AnswerNotAccepted, match="Not done yet"):
        check_backward_rule(None, "+", Node)
    with pytest.raises(AnswerNotAccepted, match="forwards"):
        check_engine_backward(_walk(list), Node)
    for op, rule in RULES.items():
        assert check_backward_rule(rule, op, Node).correct
    assert check_engine_backward(backward, Node).correct


def test_every_check_answers_well_under_a_second():
    for check in [lambda: check_engine_backward(backward, Node),
                  lambda: check_engine_backward(_recursive, Node),
                  *(lambda op=op: check_backward_rule(RULES[op], op, Node) for op in RULES)]:
        start = time.perf_counter()
        check()
        assert time.perf_counter() - start < 0.25


# --- a body that changes nothing, = in max, rules called with the wrong node ------------------


def relu_if_upstream_positive(out):
    (a,) = out.inputs
    if out.grad > 0:  # tests the upstream gradient, not the input
        a.grad += out.grad


def relu_max_of_upstream(out):
    (a,) = out.inputs
    a.grad += max(out.grad, 0)


def mul_expression_only(out):
    a, b = out.inputs
    out.grad * b.grad  # computes a number and drops it


@pytest.mark.parametrize(("rule", "op"), [(relu_if_upstream_positive, "relu"),
                                         (relu_max_of_upstream, "relu"),
                                         (mul_expression_only, "*")])
def test_a_written_body_that_changes_no_grad_is_wrong_not_unfinished(rule, op):
    feedback = check_backward_rule(rule, op, Node)
    assert_rejected(feedback, "changed no .grad", "with out = ", "out.grad = ", "expected")
    assert "Not done" not in str(feedback)


def test_a_pass_only_rule_is_not_done():
    def relu_backward(out):
        (a,) = out.inputs
        pass

    feedback = check_backward_rule(relu_backward, "relu", Node)
    assert_not_done(feedback)
    assert "relu_backward(out) changed no .grad" in feedback.message


def test_max_that_assigns_only_the_larger_input_is_told_about_plus_equals():
    def max_backward(out):
        a, b = out.inputs
        if a.data >= b.data:
            a.grad = out.grad
        else:
            b.grad = out.grad

    assert_rejected(check_backward_rule(max_backward, "max", Node),
                    "you wrote = where the rule must add, +=", "already holds")


def test_a_rule_called_with_the_output_instead_of_its_node_is_told_so():
    def backward_calling_with_out(out):
        order = topological_order(out)
        for node in order:
            node.grad = 0.0
        out.grad = 1.0
        for node in reversed(order):
            if node.backward_rule is not None:
                node.backward_rule(out)

    feedback = check_engine_backward(backward_calling_with_out, Node)
    assert_rejected(feedback, "with another node", "node.backward_rule(node)")
    assert "zip()" not in feedback.message


def test_grads_set_to_one_before_the_walk_are_named():
    def backward_from_ones(out):
        order = topological_order(out)
        for node in order:
            node.grad = 1.0
        out.grad = 1.0
        for node in reversed(order):
            if node.backward_rule is not None:
                node.backward_rule(node)

    feedback = check_engine_backward(backward_from_ones, Node)
    assert_rejected(feedback, "you set the grads to 1 before the walk", "start at 0")
    assert "changed during the walk" not in feedback.message


def test_backward_left_as_the_student_edition_is_not_done_and_a_written_one_is_judged():
    def backward_placeholder(out):
        order = topological_order(out)  # noqa: F841
        ...  # YOUR CODE HERE

    assert_not_done(check_engine_backward(backward_placeholder, Node))

    def backward_that_only_sets_out(out):
        out.grad = 0.0

    feedback = check_engine_backward(backward_that_only_sets_out, Node)
    assert_rejected(feedback, "ran no backward_rule")
