"""Checks for lesson 08 (Why backprop works at scale).

``check_sigmoid_chain``: the gradient that reaches the input of a chain of sigmoid neurons (one
per layer, every weight w, pre-activations 0): one factor w * sigma'(0) = w / 4 per neuron.
``check_residual_backward``: one backward step through a residual block out = x + f(x @ W + b),
a case the lesson does not work out: the skip path adds upstream_grad unchanged.
``check_difference_passes``: the forward passes that central differences need for all the
weights and biases of one dense layer (lesson 08, Exercise 3).
``check_first_layer_share``: the first layer's share of the forward work for which the
backward pass costs a given number of forward passes (lesson 08, Exercise 4), the inverse of
the count section 2 makes.
The counts and the share are exact, so each wrong one is matched against those learners
typically get.
"""

from __future__ import annotations

import numbers

from .._validate import as_float_array, check_positive_float, check_positive_int
from ..activations import get_activation
from ..notation import format_number
from .activations import _activation_name
from .answers import _as_answer, _call, _is_missing
from .feedback import Feedback, _check, _correct, _not_done, _wrong
from .judging import _evaluate, _normal_like
from .prediction import CLOSE, _close_or_off, _named_mistake, _number, _same

ROUNDING = 0.005  # a first_layer_share this near the truth is the truth rounded to 2 decimals

__all__ = ["check_difference_passes", "check_first_layer_share", "check_residual_backward",
           "check_sigmoid_chain"]


@_check
def check_sigmoid_chain(shrink, n_neurons, weight=1.0) -> Feedback:
    """Check dL/dx at the input of a chain of n_neurons sigmoid neurons, one per layer, every
    weight equal to weight and every pre-activation 0, when dL/da at the last neuron's output
    is 1.

    shrink: a number (the product of one factor weight * sigma'(0) = weight / 4 per neuron),
    or None while not done yet. n_neurons: the length of the chain, a positive whole number.
    weight: the weight of every neuron, a number > 0. A wrong prediction is not told the truth:
    the messages name the mistake (the weights or the slopes left out, a count of factors other
    than one per neuron, sigma(0) = 1/2 used in place of its slope, factors added instead of
    multiplied), say "close" for a rounded number, or say which way it is off.
    """
    n = check_positive_int(n_neurons, "n_neurons")
    w = check_positive_float(weight, "weight")
    step = w / 4
    factor = "its slope σ'(0)" if w == 1 else "its weight w times its slope σ'(0)"
    activation = ("σ(0) = 1/2 is the neuron's activation, its output, not its slope: the chain "
                  "rule multiplies the slopes σ'(0) = σ(0)(1 - σ(0)).")
    found = [((0.5 * w)**n, activation)]
    if w != 1:
        found += [
            (0.25**n, "you left out the weights. Going back through a neuron, the gradient is "
             "multiplied by the slope σ'(0) and by the weight w (the W.T of the formula in "
             "section 5)."),
            (w**n, "you left out the slopes σ'(0): each neuron multiplies the gradient by its "
             "weight and by its slope."),
            (w * 0.25**n, "the weight counts once per neuron, like the slope."),
            ((w + 0.25)**n, "you added the weight and the slope; the chain rule multiplies "
             "them."),
        ]
    found += [(step**k, f"that is {k} factors; the chain has one factor per neuron, {n} in "
               "all.") for k in range(1, 2 * n + 1) if k != n]
    found += [
        (1.0, f"1 is the gradient at the last neuron's output, dL/da_{n}; on the way back to x "
         f"each neuron multiplies it by {factor}."),
        (step * n, "you added the neurons' factors (or multiplied one factor by the number of "
         "neurons); the chain rule multiplies the factors."),
        ((1 / step)**n, f"each neuron multiplies the gradient by {factor}; you divided by it."),
    ]
    found += [((0.5 * w)**k, activation) for k in range(1, 2 * n + 2, 2)]
    truth = step**n
    raw = _call(shrink, (), "dL/dx", ()) if callable(shrink) else shrink
    if _is_missing(raw):
        return _not_done("replace the None in shrink with your prediction, then run the cell.")
    got = _as_answer(raw, "dL/dx")
    if got.size != 1:
        return _wrong(f"Your dL/dx should be a single number; got an array of shape "
                      f"{got.shape}.")
    value = float(got.reshape(()))
    if _same(value, truth):
        how = "σ'(0) = 1/4" if w == 1 else f"w · σ'(0) = {format_number(step)}"
        written = "0.25" if w == 1 else format_number(step)
        return _correct(f"Correct! {n} factors {how}: dL/dx = {written} ** {n} = "
                        f"{format_number(truth)}"
                        + (", even in the sigmoid's best case." if w == 1 else "."))
    found.append((-truth, "the sign is flipped. Every factor of this chain is positive."))
    named = _named_mistake(value, truth, found, "Your dL/dx is not right: ")
    if named is not None:  # (a Feedback that is not correct is falsy)
        return named
    return _close_or_off(
        value, truth,
        close="Your dL/dx is close, but the chain rule gives it exactly: write it as an "
        "expression such as 0.5 ** 3, not as a rounded number.",
        off="Your dL/dx is {direction}. Follow the gradient back through one neuron: it is "
        f"multiplied by {factor}. Then count the neurons.", words=("too large", "too small"))


