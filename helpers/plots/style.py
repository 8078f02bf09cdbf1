"""The look shared by every drawing: palette, font sizes, new figures, PNG output, and the
measuring of text in pixels that lets labels shrink until none overlap.

Used by every drawing of the course, from lesson 00 (Start here) to lesson 07 (Training with
gradient descent); no lesson teaches it. Made to be projected in a classroom: large fonts and
the Okabe-Ito colour-blind-safe palette. Figures are made with matplotlib's object API and an
Agg canvas, never with pyplot, so no figure leaks into pyplot's global state.
"""

from __future__ import annotations

import io
import re

from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

__all__ = ["FONT_SIZE", "OKABE_ITO", "figure_to_png", "new_figure"]

# The Okabe-Ito palette: distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
CLASS_COLOURS = ["blue", "orange", "bluish_green", "reddish_purple", "sky_blue", "vermillion"]
CLASS_MARKERS = ["o", "s", "^", "D", "v", "P"]

FONT_SIZE = 14  # labels inside drawings, in points
TITLE_SIZE = 16
TICK_SIZE = 13
MIN_FONT_SIZE = 4  # labels shrink no further (a crowded drawing needs a larger figure)
GREY = "#7F7F7F"
FORWARD_COLOUR = OKABE_ITO["orange"]  # the current forward operation
BACKWARD_COLOUR = OKABE_ITO["vermillion"]  # the current chain-rule products
CURRENT_FILL = "#FBF6B8"  # a light Okabe-Ito yellow behind the current node
INPUT_FILL = "#DDEFF9"  # a light sky blue behind inputs


# ------------------------------------------------------------------------------------------
# Figures
# ------------------------------------------------------------------------------------------
def new_figure(figsize=(8.0, 5.0), dpi=100) -> Figure:
    """A Figure with an Agg canvas, not registered with pyplot (so it never leaks).

    figsize: (width, height) in inches; dpi: pixels per inch.
    """
    fig = Figure(figsize=figsize, dpi=dpi)
    FigureCanvasAgg(fig)
    return fig


def figure_and_axes(ax, figsize):
    """The Figure and Axes to draw on: ``ax`` if given, else a new Figure with one Axes."""
    if ax is not None:
        return ax.figure, ax
    fig = new_figure(figsize)
    return fig, fig.add_subplot()


def figure_to_png(fig: Figure, dpi=None, *, fast=False) -> bytes:
    """Render a Figure with the Agg backend and return the PNG bytes (at ``fig.dpi`` unless
    ``dpi`` is given). ``fast``: compress less (a few % larger, encoded in about half the
    time), for pictures a widget shows at once and does not store."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi or fig.dpi,
                pil_kwargs={"compress_level": 1} if fast else None)
    return buffer.getvalue()


def _register_png_formatter() -> None:
    """In IPython, display a returned Figure as PNG even if pyplot was never imported."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return
    shell = get_ipython()
    if shell is None:
        return
    formatter = shell.display_formatter.formatters["image/png"]
    try:
        formatter.lookup_by_type(Figure)
    except KeyError:
        formatter.for_type(Figure, figure_to_png)


_register_png_formatter()


def style_title(ax, title):
    """Put ``title`` (if any) above the Axes, on the left, at the title size."""
    if title:
        ax.set_title(title, fontsize=TITLE_SIZE, loc="left")


def lighten(colour, amount=0.7):
    """The colour mixed with white (amount 1 is white), as (r, g, b)."""
    r, g, b, _ = to_rgba(colour)
    return (r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount)


# ------------------------------------------------------------------------------------------
# Measuring text
# ------------------------------------------------------------------------------------------
def _renderer(fig: Figure) -> RendererAgg:
    """An Agg renderer of the figure's size, for measuring text in pixels."""
    width, height = fig.get_size_inches() * fig.dpi
    return RendererAgg(int(width), int(height), fig.dpi)


def _box_size_px(text: str, fontsize: float, fig: Figure, renderer, pad: float) -> tuple:
    """(width, height) in pixels of ``text`` in a box with ``pad`` (fraction of fontsize)."""
    probe = fig.text(0, 0, text, fontsize=fontsize, ha="center", va="center")
    extent = probe.get_window_extent(renderer)
    probe.remove()
    margin = 2 * pad * fontsize * fig.dpi / 72
    return extent.width + margin, extent.height + margin


class Measure:
    """Sizes of text boxes in pixels, measured once each with an Agg renderer."""

    def __init__(self, fig: Figure):
        self.fig = fig
        self.renderer = _renderer(fig)
        self._cache: dict = {}

    def box(self, text: str, fontsize: float, pad: float = 0.3) -> tuple[float, float]:
        """(width, height) in pixels of ``text`` in a box with ``pad`` (fraction of font)."""
        key = (text, round(fontsize, 4), pad)
        if key not in self._cache:
            self._cache[key] = _box_size_px(text, fontsize, self.fig, self.renderer, pad)
        return self._cache[key]

    def number(self, text: str, fontsize: float, pad: float) -> tuple[float, float]:
        """Box of a short number such as "-0.53", measured once per shape ("-0.00")."""
        return self.box(re.sub(r"\d", "0", text), fontsize, pad)

    def to_px(self, ax):
        """A function (x, y) in data units -> (x, y) in pixels, for a linear Axes."""
        bbox = ax.get_window_extent(self.renderer)
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()

        def convert(point):
            return (bbox.x0 + (point[0] - x0) / (x1 - x0) * bbox.width,
                    bbox.y0 + (point[1] - y0) / (y1 - y0) * bbox.height)

        return convert


def fit_font(sizes_px, pitch_px, base, fill=(0.72, 0.8)):
    """Largest font <= base such that every box fits its pitch (boxes scale with the font).

    sizes_px: [(width, height)] of the boxes at font ``base``; pitch_px: (width, height) of
    one cell of the drawing's grid; fill: the fraction of the cell a box may take.
    """
    if not sizes_px:
        return base
    max_w = max(w for w, _ in sizes_px)
    max_h = max(h for _, h in sizes_px)
    scale = min(1.0, fill[0] * pitch_px[0] / max_w, fill[1] * pitch_px[1] / max_h)
    return max(MIN_FONT_SIZE, base * scale * 0.97)
