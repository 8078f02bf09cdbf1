"""The lessons as lecture slides (RISE in JupyterLab).

Fast tests: every lesson, as the build makes it (``tools.build_lessons.read_source``), gives
each cell a valid slide type by the rules of ``tools/slides.py``: the first cell opens a slide,
answer and check cells are skipped, every widget cell opens a (sub)slide.

Browser test: JupyterLab with the RISE extension serves a repository-shaped root on 127.0.0.1
(tests/test_browser.py's server and Chromium helpers); each lesson's student edition is opened
in RISE in a 1280x720 window and paged through with the space key, every slide and fragment.
On each step the slide must fit the window (nothing cut off above or below, so nothing to
scroll to) and show no error; a screenshot of each step goes to pytest's tmp_path. Lessons
whose stored cells carry no slide types yet get them from the rules, in the served copy.
By default two lessons are paged through (00: the first, with a widget; 07: the most
figures, the widest and the tallest); ``SLIDES_LESSONS=all`` pages through all ten. Run with
``-s`` to read the slide counts and the slides that do not fit.
"""

import os
import shutil
import time

import nbformat
import pytest
from course_files import NOTEBOOKS, REPO_ROOT, lesson_paths

from tools.build_lessons import SOURCES, read_source
from tools.slides import (
    FRAGMENT,
    SKIP,
    SLIDE,
    SLIDE_TYPES,
    SUBSLIDE,
    is_answer,
    is_check,
    is_widget,
    mark_slides,
    slide_types,
)

SOURCE_PATHS = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
WIDTH, HEIGHT = 1280, 720
REPRESENTATIVE = ("00_start_here", "07_training_with_gradient_descent")


# ---- the rules, on every lesson as built -----------------------------------------------
@pytest.fixture(scope="module", params=SOURCE_PATHS, ids=lambda p: p.stem)
def built(request):
    return read_source(request.param)


def _types(notebook):
    return [cell.metadata["slideshow"]["slide_type"] for cell in notebook.cells]


def test_every_cell_has_a_valid_slide_type_and_the_first_opens_a_slide(built):
    types = _types(built)
    assert all(kind in SLIDE_TYPES for kind in types), set(types) - set(SLIDE_TYPES)
    assert types[0] == SLIDE


def test_answers_and_checks_are_skipped_and_nothing_else_is(built):
    for index, (cell, kind) in enumerate(zip(built.cells, _types(built), strict=True)):
        exercise = is_answer(cell) or is_check(cell)
        assert (kind == SKIP) == exercise, f"cell {index} ({kind}): {cell.source[:60]!r}"


def test_every_widget_is_on_a_slide_of_its_own(built):
    widgets = [(i, kind) for i, (cell, kind) in enumerate(zip(built.cells, _types(built),
                                                               strict=True))
               if is_widget(cell)]
    assert all(kind in (SLIDE, SUBSLIDE) for _, kind in widgets), widgets


def test_the_rules_on_a_small_lesson():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    cells = [md("# Title"), md("> **Running this lesson.** Run the cells in order."),
             md("## A section"), code("x = 1"), md("So x is 1."), md("More about x."),
             md("### A step"), md("**Exercise 1 — a task.**"), code("y = 2  ### BEGIN SOLUTION"),
             code("check_y(y)"), code("w = 3", metadata={"tags": ["nbval-ignore-output"]}),
             md("After the widget."), code("long = 1\n" * 40), code("z = 3"),
             md("Chosen by hand.", metadata={"slideshow": {"slide_type": "skip"}})]
    cells[8].metadata["nbgrader"] = {"solution": True}
    cells[9].metadata["nbgrader"] = {"grade": True}
    assert slide_types(cells) == [
        SLIDE, "notes", SLIDE, FRAGMENT, FRAGMENT, "-", SUBSLIDE, SUBSLIDE, SKIP, SKIP,
        SUBSLIDE, SUBSLIDE, SUBSLIDE, SUBSLIDE, SKIP]


# ---- RISE in Chromium ------------------------------------------------------------------
_STATE_JS = """([width, height]) => {
    const slides = document.querySelector('.reveal .slides');
    if (!slides) return null;
    const present = Array.from(slides.querySelectorAll('section.present'))
        .filter(s => !s.querySelector('section'))[0];
    if (!present) return null;
    const frame = slides.getBoundingClientRect(), box = present.getBoundingClientRect();
    const errors = [];
    present.querySelectorAll('.jp-OutputArea-output').forEach(output => {
        const mime = output.getAttribute('data-mime-type') || '';
        const text = output.innerText || '';
        if (mime === 'application/vnd.jupyter.error' || text.startsWith('Error displaying')
            || (mime === 'application/vnd.jupyter.stderr' && text.includes('Traceback'))) {
            errors.push(text.slice(0, 300));
        }
    });
    return {hash: location.hash, fragments: present.querySelectorAll('.fragment.visible').length,
            top: Math.round(box.top - frame.top), bottom: Math.round(box.bottom - frame.top),
            frameHeight: Math.round(frame.height), frameWidth: Math.round(frame.width),
            scrollHeight: present.scrollHeight, clientHeight: present.clientHeight,
            text: (present.innerText || '').trim().slice(0, 80), errors: errors};
}"""


