"""Checks for lesson 08 (Why backprop works at scale).

``check_sigmoid_chain``: the gradient that reaches the input of a chain of sigmoid neurons (one
per layer, weights 1, pre-activations 0): one factor sigma'(0) = 1/4 per neuron.
``check_layer_cost``: the multiply-adds of one dense layer's forward and backward pass, and
the forward passes that central differences need for all its weights and biases.
``check_backprop_cost``: a learner's function that counts the multiply-adds of the backward
pass of a whole network, which needs dL/dX of every Dense layer but the first.
The counts are whole numbers, so each wrong count is matched against the counts learners
typically get.
"""

from __future__ import annotations

import numbers

import numpy as np

from .._validate import check_positive_int
from ..notation import format_number
from .answers import _call, _describe, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _Stop, _wrong
from .judging import _evaluate

__all__ = ["check_backprop_cost", "check_layer_cost", "check_sigmoid_chain"]


@_check
def check_sigmoid_chain(shrink, n_neurons) -> Feedback:
    """Check dL/dx at the input of a chain of n_neurons sigmoid neurons, one per layer, every
    weight 1 and every pre-activation 0, when dL/da at the last neuron's output is 1.

    shrink: a number (the product of one slope sigma'(0) = 1/4 per neuron), or None while not
    done yet. n_neurons: the length of the chain, a positive whole number. The messages speak
    of the chain: a count of factors 1/4 other than one per neuron, sigma(0) = 1/2 used in
    place of its slope, factors added instead of multiplied.
    """
    n = check_positive_int(n_neurons, "n_neurons")
    one_per_neuron = (f"one factor σ'(0) = 1/4 per neuron, {n} neurons (the weights, all 1, "
                      "change nothing)")
    activation = ("σ(0) = 1/2 is the neuron's activation, its output, not its slope: the chain "
                  f"rule multiplies the slopes σ'(0) = σ(0)(1 - σ(0)) = 1/4, one per neuron, {n} "
                  "neurons.")

    def mistakes():
        found = [(lambda: 0.5**n, activation)]
        found += [(lambda k=k: 0.25**k, f"that is 1/4 multiplied {k} times; the chain has "
                   f"{one_per_neuron}.") for k in range(1, 2 * n + 1) if k != n]
        found += [
            (lambda: 1.0, f"1 is the gradient at the last neuron's output, dL/da_{n}; on the "
             f"way back to x it is multiplied by {one_per_neuron}."),
            (lambda: 0.25 * n, f"you added the factors (or multiplied 1/4 by {n}); the chain "
             f"rule multiplies them: {one_per_neuron}."),
            (lambda: 4.0**n, "each neuron multiplies the gradient by its slope σ'(0) = 1/4, "
             "not by 4."),
        ]
        found += [(lambda k=k: 0.5**k, activation) for k in range(1, 2 * n + 2, 2)]
        return found

    truth = 0.25**n
    return _evaluate(
        shrink, "dL/dx", (), (), truth=lambda: np.asarray(truth), mistakes=mistakes,
        praise=f"Correct! {n} factors σ'(0) = 1/4: dL/dx = 0.25 ** {n} = "
        f"{format_number(truth)}, even in the sigmoid's best case.",
    )


@_check
def check_layer_cost(forward_ops, backward_ops, difference_passes, n_rows, n_in, n_out
                     ) -> Feedback:
    """Check the cost of one dense layer: forward and backward multiply-adds, and the number of
    forward passes central differences need for all its weights and biases.

    forward_ops: multiply-adds of X @ W for X (n_rows, n_in), W (n_in, n_out).
    backward_ops: multiply-adds of dW = X.T @ G and dX = G @ W.T together.
    difference_passes: forward passes for central differences over W and b.
    Each answer is a whole number, or None while not done yet.
    n_rows, n_in, n_out: the sizes, positive whole numbers.
    """
    n_rows = check_positive_int(n_rows, "n_rows")
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    truth = {
        "forward_ops": n_rows * n_in * n_out,
        "backward_ops": 2 * n_rows * n_in * n_out,
        "difference_passes": 2 * (n_in * n_out + n_out),
    }
    answers = {
        "forward_ops": forward_ops,
        "backward_ops": backward_ops,
        "difference_passes": difference_passes,
    }
    hints = {
        "forward_ops": {
            n_in * n_out: "that is one row's product: multiply by the n_rows rows of the batch.",
            n_rows * n_in * n_out + n_rows * n_out: "count only the product X @ W; the bias "
            "adds are not multiply-adds.",
            n_rows * (n_in + n_out): "each of the n_rows * n_out outputs is a sum of n_in "
            "products: multiply the three sizes.",
        },
        "backward_ops": {
            n_rows * n_in * n_out: "that is one product; the backward pass has two, "
            "dW = X.T @ G and dX = G @ W.T, each as large as the forward one.",
            3 * n_rows * n_in * n_out: "that includes the forward product; count only dW and dX.",
        },
        "difference_passes": {
            2 * n_in * n_out: "you forgot the biases: b has n_out entries too.",
            n_in * n_out + n_out: "central differences need two passes per parameter, "
            "f(w + h) and f(w - h).",
            2 * n_in * n_out * n_rows: "the batch size does not matter here: one pass "
            "handles the whole batch.",
        },
    }
    missing = [name for name, value in answers.items() if _is_missing(value)]
    problems = []
    for name, value in answers.items():
        if name in missing:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            problems.append(f"{name} should be a whole number; got {_describe(value)}.")
        elif value != truth[name]:
            hint = hints[name].get(value, "count again, size by size.")
            problems.append(f"{name} = {value:,} is not right: {hint}")
    if problems:
        return _wrong("\n".join(problems))
    if missing:
        return _not_done(f"fill in {', '.join(missing)}.")
    return _correct(
        f"Correct! Forward {truth['forward_ops']:,}, backward {truth['backward_ops']:,} "
        f"(twice the forward), and {truth['difference_passes']:,} passes for central "
        "differences."
    )


