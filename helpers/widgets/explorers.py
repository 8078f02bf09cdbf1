"""The state of the activation explorer: an activation function at one point.

Used in lesson 02 (Activation functions): f(z), its slope f'(z) and whether it saturates.
Plain Python and matplotlib: tests drive it without a widget;
``explorer_views.ActivationExplorer`` shows it.
"""

from __future__ import annotations

import math

import numpy as np

from .._validate import as_float_array, check_choice, check_positive_float, check_shape
from ..activations import get_activation
from ..plots import plot_activation
from .formulas import activation_latex, latex_to_text, number
from .stepping import fresh_figure

__all__ = ["ActivationExplorerState"]


class ActivationExplorerState:
    """An activation function at one point z: its value, its slope, and whether it saturates.

    Args:
        activation: "sigmoid", "tanh", "relu" or "identity".
        z: the pre-activation (a number), clamped to ``z_range``.
        z_range: (low, high) of z.
        saturation: |f'(z)| below this (> 0) counts as saturated (the gradient nearly
            vanishes).

    Attributes a notebook can check: activation, z, value (f(z)), slope (f'(z)),
        saturated (bool), note, current_latex, current_text.
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
    def note(self) -> str:
        """What to notice here: that f is flat (a slope of exactly 0, as ReLU's for z < 0,
        passes no gradient), that it saturates (the gradient almost vanishes), or ""."""
        if self.slope == 0:
            return "flat: slope 0, no gradient passes back"
        if not self.saturated:
            return ""
        return f"saturated: |slope| < {self.saturation:g}, the gradient almost vanishes"

    @property
    def current_text(self) -> str:
        """``current_latex`` as plain text, with the note in parentheses when there is one."""
        text = latex_to_text(self.current_latex)
        return f"{text} ({self.note})" if self.note else text

    figsize = (8.0, 5.0)

    def draw(self, fig=None):
        """f over z_range with the point z, its tangent and the saturated zones, in ``fig``
        (cleared) or a new Figure; returns it."""
        fig = fresh_figure(fig, self.figsize)
        plot_activation(self.activation, z=self.z, z_range=self.z_range,
                        saturation=self.saturation, ax=fig.add_subplot())
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.13, top=0.92)
        return fig
