"""Checks for lesson 05 (Backpropagation): a layer's backward, written piece by piece.

``check_gradient_shapes``: the shapes of dW, db and dX, and of the two factors of each product,
written down before any code (a gradient has the shape of what it is the gradient of);
``check_activation_backward``: dL/dz = f'(z) * dL/da for a batch, entry by entry, also for
``SILU``, silu(z) = z sigmoid(z), an activation the package does not have (its derivative is
the exercise);
``check_two_layer_backward``: the backward pass of Dense, activation, Dense built from the
learner's own ``dense_backward`` (checked by ``backward.check_dense_backward``) and
``activation_backward``. The truth comes from the package's ``Activation.backward`` and
``Network.backward``.

Errors a learner's function raises are explained by ``explained._explained``, with the
mistakes these exercises know (@ where * belongs, the layers taken in the wrong order, the
wrong gradient or weights handed to a piece).
"""

from __future__ import annotations

import functools
import re

import numpy as np

from .._validate import as_float_array
from ..activations import Activation, get_activation, sigmoid, sigmoid_derivative
from ..layers import ActivationLayer, Dense
from ..losses import mean_squared_error_gradient
from .activations import _activation_name
from .answers import _as_answer, _call, _describe, _function_name, _is_missing
from .explained import _explained
from .feedback import Feedback, _attempt, _check, _correct, _not_done, _Stop, _wrong
from .judging import N_EXTRA_POINTS, _close, _combine, _evaluate, _normal_like

__all__ = ["SILU", "check_activation_backward", "check_gradient_shapes", "check_two_layer_backward",
           "silu"]


# --- the shapes first ----------------------------------------------------------------------


def _as_shape(value, what: str) -> tuple[int, ...]:
    """A learner's shape as a tuple of ints (a plain int n stands for (n,)), or a _Stop."""
    if _is_missing(value):
        raise _Stop(_not_done(f"replace the None in {what} with a shape, then run the cell."))
    if isinstance(value, np.ndarray):
        raise _Stop(_wrong(f"Your {what} is an array; write its shape as a tuple of sizes, "
                           "e.g. (4, 7)."))
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return (int(value),)
    if isinstance(value, tuple | list) and all(
            isinstance(v, int | np.integer) and not isinstance(v, bool) for v in value):
        return tuple(int(v) for v in value)
    raise _Stop(_wrong(f"Your {what} should be a shape, a tuple of sizes such as (4, 7); "
                       f"got {_describe(value)}."))


def _judge_shape(answer, what: str, expected: tuple, rule: str, known: dict) -> Feedback:
    """One gradient's shape: right, or wrong with the rule and the mistake known for it."""
    got = _as_shape(answer, what)
    if got == expected:
        return _correct()
    why = known.get(got, "")
    text = f"{why} {rule}" if why else rule
    return _wrong(f"Your {what}, {got}, is not right: {text[0].lower()}{text[1:]}")


def _judge_factors(answer, what: str, grad: str, expected: tuple, rule: str,
                   factors: dict) -> Feedback:
    """The shapes of the two factors of the product that makes a gradient (A @ B)."""
    if _is_missing(answer):
        raise _Stop(_not_done(f"replace the None in {what} with two shapes, then run the cell."))
    if not isinstance(answer, tuple | list) or len(answer) != 2:
        raise _Stop(_wrong(f"Your {what} should be a pair of shapes, the shape of the left "
                           f"factor and of the right one, e.g. ((4, 7), (7, 1)); "
                           f"got {_describe(answer)}."))
    left, right = (_as_shape(a, f"{what} (one of its shapes)") for a in answer)
    listed = ", ".join(f"{name} {shape}" for name, shape in factors.items())
    for shape in (left, right):
        if shape not in factors.values():
            return _wrong(f"Your {what} has {shape}, which is the shape of none of the arrays "
                          f"{grad} is made of: {listed}.")
    if len(left) != 2 or len(right) != 2 or left[1] != right[0]:
        return _wrong(f"Your {what}, {left} @ {right}, cannot be computed: in A @ B the number "
                      "of columns of A must equal the number of rows of B.")
    result = (left[0], right[1])
    if result != expected:
        return _wrong(f"Your {what}, {left} @ {right}, gives {result}, not the shape of "
                      f"{grad}. {rule} Which order of the factors, and which transposes, give "
                      "that?")
    return _correct()


