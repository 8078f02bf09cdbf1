"""Checks for lesson 05 (Backpropagation); check_dense_backward also in lesson 06 (Gradient
checking), check_backward_pass in lesson 07 (Training with gradient descent).

``check_dense_backward``: dW, db and dx of one dense layer z = x @ W + b (a function that
raises is told the line and the mistake behind a refused product, see ``layer_backward``);
``check_backward_pass``: every (dW, db) of a whole network. The truth comes from the layers'
own public ``forward`` and ``backward``; the mistakes named here are a transposed product, a
1/n too many, a forgotten activation derivative, f' evaluated at a instead of z...
"""

from __future__ import annotations

import functools

import numpy as np

from .._validate import as_float_array
from ..layers import ActivationLayer, Dense
from ..losses import get_loss
from .answers import _call, _describe, _function_name, _is_missing
from .explained import _PRODUCT, _explained
from .feedback import Feedback, _attempt, _check, _correct, _not_done, _Stop, _wrong
from .judging import N_EXTRA_POINTS, _combine, _evaluate, _normal_like, _with_batch

__all__ = ["check_backward_pass", "check_dense_backward"]


# --- one dense layer ----------------------------------------------------------------------


def _dense_data(x, W, upstream_grad):
    x, W = as_float_array(x, "x", ndim=2), as_float_array(W, "W", ndim=2)
    g = as_float_array(upstream_grad, "upstream_grad", ndim=2)
    if x.shape[1] != W.shape[0] or g.shape != (x.shape[0], W.shape[1]):
        raise ValueError(f"x {x.shape}, W {W.shape} and upstream_grad {g.shape} do not fit: "
                         "expected x (n, n_in), W (n_in, n_out), upstream_grad (n, n_out)")
    return x, W, g


def _dW_mistakes(x, g, names=("x", "W", "upstream_grad")):
    n, (xn, _, gn) = x.shape[0], names
    return [
        (lambda: g.T @ x, f"you probably computed {gn}.T @ {xn}: that is the transpose of "
         "dW."),
        (lambda: x.T @ g / n, f"you divided by the batch size ({_with_batch(n)}); the 1/n is "
         f"already inside {gn} (it comes from the mean in the loss)."),
        (lambda: x.T @ g * n, f"it is n = {n} times too large: the 1/n is already inside "
         f"{gn}; do not multiply by the batch size."),
    ]


def _db_mistakes(g, names=("x", "W", "upstream_grad")):
    n, gn = g.shape[0], names[2]
    return [
        (lambda: g.mean(axis=0), f"you took the mean over the batch, {_with_batch(n)}; the "
         f"1/n is already inside {gn} (it comes from the mean in the loss)."),
        (lambda: g.sum(axis=1), "you summed over the wrong axis, axis 1, the neurons: that "
         "gives one number per sample."),
        (lambda: g, f"you returned {gn} itself, one row per sample; db has one number per "
         "neuron, the shape of b."),
        (lambda: g.sum(axis=0, keepdims=True), "your db has an extra axis of size 1 (what "
         "keepdims=True gives); db has the shape of b."),
        (lambda: g.sum(), "you summed everything, over the neurons too: that gives one "
         "number."),
    ]


def _dx_mistakes(W, g, names=("x", "W", "upstream_grad"), dx_name="dx"):
    _, Wn, gn = names
    return [
        (lambda: W @ g.T, f"you probably computed {Wn} @ {gn}.T: that is the transpose of "
         f"{dx_name}."),
        (lambda: g @ W, f"you used {Wn} where its transpose belongs."),
        (lambda: g @ W.T / g.shape[0], f"you divided by the batch size; the 1/n is already "
         f"inside {gn}."),
    ]


