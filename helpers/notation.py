"""How numbers and names are written on screen: plain text and LaTeX.

Shared by the recorded steps of the graph, the drawings, the steppers and the feedback of the
exercises, so a number reads the same in every lesson (first seen in the steppers of lessons 00
and 03). Standard library only.
"""

from __future__ import annotations

import math
import re

__all__ = ["format_number", "latex_name", "number_in"]


def format_number(x: float, digits: int = 4, *, latex: bool = False) -> str:
    """Format one number compactly with ``digits`` significant digits.

    Args:
        x: a real number.
        digits: significant digits (default 4).
        latex: if True, write powers of ten as ``1.5 \\times 10^{-7}`` instead of ``1.5e-7``.

    Returns:
        str, e.g. ``format_number(2.0) == "2"``, ``format_number(1/3) == "0.3333"``,
        ``format_number(-0.0) == "0"``, ``format_number(1.5e-7) == "1.5e-7"``.
    """
    x = float(x)
    if math.isnan(x):
        return r"\mathrm{NaN}" if latex else "nan"
    if math.isinf(x):
        sign = "-" if x < 0 else ""
        return sign + (r"\infty" if latex else "inf")
    if x == 0:
        return "0"
    text = f"{x:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    if latex:
        if mantissa in ("1", "-1"):
            return f"{mantissa[:-1]}10^{{{int(exponent)}}}"
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"{mantissa}e{int(exponent)}"


def number_in(x: float, *, latex: bool = False, first: bool = False) -> str:
    """A number as an operand: a negative number gets parentheses unless it comes first."""
    text = format_number(x, latex=latex)
    if x < 0 and not first:
        return f"({text})"
    return text


def latex_name(name: str) -> str:
    """LaTeX for a node name: ``"x1"`` -> ``"x_{1}"``, ``"loss"`` -> ``"\\mathrm{loss}"``.

    Single letters, names that already contain ``_``, ``^`` or ``\\`` are kept as they are.
    """
    match = re.fullmatch(r"([A-Za-z]+)(\d+)", name)
    if match:
        letters, digits = match.groups()
        base = letters if len(letters) == 1 else rf"\mathrm{{{letters}}}"
        return f"{base}_{{{digits}}}"
    if re.fullmatch(r"[A-Za-z]{2,}", name):
        return rf"\mathrm{{{name}}}"
    return name
