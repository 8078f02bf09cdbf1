"""Typed expressions such as ``"(x + y) * z"`` turned into a graph, safely.

Used by the graph stepper's expression box in lessons 00 (Start here) and 03 (The chain rule
on a graph). What a learner may type is read from the table of operations
(``helpers.graph.OPERATIONS``): Python's + - * / ** stand for the operations "+", "-", "*",
"/", "**", a unary minus for "neg", and the functions are the operations written as a call
(``Operation.is_function``), such as exp(x) or tanh(x). Registering a new operation of that
kind makes it typeable with no edit here.

Typing mistakes get a message that says what to write instead: ``2x`` or ``x y`` ("write
2*x for 2 times x"), ``2(x + y)``, ``x²``, ``f = x*y``, brackets that do not match.

Three gates keep anything but arithmetic out. The text is read by Python's ``ast`` and every
node is checked against a short whitelist before anything runs; then sympy's ``parse_expr``
reads it with only the input names and the table's functions defined and no Python builtins;
then ``helpers.symbolic.from_sympy`` builds the graph.
"""

from __future__ import annotations

import ast
import keyword
import math
import re

from ..graph import OPERATIONS, Value

__all__ = ["MAX_EXPRESSION_LENGTH", "MAX_OPERATIONS", "ExpressionError", "function_names",
           "parse_expression", "typing_hint"]

MAX_EXPRESSION_LENGTH = 200
MAX_OPERATIONS = 40

# Python's arithmetic operators and the operations of the table they stand for
BINARY_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

_PARSER_NAMES = ("Add", "Mul", "Pow", "Integer", "Float", "Rational", "Symbol")  # sympy's


class ExpressionError(ValueError):
    """A typed expression that is not allowed or cannot be read; the message says why."""


def function_names() -> tuple[str, ...]:
    """The functions a learner may call: the operations of the table written f(x)."""
    return tuple(name for name, operation in OPERATIONS.items() if operation.is_function)


def _allowed_text() -> str:
    """What may be typed, for error messages: "+ - * / ** and exp, log, ..."."""
    return f"{' '.join(BINARY_OPERATORS.values())} and {', '.join(function_names())}"


def _check_syntax(text: str) -> set[str]:
    """Check that ``text`` is arithmetic on names and numbers only; return the names used.

    Allowed: numbers, names, + - * / ** (or ^), unary minus, parentheses and calls of the
    table's functions with as many arguments as the operation has inputs. Anything else
    (attributes, strings, subscripts, keywords, other calls) raises ExpressionError before
    anything is evaluated.
    """
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as error:
        hint = typing_hint(text)
        if hint:
            raise ExpressionError(hint) from None
        column = f" near column {error.offset}" if error.offset else ""
        raise ExpressionError(f"could not read the expression{column}: {error.msg}") from None
    functions = function_names()
    names: set[str] = set()
    operations = 0
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Expression | ast.Load | ast.USub | ast.UAdd) or \
                type(node) in BINARY_OPERATORS:
            continue
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY_OPERATORS:
            operations += 1
            if isinstance(node.op, ast.Pow) and not _is_number(node.right):
                raise ExpressionError("the exponent in a ** p must be a plain number, "
                                      "e.g. x ** 2")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operations += 1
        elif isinstance(node, ast.Constant) and _is_real_constant(node.value):
            pass
        elif isinstance(node, ast.Call):
            operations += 1
            _check_call(node, functions, text)
        elif isinstance(node, ast.Name):
            if node.id in functions and id(node) not in called:
                raise ExpressionError(f"{node.id} is a function: write "
                                      f"{_example_call(node.id)}")
            if node.id not in functions:
                if node.id.startswith("_") or node.id in _PARSER_NAMES:
                    raise ExpressionError(f"the name {node.id!r} is not allowed; use names "
                                          "like x, y, w1, b")
                names.add(node.id)
        elif isinstance(node, ast.Attribute):
            raise ExpressionError(f"attribute access (.{node.attr}) is not allowed; write "
                                  f"arithmetic with {_allowed_text()}")
        else:
            raise ExpressionError(f"{type(node).__name__} is not allowed in an expression; "
                                  f"write arithmetic with {_allowed_text()}")
    if operations > MAX_OPERATIONS:
        raise ExpressionError(f"the expression has {operations} operations; at most "
                              f"{MAX_OPERATIONS} fit in a drawing")
    return names


