"""The forward and backward passes of a graph, recorded one step at a time, as text and LaTeX.

Taught in lesson 03 (The chain rule on a graph), where the graph stepper shows these steps.
The steps are built from the graph after the pass, never by the pass itself: ``Value.backward``
stays a plain loop, and ``backward_steps`` runs it, then replays the same reverse topological
order to say what each node sent to each input (its local derivative, the chain-rule product,
and the running total where an input is used more than once). Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..notation import format_number, latex_name, number_in
from .operations import get_operation
from .value import Value

__all__ = ["BackwardStep", "Contribution", "ForwardStep", "backward_steps", "forward_steps"]


def forward_steps(root: Value) -> list[ForwardStep]:
    """The forward pass to ``root``, one step per operation node, inputs before users."""
    root.names()
    return [
        ForwardStep(node, node.op, tuple(inp.data for inp in node.inputs), node.data)
        for node in root.topological_order()
        if node.inputs
    ]


def backward_steps(root: Value, upstream_grad: float = 1.0, *,
                   output_name: str = "L") -> list[BackwardStep]:
    """Run ``root.backward(upstream_grad)`` and record it, one step per operation node.

    Args:
        root: the output of the graph.
        upstream_grad: dL/d(root), as in ``Value.backward``.
        output_name: the name of the final output L in the renderings dL/dx.

    Returns:
        list[BackwardStep] in reverse topological order (output first). Constant inputs
        (plain numbers) get gradients too but are left out of the contributions.
    """
    root.names()
    root.backward(upstream_grad)
    so_far: dict[Value, float] = {}  # each input's gradient summed over the steps so far
    steps = []
    for node in reversed(root.topological_order()):
        if not node.inputs:
            continue
        contributions = []
        for inp, local_grad in zip(node.inputs, node.local_grads, strict=True):
            product = node.grad * local_grad
            first_use = inp not in so_far
            before = so_far.get(inp, 0.0)
            so_far[inp] = before + product
            if not inp.is_constant:
                contributions.append(
                    Contribution(inp, local_grad, product, so_far[inp], before, first_use))
        steps.append(BackwardStep(node, node.grad, contributions, output_name))
    return steps


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
        operation = get_operation(self.op)
        style = "latex" if latex else "text"
        name = latex_name if latex else str
        symbols = [name(inp.name) for inp in self.inputs]
        numbers = []
        for i, (inp, value) in enumerate(zip(self.inputs, self.input_values, strict=True)):
            if inp.is_constant:
                numbers.append(symbols[i])
            else:  # parentheses around a negative number unless it comes first or alone
                first = ((i == 0 and operation.arity == 2) or operation.is_function
                         or (latex and self.op == "/"))
                numbers.append(number_in(value, latex=latex, first=first))
        exponent = self.node.exponent
        return " = ".join([
            name(self.node.name),
            operation.write(symbols, exponent, style=style),
            operation.write(numbers, exponent, style=style),
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

        def fmt(x):
            return format_number(x, latex=latex)

        def partial(top, bottom):
            if latex:
                return rf"\frac{{\partial {latex_name(top)}}}{{\partial {latex_name(bottom)}}}"
            return f"d{top}/d{bottom}"

        times = r" \times " if latex else " * "
        lines = []
        for c in self.contributions:
            inp = c.input.name
            d_out_d_in = partial(out, inp)
            chain = (rf"{partial(out, node)}\,{partial(node, inp)}" if latex
                     else f"{partial(out, node)} * {partial(node, inp)}")
            product = (f"{fmt(self.upstream_grad)}{times}"
                       f"{number_in(c.local_grad, latex=latex)} = {fmt(c.product)}")
            if c.is_first_use:
                lines.append(f"{d_out_d_in} = {chain} = {product}")
            else:
                plus = r"\mathrel{+}=" if latex else "+="
                # an English word in LaTeX must leave math mode, or it renders as italic s·o
                so = r",\quad\text{so}\quad " if latex else ", so "
                total = f"{fmt(c.grad_before)} + {number_in(c.product, latex=latex)}"
                lines.append(f"{d_out_d_in} {plus} {chain} = {product}{so}"
                             f"{d_out_d_in} = {total} = {fmt(c.grad_after)}")
        return lines

    def text(self) -> str:
        """Plain text, one line per input, e.g. ``"dL/dx = dL/dz * dz/dx = 2 * 3 = 6"``."""
        return "\n".join(self._lines(latex=False))

    def latex(self) -> str:
        """LaTeX, one line per input (joined by ``\\\\``), e.g.
        ``\\frac{\\partial L}{\\partial x} = \\frac{\\partial L}{\\partial z}\\,
        \\frac{\\partial z}{\\partial x} = 2 \\times 3 = 6``."""
        return r" \\ ".join(self._lines(latex=True))
