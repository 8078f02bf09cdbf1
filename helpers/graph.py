"""A scalar computational graph: forward values, backward gradients by the chain rule.

Every ``Value`` holds one number (``data``) and, after ``backward()``, the gradient of the
output with respect to it (``grad``). An operation builds a new ``Value`` whose ``inputs``
are its operands and whose ``local_grads`` are the local derivatives d(node)/d(input),
computed right next to the forward value. The backward pass walks the graph in reverse
topological order and, for every node, adds ``upstream_grad * local_grad`` into each input:

    dL/d(input) += dL/d(node) * d(node)/d(input)

``forward_steps()`` and ``backward_steps()`` record the same passes step by step, with
text and LaTeX renderings, so that a lesson can walk through them one step at a time.

Only the standard library is used here.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

__all__ = [
    "BackwardStep",
    "Contribution",
    "ForwardStep",
    "Value",
    "apply_operation",
    "format_number",
    "latex_name",
]

# ----------------------------------------------------------------------------------------
# Formatting shared by the text and LaTeX renderings
# ----------------------------------------------------------------------------------------
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


def _number_in(x: float, *, latex: bool, first: bool = False) -> str:
    """A number as an operand: negative numbers get parentheses unless they come first."""
    text = format_number(x, latex=latex)
    if x < 0 and not first:
        return f"({text})"
    return text


def _check_real(x, name: str) -> float:
    """Return ``x`` as a finite float; TypeError if not a real number, ValueError if NaN/inf."""
    if type(x) is not float and type(x) is not int:  # the common cases skip the slow checks
        if isinstance(x, Value):
            raise TypeError(f"{name} must be a number, not a Value")
        if not isinstance(x, numbers.Real):
            raise TypeError(
                f"{name} must be a real number (int or float); got {type(x).__name__} {x!r}"
            )
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite; got {x}")
    return x


# ----------------------------------------------------------------------------------------
# The node
# ----------------------------------------------------------------------------------------
class Value:
    """One scalar node of a computational graph.

    Args:
        data: the node's value, a finite real number (int or float; stored as float).
        label: an optional display name such as ``"x"`` or ``"w1"``.

    Attributes:
        data (float): the forward value.
        grad (float): dL/d(this node), filled by ``backward()`` on some output L (0 before).
        label (str): the display label ("" if none; see ``name``).
        op (str): "" for a leaf, else one of ``+ - * / ** neg exp log sigmoid tanh relu``.
        inputs (tuple[Value, ...]): the operands (empty for a leaf).
        local_grads (tuple[float, ...]): d(this node)/d(inputs[i]), one per input.
        exponent (float | None): the constant exponent of a ``**`` node, else None.
        is_constant (bool): True for a plain number that took part in an operation
            (e.g. the 2 in ``x * 2``); its name is the number itself.

    Example:
        >>> x, y = Value(-2.0, "x"), Value(3.0, "y")
        >>> z = x * y
        >>> z.backward()
        >>> x.grad, y.grad
        (3.0, -2.0)
    """

    __slots__ = (
        "data",
        "grad",
        "label",
        "op",
        "inputs",
        "local_grads",
        "exponent",
        "is_constant",
        "_display_name",
    )
    __array_ufunc__ = None  # numpy scalars defer to our reflected operators (2.0 * x)

    def __init__(self, data: float, label: str = "") -> None:
        if not isinstance(label, str):
            raise TypeError(f"label must be a str; got {type(label).__name__} {label!r}")
        self.data = _check_real(data, f"Value data{f' for {label!r}' if label else ''}")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.inputs: tuple[Value, ...] = ()
        self.local_grads: tuple[float, ...] = ()
        self.exponent: float | None = None
        self.is_constant = False
        self._display_name = ""

    @classmethod
    def _result(cls, data: float, op: str, inputs: tuple, local_grads: tuple) -> Value:
        """A new node made by ``op``; its forward value and local derivatives come in."""
        finite = math.isfinite(data)
        for local_grad in local_grads:
            finite = finite and math.isfinite(local_grad)
        if not finite:
            values = ", ".join(format_number(v.data) for v in inputs)
            raise OverflowError(
                f"{op} of ({values}) is too large for a float64 "
                f"(value {data}, local derivatives {local_grads}); use smaller inputs"
            )
        node = cls(data)
        node.op, node.inputs, node.local_grads = op, inputs, local_grads
        return node

    @staticmethod
    def _as_value(other) -> Value:
        """Wrap a plain number as a constant leaf; pass a Value through."""
        if isinstance(other, Value):
            return other
        constant = Value(_check_real(other, "operand"))
        constant.is_constant = True  # its name is the number itself
        return constant

    # ---- binary operations: forward value and local derivatives side by side -----------
    def __add__(self, other) -> Value:
        other = Value._as_value(other)
        a, b = self.data, other.data
        # z = a + b          dz/da = 1,  dz/db = 1
        return Value._result(a + b, "+", (self, other), (1.0, 1.0))

    def __sub__(self, other) -> Value:
        other = Value._as_value(other)
        a, b = self.data, other.data
        # z = a - b          dz/da = 1,  dz/db = -1
        return Value._result(a - b, "-", (self, other), (1.0, -1.0))

    def __mul__(self, other) -> Value:
        other = Value._as_value(other)
        a, b = self.data, other.data
        # z = a * b          dz/da = b,  dz/db = a
        return Value._result(a * b, "*", (self, other), (b, a))

    def __truediv__(self, other) -> Value:
        other = Value._as_value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ValueError(f"division by zero: the denominator {other.name} is 0")
        # z = a / b          dz/da = 1 / b,  dz/db = -a / b**2
        # written -(a / b) / b: b**2 alone can overflow (b = 1e200) or round to 0 (b = 1e-200)
        return Value._result(a / b, "/", (self, other), (1.0 / b, -(a / b) / b))

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent in x ** p must be a plain number, not a Value "
                f"(got the Value {exponent.name} = {format_number(exponent.data)}); "
                "for a variable exponent write (p * x.log()).exp()"
            )
        p = _check_real(exponent, "exponent")
        a = self.data
        if a < 0 and not p.is_integer():
            raise ValueError(f"{self.name} ** {format_number(p)}: a negative base ({a}) "
                             "needs an integer exponent")
        if a == 0 and p < 1 and p != 0:
            raise ValueError(f"{self.name} ** {format_number(p)} has no finite value or "
                             f"derivative at {self.name} = 0")
        try:
            # z = a ** p         dz/da = p * a ** (p - 1)
            value, local_grad = a**p, (p * a ** (p - 1) if p != 0 else 0.0)
        except OverflowError:
            raise OverflowError(f"{self.name} ** {format_number(p)} overflows float64 at "
                                f"{self.name} = {a}") from None
        node = Value._result(float(value), "**", (self,), (float(local_grad),))
        node.exponent = p
        return node

    def __neg__(self) -> Value:
        # z = -a             dz/da = -1
        return Value._result(-self.data, "neg", (self,), (-1.0,))

    # ---- numbers on the left: 2 + x, 2 - x, 2 * x, 2 / x ---------------------------------
    def __radd__(self, other) -> Value:
        return Value._as_value(other) + self

    def __rsub__(self, other) -> Value:
        return Value._as_value(other) - self

    def __rmul__(self, other) -> Value:
        return Value._as_value(other) * self

    def __rtruediv__(self, other) -> Value:
        return Value._as_value(other) / self

    def __rpow__(self, base) -> Value:
        raise TypeError(
            f"the exponent in {base!r} ** {self.name} must be a plain number, not a Value; "
            f"for c ** x write (x * math.log(c)).exp()"
        )

    # ---- functions of one input ----------------------------------------------------------
    def exp(self) -> Value:
        """e ** self; OverflowError above 709.78, where the result leaves float64."""
        a = self.data
        if a > 709.78:
            raise OverflowError(f"exp({self.name}) overflows float64 at {self.name} = {a} "
                                "(the largest finite result is exp(709.78))")
        e = math.exp(a)
        # z = exp(a)         dz/da = exp(a)
        return Value._result(e, "exp", (self,), (e,))

    def log(self) -> Value:
        """The natural logarithm; ValueError unless self.data > 0."""
        a = self.data
        if a <= 0:
            raise ValueError(f"log({self.name}) needs a positive input; got {self.name} = {a}")
        # z = log(a)         dz/da = 1 / a
        return Value._result(math.log(a), "log", (self,), (1.0 / a,))

    def sigmoid(self) -> Value:
        """1 / (1 + exp(-self)), computed without overflow for any finite input."""
        a = self.data
        if a >= 0:  # two forms, so exp never sees a large positive number
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        # z = sigmoid(a)     dz/da = s * (1 - s)
        return Value._result(s, "sigmoid", (self,), (s * (1.0 - s),))

    def tanh(self) -> Value:
        """The hyperbolic tangent (finite for any finite input)."""
        t = math.tanh(self.data)
        # z = tanh(a)        dz/da = 1 - tanh(a)**2
        return Value._result(t, "tanh", (self,), (1.0 - t * t,))

    def relu(self) -> Value:
        """max(self, 0); its derivative is taken as 0 at exactly 0."""
        a = self.data
        # z = max(a, 0)      dz/da = 1 if a > 0 else 0
        return Value._result(max(a, 0.0), "relu", (self,), (1.0 if a > 0 else 0.0,))

    # ---- the graph -----------------------------------------------------------------------
    def topological_order(self) -> list[Value]:
        """Every node this one depends on, inputs before the nodes that use them.

        Iterative depth-first search (an explicit stack), so graphs of any depth work.

        Returns:
            list[Value], each node once, ending with ``self``.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, inputs_done = stack.pop()
            if inputs_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                stack.append((node, True))  # comes back here after all its inputs
                for inp in reversed(node.inputs):
                    if inp not in visited:
                        stack.append((inp, False))
        return order

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on this node and every node it depends on."""
        for node in self.topological_order():
            node.grad = 0.0

    def backward(self, upstream_grad: float = 1.0) -> None:
        """Fill ``grad`` of every node in the graph with dL/d(node), L being this node.

        Args:
            upstream_grad: dL/d(self); 1.0 when this node is the loss L itself.

        Gradients of the graph are reset to 0 first, then a node used several times
        accumulates one contribution per use.
        """
        self._backward(upstream_grad, record=False)

    def _backward(
        self, upstream_grad: float, *, record: bool, output_name: str = "L"
    ) -> list[BackwardStep]:
        upstream_grad = _check_real(upstream_grad, "upstream_grad")
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = upstream_grad
        steps: list[BackwardStep] = []
        reached: set[Value] = set()  # inputs that already received a contribution
        for node in reversed(order):
            if not record:
                for inp, local_grad in zip(node.inputs, node.local_grads, strict=True):
                    inp.grad += node.grad * local_grad
                continue
            if not node.inputs:
                continue
            contributions = []
            for inp, local_grad in zip(node.inputs, node.local_grads, strict=True):
                product = node.grad * local_grad
                grad_before = inp.grad
                inp.grad += product
                if not inp.is_constant:
                    contributions.append(Contribution(
                        inp, local_grad, product, inp.grad, grad_before,
                        first_use=inp not in reached,
                    ))
                reached.add(inp)
            steps.append(BackwardStep(node, node.grad, contributions, output_name))
        return steps

    # ---- names and recorded passes -------------------------------------------------------
    def names(self) -> dict[Value, str]:
        """Display names of every node in this graph: its label, else v1, v2, ... in order.

        Returns:
            dict Value -> str, in topological order. Also sets each node's ``name``.
        """
        order = self.topological_order()
        taken = {node.label for node in order if node.label}
        counter = 0
        result = {}
        for node in order:
            if node.label or node.is_constant:
                result[node] = node.name
                continue
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            node._display_name = f"v{counter}"
            result[node] = node._display_name
        return result

    @property
    def name(self) -> str:
        """The display name: the label, else the name ``names()`` gave it (v1, v2, ...)."""
        if self.label:
            return self.label
        if self.is_constant:
            return format_number(self.data)
        if not self._display_name:
            self.names()
        return self._display_name

    def forward_steps(self) -> list[ForwardStep]:
        """The forward pass, one step per operation node, inputs before users.

        Returns:
            list[ForwardStep] of length (number of non-leaf nodes).
        """
        self.names()
        return [
            ForwardStep(node, node.op, tuple(inp.data for inp in node.inputs), node.data)
            for node in self.topological_order()
            if node.inputs
        ]

    def backward_steps(
        self, upstream_grad: float = 1.0, *, output_name: str = "L"
    ) -> list[BackwardStep]:
        """Run ``backward(upstream_grad)`` and record it, one step per operation node.

        Args:
            upstream_grad: dL/d(self), as in ``backward``.
            output_name: the name of the final output L in the renderings dL/dx.

        Returns:
            list[BackwardStep] in reverse topological order (output first). Constant
            inputs (plain numbers) get gradients too but are left out of the contributions.
        """
        self.names()
        return self._backward(upstream_grad, record=True, output_name=output_name)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={format_number(self.data)}, grad={format_number(self.grad)}{label})"


_FUNCTIONS = ("exp", "log", "sigmoid", "tanh", "relu")
_OPERATORS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def apply_operation(op: str, inputs, exponent: float | None = None) -> Value:
    """Apply the operation named ``op`` (as in ``Value.op``) to ``inputs``.

    Args:
        op: one of ``+ - * / ** neg exp log sigmoid tanh relu``.
        inputs: the operands, Values or plain numbers: two for ``+ - * /``, one otherwise.
        exponent: the constant exponent of ``**``.

    Returns:
        the new node, with its value and local derivatives from the operation itself.
    """
    inputs = [Value._as_value(x) for x in inputs]
    if op in _OPERATORS:
        return _OPERATORS[op](*inputs)
    if op == "**":
        return inputs[0] ** exponent
    if op == "neg":
        return -inputs[0]
    if op in _FUNCTIONS:
        return getattr(inputs[0], op)()
    valid = ", ".join([*_OPERATORS, "**", "neg", *_FUNCTIONS])
    raise ValueError(f"unknown operation {op!r}; valid: {valid}")


# ----------------------------------------------------------------------------------------
# Recorded steps
# ----------------------------------------------------------------------------------------
_TEXT_FORMS = {
    "+": "{0} + {1}",
    "-": "{0} - {1}",
    "*": "{0} * {1}",
    "/": "{0} / {1}",
    "**": "{0} ** {p}",
    "neg": "-{0}",
    "exp": "exp({0})",
    "log": "log({0})",
    "sigmoid": "sigmoid({0})",
    "tanh": "tanh({0})",
    "relu": "relu({0})",
}
_LATEX_FORMS = {
    "+": "{0} + {1}",
    "-": "{0} - {1}",
    "*": r"{0} \cdot {1}",
    "/": r"\frac{{{0}}}{{{1}}}",
    "**": "{0}^{{{p}}}",
    "neg": "-{0}",
    "exp": "e^{{{0}}}",
    "log": r"\ln({0})",
    "sigmoid": r"\sigma({0})",
    "tanh": r"\tanh({0})",
    "relu": r"\operatorname{{ReLU}}({0})",
}


def _apply_form(op: str, operands: list[str], exponent, *, latex: bool) -> str:
    forms = _LATEX_FORMS if latex else _TEXT_FORMS
    p = format_number(exponent, latex=latex) if exponent is not None else ""
    return forms[op].format(*operands, p=p)


@dataclass
class ForwardStep:
    """One forward operation: ``node = op(inputs)`` with the numbers.

    Attributes:
        node (Value): the node computed in this step.
        op (str): its operation, e.g. "*".
        input_values (tuple[float, ...]): the inputs' values, one per input.
        value (float): the node's value.
    """

    node: Value
    op: str
    input_values: tuple[float, ...]
    value: float

    @property
    def inputs(self) -> tuple[Value, ...]:
        """The input nodes, in the same order as ``input_values``."""
        return self.node.inputs

    def _render(self, latex: bool) -> str:
        name = latex_name if latex else str
        symbols = [name(inp.name) for inp in self.inputs]
        numbers = []
        for i, (inp, value) in enumerate(zip(self.inputs, self.input_values, strict=True)):
            if inp.is_constant:
                numbers.append(symbols[i])
            else:  # parentheses around a negative number unless it comes first or alone
                first = (
                    (i == 0 and self.op not in ("neg", "**"))
                    or self.op in _FUNCTIONS
                    or (latex and self.op == "/")
                )
                numbers.append(_number_in(value, latex=latex, first=first))
        exponent = self.node.exponent
        return " = ".join([
            name(self.node.name),
            _apply_form(self.op, symbols, exponent, latex=latex),
            _apply_form(self.op, numbers, exponent, latex=latex),
            format_number(self.value, latex=latex),
        ])

    def text(self) -> str:
        """Plain text, e.g. ``"z = x * y = -2 * 3 = -6"``."""
        return self._render(latex=False)

    def latex(self) -> str:
        """LaTeX, e.g. ``"z = x \\cdot y = -2 \\cdot 3 = -6"``."""
        return self._render(latex=True)


@dataclass
class Contribution:
    """What one node sends back to one of its inputs during the backward pass.

    Attributes:
        input (Value): the input receiving the gradient.
        local_grad (float): d(node)/d(input).
        product (float): upstream_grad * local_grad, this use's share of dL/d(input).
        grad_after (float): dL/d(input) accumulated so far, including this product.
        grad_before (float): dL/d(input) before this product was added (0 for a first use).
        first_use (bool | None): True for the input's first contribution in the pass, False
            for a later one (rendered with +=, even when the earlier ones summed to 0);
            None: decided by grad_before == 0.
    """

    input: Value
    local_grad: float
    product: float
    grad_after: float
    grad_before: float = 0.0
    first_use: bool | None = None

    @property
    def is_first_use(self) -> bool:
        """Whether this is the input's first contribution (see ``first_use``)."""
        return self.grad_before == 0 if self.first_use is None else self.first_use