def _check_call(node: ast.Call, functions: tuple[str, ...], text: str) -> None:
    """A call must name one of the table's functions and give it its number of inputs.

    Something that is not a function, before brackets of arithmetic, was meant as a product:
    ``2(x + y)``, ``x(y + 1)``, ``(x + y)(x - y)``; the message says to write the ``*``.
    """
    is_function = isinstance(node.func, ast.Name) and node.func.id in functions
    if not is_function and _meant_as_product(node):
        call = ast.get_source_segment(text, node) or "a(b)"
        tokens = _tokens(call)
        split = tokens[_matching(tokens, len(tokens) - 1, -1)][2]  # where the bracket opens
        left, right = call[:split].strip(), call[split:]
        known = (f" ({node.func.id} is not one of the functions: {', '.join(functions)})"
                 if isinstance(node.func, ast.Name) else "")
        raise ExpressionError(f"write {left}*{right} for {left} times {right}: "
                              f"multiplication needs a *{known}")
    if isinstance(node.func, ast.Attribute):
        raise ExpressionError(f"attribute access (.{node.func.attr}) is not allowed; "
                              f"write arithmetic with {_allowed_text()}")
    if not is_function:
        what = node.func.id if isinstance(node.func, ast.Name) else "this"
        raise ExpressionError(f"calling {what}(...) is not allowed; functions you can "
                              f"use: {', '.join(functions)}")
    arity = OPERATIONS[node.func.id].arity
    if len(node.args) != arity or node.keywords:
        count = "one argument" if arity == 1 else f"{arity} arguments"
        raise ExpressionError(f"{node.func.id} takes exactly {count}, "
                              f"e.g. {_example_call(node.func.id)}")


_ARITHMETIC = (ast.Name, ast.BinOp, ast.UnaryOp, ast.Call, ast.Load, ast.operator,
               ast.unaryop)


def _is_arithmetic(node) -> bool:
    """True if ``node`` holds names, numbers, operators and calls only."""
    return all(isinstance(n, _ARITHMETIC) or
               (isinstance(n, ast.Constant) and _is_real_constant(n.value))
               for n in ast.walk(node))


def _meant_as_product(node: ast.Call) -> bool:
    """``a(b)`` with one argument of arithmetic, where a is a number, a bracket, a call or a
    short name like an input's (x, w1; not a function's name like sin): a product missing
    its ``*``."""
    func = node.func
    usable = (isinstance(func, ast.Name) and re.fullmatch(r"[A-Za-z]{1,2}\d*", func.id)
              is not None) or \
        isinstance(func, ast.BinOp | ast.UnaryOp | ast.Call) or \
        (isinstance(func, ast.Constant) and _is_real_constant(func.value))
    return usable and len(node.args) == 1 and not node.keywords and \
        _is_arithmetic(func) and _is_arithmetic(node.args[0])


# characters that look like arithmetic but are not Python, and what to write instead
_LOOKALIKES = {"²": "**2", "³": "**3", "×": "*", "·": "*", "⋅": "*", "÷": "/", "−": "-",
               "–": "-"}
_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|"
                    r"(?P<name>[A-Za-z_]\w*)|(?P<other>\S))")


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, text, start, end) of each number, name and other character of ``text``."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind:
            tokens.append((kind, match.group(kind), match.start(kind), match.end(kind)))
    return tokens


def _matching(tokens, k: int, step: int) -> int:
    """The index of the bracket matching the one at token k (step +1 for "(", -1 for ")"),
    or the last token that way if it is never closed."""
    depth, stop = 0, len(tokens) if step == 1 else -1
    for j in range(k, stop, step):
        depth += {"(": 1, ")": -1}.get(tokens[j][1], 0) * step
        if depth == 0:
            return j
    return stop - step


def _operand(text: str, tokens, k: int, step: int) -> str:
    """The operand next to a missing *: ending at token k (step -1) or starting at it
    (step +1). A number, a name, or a whole bracket, with the function name before it."""
    if step == 1:
        start = tokens[k][2]
        if tokens[k][0] == "name" and k + 1 < len(tokens) and tokens[k + 1][1] == "(":
            k += 1
        end = tokens[_matching(tokens, k, 1) if tokens[k][1] == "(" else k][3]
        return text[start:end]
    end = tokens[k][3]
    if tokens[k][1] != ")":
        return text[tokens[k][2]:end]
    j = _matching(tokens, k, -1)
    if j > 0 and tokens[j - 1][0] == "name":
        j -= 1
    return text[tokens[j][2]:end]


