"""Checks for lesson 01 (Forward propagation), also used in lesson 00 (Start here).

``check_pre_activation``: the weighted sum z = x @ W + b of one neuron or one layer;
``check_two_layer_forward``: the forward pass of a two-layer network.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array
from ..activations import get_activation
from ..notation import format_number
from .activations import _activation_name
from .feedback import Feedback, _check
from .judging import _evaluate, _normal_like

__all__ = ["check_pre_activation", "check_two_layer_forward"]


@_check
def check_pre_activation(answer, x, W, b, *, what: str = "z", x_name: str = "x",
                         w_name: str | None = None, layout: str = "in_out",
                         activations: bool = True) -> Feedback:
    """Check a pre-activation z = x @ W + b (a weighted sum of the inputs plus a bias).

    A layer: x (n, n_in) or (n_in,), W (n_in, n_out), b (n_out,) -> z (n, n_out) or (n_out,).
    One neuron: x (n, n_in) or (n_in,), w (n_in,) or W (n_in, 1), b a number or (1,) -> z.
    When z has exactly one entry (one neuron, one sample), a plain number is accepted too.
    answer: z, or a function f(x, W, b) returning it (then also tried at other inputs).
    what: the answer's name in the messages ("Your {what} is not right"), e.g. "output a2"
        when a later layer computes the network's output this way.
    x_name: the input's name in the messages, e.g. "X" for a batch written X in the exercise.
    w_name: the weights' name in the messages; by default "w" for one neuron's weight vector
        (1-D), written first as in w @ x + b when x is one sample too, and "W" otherwise.
    layout: "in_out" for W (n_in, n_out) as above; "out_in" for a layer's W (n_out, n_in) as
        textbooks and PyTorch store it, so that z = x @ W.T + b.
    activations: whether to name an activation applied to z as the mistake (False in a lesson
        that has not introduced activation functions yet).
    """
    if layout not in ("in_out", "out_in"):
        raise ValueError(f"layout must be 'in_out' or 'out_in'; got {layout!r}")
    x = as_float_array(x, "x", ndim=(1, 2))
    W = as_float_array(W, "W", ndim=(2,) if layout == "out_in" else (1, 2))
    given = W  # the weights as the learner's function receives them
    W = W.T if layout == "out_in" else W
    b = as_float_array(b, "b", ndim=(0, 1))
    if W.shape[1:] == (1,) and b.shape == ():  # one neuron as a column, a plain-number bias
        b = b.reshape(1)
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"what must be a non-empty text naming the answer; got {what!r}")
    if x.shape[-1] != W.shape[0] or b.shape != W.shape[1:]:
        raise ValueError(f"x {x.shape}, W {W.shape} and b {b.shape} do not fit: expected "
                         "x (n, n_in), W (n_in, n_out), b (n_out,), or w (n_in,) and a number b")

    X = x_name  # the input as the exercise names it
    w_name = w_name or ("w" if W.ndim == 1 else "W")
    # the weighted sum as the exercise writes it: w @ x for two vectors, else x @ W (x @ W.T)
    product = f"{w_name} @ {X}" if W.ndim == 1 and x.ndim == 1 else f"{X} @ {w_name}"
    product += ".T" if layout == "out_in" else ""
    formula = f"{product} + b"
    flip = f"{w_name} without .T" if layout == "out_in" else f"{w_name}.T"
    shape = "(n_out, n_in)" if layout == "out_in" else "(n_in, n_out)"
    swapped = f"{w_name} @ {X}.T" if layout == "out_in" else f"{w_name}.T @ {X}.T"

    def mistakes(x, W, b):
        W = W.T if layout == "out_in" else W  # as the formulas below write it
        z = x @ W + b
        transposed = [  # only where transposing changes something (not for one neuron)
            (lambda: z.T, f"you probably computed {swapped}; the samples are the "
             f"rows, so use {formula}."),
            (lambda: (x @ W).T, f"you probably computed {swapped} and forgot the "
             f"bias; the samples are the rows, so use {formula}."),
        ] if z.ndim == 2 and z.shape != (1, 1) else []
        return [
            *transposed,
            (lambda: x @ W + x.shape[-1] * b, f"you added b once per input ({x.shape[-1]} "
             "times); the bias is added once."),
            (lambda: x @ W, "you forgot to add the bias b."),
            (lambda: x @ W - b, "you subtracted the bias; add it."),
            *_one_sign_slipped(x, W, z, X, w_name),
            (lambda: x * W + b, f"you multiplied entry by entry but did not add the products "
             f"up: the weighted sum is {formula}."),
            (lambda: x @ W.T + b, f"you used {flip}; {w_name} has shape {shape}, so "
             f"use {product}."),
            *[(lambda f=f: get_activation(f).forward(z), f"you applied {f}; the pre-activation "
               "is the weighted sum before any activation.")
              for f in (("sigmoid", "tanh", "relu") if activations else ())],
        ]

    return _evaluate(
        answer, what, (x, given, b), (X, w_name if layout == "out_in" else "W", "b"),
        truth=lambda x, W, b: x @ (W.T if layout == "out_in" else W) + b,
        mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, x), _normal_like(rng, given), _normal_like(rng, b)),
        praise=(f"Correct! {what} = {formula}." if what in ("z", "Z")
                else f"Correct! Your {what} is {formula}."),
        allow_number=True,
    )


def _one_sign_slipped(x, W, z, x_name: str, w_name: str) -> list:
    """For a z of one entry: the sums with one product's sign flipped, each naming that product
    with its numbers (a sign slip in a sum worked out by hand)."""
    if z.size != 1:
        return []
    inputs, weights = x.reshape(-1), W.reshape(-1)
    show = lambda v: f"({format_number(v)})" if v < 0 else format_number(v)  # noqa: E731
    index = ", 0]" if W.ndim == 2 else "]"
    return [(lambda k=k: z - 2 * inputs[k] * weights[k],
             f"one product has the wrong sign: {x_name}[{k}] * {w_name}[{k}{index} = "
             f"{show(inputs[k])} * {show(weights[k])} = {format_number(inputs[k] * weights[k])} "
             "(count its minus signs).")
            for k in range(inputs.size) if inputs[k] * weights[k] != 0]


@_check
def check_two_layer_forward(answer, X=None, W1=None, b1=None, W2=None, b2=None, *,
                            hidden: str = "tanh", output: str = "sigmoid",
                            buggy=None) -> Feedback:
    """Check the forward pass of a two-layer network: output(hidden(X @ W1 + b1) @ W2 + b2).

    answer: a function f(X, W1, b1, W2, b2) returning the output (n, n_out), tried at the given
    data and at other data of the same shapes; or the output itself (then give the data).
    X: (n, n_in); W1: (n_in, n_hidden); b1: (n_hidden,); W2: (n_hidden, n_out); b2: (n_out,).
    Without data, a seeded problem with n = 5, n_in = 3, n_hidden = 4, n_out = 2 is used.
    hidden, output: activation names.
    buggy: for a bug hunt, the faulty function f(X, W1, b1, W2, b2) the learner was given to
    mend; an answer that still computes what it computes is told so, without naming the bug.
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
    if buggy is not None and not callable(buggy):
        raise TypeError(f"buggy must be the faulty function given to the learner; got {buggy!r}")
    f = get_activation(_activation_name(hidden, derivative=False))
    g = get_activation(_activation_name(output, derivative=False))

    def mistakes(X, W1, b1, W2, b2):
        a1 = f.forward(X @ W1 + b1)
        unchanged = [(lambda: buggy(X, W1, b1, W2, b2), f"it is still what "
                      f"{getattr(buggy, '__name__', 'the given function')} returns. Read its "
                      f"lines one by one against the formulas: which array goes into each "
                      f"step, and which parameters?")] if buggy is not None else []
        return [
            *unchanged,
            (lambda: a1, f"that is the hidden layer's output {hidden}(X @ W1 + b1); pass it "
             f"through the second layer too."),
            (lambda: a1 @ W2 + b2, f"you forgot the output activation: apply {output} to "
             "a1 @ W2 + b2."),
            (lambda: g.forward(a1 @ W2), "you left out the output layer's bias b2."),
            (lambda: g.forward(f.forward(X @ W1) @ W2 + b2), "you left out the hidden "
             "layer's bias b1."),
            (lambda: g.forward((X @ W1 + b1) @ W2 + b2), f"you forgot the hidden activation: "
             f"the second layer takes {hidden}(X @ W1 + b1), not X @ W1 + b1."),
            (lambda: f.forward(g.forward(X @ W1 + b1) @ W2 + b2), f"you swapped the "
             f"activations: {hidden} in the hidden layer, {output} at the output."),
            (lambda: f.forward(a1 @ W2 + b2), f"the output layer applies {hidden}; its "
             f"activation is {output}."),
            (lambda: g.forward((f.forward(X @ W1) + b1) @ W2 + b2), f"you added b1 after "
             f"the activation; the bias goes inside it: {hidden}(X @ W1 + b1)."),
            (lambda: g.forward(f.forward(X @ W1 + b2) @ W2 + b2), "the first layer adds b2; "
             "its own bias is b1 (numpy adds it without complaint, as b2 broadcasts)."),
            (lambda: g.forward(f.forward(X @ W1 + b1) @ W2 + b1), "the second layer adds b1; "
             "its own bias is b2 (numpy adds it without complaint, as b1 broadcasts)."),
            (lambda: g.forward(f.forward(X @ W1.T + b1) @ W2 + b2), "you used W1.T; W1 has "
             "shape (n_in, n_hidden), so the first layer is X @ W1 + b1."),
            (lambda: g.forward(f.forward(X @ W1 + b1) @ W2.T + b2), "you used W2.T; W2 has "
             "shape (n_hidden, n_out), so the second layer is A1 @ W2 + b2."),
        ]

    return _evaluate(
        answer, "network output", (X, W1, b1, W2, b2), names,
        truth=lambda X, W1, b1, W2, b2: g.forward(f.forward(X @ W1 + b1) @ W2 + b2),
        mistakes=mistakes,
        sample=lambda rng: tuple(_normal_like(rng, d) for d in (X, W1, b1, W2, b2)),
    )
