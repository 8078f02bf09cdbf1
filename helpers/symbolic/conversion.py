"""From a ``Value`` graph to a sympy expression and back: ``to_sympy`` and ``from_sympy``.

Taught in lesson 03 (The chain rule on a graph), where ``to_sympy`` writes a graph as one
formula for ``sympy.diff``; the graph stepper of the widgets reads a typed expression with
``from_sympy``. Both read the operations from the table of ``helpers.graph``: ``to_sympy``
builds each node with its operation's sympy form, and ``from_sympy`` recognises a function
such as exp(a) or a pattern such as 1/(1 + exp(-a)) from the same forms.
"""

from __future__ import annotations

import math

import sympy as sp

from ..graph import Value, apply_operation
from .forms import unary_functions
from .nodes import nodes_from_value

__all__ = ["from_sympy", "to_sympy"]


def to_sympy(value: Value) -> tuple[sp.Expr, dict[str, sp.Symbol]]:
    """The sympy expression computed by a Value graph.

    Args:
        value: the output node of a graph (helpers.graph.Value).

    Returns:
        (expr, symbols): expr in terms of one real Symbol per input Value, named by the
        Value's label (or v1, v2, ... when unlabelled); symbols maps name -> Symbol.
        Plain numbers in the graph become sympy numbers; each operation becomes its sympy
        form from helpers.graph.OPERATIONS (sigmoid: 1/(1 + exp(-a)), relu: Max(0, a)).

    Raises:
        TypeError: value is not a Value. ValueError: two inputs share a label.
    """
    nodes, symbols = nodes_from_value(value)
    return nodes[-1].expr, symbols


def from_sympy(expr: sp.Expr, values: dict) -> Value:
    """Build a Value graph that computes ``expr`` at the given input values.

    Args:
        expr: a sympy expression made of + - * /, ** with a number exponent, and the
            one-input operations of helpers.graph.OPERATIONS written in their sympy forms:
            exp(x), log(x), tanh(x), 1/(1 + exp(-x)) (sigmoid), Max(0, x) (relu), ...
        values: {Symbol or symbol name: number} for every free symbol of expr.

    Returns:
        The output Value. Each symbol becomes one input Value labelled with its name
        (the same Value wherever it appears); a sub-expression that appears several
        times becomes one shared node.

    Raises:
        TypeError: expr is not a sympy expression, or a value is not a number.
        ValueError: a symbol has no value, an unsupported function, a non-number exponent,
            or a value outside the domain (log of a non-positive number, NaN, inf).
    """
    if not isinstance(expr, sp.Basic):
        raise TypeError(f"expr must be a sympy expression; got {type(expr).__name__} {expr!r}")
    if not isinstance(values, dict):
        raise TypeError(f"values must be a dict {{symbol or name: number}}; got {values!r}")
    by_name = {str(key): number for key, number in values.items()}
    missing = sorted(s.name for s in expr.free_symbols if s.name not in by_name)
    if missing:
        raise ValueError(
            f"values has no number for {', '.join(missing)}; it has keys "
            f"{sorted(by_name)} but expr {expr} needs "
            f"{sorted(s.name for s in expr.free_symbols)}"
        )
    result = _GraphBuilder(by_name).value_of(expr)
    return result if isinstance(result, Value) else Value(result)