@_check
def check_gradient_shapes(dW_shape, db_shape, dX_shape, dW_factors, dX_factors, *, n: int,
                          n_in: int, n_out: int,
                          names=("X", "W", "upstream_grad")) -> Feedback:
    """Check the shapes of a dense layer's gradients, written down before any code.

    The layer computes z = X @ W + b with X (n, n_in), W (n_in, n_out), b (n_out,), and
    upstream_grad = dL/dz (n, n_out) arrives. dW_shape, db_shape, dX_shape: tuples (a plain int
    k counts as (k,)); dW_factors, dX_factors: the shapes of the two factors of the product that
    makes dW (dX), left first: ((n_in, n), (n, n_out)) and ((n, n_out), (n_out, n_in)).
    n, n_in, n_out must be three different sizes, so that a transposition shows.
    names: what the exercise calls X, W and upstream_grad.
    """
    sizes = {"n": n, "n_in": n_in, "n_out": n_out}
    for key, size in sizes.items():
        if isinstance(size, bool) or not isinstance(size, int | np.integer) or size < 1:
            raise ValueError(f"{key} must be a positive int; got {size!r}")
    if len(set(sizes.values())) != 3:
        raise ValueError(f"n, n_in and n_out must differ so that a transposed shape shows; "
                         f"got {sizes}")
    Xn, Wn, gn = names
    X, W, g, b = (n, n_in), (n_in, n_out), (n, n_out), (n_out,)
    rule = "A gradient has the shape of what it is the gradient of."
    dW_rule, db_rule, dX_rule = rule, rule, rule
    transposed = "That is the transpose."
    same_as = {g: f"That is the shape of {gn}, one row per sample.", X: f"That is {Xn}'s shape.",
               W: f"That is {Wn}'s shape."}
    known_dW = {**same_as, W[::-1]: transposed}
    known_db = {(1, n_out): "b is 1-D, one number per neuron; (1, n_out) is what keepdims=True "
                "gives.", (n,): f"That is one number per sample: db adds up the rows of {gn}, "
                "one per neuron.", g: f"That is {gn}'s shape: db adds up its rows, over the "
                "batch, since every sample uses the same b."}
    known_dX = {**same_as, X[::-1]: transposed,
                g: f"That is {gn}'s shape: d{Xn} is what the layer passes down to its input "
                f"{Xn}."}
    dW_parts = {Xn: X, f"{Xn}.T": X[::-1], gn: g, f"{gn}.T": g[::-1]}
    dX_parts = {gn: g, f"{gn}.T": g[::-1], Wn: W, f"{Wn}.T": W[::-1]}

    def part(make):
        return _attempt(make)

    return _combine([
        ("dW_shape", part(lambda: _judge_shape(dW_shape, "dW_shape", W, dW_rule, known_dW))),
        ("db_shape", part(lambda: _judge_shape(db_shape, "db_shape", b, db_rule, known_db))),
        ("dX_shape", part(lambda: _judge_shape(dX_shape, "dX_shape", X, dX_rule, known_dX))),
        ("dW_factors", part(lambda: _judge_factors(dW_factors, "dW_factors", "dW", W, dW_rule,
                                                   dW_parts))),
        ("dX_factors", part(lambda: _judge_factors(dX_factors, "dX_factors", f"d{Xn}", X,
                                                   dX_rule, dX_parts))),
    ])


# --- an activation's backward for a batch ----------------------------------------------------


def silu(z):
    """SiLU (also called swish), silu(z) = z * sigmoid(z), entry by entry."""
    return z * sigmoid(z)


def _silu_derivative(z):
    """silu'(z) = sigmoid(z) + z sigmoid(z) (1 - sigmoid(z)), by the product rule."""
    s = sigmoid(z)
    return s * (1.0 + z * (1.0 - s))


# The hidden activation of lesson 05's Exercises 3 and 4, which the package does not have.
SILU = Activation("silu", silu, _silu_derivative, lambda z, a: _silu_derivative(z))


def _elementwise(line, local, args) -> str:
    """The named mistake behind an error in activation_backward: a matrix product."""
    if "@" in line or "dot(" in line or "matmul(" in line:
        return ("The activation acts entry by entry, so its backward multiplies entry by "
                "entry, with *, not with the matrix product @.")
    return ""


