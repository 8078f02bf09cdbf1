"""The chain rule one local derivative at a time, checked against sympy.diff of the whole.

Taught in lesson 03 (The chain rule on a graph). ``chain_rule_gradient`` walks a graph (a
``Value`` graph or a sympy expression, see ``nodes``) from the output back to one input,
multiplies the local derivatives along every path and adds the paths, the way backprop does;
``ChainRuleResult`` shows the factors and compares the result with ``sympy.diff`` of the whole
expression (``expressions_equal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from .._validate import check_positive_int
from ..graph import Value
from .nodes import Node, nodes_from_sympy, nodes_from_value

__all__ = ["ChainRuleResult", "LocalDerivative", "assert_expressions_equal",
           "chain_rule_gradient", "derivative", "expressions_equal"]


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
    """(expr, Nodes or None, {name: Symbol} of its inputs) for an expression or a Value."""
    if isinstance(expr_or_value, Value):
        nodes, symbols = nodes_from_value(expr_or_value)
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

    def __init__(self, nodes: list[Node], wrt: sp.Symbol, output_name: str, max_paths: int):
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

    def _edges(self, node: Node):
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

    For a Value graph the nodes are the graph's own operations, each local derivative
    sympy.diff of the operation's form in helpers.graph.OPERATIONS; for a sympy expression
    they are the nodes of its expression tree (equal sub-expressions shared), each local
    derivative taken with the node's other arguments held fixed.

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
    max_paths = check_positive_int(max_paths, "max_paths")
    expr, nodes, symbols = _as_expression(expr_or_value)
    symbol = _resolve_symbol(expr, wrt, symbols)
    if nodes is None:
        nodes = nodes_from_sympy(expr)
    if output_name is None:
        label = expr_or_value.label if isinstance(expr_or_value, Value) else ""
        output_name = label or "f"
    return ChainRuleResult(nodes, symbol, output_name, max_paths)