def _dense_diagnosis(names, dx_name):
    """diagnose(line, local variables, (x, W, g)) for _explained: the mistake behind a product
    of a layer's backward that numpy refused (on a layer with n, n_in, n_out all different)."""
    xn, Wn, gn = names

    def diagnose(line, local, args):
        x, W, g = args
        roles = {id(x): xn, id(W): Wn, id(g): gn}
        for left, left_t, right, right_t in _PRODUCT.findall(line):
            a, b = (np.shape(local.get(side)) for side in (left, right))
            a, b = a[::-1] if left_t else a, b[::-1] if right_t else b
            if len(a) != 2 or len(b) != 2 or a[1] == b[0]:
                continue  # not a product of two matrices that numpy refused
            sides = {roles.get(id(local.get(left))): left_t, roles.get(id(local.get(right))):
                     right_t}
            if set(sides) == {gn, Wn} and not sides[Wn]:
                return (f"{dx_name} is computed with {Wn}.T, not {Wn}: {dx_name} has the shape "
                        f"of {xn}, {x.shape}, and {Wn} is {W.shape}.")
            if set(sides) == {xn, gn}:
                return (f"dW is a product of {xn} and {gn} with the shape of {Wn}, {W.shape} "
                        "(a gradient has the shape of what it is the gradient of): which one "
                        "is transposed, and which comes first?")
        return ""

    return diagnose


def _by_the_layer(x, W, g):
    """(dW, db, dx) as the package's Dense layer computes them."""
    layer = Dense(*W.shape, weights=W)
    layer.forward(x)
    dx = layer.backward(g)
    return layer.dW, layer.db, dx


def _three_names(names) -> tuple[str, str, str]:
    if isinstance(names, str) or len(names) != 3 or not all(isinstance(a, str) for a in names):
        raise ValueError(f"names must be three names, e.g. ('x', 'W', 'upstream_grad'); "
                         f"got {names!r}")
    return tuple(names)


@_check
def check_dense_backward(dW, db=None, dx=None, x=None, W=None, upstream_grad=None, *,
                         names=("x", "W", "upstream_grad"), dx_name="dx") -> Feedback:
    """Check a dense layer's backward pass for z = x @ W + b.

    dW (n_in, n_out) = x.T @ upstream_grad; db (n_out,) = upstream_grad.sum(axis=0);
    dx (n, n_in) = upstream_grad @ W.T. Each answer may be an array, a function
    f(x, W, upstream_grad) returning it, or None if not done yet. Or, with db and dx left out,
    dW may be one function f(x, W, upstream_grad) returning the three as (dW, db, dx):
    ``check_dense_backward(dense_backward, x=x, W=W, upstream_grad=g)``.
    x: (n, n_in); W: (n_in, n_out); upstream_grad: dL/dz, (n, n_out).
    names: what the exercise calls x, W and upstream_grad (e.g. ("x_ex", "W_ex", "g_ex")); the
    messages write the products with these names. dx_name: what it calls dx (e.g. "dX").
    A function that raises is told the line where it did, with the shapes there and, for a
    product numpy refused, the mistake behind it (W where W.T belongs, x and upstream_grad in
    the wrong order).
    """
    x, W, g = _dense_data(x, W, upstream_grad)
    names = _three_names(names)
    diagnose = _dense_diagnosis(names, dx_name)
    dW, db, dx = (_explained(a, names, diagnose) for a in (dW, db, dx))
    if callable(dW) and db is None and dx is None:
        dW, db, dx = _three_parts(dW, dx_name)

    def sample(rng):
        return _normal_like(rng, x), _normal_like(rng, W), _normal_like(rng, g)

    def part(answer, what, truth, mistakes):
        return _attempt(lambda: _evaluate(answer, what, (x, W, g), names, truth=truth,
                                          mistakes=mistakes, sample=sample))

    return _combine([
        ("dW", part(dW, "dW", lambda x, W, g: _by_the_layer(x, W, g)[0],
                    lambda x, W, g: _dW_mistakes(x, g, names))),
        ("db", part(db, "db", lambda x, W, g: _by_the_layer(x, W, g)[1],
                    lambda x, W, g: _db_mistakes(g, names))),
        (dx_name, part(dx, dx_name, lambda x, W, g: _by_the_layer(x, W, g)[2],
                       lambda x, W, g: _dx_mistakes(W, g, names, dx_name))),
    ], functions=[name for name, a in (("dW", dW), ("db", db), (dx_name, dx)) if callable(a)])


