"""Symbolic derivatives with sympy: the chain rule written out, checked against sympy.diff.

Five parts, each usable on its own:

1. Conversions between a scalar ``Value`` graph and a sympy expression
   (``to_sympy``, ``from_sympy``).
2. The chain rule one local derivative at a time along the graph
   (``chain_rule_gradient``), compared with sympy's derivative of the whole expression
   (``expressions_equal``, ``assert_expressions_equal``).
3. Derivatives of every activation and loss of the course, each proven equal to sympy.diff
   (``activation_derivative``, ``softmax_jacobian_derivative``, ``loss_derivative``).
4. A small fully connected network written out entry by entry in symbols
   (``SymbolicNetwork``), whose gradients are compared side by side with the package's
   backward pass and with central differences (``SymbolicNetwork.compare``).
5. The size of the fully written-out derivative against the chain-rule form that reuses
   intermediate values (``expression_size_table``): why backprop stores the forward pass.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import sympy as sp

from ._validate import as_float_array, check_class_indices
from .activations import ACTIVATIONS
from .gradcheck import format_relative_error, numeric_gradient, relative_error
from .graph import Value, format_number
from .layers import ActivationLayer, Dense
from .losses import LOSSES, get_loss
from .network import build_network

__all__ = [
    "ACTIVATION_NAMES",
    "LOSS_NAMES",
    "ChainRuleResult",
    "DerivativeCheck",
    "GradientReport",
    "GradientRow",
    "LocalDerivative",
    "SizeRow",
    "SymbolicNetwork",
    "activation_derivative",
    "activation_expression",
    "all_derivative_checks",
    "assert_expressions_equal",
    "chain_rule_gradient",
    "derivative",
    "expression_size_table",
    "expressions_equal",
    "format_size_table",
    "from_sympy",
    "loss_derivative",
    "sigmoid_expression",
    "softmax_jacobian_derivative",
    "to_sympy",
]

ACTIVATION_NAMES = tuple(ACTIVATIONS)
LOSS_NAMES = tuple(LOSSES)


def sigmoid_expression(z: sp.Expr) -> sp.Expr:
    """sigma(z) = 1 / (1 + exp(-z)) as a sympy expression (scalar in, scalar out)."""
    return 1 / (1 + sp.exp(-z))


# Each operation of helpers.graph in symbols: the forward expression and its local
# derivatives d(node)/d(input_i), side by side (a, b: input expressions; p: the exponent).
_RULES = {
    "+": lambda a, b, p: (a + b, (1, 1)),
    "-": lambda a, b, p: (a - b, (1, -1)),
    "*": lambda a, b, p: (a * b, (b, a)),
    "/": lambda a, b, p: (a / b, (1 / b, -a / b**2)),
    "**": lambda a, b, p: (a**p, (p * a ** (p - 1),)),
    "neg": lambda a, b, p: (-a, (-1,)),
    "exp": lambda a, b, p: (sp.exp(a), (sp.exp(a),)),
    "log": lambda a, b, p: (sp.log(a), (1 / a,)),
    "sigmoid": lambda a, b, p: (
        sigmoid_expression(a),
        (sigmoid_expression(a) * (1 - sigmoid_expression(a)),),
    ),
    "tanh": lambda a, b, p: (sp.tanh(a), (1 - sp.tanh(a) ** 2,)),
    "relu": lambda a, b, p: (sp.Max(0, a), (sp.Heaviside(a),)),
}


def _number(x: float) -> sp.Expr:
    """A float as a sympy number: an Integer when it is whole, else a Float."""
    x = float(x)
    return sp.Integer(int(x)) if x.is_integer() and abs(x) < 1e15 else sp.Float(x)


# ----------------------------------------------------------------------------------------
# 1. Conversions
# ----------------------------------------------------------------------------------------
@dataclass(eq=False)
class _Node:
    """One node of the graph the chain rule walks (internal).

    name: display name; expr: its value in terms of the leaf symbols; inputs: input nodes;
    local_grads: d(node)/d(inputs[i]) in terms of the leaf symbols; definition: its
    expression in terms of the input names (e.g. q = x + y).
    """

    name: str
    expr: sp.Expr
    inputs: list = field(default_factory=list)
    local_grads: list = field(default_factory=list)
    definition: sp.Expr | None = None


def _nodes_from_value(value: Value) -> tuple[list[_Node], dict[str, sp.Symbol]]:
    """The Value graph as _Nodes in topological order, and its leaf symbols by name."""
    if not isinstance(value, Value):
        raise TypeError(f"value must be a helpers.graph.Value; got {type(value).__name__}")
    names = value.names()
    symbols: dict[str, sp.Symbol] = {}
    leaf_of_name: dict[str, Value] = {}
    nodes: dict[Value, _Node] = {}
    for v in value.topological_order():
        if v.is_constant:
            nodes[v] = _Node(names[v], _number(v.data))
        elif not v.inputs:
            name = names[v]
            if name in leaf_of_name and leaf_of_name[name] is not v:
                raise ValueError(
                    f"two different input Values are labelled {name!r}; give each input "
                    "its own label so it becomes its own symbol"
                )
            leaf_of_name[name] = v
            symbols[name] = sp.Symbol(name, real=True)
            nodes[v] = _Node(name, symbols[name])
        else:
            inputs = [nodes[i] for i in v.inputs]
            p = None if v.exponent is None else _number(v.exponent)
            exprs = [i.expr for i in inputs] + [None]
            forward, local_grads = _RULES[v.op](exprs[0], exprs[1], p)
            named = [
                i.expr if i.expr.is_number else sp.Symbol(i.name, real=True) for i in inputs
            ] + [None]
            with sp.evaluate(False):  # keep "a + a" as written, not 2*a
                definition = _RULES[v.op](named[0], named[1], p)[0]
            nodes[v] = _Node(names[v], forward, inputs, [sp.sympify(g) for g in local_grads],
                             definition)
    return list(nodes.values()), symbols


def to_sympy(value: Value) -> tuple[sp.Expr, dict[str, sp.Symbol]]:
    """The sympy expression computed by a Value graph.

    Args:
        value: the output node of a graph (helpers.graph.Value).

    Returns:
        (expr, symbols): expr in terms of one real Symbol per input Value, named by the
        Value's label (or v1, v2, ... when unlabelled); symbols maps name -> Symbol.
        Plain numbers in the graph become sympy numbers; sigmoid becomes 1/(1 + exp(-a)),
        relu becomes Max(0, a).

    Raises:
        TypeError: value is not a Value. ValueError: two inputs share a label.
    """
    nodes, symbols = _nodes_from_value(value)
    return nodes[-1].expr, symbols


_SUPPORTED = (
    "+, -, *, /, ** with a number exponent, exp, log, tanh, Max(0, x) (ReLU) and "
    "1/(1 + exp(-x)) (sigmoid)"
)


def from_sympy(expr: sp.Expr, values: dict) -> Value:
    """Build a Value graph that computes ``expr`` at the given input values.

    Args:
        expr: a sympy expression made of the supported operations: + - * /, ** with a
            number exponent, exp, log, tanh, Max(0, x) (ReLU), 1/(1 + exp(-x)) (sigmoid).
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
    result = _value_from(expr, by_name, {})
    return result if isinstance(result, Value) else Value(result)


