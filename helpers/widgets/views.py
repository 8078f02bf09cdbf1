"""The stepper widgets: thin ipywidgets views around a stepper state, and what every view
shares.

Used in lessons 00 (Start here: GraphStepper), 01 (Forward propagation: NetworkStepper),
03 (The chain rule on a graph: GraphStepper) and 05 (Backpropagation: NetworkStepper); the
explorers of lessons 02 and 07 build on ``_View`` in ``explorer_views``.

Each view holds a *state* (``GraphStepperState``, ``NetworkStepperState``) and standard
ipywidgets controls that call it; the states hold everything else. A cell ending with
``GraphStepper(z)`` displays it; a later cell can read ``stepper.state.current_text``.

What the learner sees, top to bottom: the controls (first / previous / next / last and the
step slider; a graph stepper's expression box and input sliders), the step counter, the
picture (the same size at every step) and the step's equation, whose height changes from
step to step. Nothing above the equation changes size, so neither the controls nor the
picture move while the learner steps.

A picture is PNG bytes in an ``ipywidgets.Image``, drawn with the Agg backend into one
fixed-size figure (no ipympl). The state keeps the picture of every step it has drawn; a
click shows the kept one, and after showing it the view draws the steps likely to come
next (``Stepper.draw_ahead``) and has the browser typeset their equations, hidden, so that
the next click only swaps bytes and shows another equation. The first of these runs a
moment after the widget is displayed, on the kernel's event loop, so that it does not hold
up the first picture. A control out of range is
clamped or disabled; an error in a callback is shown as a message under the controls, never
raised into the notebook. Stored in a notebook without its widget state, a widget cell reads
"Graph stepper: run this cell to show it." until it is run.
"""

from __future__ import annotations

import asyncio
import functools
import html
import math

import ipywidgets as widgets

from ..plots import figure_to_png, new_figure
from .graph_stepper import GraphStepperState
from .graph_tools import expression_text
from .network_stepper import NetworkStepperState
from .parser import parse_expression

__all__ = ["GraphStepper", "NetworkStepper"]


def _safely(method):
    """Run a widget callback; show any error as a message instead of raising it."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # a control must never raise into the notebook
            self._show_message(f"{type(error).__name__}: {error}")
            return None

    return wrapper


class _View:
    """What every widget view shares: a picture, a message line, and display in a notebook
    (with a short line to read where the widget cannot be shown)."""

    css_class = "backprop-widget"
    name = "Widget"  # what the learner calls it: "Graph stepper"

    def _make_image(self):
        self._image = widgets.Image(format="png",
                                    layout=widgets.Layout(max_width="100%", height="auto"))

    def _make_figure(self):
        """The Figure reused for every redraw, and the Image widget that shows it."""
        self._figure = new_figure(self.state.figsize)
        self._make_image()

    def _redraw(self):
        self.state.draw(self._figure)
        self._image.value = figure_to_png(self._figure, fast=True)

    def _show_message(self, text: str = "") -> None:
        self._message.value = (f'<span style="color:#D55E00">{html.escape(text)}</span>'
                               if text else "")

    def _finish(self, controls, shown):
        """The widget: the ``controls`` first, then the message line (right under them, where
        the learner is looking after a typo), then what they change (``shown``)."""
        self._message = widgets.HTML()
        self._message.add_class("widget-message")
        self.widget = widgets.VBox([*controls, self._message, *shown])
        self.widget.add_class(self.css_class)

    @property
    def placeholder(self) -> str:
        """The text a notebook shows for this cell where the widget itself cannot be shown
        (a notebook stored without widget state, before its cells are run)."""
        return f"{self.name}: run this cell to show it."

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.placeholder
        return bundle

    after_display_delay = 0.3  # s: the browser shows the widget before more work starts

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)
        try:  # the kernel's event loop, on which the cell runs (no thread)
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python: no loop to wait on
            self._after_display()
        else:  # once the cell is done and the browser has had time to show the widget
            loop.call_later(self.after_display_delay, self._after_display)

    def _after_display(self):
        """Work that can wait until the widget is on screen (e.g. pictures drawn ahead)."""

    def __repr__(self):
        return f"{type(self).__name__}({self.state.current_text})"


def _button(description, tooltip):
    return widgets.Button(description=description, tooltip=tooltip,
                          layout=widgets.Layout(width="auto"))


def _math(latex: str) -> str:
    """Display math for HTMLMath, large enough for a classroom; several lines are gathered
    one under the other."""
    if not latex:
        return ""
    return (rf'<div style="font-size: 1.3em; overflow-x: auto">$$\begin{{gathered}}{latex}'
            rf"\end{{gathered}}$$</div>")


class _StepperView(_View):
    """Buttons first / previous / next / last and a step slider, then the step counter, the
    picture and the equation.

    Each step's equation is its own HTMLMath widget, made when its step is first shown or
    drawn ahead, and hidden while another step is shown: the browser typesets an equation
    once, in advance, and a click only swaps which one is visible.
    """

    def _make_controls(self):
        self._first = _button("first", "go to the first step")
        self._previous = _button("previous", "one step back")
        self._next = _button("next", "one step forward")
        self._last = _button("last", "go to the last step")
        self._slider = widgets.IntSlider(value=1, min=1, max=max(self.state.n_steps, 1),
                                         description="step", continuous_update=False)
        self._heading = widgets.HTML()
        self._heading.add_class("step-heading")
        self._equation_box = widgets.VBox()
        self._make_image()
        for button in (self._first, self._previous, self._next, self._last):
            button.on_click(functools.partial(self._move, button.description))
        self._slider.observe(self._on_slider, names="value")
        self._syncing = False
        self._new_equations()
        return widgets.HBox([self._first, self._previous, self._next, self._last,
                             self._slider])

    def _new_equations(self):
        """Forget the equations made so far (the steps have changed)."""
        self._equations: dict[int, widgets.HTMLMath] = {}
        self._equation_box.children = []

    def _equation_of(self, index: int) -> widgets.HTMLMath:
        """The equation widget of step ``index``, made (hidden) the first time."""
        if index not in self._equations:
            equation = widgets.HTMLMath(_math(self.state.latex_of(index)),
                                        layout=widgets.Layout(display="none"))
            equation.add_class("step-equation")
            self._equations[index] = equation
            self._equation_box.children = [*self._equation_box.children, equation]
        return self._equations[index]

    @property
    def _equation(self) -> widgets.HTMLMath:
        """The equation widget on show."""
        return self._equation_of(self.state.index)

    def _show_equation(self, index: int) -> None:
        shown = self._equation_of(index)
        shown.layout.display = None
        for other in self._equations.values():
            if other is not shown and other.layout.display != "none":
                other.layout.display = "none"

    def _prepare_ahead(self):
        """Draw the pictures of the steps likely to come next, and make their equations."""
        self.state.draw_ahead()
        for index in self.state.drawn_steps:
            self._equation_of(index)

    @_safely
    def _move(self, move: str, _button=None):
        """Apply the state's move "first", "previous", "next" or "last"."""
        getattr(self.state, move)()
        self._refresh()
        self._prepare_ahead()

    @_safely
    def _on_slider(self, change):
        if not self._syncing:
            self.state.go_to(change["new"] - 1)
            self._refresh()
            self._prepare_ahead()

    @_safely
    def _after_display(self):
        self._prepare_ahead()

    def _refresh(self):
        """Bring every control in line with the state, then show the step's picture and
        equation (the picture first: the browser shows it while the rest arrives)."""
        state = self.state
        self._image.value = state.picture()
        self._show_equation(state.index)
        self._heading.value = f"<b>{html.escape(state.description)}</b>"
        self._syncing = True
        try:
            self._slider.max = max(state.n_steps, 1)
            self._slider.value = state.index + 1
        finally:
            self._syncing = False
        self._first.disabled = self._previous.disabled = state.at_start
        self._next.disabled = self._last.disabled = state.at_end
        self._show_message()