# Networks the learner's function is called on: several layers first (where the mistakes
# differ), one layer last (where dL/dW alone is the whole backward pass).
_NETWORKS = (([784, 256, 128, 10], 64), ([3, 5, 2], 4), ([6, 4, 4, 4, 2], 3), ([10, 1], 7))


def _whole_number(value, sizes, n) -> int:
    """The learner's count as an int, or a _Stop saying what it is instead."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    if is_number and float(value).is_integer():  # 17203200 or 17203200.0
        return int(value)
    raise _Stop(_wrong(f"For sizes = {sizes} and n = {n} your function returned "
                       f"{_describe(value)}; it should return a whole number of multiply-adds."))


@_check
def check_backprop_cost(backprop_multiply_adds) -> Feedback:
    """Check a learner's function backprop_multiply_adds(sizes, n) -> whole number.

    It should count the multiply-adds of the backward pass that backprop needs for Dense
    layers of the given sizes ([n_inputs, ..., n_outputs], a list of ints) and a batch of n
    rows: dW = x.T @ delta for every layer, and dX = delta @ W.T for every layer but the
    first (the gradient of the input data is never used). The function is called on several
    networks, from four layers down to one; None (or a function returning None) is "not done
    yet".
    """
    if _is_missing(backprop_multiply_adds):
        return _not_done("write the function backprop_multiply_adds(sizes, n), then run the cell.")
    if not callable(backprop_multiply_adds):
        return _wrong(f"backprop_multiply_adds should be a function of sizes and n; got "
                      f"{_describe(backprop_multiply_adds)}.")
    for sizes, n in _NETWORKS:
        got = _whole_number(
            _call(backprop_multiply_adds, [list(sizes), n], "count", ["sizes", "n"]), sizes, n)
        products = [n * n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
        forward = sum(products)
        truth = 2 * forward - products[0]
        if got == truth:
            continue
        hints = {
            2 * forward: "you counted dL/dX of the first layer too; that is the gradient of "
            "the input data, which no update uses, so backprop skips it.",
            forward: "you counted only the dW products; every layer but the first also "
            "passes dL/dX = delta @ W.T back to the layer before it.",
            2 * forward - products[-1]: "you left out dL/dX of the last layer; the one "
            "backprop does not need is that of the first layer.",
            3 * forward - products[0]: "that includes the forward pass; count only the "
            "backward products.",
            truth // n: "you left out the batch: each product has n rows.",
        }
        hints.pop(truth, None)
        hint = hints.get(got, "count again, layer by layer: dW for every layer, dX for "
                                  "every layer but the first.")
        return _wrong(f"For sizes = {sizes} and n = {n} your function returned {got:,}, "
                      f"but the backward pass needs {truth:,} multiply-adds: {hint}")
    big_first, small_first = [784, 256, 128, 10], [16, 512, 512, 10]
    return _correct(
        "Correct! dW of every layer plus dX of every layer but the first. For sizes "
        f"{big_first} the backward pass costs {_backward_over_forward(big_first):.2f} forward "
        f"passes, because the first layer does most of the work; for {small_first}, whose "
        f"first layer is small, {_backward_over_forward(small_first):.2f}."
    )


def _backward_over_forward(sizes) -> float:
    """Multiply-adds of backprop's backward pass over those of the forward pass."""
    products = [n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return (2 * sum(products) - products[0]) / sum(products)