def _value_from(expr, values: dict, cache: dict):
    """Value (or plain float for a number) computing expr; shared sub-expressions cached."""
    if expr in cache:
        return cache[expr]
    if expr.is_Symbol:
        result = Value(values[expr.name], expr.name)
    elif expr.is_number:
        result = _real_float(expr)
    elif _is_sigmoid(expr):
        result = _as_value(_value_from(-expr.base.args[1].args[0], values, cache)).sigmoid()
    elif expr.is_Add:
        result = _add_from(expr, values, cache)
    elif expr.is_Mul:
        result = _mul_from(expr, values, cache)
    elif expr.is_Pow:
        result = _pow_from(expr, values, cache)
    elif isinstance(expr, sp.exp | sp.log | sp.tanh):
        method = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh"}[expr.func]
        result = getattr(_as_value(_value_from(expr.args[0], values, cache)), method)()
    elif isinstance(expr, sp.Max) and len(expr.args) == 2 and 0 in expr.args:
        other = expr.args[1] if expr.args[0] == 0 else expr.args[0]
        result = _as_value(_value_from(other, values, cache)).relu()
    else:
        raise ValueError(
            f"unsupported sympy function {type(expr).__name__} in {expr}; supported: "
            f"{_SUPPORTED}"
        )
    cache[expr] = result
    return result


def _real_float(number: sp.Expr) -> float:
    value = complex(sp.N(number, 17))
    if value.imag != 0 or not math.isfinite(value.real):
        raise ValueError(f"the number {number} is not a finite real number")
    return value.real


def _as_value(x) -> Value:
    if isinstance(x, Value):
        return x
    constant = Value(x)
    constant.is_constant = True
    return constant


def _is_sigmoid(expr) -> bool:
    """True for 1 / (1 + exp(-a))."""
    if not (expr.is_Pow and expr.exp == -1 and expr.base.is_Add and len(expr.base.args) == 2):
        return False
    one, other = expr.base.args
    return one == 1 and isinstance(other, sp.exp)


def _add_from(expr, values, cache):
    result = None
    for term in expr.args:  # a term with a negative coefficient is subtracted
        coefficient, _ = term.as_coeff_Mul()
        negative = coefficient.is_negative and result is not None
        node = _value_from(-term if negative else term, values, cache)
        if result is None:
            result = _as_value(node)
        else:
            result = result - node if negative else result + node
    return result


def _mul_from(expr, values, cache):
    coefficient, factors = expr.as_coeff_mul()
    numerator, denominator = [], []
    for factor in factors:  # x * y**-1 is written x / y
        if factor.is_Pow and factor.exp.is_number and factor.exp.is_negative:
            denominator.append(_value_from(factor.base ** (-factor.exp), values, cache))
        else:
            numerator.append(_value_from(factor, values, cache))
    if coefficient not in (1, -1):
        numerator.insert(0, _real_float(coefficient))
    result = _as_value(numerator[0]) if numerator else _as_value(1.0)
    for node in numerator[1:]:
        result = result * node
    for node in denominator:
        result = result / node
    return -result if coefficient == -1 else result


def _pow_from(expr, values, cache):
    base, exponent = expr.args
    if not exponent.is_number:
        raise ValueError(
            f"{expr}: the exponent {exponent} is not a number; the graph supports ** with "
            "a constant exponent only"
        )
    node = _as_value(_value_from(base, values, cache))
    if exponent == -1:
        return 1.0 / node
    return node ** _real_float(exponent)


# ----------------------------------------------------------------------------------------
# 2. Derivatives: equality checks and the chain rule
# ----------------------------------------------------------------------------------------
def expressions_equal(a, b) -> bool:
    """True if a - b simplifies to 0 (entry by entry for matrices).

    Args:
        a, b: sympy expressions (or numbers), or sympy Matrices of the same shape.
    """
    a, b = sp.sympify(a), sp.sympify(b)
    if isinstance(a, sp.MatrixBase) or isinstance(b, sp.MatrixBase):
        a, b = sp.Matrix(a), sp.Matrix(b)
        if a.shape != b.shape:
            return False
        return all(expressions_equal(x, y) for x, y in zip(a, b, strict=True))
    difference = a - b
    if difference == 0 or sp.simplify(difference) == 0:
        return True
    return sp.simplify(difference.rewrite(sp.exp)) == 0


def assert_expressions_equal(a, b, what: str = "the two expressions") -> None:
    """Raise AssertionError, showing both expressions, unless ``expressions_equal(a, b)``."""
    if not expressions_equal(a, b):
        raise AssertionError(f"{what} differ:\n  {a}\n  {b}\n(their difference does not "
                             "simplify to 0)")


def _as_expression(expr_or_value):
    """(expr, _Nodes or None, {name: Symbol} of its inputs) for an expression or a Value."""
    if isinstance(expr_or_value, Value):
        nodes, symbols = _nodes_from_value(expr_or_value)
        return nodes[-1].expr, nodes, symbols
    if isinstance(expr_or_value, sp.Basic) and not isinstance(expr_or_value, sp.MatrixBase):
        return expr_or_value, None, {s.name: s for s in expr_or_value.free_symbols}
    raise TypeError(
        f"expected a sympy expression or a helpers.graph.Value; got "
        f"{type(expr_or_value).__name__} {expr_or_value!r}"
    )


def _resolve_symbol(expr: sp.Expr, wrt, symbols: dict) -> sp.Symbol:
    """The input symbol (in ``symbols``, by name) that ``wrt`` refers to."""
    if isinstance(wrt, Value):
        name = wrt.name
    elif isinstance(wrt, sp.Symbol):
        name = wrt.name
    elif isinstance(wrt, str):
        name = wrt
    else:
        raise TypeError(
            f"wrt must be a sympy Symbol, a symbol name or an input Value; got "
            f"{type(wrt).__name__} {wrt!r}"
        )
    if name not in symbols:
        known = ", ".join(sorted(symbols)) or "none"
        raise ValueError(
            f"cannot differentiate with respect to {name!r}: it does not appear in {expr}; "
            f"its symbols are: {known}"
        )
    return symbols[name]


def derivative(expr_or_value, wrt) -> sp.Expr:
    """sympy.diff of a whole expression (or Value graph) with respect to one symbol.

    Args:
        expr_or_value: sympy expression or Value. wrt: Symbol, symbol name or input Value.

    Raises:
        ValueError: wrt does not appear in the expression.
    """
    expr, _, symbols = _as_expression(expr_or_value)
    return sp.diff(expr, _resolve_symbol(expr, wrt, symbols))


def _local_derivative(expr: sp.Expr, k: int) -> sp.Expr:
    """d expr / d (its k-th argument), treating the other arguments as constants."""
    u = sp.Dummy("u")
    args = list(expr.args)
    original, args[k] = args[k], u
    return sp.diff(expr.func(*args), u).subs(u, original)