@dataclass
class BackwardStep:
    """One backward step at ``node``: dL/d(input) += dL/d(node) * d(node)/d(input).

    Attributes:
        node (Value): the node whose gradient is passed back.
        upstream_grad (float): dL/d(node), complete when this step runs.
        contributions (list[Contribution]): one per (non-constant) input, in input order.
        output_name (str): the name of the final output in dL/d(node), "L" by default.
    """

    node: Value
    upstream_grad: float
    contributions: list[Contribution]
    output_name: str = "L"

    def _lines(self, latex: bool) -> list[str]:
        out, node = self.output_name, self.node.name
        fmt = (lambda x: format_number(x, latex=True)) if latex else format_number
        lines = []
        for c in self.contributions:
            inp = c.input.name
            if latex:
                d_out_d_in = rf"\frac{{\partial {latex_name(out)}}}{{\partial {latex_name(inp)}}}"
                d_out_d_node = (
                    rf"\frac{{\partial {latex_name(out)}}}{{\partial {latex_name(node)}}}"
                )
                d_node_d_in = (
                    rf"\frac{{\partial {latex_name(node)}}}{{\partial {latex_name(inp)}}}"
                )
                chain = rf"{d_out_d_node}\,{d_node_d_in}"
                times = r" \times "
            else:
                d_out_d_in, chain = f"d{out}/d{inp}", f"d{out}/d{node} * d{node}/d{inp}"
                times = " * "
            product = (
                f"{fmt(self.upstream_grad)}{times}"
                f"{_number_in(c.local_grad, latex=latex)} = {fmt(c.product)}"
            )
            if c.is_first_use:
                lines.append(f"{d_out_d_in} = {chain} = {product}")
            else:
                plus = r"\mathrel{+}=" if latex else "+="
                # an English word in LaTeX must leave math mode, or it renders as italic s·o
                so = r",\quad\text{so}\quad " if latex else ", so "
                total = f"{fmt(c.grad_before)} + {_number_in(c.product, latex=latex)}"
                lines.append(
                    f"{d_out_d_in} {plus} {chain} = {product}{so}"
                    f"{d_out_d_in} = {total} = {fmt(c.grad_after)}"
                )
        return lines

    def text(self) -> str:
        """Plain text, one line per input, e.g. ``"dL/dx = dL/dz * dz/dx = 2 * 3 = 6"``."""
        return "\n".join(self._lines(latex=False))

    def latex(self) -> str:
        """LaTeX, one line per input (joined by ``\\\\``), e.g.
        ``\\frac{\\partial L}{\\partial x} = \\frac{\\partial L}{\\partial z}\\,
        \\frac{\\partial z}{\\partial x} = 2 \\times 3 = 6``."""
        return r" \\ ".join(self._lines(latex=True))

