"""Checks for lesson 09 (Initialisation and the health of gradients).

``check_layer_factor``: a prediction of the factor by which one ReLU layer multiplies the mean
square of the pre-activations when its weights are drawn as normal(0, 1) * scale * sqrt(1 / n_in).
The truth is scale**2 / 2; a wrong prediction is matched against the factors learners typically
get (ReLU's halving left out, the scale not squared, ...), else called too high or too low.

``check_gradient_scale``: a prediction of how much larger (or smaller) the mean square of
delta = dL/dz is in the first of n_layers such ReLU layers than in the last: the factor
scale**2 / 2 once per step back, n_layers - 1 steps. Its named mistakes: one factor per layer
instead of per step, the ratio upside down, root-mean-squares instead of mean squares, ...

``check_keeping_scale``: the standard deviation of the weights that keeps the mean square steady
through leaky ReLU layers, a(z) = z for z > 0 and alpha * z otherwise:
sqrt(2 / ((1 + alpha**2) * n_in)). The answer is a number or, better, a function of
(n_in, alpha), which is tried at other sizes and slopes too.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import check_nonnegative_float, check_positive_float, check_positive_int
from ..notation import format_number
from .feedback import Feedback, _check, _correct
from .judging import _evaluate
from .prediction import _close_or_off, _named_mistake, _number, _same

__all__ = ["check_gradient_scale", "check_keeping_scale", "check_layer_factor"]

@_check
def check_layer_factor(factor, scale, measured=None) -> Feedback:
    """Check a predicted factor per ReLU layer: mean z² of a layer / mean z² of the layer before.

    factor: the learner's prediction, a number (None while not done yet).
    scale: s in the weights' standard deviation s * sqrt(1 / n_in), a number > 0.
    measured: optional factor measured in the lesson's stacks, shown beside the rule.
    """
    scale = check_positive_float(scale, "scale")
    if measured is not None:
        measured = check_positive_float(measured, "measured")
    factor = _number(factor, "predicted_factor")
    s = format_number(scale)
    truth = scale**2 / 2
    rule = (f"the weights multiply the mean square by n_in · Var[w] = s² = "
            f"{format_number(scale**2)}, and ReLU halves it: s² / 2 = {format_number(truth)}")
    seen = "" if measured is None else f"\n    measured in the stacks: {measured:.3f} per layer"
    if _same(factor, truth):
        return _correct(f"Correct! {rule[0].upper()}{rule[1:]}.{seen}")
    mistakes = [
        (scale**2, "you left out the ReLU: it sets the negative half of z to zero, which "
                   "halves the mean square, so multiply by 1/2."),
        (scale / math.sqrt(2), "that is the factor for the root-mean-square (the typical size "
                               "of z), the square root of the factor for the mean square."),
        (scale / 2, "the scale enters squared: it multiplies every weight, so the variance of "
                    "w, and with it the mean square of z, by s²."),
        (scale, "the scale multiplies z by s and so its mean square by s², and ReLU halves "
                "that."),
        (scale**2 / 4, "ReLU halves the mean square once, not twice."),
        (0.5, "that is LeCun's factor, for s = 1; a scale s multiplies the variance of the "
              "weights by s²."),
        (1.0, "that is He's factor, for s = √2; a scale s multiplies the variance of the "
              "weights by s²."),
    ]
    named = _named_mistake(factor, truth, [(v, why + seen) for v, why in mistakes],
                           f"{format_number(factor)} is not right for s = {s}: ")
    if named is not None:  # (a Feedback that is not correct is falsy)
        return named
    return _close_or_off(
        factor, truth,
        close=f"{format_number(factor)} is close, but the rule gives the factor exactly: write "
        f"the rule as an expression in s.{seen}",
        off=f"{format_number(factor)} is {{direction}} for s = {s}. Think of the two steps: the "
        "weights multiply the mean square by n_in · Var[w], and ReLU keeps only the positive "
        f"half of z.{seen}")


@_check
def check_gradient_scale(ratio, scale, n_layers, measured=None) -> Feedback:
    """Check a predicted ratio mean delta² in layer 1 / mean delta² in layer n_layers, in a
    stack of n_layers square ReLU layers with weights normal(0, 1) * scale * sqrt(1 / n_in).

    Going back from one layer's delta = dL/dz to the layer before, W.T multiplies the mean
    square by n_out · Var[w] = s² and relu' keeps about half the entries: a factor s² / 2,
    n_layers - 1 times, so the truth is (scale**2 / 2) ** (n_layers - 1).

    ratio: the learner's prediction, a number (None while not done yet).
    scale: s, a number > 0; n_layers: a whole number >= 2.
    measured: optional ratio measured in the lesson's stacks, shown beside the rule.
    """
    scale = check_positive_float(scale, "scale")
    k = check_positive_int(n_layers, "n_layers") - 1
    if k < 1:
        raise ValueError(f"n_layers must be at least 2 (a first and a last layer); got {n_layers}")
    if measured is not None:
        measured = check_positive_float(measured, "measured")
    ratio = _number(ratio, "predicted_ratio")
    step = scale**2 / 2
    truth = step**k
    s, f = format_number(scale), format_number(step)
    rule = (f"each step back multiplies the mean square of delta by s² / 2 = {f}, and from "
            f"layer {n_layers} back to layer 1 there are {k} steps: ({f}) ** {k} = "
            f"{format_number(truth)}")
    seen = "" if measured is None else f"\n    measured in the stacks: {measured:.3f}"
    if _same(ratio, truth):
        return _correct(f"Correct! {rule[0].upper()}{rule[1:]}.{seen}")
    per_step = f"one factor s² / 2 = {f} per step, {k} steps"
    mistakes = [
        (step**n_layers, f"that is {n_layers} factors, one per layer; but between layer 1 and "
                         f"layer {n_layers} delta takes only {k} steps ({per_step})."),
        (step**(k - 1), f"that is {k - 1} factors; from layer {n_layers} back to layer 1 delta "
                        f"takes {k} steps."),
        (step**-k, f"that is the ratio upside down, layer {n_layers} over layer 1. Going back, "
                   f"delta is multiplied by s² / 2 = {f} per step."),
        (step, f"that is the factor of one step; the ratio asked for spans {k} steps."),
        ((scale / math.sqrt(2))**k, "that is the ratio of the root-mean-squares (the typical "
                                    "sizes of delta), the square root of the ratio of the mean "
                                    "squares."),
        (scale**(2 * k), "you left out relu'(z): it is 0 for about half of the units, which "
                         "halves the mean square at every step."),
        ((scale**2 / 4)**k, "ReLU halves the mean square once per step, not twice."),
        ((scale / 2)**k, "the scale enters squared: it multiplies every weight, so the mean "
                         "square of delta @ W.T by s²."),
        (step * k, f"you multiplied the factor by {k}; the steps multiply: {per_step}."),
        (0.5**k, f"that is LeCun's ratio, for s = 1; with s = {s} each step multiplies by "
                 "s² / 2."),
        (1.0, f"that is He's ratio, for s = √2; with s = {s} each step multiplies by s² / 2."),
    ]
    named = _named_mistake(ratio, truth, [(v, why + seen) for v, why in mistakes],
                           f"{format_number(ratio)} is not right for s = {s} and "
                           f"{n_layers} layers: ")
    if named is not None:
        return named
    return _close_or_off(
        ratio, truth,
        close=f"{format_number(ratio)} is close, but the rule gives the ratio exactly: write "
        f"the rule as an expression in s and the number of steps.{seen}",
        off=f"{format_number(ratio)} is {{direction}} for s = {s} and {n_layers} layers. Follow "
        "delta back one layer at a time: what does W.T do to its mean square, and what does "
        f"relu'(z)? Then count the steps.{seen}")


def _keeping_std(n_in, alpha):
    return np.asarray(math.sqrt(2.0 / ((1.0 + alpha**2) * n_in)))


def _keeping_mistakes(n_in, alpha):
    return [
        (lambda: math.sqrt(2.0 / n_in),
         "you used He's scale sqrt(2 / n_in), which is right only for alpha = 0: leaky ReLU does "
         "not zero the negative half of z, it keeps alpha * z there, whose mean square is alpha² "
         "times that half's."),
        (lambda: math.sqrt(1.0 / n_in),
         "you used LeCun's scale sqrt(1 / n_in), which is right only for alpha = 1 (then a = z "
         "everywhere)."),
        (lambda: 2.0 / ((1.0 + alpha**2) * n_in),
         "that is the variance of the weights; the standard deviation is its square root."),
        (lambda: math.sqrt(2.0 / ((1.0 + alpha) * n_in)),
         "the negative half is multiplied by alpha, so its square by alpha²: 1 + alpha², "
         "not 1 + alpha."),
        (lambda: math.sqrt((1.0 + alpha**2) / (2.0 * n_in)),
         "it is upside down: the layer multiplies the mean square by (1 + alpha²) / 2, so the "
         "weights' variance must divide by that factor."),
        (lambda: math.sqrt(2.0 * n_in / (1.0 + alpha**2)),
         "n_in belongs in the denominator: more inputs add more terms to z, so each weight must "
         "be smaller."),
        (lambda: math.sqrt(1.0 / ((1.0 + alpha**2) * n_in)),
         "your variance is half the right one: you took the leaky ReLU's factor on the mean "
         "square as (1 + alpha²), but z is negative half of the time, so it keeps half of it "
         "on the positive side and alpha² times half on the negative side, (1 + alpha²) / 2."),
        (lambda: math.sqrt(2.0 * (1.0 + alpha**2) / n_in),
         "you multiplied by (1 + alpha²) where the variance must divide by it: the layer "
         "multiplies the mean square by (1 + alpha²) / 2, and the weights must make up for it."),
        (lambda: math.sqrt(2.0 / (1.0 + alpha**2)) / n_in,
         "the square root covers n_in too: the variance is 2 / ((1 + alpha²) n_in), the standard "
         "deviation its square root."),
    ]


def _sample_problem(rng):
    return int(rng.integers(2, 1000)), float(rng.uniform(0.01, 0.5))


@_check
def check_keeping_scale(answer, n_in, alpha) -> Feedback:
    """Check the standard deviation of the weights that keeps the mean square of z steady
    through leaky ReLU layers with slope alpha for z < 0.

    answer: a number, or a function answer(n_in, alpha) -> number (tried at these and at
        other sizes and slopes); None while not done yet.
    n_in: the number of inputs of a layer, a positive whole number; alpha: the slope, >= 0.
    """
    n_in = check_positive_int(n_in, "n_in")
    alpha = check_nonnegative_float(alpha, "alpha")
    return _evaluate(
        answer, "standard deviation", (n_in, alpha), ("n_in", "alpha"), _keeping_std,
        _keeping_mistakes, _sample_problem, allow_number=True,
        praise="Correct! The variance 2 / ((1 + alpha²) n_in) makes up for the factor "
               "(1 + alpha²) / 2 of the leaky ReLU: alpha = 0 gives He's sqrt(2 / n_in) and "
               "alpha = 1 LeCun's sqrt(1 / n_in). PyTorch's kaiming_normal_ uses this gain, "
               "sqrt(2 / (1 + alpha²)), for leaky ReLU.",
    )