def _nodes_from_sympy(expr: sp.Expr) -> list[_Node]:
    """The expression tree as _Nodes in topological order (equal sub-trees shared)."""
    nodes: dict[sp.Basic, _Node] = {}
    stack = [(expr, False)]
    while stack:
        e, inputs_done = stack.pop()
        if e in nodes:
            continue
        if not inputs_done and e.args and not e.is_number:
            if not all(isinstance(a, sp.Expr) for a in e.args):
                raise ValueError(
                    f"unsupported sympy function {type(e).__name__} in {e}: the chain rule "
                    "here needs functions whose arguments are all expressions (no "
                    "conditions, no integration limits)"
                )
            stack.append((e, True))
            stack.extend((a, False) for a in reversed(e.args) if a not in nodes)
            continue
        if e.is_Symbol or e.is_number or not e.args:
            nodes[e] = _Node(str(e), e)
            continue
        inputs = [nodes[a] for a in e.args]
        local_grads = [
            _local_derivative(e, k) if a.free_symbols else sp.Integer(0)
            for k, a in enumerate(e.args)
        ]
        nodes[e] = _Node("", e, inputs, local_grads)
    counter = 0
    for node in nodes.values():
        if not node.name:
            counter += 1
            node.name = f"v{counter}"
    for node in nodes.values():
        if node.inputs:
            named = [i.expr if not i.inputs else sp.Symbol(i.name) for i in node.inputs]
            try:
                node.definition = node.expr.func(*named, evaluate=False)
            except TypeError:  # a function without the evaluate option
                node.definition = node.expr.func(*named)
    return list(nodes.values())


def _latex_name(name: str) -> str:
    return sp.latex(sp.Symbol(name))


def _shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to at most ``limit`` characters, ending in "…" when cut."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class LocalDerivative:
    """One factor of the chain rule: d(node)/d(input) along one edge of the graph.

    The node's other inputs are held fixed. When the node is the output itself and the input
    is the variable differentiated with respect to (the output uses it directly), the factor
    would share its symbol with the total derivative, so it is marked ``direct`` and written
    ``df/dx (direct)``, in LaTeX
    ``\\left.\\frac{\\partial f}{\\partial x}\\right|_{\\text{direct}}``.

    Attributes:
        node (str): the node's name, e.g. "q".
        input (str): the input's name, e.g. "x".
        expression (sympy.Expr): d(node)/d(input), in terms of the input symbols.
        direct (bool): True for the output's direct edge to the variable (see above).
    """

    node: str
    input: str
    expression: sp.Expr
    direct: bool = False

    def symbol_text(self) -> str:
        """E.g. ``"dq/dx"``, or ``"df/dx (direct)"`` for a direct edge."""
        return f"d{self.node}/d{self.input}" + (" (direct)" if self.direct else "")

    def symbol_latex(self) -> str:
        """``\\frac{\\partial q}{\\partial x}``; a direct edge adds ``\\left. ... \\right|``."""
        frac = rf"\frac{{\partial {_latex_name(self.node)}}}{{\partial {_latex_name(self.input)}}}"
        return rf"\left.{frac}\right|_{{\text{{direct}}}}" if self.direct else frac

    def text(self) -> str:
        """E.g. ``"dq/dx = 1"``."""
        return f"{self.symbol_text()} = {self.expression}"

    def latex(self) -> str:
        """E.g. ``"\\frac{\\partial q}{\\partial x} = 1"``."""
        return f"{self.symbol_latex()} = {sp.latex(self.expression)}"

    def __repr__(self) -> str:
        return f"LocalDerivative({_shorten(self.text())})"


class ChainRuleResult:
    """d(output)/d(wrt) derived by the chain rule, one local derivative at a time.

    Notation: ``df/dx`` (LaTeX ``\\frac{\\partial f}{\\partial x}``) on the left of the chain is
    the total derivative, summed over every path from f down to x. Each factor ``dq/dv`` is a
    local derivative: one node with respect to one of its direct inputs, the node's other
    inputs held fixed. If f uses x directly (f = x*y + x), that edge's local derivative is
    written ``df/dx (direct)``, in LaTeX
    ``\\left.\\frac{\\partial f}{\\partial x}\\right|_{\\text{direct}}``, so it cannot be
    mistaken for the total: ``df/dx = df/dp * dp/dx + df/dx (direct)``.

    Attributes:
        output (sympy.Expr): the whole expression f.
        wrt (sympy.Symbol): the input differentiated with respect to.
        output_name (str): the name of f in the renderings (default "f").
        gradient (sympy.Expr): the chain-rule result, accumulated the backprop way (each
            node's gradient = sum over its users of user gradient * local derivative); it
            equals the sum over ``paths`` of the product of their factors.
        definitions (list[tuple[str, sympy.Expr]]): every intermediate node in terms of
            its inputs' names, e.g. ("q", x + y), in topological order.
        paths (list[list[LocalDerivative]]): every path from the output down to wrt, as
            its chain of factors (computed on first use; at most ``max_paths`` paths).
        factors (list[LocalDerivative]): every local derivative on those paths, once each.
    """

    def __init__(self, nodes: list[_Node], wrt: sp.Symbol, output_name: str, max_paths: int):
        self._nodes = nodes
        self.output = nodes[-1].expr
        self.wrt = wrt
        self.output_name = output_name
        self.max_paths = max_paths
        self._name = {id(n): n.name for n in nodes}
        self._name[id(nodes[-1])] = output_name
        self._leaf = next(n for n in nodes if not n.inputs and n.expr == wrt)
        self._depends = {}  # does the node depend on wrt (is there a path down to it)?
        for n in nodes:
            self._depends[id(n)] = n is self._leaf or any(self._depends[id(i)] for i in n.inputs)
        gradient_of = {id(nodes[-1]): sp.Integer(1)}  # backward: output first
        for node in reversed(nodes):
            if id(node) not in gradient_of:
                continue
            for inp, local_grad in self._edges(node):
                product = gradient_of[id(node)] * local_grad
                gradient_of[id(inp)] = gradient_of.get(id(inp), 0) + product
        self.gradient = sp.sympify(gradient_of.get(id(self._leaf), 0))
        self.definitions = [
            (self._name[id(n)], n.definition) for n in nodes if n.definition is not None
        ]

    def _edges(self, node: _Node):
        """(input, local derivative) for the inputs of node that depend on wrt."""
        return [
            (inp, local_grad)
            for inp, local_grad in zip(node.inputs, node.local_grads, strict=True)
            if self._depends[id(inp)]
        ]

    @cached_property
    def paths(self) -> list[list[LocalDerivative]]:
        """Every path from the output down to wrt, each as its list of factors."""
        count = {}
        for node in self._nodes:  # number of paths from each node down to wrt
            count[id(node)] = 1 if node is self._leaf else sum(
                count[id(inp)] for inp, _ in self._edges(node)
            )
        if count[id(self._nodes[-1])] > self.max_paths:
            raise ValueError(
                f"the graph has {count[id(self._nodes[-1])]} paths from the output to "
                f"{self.wrt}, more than max_paths={self.max_paths}; use .gradient, which "
                "sums them the backprop way without listing them"
            )
        paths = []
        stack = [(self._nodes[-1], [])]
        while stack:
            node, factors = stack.pop()
            if node is self._leaf:
                paths.append(factors)
                continue
            for inp, local_grad in reversed(self._edges(node)):
                factor = LocalDerivative(
                    self._name[id(node)], self._name[id(inp)], local_grad,
                    direct=node is self._nodes[-1] and inp is self._leaf,
                )
                stack.append((inp, [*factors, factor]))
        return paths

    @property
    def factors(self) -> list[LocalDerivative]:
        """Every distinct local derivative on the paths, in the order first met."""
        seen, result = set(), []
        for path in self.paths:
            for factor in path:
                key = (factor.node, factor.input, factor.expression)
                if key not in seen:
                    seen.add(key)
                    result.append(factor)
        return result

    @property
    def path_products(self) -> list[sp.Expr]:
        """The product of the factors of each path."""
        return [sp.Mul(*(f.expression for f in path)) for path in self.paths]

    @property
    def expected(self) -> sp.Expr:
        """sympy.diff of the whole output expression with respect to wrt."""
        return sp.diff(self.output, self.wrt)

    def matches_diff(self) -> bool:
        """True if the chain-rule gradient simplifies to sympy.diff of the whole output."""
        return expressions_equal(self.gradient, self.expected)

    def check(self) -> None:
        """Raise AssertionError unless the chain-rule gradient equals sympy.diff."""
        assert_expressions_equal(
            self.gradient, self.expected,
            f"the chain-rule d{self.output_name}/d{self.wrt} and sympy.diff",
        )

    def text(self) -> str:
        """Several lines: the intermediate nodes, the chain of factors, the result."""
        out, x = self.output_name, self.wrt.name
        lines = [f"{name} = {definition}" for name, definition in self.definitions]
        chains = " + ".join(
            " * ".join(f.symbol_text() for f in path) or "1" for path in self.paths
        )
        lines.append(f"d{out}/d{x} = {chains}")
        lines += [f"  {f.text()}" for f in self.factors]
        lines.append(f"d{out}/d{x} = {self.gradient}")
        return "\n".join(lines)

    def latex(self) -> str:
        """An ``aligned`` LaTeX block: definitions, chain of factors, factors, result."""
        out, x = _latex_name(self.output_name), _latex_name(self.wrt.name)
        lines = [f"{_latex_name(n)} &= {sp.latex(d)}" for n, d in self.definitions]
        d_out = rf"\frac{{\partial {out}}}{{\partial {x}}}"
        symbols = " + ".join(
            r"\,".join(f.symbol_latex() for f in path) or "1" for path in self.paths
        )
        values = " + ".join(
            r" \cdot ".join(rf"\left({sp.latex(f.expression)}\right)" for f in path) or "1"
            for path in self.paths
        )
        lines.append(f"{d_out} &= {symbols}")
        lines.append(f"&= {values}")
        lines.append(f"&= {sp.latex(self.gradient)}")
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def __repr__(self) -> str:
        return f"ChainRuleResult({_shorten(f'd{self.output_name}/d{self.wrt} = {self.gradient}')})"