def typing_hint(text: str) -> str | None:
    """What to write instead, for a typing mistake a learner often makes, or None.

    ``2x``, ``x y``, ``(x + 1)(x - 1)``: a product without its * ("write 2*x for 2 times
    x"); ``x²``, ``2×x``, a typographic minus: characters Python does not read; ``f = x*y``:
    a name and = before the expression; brackets that do not match.
    """
    for char, instead in _LOOKALIKES.items():
        if char in text:
            return (f"{char} cannot be typed here: write {instead} instead, e.g. "
                    f"{text.replace(char, instead)}")
    assignment = re.match(r"\s*([A-Za-z_]\w*)\s*=(?!=)\s*(.*)", text)
    if assignment:
        return (f"type the expression only, without \"{assignment.group(1)} =\": e.g. "
                f"{assignment.group(2) or 'x * y'}")
    tokens = _tokens(text)
    for k in range(len(tokens) - 1):
        (kind, left, *_), (next_kind, right, *_) = tokens[k], tokens[k + 1]
        ends = kind in ("number", "name") or left == ")"
        starts = next_kind in ("number", "name") or right == "("
        if not (ends and starts) or keyword.iskeyword(left) or keyword.iskeyword(right):
            continue
        if kind == "name" and right == "(":
            continue  # a call: checked once the text is read
        a, b = _operand(text, tokens, k, -1), _operand(text, tokens, k + 1, 1)
        return f"write {a}*{b} for {a} times {b}: multiplication needs a *"
    opened, closed = text.count("("), text.count(")")
    if opened != closed:
        missing = "(" if closed > opened else ")"
        return (f"the brackets do not match: {opened} ( and {closed} ); add the missing "
                f"{missing}")
    return None


def _example_call(name: str) -> str:
    """The function ``name`` applied to example inputs, as a learner types it: "exp(x)"."""
    operation = OPERATIONS[name]
    return operation.write(["x", "y"][: operation.arity])


def _is_real_constant(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_number(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant) and _is_real_constant(node.value)


def _sympy_expression(text: str, names: set[str]):
    """Parse checked ``text`` with sympy: only the given symbols and the table's functions,
    each defined by its operation's sympy form."""
    import sympy
    from sympy.parsing.sympy_parser import parse_expr, standard_transformations

    local_dict = {name: sympy.Symbol(name) for name in names}
    for name in function_names():
        local_dict[name] = _sympy_function(OPERATIONS[name].sympy, sympy)
    global_dict = {"__builtins__": {}}  # no Python builtins inside the parser's eval
    for name in _PARSER_NAMES:
        global_dict[name] = getattr(sympy, name)
    try:
        return parse_expr(text, local_dict=local_dict, global_dict=global_dict,
                          transformations=standard_transformations, evaluate=False)
    except Exception as error:  # sympy reports many kinds of error for odd input
        raise ExpressionError(f"could not read the expression: {error}") from None


def _sympy_function(form, sympy):
    """An operation's sympy form ``form(sp, *inputs)`` as a function of the inputs alone.

    parse_expr calls the functions sympy knows by name (exp, log, tanh, ...) with
    ``evaluate=False``; the form is then built unevaluated, as sympy's own would be.
    """

    def function(*inputs, evaluate=True):
        with sympy.evaluate(evaluate):
            return form(sympy, *inputs)

    return function


def parse_expression(text: str, values: dict | None = None) -> Value:
    """Turn a typed expression such as ``"(x + y) * z"`` into a Value graph, safely.

    The text is first checked to be plain arithmetic (numbers, names, + - * / ** or ^,
    parentheses, and the functions of the table of operations: exp, log, tanh, sigmoid,
    relu and any registered since), then parsed by sympy's ``parse_expr`` with only those
    names defined and no Python builtins (nothing else is ever evaluated), then turned into
    a graph by ``helpers.symbolic.from_sympy``.

    Args:
        text: the expression, at most 200 characters.
        values: {name: number} for the inputs; names not given start at 1.0.

    Returns:
        the output Value (a scalar); its leaves are labelled with the names used.

    Raises:
        ExpressionError (a ValueError) with a message saying what is wrong.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"the expression must be text (str); got {type(text).__name__}")
    text = text.strip().replace("^", "**")
    if not text:
        raise ExpressionError("the expression is empty; type e.g. (x + y) * z")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"the expression has {len(text)} characters; at most "
                              f"{MAX_EXPRESSION_LENGTH} are allowed")
    names = _check_syntax(text)
    values = dict(values or {})
    for name, number in values.items():
        if not _is_real_constant(number) or not math.isfinite(number):
            raise ExpressionError(f"the value of {name} must be a finite number; got {number!r}")
    from ..symbolic import from_sympy

    expression = _sympy_expression(text, names)
    try:
        root = from_sympy(expression, {name: values.get(name, 1.0) for name in names})
    except (ArithmeticError, ValueError, TypeError) as error:
        raise ExpressionError(f"cannot compute {text} at these inputs: {error}") from None
    if not root.inputs:
        raise ExpressionError("the expression has no operation to step through; try x * y")
    return root
