"""The widgets: thin ipywidgets views, each around one state.

Used in lessons 00 (Start here: GraphStepper), 01 (Forward propagation: NetworkStepper),
02 (Activation functions: ActivationExplorer), 03 (The chain rule on a graph:
GraphStepper), 05 (Backpropagation: NetworkStepper) and 07 (Training with gradient descent:
TrainingExplorer).

Each view holds a *state* (``GraphStepperState``, ``NetworkStepperState``,
``ActivationExplorerState``, ``TrainingExplorerState``) and standard ipywidgets controls
that call it and redraw; the states hold everything else. A cell ending with
``GraphStepper(z)`` displays it; a later cell can read ``stepper.state.current_text``.

Redrawing reuses one fixed-size Figure and shows it as PNG bytes in an ``ipywidgets.Image``
(rendered by the Agg backend), so a step replaces the picture in place without flicker and
without needing ipympl. A control out of range is clamped or disabled; an error in a
callback is shown as a message under the widget, never raised into the notebook.
"""

from __future__ import annotations

import functools
import html
import math
import time

import ipywidgets as widgets

from ..plots import figure_to_png, new_figure
from .explorers import ActivationExplorerState, TrainingExplorerState
from .graph_stepper import GraphStepperState
from .graph_tools import expression_text
from .network_stepper import NetworkStepperState
from .parser import parse_expression

__all__ = ["ActivationExplorer", "GraphStepper", "NetworkStepper", "TrainingExplorer"]


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
    """What every widget view shares: one fixed-size figure shown as a PNG image, a
    message line, and display in a notebook."""

    css_class = "backprop-widget"

    def _make_figure(self):
        """The Figure reused for every redraw, and the Image widget that shows it."""
        self._figure = new_figure(self.state.figsize)
        self._image = widgets.Image(format="png",
                                    layout=widgets.Layout(max_width="100%", height="auto"))

    def _redraw(self):
        self.state.draw(self._figure)
        self._image.value = figure_to_png(self._figure)

    def _show_message(self, text: str = "") -> None:
        self._message.value = (f'<span style="color:#D55E00">{html.escape(text)}</span>'
                               if text else "")

    def _finish(self, children):
        self._message = widgets.HTML()
        self.widget = widgets.VBox([*children, self._message])
        self.widget.add_class(self.css_class)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = repr(self)
        return bundle

    def _ipython_display_(self):
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)

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
    """Buttons first / previous / next / last, a step slider, a heading and the equation."""

    def _make_controls(self):
        self._first = _button("first", "go to the first step")
        self._previous = _button("previous", "one step back")
        self._next = _button("next", "one step forward")
        self._last = _button("last", "go to the last step")
        self._slider = widgets.IntSlider(value=1, min=1, max=max(self.state.n_steps, 1),
                                         description="step", continuous_update=False)
        self._heading = widgets.HTML()
        self._heading.add_class("step-heading")
        self._equation = widgets.HTMLMath()
        self._equation.add_class("step-equation")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        for button in (self._first, self._previous, self._next, self._last):
            button.on_click(functools.partial(self._move, button.description))
        self._slider.observe(self._on_slider, names="value")
        self._syncing = False
        return widgets.HBox([self._first, self._previous, self._next, self._last,
                             self._slider])

    @_safely
    def _move(self, move: str, _button=None):
        """Apply the state's move "first", "previous", "next" or "last"."""
        getattr(self.state, move)()
        self._refresh()

    @_safely
    def _on_slider(self, change):
        if not self._syncing:
            self.state.go_to(change["new"] - 1)
            self._refresh()

    def _refresh(self):
        """Bring every control in line with the state, then redraw."""
        state = self.state
        self._syncing = True
        try:
            self._slider.max = max(state.n_steps, 1)
            self._slider.value = state.index + 1
        finally:
            self._syncing = False
        self._first.disabled = self._previous.disabled = state.at_start
        self._next.disabled = self._last.disabled = state.at_end
        self._heading.value = f"<b>{html.escape(state.description)}</b>"
        self._equation.value = _math(state.current_latex)
        self._text.value = f"<code>{html.escape(state.current_text)}</code>"
        self._show_message()
        self._redraw()


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

    def __init__(self, expression, *, upstream_grad=1.0, editable=None, **values):
        if isinstance(expression, str):
            self.state = GraphStepperState(parse_expression(expression, values),
                                           upstream_grad=upstream_grad)
        else:
            self.state = GraphStepperState(expression, upstream_grad=upstream_grad)
        editable = isinstance(expression, str) if editable is None else editable
        buttons = self._make_controls()
        self._make_figure()
        self._inputs = widgets.VBox()
        children = [self._heading, self._equation, self._text, self._image, buttons,
                    self._inputs]
        self._expression = None
        if editable:
            self._expression = widgets.Text(
                value=expression if isinstance(expression, str) else
                expression_text(self.state.root),
                description="expression", placeholder="e.g. (x + y) * z",
                continuous_update=False, layout=widgets.Layout(width="60%"))
            self._expression.observe(self._on_expression, names="value")
            children.append(self._expression)
        self._finish(children)
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
        self._refresh()

    @_safely
    def _on_expression(self, change):
        values = self.state.inputs
        root = parse_expression(change["new"], values)
        self.state = GraphStepperState(root, upstream_grad=self.state.upstream_grad)
        self._figure = new_figure(self.state.figsize)  # the new graph may need another size
        self._make_input_sliders()
        self._refresh()


