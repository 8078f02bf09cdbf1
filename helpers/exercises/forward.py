"""Checks for lesson 01 (Forward propagation), also used in lesson 00 (Start here).

``check_pre_activation``: the weighted sum z = x @ W + b of one neuron or one layer;
``check_two_layer_forward``: the forward pass of a two-layer network.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array
from ..activations import get_activation
from .activations import _activation_name
from .feedback import Feedback, _check
from .judging import _evaluate, _normal_like

__all__ = ["check_pre_activation", "check_two_layer_forward"]


@_check
def check_pre_activation(answer, x, W, b, *, what: str = "z", x_name: str = "x") -> Feedback:
    """Check a pre-activation z = x @ W + b (a weighted sum of the inputs plus a bias).

    A layer: x (n, n_in) or (n_in,), W (n_in, n_out), b (n_out,) -> z (n, n_out) or (n_out,).
    One neuron: x (n, n_in) or (n_in,), w (n_in,) or W (n_in, 1), b a number or (1,) -> z.
    When z has exactly one entry (one neuron, one sample), a plain number is accepted too.
    answer: z, or a function f(x, W, b) returning it (then also tried at other inputs).
    what: the answer's name in the messages ("Your {what} is not right"), e.g. "output a2"
        when a later layer computes the network's output this way.
    x_name: the input's name in the messages, e.g. "X" for a batch written X in the exercise.
    """
    x = as_float_array(x, "x", ndim=(1, 2))
    W = as_float_array(W, "W", ndim=(1, 2))
    b = as_float_array(b, "b", ndim=(0, 1))
    if W.shape[1:] == (1,) and b.shape == ():  # one neuron as a column, a plain-number bias
        b = b.reshape(1)
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"what must be a non-empty text naming the answer; got {what!r}")
    if x.shape[-1] != W.shape[0] or b.shape != W.shape[1:]:
        raise ValueError(f"x {x.shape}, W {W.shape} and b {b.shape} do not fit: expected "
                         "x (n, n_in), W (n_in, n_out), b (n_out,), or w (n_in,) and a number b")

    X = x_name  # the input as the exercise names it

    def mistakes(x, W, b):
        z = x @ W + b
        transposed = [  # only where transposing changes something (not for one neuron)
            (lambda: z.T, f"you probably computed W.T @ {X}.T; the samples are the rows, "
             f"so use {X} @ W + b."),
            (lambda: (x @ W).T, f"you probably computed W.T @ {X}.T and forgot the bias; "
             f"the samples are the rows, so use {X} @ W + b."),
        ] if z.ndim == 2 and z.shape != (1, 1) else []
        return [
            *transposed,
            (lambda: x @ W, "you forgot to add the bias b."),
            (lambda: x @ W - b, "you subtracted the bias; add it."),
            (lambda: x * W + b, f"you multiplied entry by entry but did not add the products "
             f"up: the weighted sum is {X} @ w + b."),
            (lambda: x @ W.T + b, f"you used W.T; W has shape (n_in, n_out), so use {X} @ W."),
            *[(lambda f=f: get_activation(f).forward(z), f"you applied {f}; the pre-activation "
               "is the weighted sum before any activation.") for f in ("sigmoid", "tanh", "relu")],
        ]

    return _evaluate(
        answer, what, (x, W, b), (X, "W", "b"),
        truth=lambda x, W, b: x @ W + b,
        mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, x), _normal_like(rng, W), _normal_like(rng, b)),
        praise=(f"Correct! z = {X} @ W + b." if what == "z"
                else f"Correct! Your {what} is {X} @ W + b."),
        allow_number=True,
    )


@_check
def check_two_layer_forward(answer, X=None, W1=None, b1=None, W2=None, b2=None, *,
                            hidden: str = "tanh", output: str = "sigmoid") -> Feedback:
    """Check the forward pass of a two-layer network: output(hidden(X @ W1 + b1) @ W2 + b2).

    answer: a function f(X, W1, b1, W2, b2) returning the output (n, n_out), tried at the given
    data and at other data of the same shapes; or the output itself (then give the data).
    X: (n, n_in); W1: (n_in, n_hidden); b1: (n_hidden,); W2: (n_hidden, n_out); b2: (n_out,).
    Without data, a seeded problem with n = 5, n_in = 3, n_hidden = 4, n_out = 2 is used.
    hidden, output: activation names.
    """
    data = (X, W1, b1, W2, b2)
    if all(d is None for d in data):
        rng = np.random.default_rng(7)
        data = tuple(rng.normal(size=s) for s in ((5, 3), (3, 4), (4,), (4, 2), (2,)))
    names = ("X", "W1", "b1", "W2", "b2")
    X, W1, b1, W2, b2 = (as_float_array(d, name, ndim=(2 if name[0] in "XW" else 1))
                         for d, name in zip(data, names, strict=True))
    if (X.shape[1], W1.shape[1], W2.shape[1]) != (W1.shape[0], b1.shape[0], b2.shape[0]) or \
            W1.shape[1] != W2.shape[0]:
        raise ValueError(f"X {X.shape}, W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 "
                         f"{b2.shape} do not fit: expected X (n, n_in), W1 (n_in, n_hidden), "
                         "b1 (n_hidden,), W2 (n_hidden, n_out), b2 (n_out,)")
    f = get_activation(_activation_name(hidden, derivative=False))
    g = get_activation(_activation_name(output, derivative=False))

    def mistakes(X, W1, b1, W2, b2):
        a1 = f.forward(X @ W1 + b1)
        return [
            (lambda: a1, f"that is the hidden layer's output {hidden}(X @ W1 + b1); pass it "
             f"through the second layer too."),
            (lambda: a1 @ W2 + b2, f"you forgot the output activation: apply {output} to "
             "a1 @ W2 + b2."),
            (lambda: g.forward((X @ W1 + b1) @ W2 + b2), f"you forgot the hidden activation: "
             f"the second layer takes {hidden}(X @ W1 + b1), not X @ W1 + b1."),
            (lambda: f.forward(g.forward(X @ W1 + b1) @ W2 + b2), f"you swapped the "
             f"activations: {hidden} in the hidden layer, {output} at the output."),
        ]

    return _evaluate(
        answer, "network output", (X, W1, b1, W2, b2), names,
        truth=lambda X, W1, b1, W2, b2: g.forward(f.forward(X @ W1 + b1) @ W2 + b2),
        mistakes=mistakes,
        sample=lambda rng: tuple(_normal_like(rng, d) for d in (X, W1, b1, W2, b2)),
    )
