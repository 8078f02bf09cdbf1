"""Checks for lesson 07 (Training with gradient descent), also used in lesson 00 (Start here).

``check_sgd_update``: one gradient-descent step new_W = W - lr * dW; the mistakes named here
are a step up the gradient, a forgotten or inverted learning rate, the step alone, and a W
updated in place (which hides the old W from the check).
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import as_float_array, check_shape
from .feedback import Feedback, _check, _wrong
from .judging import _evaluate, _normal_like

__all__ = ["check_sgd_update"]


@_check
def check_sgd_update(new_W, W, dW, lr) -> Feedback:
    """Check one gradient-descent step new_W = W - lr * dW.

    new_W: the updated parameter (same shape as W; b works too), or a function f(W, dW, lr)
    returning it. W: the parameter before the step; dW: its gradient (same shape); lr > 0.
    """
    W, dW = as_float_array(W, "W"), as_float_array(dW, "dW")
    check_shape(dW, "dW", W.shape, "(the shape of W)")
    if not isinstance(lr, int | float) or isinstance(lr, bool) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number; got {lr!r}")
    if isinstance(new_W, np.ndarray) and np.shares_memory(new_W, W):
        return _wrong("new_W is the same array as W: you updated W in place (W -= ...), so the "
                      "check cannot see the old W any more. Write new_W = <your formula> to make "
                      "a new array.")

    def mistakes(W, dW, lr):
        return [
            (lambda: W + lr * dW, "you moved W up the gradient (W + lr * dW); gradient descent "
             "steps against it: subtract lr * dW."),
            (lambda: W - dW, "you forgot the learning rate."),
            (lambda: W - dW / lr, "you divided by the learning rate; multiply by it."),
            (lambda: -lr * dW, "that is only the step -lr * dW; add it to W."),
            (lambda: lr * dW, "that is only the step size lr * dW; subtract it from W."),
            (lambda: W, "new_W equals W: the update changed nothing (or W itself was updated "
             "in place with W -= ..., so the check no longer sees the old W)."),
        ]

    return _evaluate(
        new_W, "new_W", (W, dW, float(lr)), ("W", "dW", "lr"),
        truth=lambda W, dW, lr: W - lr * dW, mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, W), _normal_like(rng, dW), lr),
        praise="Correct! One step downhill: W - lr * dW.",
    )