class NetworkStepper(_StepperView):
    """Step through one training step of a small network on one input.

    Takes the arguments of NetworkStepperState (network, x, target, loss, lr).
    Attributes: state (NetworkStepperState), widget (the ipywidgets box).
    """

    css_class = "network-stepper"

    def __init__(self, network=None, x=None, target=None, *, loss="mse", lr=0.5):
        self.state = NetworkStepperState(network, x, target, loss=loss, lr=lr)
        buttons = self._make_controls()
        self._make_figure()
        self._finish([self._heading, self._equation, self._text, self._image, buttons])
        self._refresh()


class ActivationExplorer(_View):
    """Choose an activation and move z: see f(z), the tangent of slope f'(z), and where the
    function saturates (shaded: |f'(z)| < 0.05).

    Takes the arguments of ActivationExplorerState. Attributes: state, widget.
    """

    css_class = "activation-explorer"

    def __init__(self, activation="sigmoid", z=0.0, *, z_range=(-6.0, 6.0), saturation=0.05):
        self.state = ActivationExplorerState(activation, z, z_range=z_range,
                                             saturation=saturation)
        self._choice = widgets.Dropdown(options=list(self.state.ACTIVATIONS),
                                        value=self.state.activation, description="activation")
        low, high = self.state.z_range
        self._z = widgets.FloatSlider(value=self.state.z, min=low, max=high, step=0.05,
                                      description="z", continuous_update=False,
                                      readout_format=".2f")
        self._equation = widgets.HTMLMath()
        self._equation.add_class("step-equation")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        self._make_figure()
        self._choice.observe(self._on_choice, names="value")
        self._z.observe(self._on_z, names="value")
        self._finish([widgets.HBox([self._choice, self._z]), self._equation, self._text,
                      self._image])
        self._refresh()

    @_safely
    def _on_choice(self, change):
        self.state.set_activation(change["new"])
        self._refresh()

    @_safely
    def _on_z(self, change):
        self.state.set_z(change["new"])
        self._refresh()

    def _refresh(self):
        self._equation.value = _math(self.state.current_latex)
        self._text.value = f"<code>{html.escape(self.state.current_text)}</code>"
        self._show_message()
        self._redraw()


class TrainingExplorer(_View):
    """Train a small classifier on a toy data set and watch the loss and the boundary.

    Controls: data set, hidden width, activation, learning rate, epochs; "train" starts
    again and runs the epochs with a progress bar, "one more epoch" continues, "reset"
    goes back to the untrained network. Takes the arguments of TrainingExplorerState.
    Attributes: state, widget.
    """

    css_class = "training-explorer"
    redraw_interval = 0.5  # seconds between pictures while training

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.state = TrainingExplorerState(dataset, hidden, activation, lr, epochs, seed)
        s = self.state
        style = {"description_width": "initial"}
        self._dataset = widgets.Dropdown(options=list(s.DATASETS), value=s.dataset,
                                         description="data set", style=style)
        self._hidden = widgets.IntSlider(value=s.hidden, min=1, max=32, description="hidden",
                                         continuous_update=False, style=style)
        self._activation = widgets.Dropdown(options=list(s.ACTIVATIONS), value=s.activation,
                                            description="activation", style=style)
        self._lr = widgets.FloatLogSlider(value=s.lr, base=10, min=-3, max=1, step=0.1,
                                          description="learning rate", readout_format=".3g",
                                          continuous_update=False, style=style)
        self._epochs = widgets.IntSlider(value=s.epochs, min=10, max=2000, step=10,
                                         description="epochs", continuous_update=False,
                                         style=style)
        self._train = _button("train", "start again and train for the chosen epochs")
        self._one_more = _button("one more epoch", "train one more epoch")
        self._reset = _button("reset", "back to the untrained network")
        self._progress = widgets.IntProgress(value=0, min=0, max=s.epochs,
                                             description="progress")
        self._text = widgets.HTML()
        self._text.add_class("step-text")
        self._make_figure()
        for control in (self._dataset, self._hidden, self._activation, self._lr,
                        self._epochs):
            control.observe(self._on_setting, names="value")
        self._train.on_click(self._on_train)
        self._one_more.on_click(self._on_one_more)
        self._reset.on_click(self._on_reset)
        self._finish([
            widgets.HBox([self._dataset, self._activation, self._hidden]),
            widgets.HBox([self._lr, self._epochs]),
            widgets.HBox([self._train, self._one_more, self._reset, self._progress]),
            self._text, self._image])
        self._refresh()

    @_safely
    def _on_setting(self, _change):
        self.state.configure(dataset=self._dataset.value, hidden=self._hidden.value,
                             activation=self._activation.value, lr=self._lr.value,
                             epochs=self._epochs.value)
        self._progress.value = 0
        self._refresh()

    @_safely
    def _on_train(self, _button=None):
        self.state.reset()
        total = self.state.epochs
        self._progress.max, self._progress.value = total, 0
        last_redraw = [time.monotonic()]

        def progress(done, total, loss):
            self._progress.value = done
            if done == total or time.monotonic() - last_redraw[0] > self.redraw_interval:
                self._refresh()
                last_redraw[0] = time.monotonic()

        self._set_busy(True)
        try:
            self.state.train(callback=progress)
        finally:
            self._set_busy(False)

    @_safely
    def _on_one_more(self, _button=None):
        self.state.run_one_epoch()
        self._refresh()

    @_safely
    def _on_reset(self, _button=None):
        self.state.reset()
        self._progress.value = 0
        self._refresh()

    def _set_busy(self, busy: bool):
        for control in (self._train, self._one_more, self._reset):
            control.disabled = busy

    def _refresh(self):
        self._text.value = f"<b>{html.escape(self.state.current_text)}</b>"
        self._show_message()
        self._redraw()
