"""Accessibility of the lessons as learners meet them: each lesson opened in JupyterLab
(in the server and the browser that tests/test_browser.py uses, its stored outputs shown,
nothing run) and checked with axe-core.

Each finding is sorted by where it is: in the lesson's own content (its rendered markdown
and its outputs), or in JupyterLab's interface around it, which the course cannot change
(checked with the first lesson only: it is the same around every lesson). The first lesson
is checked in full; in the others colour contrast is checked on each look of text not met
before (tests/a11y.py), every other rule on every element. Nothing waits for the lesson's
kernel, which is shut down once the lesson is checked.

The test fails on a serious or critical finding in the lessons' content, with one exception,
which it reports instead: a figure. JupyterLab (4.6) draws an image/png output as an <img>
without alt text whatever the notebook holds: its image renderer reads only the width,
height and background hints from the output's metadata. Nothing in a stored output can give
it alt text; a figure shown as HTML instead would make nbval compare the PNG's bytes as text
and change how the website shows it. What the course controls is that every figure's cell
carries its alt text (the cell's ``alt`` metadata), which the website shows
(tests/test_site.py): a figure whose cell lacks it fails here too.

Run with ``-s`` to read the counts by rule and impact. Skipped where Chromium is missing,
as tests/test_browser.py is.
"""

import time

import nbformat
import pytest
from a11y import ContrastSample, axe_findings, counts, describe, serious
from course_files import lesson_paths
from test_browser import _shut_down

pytestmark = pytest.mark.browser

LESSONS = [path.name for path in lesson_paths()]
CONTENT = ".jp-Notebook .jp-RenderedMarkdown, .jp-Notebook .jp-OutputArea-output"
# an axe context: the lesson's content only (the interface is checked around the first one)
CONTENT_ONLY = {"include": [[".jp-Notebook .jp-RenderedMarkdown"],
                            [".jp-Notebook .jp-OutputArea-output"]]}
# for each finding's target: the index of its cell if it is in the lesson's content, else -1
_WHERE_JS = """([targets, content]) => {
    const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'));
    return targets.map(target => {
        const element = document.querySelector(target);
        if (element === null || element.closest(content) === null) return -1;
        return cells.indexOf(element.closest('.jp-Cell'));
    });
}"""
# True once every cell is in the page and every markdown cell is rendered (an empty one
# stays an editor)
_RENDERED_JS = """([cells, empty]) => {
    const notebook = document.querySelector('.jp-Notebook');
    return notebook !== null && notebook.querySelectorAll('.jp-Cell').length === cells
        && notebook.querySelectorAll('.jp-MarkdownCell:not(.jp-mod-rendered)').length <= empty;
}"""
_TYPESET_JS = "() => document.querySelectorAll('.jp-Notebook mjx-container').length"


def _wait_for_typesetting(page, timeout: float = 10):
    """Wait until MathJax has typeset the rendered markdown: the number of typeset formulas
    is the same three times in a row, 0.15 s apart."""
    deadline, last, same = time.monotonic() + timeout, -1, 0
    while same < 3 and time.monotonic() < deadline:
        now = page.evaluate(_TYPESET_JS)
        same, last = (same + 1 if now == last else 1), now
        time.sleep(0.15)


def _is_figure_without_alt(finding) -> bool:
    return finding["rule"] == "image-alt" and finding["html"].startswith("<img src=\"data:")


def _figure_excused(finding, cells) -> bool:
    """A figure output that JupyterLab shows without alt text, in a cell that has it."""
    cell = finding["cell"]
    return (_is_figure_without_alt(finding) and 0 <= cell < len(cells)
            and str(cells[cell].metadata.get("alt", "")).strip() != "")


@pytest.fixture(scope="module")
def findings(jupyter, page):
    """{lesson: (findings in the lesson's content, with "cell", its cell's index; findings in
    JupyterLab's interface; the lesson's cells)}."""
    url, root = jupyter
    found, contrast = {}, ContrastSample(CONTENT)
    for lesson in LESSONS:
        path = f"notebooks/{lesson}"
        cells = nbformat.read(root / path, as_version=4).cells  # the copy served
        empty = sum(1 for c in cells if c.cell_type == "markdown" and not c.source.strip())
        page.goto(f"{url}/lab/tree/{path}?reset", wait_until="domcontentloaded")
        try:
            page.wait_for_function(_RENDERED_JS, arg=[len(cells), empty], timeout=60_000)
            _wait_for_typesetting(page)
            if lesson == LESSONS[0]:
                every = axe_findings(page)
                contrast.take(page, mark=False)
            else:
                every = axe_findings(page, CONTENT_ONLY, contrast)
            where = page.evaluate(_WHERE_JS, [[f["target"] for f in every], CONTENT])
        finally:
            _shut_down(url, path)
        found[lesson] = ([dict(f, cell=c) for f, c in zip(every, where, strict=True) if c >= 0],
                         [f for f, c in zip(every, where, strict=True) if c < 0], cells)
    return found


def test_lessons_content_in_jupyterlab_has_no_serious_accessibility_violation(findings):
    content = [dict(f, target=f"{lesson}: {f['target']}")
               for lesson, (inside, _, _) in findings.items() for f in inside]
    interface = [f for _, outside, _ in findings.values() for f in outside]  # the first lesson's
    print("axe in JupyterLab, the lessons' content, elements by (rule, impact):",
          dict(counts(content)))
    print("axe in JupyterLab, its interface around a lesson, elements by (rule, impact):",
          dict(counts(interface)))
    excused = [dict(f, target=f"{lesson}: cell {f['cell']}")
               for lesson, (inside, _, cells) in findings.items() for f in inside
               if _figure_excused(f, cells)]
    print(f"figures shown without their cell's alt text (JupyterLab sets none): "
          f"{len(excused)}\n" + describe(excused, limit=50))
    bad = [dict(f, target=f"{lesson}: cell {f['cell']}: {f['target']}")
           for lesson, (inside, _, cells) in findings.items()
           for f in serious(inside) if not _figure_excused(f, cells)]
    assert bad == [], ("give a figure's cell its alt text (# %% alt=\"...\" in lessons_src/)\n"
                       if any(_is_figure_without_alt(f) for f in bad) else "") + describe(bad)