def _passes_hints(n_rows: int, n_in: int, n_out: int) -> dict[int, str]:
    """Typical wrong counts of the forward passes central differences need for one layer."""
    p = n_in * n_out + n_out
    return {
        2 * p * n_rows: "one pass handles the whole batch: do not multiply by n_rows.",
        2 * p + 1: "central differences need no pass of the unchanged network: each parameter "
        "takes f(w + h) and f(w - h), nothing more.",
        p + 1: "that is forward differences (one pass per parameter plus one of the unchanged "
        "network); central differences take two passes per parameter.",
        2 * n_in * n_out: "you forgot the biases: b has n_out entries too.",
        p: "central differences need two passes per parameter, f(w + h) and f(w - h).",
    }


@_check
def check_difference_passes(difference_passes, n_rows, n_in, n_out) -> Feedback:
    """Check the number of forward passes central differences need for the gradient of all
    the weights and biases of one dense layer (n_in inputs, n_out neurons) on a batch of
    n_rows rows: two per parameter, 2 * (n_in * n_out + n_out), whatever n_rows.

    difference_passes: a whole number, or None while not done yet. n_rows, n_in, n_out:
    positive whole numbers. A wrong count is not told the truth, only the mistake.
    """
    n_rows = check_positive_int(n_rows, "n_rows")
    n_in = check_positive_int(n_in, "n_in")
    n_out = check_positive_int(n_out, "n_out")
    truth = 2 * (n_in * n_out + n_out)
    value = _number(difference_passes, "difference_passes", asked="your count",
                    kind="a whole number")
    if value == truth:
        return _correct(f"Correct! {n_in * n_out + n_out:,} parameters (W and b), two passes "
                        f"each: {truth:,} forward passes, however many rows the batch has.")
    hint = _passes_hints(n_rows, n_in, n_out).get(
        int(value) if value.is_integer() else None,
        "count the numbers the layer learns, then the passes each takes.")
    shown = f"{int(value):,}" if value.is_integer() else format_number(value)
    return _wrong(f"difference_passes = {shown} is not right: {hint}")


SECTION_2_SIZES = (784, 256, 128, 10)  # the network whose costs section 2 counts


def _first_layer_share(sizes) -> float:
    """The first dense layer's share of the forward pass's multiply-adds."""
    products = [n_in * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)]
    return products[0] / sum(products)


