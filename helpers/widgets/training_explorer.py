"""The state of the training explorer: a small classifier trained on a toy data set, at a
pace a learner can watch.

Used in lesson 07 (Training with gradient descent): a toy data set, a one-hidden-layer
network, its loss per epoch and its decision boundary. A run plays in chunks of a few epochs,
one picture after each chunk (``tick``), so that 300 epochs take about ``FRAMES`` pictures
instead of one; it can be paused, continued, or stepped one epoch at a time. Every picture
shown is kept as a ``Snapshot`` (epoch, loss, accuracy). Plain Python and matplotlib: tests
drive it without a widget; ``explorer_views.TrainingExplorer`` shows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._validate import check_choice, check_positive_float, check_positive_int
from ..data import DATASETS
from ..network import build_network, predicted_classes
from ..plots import plot_decision_boundary, plot_loss_curve
from ..training import train
from .stepping import fresh_figure

__all__ = ["Snapshot", "TrainingExplorerState"]


@dataclass(frozen=True)
class Snapshot:
    """What one picture of a run showed: the epochs done, the last loss, the accuracy."""

    epoch: int
    loss: float
    accuracy: float


class TrainingExplorerState:
    """A small classifier trained on a toy data set, a chunk of epochs at a time.

    Args:
        dataset: "xor", "two_moons", "circles" or "spirals".
        hidden: width of the one hidden layer (1..64).
        activation: hidden activation, "tanh", "relu" or "sigmoid".
        lr: learning rate (> 0).
        epochs: the epochs of one run: "train" plays until this many are done (> 0).
        seed: seed of the data and of the initial weights.

    Two classes use a sigmoid output with binary cross-entropy; more classes an identity
    output with softmax cross-entropy. Full-batch gradient descent, so it is deterministic.
    X is (n_samples, 2), y (n_samples,) class indices.

    A run: ``play()`` starts it (from the untrained network once the epochs are done),
    each ``tick()`` trains ``chunk`` more epochs and keeps a Snapshot, ``pause()`` stops it
    and ``play()`` goes on; ``step()`` pauses and trains exactly one epoch. ``train()`` runs
    epochs at once, with no pictures in between.

    Attributes a notebook can check: losses (one per epoch trained), epoch, accuracy,
        playing, chunk, snapshots, current_text, status, network, X, y.
    """

    DATASETS = ("xor", "two_moons", "circles", "spirals")
    ACTIVATIONS = ("tanh", "relu", "sigmoid")
    LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)  # the slider's stops
    MAX_HIDDEN = 64
    FRAMES = 30  # pictures one run shows while it plays

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.seed = int(seed)
        self.dataset, self.hidden, self.activation = dataset, hidden, activation
        self.lr, self.epochs = lr, epochs
        self.X = self.y = None
        self.configure()  # checks the settings, loads the data, builds the network

    def configure(self, **changes) -> None:
        """Change dataset, hidden, activation, lr and/or epochs, and start again with the
        untrained network (so every run with new settings starts from the same place)."""
        settings = dict(dataset=self.dataset, hidden=self.hidden, activation=self.activation,
                        lr=self.lr, epochs=self.epochs)
        unknown = set(changes) - set(settings)
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}; valid: "
                             f"{', '.join(settings)}")
        settings.update(changes)
        dataset = check_choice(settings["dataset"], "dataset", self.DATASETS)
        activation = check_choice(settings["activation"], "activation", self.ACTIVATIONS)
        hidden = check_positive_int(settings["hidden"], "hidden")
        if hidden > self.MAX_HIDDEN:
            raise ValueError(f"hidden must be a width from 1 to {self.MAX_HIDDEN}; got "
                             f"{settings['hidden']!r}")
        lr = check_positive_float(settings["lr"], "lr")
        epochs = check_positive_int(settings["epochs"], "epochs")
        new_data = dataset != self.dataset or self.X is None
        self.dataset, self.hidden, self.activation = dataset, hidden, activation
        self.lr, self.epochs = lr, epochs
        if new_data:
            self.X, self.y = self._load_data()
        self.reset()

    def _load_data(self):
        make = DATASETS[self.dataset]
        X, y = make() if self.dataset == "xor" else make(seed=self.seed)
        return np.asarray(X, dtype=np.float64), np.asarray(y).astype(int)

    @property
    def n_classes(self) -> int:
        return int(self.y.max()) + 1

    @property
    def loss_name(self) -> str:
        return "binary_cross_entropy" if self.n_classes == 2 else "softmax_cross_entropy"

    def reset(self) -> None:
        """A fresh, untrained network (same seed, so the same start every time); paused."""
        binary = self.n_classes == 2
        sizes = [2, self.hidden, 1 if binary else self.n_classes]
        self.network = build_network(sizes, hidden=self.activation,
                                     output="sigmoid" if binary else "identity", rng=self.seed)
        self.losses: list[float] = []
        self.snapshots: list[Snapshot] = []
        self.playing = False
        self.problem = ""

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return len(self.losses)

    def _targets(self):
        return self.y.astype(np.float64) if self.n_classes == 2 else self.y

    def train(self, epochs: int | None = None, callback=None) -> list[float]:
        """Train ``epochs`` more epochs (default: self.epochs) at once, one at a time.

        callback(done, total, loss) is called after each epoch (for a progress bar).
        Returns the losses of these epochs. FloatingPointError if training diverges (the
        learning rate is too large); the network is then reset.
        """
        total = self.epochs if epochs is None else check_positive_int(epochs, "epochs")
        new = []
        for done in range(1, total + 1):
            try:
                loss = train(self.network, self.X, self._targets(), loss=self.loss_name,
                             lr=self.lr, epochs=1, rng=self.seed)[0]
            except FloatingPointError:
                epoch = self.epoch + 1
                self.reset()
                self.problem = (f"training diverged at epoch {epoch}: the learning rate "
                                f"{self.lr:g} is too large, so the network is back to "
                                "untrained. Choose a smaller one and press train.")
                raise
            self.losses.append(loss)
            new.append(loss)
            if callback is not None:
                callback(done, total, loss)
        return new

    def run_one_epoch(self) -> float:
        """Train exactly one more epoch; returns its loss."""
        return self.train(1)[0]

    # a run, played in chunks --------------------------------------------------------------
    @property
    def chunk(self) -> int:
        """Epochs trained between two pictures while playing: about FRAMES pictures a run."""
        return max(1, math.ceil(self.epochs / self.FRAMES))

    @property
    def finished(self) -> bool:
        """True once the run's epochs are done."""
        return self.epoch >= self.epochs

    def play(self) -> None:
        """Start playing the run, or go on with it; once it is finished, start again from
        the untrained network."""
        if self.finished:
            self.reset()
        self.problem = ""
        self.playing = True

    def pause(self) -> None:
        self.playing = False

    def _snapshot(self) -> None:
        self.snapshots.append(Snapshot(self.epoch, self.losses[-1], self.accuracy))

    def tick(self) -> int:
        """While playing: train one chunk (fewer at the end of the run), keep a Snapshot, and
        stop playing when the run is done. Returns the epochs trained (0 when paused or
        when training diverged: ``problem`` then says why)."""
        if not self.playing:
            return 0
        n = min(self.chunk, self.epochs - self.epoch)
        try:
            self.train(n)
        except FloatingPointError:
            return 0  # reset, paused, and self.problem says what happened
        self._snapshot()
        self.playing = not self.finished
        return n

    def step(self) -> float | None:
        """Pause and train exactly one more epoch (past the run's end, too); returns its loss
        (None if training diverged: ``problem`` says why)."""
        self.pause()
        try:
            loss = self.run_one_epoch()
        except FloatingPointError:
            return None
        self._snapshot()
        return loss

    # what the learner reads and sees ------------------------------------------------------
    @property
    def accuracy(self) -> float:
        """Fraction of the training points classified correctly, in [0, 1]."""
        scores = self.network.copy().forward(self.X)
        predicted = predicted_classes(scores)
        return float(np.mean(predicted == self.y))

    @property
    def current_text(self) -> str:
        if not self.losses:
            return f"untrained; accuracy {self.accuracy:.0%}"
        return (f"epoch {self.epoch}: loss {self.losses[-1]:.4f}, "
                f"accuracy {self.accuracy:.0%}")

    @property
    def status(self) -> str:
        """One line on what is happening and what to press next."""
        if self.problem:
            return self.problem
        if self.playing:
            return f"training: epoch {self.epoch} of {self.epochs} (pause to stop)"
        if not self.losses:
            return ("untrained network with these settings: press train to watch it learn, "
                    "or +1 epoch for one step")
        if self.finished:
            return (f"done: {self.epoch} epochs. Press train to start again, or +1 epoch "
                    "to go on")
        return (f"paused at epoch {self.epoch} of {self.epochs}: press train to go on, or "
                "+1 epoch for one step")

    figsize = (11.0, 4.8)

    def draw(self, fig=None):
        """Loss curve (left, epochs 0 to the run's end) and decision boundary (right) in
        ``fig`` or a new Figure."""
        fig = fresh_figure(fig, self.figsize)
        left, right = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.05]))
        plot_loss_curve(self.losses, ax=left, title="loss per epoch",
                        epochs=max(self.epochs, self.epoch))
        plot_decision_boundary(self.network, self.X, self.y, ax=right, resolution=120,
                               title=f"{self.dataset}, epoch {self.epoch}")
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.9, wspace=0.22)
        return fig
