"""The graph's operations in symbols, read from the one table of helpers.graph.

Taught in lesson 03 (The chain rule on a graph). Every operation of ``helpers.graph.OPERATIONS``
carries its sympy form (``Operation.sympy``). This module applies that form to sympy
expressions and takes its local derivatives with ``sympy.diff``, so that an operation added to
the table works here with no edit.

A local derivative of a one-input function that is a polynomial in the function's own value is
written with that value, as backprop computes it from the stored output: exp' = exp,
sigmoid' = s (1 - s), tanh' = 1 - tanh². Others stay as sympy.diff gives them: log' = 1/a,
relu' = Heaviside(a) (sympy takes Heaviside(0) = 1/2; the numbers of ``SymbolicNetwork`` use 0
at the kink, as helpers.activations does).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from ..graph import OPERATIONS, Operation, get_operation

__all__ = ["local_derivatives", "number", "operation_expression", "placeholders",
           "sigmoid_expression", "unary_derivative", "unary_functions"]

# Placeholders for an operation's inputs (u0, u1) and for its own value (s): the local
# derivatives are worked out once in these (cached in _rules), then filled in.
_INPUTS = (sp.Dummy("u0", real=True), sp.Dummy("u1", real=True))
_OUTPUT = sp.Dummy("s", real=True)


def number(x: float) -> sp.Expr:
    """A float as a sympy number: an Integer when it is whole, else a Float."""
    x = float(x)
    return sp.Integer(int(x)) if x.is_integer() and abs(x) < 1e15 else sp.Float(x)


def placeholders(arity: int) -> tuple[sp.Dummy, ...]:
    """The placeholder symbols of an operation's ``arity`` inputs (u0, u1)."""
    return _INPUTS[:arity]


def _operation(op: str | Operation) -> Operation:
    return op if isinstance(op, Operation) else get_operation(op)


def operation_expression(op: str | Operation, inputs, p=None) -> sp.Expr:
    """The operation applied to sympy expressions: ``("*", [x, y]) -> x*y``.

    Args:
        op: an operation name of helpers.graph.OPERATIONS (or the Operation itself).
        inputs: one sympy expression per input of the operation (its arity).
        p: the constant exponent of an operation that has one (``**``), a sympy number.
    """
    operation = _operation(op)
    exponent = (p,) if operation.has_exponent else ()
    return operation.sympy(sp, *inputs, *exponent)


def unary_functions() -> list[Operation]:
    """The operations of the table that take one input and no exponent (exp, sigmoid, ...)."""
    return [operation for operation in OPERATIONS.values()
            if operation.arity == 1 and not operation.has_exponent]


def sigmoid_expression(z: sp.Expr) -> sp.Expr:
    """sigma(z) = 1 / (1 + exp(-z)) as a sympy expression (scalar in, scalar out).

    The graph's own sigmoid: ``OPERATIONS["sigmoid"].sympy``.
    """
    return operation_expression("sigmoid", [z])


def local_derivatives(op: str | Operation, inputs, p=None) -> tuple[sp.Expr, ...]:
    """d(node)/d(input_i) of the operation applied to ``inputs``, by sympy.diff of its form.

    Args:
        op, inputs, p: as for ``operation_expression``.

    Returns:
        one sympy expression per input, in terms of the inputs: ``"*"`` on (x, y) gives
        (y, x); ``"sigmoid"`` on a gives (s (1 - s),) with s = 1/(1 + exp(-a)).
    """
    operation = _operation(op)
    form = operation_expression(operation, placeholders(operation.arity), p)
    return _filled(_rules(form, operation.arity), inputs, form, None)


def unary_derivative(function, z: sp.Expr, output: sp.Expr | None = None) -> sp.Expr:
    """d function(u)/du at u = z, for a one-input ``function`` (sympy expression -> expression).

    Args:
        function: e.g. ``lambda u: activation_expression("tanh", u)``.
        z: where the derivative is taken (a sympy expression).
        output: a symbol standing for the function's value f(z), such as the stored activation
            a; a derivative that is a polynomial in that value is written with it
            (tanh: 1 - a**2). Default: the value written out, f(z).
    """
    form = function(_INPUTS[0])
    return _filled(_rules(form, 1), [z], form, output)[0]


def _filled(rules, inputs, form, output):
    """The rules with the placeholders filled in: the inputs for u0, u1; the value for s."""
    replacements = dict(zip(_INPUTS, inputs, strict=False))
    if any(_OUTPUT in rule.free_symbols for rule in rules):
        replacements[_OUTPUT] = form.xreplace(replacements) if output is None else output
    return tuple(rule.xreplace(replacements) for rule in rules)


@lru_cache(maxsize=512)
def _rules(form: sp.Expr, arity: int) -> tuple[sp.Expr, ...]:
    """d form / d u_i for each input placeholder; a one-input rule may be written in s."""
    rules = [sp.diff(form, u) for u in _INPUTS[:arity]]
    if arity == 1:
        rules[0] = _with_own_value(rules[0], form, _INPUTS[0])
    return tuple(rules)


def _with_own_value(derivative: sp.Expr, form: sp.Expr, u: sp.Dummy) -> sp.Expr:
    """``derivative`` (of ``form`` in u) as a polynomial in the value s = form, when it is one.

    First by replacing the form where it appears (tanh: 1 - tanh(u)**2 -> 1 - s**2), else by
    solving s = form for u and simplifying (sigmoid: exp(-u)/(1 + exp(-u))**2 -> s (1 - s)).
    Returns the derivative unchanged when neither gives a polynomial in s alone.
    """
    if u not in derivative.free_symbols or form == u:
        return derivative
    written = derivative.subs(form, _OUTPUT)
    if u not in written.free_symbols and written.is_polynomial(_OUTPUT) is True:
        return written
    if form.is_Pow and form.base == u:  # u ** p: the derivative stays p u ** (p - 1)
        return derivative
    try:
        solutions = sp.solve(sp.Eq(form, _OUTPUT), u)
    except (NotImplementedError, ValueError, TypeError):
        return derivative
    if len(solutions) != 1:
        return derivative
    written = sp.simplify(derivative.subs(u, solutions[0]))
    if u in written.free_symbols or written.is_polynomial(_OUTPUT) is not True:
        return derivative
    return written

