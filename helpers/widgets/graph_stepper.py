"""The state of the graph stepper: the forward and backward passes of a Value graph, step by
step, and where we are in them.

Used in lessons 00 (Start here) and 03 (The chain rule on a graph). The steps themselves
(each with its local derivative and chain-rule product, as text and LaTeX) are recorded by
``helpers.graph``; this state walks through them, changes an input and recomputes, and says
which values and gradients the picture shows so far. Plain Python and matplotlib: tests drive
it without a widget; ``views.GraphStepper`` shows it.
"""

from __future__ import annotations

from .._validate import as_float_array
from ..graph import BackwardStep, ForwardStep, Value
from ..plots import draw_graph, graph_figsize
from .graph_tools import input_leaves, recompute
from .parser import parse_expression
from .stepping import Stepper, clamp_index, fit_width, fresh_figure

__all__ = ["GraphStepperState"]


class GraphStepperState(Stepper):
    """The forward and backward passes of a Value graph, and where we are in them.

    Args:
        root: the output Value (its graph gets gradients, as after ``root.backward()``).
        upstream_grad: dL/d(root), a number; 1.0 when root is the loss itself.

    Attributes a notebook can check after the widget cell:
        index (int, 0-based), n_steps (forward + backward steps), phase ("forward" or
        "backward"), current_step (ForwardStep or BackwardStep), current_latex,
        current_text, description ("backward pass, step 2 of 4"), inputs ({name: value}),
        forward_steps, backward_steps, steps, root.
    """

    def __init__(self, root: Value, *, upstream_grad: float = 1.0):
        if not isinstance(root, Value):
            raise TypeError(f"root must be a Value (e.g. z = x * y); got {type(root).__name__}")
        if not root.inputs:
            raise ValueError(f"root {root.name} is an input, with no operation to step "
                             "through; build an expression such as z = x * y")
        self.upstream_grad = float(as_float_array(upstream_grad, "upstream_grad", ndim=0))
        self.index = 0
        self._load(root)

    @classmethod
    def from_expression(cls, text: str, **values) -> GraphStepperState:
        """A state for a typed expression, e.g. ``from_expression("(x + y) * z", x=1.0)``."""
        return cls(parse_expression(text, values))

    def _load(self, root: Value) -> None:
        self.root = root
        self.forward_steps = root.forward_steps()
        self.backward_steps = root.backward_steps(self.upstream_grad)
        self.steps = [*self.forward_steps, *self.backward_steps]
        self.index = clamp_index(self.index, self.n_steps)
        self.forget_pictures()

    @property
    def inputs(self) -> dict[str, float]:
        """{name: value} of the graph's inputs (the leaves that are not constants)."""
        return {leaf.name: leaf.data for leaf in input_leaves(self.root)}

    def set_input(self, name: str, value: float) -> None:
        """Give input ``name`` a new value and recompute both passes; the step stays.

        Raises ValueError (unknown name, or a value where the graph is not defined, such as
        log of a negative number); the state is then unchanged.
        """
        if name not in self.inputs:
            raise ValueError(f"unknown input {name!r}; valid: {', '.join(self.inputs)}")
        try:
            root = recompute(self.root, {name: value})
        except (ArithmeticError, ValueError, TypeError) as error:
            raise ValueError(f"cannot use {name} = {value}: {error}") from None
        self._load(root)

    @property
    def phase(self) -> str:
        """"forward" while computing values, "backward" while passing gradients back."""
        return "forward" if self.index < len(self.forward_steps) else "backward"

    @property
    def current_step(self) -> ForwardStep | BackwardStep:
        return self.steps[self.index]

    @property
    def phase_index(self) -> int:
        """1-based number of the current step within its phase."""
        return self.index + 1 if self.phase == "forward" else \
            self.index - len(self.forward_steps) + 1

    @property
    def description(self) -> str:
        n_phase = len(self.forward_steps if self.phase == "forward" else self.backward_steps)
        return f"{self.phase} pass, step {self.phase_index} of {n_phase}"

    @property
    def current_latex(self) -> str:
        """The current step's equation in LaTeX with the numbers put in."""
        return self.current_step.latex()

    @property
    def current_text(self) -> str:
        """The current step's equation in plain text, e.g. ``"z = x * y = -2 * 3 = -6"``."""
        return self.current_step.text()

    def shown_values(self) -> dict[Value, float]:
        """Values known at this step: inputs, constants and the nodes computed so far."""
        order = self.root.topological_order()
        known = {n: n.data for n in order if not n.inputs}
        done = self.forward_steps[: self.index + 1] if self.phase == "forward" \
            else self.forward_steps
        known.update({step.node: step.value for step in done})
        return known

    def shown_grads(self) -> dict[Value, float]:
        """Gradients known at this step: none while forward; then as accumulated so far."""
        if self.phase == "forward":
            return {}
        known = {self.root: self.upstream_grad}
        for step in self.backward_steps[: self.index - len(self.forward_steps) + 1]:
            for contribution in step.contributions:
                known[contribution.input] = contribution.grad_after
        return known

    @property
    def figsize(self) -> tuple[float, float]:
        return fit_width(graph_figsize(self.root))

    def draw(self, fig=None):
        """Draw the graph at this step into ``fig`` (cleared) or a new Figure; returns it."""
        fig = fresh_figure(fig, self.figsize)
        draw_graph(self.root, step=self.current_step, values=self.shown_values(),
                   grads=self.shown_grads(), title=self.description, ax=fig.add_subplot())
        return fig
