"""The lessons as lecture slides (RISE in JupyterLab).

Fast tests: every stored lesson gives each cell a valid slide type by the rules of
``tools/slides.py``, worked out once the edition with solutions has run: the first cell opens a
slide, answer and check cells are skipped, every widget cell opens a (sub)slide. Both editions
carry the same types and RISE's settings, and the slide style (rise.css) lies beside them.

Browser test, for every lesson: JupyterLab with the RISE extension serves the student edition
on 127.0.0.1; the lesson is opened in RISE in a 1280x720 headless Chromium window and run top
to bottom with Shift+Enter, as a lecturer would before the class. Then it is paged through with
the space bar from the first slide, every slide and fragment. On each step the slide must fit
the window (nothing cut off above or below, nothing to scroll to) and show no error; each
widget must be drawn by the running kernel and change what it shows when its "next" button,
"+1 epoch" button or first drop-down is used. A screenshot of each step goes to pytest's
tmp_path, outside the repository. Run with ``-s`` to read each lesson's slide count, timings
and the slides that do not fit.
"""

import re
import time

import nbformat
import pytest
from course_files import NOTEBOOKS, SOLUTIONS, both_editions, lesson_paths
from test_browser import (
    _kernel_of,
    _menu,
    _open,
    _run_all_cells,
    _shut_down,
    _unavailable,
    _wait_for_idle_kernel,
    _wait_until_executed,
)

from tools.build_lessons import RISE, SLIDE_STYLE, SOURCES, read_source
from tools.slides import (
    FRAGMENT,
    IMAGE_HEIGHT,
    SKIP,
    SLIDE,
    SLIDE_TYPES,
    SUBSLIDE,
    is_answer,
    is_check,
    is_widget,
    slide_types,
)

WIDTH, HEIGHT = 1280, 720


# ---- the rules, on every stored lesson -------------------------------------------------
@pytest.fixture(scope="module", params=both_editions(),
                ids=lambda p: f"{p.parent.name}/{p.stem}")
def stored(request):
    return nbformat.read(request.param, as_version=4)


def _types(notebook):
    return [cell.metadata["slideshow"]["slide_type"] for cell in notebook.cells]


def test_every_cell_has_a_valid_slide_type_and_the_first_opens_a_slide(stored):
    types = _types(stored)
    assert all(kind in SLIDE_TYPES for kind in types), set(types) - set(SLIDE_TYPES)
    assert types[0] == SLIDE


def test_answers_and_checks_are_skipped_and_nothing_else_is(stored):
    for index, (cell, kind) in enumerate(zip(stored.cells, _types(stored), strict=True)):
        exercise = is_answer(cell) or is_check(cell)
        assert (kind == SKIP) == exercise, f"cell {index} ({kind}): {cell.source[:60]!r}"