def chain_rule_gradient(
    expr_or_value, wrt, *, output_name: str | None = None, max_paths: int = 1000
) -> ChainRuleResult:
    """Derive d(output)/d(wrt) by the chain rule, one local derivative at a time.

    For a Value graph the nodes and local derivatives are the graph's own operations
    (the same rules as helpers.graph); for a sympy expression they are the nodes of its
    expression tree (equal sub-expressions shared), each local derivative taken with the
    node's other arguments held fixed.

    Args:
        expr_or_value: sympy expression or the output Value of a graph.
        wrt: the input: a sympy Symbol, its name, or an input Value.
        output_name: the name of the output in d(output)/d(wrt); default the Value's label,
            else "f".
        max_paths: the most paths ``.paths`` will list.

    Returns:
        ChainRuleResult with .gradient, .paths, .factors, .matches_diff(), .check().

    Raises:
        TypeError: not an expression/Value. ValueError: wrt is not in the expression.
    """
    expr, nodes, symbols = _as_expression(expr_or_value)
    symbol = _resolve_symbol(expr, wrt, symbols)
    if nodes is None:
        nodes = _nodes_from_sympy(expr)
    if output_name is None:
        label = expr_or_value.label if isinstance(expr_or_value, Value) else ""
        output_name = label or "f"
    return ChainRuleResult(nodes, symbol, output_name, max_paths)


# ----------------------------------------------------------------------------------------
# 3. Activations and losses
# ----------------------------------------------------------------------------------------
def activation_expression(name: str, z):
    """The activation ``name`` applied to z (a sympy expression; softmax: a 1-row Matrix).

    sigmoid 1/(1 + exp(-z)), tanh(z), relu Max(0, z), identity z, softmax exp(z_j)/sum.
    """
    if name == "sigmoid":
        return sigmoid_expression(z)
    if name == "tanh":
        return sp.tanh(z)
    if name == "relu":
        return sp.Max(0, z)
    if name == "identity":
        return z
    if name == "softmax":
        z = sp.Matrix(z)
        e = z.applyfunc(sp.exp)
        return e / sum(e)
    raise ValueError(f"unknown activation {name!r}; valid: {', '.join(ACTIVATION_NAMES)}")


@dataclass
class DerivativeCheck:
    """A textbook derivative side by side with sympy.diff of the function itself.

    Attributes:
        name (str): e.g. "sigmoid", "softmax Jacobian", "mse".
        variables (tuple[sympy.Symbol, ...]): what is differentiated with respect to.
        expression: the function (sympy expression, or Matrix for softmax).
        rule: the textbook derivative, e.g. s (1 - s), written out in the variables
            (a Matrix for vector derivatives, shaped like the variables).
        diff: sympy's own derivative of ``expression`` (same shape as ``rule``).
        rule_latex (str): the rule as taught, e.g. ``\\sigma'(z) = s\\,(1 - s)``.
        assumption (str): a condition the rule needs ("" if none).
    """

    name: str
    variables: tuple
    expression: object
    rule: object
    diff: object
    rule_latex: str
    assumption: str = ""

    def equal(self) -> bool:
        """True if rule - diff simplifies to 0 (entry by entry)."""
        return expressions_equal(self.rule, self.diff)

    def check(self) -> None:
        """Raise AssertionError unless ``equal()``."""
        assert_expressions_equal(self.rule, self.diff, f"the {self.name} rule and sympy.diff")

    def latex(self) -> str:
        """The rule and sympy's derivative, e.g. for a notebook's Markdown."""
        extra = rf"\quad\text{{({self.assumption})}}" if self.assumption else ""
        return rf"{self.rule_latex}{extra}"

    def _status(self) -> tuple[str, str]:
        """("✓", "=") if the rule equals sympy.diff, else ("✗", "≠")."""
        return ("✓", "=") if self.equal() else ("✗", "≠")

    def __repr__(self) -> str:
        mark, relation = self._status()
        names = [str(v) for v in self.variables]
        wrt = names[0] if len(names) == 1 else f"{len(names)} variables"
        return f"DerivativeCheck({self.name} (wrt {wrt}): rule {relation} sympy.diff {mark})"

    def _repr_latex_(self) -> str:
        mark, relation = self._status()
        relation = "=" if relation == "=" else r"\neq"
        return (rf"$${self.latex()}\qquad\text{{rule}} {relation} \text{{sympy.diff}}"
                rf"\ \text{{{mark}}}$$")


