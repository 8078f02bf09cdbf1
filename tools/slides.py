"""Slide metadata for presenting a lesson as a lecture with RISE in JupyterLab.

Every cell gets ``metadata["slideshow"] = {"slide_type": ...}`` from rules on the kind of cell,
so a lesson needs no hand edits:

- the first cell, and a markdown cell that opens with a ``# `` or ``## `` heading: ``slide``;
- a ``### `` heading, an exercise's task (``**Exercise ...``), a widget cell (tagged
  ``nbval-ignore-output``, shown live on a slide of its own) and the cell after a widget:
  ``subslide``;
- an exercise's answer cell and its check cell (nbgrader's ``solution`` and ``grade`` cells):
  ``skip``. In the edition with solutions the lecturer does not show the solution; in the
  student edition the answer is a stub and the check says "Not done yet". The task, with its
  hint, stays on its slide;
- the "Running this lesson" note for learners: ``notes`` (the speaker's view only);
- a code cell that continues a slide, and the markdown that comments on its result: the next
  step of a derivation, ``fragment``; a markdown cell that follows markdown: ``-`` (the same
  step);
- a cell that would not fit on the slide it continues, by an estimate of its height on a
  1280x720 screen: ``subslide``, a slide of its own below. ``estimated_height`` is that
  estimate, from the cell's source and outputs: the build gives the types once the lesson has
  run. A figure is drawn at most ``IMAGE_HEIGHT`` tall on a slide (``lessons_src/rise.css``).
  tests/test_slides.py measures the real slides in RISE.

A slide type given in a lesson's source (``# %% slideshow={"slide_type": "subslide"}``) wins
over the rules.
"""

from __future__ import annotations

import base64
import re
import struct

SLIDE, SUBSLIDE, FRAGMENT, CONTINUE, SKIP, NOTES = (
    "slide", "subslide", "fragment", "-", "skip", "notes")
SLIDE_TYPES = (SLIDE, SUBSLIDE, FRAGMENT, CONTINUE, SKIP, NOTES)
WIDGET_TAG = "nbval-ignore-output"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# The room on a 1280x720 slide and the sizes of what fills it, in CSS pixels, as RISE lays a
# notebook out there (measured in Chromium by tests/test_slides.py).
SLIDE_HEIGHT = 540  # what stays inside 720 once RISE has placed the slide, with a margin
TEXT_CHARS = 160  # characters of markdown on one line
TEXT_LINE = 19
CODE_CHARS = 150
CODE_LINE = 18
CELL_GAP = 16
IMAGE_WIDTH = 1190  # the widest an image is drawn
IMAGE_HEIGHT = 320  # the tallest a figure is drawn on a slide (lessons_src/rise.css)
WIDGET_HEIGHT = 560

_HEADING = re.compile(r"^(#{1,6}) ")
_MATH_BLOCK = re.compile(r"\$\$")


def is_widget(cell) -> bool:
    """A cell that shows a live widget."""
    return cell.cell_type == "code" and WIDGET_TAG in cell.metadata.get("tags", [])


def _nbgrader(cell, key: str) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get(key))


def is_answer(cell) -> bool:
    return _nbgrader(cell, "solution")


def is_check(cell) -> bool:
    return _nbgrader(cell, "grade")


def heading_level(cell) -> int:
    """The level of the heading a markdown cell opens with, or 0."""
    if cell.cell_type != "markdown":
        return 0
    match = _HEADING.match(cell.source.lstrip())
    return len(match.group(1)) if match else 0


def is_exercise_task(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith("**Exercise")


def is_learner_note(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().startswith(
        "> **Running this lesson.**")


def _wrapped_lines(text: str, width: int) -> int:
    return sum(max(1, -(-len(line) // width)) for line in text.splitlines())


def _png_size(data: str) -> tuple[int, int]:
    head = base64.b64decode(data[:64])
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _output_height(output) -> int:
    if output.get("output_type") == "stream":
        return _wrapped_lines(output.get("text", ""), CODE_CHARS) * CODE_LINE + 8
    data = output.get("data", {})
    if WIDGET_MIME in data:
        return WIDGET_HEIGHT
    if "image/png" in data:
        width, height = _png_size(data["image/png"])
        return min(IMAGE_HEIGHT, round(height * min(1.0, IMAGE_WIDTH / width))) + 8
    if "text/latex" in data or "text/markdown" in data:
        text = data.get("text/latex") or data.get("text/markdown")
        return _wrapped_lines(text, TEXT_CHARS) * TEXT_LINE * 2
    if "text/plain" in data:
        return _wrapped_lines(data["text/plain"], CODE_CHARS) * CODE_LINE + 8
    return 0


def estimated_height(cell) -> int:
    """Roughly how tall a cell (input and the outputs it has) is on a 1280x720 slide, in CSS
    pixels."""
    if cell.cell_type == "markdown":
        lines = _wrapped_lines(cell.source, TEXT_CHARS)
        displays = len(_MATH_BLOCK.findall(cell.source)) // 2
        return lines * TEXT_LINE + displays * TEXT_LINE + CELL_GAP
    if cell.cell_type != "code":
        return 0
    height = _wrapped_lines(cell.source, CODE_CHARS) * CODE_LINE + 12 + CELL_GAP
    return height + sum(_output_height(o) for o in cell.get("outputs", []))


def slide_types(cells) -> list[str]:
    """The slide type of each cell, by the rules in this module's docstring."""
    types: list[str] = []
    used = 0  # the estimated height of the (sub)slide being filled
    previous = None  # the last cell shown, and its type
    for index, cell in enumerate(cells):
        height = estimated_height(cell)
        level = heading_level(cell)
        given = cell.metadata.get("slideshow", {}).get("slide_type")
        if given in SLIDE_TYPES:  # set in the lesson's source: it wins
            kind = given
        elif index == 0:
            kind = SLIDE
        elif is_answer(cell) or is_check(cell):
            kind = SKIP
        elif is_learner_note(cell):
            kind = NOTES
        elif level in (1, 2):
            kind = SLIDE
        elif level == 3 or is_exercise_task(cell) or is_widget(cell):
            kind = SUBSLIDE
        elif previous is not None and is_widget(previous):
            kind = SUBSLIDE
        elif used + height > SLIDE_HEIGHT:
            kind = SUBSLIDE
        elif cell.cell_type == "code" or (previous is not None
                                          and previous.cell_type == "code"):
            kind = FRAGMENT
        else:
            kind = CONTINUE
        types.append(kind)
        if kind in (SLIDE, SUBSLIDE):
            used = height
        elif kind in (FRAGMENT, CONTINUE):
            used += height
        if kind not in (SKIP, NOTES):
            previous = cell
    return types


def mark_slides(notebook) -> list[str]:
    """Give every cell of a notebook its slideshow metadata, in place; returns the types.

    Run once the notebook has run (the rules read its outputs' heights) and after
    ``tools.editions.mark_exercises`` (answer and check cells are known by their nbgrader
    metadata)."""
    types = slide_types(notebook.cells)
    for cell, kind in zip(notebook.cells, types, strict=True):
        cell.metadata["slideshow"] = {"slide_type": kind}
    return types
