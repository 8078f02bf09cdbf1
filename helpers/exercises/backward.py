"""A check for lesson 05 (Backpropagation): one dense layer's backward.

``check_dense_backward``: dW, db and dx of one dense layer z = x @ W + b (a function that
raises is told the line and the mistake behind a refused product, see ``explained``). The
truth comes from the layer's own public ``forward`` and ``backward``; the mistakes named here
are a transposed product, the wrong axis of a sum, a mean for a sum, a 1/n too many...
"""

from __future__ import annotations

import inspect
import re

import numpy as np

from .._validate import as_float_array
from ..layers import Dense
from .answers import _describe, _function_name, _is_missing
from .explained import _PRODUCT, _explained
from .feedback import Feedback, _attempt, _check, _not_done, _Stop, _wrong
from .judging import _combine, _evaluate, _normal_like, _with_batch

__all__ = ["check_dense_backward"]


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
        if "@" not in line and re.search(r"(?<!\*)\*(?!\*)", line):  # * but no @ or **
            used = {roles.get(id(local.get(word))) for word in re.findall(r"\w+", line)}
            grad = "dW" if {xn, gn} <= used else dx_name if {Wn, gn} <= used else ""
            over = "the samples" if grad == "dW" else "the neurons"
            if grad:
                return (f"* multiplies entry by entry; {grad} needs the matrix product @ (each "
                        f"of its entries is a sum over {over}).")
        for left, left_t, right, right_t in _PRODUCT.findall(line):
            a, b = (np.shape(local.get(side)) for side in (left, right))
            a, b = a[::-1] if left_t else a, b[::-1] if right_t else b
            if len(a) != 2 or len(b) != 2 or a[1] == b[0]:
                continue  # not a product of two matrices that numpy refused
            first = roles.get(id(local.get(left)))
            sides = {first: left_t, roles.get(id(local.get(right))): right_t}
            rows = (f"{dx_name} has one row per sample, the shape of {xn}, {x.shape}, so its "
                    f"left factor is the one with a row per sample")
            if set(sides) == {gn, Wn} and first == Wn and sides[Wn]:
                return f"{Wn}.T is right, but {gn} comes first in {dx_name}'s product: {rows}."
            if set(sides) == {gn, Wn} and first == Wn:
                return (f"{gn} comes first in {dx_name}'s product, and it is computed with "
                        f"{Wn}.T, not {Wn}: {rows}; {Wn} is {W.shape}.")
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


def _parameter_names(func) -> tuple[str, ...] | None:
    """The names of a function's three positional parameters, e.g. ("X", "W",
    "upstream_grad"), or None (not a function, another number of parameters, *args)."""
    try:
        parameters = list(inspect.signature(func).parameters.values())
    except (TypeError, ValueError):
        return None
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    if len(parameters) != 3 or any(p.kind not in kinds for p in parameters):
        return None
    return tuple(p.name for p in parameters)


def _three_names(names) -> tuple[str, str, str]:
    if isinstance(names, str) or len(names) != 3 or not all(isinstance(a, str) for a in names):
        raise ValueError(f"names must be three names, e.g. ('x', 'W', 'upstream_grad'); "
                         f"got {names!r}")
    return tuple(names)


@_check
def check_dense_backward(dW, db=None, dx=None, x=None, W=None, upstream_grad=None, *,
                         names=None, dx_name=None) -> Feedback:
    """Check a dense layer's backward pass for z = x @ W + b.

    dW (n_in, n_out) = x.T @ upstream_grad; db (n_out,) = upstream_grad.sum(axis=0);
    dx (n, n_in) = upstream_grad @ W.T. Each answer may be an array, a function
    f(x, W, upstream_grad) returning it, or None if not done yet. Or, with db and dx left out,
    dW may be one function f(x, W, upstream_grad) returning the three as (dW, db, dx):
    ``check_dense_backward(dense_backward, x=x, W=W, upstream_grad=g)``.
    x: (n, n_in); W: (n_in, n_out); upstream_grad: dL/dz, (n, n_out).
    names: what the exercise calls x, W and upstream_grad (e.g. ("x_ex", "W_ex", "g_ex")); the
    messages write the products with these names. By default the names of the parameters of
    the one function answer (e.g. ("X", "W", "upstream_grad") for dense_backward(X, W,
    upstream_grad)), else ("x", "W", "upstream_grad"). dx_name: what it calls dx; by default
    "d" and the first name, e.g. "dX".
    A function that raises is told the line where it did, with the shapes there and, for a
    product numpy refused, the mistake behind it (W where W.T belongs, x and upstream_grad in
    the wrong order).
    """
    x, W, g = _dense_data(x, W, upstream_grad)
    if names is None:
        one_function = callable(dW) and db is None and dx is None
        names = (one_function and _parameter_names(dW)) or ("x", "W", "upstream_grad")
    names = _three_names(names)
    dx_name = dx_name or f"d{names[0]}"
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
                f"{_function_name(layer_backward, start=True)} should return three arrays, "
                f"dW, db, {dx_name} (write: return dW, db, {dx_name}); it returned "
                f"{_describe(result)}."))
        if np.shape(result[1]) == x.shape and np.shape(result[2]) == (W.shape[1],):
            raise _Stop(_wrong(
                f"{_function_name(layer_backward, start=True)} returns db and {dx_name} in "
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
