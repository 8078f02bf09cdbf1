"""The scalar node of a computational graph: forward values, backward gradients.

Taught in lessons 01 (Forward propagation) and 03 (The chain rule on a graph). Every
``Value`` holds one number (``data``) and, after ``backward()``, the gradient of the output
with respect to it (``grad``). An operation (one row of ``operations.OPERATIONS``) makes a
new node whose ``inputs`` are its operands and whose ``local_grads`` are the local
derivatives d(node)/d(input), computed right next to the value. The backward pass walks the
graph in reverse topological order and adds into every input:

    dL/d(input) += dL/d(node) * d(node)/d(input)

The ``+=`` is what makes a node used twice right: it receives one share per use.
Standard library only.
"""

from __future__ import annotations

import math
import numbers

from ..notation import format_number
from .operations import get_operation

__all__ = ["Value", "apply_operation"]


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


class Value:
    """One scalar node of a computational graph.

    Args:
        data: the node's value, a finite real number (int or float; stored as float).
        label: an optional display name such as ``"x"`` or ``"w1"``.

    Attributes:
        data (float): the forward value.
        grad (float): dL/d(this node), filled by ``backward()`` on some output L (0 before).
        label (str): the display label ("" if none; see ``name``).
        op (str): "" for a leaf, else the name of its operation (``+ - * / ** neg exp log
            sigmoid tanh relu`` and any registered one).
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

    __slots__ = ("data", "grad", "label", "op", "inputs", "local_grads", "exponent",
                 "is_constant", "_display_name")
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

    @staticmethod
    def as_value(other) -> Value:
        """Wrap a plain number as a constant leaf; pass a Value through."""
        if isinstance(other, Value):
            return other
        constant = Value(_check_real(other, "operand"))
        constant.is_constant = True  # its name is the number itself
        return constant

    # ---- operations: each is one row of the table in operations.py ----------------------
    def __add__(self, other) -> Value:
        return apply_operation("+", (self, other))

    def __sub__(self, other) -> Value:
        return apply_operation("-", (self, other))

    def __mul__(self, other) -> Value:
        return apply_operation("*", (self, other))

    def __truediv__(self, other) -> Value:
        return apply_operation("/", (self, other))

    def __pow__(self, exponent) -> Value:
        if isinstance(exponent, Value):
            raise TypeError(
                "the exponent in x ** p must be a plain number, not a Value "
                f"(got the Value {exponent.name} = {format_number(exponent.data)}); "
                "for a variable exponent write (p * x.log()).exp()"
            )
        return apply_operation("**", (self,), exponent)

    def __neg__(self) -> Value:
        return apply_operation("neg", (self,))

    def __radd__(self, other) -> Value:
        return apply_operation("+", (other, self))

    def __rsub__(self, other) -> Value:
        return apply_operation("-", (other, self))

    def __rmul__(self, other) -> Value:
        return apply_operation("*", (other, self))

    def __rtruediv__(self, other) -> Value:
        return apply_operation("/", (other, self))

    def __rpow__(self, base) -> Value:
        raise TypeError(
            f"the exponent in {base!r} ** {self.name} must be a plain number, not a Value; "
            f"for c ** x write (x * math.log(c)).exp()"
        )

    def exp(self) -> Value:
        """e ** self; OverflowError above 709.78, where the result leaves float64."""
        return apply_operation("exp", (self,))

    def log(self) -> Value:
        """The natural logarithm; ValueError unless self.data > 0."""
        return apply_operation("log", (self,))

    def sigmoid(self) -> Value:
        """1 / (1 + exp(-self)), computed without overflow for any finite input."""
        return apply_operation("sigmoid", (self,))

    def tanh(self) -> Value:
        """The hyperbolic tangent (finite for any finite input)."""
        return apply_operation("tanh", (self,))

    def relu(self) -> Value:
        """max(self, 0); its derivative is taken as 0 at exactly 0."""
        return apply_operation("relu", (self,))

    # ---- the backward pass -----------------------------------------------------------------
    def topological_order(self) -> list[Value]:
        """Every node this one depends on, inputs before the nodes that use them.

        Iterative depth-first search (an explicit stack), so graphs of any depth work.
        Returns a list[Value], each node once, ending with ``self``.
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
        upstream_grad = _check_real(upstream_grad, "upstream_grad")
        order = self.topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = upstream_grad
        for node in reversed(order):  # a node's grad is complete before it is passed on
            for inp, local_grad in zip(node.inputs, node.local_grads, strict=True):
                inp.grad += node.grad * local_grad

    # ---- names and recorded passes -------------------------------------------------------
    def names(self) -> dict[Value, str]:
        """Display names of every node in this graph: its label, else v1, v2, ... in order.

        Returns a dict Value -> str, in topological order. Also sets each node's ``name``.
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

    def forward_steps(self):
        """The forward pass, one ForwardStep per operation node, inputs before users
        (see ``helpers.graph.steps``)."""
        from .steps import forward_steps

        return forward_steps(self)

    def backward_steps(self, upstream_grad: float = 1.0, *, output_name: str = "L"):
        """Run ``backward(upstream_grad)`` and return it as BackwardSteps, output first
        (see ``helpers.graph.steps``)."""
        from .steps import backward_steps

        return backward_steps(self, upstream_grad, output_name=output_name)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={format_number(self.data)}, grad={format_number(self.grad)}{label})"


def apply_operation(op: str, inputs, exponent: float | None = None) -> Value:
    """Apply the operation named ``op`` (a key of OPERATIONS, as in ``Value.op``).

    Args:
        op: e.g. ``"*"``, ``"**"`` or ``"tanh"``.
        inputs: the operands, Values or plain numbers (plain numbers become constants).
        exponent: the constant exponent of an operation that has one (``**``).

    Returns:
        the new node, with its value and local derivatives from the operation's row.
    """
    operation = get_operation(op)
    inputs = tuple(Value.as_value(x) for x in inputs)
    if len(inputs) != operation.arity:
        raise ValueError(f"operation {op!r} takes {operation.arity} input(s); got {len(inputs)}")
    values = [x.data for x in inputs]
    if operation.has_exponent:
        values.append(_check_real(exponent, "exponent"))
    problem = operation.check(*values) if operation.check else None
    if problem:
        raise ValueError(problem.format(*(x.name for x in inputs)))
    try:
        data, local_grads = operation.forward(*values)
    except OverflowError:
        names = [x.name for x in inputs]
        at = ", ".join(f"{n} = {format_number(v)}" for n, v in zip(names, values, strict=False))
        raise OverflowError(f"{operation.write(names, exponent)} overflows float64 at {at}"
                            ) from None
    if not (math.isfinite(data) and all(map(math.isfinite, local_grads))):  # 1e200 * 1e200
        shown = ", ".join(format_number(v) for v in values[:operation.arity])
        derivatives = ", ".join(map(format_number, local_grads))
        raise OverflowError(f"{op} of ({shown}) is too large for a float64 (value "
                            f"{format_number(data)}, local derivatives {derivatives}); "
                            "use smaller inputs")
    node = Value(data)
    node.op, node.inputs, node.local_grads = op, inputs, local_grads
    if operation.has_exponent:
        node.exponent = values[-1]
    return node
