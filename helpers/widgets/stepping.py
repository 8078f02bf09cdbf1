"""What the two steppers share: where we are among the steps, and a figure to draw them in.

Used by the graph stepper (lessons 00 Start here and 03 The chain rule on a graph) and the
network stepper (lessons 00, 01 Forward propagation and 05 Backpropagation). ``Stepper``
keeps the position: the index of the current step and the moves first, previous, next,
last, each clamped to the steps there are. The figure helpers give every state one
fixed-size figure that fits a notebook cell.
"""

from __future__ import annotations

from ..plots import new_figure

MAX_FIGURE_WIDTH = 11.0  # inches at 100 dpi: about the width of a notebook cell


def fit_width(figsize: tuple[float, float]) -> tuple[float, float]:
    """(width, height) in inches scaled down, keeping its shape, to fit a notebook cell."""
    width, height = figsize
    if width <= MAX_FIGURE_WIDTH:
        return width, height
    return MAX_FIGURE_WIDTH, height * MAX_FIGURE_WIDTH / width


def fresh_figure(fig, figsize: tuple[float, float]):
    """``fig`` cleared for a new drawing, or a new Figure of ``figsize`` if ``fig`` is None."""
    if fig is None:
        return new_figure(figsize)
    fig.clear()
    return fig


def clamp_index(index, n_steps: int) -> int:
    """An integer position clamped to 0 .. n_steps - 1."""
    return int(min(max(int(index), 0), max(n_steps - 1, 0)))


class Stepper:
    """Position bookkeeping of a stepper: ``index`` (0-based) among ``steps`` and the moves.

    A subclass sets ``steps`` (a list) and ``index``, and defines ``phase`` and
    ``current_text``.
    """

    index: int
    steps: list

    @property
    def n_steps(self) -> int:
        return len(self.steps)

    @property
    def at_start(self) -> bool:
        """True on the first step ("first" and "previous" do nothing there)."""
        return self.index == 0

    @property
    def at_end(self) -> bool:
        """True on the last step ("next" and "last" do nothing there)."""
        return self.index >= self.n_steps - 1

    def go_to(self, index) -> int:
        """Move to step ``index`` (0-based), clamped to the valid range; returns the index."""
        self.index = clamp_index(index, self.n_steps)
        return self.index

    def first(self) -> int:
        return self.go_to(0)

    def previous(self) -> int:
        return self.go_to(self.index - 1)

    def next(self) -> int:
        return self.go_to(self.index + 1)

    def last(self) -> int:
        return self.go_to(self.n_steps - 1)

    def snapshot(self) -> tuple:
        """(index, phase, current_text): enough to tell two positions apart in a test."""
        return self.index, self.phase, self.current_text
