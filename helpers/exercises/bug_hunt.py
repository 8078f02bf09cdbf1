"""The bug hunt of lesson 06 (Gradient checking): find the layer whose backward is wrong, then
fix it.

``check_bug_hunt`` takes two answers: ``bug_layer``, the index in ``network.layers`` of the one
layer whose own backward disagrees with central differences, and ``fixed_backward(layer,
upstream_grad)``, a corrected backward for that layer. The check finds the truth itself: it
runs ``helpers.gradcheck.check_layer`` on every layer at the input that layer receives, so the
network may be any ``Network`` with exactly one faulty layer. The messages say why a wrongly
chosen layer is not the culprit (its own backward agrees; its parameters are wrong only
because a wrong gradient reaches them) and which way to look; the fix is compared with central
differences of that layer at its input and at three other inputs.
"""

from __future__ import annotations

import copy

import numpy as np

from .._validate import as_float_array
from ..activations import sigmoid_derivative
from ..gradcheck import TOLERANCE, check_layer, check_network, numeric_gradient
from ..layers import ActivationLayer, Dense
from ..losses import get_loss
from ..network import Network
from .answers import _as_answer, _call, _describe, _is_missing
from .feedback import Feedback, _attempt, _check, _correct, _not_done, _wrong
from .judging import N_EXTRA_POINTS, _combine, _judge

__all__ = ["check_bug_hunt"]


def _layer_inputs(network: Network, X: np.ndarray) -> list[np.ndarray]:
    """The input each layer of a copy of network receives in a forward pass of X."""
    inputs, values = [], X
    for layer in copy.deepcopy(network).layers:
        inputs.append(values.copy())
        values = layer.forward(values)
    return inputs


def _faulty_layers(network: Network, inputs: list[np.ndarray]) -> list[int]:
    """The indices of the layers whose own backward disagrees with central differences."""
    return [i for i, (layer, x) in enumerate(zip(network.layers, inputs, strict=True))
            if not check_layer(copy.deepcopy(layer), x).passed()]


def _describe_layer(network: Network, index: int) -> str:
    layer = network.layers[index]
    return f"layer {index} ({getattr(layer, 'name', type(layer).__name__)})"


def _judge_layer_choice(answer, network: Network, X, y, loss, inputs, truth: int,
                        name: str) -> Feedback:
    """bug_layer: right, or why the chosen layer is not the one and which way to look."""
    n_layers = len(network.layers)
    if _is_missing(answer):
        return _not_done("replace the None of bug_layer with the index of the faulty layer in "
                         f"{name}.layers, then run the cell.")
    if isinstance(answer, bool) or not isinstance(answer, int | np.integer):
        return _wrong(f"Your bug_layer should be the index of one layer in {name}.layers, a "
                      f"whole number from 0 to {n_layers - 1}; got {_describe(answer)}.")
    index = int(answer)
    from_1 = (f" Did you count from 1? {index} is the faulty layer counted from 1, but Python "
              f"counts from 0: the first layer of {name}.layers has index 0.") \
        if index == truth + 1 else ""
    if not 0 <= index < n_layers:
        return _wrong(f"Your bug_layer is {index}, but {name}.layers has {n_layers} layers, "
                      f"with indices 0 to {n_layers - 1}.{from_1}")
    if index == truth:
        return _correct(f"Correct! The backward of {_describe_layer(network, index)} is the one "
                        "that disagrees with central differences.")
    report = check_network(copy.deepcopy(network), X, y, loss)
    wrong_here = [e.parameter for e in report.entries
                  if e.parameter.startswith(f"layer {index} ") and e.relative_error >= TOLERANCE]
    own = (f"{_describe_layer(network, index)} is not it: check_layer on it, at the input it "
           "receives, agrees, so its own backward is right.")
    if wrong_here:
        why = (f" Its {' and '.join(p.split()[-1] for p in wrong_here)} disagree in check_network "
               "only because a wrong gradient reaches it from the layers after it.")
    else:
        why = ""
    if index < truth:
        way = (" Look nearer the output: counted from the output, the bug sits between the last "
               "parameter that agrees and the first one that does not.")
    else:
        way = (" Look nearer the input: the gradients of this layer's parameters agree, and "
               "the bug sits where they stop agreeing, counted from the output.")
    return _wrong("Your bug_layer is not right: " + own + why + way + from_1)


