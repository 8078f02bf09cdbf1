r"""Formulas with their numbers put in: written once, in LaTeX, and read back as plain text.

Used by the network stepper (lessons 00 Start here, 01 Forward propagation and
05 Backpropagation) and the activation explorer (lesson 02 Activation functions). A step's
formula is built once as LaTeX, with ``number``, ``row`` and ``matrix`` writing the numbers;
``latex_to_text`` derives the plain-text form from it, so the two can never disagree::

    z^{[1]} = x\, W^{[1]} + b^{[1]} = \begin{bmatrix}1 & -2\end{bmatrix} ...
    z1 = x W1 + b1 = [1, -2] ...

Every number has three significant digits, more where three would write two different
values of one vector or matrix alike (``helpers.plots.numbers``). The names of the
activations and the losses in LaTeX are kept here, in one table each.
"""

from __future__ import annotations

import re

import numpy as np

from ..notation import format_number
from ..plots.numbers import MIN_DIGITS, distinct_digits

__all__ = ["ACTIVATION_LATEX", "LOSS_LATEX", "activation_latex", "latex_to_text",
           "loss_latex", "matrix", "number", "row"]

DIGITS = MIN_DIGITS  # significant digits of a number in a formula, at least

# How each activation is written in a formula: sigma(z), tanh(z), ...
ACTIVATION_LATEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\operatorname{ReLU}",
                    "identity": r"\operatorname{id}", "softmax": r"\operatorname{softmax}"}
# Each loss of one sample with output a^{[L]} and target y ([L]: the last layer's number)
LOSS_LATEX = {
    "mse": r"\tfrac{1}{2}\lVert a^{[L]} - y\rVert^2",
    "binary_cross_entropy": r"-\left[y \log a^{[L]} + (1 - y) \log(1 - a^{[L]})\right]",
    "softmax_cross_entropy": r"-\log \operatorname{softmax}(a^{[L]})_{y}",
}


def activation_latex(name: str) -> str:
    r"""The activation called ``name`` in LaTeX, e.g. ``\sigma`` for "sigmoid"."""
    return ACTIVATION_LATEX.get(name, rf"\operatorname{{{name}}}")


def loss_latex(name: str, n_layers: int) -> str:
    """The loss called ``name`` in LaTeX, on the output a^{[n_layers]} of the last layer."""
    return LOSS_LATEX.get(name, rf"\operatorname{{{name}}}").replace("[L]", f"[{n_layers}]")


def number(x, digits: int = DIGITS) -> str:
    """One number in LaTeX, ``digits`` significant digits: 0.123, -2, 1.5 \\times 10^{-7}."""
    return format_number(float(x), digits, latex=True)


def row(vector, digits: int | None = None) -> str:
    """A vector of any shape with n entries as a 1 x n LaTeX bmatrix; ``digits`` significant
    digits (default: the fewest, at least 3, that keep different entries apart)."""
    vector = np.asarray(vector, dtype=np.float64).reshape(-1)
    digits = distinct_digits(vector) if digits is None else digits
    return r"\begin{bmatrix}" + " & ".join(number(v, digits) for v in vector) + \
        r"\end{bmatrix}"


def matrix(array, digits: int | None = None) -> str:
    """A 2-D array (rows, columns) as a LaTeX bmatrix of the same shape; ``digits`` as in
    ``row``."""
    array = np.asarray(array, dtype=np.float64)
    digits = distinct_digits(array) if digits is None else digits
    rows = [" & ".join(number(v, digits) for v in entries) for entries in array]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


# ------------------------------------------------------------------------------------------
# From LaTeX to plain text
# ------------------------------------------------------------------------------------------
# commands and the plain text they read as (any other \name reads as name: \tanh -> tanh)
_SYMBOLS = {
    "eta": "lr", "odot": "*", "cdot": "*", "times": "*", "leftarrow": "<-",
    "to": "->", "rightarrow": "->", "top": "T", "quad": " ", "qquad": " ", "left": "",
    "right": "", "rVert": "||", "infty": "inf", "ln": "log",
}
_PREFIXES = {"partial": "d", "lVert": "||"}  # written against what follows them: dL, ||a
_TEXT_COMMANDS = ("text", "mathrm", "operatorname")  # their argument is read as it is
_FRACTIONS = ("frac", "tfrac", "dfrac")
# an activation's LaTeX reads as its name: \sigma -> sigmoid, \operatorname{ReLU} -> relu
_NAMES = {latex: name for name, latex in ACTIVATION_LATEX.items()}
_TIMES_POWER_OF_TEN = re.compile(r"(\d(?:\.\d+)?) \\times 10\^\{(-?\d+)\}")  # 1.5e-7
_POWER_OF_TEN = re.compile(r"(?<![\w.])10\^\{(-?\d+)\}")  # 10^{-7} (mantissa 1): 1e-7