def activation_derivative(name: str) -> DerivativeCheck:
    """The derivative of one element-wise activation, checked against sympy.diff.

    Args:
        name: "sigmoid" (s (1 - s)), "tanh" (1 - tanh^2), "relu" (the Heaviside step),
            or "identity" (1). Softmax has a Jacobian: see softmax_jacobian_derivative.

    Returns:
        DerivativeCheck with scalar expression, rule and diff in the real symbol z.
    """
    z = sp.Symbol("z", real=True)
    if name == "softmax":
        raise ValueError("softmax has a Jacobian, not an element-wise derivative; use "
                         "softmax_jacobian_derivative()")
    f = activation_expression(name, z)
    rules = {
        "sigmoid": (f * (1 - f), r"\sigma'(z) = s\,(1 - s),\quad s = \sigma(z)"),
        "tanh": (1 - sp.tanh(z) ** 2, r"\tanh'(z) = 1 - \tanh^2(z)"),
        "relu": (sp.Heaviside(z), r"\operatorname{ReLU}'(z) = H(z) = [z > 0]"),
        "identity": (sp.Integer(1), r"\operatorname{id}'(z) = 1"),
    }
    rule, rule_latex = rules[name]
    return DerivativeCheck(name, (z,), f, rule, sp.diff(f, z), rule_latex)


def softmax_jacobian_derivative(k: int = 3) -> DerivativeCheck:
    """The softmax Jacobian ds_i/dz_j = s_i (delta_ij - s_j), checked against sympy.diff.

    Args:
        k: number of classes (>= 2).

    Returns:
        DerivativeCheck whose rule and diff are (k, k) Matrices: rule = diag(s) - s s^T.
    """
    if not isinstance(k, int) or k < 2:
        raise ValueError(f"k must be an int >= 2; got {k!r}")
    z = sp.symbols(f"z_1:{k + 1}", real=True)
    s = activation_expression("softmax", sp.Matrix(z))  # (k, 1)
    rule = sp.diag(*s) - s * s.T
    return DerivativeCheck(
        "softmax Jacobian", tuple(z), s, rule, s.jacobian(z),
        r"\frac{\partial s_i}{\partial z_j} = s_i\,(\delta_{ij} - s_j),"
        r"\quad J = \operatorname{diag}(s) - s\,s^{\mathsf{T}}",
    )


def _symbol_matrix(letter: str, n: int, k: int) -> sp.Matrix:
    """(n, k) Matrix of real symbols letter_{j} (n == 1) or letter_{i,j}."""
    def name(i, j):
        return f"{letter}_{{{j + 1}}}" if n == 1 else f"{letter}_{{{i + 1},{j + 1}}}"

    return sp.Matrix(n, k, lambda i, j: sp.Symbol(name(i, j), real=True))


def loss_derivative(name: str, n_samples: int = 1, n_outputs: int = 2) -> DerivativeCheck:
    """The gradient of a loss with respect to its input, checked against sympy.diff.

    Args:
        name: "mse": L = (1/n) sum 0.5 (p - y)^2, gradient (p - y) / n;
            "binary_cross_entropy": L = -(1/n) sum [y log p + (1 - y) log(1 - p)],
            gradient (p - y) / (p (1 - p)) / n;
            "softmax_cross_entropy": L = -(1/n) sum y log softmax(z), gradient
            (softmax(z) - y) / n for labels y whose rows sum to 1 (the last label of each
            row is written as 1 minus the others, so the check proves it).
        n_samples, n_outputs: the shape (n, k) of the prediction.

    Returns:
        DerivativeCheck whose rule and diff are (n, k) Matrices.
    """
    if name not in LOSS_NAMES:
        raise ValueError(f"unknown loss {name!r}; valid: {', '.join(LOSS_NAMES)}")
    for count, label in ((n_samples, "n_samples"), (n_outputs, "n_outputs")):
        if not isinstance(count, int) or count < 1:
            raise ValueError(f"{label} must be a positive int; got {count!r}")
    n, k = n_samples, n_outputs
    y = _symbol_matrix("y", n, k)
    if name == "mse":
        p = _symbol_matrix(r"\hat{y}", n, k)
        loss = _mean_loss(name, p, y)
        rule = (p - y) / n
        rule_latex = r"\frac{\partial L}{\partial \hat{y}} = \frac{\hat{y} - y}{n}"
        assumption = ""
    elif name == "binary_cross_entropy":
        p = _symbol_matrix("p", n, k)
        loss = _mean_loss(name, p, y)
        rule = sp.Matrix(n, k, lambda i, j: (p[i, j] - y[i, j]) / (p[i, j] * (1 - p[i, j]) * n))
        rule_latex = r"\frac{\partial L}{\partial p} = \frac{p - y}{n\,p\,(1 - p)}"
        assumption = ""
    else:
        p = _symbol_matrix("z", n, k)
        last = {y[i, k - 1]: 1 - sum(y[i, j] for j in range(k - 1)) for i in range(n)}
        y = y.subs(last)  # each row of labels sums to 1
        s = sp.Matrix.vstack(*(activation_expression("softmax", p.row(i)) for i in range(n)))
        loss = -sum(y[i, j] * sp.log(s[i, j]) for i in range(n) for j in range(k)) / n
        rule = (s - y) / n
        rule_latex = (
            r"\frac{\partial L}{\partial z} = \frac{\operatorname{softmax}(z) - y}{n}"
        )
        assumption = "each row of labels y sums to 1"
    diff = sp.Matrix(n, k, lambda i, j: sp.diff(loss, p[i, j]))
    return DerivativeCheck(name, tuple(p), loss, rule, diff, rule_latex, assumption)


def _mean_loss(name: str, prediction: sp.Matrix, target: sp.Matrix) -> sp.Expr:
    """The loss of an (n, k) batch: the mean over its rows of the one-sample loss."""
    rows = range(prediction.rows)
    return sum(_sample_loss(name, list(prediction.row(i)), list(target.row(i)))
               for i in rows) / prediction.rows


def all_derivative_checks() -> list[DerivativeCheck]:
    """Every activation derivative, the softmax Jacobian and every loss gradient."""
    checks = [activation_derivative(name) for name in ("identity", "relu", "sigmoid", "tanh")]
    checks.append(softmax_jacobian_derivative())
    checks += [loss_derivative(name) for name in LOSS_NAMES]
    return checks


# ----------------------------------------------------------------------------------------
# 4. A small network in symbols
# ----------------------------------------------------------------------------------------
@dataclass
class GradientRow:
    """One parameter entry compared three ways.

    Attributes:
        name (str): e.g. "W1[0, 1]" (Dense layer 1, input 0, neuron 1) or "b2[0]".
        symbol (sympy.Symbol): the entry's symbol, e.g. w^{(1)}_{12}.
        symbolic (float): the symbolic gradient evaluated at the numbers (batch mean).
        backprop (float): the package's backward pass (helpers.network).
        numeric (float): central differences (helpers.gradcheck.numeric_gradient).
        relative_error (float): the largest pairwise relative error of the three.
    """

    name: str
    symbol: sp.Symbol
    symbolic: float
    backprop: float
    numeric: float
    relative_error: float

    def __repr__(self) -> str:
        return (f"GradientRow({self.name}: symbolic {self.symbolic:.8g}, backprop "
                f"{self.backprop:.8g}, numeric {self.numeric:.8g}, relative error "
                f"{format_relative_error(self.relative_error)})")


