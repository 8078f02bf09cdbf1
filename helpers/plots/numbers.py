"""How many significant digits a number needs on screen: enough that different values look
different, and that a value which changed looks changed.

Used by the network drawing (lessons 01 Forward propagation and 05 Backpropagation) and by
the formulas of the network stepper of helpers.widgets (lessons 00, 01 and 05). Three
significant digits are the rule; more only where three would hide something: two deltas
0.00877 and 0.00995 stay apart at three, but a weight 0.15 that an update moved to 0.14978
reads "0.15 -> 0.15" at three digits and "0.15 -> 0.1498" at four, so four it is.
Numbers are written by ``helpers.notation.format_number``.
"""

from __future__ import annotations

import numpy as np

from ..notation import format_number

__all__ = ["MIN_DIGITS", "change_digits", "distinct_digits", "write"]

MIN_DIGITS = 3  # significant digits of every number, at least
MAX_DIGITS = 12  # beyond this a change is rounding, not something to show


def write(value: float, digits: int = MIN_DIGITS) -> str:
    """One number with ``digits`` significant digits: 0.123, -2, 1.5e-7."""
    return format_number(float(value), digits)


def _finite(values) -> np.ndarray:
    array = np.asarray(values, dtype=np.float64).reshape(-1)
    return array[np.isfinite(array)]


def distinct_digits(values, *, minimum: int = MIN_DIGITS, maximum: int = 5) -> int:
    """The fewest significant digits, at least ``minimum``, for which values that differ are
    written differently (at most ``maximum``: a drawing has no room for more).

    values: numbers of any shape (NaN and inf are ignored). E.g. [0.2413, 0.2406] needs 4
    ("0.241" twice at 3), [0.00877, 0.00995] needs 3.
    """
    unique = np.unique(_finite(values))
    for digits in range(minimum, maximum):
        if len({write(v, digits) for v in unique}) == unique.size:
            return digits
    return max(minimum, maximum)


def change_digits(before, after, *, minimum: int = MIN_DIGITS,
                  maximum: int = MAX_DIGITS) -> int:
    """The fewest significant digits, at least ``minimum``, for which every entry that
    changed from ``before`` to ``after`` (arrays of the same shape) is written differently
    before and after, and different values stay apart in each of them.

    E.g. 0.15 -> 0.14978 needs 4 ("0.15" and "0.1498"); 0.6 -> 0.531 needs 3. A change too
    small to show in ``maximum`` digits gets ``maximum``.
    """
    before = np.asarray(before, dtype=np.float64).reshape(-1)
    after = np.asarray(after, dtype=np.float64).reshape(-1)
    if before.shape != after.shape:
        raise ValueError(f"before and after must have the same shape; got {before.shape} "
                         f"and {after.shape}")
    changed = (before != after) & np.isfinite(before) & np.isfinite(after)
    pairs = list(zip(before[changed], after[changed], strict=True))
    digits = max(distinct_digits(before, minimum=minimum, maximum=maximum),
                 distinct_digits(after, minimum=minimum, maximum=maximum))
    while digits < maximum and any(write(b, digits) == write(a, digits) for b, a in pairs):
        digits += 1
    return digits