def _three_parts(layer_backward, dx_name="dx"):
    """Three functions, each returning one of (dW, db, dx) of layer_backward(x, W, g), which
    is called once per point; what it returns instead of three arrays becomes a message."""
    results = {}

    def call(x, W, g):
        key = (x.tobytes(), W.tobytes(), g.tobytes())
        if key not in results:
            results[key] = layer_backward(x, W, g)
        result = results[key]
        if _is_missing(result):
            return None
        if not isinstance(result, tuple | list) or len(result) != 3:
            raise _Stop(_wrong(
                f"{_function_name(layer_backward).capitalize()} should return three arrays, "
                f"dW, db, {dx_name} (write: return dW, db, {dx_name}); it returned "
                f"{_describe(result)}."))
        if np.shape(result[1]) == x.shape and np.shape(result[2]) == (W.shape[1],):
            raise _Stop(_wrong(
                f"{_function_name(layer_backward).capitalize()} returns db and {dx_name} in "
                f"swapped order: its second result has the shape of {dx_name}, its third the "
                f"shape of db. The order is dW, db, {dx_name}."))
        return result

    def part(k):
        def one(x, W, g):
            result = call(x, W, g)
            if result is not None and _is_missing(result[k]):
                raise _Stop(_not_done(
                    f"{('dW', 'db', dx_name)[k]} is still None in what "
                    f"{_function_name(layer_backward)} returns; compute it."))
            return None if result is None else result[k]
        one.__name__ = getattr(layer_backward, "__name__", "")
        return one

    return part(0), part(1), part(2)


# --- a whole network ----------------------------------------------------------------------


_NETWORK_MISTAKES = {
    "no_derivative": "you skipped the activation derivative: between layers, multiply "
    "upstream_grad @ W.T by f'(z) before going on.",
    "derivative_at_a": "you evaluated the activation's derivative at its output a = f(z); "
    "evaluate it at the pre-activation z.",
    "z_not_a": "you used the previous layer's pre-activation z; dW needs the layer's input, "
    "the activation a = f(z).",
    "sum": "it is n times too large (n = {n}, the batch size): the loss is a mean over the "
    "batch, so its gradient is divided by n.",
    "sigmoid_kept": "with cross-entropy from a sigmoid the σ' factor cancels: the output delta is "
    "(p - y) / n. You multiplied it by σ'(z) = p (1 - p) as well, as the squared error of the "
    "worked example needs.",
}


def _mistaken_grads(network, X, y, loss, mistake: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dW, db) of every Dense layer, first layer first, as a backward pass with one typical
    mistake (a key of _NETWORK_MISTAKES) computes them: the layers' own backward, with the one
    step the mistake changes written out. Works on a copy of the network. None when the mistake
    cannot happen here ("sigmoid_kept" needs a sigmoid output and the binary cross-entropy).
    """
    net = network.copy()
    prediction = net.forward(X)  # every layer keeps its input for backward
    g = loss.gradient(prediction, y)
    if mistake == "sum":
        g = g * X.shape[0]
    if mistake == "sigmoid_kept":
        last = net.layers[-1]
        if not (loss.name == "binary_cross_entropy" and isinstance(last, ActivationLayer)
                and last.name == "sigmoid"):
            return None
        g = (prediction - np.reshape(y, prediction.shape)) / X.shape[0]  # then times σ'(z)
    grads = []
    for k in reversed(range(len(net.layers))):
        layer, before = net.layers[k], net.layers[k - 1] if k > 0 else None
        if isinstance(layer, Dense):
            dx = layer.backward(g)  # stores dW = x.T @ g and db
            dW = layer.dW
            if mistake == "z_not_a" and isinstance(before, ActivationLayer):
                dW = before.z.T @ g  # the activation's input z instead of its output a
            grads.append((dW, layer.db))
            g = dx
        elif mistake == "derivative_at_a" and layer.name != "softmax":
            g = g * layer.activation.derivative(layer.a)
        elif mistake != "no_derivative":
            g = layer.backward(g)
    return grads[::-1]


_LAYER_MISTAKES = (  # (true gradient, batch size) -> typical mistakes; for dW, then db
    lambda dW, n: [(lambda: dW.T, "you probably computed upstream_grad.T @ x; use "
                    "x.T @ upstream_grad (x is the layer's input).")],
    lambda db, n: [(lambda: db / n, "you took the mean over the batch; db is the sum "
                    "upstream_grad.sum(axis=0) (the 1/n is already inside upstream_grad).")],
)


def _grad_pairs(answer, count: int) -> list:
    """The learner's gradients as [(dW, db), ...] or a _Stop saying what shape was expected."""
    expected = (f"one (dW, db) pair per Dense layer ({count} of them, first layer first), "
                "e.g. [(dW1, db1), (dW2, db2)]")
    if _is_missing(answer):
        raise _Stop(_not_done(f"give {expected}."))
    if isinstance(answer, dict) or not isinstance(answer, list | tuple):
        raise _Stop(_wrong(f"Your gradients should be {expected}; got {_describe(answer)}."))
    if len(answer) != count:
        raise _Stop(_wrong(f"Your gradients should be {expected}; got {len(answer)} items."))
    pairs = []
    for item in answer:
        if isinstance(item, dict) and set(item) == {"W", "b"}:
            item = (item["W"], item["b"])
        if not isinstance(item, list | tuple) or len(item) != 2:
            raise _Stop(_wrong(f"Your gradients should be {expected}; one item is "
                               f"{_describe(item)}."))
        pairs.append(item)
    return pairs