@dataclass
class GradientReport:
    """Side-by-side gradients of every weight and bias: symbolic, backprop, numeric.

    Attributes:
        rows (list[GradientRow]): one per parameter entry, layer by layer, W before b.
        loss (float): the loss at these numbers.
        loss_name (str): e.g. "mse".
        error_bound (float | None): the tables show a relative error below this bound as
            "< 1e-7" (its digits are floating-point rounding and differ between machines);
            None shows every value, e.g. "3.1e-10".
    """

    rows: list[GradientRow]
    loss: float
    loss_name: str
    error_bound: float | None = 1e-7

    def _error(self, error: float) -> str:
        if self.error_bound is None:
            return f"{error:.1e}"
        return format_relative_error(error, self.error_bound)

    @property
    def worst_relative_error(self) -> float:
        """The largest relative error over all rows."""
        return max(row.relative_error for row in self.rows)

    def passed(self, tol: float = 1e-6) -> bool:
        """True if every row's relative error is below tol."""
        return self.worst_relative_error < tol

    _HEADER = ("parameter", "symbolic", "backprop", "numeric", "rel. error")

    def _cells(self, row: GradientRow) -> tuple[str, ...]:
        return (row.name, f"{row.symbolic:.8g}", f"{row.backprop:.8g}", f"{row.numeric:.8g}",
                self._error(row.relative_error))

    def to_text(self) -> str:
        """A plain-text table, one row per parameter entry, and the worst error."""
        table = [self._HEADER] + [self._cells(row) for row in self.rows]
        widths = [max(len(r[c]) for r in table) for c in range(len(self._HEADER))]
        lines = ["  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True))
                 for r in table]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(f"loss ({self.loss_name}) = {self.loss:.8g}; "
                     f"largest relative error {self._relation()}")
        return "\n".join(lines)

    def to_html(self) -> str:
        """The same table as HTML (shown by Jupyter)."""
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self._HEADER)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in self._cells(row)) + "</tr>"
            for row in self.rows
        )
        caption = (f"loss ({html.escape(self.loss_name)}) = {self.loss:.8g}; largest "
                   f"relative error {html.escape(self._relation())}")
        return (f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
                f"<tbody>{body}</tbody></table>")

    def _relation(self) -> str:
        """ "< 1e-7" or "= 3.1e-05", for the largest relative error."""
        text = self._error(self.worst_relative_error)
        return text if text.startswith("<") else f"= {text}"

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return (f"GradientReport({len(self.rows)} parameter entries, loss ({self.loss_name}) "
                f"= {self.loss:.8g}, largest relative error {self._relation()})")

    def _repr_html_(self) -> str:
        return self.to_html()


def _index(*numbers: int) -> str:
    """Subscript of symbol names: "12" for small indices, "1,12" when one is >= 10."""
    return ("," if any(n >= 10 for n in numbers) else "").join(str(n) for n in numbers)


