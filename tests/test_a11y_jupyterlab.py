"""Accessibility of the lessons as learners meet them: each lesson opened in JupyterLab
(served as tests/test_browser.py serves it, its stored outputs shown, nothing run) and
checked with axe-core.

Each finding is sorted by where it is: in the lesson's own content (its rendered markdown
and its outputs), or in JupyterLab's interface around it, which the course cannot change
(checked with the first lesson only: it is the same around every lesson). Nothing waits for
the lesson's kernel, which is shut down once the lesson is checked.
The test fails on a serious or critical finding in the lessons' content, with one exception
it reports instead: JupyterLab shows an image output without any alt text (its image
renderer sets none, whatever the notebook holds), so a figure output always breaks axe's
image-alt rule there. The website carries the figures' alt text (tests/test_site.py).

Run with ``-s`` to read the counts by rule and impact. Skipped where Chromium is missing,
as tests/test_browser.py is.
"""

import nbformat
import pytest
from a11y import axe_findings, counts, describe, serious
from course_files import lesson_paths
from test_browser import _shut_down, jupyter, page  # noqa: F401 - the fixtures

pytestmark = pytest.mark.browser

LESSONS = [path.name for path in lesson_paths()]
CONTENT = ".jp-Notebook .jp-RenderedMarkdown, .jp-Notebook .jp-OutputArea-output"
# an axe context: the lesson's content only (the interface is checked around the first one)
CONTENT_ONLY = {"include": [[".jp-Notebook .jp-RenderedMarkdown"],
                            [".jp-Notebook .jp-OutputArea-output"]]}
_WHERE_JS = """([targets, content]) => targets.map(target => {
    const element = document.querySelector(target);
    return element !== null && element.closest(content) !== null;
})"""
# True once every cell is in the page and every markdown cell is rendered (an empty one
# stays an editor)
_RENDERED_JS = """([cells, empty]) => {
    const notebook = document.querySelector('.jp-Notebook');
    return notebook !== null && notebook.querySelectorAll('.jp-Cell').length === cells
        && notebook.querySelectorAll('.jp-MarkdownCell:not(.jp-mod-rendered)').length <= empty;
}"""


def _is_output_image_without_alt(finding) -> bool:
    return finding["rule"] == "image-alt" and finding["html"].startswith("<img src=\"data:")


@pytest.fixture(scope="module")
def findings(jupyter, page):  # noqa: F811 - the fixtures imported above
    """{lesson: (findings in the lesson's content, findings in JupyterLab's interface)}."""
    url, root = jupyter
    found = {}
    for lesson in LESSONS:
        path = f"notebooks/{lesson}"
        cells = nbformat.read(root / path, as_version=4).cells  # the copy served
        empty = sum(1 for c in cells if c.cell_type == "markdown" and not c.source.strip())
        page.goto(f"{url}/lab/tree/{path}?reset", wait_until="domcontentloaded")
        try:
            page.wait_for_function(_RENDERED_JS, arg=[len(cells), empty], timeout=60_000)
            page.wait_for_timeout(500)  # MathJax typesets the rendered markdown
            every = axe_findings(page, None if lesson == LESSONS[0] else CONTENT_ONLY)
            inside = page.evaluate(_WHERE_JS, [[f["target"] for f in every], CONTENT])
        finally:
            _shut_down(url, path)
        found[lesson] = ([f for f, i in zip(every, inside, strict=True) if i],
                         [f for f, i in zip(every, inside, strict=True) if not i])
    return found


def test_lessons_content_in_jupyterlab_has_no_serious_accessibility_violation(findings):
    content = [dict(f, target=f"{lesson}: {f['target']}")
               for lesson, (inside, _) in findings.items() for f in inside]
    interface = [f for _, outside in findings.values() for f in outside]  # the first lesson's
    print("axe in JupyterLab, the lessons' content, elements by (rule, impact):",
          dict(counts(content)))
    print("axe in JupyterLab, its interface around a lesson, elements by (rule, impact):",
          dict(counts(interface)))
    unaltered = [f for f in content if _is_output_image_without_alt(f)]
    print(f"figure outputs without alt text in JupyterLab: {len(unaltered)}\n"
          + describe(unaltered, limit=50))
    bad = [f for f in serious(content) if not _is_output_image_without_alt(f)]
    assert bad == [], describe(bad)