@_check
def check_backward_pass(answer_grads, network, X, y, loss="mse") -> Feedback:
    """Check the gradients of a full backward pass through a network.

    answer_grads: [(dW1, db1), (dW2, db2), ...], one pair per Dense layer, first layer first
    (a pair may also be a dict {"W": dW, "b": db}; dW (n_in, n_out), db (n_out,)), or a function
    f(network, X, y) returning that list (called on a copy of the network whose layers hold no
    gradients yet, at X and at other inputs of the same shape). network: a
    helpers.network.Network; X: (n, n_features); y: the targets of the loss; loss: a loss name
    or helpers.losses.Loss. A function that calls network.backward is told how it started the
    backward pass wrong (the loss's gradient is what network.backward needs); one that does not
    is told which step of a backward pass written by hand went wrong.
    """
    loss = get_loss(loss)
    X = as_float_array(X, "X", ndim=2)
    names = ("network", "X", "y")
    start = f'get_loss("{loss.name}").gradient(prediction, y)'

    def dense(net):
        return [layer for layer in net.layers if isinstance(layer, Dense)]

    def grads_from(X, upstream):
        """(dW, db) of every Dense layer after network.backward(upstream(prediction))."""
        net = network.copy()
        prediction = net.forward(X)
        with np.errstate(all="ignore"):
            net.backward(upstream(prediction))
        return [(layer.dW, layer.db) for layer in dense(net)]

    def target(p):
        return np.reshape(y, p.shape)

    started_wrong = [  # (what network.backward was given, why it is wrong)
        (lambda p: (p - target(p)) / len(p), "you started network.backward from (prediction - y) "
         "/ n, which is the mean squared error's gradient and, for a sigmoid output with the "
         "binary cross-entropy, the output layer's delta dL/dz; network.backward starts from "
         f"dL/dprediction, the gradient of this network's loss: pass {start}."),
        (lambda p: p - target(p), f"you started network.backward from prediction - y; pass the "
         f"loss's gradient with respect to the prediction, {start}."),
        (lambda p: p, f"you passed the prediction to network.backward; pass the loss's gradient, "
         f"{start}."),
        (lambda p: loss.gradient(target(p), p), "you swapped the arguments of the loss's "
         f"gradient: the prediction comes first, then the targets: {start}."),
        (lambda p: loss.gradient(p, y) * len(p), _NETWORK_MISTAKES["sum"]),
    ]

    def close(answer, truth):  # equal as the judging engine sees it
        return _attempt(lambda: _evaluate(answer, "gradient", (), (), truth=lambda: truth)).correct

    def same(pairs, grads):
        return all(close(a, g) for pair, pair_g in zip(pairs, grads, strict=True)
                   for a, g in zip(pair, pair_g, strict=True))

    def all_missing(raw):
        items = list(raw) if isinstance(raw, list | tuple) else [raw]
        return all(_is_missing(part) for item in items
                   for part in (item if isinstance(item, list | tuple) else [item]))

    points = [X]
    if callable(answer_grads):
        rng = np.random.default_rng(2024)
        points += [_normal_like(rng, X) for _ in range(N_EXTRA_POINTS)]
    for k, point in enumerate(points):
        net, raw = network, answer_grads
        if callable(answer_grads):
            net = network.copy()
            for layer in dense(net):
                layer.dW = layer.db = None  # to see whether the function calls backward
            raw = _call(answer_grads, (net, point, y), "gradients", names)
        by_backward = callable(answer_grads) and any(layer.dW is not None for layer in dense(net))
        if callable(answer_grads) and not by_backward and all_missing(raw):
            return _wrong("Your gradients are all None. A layer's dW and db stay None until a "
                          "backward pass has run: did you call network.backward(...) on the "
                          "network your function receives?")
        pairs = _grad_pairs(raw, len(dense(net)))
        for j, ((dW, _), layer) in enumerate(zip(pairs, dense(net), strict=True)):
            if close(dW, layer.W):
                return _wrong(f"Your dW{j + 1} is the weights of layer {j + 1}, not their "
                              "gradient: those are W and b (layer.W, layer.b); return layer.dW, "
                              "layer.db, which network.backward fills in.")
        true = grads_from(point, lambda p: loss.gradient(p, y))
        by_hand = [(grads, why.format(n=len(point))) for m, why in _NETWORK_MISTAKES.items()
                   if (grads := _mistaken_grads(network, point, y, loss, m)) is not None]
        wrong_start = []
        for upstream, why in started_wrong:
            try:
                wrong_start.append((grads_from(point, upstream), why.format(n=len(point))))
            except Exception:  # an upstream gradient of a shape the network cannot take
                continue
        variants = (wrong_start if by_backward else by_hand if callable(answer_grads)
                    else by_hand + wrong_start)
        if len(pairs) > 1 and same(pairs[::-1], true):
            return _wrong("Your gradients are right but in the reverse order (the backward pass "
                          "meets the last layer first): give them first layer first, "
                          "[(dW1, db1), (dW2, db2), ...].")
        minus = [(-dW, -db) for dW, db in true]  # a flipped sign the engine names itself
        variants = [(grads, why) for grads, why in variants
                    if not same(grads, true) and not same(grads, minus)]
        wrong_parts = not any(close(a, t) for pair, right in zip(pairs, true, strict=True)
                              for a, t in zip(pair, right, strict=True))
        for grads, why in variants:  # one mistake behind every gradient, all wrong: say it once
            if wrong_parts and same(pairs, grads):
                return _wrong(f"Your gradients are not right: {why}")
        parts = []
        for j, (answer, right) in enumerate(zip(pairs, true, strict=True)):
            for p, what in enumerate((f"dW{j + 1}", f"db{j + 1}")):
                mistakes = [(lambda v=grads[j][p]: v, why) for grads, why in variants]
                if not by_backward:
                    mistakes += _LAYER_MISTAKES[p](right[p], point.shape[0])
                parts.append((what, _attempt(functools.partial(
                    _evaluate, answer[p], what, (), (), truth=lambda t=right[p]: t,
                    mistakes=lambda m=mistakes: m))))
        feedback = _combine(parts)
        if feedback.correct:
            continue
        if k == 0:
            return feedback
        return _wrong(f"{_function_name(answer_grads).capitalize()} is right for the given X but "
                      f"not for other inputs of the same shape:\n{feedback.message}")
    checked = (f" Your function is right for the given inputs and {len(points) - 1} others."
               if len(points) > 1 else "")
    return _correct(f"Correct! All {2 * len(dense(network))} gradients are right.{checked}")
