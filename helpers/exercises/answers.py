"""Reading a learner's answer: a number, an array, or a function to call.

Used by every exercise of lessons 00 to 08. ``None`` or ``...`` means "not done yet"; any
other answer becomes a float array, or a message that says what it was instead (a text, a
graph node, a tuple of arrays...). A learner's function is called on copies of the problem
data, with warnings silenced; if it raises or returns None, that becomes the message.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence

import numpy as np

from ..graph import Value
from .feedback import _fmt, _not_done, _Stop, _wrong


def _is_missing(value) -> bool:
    """True for the placeholders of an unanswered exercise, None and ``...``."""
    return value is None or value is Ellipsis


def _is_placeholder(func) -> bool:
    """True for a function whose body is still an exercise's placeholder (pass or ... after
    the given first line): it reads no attribute but inputs and calls no function but
    topological_order, which every attempt at lesson 03's rules and walk does."""
    code = getattr(func, "__code__", None)
    return code is not None and set(code.co_names) <= {"inputs", "topological_order"}


def _a(value) -> str:
    """ "a float", "an int": the kind of a value, with its article."""
    return f"{'an' if type(value).__name__[0] in 'aeiou' else 'a'} {type(value).__name__}"


def _describe(value) -> str:
    """What a value of the wrong kind is, in a learner's words, e.g. "the text 'x @ W'"."""
    if isinstance(value, str):
        text = value if len(value) <= 20 else value[:17] + "..."
        return f"the text {text!r}"
    if isinstance(value, Value):
        return "a graph node (use its .data or .grad for its number)"
    if isinstance(value, list | tuple) and any(_is_missing(item) for item in value):
        return f"a {type(value).__name__} that still contains None or ..."
    if isinstance(value, tuple) and all(isinstance(item, np.ndarray) for item in value):
        return f"a tuple of {len(value)} arrays (did you return several results at once?)"
    return f"a {type(value).__name__}"


def _as_answer(value, what: str) -> np.ndarray:
    """The learner's value as a float array, or a _Stop with a message a learner understands.

    what: the answer's name in the message, e.g. "dW".
    """
    if _is_missing(value):
        raise _Stop(_not_done(f"replace the None with your {what}, then run the cell."))
    if isinstance(value, Value):
        value = value.data
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists and other oddities
        array = np.asarray(None, dtype=object)
    if array.dtype.kind not in "biuf":
        raise _Stop(
            _wrong(f"Your {what} should be a number or an array of numbers; "
                   f"got {_describe(value)}.")
        )
    array = array.astype(float)
    bad = ~np.isfinite(array)
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f" at index {index}" if array.ndim else ""
        raise _Stop(_wrong(f"Your {what} contains {array[bad][0]}{where}: check for a division "
                           "by zero or an exp() of a large number."))
    return array


def _function_name(func, *, start: bool = False) -> str:
    """ "your function NAME", or "your function" for a lambda; start: "Your ..." to begin a
    sentence (the function's name keeps its own letters: "Your function nb_uses_X")."""
    name = getattr(func, "__name__", "")
    text = f"function {name}" if name and name != "<lambda>" else "function"
    return f"{'Your' if start else 'your'} {text}"


def _describe_point(names: Sequence[str], values: Sequence) -> str:
    """The inputs a function was called with, e.g. "x = 2, y = 3" or "x of shape (4, 3)"."""
    parts = []
    for name, value in zip(names, values, strict=False):
        array = np.asarray(value)
        if array.dtype.kind in "biuf" and array.size <= 6:
            parts.append(f"{name} = {' '.join(_fmt(array).split())}")
        elif array.dtype.kind in "biuf":
            parts.append(f"{name} of shape {array.shape}")
        else:
            parts.append(f"{name} = {value!r}")
    return ", ".join(parts)


def _shapes(names: Sequence[str], values: Sequence) -> str:
    """The shapes of the array arguments, e.g. "x (3, 2), W (2, 4)"."""
    return ", ".join(f"{name} {np.shape(value)}" for name, value in zip(names, values, strict=False)
                     if np.ndim(value) > 0)


def _broadcast_says(message: str) -> str:
    """What numpy's "operands could not be broadcast together with shapes (2,5) (2,)" means,
    with the shapes that met: numpy lines shapes up from the right, where each pair of sizes
    must be equal or one of them 1."""
    shapes = [tuple(int(n) for n in re.findall(r"\d+", found))
              for found in re.findall(r"\(([\d,\s]*)\)", message.split("shapes", 1)[-1])]
    if len(shapes) < 2 or "remapped" in message:
        return ("\n    numpy could not combine two arrays entry by entry (+, -, *, /): it lines "
                "their shapes up from the right, and each pair of sizes must be equal or 1.")
    first, second = shapes[:2]
    pairs = list(zip(reversed(first), reversed(second), strict=False))
    sizes = next(((a, b) for a, b in pairs if a != b and 1 not in (a, b)), None)
    clash = f", and {sizes[0]} ≠ {sizes[1]}" if sizes else ""
    return (f"\n    {first} and {second} do not combine entry by entry (+, -, *, /): numpy lines "
            f"shapes up from the right{clash} (a size of 1 would stretch). Write down the shape "
            "of each part and of the result you want.")


def shape_hint(error: Exception, names: Sequence[str], values: Sequence) -> str:
    """A line that says in a learner's words what numpy's error means, or "".

    numpy says "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc
    signature (n?,k),(k,m?)->(n?,m?) (size 2 is different from 4)" for a matrix product whose
    inner sizes differ (usually a missing or extra transpose), and "operands could not be
    broadcast together with shapes (2,5) (2,)" for an entry-by-entry operation on shapes that do
    not line up (the line names those shapes). A Python ``if`` on an array ("The truth value of
    an array ... is ambiguous") and a function of the math module given an array ("only
    length-1 arrays can be converted to Python scalars") get a line too.
    """
    message = str(error)
    if isinstance(error, TypeError) and "converted to Python scalars" in message:
        return ("\n    A function of the math module (math.exp, math.tanh, ...) takes one "
                "number; for an array use numpy's, np.exp or np.tanh, which work entry by entry.")
    if not isinstance(error, ValueError):
        return ""
    if "truth value of an array" in message:
        return ("\n    Python's if (like and, or, not) tests one number, and an array holds "
                "many; for an array use np.where(condition, a, b), which decides entry by entry.")
    if "could not be broadcast" in message:
        return _broadcast_says(message)
    if "matmul" in message or "not aligned" in message:
        return ("\n    numpy could not multiply two matrices: in A @ B the number of columns "
                f"of A must equal the number of rows of B. The shapes here: "
                f"{_shapes(names, values)}. Write down the shape of each factor and of the "
                "result you want; usually one factor needs its transpose .T.")
    return ""


def _call(func, args: Sequence, what: str, names: Sequence[str]):
    """Call a learner's function on copies of args; errors and None become a _Stop.

    what: the answer's name; names: the names of args, for the message.
    """
    copies = [np.array(a, copy=True) if isinstance(a, np.ndarray) else a for a in args]
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*copies)
    except _Stop:  # a check's own verdict on what the function returned
        raise
    except Exception as error:  # the learner's code: report it, never a traceback
        text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        raise _Stop(
            _wrong(
                f"{_function_name(func, start=True)} raised {text}\n"
                f"    (called with {_describe_point(names, args)})"
                + shape_hint(error, names, args)
            )
        ) from None
    if _is_missing(result):
        raise _Stop(
            _not_done(f"{_function_name(func)} returned None; fill in its body so that it "
                      f"returns your {what}.")
        )
    return result