class SymbolicNetwork:
    """A small fully connected network written out entry by entry in symbols.

    Layer l (1-based) is z^{(l)}_j = sum_i a^{(l-1)}_i w^{(l)}_{ij} + b^{(l)}_j followed by
    a^{(l)} = f(z^{(l)}), with a^{(0)} = x; the same as helpers.network.build_network(sizes,
    hidden=..., output=...), where W_l[i-1, j-1] is w^{(l)}_{ij}. The loss is one sample's
    loss as in helpers.losses (the batch loss is its mean over samples).

    Args:
        sizes: [n_inputs, hidden sizes..., n_outputs], e.g. [2, 2, 1] or [2, 3, 2].
        hidden, output: activation names ("identity", "relu", "sigmoid", "softmax", "tanh").
        loss: "mse", "binary_cross_entropy" or "softmax_cross_entropy" (on the output as
            logits, as helpers.losses does).

    Attributes:
        x (list[Symbol]): x_1 .. x_n. y (list[Symbol]): y_1 .. y_k, the target.
        weights (list[Matrix]): per layer, (n_in, n_out) symbols w^{(l)}_{ij}.
        biases (list[Matrix]): per layer, (1, n_out) symbols b^{(l)}_{j}.
        pre_activations, activations (list[Matrix]): per layer, (1, n_out) expressions.
        output (Matrix): (1, n_outputs), the last activation.
        loss (Expr): one sample's loss.
        parameters (dict[str, Symbol]): "W1[0, 1]" -> w^{(1)}_{12}, ..., "b1[0]" -> b^{(1)}_{1}.
        gradients (dict[str, Expr]): dL/d(parameter) by sympy.diff (computed on first use).
    """

    def __init__(self, sizes, *, hidden: str = "tanh", output: str = "identity",
                 loss: str = "mse"):
        sizes = list(sizes)
        if len(sizes) < 2 or not all(isinstance(s, int) and s >= 1 for s in sizes):
            raise ValueError(f"sizes must be >= 2 positive ints [n_inputs, ..., n_outputs]; "
                             f"got {sizes}")
        for label, name in (("hidden", hidden), ("output", output)):
            if name not in ACTIVATION_NAMES:
                raise ValueError(f"unknown {label} activation {name!r}; valid: "
                                 f"{', '.join(ACTIVATION_NAMES)}")
        if loss not in LOSS_NAMES:
            raise ValueError(f"unknown loss {loss!r}; valid: {', '.join(LOSS_NAMES)}")
        self.sizes, self.hidden, self.output_activation, self.loss_name = (
            sizes, hidden, output, loss)
        self.x = [sp.Symbol(f"x_{{{i + 1}}}", real=True) for i in range(sizes[0])]
        self.y = [sp.Symbol(f"y_{{{j + 1}}}", real=True) for j in range(sizes[-1])]
        self.weights, self.biases = [], []
        self.pre_activations, self.activations = [], []
        self.parameters: dict[str, sp.Symbol] = {}
        a = sp.Matrix([self.x])
        for l, (n_in, n_out) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
            W = sp.Matrix(n_in, n_out, lambda i, j, l=l: sp.Symbol(
                f"w^{{({l})}}_{{{_index(i + 1, j + 1)}}}", real=True))
            b = sp.Matrix(1, n_out, lambda _, j, l=l: sp.Symbol(
                f"b^{{({l})}}_{{{j + 1}}}", real=True))
            self.parameters.update({f"W{l}[{i}, {j}]": W[i, j]
                                    for i in range(n_in) for j in range(n_out)})
            self.parameters.update({f"b{l}[{j}]": b[j] for j in range(n_out)})
            z = a * W + b
            name = output if l == len(sizes) - 1 else hidden
            a = _apply_activation(name, z)
            self.weights.append(W)
            self.biases.append(b)
            self.pre_activations.append(z)
            self.activations.append(a)
        self.output = a
        self.loss = _sample_loss(loss, list(a), self.y)

    @classmethod
    def from_network(cls, network, loss: str = "mse") -> SymbolicNetwork:
        """The SymbolicNetwork with the structure of a helpers.network.Network.

        The network must be Dense layers each followed by one ActivationLayer (as made by
        build_network), all hidden activations the same.
        """
        layers = list(network.layers)
        sizes, activations = [], []
        for k in range(0, len(layers), 2):
            dense = layers[k]
            after = layers[k + 1] if k + 1 < len(layers) else None
            if not isinstance(dense, Dense) or not isinstance(after, ActivationLayer):
                raise ValueError(f"network must alternate Dense and ActivationLayer (as "
                                 f"build_network makes); got {network!r}")
            sizes = sizes or [dense.n_in]
            sizes.append(dense.n_out)
            activations.append(after.activation.name)
        if len(set(activations[:-1])) > 1:
            raise ValueError(f"the hidden activations differ ({activations[:-1]}); "
                             "expected one hidden activation")
        hidden = activations[0] if len(activations) > 1 else "tanh"
        return cls(sizes, hidden=hidden, output=activations[-1], loss=loss)

    def __repr__(self) -> str:
        return (f"SymbolicNetwork({self.sizes}, hidden={self.hidden!r}, "
                f"output={self.output_activation!r}, loss={self.loss_name!r}: "
                f"{len(self.parameters)} parameters)")

    @cached_property
    def gradients(self) -> dict[str, sp.Expr]:
        """dL/d(parameter) for every parameter name, by sympy.diff of the whole loss."""
        return {name: sp.diff(self.loss, symbol) for name, symbol in self.parameters.items()}

    def chain_rule(self, parameter: str) -> ChainRuleResult:
        """chain_rule_gradient of the loss with respect to one parameter, e.g. "W1[0, 1]"."""
        return chain_rule_gradient(self.loss, self._symbol(parameter), output_name="L")

    def _symbol(self, parameter: str) -> sp.Symbol:
        if parameter not in self.parameters:
            raise ValueError(f"unknown parameter {parameter!r}; valid: "
                             f"{', '.join(self.parameters)}")
        return self.parameters[parameter]

    @cached_property
    def _functions(self):
        args = [self.x, self.y, list(self.parameters.values())]
        # sympy's Heaviside(0) is 1/2; helpers.activations takes ReLU's slope at exactly 0
        # as 0, so the numbers use Heaviside(z, 0) to agree with the package's backward pass
        gradients = [_relu_slope_zero_at_kink(g) for g in self.gradients.values()]
        loss = sp.lambdify(args, self.loss, modules="numpy", cse=True)
        grads = sp.lambdify(args, gradients, modules="numpy", cse=True)
        return loss, grads

    def _numbers(self, X, y, network):
        """Columns of X and y, and the parameter values of network, as lambdify args."""
        X = as_float_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(f"X has shape {X.shape}; expected (n_samples, {self.sizes[0]})")
        Y = self._targets(y, len(X))
        values = []
        dense = [layer for layer in network.layers if hasattr(layer, "W")]
        if [d.W.shape for d in dense] != [W.shape for W in self.weights]:
            raise ValueError(f"network {network!r} does not have the layer sizes {self.sizes}")
        for layer in dense:
            values += list(layer.W.ravel()) + list(layer.b)
        order = {name: k for k, name in enumerate(self._parameter_names_by_layer())}
        values = [values[order[name]] for name in self.parameters]
        return [list(X.T), list(Y.T), values], X, Y

    def _parameter_names_by_layer(self) -> list[str]:
        names = []
        for l, W in enumerate(self.weights, start=1):
            names += [f"W{l}[{i}, {j}]" for i in range(W.rows) for j in range(W.cols)]
            names += [f"b{l}[{j}]" for j in range(W.cols)]
        return names

    def _targets(self, y, n: int) -> np.ndarray:
        """y as an (n, n_outputs) float array (class indices -> one-hot for softmax CE)."""
        k = self.sizes[-1]
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.ndim == 1 and self.loss_name == "softmax_cross_entropy" and k > 1:
            y = np.eye(k)[check_class_indices(y, "y", k)]
        y = y.reshape(len(y), -1)
        if y.shape != (n, k):
            raise ValueError(f"y has shape {y.shape}; expected ({n}, {k}) or ({n},)")
        return y

    def evaluate(self, X, y, network) -> tuple[float, dict[str, float]]:
        """The batch loss and its symbolic gradient at these numbers.

        Args:
            X: (n, n_inputs) inputs. y: (n, n_outputs) targets (or (n,) class labels for
                softmax cross-entropy, or (n,) when n_outputs == 1).
            network: a helpers.network.Network with this structure, giving W and b.

        Returns:
            (loss, {parameter name: dL/dparameter}), both averaged over the n samples.
        """
        args, X, _ = self._numbers(X, y, network)
        loss_function, grad_function = self._functions
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            loss = float(np.mean(np.broadcast_to(loss_function(*args), (len(X),))))
            grads = [float(np.mean(np.broadcast_to(g, (len(X),)))) for g in grad_function(*args)]
        if not all(map(math.isfinite, [loss, *grads])):
            raise ValueError("the symbolic formulas overflowed at these numbers; use inputs "
                             "and weights of moderate size")
        return loss, dict(zip(self.parameters, grads, strict=True))

    def compare(self, X, y, network=None, *, rng=0, h: float = 1e-6) -> GradientReport:
        """Every parameter's gradient three ways: symbolic, backprop and numeric.

        Args:
            X: (n, n_inputs). y: targets as for helpers.losses.
            network: a helpers.network.Network with this structure; default
                build_network(sizes, hidden=..., output=..., rng=rng).
            h: step of the central differences.

        Returns:
            GradientReport: rows named like "W1[0, 1]", with the largest relative error.
        """
        if network is None:
            network = build_network(self.sizes, hidden=self.hidden,
                                    output=self.output_activation, rng=rng)
        other = SymbolicNetwork.from_network(network, self.loss_name)
        if (other.sizes, other.output_activation) != (self.sizes, self.output_activation) or (
            len(self.sizes) > 2 and other.hidden != self.hidden
        ):
            raise ValueError(
                f"network {network!r} does not match sizes={self.sizes}, hidden="
                f"{self.hidden!r}, output={self.output_activation!r}"
            )
        loss_value, symbolic = self.evaluate(X, y, network)
        _, X, Y = self._numbers(X, y, network)
        loss = get_loss(self.loss_name)
        network.backward(loss.gradient(network.forward(X), Y))
        backprop, numeric = {}, {}
        l = 0
        for parameter in network.parameters():
            if parameter.name == "W":
                l += 1
            numbers = numeric_gradient(lambda _: loss.value(network.forward(X), Y),
                                       parameter.value, h=h)
            for index in np.ndindex(parameter.value.shape):
                name = f"{parameter.name}{l}[{', '.join(map(str, index))}]"
                backprop[name], numeric[name] = parameter.grad[index], numbers[index]
        rows = []
        for name, symbol in self.parameters.items():
            values = (symbolic[name], float(backprop[name]), float(numeric[name]))
            error = max(relative_error(a, b, floor=1e-8)
                        for a, b in ((values[0], values[1]), (values[0], values[2]),
                                     (values[1], values[2])))
            rows.append(GradientRow(name, symbol, *values, error))
        return GradientReport(rows, loss_value, self.loss_name)

    def backprop_equations(self) -> list[tuple[sp.Symbol, sp.Expr]]:
        """The forward and backward passes as a list of assignments with named values.

        Every intermediate (z, a, the loss L, delta = dL/dz, dW, db) gets its own symbol,
        so each value is computed once and reused: this is what backprop evaluates.

        Returns:
            list of (Symbol, expression), in the order they are computed; an expression
            uses only x, y, the parameters and symbols assigned before it.
        """
        equations = []
        a_prev = list(self.x)
        a_symbols, z_symbols = [], []
        for l, (W, b) in enumerate(zip(self.weights, self.biases, strict=True), start=1):
            z = [sp.Symbol(f"z^{{({l})}}_{{{j + 1}}}", real=True) for j in range(W.cols)]
            a = [sp.Symbol(f"a^{{({l})}}_{{{j + 1}}}", real=True) for j in range(W.cols)]
            for j in range(W.cols):
                equations.append((z[j], sum(a_prev[i] * W[i, j] for i in range(W.rows))
                                  + b[j]))
            name = self.output_activation if l == len(self.weights) else self.hidden
            for j, value in enumerate(_apply_activation(name, sp.Matrix([z]))):
                equations.append((a[j], value))
            z_symbols.append(z)
            a_symbols.append(a)
            a_prev = a
        loss_symbol = sp.Symbol("L", real=True)
        equations.append((loss_symbol, _sample_loss(self.loss_name, a_prev, self.y)))
        # backward: delta = dL/dz, layer by layer from the output
        upstream = [sp.diff(equations[-1][1], a_j) for a_j in a_prev]  # dL/da, last layer
        for l in range(len(self.weights), 0, -1):
            name = self.output_activation if l == len(self.weights) else self.hidden
            delta = [sp.Symbol(rf"\delta^{{({l})}}_{{{j + 1}}}", real=True)
                     for j in range(len(upstream))]
            for j, value in enumerate(_activation_backward(name, z_symbols[l - 1],
                                                           a_symbols[l - 1], upstream)):
                equations.append((delta[j], value))
            inputs = self.x if l == 1 else a_symbols[l - 2]
            W = self.weights[l - 1]
            for i in range(W.rows):
                for j in range(W.cols):
                    equations.append((sp.Symbol(f"dW{l}[{i}, {j}]"), inputs[i] * delta[j]))
            for j in range(W.cols):
                equations.append((sp.Symbol(f"db{l}[{j}]"), delta[j]))
            upstream = [sum(W[i, j] * delta[j] for j in range(W.cols)) for i in range(W.rows)]
        return equations


