"""What the two steppers share: where we are among the steps, a figure to draw them in, and
the pictures of the steps drawn so far.

Used by the graph stepper (lessons 00 Start here and 03 The chain rule on a graph) and the
network stepper (lessons 00, 01 Forward propagation and 05 Backpropagation). ``Stepper``
keeps the position: the index of the current step and the moves first, previous, next,
last, each clamped to the steps there are. It also keeps the PNG of every step it has
drawn, so that a click shows a picture drawn before instead of drawing it then; after a
move, ``draw_ahead`` draws the steps the learner is likely to want next (the neighbours in
the direction of travel first). The figure helpers give every state one fixed-size figure
that fits a notebook cell.
"""

from __future__ import annotations

from ..plots import figure_to_png, new_figure

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

    A subclass sets ``steps`` (a list) and ``index``, and defines ``phase``,
    ``current_text``, ``figsize`` and ``draw(fig)``; it calls ``forget_pictures()`` when
    its steps change (a new input value).
    """

    index: int
    steps: list
    _direction = 1  # +1 after a move forward, -1 after a move back

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
        new = clamp_index(index, self.n_steps)
        if new != self.index:
            self._direction = 1 if new > self.index else -1
        self.index = new
        return self.index

    def first(self) -> int:
        return self.go_to(0)

    def previous(self) -> int:
        return self.go_to(self.index - 1)

    def next(self) -> int:
        return self.go_to(self.index + 1)

    def last(self) -> int:
        return self.go_to(self.n_steps - 1)

    def latex_of(self, index: int) -> str:
        """The equation of step ``index`` (0-based) in LaTeX, with its numbers."""
        latex = self.steps[index].latex
        return latex() if callable(latex) else latex

    def snapshot(self) -> tuple:
        """(index, phase, current_text): enough to tell two positions apart in a test."""
        return self.index, self.phase, self.current_text

    # pictures ------------------------------------------------------------------------------
    @property
    def _pictures(self) -> dict[int, bytes]:
        """{step: PNG bytes} of the steps drawn so far (made on first use)."""
        return self.__dict__.setdefault("_picture_cache", {})

    def forget_pictures(self) -> None:
        """Drop every picture drawn so far (the steps have changed)."""
        self._pictures.clear()

    @property
    def drawn_steps(self) -> list[int]:
        """The steps (0-based) whose picture is drawn and kept, in order."""
        return sorted(self._pictures)

    def picture(self, index=None) -> bytes:
        """The PNG bytes of step ``index`` (default: the current step), drawn the first time
        and kept: asking again costs nothing."""
        index = self.index if index is None else clamp_index(index, self.n_steps)
        if index not in self._pictures:
            here, figure = self.index, self.__dict__.get("_figure")
            if figure is None:
                figure = self._figure = new_figure(self.figsize)
            try:
                self.index = index
                self._pictures[index] = figure_to_png(self.draw(figure), fast=True)
            finally:
                self.index = here
        return self._pictures[index]

    def ahead(self) -> list[int]:
        """The steps to draw before the learner asks for them, most likely first: the next
        one in the direction of travel, the one behind, then the last and the first."""
        here, way = self.index, self._direction
        wanted = [here + way, here - way, self.n_steps - 1, 0]
        return list(dict.fromkeys(i for i in wanted if 0 <= i < self.n_steps and i != here))

    def draw_ahead(self, limit: int = 2) -> list[int]:
        """Draw up to ``limit`` pictures of ``ahead()`` that are not drawn yet; returns the
        steps drawn. A view calls it after showing a step, so that the next click only
        swaps pictures."""
        drawn = []
        for index in self.ahead():
            if len(drawn) >= limit:
                break
            if index not in self._pictures:
                self.picture(index)
                drawn.append(index)
        return drawn