@_check
def check_first_layer_share(first_layer_share, backward_ratio) -> Feedback:
    """Check the share s of the forward pass's multiply-adds that the first dense layer does
    in a network whose backward pass costs backward_ratio forward passes. The backward pass
    does dL/dW of every layer (one forward pass's worth) and dL/dX of every layer but the
    first ((1 - s) of one), so backward_ratio = 2 - s and s = 2 - backward_ratio.

    first_layer_share: a number or an expression between 0 and 1, None while not done yet.
    backward_ratio: the backward pass over the forward pass, a number strictly between 1 and
    2. A wrong answer is not told the truth: the messages name the mistake (the ratio itself,
    its inverse, the first layer's dL/dW skipped too, the share of the other layers, a
    percentage, the forward pass counted in, section 2's share), say "close" only for a
    rounding of the truth, or say which way it is off.
    """
    if isinstance(backward_ratio, bool) or not isinstance(backward_ratio, numbers.Real):
        raise TypeError(f"backward_ratio must be a number; got {backward_ratio!r}")
    ratio = float(backward_ratio)
    if not 1 < ratio < 2:
        raise ValueError(f"backward_ratio must lie strictly between 1 and 2; got {ratio!r}")
    truth = 2 - ratio
    value = _number(first_layer_share, "first_layer_share", asked="your answer")
    if _same(value, truth):
        return _correct(
            "Correct! The backward pass does dL/dW of every layer (one forward pass) and dL/dX "
            f"of every layer but the first (1 - share of a forward pass): 2 - share = "
            f"{format_number(ratio)}, so the first layer does {format_number(truth)} of the "
            "forward work.")
    said = f"first_layer_share = {format_number(value)} is not right: "
    given = format_number(ratio)
    mistakes = [
        (ratio, f"{given} is the backward pass over the forward pass, which the exercise "
         "gives; it asks for the first layer's share of the forward multiply-adds."),
        (1 / ratio, f"1 / {given} is the forward pass over the backward pass, not a share of "
         "the forward work. Write the backward pass's multiply-adds in the forward pass's and "
         "the first layer's share of it."),
        (truth / 2, "you skipped both of the first layer's products. The first layer's dL/dW "
         "is still needed, for its own update; only its dL/dX, the gradient of the input "
         "data, is skipped."),
        (ratio - 1, "that is the share of the layers after the first (or you gave the first "
         "layer two backward products and the others one). The backward pass does two "
         "products for every layer but the first, and one, dL/dW, for the first."),
        (100 * truth, "write the share as a fraction between 0 and 1 (the whole forward "
         "pass is 1), not as a percentage."),
        (3 - ratio, f"a share lies between 0 and 1. {given} counts the backward pass alone; "
         "do not add the forward pass."),
        (-truth, "the sign is flipped; a share of the work lies between 0 and 1."),
    ]
    named = _named_mistake(value, truth, mistakes, said)
    if named is not None:  # (a Feedback that is not correct is falsy)
        return named
    rounded = [(abs(value - wrong), why) for wrong, why in mistakes
               if abs(value - wrong) <= ROUNDING < abs(value - truth)]
    if rounded:  # a named mistake rounded, e.g. to 2 decimals
        return _wrong(said + min(rounded)[1])
    section_2 = _first_layer_share(SECTION_2_SIZES)
    if abs(value - section_2) <= CLOSE * section_2 and not _same(section_2, truth):
        return _wrong(said + "that is the share of section 2's 784-256-128-10 network, whose "
                      "backward pass costs less; work out the share that gives "
                      f"{given}.")
    if not 0 < value < 1:
        return _wrong(said + "a share of the forward work lies between 0 and 1 (the whole "
                      "forward pass is 1).")
    return _close_or_off(
        value, truth,
        close=f"first_layer_share = {format_number(value)} is close, but the count gives it "
        "exactly: write it as an expression, not as a rounded number.", within=ROUNDING,
        off=f"first_layer_share = {format_number(value)} is {{direction}}. Call the forward "
        "pass's multiply-adds F, of which the first layer does share × F; write the backward "
        f"pass's in F and share, and set their ratio to {given}.",
        words=("too large", "too small"))


# --- one backward step through a residual block ----------------------------------------------


def _residual_data(upstream_grad, W, z):
    g = as_float_array(upstream_grad, "upstream_grad", ndim=2)
    W = as_float_array(W, "W", ndim=2)
    z = as_float_array(z, "z", ndim=2)
    if W.shape[0] != W.shape[1] or g.shape != z.shape or g.shape[1] != W.shape[0]:
        raise ValueError(f"upstream_grad {g.shape}, W {W.shape} and z {z.shape} do not fit: "
                         "expected (n, m), (m, m), (n, m)")
    return g, W, z


