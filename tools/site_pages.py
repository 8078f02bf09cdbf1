"""The website's copy of one stored lesson: the student edition, made ready for Sphinx.

Nothing is executed again: the stored outputs are kept as they are. ``site_page`` returns a
copy of the notebook in which

- every figure carries its alt text: a code cell's ``alt`` metadata (written in the lesson's
  source as ``# %% alt="Two panels: ..."``) becomes myst-nb's ``mystnb.image.alt``; a cell
  that already has ``mystnb.image.alt`` keeps it; a figure with neither is listed as missing;
- every widget cell shows stills of the widget (``tools.widget_stills``) with a sentence that
  says it is live in Jupyter, in place of its stored one-line placeholder;
- a note under the title links to the lesson's edition with solutions on the code host;
- a link that leaves the lessons' folder (e.g. ``../README.md``) points to the code host;
- a ``$$ ... $$`` block spread over lines is put on one line: JupyterLab sets maths apart
  before it reads markdown, but MyST does not, and a line of TeX that starts with ``+`` or
  ``-`` would else begin a list.
"""

from __future__ import annotations

import copy
import posixpath
import re
from dataclasses import dataclass, field

import nbformat

from tools.widget_stills import is_widget_cell, stills_of

REPOSITORY = "backprop-course/forward-backward-propagation"
CODE_HOST = f"https://github.com/{REPOSITORY}"
BRANCH = "HEAD"
LESSONS_FOLDER = "notebooks"  # where the student edition lives in the repository
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)


@dataclass
class SitePage:
    """A lesson made ready for the site: the notebook, the stills to write next to it
    ({file name: PNG bytes}) and the figures that have no alt text ("NN_topic.ipynb cell N
    (its first line)")."""

    notebook: nbformat.NotebookNode
    stills: dict[str, bytes] = field(default_factory=dict)
    missing_alt: list[str] = field(default_factory=list)


def blob_url(path: str) -> str:
    """The code host's page of a file, given its path in the repository."""
    return f"{CODE_HOST}/blob/{BRANCH}/{path}"


def _figures(cell) -> int:
    return sum(1 for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))


def _give_alt_text(cell) -> bool:
    """Put the cell's alt text where myst-nb reads it; False if it has none."""
    image = cell.metadata.setdefault("mystnb", {}).setdefault("image", {})
    alt = cell.metadata.get("alt", image.get("alt", ""))
    alt = " ".join(alt) if isinstance(alt, list) else str(alt)
    if not alt.strip():
        return False
    image["alt"] = alt.strip()
    return True


def _outside_link(target: str, lessons: set[str]) -> str:
    """A relative link that leaves the lessons (not one of them, no anchor only) rewritten to
    the code host; others unchanged."""
    if re.match(r"^[a-z][a-z0-9+.-]*:|^#|^/", target):
        return target
    path, _, anchor = target.partition("#")
    if path in lessons:
        return target
    resolved = posixpath.normpath(posixpath.join(LESSONS_FOLDER, path))
    return blob_url(resolved) + (f"#{anchor}" if anchor else "")


def _one_line_maths(source: str) -> str:
    """Each ``$$ ... $$`` block of a markdown source on one line."""
    return _DISPLAY_MATH.sub(lambda m: "$$" + " ".join(m.group(1).split()) + "$$", source)


def _markdown(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(source)


def _still_cells(stem: str, index: int, cell, page: SitePage) -> list:
    """The markdown cell that shows a widget's stills; their PNGs are added to the page."""
    name, stills = stills_of(cell.source)
    lines = [f"**{name}: live in Jupyter.** On this page it is a picture. Open the lesson in "
             "JupyterLab or on Binder (the launch button at the top of the page) and run "
             "this cell to click through it. Here are two stills of it.", ""]
    for number, still in enumerate(stills, start=1):
        file = f"_stills/{stem}-cell{index:03d}-{number}.png"
        page.stills[file] = still.png
        alt = " ".join(still.alt.split()).replace('"', "'")
        caption = " ".join(still.caption.split())
        lines += [f"```{{figure}} {file}", f":alt: {alt}", "", caption, "```", ""]
    return [_markdown("\n".join(lines))]


def _solutions_note(stem: str) -> nbformat.NotebookNode:
    return _markdown(
        "```{note}\nThis is the student edition: the exercises are for you to answer, so each "
        "check below says \"Not done yet\". The worked solutions are in "
        f"[solutions/{stem}.ipynb]({blob_url(f'solutions/{stem}.ipynb')}) on the code "
        "host; try first, then compare.\n```")


def site_page(notebook: nbformat.NotebookNode, stem: str, lessons: set[str]) -> SitePage:
    """The site's copy of lesson ``stem`` (e.g. "05_backpropagation"); ``lessons`` is the
    set of lesson file names on the site ("05_backpropagation.ipynb", ...)."""
    page = SitePage(copy.deepcopy(notebook))
    cells = []
    for index, cell in enumerate(page.notebook.cells):
        if cell.cell_type == "markdown":
            cell.source = _LINK.sub(
                lambda m: m.group(1) + _outside_link(m.group(2), lessons) + m.group(3),
                _one_line_maths(cell.source))
        cells.append(cell)
        if index == 0:
            cells.append(_solutions_note(stem))
        if is_widget_cell(cell):
            cell.outputs = []
            cells += _still_cells(stem, index, cell, page)
        elif _figures(cell) and not _give_alt_text(cell):
            first = cell.source.strip().splitlines()[0][:60]
            page.missing_alt.append(f"{stem}.ipynb cell {index} ({first})")
    page.notebook.cells = cells
    return page