class _Recognised:
    """The one-input operations of the table, as sympy shows them (read once per call).

    functions: {sympy function class: operation name} for forms that are one function
        applied to the input (exp, log, tanh, ...).
    patterns: [(operation name, form in a Wild)] for the other forms that are not plain
        arithmetic on the input: sigmoid 1/(1 + exp(-w)), relu Max(0, w), ...
    Forms that are plain arithmetic on the input (neg -w, a square w**2) need neither: the
    graph is rebuilt from sympy's Add, Mul and Pow.
    """

    def __init__(self):
        self.wild = sp.Wild("w")
        self.functions: dict[type, str] = {}
        self.patterns: list[tuple[str, sp.Expr]] = []
        for operation in unary_functions():
            form = operation.sympy(sp, self.wild)
            if isinstance(form, sp.Function) and form.args == (self.wild,):
                self.functions.setdefault(form.func, operation.name)
            elif not _is_arithmetic(form, self.wild):
                self.patterns.append((operation.name, form))

    def match(self, expr):
        """(operation name, its input expression) if expr is one of the patterns, else None."""
        for name, pattern in self.patterns:
            if type(expr) is not type(pattern):
                continue
            found = expr.match(pattern)
            if found and self.wild in found and pattern.xreplace(found) == expr:
                return name, found[self.wild]
        return None

    def supported(self) -> str:
        """The supported operations, for an error message."""
        x = sp.Symbol("x")
        forms = [str(function(x)) for function in self.functions]
        forms += [f"{pattern.xreplace({self.wild: x})} ({name})" for name, pattern in self.patterns]
        return "+, -, *, /, ** with a number exponent, " + ", ".join(forms)


def _is_arithmetic(form: sp.Expr, wild: sp.Wild) -> bool:
    """True for one Add, Mul or Pow of the input and numbers (-w, 2*w, w**2)."""
    return (form.is_Add or form.is_Mul or form.is_Pow) and all(
        arg == wild or arg.is_number for arg in form.args)


class _GraphBuilder:
    """Turns sympy expressions into Values at fixed input numbers, sharing equal sub-trees."""

    def __init__(self, values: dict):
        self.values = values
        self.cache: dict = {}
        self.recognised = _Recognised()

    def value_of(self, expr):
        """Value (or plain float for a number) computing expr."""
        if expr in self.cache:
            return self.cache[expr]
        if expr.is_Symbol:
            result = Value(self.values[expr.name], expr.name)
        elif expr.is_number:
            result = _real_float(expr)
        elif (found := self.recognised.match(expr)) is not None:
            name, argument = found
            result = apply_operation(name, [self.value_of(argument)])
        elif expr.is_Add:
            result = self._add(expr)
        elif expr.is_Mul:
            result = self._mul(expr)
        elif expr.is_Pow:
            result = self._pow(expr)
        elif type(expr) in self.recognised.functions and len(expr.args) == 1:
            name = self.recognised.functions[type(expr)]
            result = apply_operation(name, [self.value_of(expr.args[0])])
        else:
            raise ValueError(f"unsupported sympy function {type(expr).__name__} in {expr}; "
                             f"supported: {self.recognised.supported()}")
        self.cache[expr] = result
        return result

    def _add(self, expr):
        result = None
        for term in expr.args:  # a term with a negative coefficient is subtracted
            coefficient, _ = term.as_coeff_Mul()
            negative = coefficient.is_negative and result is not None
            node = self.value_of(-term if negative else term)
            if result is None:
                result = Value.as_value(node)
            else:
                result = result - node if negative else result + node
        return result

    def _mul(self, expr):
        coefficient, factors = expr.as_coeff_mul()
        numerator, denominator = [], []
        for factor in factors:  # x * y**-1 is written x / y, but x * sigmoid(y) stays
            if (factor.is_Pow and factor.exp.is_number and factor.exp.is_negative
                    and self.recognised.match(factor) is None):
                denominator.append(self.value_of(factor.base ** (-factor.exp)))
            else:
                numerator.append(self.value_of(factor))
        if coefficient not in (1, -1):
            numerator.insert(0, _real_float(coefficient))
        result = Value.as_value(numerator[0]) if numerator else Value.as_value(1.0)
        for node in numerator[1:]:
            result = result * node
        for node in denominator:
            result = result / node
        return -result if coefficient == -1 else result

    def _pow(self, expr):
        base, exponent = expr.args
        if not exponent.is_number:
            raise ValueError(
                f"{expr}: the exponent {exponent} is not a number; the graph supports ** "
                "with a constant exponent only"
            )
        node = Value.as_value(self.value_of(base))
        if exponent == -1:
            return 1.0 / node
        return node ** _real_float(exponent)


def _real_float(number: sp.Expr) -> float:
    value = complex(sp.N(number, 17))
    if value.imag != 0 or not math.isfinite(value.real):
        raise ValueError(f"the number {number} is not a finite real number")
    return value.real