@_check
def check_activation_backward(answer, z, upstream_grad, activation: str = "tanh", *,
                              names=("z", "upstream_grad")) -> Feedback:
    """Check an activation's backward step for a batch: dL/dz = f'(z) * dL/da, entry by entry.

    answer: dL/dz with the shape of z, or a function f(z, upstream_grad) returning it (tried at
    the given inputs and N_EXTRA_POINTS others). z: the pre-activation (n, k);
    upstream_grad: dL/da (n, k); activation: "silu" (see ``SILU``), "sigmoid", "tanh", "relu"
    or "identity". names: what the exercise calls z and upstream_grad.
    """
    silu_asked = isinstance(activation, str) and activation.lower() == "silu"
    name = "silu" if silu_asked else _activation_name(activation, derivative=True)
    act = SILU if silu_asked else get_activation(name)
    z = as_float_array(z, "z", ndim=2)
    g = as_float_array(upstream_grad, "upstream_grad", ndim=2)
    if g.shape != z.shape:
        raise ValueError(f"upstream_grad {g.shape} must have the shape of z {z.shape}")
    zn, gn = names
    f = name

    def mistakes(z, g):
        d, a = act.derivative(z), act.forward(z)
        listed = [
            (lambda: d, f"you forgot the upstream factor: {f}'({zn}) alone is da/dz; the chain "
             f"rule multiplies it by {gn} = dL/da."),
            (lambda: g, f"you returned {gn} unchanged: multiply it by the activation's "
             f"derivative {f}'({zn})."),
            (lambda: act.derivative(a) * g, f"you evaluated the derivative at the wrong place, "
             f"at a = {f}({zn}); evaluate {f}' at the pre-activation {zn}."),
            (lambda: a * g, f"you multiplied by {f}({zn}) itself, not by its derivative "
             f"{f}'({zn})."),
            (lambda: (d * g).sum(axis=0), f"you summed over the batch; dL/d{zn} has one row per "
             f"sample, the shape of {zn}."),
        ]
        if name == "tanh":
            listed += [
                (lambda: (1 - z**2) * g, f"you used {zn} where the formula wants a = "
                 f"tanh({zn}): tanh'({zn}) = 1 - a**2, with a = tanh({zn}), not 1 - {zn}**2."),
                (lambda: (1 - a) ** 2 * g, "the square belongs to tanh alone: "
                 f"1 - tanh({zn})**2, not (1 - tanh({zn}))**2."),
                (lambda: sigmoid_derivative(z) * g, "you used the sigmoid's derivative, "
                 f"sigmoid({zn}) (1 - sigmoid({zn})), as in the worked example; this layer is "
                 "tanh, whose slope is another function."),
            ]
        if name == "silu":
            s, ds = sigmoid(z), sigmoid_derivative(z)
            rule = (f"differentiate the product {zn} * sigmoid({zn}) by the product rule: both "
                    "terms stay, each with one factor differentiated.")
            listed += [
                (lambda: s * g, f"you kept only the first term of the product {zn} * "
                 f"sigmoid({zn}); {rule}"),
                (lambda: z * ds * g, f"you kept only the second term of the product {zn} * "
                 f"sigmoid({zn}); {rule}"),
                (lambda: ds * g, f"you used the sigmoid's derivative alone; silu({zn}) is {zn} "
                 f"times sigmoid({zn}), so {rule}"),
                (lambda: (s + z * (1 - s)) * g, f"the slope of sigmoid is sigmoid({zn}) (1 - "
                 f"sigmoid({zn})), not 1 - sigmoid({zn}): {rule}"),
                (lambda: s * (1 + z) * g, f"the slope of sigmoid is not sigmoid({zn}) itself: "
                 f"{rule}"),
            ]
        if name == "sigmoid":
            listed += [(lambda: z * (1 - z) * g, f"you used {zn} where the formula wants "
                        f"a = sigmoid({zn}): sigmoid'({zn}) = a * (1 - a), not "
                        f"{zn} * (1 - {zn}).")]
        matrix = "you used a matrix product; the activation acts entry by entry, so multiply " \
                 "entry by entry with *, not @."
        listed += [(lambda: g @ d.T, matrix), (lambda: d @ g.T, matrix),
                   (lambda: g.T @ d, matrix), (lambda: d.T @ g, matrix)]
        return listed

    return _evaluate(
        _explained(answer, names, _elementwise), f"dL/d{zn}", (z, g), names,
        truth=lambda z, g: act.backward(z, g), mistakes=mistakes,
        sample=lambda rng: (_normal_like(rng, z, 2.0), _normal_like(rng, g)),
        praise=f"Correct! dL/d{zn} = {f}'({zn}) * {gn}, entry by entry.",
    )


# --- two layers, from the learner's own pieces ------------------------------------------------