def _relu_slope_zero_at_kink(expr: sp.Expr) -> sp.Expr:
    """expr with every Heaviside(a) (1/2 at a = 0) replaced by Heaviside(a, 0)."""
    return expr.replace(sp.Heaviside, lambda a, *_: sp.Heaviside(a, 0))


def _apply_activation(name: str, z: sp.Matrix) -> sp.Matrix:
    """The activation applied to a (1, k) Matrix of pre-activations."""
    if name == "softmax":
        return activation_expression("softmax", z).reshape(1, len(z))
    return z.applyfunc(lambda entry: activation_expression(name, entry))


def _activation_backward(name, z, a, upstream):
    """dL/dz from dL/da, written with the stored a (or z) as backprop does: lists of k."""
    if name == "softmax":
        dot = sum(g * s for g, s in zip(upstream, a, strict=True))
        return [s * (g - dot) for g, s in zip(upstream, a, strict=True)]
    local = {
        "identity": lambda z_j, a_j: 1,
        "relu": lambda z_j, a_j: sp.Heaviside(z_j),
        "sigmoid": lambda z_j, a_j: a_j * (1 - a_j),
        "tanh": lambda z_j, a_j: 1 - a_j**2,
    }[name]
    return [g * local(z_j, a_j) for g, z_j, a_j in zip(upstream, z, a, strict=True)]


def _sample_loss(name: str, prediction: list, target: list) -> sp.Expr:
    """One sample's loss, as helpers.losses computes it for n = 1."""
    if name == "mse":
        return sum((p - t) ** 2 for p, t in zip(prediction, target, strict=True)) / 2
    if name == "binary_cross_entropy":
        return -sum(t * sp.log(p) + (1 - t) * sp.log(1 - p)
                    for p, t in zip(prediction, target, strict=True))
    # softmax cross-entropy on logits: -sum y_j log softmax(z)_j = -sum y_j (z_j - log sum e^z)
    log_total = sp.log(sum(sp.exp(p) for p in prediction))
    return -sum(t * (p - log_total) for p, t in zip(prediction, target, strict=True))


# ----------------------------------------------------------------------------------------
# 5. Expression size: written out in full vs the chain rule with shared values
# ----------------------------------------------------------------------------------------
@dataclass
class SizeRow:
    """Operation counts (sympy.count_ops) for one network depth.

    Attributes:
        depth (int): number of Dense layers.
        expanded_ops (int): all gradients, each written out in full in x, y and parameters.
        chain_rule_ops (int): the backprop equations, every intermediate value named once.
        ratio (float): expanded_ops / chain_rule_ops.
        cse_ops (int): the expanded gradients after sympy.cse, which shares repeated
            sub-expressions automatically but does not find backprop's deltas.
    """

    depth: int
    expanded_ops: int
    chain_rule_ops: int
    ratio: float
    cse_ops: int = 0

    def __repr__(self) -> str:
        return (f"SizeRow(depth {self.depth}: expanded {self.expanded_ops} ops, chain rule "
                f"{self.chain_rule_ops} ops, ratio {format_number(self.ratio)}, "
                f"cse {self.cse_ops} ops)")


def expression_size_table(max_depth: int = 6, width: int = 2, *, activation: str = "tanh",
                          loss: str = "mse") -> list[SizeRow]:
    """Why backprop reuses the forward pass: formula sizes for networks of growing depth.

    For depth d = 1 .. max_depth, a chain of d Dense layers of ``width`` neurons (input
    width too), each followed by ``activation``, with ``loss``. The expanded count grows
    exponentially with depth; the chain-rule count only linearly.

    Returns:
        list[SizeRow], one per depth.
    """
    if not isinstance(max_depth, int) or max_depth < 1:
        raise ValueError(f"max_depth must be a positive int; got {max_depth!r}")
    rows = []
    for depth in range(1, max_depth + 1):
        network = SymbolicNetwork([width] * (depth + 1), hidden=activation,
                                  output=activation, loss=loss)
        gradients = list(network.gradients.values())
        expanded = sum(sp.count_ops(g) for g in gradients)
        chain = sum(sp.count_ops(rhs) for _, rhs in network.backprop_equations())
        replacements, reduced = sp.cse(gradients)
        shared = sum(sp.count_ops(rhs) for _, rhs in replacements)
        shared += sum(sp.count_ops(g) for g in reduced)
        rows.append(SizeRow(depth, int(expanded), int(chain), expanded / chain, int(shared)))
    return rows


def format_size_table(rows: list[SizeRow]) -> str:
    """The rows of expression_size_table as a small text table."""
    lines = ["depth  expanded_ops  chain_rule_ops   ratio  cse_ops"]
    lines += [f"{r.depth:>5}  {r.expanded_ops:>12}  {r.chain_rule_ops:>14}  "
              f"{format_number(r.ratio):>6}  {r.cse_ops:>7}" for r in rows]
    return "\n".join(lines)
