"""Checks for lesson 08 (Why backprop works at scale).

``check_layer_cost``: the multiply-adds of one dense layer's forward and backward pass, and
the forward passes that central differences need for all its weights and biases. Answers are
whole numbers, so each wrong count is matched against the counts learners typically get.
"""

from __future__ import annotations

import numbers

from .._validate import check_positive_int
from .answers import _describe, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _wrong

__all__ = ["check_layer_cost"]


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