def _piece_ready(piece, what: str, exercise: str, point, truth) -> None:
    """A _Stop unless the learner's piece (a function) gives truth(*point) at point."""
    if _is_missing(piece) or not callable(piece):
        raise _Stop(_not_done(f"{what} from {exercise} is missing; run its cell first."))
    try:
        with np.errstate(all="ignore"):
            result = piece(*[np.array(a, copy=True) for a in point])
    except Exception as error:
        raise _Stop(_wrong(f"Your {what} from {exercise} raises {type(error).__name__}, and "
                           f"this exercise calls it: fix it first (run {exercise}'s check)."
                           )) from None
    results = result if isinstance(result, tuple | list) else (result,)
    if _is_missing(result) or any(_is_missing(r) for r in results):
        raise _Stop(_not_done(f"your {what} ({exercise}) still returns None, and this "
                              f"exercise calls it: finish {exercise} first."))
    expected = truth(*point)
    expected = expected if isinstance(expected, tuple) else (expected,)
    try:
        right = len(results) == len(expected) and all(
            _close(_as_answer(r, what), e) for r, e in zip(results, expected, strict=True))
    except _Stop:
        right = False
    if not right:
        raise _Stop(_wrong(f"Your {what} from {exercise} is not right yet, and this exercise "
                           f"calls it: fix it first (run {exercise}'s check)."))


def _by_hand(network, X, y, mistake: str | None = None):
    """[(dW1, db1), (dW2, db2)] of the mean squared error, with one typical mistake or none."""
    first, act, second = network.layers[:3]
    z1 = X @ first.W + first.b
    a1 = act.activation.forward(z1)
    upstream_grad = mean_squared_error_gradient(a1 @ second.W + second.b, y)
    da1 = upstream_grad @ second.W.T
    dz1 = {"no_activation": da1, "a1_not_z1": act.activation.backward(a1, da1)}.get(
        mistake, act.activation.backward(z1, da1))
    layer2_input = {"z1_into_layer2": z1, "X_into_layer2": X}.get(mistake, a1)
    layer1_input = a1 if mistake == "a1_into_layer1" else X
    return [(layer1_input.T @ dz1, dz1.sum(axis=0)),
            (layer2_input.T @ upstream_grad, upstream_grad.sum(axis=0))]


def _calls(line: str, local: dict) -> list[tuple[str, list]]:
    """The calls name(a, b, ...) on the line whose arguments are plain names: (name, values)."""
    return [(name, [local.get(a.strip()) for a in args.split(",")])
            for name, args in re.findall(r"(\w+)\(([\w\s,]*)\)", line)]


def _order(line, local, args) -> str:
    """The named mistake behind an error in the two-layer backward: layer 1 taken first, the
    wrong gradient given to activation_backward, W2 given to layer 1."""
    network, X = args[0], args[1]
    first, second = network.layers[0], network.layers[2]
    hidden = (X.shape[0], first.W.shape[1])
    for name, given in _calls(line, local):
        if len(given) == 2 and np.shape(given[0]) == hidden and np.shape(given[1]) != hidden:
            return (f"{name} needs dL/da1, shape {hidden}: the third result of layer 2's "
                    f"dense_backward. What you gave it has shape {np.shape(given[1])}.")
        if len(given) == 3 and given[1] is second.W and np.shape(given[2]) == hidden:
            return (f"Layer 1's {name} needs layer 1's weights W1, {first.W.shape}; "
                    f"W2, {second.W.shape}, belongs to layer 2.")
    uses_layer1 = any(local.get(w) is first.W for w in re.findall(r"\w+", line)) or (
        "layers[0]" in line)
    if uses_layer1 and local.get("dW2") is None:
        return ("You started the backward pass at layer 1. It starts at the last layer: "
                "upstream_grad is the gradient at layer 2's output, so layer 2's dense_backward "
                "comes first, and layer 1 gets what it passes down.")
    return ""