def _with_slides(path, target):
    """Copy a stored lesson; cells without a slide type yet get the rules' types."""
    notebook = nbformat.read(path, as_version=4)
    if not all("slideshow" in cell.metadata for cell in notebook.cells):
        mark_slides(notebook)
    nbformat.write(notebook, target)
    return notebook


@pytest.fixture(scope="module")
def rise(tmp_path_factory):
    """(base url, page, served notebooks) of a JupyterLab server with RISE and a 1280x720
    headless Chromium page."""
    from test_browser import CHROMIUM, _unavailable, chromium_page, jupyter_server

    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    try:
        import jupyterlab_rise  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        _unavailable(f"{error.name} is not installed")
    base = tmp_path_factory.mktemp("rise")
    root = base / "root"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy2(REPO_ROOT / "README.md", root / "README.md")
    served = {path.stem: _with_slides(path, root / "notebooks" / path.name)
              for path in lesson_paths(NOTEBOOKS)}
    with jupyter_server(base, root) as url, chromium_page(base / "profile") as page:
        page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
        yield url, page, served


def _lessons():
    names = [path.stem for path in lesson_paths(NOTEBOOKS)]
    if os.environ.get("SLIDES_LESSONS") == "all":
        return names
    return [name for name in names if name in REPRESENTATIVE]


def _state(page):
    return page.evaluate(_STATE_JS, [WIDTH, HEIGHT])


def _next_step(page, before, timeout=5.0):
    """Press space; the state once the slide or the fragment shown has changed, or None at
    the end of the slideshow."""
    page.keyboard.press("Space")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.15)
        now = _state(page)
        if now and (now["hash"], now["fragments"]) != (before["hash"], before["fragments"]):
            time.sleep(0.35)  # the slide transition
            return _state(page)
    return None


@pytest.mark.browser
@pytest.mark.parametrize("lesson", _lessons())
def test_every_slide_fits_1280x720_and_shows_no_error(rise, lesson, tmp_path):
    url, page, served = rise
    notebook = served[lesson]
    types = [cell.metadata["slideshow"]["slide_type"] for cell in notebook.cells]
    starts = [i for i, kind in enumerate(types) if kind in (SLIDE, SUBSLIDE)]
    expected = sum(kind in (SLIDE, SUBSLIDE, FRAGMENT) for kind in types)
    started = time.monotonic()
    page.goto(f"{url}/rise/notebooks/{lesson}.ipynb", wait_until="domcontentloaded")
    page.wait_for_function(f"() => ({_STATE_JS})([{WIDTH}, {HEIGHT}]) !== null",
                           timeout=60_000)
    time.sleep(1.0)  # MathJax typesets the first slide
    state, steps, slide, problems = _state(page), 0, -1, []
    hashes = []
    while state is not None:
        steps += 1
        if state["hash"].split("/")[:2] != (hashes[-1].split("/")[:2] if hashes else None):
            slide += 1
        hashes.append(state["hash"])
        page.screenshot(path=str(tmp_path / f"step-{steps:03d}.png"))
        cell = starts[slide] if slide < len(starts) else None
        where = f"step {steps}, {state['hash']}, cell {cell}: {state['text'][:50]!r}"
        if state["errors"]:
            problems.append(f"{where} shows an error: {state['errors']}")
        if (state["top"] < 0 or state["bottom"] > state["frameHeight"]
                or state["scrollHeight"] > state["clientHeight"]):
            problems.append(f"{where} does not fit: {state['top']}..{state['bottom']} px "
                            f"of {state['frameHeight']}")
        if steps > expected + 5:
            break
        state = _next_step(page, state)
    print(f"\n{lesson}: {len(starts)} slides, {steps} steps, "
          f"{time.monotonic() - started:.1f} s, screenshots in {tmp_path}")
    for problem in problems:
        print(f"  {problem}")
    assert steps == expected, f"{lesson}: paged through {steps} steps, expected {expected}"
    assert problems == [], f"{lesson}:\n" + "\n".join(problems)
