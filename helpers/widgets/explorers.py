"""The states of the two explorers: an activation function at one point, and a small
classifier trained epoch by epoch.

``ActivationExplorerState`` is used in lesson 02 (Activation functions): f(z), its slope
f'(z) and whether it saturates. ``TrainingExplorerState`` is used in lesson 07 (Training
with gradient descent): a toy data set, a one-hidden-layer network, its loss per epoch and
its decision boundary. Plain Python and matplotlib: tests drive them without a widget;
``views.ActivationExplorer`` and ``views.TrainingExplorer`` show them.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import (
    as_float_array,
    check_choice,
    check_positive_float,
    check_positive_int,
    check_shape,
)
from ..activations import get_activation
from ..data import DATASETS
from ..network import build_network, predicted_classes
from ..plots import plot_activation, plot_decision_boundary, plot_loss_curve
from ..training import train
from .formulas import activation_latex, latex_to_text, number
from .stepping import fresh_figure

__all__ = ["ActivationExplorerState", "TrainingExplorerState"]


class ActivationExplorerState:
    """An activation function at one point z: its value, its slope, and whether it saturates.

    Args:
        activation: "sigmoid", "tanh", "relu" or "identity".
        z: the pre-activation (a number), clamped to ``z_range``.
        z_range: (low, high) of z.
        saturation: |f'(z)| below this (> 0) counts as saturated (the gradient nearly
            vanishes).

    Attributes a notebook can check: activation, z, value (f(z)), slope (f'(z)),
        saturated (bool), current_latex, current_text.
    """

    ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")

    def __init__(self, activation="sigmoid", z=0.0, *, z_range=(-6.0, 6.0), saturation=0.05):
        z_range = as_float_array(z_range, "z_range")
        check_shape(z_range, "z_range", (2,), "(low, high)")
        low, high = (float(v) for v in z_range)
        if not low < high:
            raise ValueError(f"z_range must be (low, high) with low < high; got {(low, high)}")
        self.z_range = (low, high)
        self.saturation = check_positive_float(saturation, "saturation")
        self.activation = "sigmoid"
        self.z = 0.0
        self.set_activation(activation)
        self.set_z(z)

    def set_activation(self, name: str) -> None:
        """Choose the activation; ValueError (listing the valid names) for any other name."""
        self.activation = check_choice(name, "activation", self.ACTIVATIONS)

    def set_z(self, z: float) -> float:
        """Move to ``z``, clamped to z_range (NaN keeps the old z); returns the new z."""
        z = float(z)
        if not math.isnan(z):
            self.z = min(max(z, self.z_range[0]), self.z_range[1])
        return self.z

    @property
    def value(self) -> float:
        return float(get_activation(self.activation).forward(np.array([self.z]))[0])

    @property
    def slope(self) -> float:
        return float(get_activation(self.activation).derivative(np.array([self.z]))[0])

    @property
    def saturated(self) -> bool:
        return abs(self.slope) < self.saturation

    @property
    def current_latex(self) -> str:
        """f(z) and f'(z) with the numbers put in, e.g. ``\\sigma(0) = 0.5, ...``."""
        f, z = activation_latex(self.activation), number(self.z)
        return (rf"{f}({z}) = {number(self.value)}, \qquad \text{{slope }} {f}'({z}) = "
                rf"{number(self.slope)}")

    @property
    def current_text(self) -> str:
        """``current_latex`` as plain text, with a note when the function saturates."""
        text = latex_to_text(self.current_latex)
        if self.saturated:
            text += f" (saturated: |slope| < {self.saturation:g}, the gradient almost vanishes)"
        return text

    figsize = (8.0, 5.0)

    def draw(self, fig=None):
        """f over z_range with the point z, its tangent and the saturated zones, in ``fig``
        (cleared) or a new Figure; returns it."""
        fig = fresh_figure(fig, self.figsize)
        plot_activation(self.activation, z=self.z, z_range=self.z_range,
                        saturation=self.saturation, ax=fig.add_subplot())
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.13, top=0.92)
        return fig


class TrainingExplorerState:
    """A small classifier trained on a toy data set, epoch by epoch.

    Args:
        dataset: "xor", "two_moons", "circles" or "spirals".
        hidden: width of the one hidden layer (1..64).
        activation: hidden activation, "tanh", "relu" or "sigmoid".
        lr: learning rate (> 0).
        epochs: epochs one press of "train" runs (> 0).
        seed: seed of the data and of the initial weights.

    Two classes use a sigmoid output with binary cross-entropy; more classes an identity
    output with softmax cross-entropy. Full-batch gradient descent, so it is deterministic.
    X is (n_samples, 2), y (n_samples,) class indices.

    Attributes a notebook can check: losses (one per epoch trained), epoch, accuracy,
        current_text, network, X, y.
    """

    DATASETS = ("xor", "two_moons", "circles", "spirals")
    ACTIVATIONS = ("tanh", "relu", "sigmoid")
    MAX_HIDDEN = 64

    def __init__(self, dataset="two_moons", hidden=8, activation="tanh", lr=1.0, epochs=300,
                 seed=0):
        self.seed = int(seed)
        self.dataset, self.hidden, self.activation = dataset, hidden, activation
        self.lr, self.epochs = lr, epochs
        self.X = self.y = None
        self.configure()  # checks the settings, loads the data, builds the network

    def configure(self, **changes) -> None:
        """Change dataset, hidden, activation, lr and/or epochs.

        A new data set, width or activation starts again with an untrained network; a new
        learning rate or number of epochs keeps the network, so training can go on with it.
        """
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
        model = (dataset, hidden, activation)
        self.lr, self.epochs = lr, epochs
        if model != (self.dataset, self.hidden, self.activation) or self.X is None:
            self.dataset, self.hidden, self.activation = model
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
        """A fresh, untrained network (same seed, so the same start every time)."""
        binary = self.n_classes == 2
        sizes = [2, self.hidden, 1 if binary else self.n_classes]
        self.network = build_network(sizes, hidden=self.activation,
                                     output="sigmoid" if binary else "identity", rng=self.seed)
        self.losses: list[float] = []

    @property
    def epoch(self) -> int:
        """Epochs trained so far."""
        return len(self.losses)

    def _targets(self):
        return self.y.astype(np.float64) if self.n_classes == 2 else self.y

    def train(self, epochs: int | None = None, callback=None) -> list[float]:
        """Train ``epochs`` more epochs (default: self.epochs), one at a time.

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
                self.reset()
                raise
            self.losses.append(loss)
            new.append(loss)
            if callback is not None:
                callback(done, total, loss)
        return new

    def run_one_epoch(self) -> float:
        """Train exactly one more epoch; returns its loss."""
        return self.train(1)[0]

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

    figsize = (11.0, 4.8)

    def draw(self, fig=None):
        """Loss curve (left) and decision boundary (right) in ``fig`` or a new Figure."""
        fig = fresh_figure(fig, self.figsize)
        left, right = fig.subplots(1, 2, gridspec_kw=dict(width_ratios=[1, 1.05]))
        plot_loss_curve(self.losses, ax=left, title="loss per epoch")
        plot_decision_boundary(self.network, self.X, self.y, ax=right, resolution=120,
                               title=f"{self.dataset}, epoch {self.epoch}")
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.13, top=0.9, wspace=0.22)
        return fig