@_check
def check_residual_backward(answer, upstream_grad, W, z, activation="sigmoid") -> Feedback:
    """Check one backward step through a residual block out = x + f(z), z = x @ W + b:
    dL/dx = upstream_grad + (upstream_grad * f'(z)) @ W.T.

    answer: dL/dx (n, m), or a function f(upstream_grad, W, z) returning it (tried at these
    and at other arrays of the same shapes); None while not done yet.
    upstream_grad: dL/d(out) (n, m); W: the block's square weights (m, m); z: its
    pre-activation (n, m); activation: f's name ("sigmoid", "tanh", "relu", "identity").
    The mistakes named: the skip path or f' left out, W in place of W.T (square, so numpy
    cannot tell), f' applied after the product or to the skip path too, f or f'(f(z)) in place
    of f'(z), upstream_grad alone, the two paths multiplied, the skip path written as 1, the
    slope of sigmoid or tanh in place of f's.
    """
    g, W, z = _residual_data(upstream_grad, W, z)
    name = _activation_name(activation, derivative=True)
    act = get_activation(name)

    def truth(g, W, z):
        return g + (g * act.derivative(z)) @ W.T

    def mistakes(g, W, z):
        slope = act.derivative(z)
        return [
            (lambda: (g * slope) @ W.T, "you left out the skip path. out = x + "
             f"{name}(z) uses x twice, and the two paths' gradients add: upstream_grad itself "
             f"(the path x → out has slope 1), plus what comes back through {name}(z)."),
            (lambda: g + g @ W.T, f"you left out the slope {name}'(z) of the block's "
             "activation on the path through z."),
            (lambda: g + (g * slope) @ W, "you multiplied by W; going back through "
             "z = x @ W the gradient is multiplied by W.T (W is square, so numpy accepts both)."),
            (lambda: g + (g @ W.T) * slope, f"you applied {name}'(z) after the product with "
             f"W.T. Going back, undo the forward steps in reverse order: {name} came after "
             "x @ W, so its slope comes first."),
            (lambda: g * slope + (g * slope) @ W.T, f"you multiplied the skip path by "
             f"{name}'(z) too; the skip path x → out has slope 1 and adds upstream_grad "
             "unchanged."),
            (lambda: (g + g * slope) @ W.T, "the skip path does not go through W: it adds "
             "upstream_grad to dL/dx unchanged."),
            (lambda: g + g * slope, "you left out the product with W.T on the path through "
             "z = x @ W."),
            (lambda: g + (g * act.forward(z)) @ W.T, f"you multiplied by {name}(z); multiply by "
             f"its derivative {name}'(z)."),
            (lambda: g + (g * act.derivative(act.forward(z))) @ W.T, f"you evaluated "
             f"{name}' at the activation {name}(z); evaluate it at the pre-activation z."),
            (lambda: g, "you returned upstream_grad alone, the skip path's share. x also "
             f"reaches out through z = x @ W + b and {name}(z); that path's gradient adds to "
             "it."),
            (lambda: g * ((g * slope) @ W.T), "you multiplied the gradients of the two paths; "
             "a variable used twice gets the sum of the gradients along its paths."),
            (lambda: 1 + (g * slope) @ W.T, "you wrote the skip path as 1. Its slope is 1, so "
             "its gradient is 1 × upstream_grad: upstream_grad itself."),
        ] + [(lambda other=other: g + (g * get_activation(other).derivative(z)) @ W.T,
              f"you used the slope of {other}; the block's activation is {name}, so use "
              f"{name}'(z).") for other in ("sigmoid", "tanh") if other != name]

    return _evaluate(
        answer, "dL/dx", (g, W, z), ("upstream_grad", "W", "z"), truth, mistakes,
        lambda rng: (_normal_like(rng, g), _normal_like(rng, W), _normal_like(rng, z)),
        praise="Correct! The skip path adds upstream_grad unchanged, whatever the slopes on "
               "the other path.",
    )