@_check
def check_two_layer_backward(answer, network, X, y, dense_backward=None,
                             activation_backward=None, *,
                             exercises=("Exercise 2", "Exercise 3")) -> Feedback:
    """Check the backward pass of Dense, activation, Dense (identity output, mean squared
    error) built from the learner's own pieces.

    answer: a function f(network, X, y) returning [(dW1, db1), (dW2, db2)] (or that list).
    network: a helpers.network.Network of Dense, ActivationLayer, Dense (and an identity
    ActivationLayer, as build_network(..., output="identity") makes it);
    X: (n, n_in); y: (n, n_out). dense_backward(X, W, upstream_grad) -> (dW, db, dX) and
    activation_backward(z, upstream_grad) -> dL/dz: the learner's pieces, checked first, so
    that a missing or wrong piece is named instead of failing inside the answer.
    exercises: where the lesson asks for dense_backward and activation_backward.
    """
    layers = getattr(network, "layers", None)
    if not (isinstance(layers, list) and len(layers) in (3, 4) and isinstance(layers[0], Dense)
            and isinstance(layers[1], ActivationLayer) and isinstance(layers[2], Dense)
            and (len(layers) == 3 or getattr(layers[3], "name", "") == "identity")):
        raise ValueError("network must be a Network of Dense, ActivationLayer, Dense (and an "
                         "identity output, as build_network makes it)")
    X = as_float_array(X, "X", ndim=2)
    y = as_float_array(y, "y", ndim=2)
    first, act = layers[0], layers[1]
    rng = np.random.default_rng(7)
    x0 = rng.normal(size=(3, first.W.shape[0]))
    g0 = rng.normal(size=(3, first.W.shape[1]))
    _piece_ready(dense_backward, "dense_backward", exercises[0], (x0, first.W, g0),
                 lambda x, W, g: (x.T @ g, g.sum(axis=0), g @ W.T))
    _piece_ready(activation_backward, "activation_backward", exercises[1], (x0 @ first.W, g0),
                 lambda z, g: act.activation.backward(z, g))
    names = ("network", "X", "y")
    answer = _explained(answer, names, _order)
    whys = {
        "no_activation": "you skipped activation_backward: the gradient layer 2 passes down is "
        "dL/da1; it becomes dL/dz1 only through activation_backward(z1, ...).",
        "a1_not_z1": "you passed a1 to activation_backward; it takes the pre-activation z1.",
        "z1_into_layer2": "layer 2's input is a1 = f(z1), not z1: pass a1 to dense_backward.",
        "X_into_layer2": "you gave layer 2's dense_backward the input X; X is layer 1's input. "
        "Which array did layer 2 receive in the forward pass?",
        "a1_into_layer1": "you gave layer 1's dense_backward the input a1; a1 is layer 2's "
        "input. Which array did layer 1 receive in the forward pass?",
    }
    points = [X] + ([_normal_like(np.random.default_rng(2024), X) for _ in range(N_EXTRA_POINTS)]
                    if callable(answer) else [])
    for k, point in enumerate(points):
        raw = _call(answer, (network.copy(), point, y), "gradients", names) \
            if callable(answer) else answer
        if _is_missing(raw) or (isinstance(raw, list | tuple) and all(
                _is_missing(p) or (isinstance(p, list | tuple) and all(map(_is_missing, p)))
                for p in raw)):
            raise _Stop(_not_done("your gradients are still None; compute them with your "
                                  "dense_backward and activation_backward."))
        if not (isinstance(raw, list | tuple) and len(raw) == 2 and all(
                isinstance(p, list | tuple) and len(p) == 2 for p in raw)):
            return _wrong("Your answer should be [(dW1, db1), (dW2, db2)], first layer first; "
                          f"got {_describe(raw)}.")
        net = network.copy()
        net.backward(mean_squared_error_gradient(net.forward(point), y))
        true = [(net.layers[0].dW, net.layers[0].db), (net.layers[2].dW, net.layers[2].db)]
        swapped = [raw[1], raw[0]]
        if all(_attempt(lambda a=a, t=t: _evaluate(a, "gradient", (), (), truth=lambda: t)
                        ).correct for pair, right in zip(swapped, true, strict=True)
               for a, t in zip(pair, right, strict=True)):
            return _wrong("Your gradients are right but in the reverse order (the backward pass "
                          "meets layer 2 first): return [(dW1, db1), (dW2, db2)].")
        variants = {m: _by_hand(network, point, y, m) for m in whys}
        parts = []
        for j in range(2):
            for p, what in enumerate((f"dW{j + 1}", f"db{j + 1}")):
                mistakes = [(lambda v=grads[j][p]: v, whys[m]) for m, grads in variants.items()]
                parts.append((what, _attempt(functools.partial(
                    _evaluate, raw[j][p], what, (), (), truth=lambda t=true[j][p]: t,
                    mistakes=lambda m=mistakes: m))))
        feedback = _combine(parts)
        if feedback.correct:
            continue
        if k == 0:
            return feedback
        return _wrong(f"{_function_name(answer, start=True)} is right for the given X but not "
                      f"for other inputs of the same shape:\n{feedback.message}")
    checked = (f" Your function is right for the given X and {len(points) - 1} others."
               if len(points) > 1 else "")
    return _correct(f"Correct! All four gradients are right.{checked}")