class GraphStepper(_StepperView):
    """Step through the forward and backward pass of any Value expression.

    Args:
        expression: the output Value, or a typed expression such as ``"(x + y) * z"``.
        upstream_grad: dL/d(output), 1.0 when the output is the loss itself.
        editable: show a text box to type a new expression (default: True for a typed one).
        **values: starting values of the inputs of a typed expression, e.g. x=2.0.

    Attributes: state (GraphStepperState), widget (the ipywidgets box).
    """

    css_class = "graph-stepper"
    name = "Graph stepper"

    def __init__(self, expression, *, upstream_grad=1.0, editable=None, **values):
        if isinstance(expression, str):
            self.state = GraphStepperState(parse_expression(expression, values),
                                           upstream_grad=upstream_grad)
        else:
            self.state = GraphStepperState(expression, upstream_grad=upstream_grad)
        editable = isinstance(expression, str) if editable is None else editable
        buttons = self._make_controls()
        self._inputs = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap"))
        children = [buttons]
        self._expression = None
        if editable:
            self._expression = widgets.Text(
                value=expression if isinstance(expression, str) else
                expression_text(self.state.root),
                description="expression", placeholder="e.g. (x + y) * z",
                continuous_update=False, layout=widgets.Layout(width="60%"))
            self._expression.observe(self._on_expression, names="value")
            children.append(self._expression)
        self._finish([*children, self._inputs],
                     [self._heading, self._image, self._equation_box])
        self._make_input_sliders()
        self._refresh()

    def _make_input_sliders(self):
        sliders = []
        for name, value in self.state.inputs.items():
            low, high = min(-5.0, math.floor(value) - 1.0), max(5.0, math.ceil(value) + 1.0)
            slider = widgets.FloatSlider(value=value, min=low, max=high, step=0.1,
                                         description=name, continuous_update=False,
                                         readout_format=".2f")
            slider.observe(functools.partial(self._on_input, name), names="value")
            sliders.append(slider)
        self._inputs.children = sliders

    @_safely
    def _on_input(self, name, change):
        if self._syncing:
            return
        try:
            self.state.set_input(name, change["new"])
        except ValueError:
            self._syncing = True  # put the slider back where the state is
            change["owner"].value = self.state.inputs[name]
            self._syncing = False
            raise
        self._new_equations()
        self._refresh()
        self._prepare_ahead()

    @_safely
    def _on_expression(self, change):
        values = self.state.inputs
        root = parse_expression(change["new"], values)
        self.state = GraphStepperState(root, upstream_grad=self.state.upstream_grad)
        self._new_equations()
        self._make_input_sliders()
        self._refresh()
        self._prepare_ahead()


class NetworkStepper(_StepperView):
    """Step through one training step of a small network on one input.

    Takes the arguments of NetworkStepperState (network, x, target, loss, lr).
    Attributes: state (NetworkStepperState), widget (the ipywidgets box).
    """

    css_class = "network-stepper"
    name = "Network stepper"

    def __init__(self, network=None, x=None, target=None, *, loss="mse", lr=0.5):
        self.state = NetworkStepperState(network, x, target, loss=loss, lr=lr)
        buttons = self._make_controls()
        self._finish([buttons], [self._heading, self._image, self._equation_box])
        self._refresh()