def latex_to_text(latex: str) -> str:
    r"""The plain-text reading of a formula written in LaTeX, on one line.

    ``\frac{a}{b}`` -> a/b (``\partial``: dL/dW), a bmatrix -> [1, 2; 3, 4], ``^{[l]}`` (the
    layer) -> l, ``^{\top}`` -> ^T, ``\odot``, ``\cdot``, ``\times`` -> *, ``\leftarrow`` ->
    <-, an activation by its name (``\sigma`` -> sigmoid), ``\text{...}`` as it is, and a
    line break ``\\`` -> "; ". E.g. ``\delta^{[2]} = \frac{\partial L}{\partial a^{[2]}}
    \odot \sigma'(z^{[2]})`` -> ``delta2 = dL/da2 * sigmoid'(z2)``.
    """
    latex = _TIMES_POWER_OF_TEN.sub(r"\1e\2", latex)
    latex = _POWER_OF_TEN.sub(r"1e\1", latex)
    text = re.sub(r"\s+", " ", _convert(latex))
    return re.sub(r" ([;,])", r"\1", text).strip()  # no space before a separator


def _convert(latex: str) -> str:
    """Plain text of a piece of LaTeX (spaces not yet tidied)."""
    out: list[str] = []
    i = 0
    while i < len(latex):
        char = latex[i]
        if latex.startswith("\\\\", i):  # a line break
            out.append("; ")
            i += 2
        elif char == "\\":
            i = _command(latex, i, out)
        elif char in "^_":
            i = _script(latex, i, out)
        elif char == "{":
            group, i = _group(latex, i)
            out.append(_convert(group))
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _group(latex: str, i: int) -> tuple[str, int]:
    """The argument starting at ``latex[i]``: a {braced group} or one character; returns
    (its content, the position after it)."""
    if latex[i] != "{":
        return latex[i], i + 1
    depth = 0
    for j in range(i, len(latex)):
        depth += {"{": 1, "}": -1}.get(latex[j], 0)
        if depth == 0:
            return latex[i + 1: j], j + 1
    raise ValueError(f"unbalanced braces in {latex!r}")


def _command(latex: str, i: int, out: list[str]) -> int:
    """Read the command at ``latex[i]`` (a backslash) into ``out``; return the position after."""
    match = re.match(r"\\([A-Za-z]+)", latex[i:])
    if not match:  # \, \; \  and the like are spaces; \{ is a brace
        out.append(" " if latex[i + 1] in ",;: !" else latex[i + 1])
        return i + 2
    name, end = match.group(1), i + match.end()
    if name in _FRACTIONS:
        numerator, end = _group(latex, end)
        denominator, end = _group(latex, end)
        out.append(f"{_operand(_convert(numerator))}/{_operand(_convert(denominator))}")
    elif name in _PREFIXES:  # written against what follows: dL, ||a
        out.append(_PREFIXES[name])
        while latex[end: end + 1] == " ":
            end += 1
    elif name in ("begin", "end"):
        environment, end = _group(latex, end)
        if name == "begin" and environment == "bmatrix":
            close = latex.index(r"\end{bmatrix}", end)
            out.append(_bmatrix(latex[end:close]))
            end = close + len(r"\end{bmatrix}")
    elif name in _TEXT_COMMANDS:
        argument, end = _group(latex, end)
        out.append(_NAMES.get(latex[i:end], argument))
    else:
        out.append(_NAMES.get(latex[i:end], _SYMBOLS.get(name, name)))
        if name in ("left", "right") and latex[end: end + 1] == ".":
            end += 1  # \left. and \right. are invisible
    return end


def _bmatrix(content: str) -> str:
    """A bmatrix's content, rows split by \\\\ and entries by &, as [1, 2; 3, 4]."""
    rows = [", ".join(_convert(entry).strip() for entry in line.split("&"))
            for line in content.split("\\\\")]
    return "[" + "; ".join(rows) + "]"


def _script(latex: str, i: int, out: list[str]) -> int:
    """Read a superscript or subscript at ``latex[i]`` into ``out``; return the position after.

    A layer number ^{[l]} is written against its letter (W^{[2]} -> W2), ^{[l]\\top} as
    W2^T; any other script keeps its ^ or _, in parentheses if it is more than one word.
    """
    argument, end = _group(latex, i + 1)
    layer = re.fullmatch(r"\[(\w+)\](\\top)?", argument)
    if latex[i] == "^" and layer:
        out.append(layer.group(1) + ("^T" if layer.group(2) else ""))
    else:
        out.append(latex[i] + _operand(_convert(argument)))
    return end


def _operand(text: str) -> str:
    """Plain ``text`` as one operand: in parentheses unless it is a single word or number."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if re.fullmatch(r"-?[\w.']+", text) else f"({text})"
