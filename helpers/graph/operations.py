"""The operations of the scalar computational graph, each defined once, in one table.

Taught in lesson 03 (The chain rule on a graph). Each row holds everything about one
operation, so that the graph (``Value``), its recorded steps, the drawings, the symbolic layer,
the exercises and the expression parser of the widgets all read the same definition:

- ``arity``: the number of inputs (``**`` has one input and a constant exponent ``p``);
- ``forward(*inputs)``: the value of the node *and* its local derivatives
  d(node)/d(input_i), side by side, as plain floats;
- ``text``, ``latex`` and ``label``: how a step, a typeset formula and a drawing write it, with
  ``{0}``, ``{1}`` for the inputs and ``{p}`` for the exponent; ``text`` is also what a learner
  types into a stepper;
- ``sympy(sp, *inputs)``: the same operation in sympy (``sp`` is the sympy module, passed in so
  that this module needs only the standard library);
- ``check(*inputs)``: None where the operation is defined, else a message for the learner,
  with ``{0}``, ``{1}`` standing for the inputs' names.

A new operation is one call to ``register_operation``; see ``square`` in tests/test_graph.py.
Standard library only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ..notation import format_number

__all__ = ["OPERATIONS", "Operation", "get_operation", "register_operation",
           "unregister_operation"]


@dataclass(frozen=True)
class Operation:
    """One operation of the graph. See the module docstring for the meaning of each field.

    name: the node's ``op``, e.g. ``"*"`` or ``"tanh"``.
    arity: 1 or 2 inputs.
    forward: (*input values[, p]) -> (value, (d node / d input_i, ...)), floats.
    text, latex: templates such as ``"{0} * {1}"`` and ``r"{0} \\cdot {1}"``.
    sympy: (sympy module, *input expressions[, p]) -> sympy expression.
    label: the drawing's template (default: ``text``).
    check: (*input values[, p]) -> None or a message template naming inputs {0}, {1}.
    has_exponent: True for ``x ** p``, whose constant exponent p follows the inputs.
    """

    name: str
    arity: int
    forward: Callable[..., tuple[float, tuple[float, ...]]]
    text: str
    latex: str
    sympy: Callable
    label: str = ""
    check: Callable[..., str | None] | None = None
    has_exponent: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"an operation needs a name (str); got {self.name!r}")
        if self.arity not in (1, 2):
            raise ValueError(f"operation {self.name!r}: arity must be 1 or 2; got {self.arity!r}")
        for template in (self.text, self.latex, self.label or self.text):
            if f"{{{self.arity - 1}}}" not in template:
                raise ValueError(f"operation {self.name!r}: the template {template!r} must "
                                 f"show every input, {{0}} to {{{self.arity - 1}}}")

    @property
    def is_function(self) -> bool:
        """True when it is written as a function call, e.g. ``tanh(x)``."""
        return self.text.startswith(f"{self.name}(")

    def write(self, operands, p=None, *, style: str = "text") -> str:
        """The operation on the given operand strings, e.g. ``write(["x", "y"]) == "x * y"``.

        style: "text", "latex" or "label" (the drawing's form).
        """
        template = {"text": self.text, "latex": self.latex,
                    "label": self.label or self.text}[style]
        exponent = "" if p is None else format_number(p, latex=style == "latex")
        return template.format(*operands, p=exponent)


OPERATIONS: dict[str, Operation] = {}


def register_operation(operation: Operation, *, replace: bool = False) -> Operation:
    """Add an operation to the table (ValueError if its name is taken, unless replace)."""
    if not isinstance(operation, Operation):
        raise TypeError(f"operation must be an Operation; got {type(operation).__name__}")
    if operation.name in OPERATIONS and not replace:
        raise ValueError(f"an operation named {operation.name!r} exists already")
    OPERATIONS[operation.name] = operation
    return operation


def unregister_operation(name: str) -> None:
    """Remove an operation added by register_operation (KeyError if there is none)."""
    del OPERATIONS[name]


def get_operation(name: str) -> Operation:
    """The Operation called ``name``; ValueError listing the valid names otherwise."""
    try:
        return OPERATIONS[name]
    except (KeyError, TypeError):
        raise ValueError(f"unknown operation {name!r}; valid: {', '.join(OPERATIONS)}") from None


# ----------------------------------------------------------------------------------------
# The table: each forward returns the value and its local derivatives, side by side.
# ----------------------------------------------------------------------------------------
def _add(a, b):
    return a + b, (1.0, 1.0)  # z = a + b: dz/da = 1, dz/db = 1


def _sub(a, b):
    return a - b, (1.0, -1.0)  # z = a - b: dz/da = 1, dz/db = -1


def _mul(a, b):
    return a * b, (b, a)  # z = a b: dz/da = b, dz/db = a (multiply swaps its inputs)


def _div(a, b):
    # z = a / b: dz/da = 1 / b, dz/db = -a / b**2, written -(a / b) / b because b**2 alone
    # can overflow (b = 1e200) or round to 0 (b = 1e-200)
    return a / b, (1.0 / b, -(a / b) / b)


def _div_check(a, b):
    return "division by zero: the denominator {1} is 0" if b == 0 else None


def _pow(a, p):
    return a**p, (p * a ** (p - 1) if p != 0 else 0.0,)  # z = a**p: dz/da = p a**(p - 1)


def _pow_check(a, p):
    if a < 0 and not float(p).is_integer():
        return (f"{{0}} ** {format_number(p)}: a negative base ({format_number(a)}) needs an "
                "integer exponent")
    if a == 0 and p < 1 and p != 0:
        return (f"{{0}} ** {format_number(p)} has no finite value or derivative at "
                "{0} = 0")
    return None


def _neg(a):
    return -a, (-1.0,)  # z = -a: dz/da = -1


def _exp(a):
    e = math.exp(a)
    return e, (e,)  # z = exp(a): dz/da = exp(a)


def _log(a):
    return math.log(a), (1.0 / a,)  # z = log(a): dz/da = 1 / a


def _log_check(a):
    return None if a > 0 else f"log({{0}}) needs a positive input; got {{0}} = {format_number(a)}"


def _sigmoid(a):
    e = math.exp(-abs(a))  # at most 1: exp never sees a large positive number
    s = 1.0 / (1.0 + e) if a >= 0 else e / (1.0 + e)
    return s, (s * (1.0 - s),)  # z = sigmoid(a): dz/da = s (1 - s)


def _tanh(a):
    t = math.tanh(a)
    return t, (1.0 - t * t,)  # z = tanh(a): dz/da = 1 - tanh(a)**2


def _relu(a):
    return max(a, 0.0), (1.0 if a > 0 else 0.0,)  # dz/da = 1 if a > 0 else 0 (0 at the kink)


for _operation in (
    Operation("+", 2, _add, "{0} + {1}", "{0} + {1}", lambda sp, a, b: a + b),
    Operation("-", 2, _sub, "{0} - {1}", "{0} - {1}", lambda sp, a, b: a - b,
              label="{0} − {1}"),
    Operation("*", 2, _mul, "{0} * {1}", r"{0} \cdot {1}", lambda sp, a, b: a * b,
              label="{0} × {1}"),
    Operation("/", 2, _div, "{0} / {1}", r"\frac{{{0}}}{{{1}}}", lambda sp, a, b: a / b,
              label="{0} ÷ {1}", check=_div_check),
    Operation("**", 1, _pow, "{0} ** {p}", "{0}^{{{p}}}", lambda sp, a, p: a**p,
              label="{0}^{p}", check=_pow_check, has_exponent=True),
    Operation("neg", 1, _neg, "-{0}", "-{0}", lambda sp, a: -a, label="−{0}"),
    Operation("exp", 1, _exp, "exp({0})", "e^{{{0}}}", lambda sp, a: sp.exp(a)),
    Operation("log", 1, _log, "log({0})", r"\ln({0})", lambda sp, a: sp.log(a),
              check=_log_check),
    Operation("sigmoid", 1, _sigmoid, "sigmoid({0})", r"\sigma({0})",
              lambda sp, a: 1 / (1 + sp.exp(-a)), label="σ({0})"),
    Operation("tanh", 1, _tanh, "tanh({0})", r"\tanh({0})", lambda sp, a: sp.tanh(a)),
    Operation("relu", 1, _relu, "relu({0})", r"\operatorname{{ReLU}}({0})",
              lambda sp, a: sp.Max(0, a), label="ReLU({0})"),
):
    register_operation(_operation)
del _operation
