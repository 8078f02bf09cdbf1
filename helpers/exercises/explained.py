"""A learner's function that raises, explained: used by the checks of lesson 05
(Backpropagation), ``check_dense_backward``, ``check_activation_backward`` and
``check_two_layer_backward``.

``_explained`` wraps a learner's function so that an error it raises is reported with the line
where it happened, the shapes of the arrays on that line (only those), the products on it that
do not fit and, where the exercise knows it, the mistake behind it (W where W.T belongs, @ where
* belongs, the layers taken in the wrong order).
"""

from __future__ import annotations

import functools
import linecache
import re

import numpy as np

from .answers import _broadcast_says, _function_name, shape_hint
from .feedback import _Stop, _wrong

_PRODUCT = re.compile(r"(\w+)(\.T)?\s*@\s*(\w+)(\.T)?")


def _raised_at(func, error):
    """(line, local variables) of func's own frame where error passed, or None."""
    code, tb, found = getattr(func, "__code__", None), error.__traceback__, None
    while tb is not None:
        if tb.tb_frame.f_code is code:
            found = tb
        tb = tb.tb_next
    if found is None:
        return None
    line = linecache.getline(found.tb_frame.f_code.co_filename, found.tb_lineno).strip()
    return (line, dict(found.tb_frame.f_locals)) if line else None


def _products(line: str, local: dict) -> list[tuple[str, np.ndarray, str, np.ndarray]]:
    """The products A @ B on the line whose factors are local 2-D arrays (A.T read as such):
    (text of A, A, text of B, B)."""
    found = []
    for left, left_t, right, right_t in _PRODUCT.findall(line):
        a, b = local.get(left), local.get(right)
        if isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.ndim == b.ndim == 2:
            found.append((left + left_t, a.T if left_t else a, right + right_t,
                          b.T if right_t else b))
    return found


def _called_with(names, args) -> str:
    """The inputs of a call, arrays by their shape only: "X of shape (5, 3), W of shape
    (3, 2)"."""
    return ", ".join(f"{name} of shape {a.shape}" if isinstance(a, np.ndarray) and a.ndim
                     else f"{name} = {a!r}" if isinstance(a, int | float) else name
                     for name, a in zip(names, args, strict=False))


def _numpy_says(error) -> str:
    """What numpy's refusal means, in a learner's words, or ""."""
    text = str(error)
    if "matmul" in text or "not aligned" in text:
        return ("\n    numpy could not multiply two matrices: in A @ B the number of columns of "
                "A must equal the number of rows of B.")
    if "could not be broadcast" in text:
        return _broadcast_says(text)
    return ""


def _explained(func, names, diagnose=None):
    """func, whose errors become a message (a _Stop): the error and the inputs (arrays by
    their shape), then the line of func where it happened, the shapes of the arrays on that
    line (only those), the products on it that do not fit, and
    diagnose(line, local variables, args) -> a named mistake or "".
    names: the names of func's arguments. Not callable: returned as it is."""
    if not callable(func):
        return func

    @functools.wraps(func)
    def explained(*args):
        try:
            return func(*args)
        except _Stop:
            raise
        except Exception as error:
            text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
            message = (f"{_function_name(func, start=True)} raised {text}\n"
                       f"    (called with {_called_with(names, args)})")
            where = _raised_at(func, error)
            if where is None:
                raise _Stop(_wrong(message + shape_hint(error, names, args))) from None
            line, local = where
            message += _numpy_says(error) + f"\n    It happened in the line:  {line}"
            arrays = [f"{name} {local[name].shape}" for name in dict.fromkeys(
                re.findall(r"\w+", line)) if isinstance(local.get(name), np.ndarray)]
            if arrays:
                message += f"\n    with {', '.join(arrays)}"
            for left, a, right, b in _products(line, local):
                if a.shape[1] != b.shape[0]:
                    message += (f"\n    There {left} @ {right} is {a.shape} @ {b.shape}: the "
                                f"{a.shape[1]} columns of {left} do not meet the {b.shape[0]} "
                                f"rows of {right}.")
            why = diagnose(line, local, args) if diagnose is not None else ""
            raise _Stop(_wrong(message + (f"\n    {why}" if why else ""))) from None

    return explained
