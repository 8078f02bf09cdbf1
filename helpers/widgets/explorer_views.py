"""The explorer widgets: thin ipywidgets views around the explorer states.

Used in lessons 02 (Activation functions: ActivationExplorer) and 07 (Training with gradient
descent: TrainingExplorer). As for the steppers (``views``), the controls come first and
never move; the picture is PNG bytes in an ``ipywidgets.Image``.

The training explorer plays a run at a pace a learner can follow: a hidden
``ipywidgets.Play`` ticks in the browser every ``interval`` ms while the run plays, and each
tick trains one chunk of epochs and draws one picture (``TrainingExplorerState.tick``) in
the kernel's ordinary message handling: no threads, no sleeping, and a click on "pause" is
handled between two pictures. Ticks that queued up while a picture was being drawn are
dropped, so a slow machine plays slower instead of falling behind.
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from .explorers import ActivationExplorerState
from .training_explorer import TrainingExplorerState
from .views import _button, _math, _safely, _View

__all__ = ["ActivationExplorer", "TrainingExplorer"]


class ActivationExplorer(_View):
    """Choose an activation and move z: see f(z), the tangent of slope f'(z), and where the
    function saturates (shaded: |f'(z)| < 0.05).

    Takes the arguments of ActivationExplorerState. Attributes: state, widget.
    """

    css_class = "activation-explorer"
    name = "Activation explorer"

    def __init__(self, activation="sigmoid", z=0.0, *, z_range=(-6.0, 6.0), saturation=0.05):
        self.state = ActivationExplorerState(activation, z, z_range=z_range,
                                             saturation=saturation)
        self._choice = widgets.Dropdown(options=list(self.state.ACTIVATIONS),
                                        value=self.state.activation, description="activation")
        low, high = self.state.z_range
        self._z = widgets.FloatSlider(value=self.state.z, min=low, max=high, step=0.05,
                                      description="z", continuous_update=False,
                                      readout_format=".2f",
                                      layout=widgets.Layout(width="420px"))
        self._equation = widgets.HTMLMath()
        self._equation.add_class("step-equation")
        self._note = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self._note.add_class("step-note")
        self._make_figure()
        self._choice.observe(self._on_choice, names="value")
        self._z.observe(self._on_z, names="value")
        self._finish([widgets.HBox([self._choice, self._z])],
                     [self._equation, self._note, self._image])
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
        self._note.value = f"<b>{html.escape(self.state.note)}</b>"
        self._show_message()
        self._redraw()


class TrainingExplorer(_View):
    """Train a small classifier on a toy data set and watch the loss and the boundary.

    Controls: data set, activation, hidden width, learning rate (stops from 0.001 to 10),
    epochs; "▶ train" plays the run (about 30 pictures, a chunk of epochs each), "pause"
    stops it ("▶ train" goes on), "+1 epoch" trains exactly one epoch, "reset" goes back to
    the untrained network. A new setting starts again with the untrained network and shows
    it at once. Takes the arguments of TrainingExplorerState. Attributes: state, widget.
    """

    css_class = "training-explorer"
    name = "Training explorer"
    interval = 150  # ms between two ticks of the browser while a run plays
    stale_gap = 0.03  # s: a tick handled sooner than this after a picture had queued up

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.state = TrainingExplorerState(dataset, hidden, activation, lr, epochs, seed)
        s = self.state
        style = {"description_width": "initial"}
        self._dataset = widgets.Dropdown(options=list(s.DATASETS), value=s.dataset,
                                         description="data set", style=style)
        self._hidden = widgets.IntSlider(value=s.hidden, min=1, max=s.MAX_HIDDEN,
                                         description="hidden",
                                         continuous_update=False, style=style)
        self._activation = widgets.Dropdown(options=list(s.ACTIVATIONS), value=s.activation,
                                            description="activation", style=style)
        rates = sorted({*s.LEARNING_RATES, s.lr})
        self._lr = widgets.SelectionSlider(
            options=[(f"{rate:g}", rate) for rate in rates], value=s.lr,
            description="learning rate", continuous_update=False, style=style,
            layout=widgets.Layout(width="480px"))
        self._epochs = widgets.IntSlider(value=s.epochs, min=min(10, s.epochs),
                                         max=max(2000, s.epochs), step=10,
                                         description="epochs", continuous_update=False,
                                         style=style, layout=widgets.Layout(width="420px"))
        self._train = _button("▶ train", "play the run: train and redraw every few epochs")
        self._pause = _button("pause", "stop here; train goes on from here")
        self._step = _button("+1 epoch", "train exactly one more epoch")
        self._reset = _button("reset", "back to the untrained network")
        self._progress = widgets.IntProgress(value=0, min=0, max=s.epochs,
                                             description="progress")
        self._ticker = widgets.Play(value=0, min=0, max=10**9, interval=self.interval,
                                    show_repeat=False,
                                    layout=widgets.Layout(display="none"))
        self._text = widgets.HTML(layout=widgets.Layout(min_height="3em"))
        self._text.add_class("step-text")
        self._make_figure()
        for control in (self._dataset, self._hidden, self._activation, self._lr,
                        self._epochs):
            control.observe(self._on_setting, names="value")
        self._train.on_click(self._on_train)
        self._pause.on_click(self._on_pause)
        self._step.on_click(self._on_step)
        self._reset.on_click(self._on_reset)
        self._ticker.observe(self._on_tick, names="value")
        self._last_picture = 0.0  # time.monotonic() when the last picture was sent
        self._finish([
            widgets.HBox([self._dataset, self._activation, self._hidden]),
            widgets.HBox([self._lr, self._epochs]),
            widgets.HBox([self._train, self._pause, self._step, self._reset, self._progress,
                          self._ticker])],
            [self._text, self._image])
        self._refresh()

    def _stop_ticking(self):
        self._ticker.playing = False

    @_safely
    def _on_setting(self, _change):
        self._stop_ticking()
        self.state.configure(dataset=self._dataset.value, hidden=self._hidden.value,
                             activation=self._activation.value, lr=self._lr.value,
                             epochs=self._epochs.value)
        self._refresh()

    @_safely
    def _on_train(self, _button=None):
        self.state.play()
        self._frame()
        if self.state.playing:
            self._ticker.playing = True

    @_safely
    def _on_tick(self, _change):
        if time.monotonic() - self._last_picture < self.stale_gap:
            return  # queued while the last picture was drawn: skip it, do not fall behind
        self._frame()

    def _frame(self):
        """One chunk of the run and its picture; stop ticking when the run is over."""
        self.state.tick()
        if not self.state.playing:
            self._stop_ticking()
        self._refresh()
        self._last_picture = time.monotonic()

    @_safely
    def _on_pause(self, _button=None):
        self._stop_ticking()
        self.state.pause()
        self._refresh()

    @_safely
    def _on_step(self, _button=None):
        self._stop_ticking()
        self.state.step()
        self._refresh()

    @_safely
    def _on_reset(self, _button=None):
        self._stop_ticking()
        self.state.reset()
        self._refresh()

    def _refresh(self):
        """The picture first (drawing it is the slow part), then the numbers next to it, so
        that they change together."""
        state = self.state
        self._redraw()
        self._progress.max = max(state.epochs, state.epoch)
        self._progress.value = state.epoch
        self._pause.disabled = not state.playing
        self._text.value = (f"<b>{html.escape(state.current_text)}</b><br>"
                            f"{html.escape(state.status)}")
        self._show_message()