def _judge_fix(fixed_backward, layer, x: np.ndarray) -> Feedback:
    """fixed_backward(layer, upstream_grad) against central differences of the layer at x and
    at N_EXTRA_POINTS other inputs of its shape."""
    if _is_missing(fixed_backward):
        return _not_done("fill in fixed_backward so that it returns the corrected gradient.")
    if not callable(fixed_backward):
        return _wrong(f"Your fixed_backward should be a function (layer, upstream_grad); got "
                      f"{_describe(fixed_backward)}.")
    dense = isinstance(layer, Dense)
    wrt = "x" if dense else "z"
    what = f"dL/d{wrt}"
    rng = np.random.default_rng(2024)
    points = [x] + [rng.normal(0.0, 1.0, size=x.shape) for _ in range(N_EXTRA_POINTS)]
    for k, point in enumerate(points):
        mine, theirs = copy.deepcopy(layer), copy.deepcopy(layer)
        g = rng.normal(size=mine.forward(point).shape)

        def f(v, layer_=theirs, g_=g):
            return float(np.sum(layer_.forward(v) * g_))

        expected = {wrt: numeric_gradient(f, point.copy())}
        if dense:
            for key, value in theirs.parameters().items():
                expected[key] = numeric_gradient(lambda _, p_=point, f_=f: f_(p_), value)
        theirs.forward(point)
        original = theirs.backward(g)
        original_params = {key: np.copy(v) for key, v in theirs.gradients().items()}
        mine.forward(point)
        got = {wrt: _as_answer(_call(fixed_backward, (mine, g), what, ("layer", "upstream_grad")),
                               what)}
        if dense:
            for key, value in mine.gradients().items():
                got[key] = _as_answer(value, f"layer.d{key} set by fixed_backward")
        for key in expected:
            label = what if key == wrt else f"d{key} that fixed_backward sets"
            base = original if key == wrt else original_params[key]
            mistakes = [(lambda b=base: b, "it is what the layer's own backward computes: the "
                         "bug is still there.")]
            if key == wrt:
                mistakes.append((lambda g_=g: g_, "you passed upstream_grad back unchanged; "
                                 "multiply it by the layer's local derivative."))
                if not dense:
                    mistakes.append((lambda e=expected[wrt], g_=g: e / g_, "you returned the "
                                     "local derivative alone; multiply it by upstream_grad "
                                     "(upstream times local)."))
                    mistakes.append((lambda m=mine, g_=g: g_ * m.a, "you multiplied "
                                     "upstream_grad by the layer's output a; the local derivative "
                                     "is f'(z), the slope of the activation at its input z."))
                if not dense and layer.name != "sigmoid":
                    mistakes.append((lambda m=mine, g_=g: g_ * sigmoid_derivative(m.z),
                                     "you multiplied upstream_grad by sigmoid(z) (1 - "
                                     "sigmoid(z)), the derivative of the sigmoid; this layer "
                                     f"computes {layer.name}, and its backward needs the "
                                     f"derivative of {layer.name}."))
            verdict = _judge(label, got[key], expected[key], mistakes)
            if verdict is not None:
                if k == 0:
                    return _wrong(verdict)
                return _wrong("Your fixed_backward is right for the layer's own input but not for "
                              f"another input of the same shape:\n{verdict}\nDid you write in "
                              "numbers that only hold for one input? Compute from layer and "
                              "upstream_grad.")
    return _correct()


@_check
def check_bug_hunt(bug_layer, fixed_backward, network, X, y, loss, *,
                   name: str = "network") -> Feedback:
    """Check a bug hunt: which layer of network has the faulty backward, and its fix.

    bug_layer: the learner's index in network.layers. fixed_backward: a function (layer,
    upstream_grad) returning the corrected gradient with respect to the layer's input (for a
    Dense layer it also sets layer.dW and layer.db), judged at the layer's input and at
    N_EXTRA_POINTS others against central differences.
    network: a Network with exactly one layer whose backward disagrees with central
    differences (the check finds it with check_layer); X, y, loss: the batch and the loss the
    learner checks it with; name: the network's name in the lesson, for the messages.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network is a {type(network).__name__}; expected a Network")
    X = as_float_array(X, "X", ndim=2)
    loss = get_loss(loss)
    loss.value(network.forward(X), y)  # validates the problem data early
    inputs = _layer_inputs(network, X)
    faulty = _faulty_layers(network, inputs)
    if len(faulty) != 1:
        raise ValueError(f"network has {len(faulty)} layers whose backward disagrees with "
                         f"central differences ({faulty}); expected exactly one")
    truth = faulty[0]
    if not isinstance(network.layers[truth], Dense | ActivationLayer):
        raise TypeError("the faulty layer must be a Dense or ActivationLayer")
    choice = _judge_layer_choice(bug_layer, network, X, y, loss, inputs, truth, name)
    if choice.correct:
        fix = _attempt(lambda: _judge_fix(fixed_backward, network.layers[truth], inputs[truth]))
    else:
        fix = _not_done("fixed_backward is checked once bug_layer is right.")
    if choice.correct and fix.correct:
        return _correct(f"Correct! bug_layer and fixed_backward are right; fixed_backward was "
                        f"tried at the layer's input and {N_EXTRA_POINTS} others.")
    return _combine([("bug_layer", choice), ("fixed_backward", fix)])