def test_every_widget_is_on_a_slide_of_its_own(stored):
    widgets = [(i, kind) for i, (cell, kind) in enumerate(zip(stored.cells, _types(stored),
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


# ---- the stored editions ---------------------------------------------------------------
@pytest.mark.parametrize("path", both_editions(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_stored_lessons_carry_the_rules_slide_types_and_rises_settings(path):
    """The types the rules give the edition with solutions, as run (its outputs' heights), with
    the types its source sets by hand; the student edition has the same."""
    stored = nbformat.read(path, as_version=4)
    assert stored.metadata.get("rise") == RISE
    solved = nbformat.read(SOLUTIONS / path.name, as_version=4)
    source = read_source(SOURCES / f"{path.stem}.py")
    for cell, by_hand in zip(solved.cells, source.cells, strict=True):
        cell.metadata.pop("slideshow")
        cell.metadata.update({k: v for k, v in by_hand.metadata.items() if k == "slideshow"})
    assert _types(stored) == slide_types(solved.cells), "rebuild it: tools/build_lessons.py"


def test_both_editions_have_the_slide_style_beside_them():
    for folder in (NOTEBOOKS, SOLUTIONS):
        assert (folder / SLIDE_STYLE.name).read_text() == SLIDE_STYLE.read_text(), folder


def test_the_rules_know_how_tall_the_slide_style_draws_a_figure():
    rules = {selector.strip(): height for selector, height in re.findall(
        r"([^{}/]+)\{[^}]*max-height:\s*(\d+)px", SLIDE_STYLE.read_text())}
    assert int(rules[".reveal .jp-OutputArea-output img"]) == IMAGE_HEIGHT, rules
    assert all(int(height) <= IMAGE_HEIGHT for height in rules.values()), rules


# ---- RISE in Chromium ------------------------------------------------------------------
_STATE_JS = """() => {
    const slides = document.querySelector('.reveal .slides');
    if (!slides) return null;
    const present = Array.from(slides.querySelectorAll('section.present'))
        .filter(s => !s.querySelector('section'))[0];
    if (!present) return null;
    const frame = slides.getBoundingClientRect(), box = present.getBoundingClientRect();
    const errors = [];
    let widgets = 0;
    present.querySelectorAll('.jp-OutputArea-output').forEach(output => {
        const mime = output.getAttribute('data-mime-type') || '';
        const text = output.textContent || '';
        if (mime === 'application/vnd.jupyter.error' || text.includes('Error displaying')
            || (mime === 'application/vnd.jupyter.stderr' && text.includes('Traceback'))) {
            errors.push(text.slice(0, 300));
        }
        if (Array.from(output.querySelectorAll('.jupyter-widgets'))
                .some(view => view.getBoundingClientRect().height > 0)) {
            widgets += 1;  // a widget view drawn from the kernel's model
        }
    });
    return {hash: location.hash, fragments: present.querySelectorAll('.fragment.visible').length,
            top: Math.round(box.top - frame.top), bottom: Math.round(box.bottom - frame.top),
            frameHeight: Math.round(frame.height),
            scrollHeight: present.scrollHeight, clientHeight: present.clientHeight,
            text: (present.innerText || '').trim().slice(0, 80), errors: errors,
            widgets: widgets};
}"""
_WIDGET_LOOK_JS = """() => {
    const present = Array.from(document.querySelectorAll('.reveal .slides section.present'))
        .filter(s => !s.querySelector('section'))[0];
    const views = present.querySelectorAll('.jp-OutputArea-output .jupyter-widgets');
    return Array.from(views).map(v => v.textContent + Array.from(v.querySelectorAll('img'))
        .map(img => img.src.slice(-200)).join('')).join('|');
}"""


@pytest.fixture(scope="module")
def rise(jupyter, page):
    """(base url, page, served lessons): the browser tests' JupyterLab server, which has the
    RISE extension and serves the student edition as the repository lays it out, and their
    Chromium page, set to 1280x720 for these tests."""
    try:
        import jupyterlab_rise  # noqa: F401
    except ImportError:
        _unavailable("jupyterlab_rise is not installed")
    url, _ = jupyter
    served = {path.stem: nbformat.read(path, as_version=4) for path in lesson_paths(NOTEBOOKS)}
    size = page.viewport_size
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    try:
        yield url, page, served
    finally:
        page.set_viewport_size(size)


def _state(page):
    return page.evaluate(_STATE_JS)


def _wait(page, condition, timeout, what):
    """Poll the slide's state until condition(state) holds; the state."""
    deadline = time.monotonic() + timeout
    while True:
        state = _state(page)
        if state is not None and condition(state):
            return state
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s; last state: {state}")
        time.sleep(0.05)


def _run_in_jupyterlab(page, url, path):
    """What a lecturer does before the class: open the lesson in JupyterLab, Run > Run All
    Cells, save. The slideshow then opens on the same kernel, with the widgets it made."""
    _open(page, url, path)
    _run_all_cells(page)
    _wait_until_executed(page, url, path, 180)
    _menu(page, "File", "docmanager:save")
    page.wait_for_function("() => !document.querySelector('.jp-mod-dirty')", timeout=10_000)


def _answers_a_click(page):
    """Use the widget on the present slide once ("next", "+1 epoch", or the next choice of
    its first drop-down); True if what it shows changes."""
    before = page.evaluate(_WIDGET_LOOK_JS)
    slide = page.locator(".reveal .slides section.present .jp-OutputArea-output")
    button = slide.locator("button.jupyter-button").filter(
        has_text=re.compile(r"^\s*(next|\+1 epoch)\s*$"))
    for _attempt in range(2):  # the first click may only select the widget's cell
        if button.count():
            button.first.click()
        else:
            select = slide.locator("select").first
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.options[s.selectedIndex].text")
            select.select_option(label=options[(options.index(current) + 1) % len(options)])
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if page.evaluate(_WIDGET_LOOK_JS) != before:
                return True
            time.sleep(0.1)
    return False


def _next_step(page, before):
    """Press space; the state once the slide or the fragment shown has changed, or None at
    the end of the slideshow."""
    page.keyboard.press("Space")
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        now = _state(page)
        if now and (now["hash"], now["fragments"]) != (before["hash"], before["fragments"]):
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                          "requestAnimationFrame(r)))")  # drawn
            return _state(page)
        time.sleep(0.03)
    return None


@pytest.mark.browser
@pytest.mark.parametrize("lesson", [path.stem for path in lesson_paths(NOTEBOOKS)])
def test_the_lesson_runs_as_a_slideshow_whose_slides_fit_and_whose_widgets_are_live(
        rise, lesson, tmp_path):
    """Open the lesson in RISE at 1280x720, run it, go back to the first slide and page
    through every slide and fragment with the space bar: each fits the window, shows no
    error, and each widget is drawn by the running kernel and answers a click."""
    url, page, served = rise
    path = f"notebooks/{lesson}.ipynb"
    try:
        _present(url, page, lesson, served[lesson], tmp_path)
    finally:
        _shut_down(url, path)


def _present(url, page, lesson, notebook, tmp_path):
    path = f"notebooks/{lesson}.ipynb"
    types = _types(notebook)
    starts = [i for i, kind in enumerate(types) if kind in (SLIDE, SUBSLIDE)]
    expected = sum(kind in (SLIDE, SUBSLIDE, FRAGMENT) for kind in types)
    started = time.monotonic()
    _run_in_jupyterlab(page, url, path)
    ran = time.monotonic() - started
    kernel = _kernel_of(url, path)["id"]
    page.goto(f"{url}/rise/{path}", wait_until="domcontentloaded")
    state = _wait(page, lambda state: state["hash"] in ("", "#/", "#/slide-0-0"), 60,
                  "RISE showed no first slide")
    _wait_for_idle_kernel(url, path, 60)
    assert _kernel_of(url, path)["id"] == kernel, "the slideshow started a kernel of its own"
    steps, slide, problems, hashes, widgets, overflowing = 0, -1, [], [], 0, set()
    while state is not None:
        steps += 1
        first_step = not hashes or state["hash"].split("/")[1] != hashes[-1].split("/")[1]
        slide += first_step
        hashes.append(state["hash"])
        page.screenshot(path=str(tmp_path / f"step-{steps:03d}.jpeg"), type="jpeg", quality=60)
        cell = starts[slide] if slide < len(starts) else None
        where = f"step {steps}, slide {state['hash']}, cell {cell}: {state['text'][:50]!r}"
        if state["errors"]:
            problems.append(f"{where} shows an error: {state['errors']}")
        if slide not in overflowing and (
                state["top"] < 0 or state["bottom"] > state["frameHeight"]
                or state["scrollHeight"] > state["clientHeight"]):
            overflowing.add(slide)
            problems.append(f"{where} does not fit: {state['top']}..{state['bottom']} px "
                            f"of {state['frameHeight']}")
        widget_slide = cell is not None and is_widget(notebook.cells[cell])
        if widget_slide and first_step:
            widgets += 1
            if state["widgets"] != 1:
                problems.append(f"{where}: the widget is not drawn")
            elif not _answers_a_click(page):
                problems.append(f"{where}: the widget does not answer a click")
        elif state["widgets"] and not widget_slide:
            problems.append(f"{where}: a widget outside its own slide")
        if steps > expected + 5:
            break
        state = _next_step(page, state)
    print(f"\n{lesson}: {len(starts)} slides, {steps} steps, {widgets} widgets; run "
          f"{ran:.1f} s, paged {time.monotonic() - started - ran:.1f} s; screenshots in "
          f"{tmp_path}")
    for problem in problems:
        print(f"  {problem}")
    assert steps == expected, f"{lesson}: paged through {steps} steps, expected {expected}"
    assert widgets == sum(map(is_widget, notebook.cells)), f"{lesson}: widgets seen {widgets}"
    assert problems == [], f"{lesson}:\n" + "\n".join(problems)
