"""Real-browser tests: JupyterLab driven in Debian's Chromium through Playwright.

One JupyterLab server (no token, 127.0.0.1, a free port, a temporary root directory) and
one headless Chromium are shared by every test in this file and by the other browser tests
(the fixtures ``jupyter`` and ``page`` of tests/browser_fixtures.py). A demo notebook, made
here with nbformat, shows the graph stepper, the network stepper (lesson 05's worked example), the
training explorer and an exercise's feedback; it is run from the Run menu once. The tests
then step through both steppers from the first step to the last and back, checking that the
equation and the picture change and that no control moves; play the training explorer and
check that it shows epochs between the start and the end, pauses, and steps one epoch; and
check that feedback wraps between words. The last test runs every lesson notebook
(notebooks/NN_*.ipynb) and checks that no error shows.

Nothing is downloaded: the system Chromium at /usr/bin/chromium is used. Where it (or
Playwright) is missing the tests are skipped with the reason, except under CI (CI=true),
where that is a failure.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from course_files import NOTEBOOKS, lesson_paths

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
LESSONS = lesson_paths()
SERVER_START_TIMEOUT = 90  # seconds
LESSON_TIMEOUT = 150
DEMO = "widgets_demo.ipynb"


def _unavailable(reason: str):
    """Skip, or fail under CI where the browser test is required."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def _demo_notebook():
    """A notebook that shows both steppers, the training explorer and some feedback."""
    cells = [
        "import numpy as np\nfrom helpers.exercises.feedback import Feedback\n"
        "from helpers.layers import ActivationLayer, Dense\nfrom helpers.network import "
        "Network\nfrom helpers.widgets import GraphStepper, NetworkStepper, TrainingExplorer",
        'stepper = GraphStepper("tanh(x * y + 1)", x=2.0, y=-3.0)\nstepper',
        "worked = Network([\n"
        "    Dense(2, 2, weights=np.array([[0.15, 0.25], [0.2, 0.3]]), "
        "bias=np.array([0.35, 0.35])),\n    ActivationLayer('sigmoid'),\n"
        "    Dense(2, 2, weights=np.array([[0.4, 0.5], [0.45, 0.55]]), "
        "bias=np.array([0.6, 0.6])),\n    ActivationLayer('sigmoid')])\n"
        "network_stepper = NetworkStepper(worked, [0.05, 0.1], [0.01, 0.99], lr=0.5)\n"
        "network_stepper",
        'explorer = TrainingExplorer("xor", hidden=4, epochs=60)\nexplorer',
        'Feedback(False, True, "Your dW was checked against the numeric gradient, entry by '
        'entry, and " * 8)',
        "print(stepper.state.description)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def _write_settings(settings_dir: Path):
    """Fresh JupyterLab user settings: every cell in the page, no news pop-up."""
    files = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
            {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
    }
    for name, content in files.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


# ---- shared server and browser ---------------------------------------------------------
@contextlib.contextmanager
def jupyter_server(base: Path, root: Path):
    """A JupyterLab server on 127.0.0.1 serving ``root``, its settings, config and log in
    ``base``; yields its base url. Killed (with the kernels it started) on exit. Used by
    these tests and by benchmarks/bench_browser_click.py."""
    _write_settings(base / "settings")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"),
               JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
    ]
    log = open(base / "server.log", "w")  # noqa: SIM115 - closed at exit
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {server.returncode}:\n"
                                   f"{(base / 'server.log').read_text()[-3000:]}")
            try:
                _get_json(f"{url}/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer on {url} within "
                                       f"{SERVER_START_TIMEOUT} s") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        try:  # kernels the server started and left behind
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        log.close()


@contextlib.contextmanager
def chromium_page(profile: Path):
    """One headless Chromium page with a fresh profile in ``profile``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000})
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


# ---- driving JupyterLab ----------------------------------------------------------------
def _kernel_of(url: str, path: str):
    """The kernel model of the session for notebook ``path``, or None."""
    for session in _get_json(f"{url}/api/sessions"):
        if session.get("path") == path and session.get("kernel"):
            kernel_id = session["kernel"]["id"]
            for kernel in _get_json(f"{url}/api/kernels"):
                if kernel["id"] == kernel_id:
                    return kernel
    return None


def _wait_for_idle_kernel(url: str, path: str, timeout: float):
    """Wait until the server reports the notebook's kernel idle with a connection."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernel = _kernel_of(url, path)
        if kernel and kernel["execution_state"] == "idle" and kernel["connections"] >= 1:
            return kernel
        time.sleep(0.25)
    raise AssertionError(f"the kernel of {path} was not idle with a connection within "
                         f"{timeout} s: {_kernel_of(url, path)}")


def _wait_until_no_cell_is_queued(page, url: str, path: str, timeout: float):
    """Wait until no cell's prompt shows [*] (queued or running) and the kernel is idle: between
    two queued cells the kernel may report idle for a moment."""
    deadline = time.monotonic() + timeout
    time.sleep(0.5)
    while time.monotonic() < deadline:
        queued = page.locator(".jp-Notebook .jp-InputPrompt", has_text="*").count()
        if not queued:
            _wait_for_idle_kernel(url, path, max(deadline - time.monotonic(), 1))
            if not page.locator(".jp-Notebook .jp-InputPrompt", has_text="*").count():
                return
        time.sleep(0.25)
    raise AssertionError(f"cells of {path} still queued after {timeout} s")


def _open(page, url: str, path: str):
    """Open a notebook in a fresh workspace and wait for its kernel."""
    page.goto(f"{url}/lab/tree/{path}?reset", wait_until="domcontentloaded")
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible", timeout=60_000)
    dialog = page.locator(".jp-Dialog")
    _wait_for_idle_kernel(url, path, 60)
    if dialog.count():  # e.g. "Select Kernel" for a notebook without a known kernel
        page.keyboard.press("Enter")
        _wait_for_idle_kernel(url, path, 60)


def _menu(page, menu: str, command: str):
    """Click ``menu`` in the menu bar, then the item that runs ``command``."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    page.locator(f'.lm-Menu-item[data-command="{command}"]').first.click()


def _run_all_cells(page):
    """Edit > Clear Outputs of All Cells (so that stored execution counts cannot pass for
    new ones), then Run > Run All Cells, through the menus."""
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function("""() => Array.from(document.querySelectorAll(
        '.jp-Notebook .jp-CodeCell .jp-InputPrompt')).every(p => !/\\d/.test(p.innerText))""",
                           timeout=10_000)
    _menu(page, "Run", "runmenu:run-all")


def _wait_until_executed(page, url: str, path: str, timeout: float):
    """Wait until every code cell that shows its prompt has an execution count (or an error
    stopped the run) and the kernel is idle."""
    deadline = time.monotonic() + timeout
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt")
    stable = 0
    while time.monotonic() < deadline:
        texts = prompts.all_inner_texts()
        # a cell whose code is folded (the student edition's reveal cells) shows no prompt
        done = all(re.fullmatch(r"\[\d+\]:", t.strip()) for t in texts if t.strip())
        started = any(re.search(r"\d", t) for t in texts)
        stopped = started and not any("*" in t for t in texts) and any(_errors_by_cell(page))
        kernel = _kernel_of(url, path)
        idle = kernel is not None and kernel["execution_state"] == "idle"
        stable = stable + 1 if (done or stopped) and idle else 0
        if stable >= 2:
            return
        time.sleep(0.3)
    raise AssertionError(f"{path} did not finish running within {timeout} s; prompts: "
                         f"{prompts.all_inner_texts()}")


_ERRORS_JS = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(cell => {
    const found = [];
    cell.querySelectorAll('.jp-OutputArea-output').forEach(output => {
        const mime = output.getAttribute('data-mime-type') || '';
        const text = output.innerText || '';
        if (mime === 'application/vnd.jupyter.error' ||
            (mime === 'application/vnd.jupyter.stderr' && text.includes('Traceback'))) {
            found.push(text);
        }
    });
    cell.querySelectorAll('.jupyter-widgets').forEach(widget => {
        if ((widget.innerText || '').startsWith('Error displaying widget')) {
            found.push(widget.innerText);
        }
    });
    return found;
})"""


def _errors_by_cell(page) -> list[list[str]]:
    """For each cell of the open notebook, in order, the texts of its error outputs
    (tracebacks, or widgets that failed to display)."""
    return page.evaluate(_ERRORS_JS)


def _errors_shown(page, allowed_cells=frozenset()) -> list[str]:
    """Error texts shown in the notebook, outside the cells allowed to raise."""
    return [f"cell {index}: {text}" for index, texts in enumerate(_errors_by_cell(page))
            if index not in allowed_cells for text in texts]


def _shut_down(url: str, path: str):
    """Shut the notebook's session (and kernel) down through the REST API."""
    for session in _get_json(f"{url}/api/sessions"):
        if session.get("path") == path:
            request = urllib.request.Request(f"{url}/api/sessions/{session['id']}",
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=20).close()


# ---- the tests -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo(jupyter, page):
    """The demo notebook, run once in the shared page; yields the server's url."""
    url, _ = jupyter
    _open(page, url, DEMO)
    _run_all_cells(page)
    _wait_until_executed(page, url, DEMO, 120)
    assert _errors_shown(page) == []
    yield url
    _shut_down(url, DEMO)


# Boxes of the widget's controls, relative to the widget's top left corner: buttons,
# sliders, text boxes, drop-downs; and the top of its picture.
_LAYOUT_JS = """(selector) => {
    const root = document.querySelector(selector);
    const origin = root.getBoundingClientRect();
    const box = element => {
        const r = element.getBoundingClientRect();
        return [Math.round(r.left - origin.left), Math.round(r.top - origin.top),
                Math.round(r.width), Math.round(r.height)];
    };
    const controls = Array.from(root.querySelectorAll(
        '.widget-button, .widget-slider, .widget-text, .widget-dropdown'));
    const name = c => (c.querySelector('.widget-label') || c).innerText.trim();
    return {controls: controls.map(c => [name(c), ...box(c)]),
            picture: box(root.querySelector('img'))[1]};
}"""

# The step heading and the visible equation's text, once its MathJax is typeset.
_STEP_JS = """(selector) => {
    const root = document.querySelector(selector);
    const equations = Array.from(root.querySelectorAll('.step-equation'))
        .filter(e => e.offsetParent !== null);
    const heading = root.querySelector('.step-heading');
    if (equations.length !== 1 || !equations[0].querySelector('mjx-container')) return null;
    return [heading.innerText, equations[0].innerHTML,
            root.querySelector('img').getAttribute('src'),
            equations[0].querySelectorAll('mjx-merror').length];
}"""


# True once the heading, the equation and the picture all differ from ``shown``.
_CHANGED_JS = ("([selector, shown]) => { const now = (" + _STEP_JS + ")(selector);"
               " return now !== null && now[0] !== shown[0] && now[1] !== shown[1]"
               " && now[2] !== shown[2]; }")


def _button(widget, name):
    return widget.locator(".widget-button", has_text=re.compile(rf"^\s*{re.escape(name)}\s*$"))


def _walk_the_pass(page, url, selector):
    """Click "next" to the last step, then "previous" back to the first; for every step
    check that the heading, the equation and the picture change and that the equation
    typesets; returns the layouts seen (one per step shown)."""
    widget = page.locator(selector)
    widget.wait_for(state="visible", timeout=30_000)
    page.wait_for_function(f"() => ({_STEP_JS})({json.dumps(selector)}) !== null",
                           timeout=30_000)
    layouts = [page.evaluate(_LAYOUT_JS, selector)]
    shown = page.evaluate(_STEP_JS, selector)
    assert "step 1 of" in shown[0] and _button(widget, "previous").is_disabled()
    steps = 0
    for name in ("next", "previous"):
        button = _button(widget, name)
        while button.is_enabled():
            button.click()
            page.wait_for_function(_CHANGED_JS, arg=[selector, shown], timeout=30_000)
            shown = page.evaluate(_STEP_JS, selector)
            assert shown[3] == 0, f"MathJax error at {shown[0]}"
            _wait_for_idle_kernel(url, DEMO, 30)
            layouts.append(page.evaluate(_LAYOUT_JS, selector))
            steps += 1
    assert steps >= 4 and "step 1 of" in shown[0]
    return layouts


@pytest.mark.parametrize("selector", [".graph-stepper", ".network-stepper"])
def test_stepper_steps_through_a_whole_pass_and_its_controls_stay_put(demo, page, selector):
    layouts = _walk_the_pass(page, demo, selector)
    first = layouts[0]
    assert len(first["controls"]) >= 5  # four buttons and the step slider at least
    for layout in layouts[1:]:
        assert layout["controls"] == first["controls"]  # no control moved
        assert layout["picture"] == first["picture"]  # nor the picture
    assert page.locator(f"{selector} .step-text").count() == 0  # the equation only once
    assert _errors_shown(page) == []


def test_training_explorer_plays_pauses_and_steps_one_epoch(demo, page):
    explorer = page.locator(".training-explorer")
    explorer.wait_for(state="visible", timeout=30_000)
    text = explorer.locator(".step-text")
    assert "press train" in text.inner_text()
    before = page.evaluate(_LAYOUT_JS, ".training-explorer")
    # record every epoch the status line shows while the run plays
    page.evaluate("""() => {
        const text = document.querySelector('.training-explorer .step-text');
        window.__epochs = [];
        window.__epochObserver = new MutationObserver(() => {
            const match = text.innerText.match(/training: epoch (\\d+) of (\\d+)/);
            if (match) window.__epochs.push(Number(match[1]));
        });
        window.__epochObserver.observe(text, {subtree: true, childList: true,
                                              characterData: true});
    }""")
    _button(explorer, "▶ train").click()
    page.wait_for_function("() => new Set(window.__epochs.filter(e => e > 0 && e < 60)).size"
                           " >= 3", timeout=30_000)  # epochs between start and end, shown
    _button(explorer, "pause").click()
    page.wait_for_function("""() => /paused at epoch \\d+ of 60/.test(
        document.querySelector('.training-explorer .step-text').innerText)""",
                           timeout=30_000)
    _wait_for_idle_kernel(demo, DEMO, 30)
    paused = int(re.search(r"paused at epoch (\d+)", text.inner_text()).group(1))
    seen = page.evaluate("() => window.__epochs")
    assert 0 < paused < 60 and len(set(seen)) >= 3 and seen == sorted(seen), seen
    time.sleep(0.6)
    assert f"paused at epoch {paused} of 60" in text.inner_text()  # it really stopped
    _button(explorer, "+1 epoch").click()
    page.wait_for_function(f"""() => document.querySelector('.training-explorer .step-text')
        .innerText.includes('paused at epoch {paused + 1} of 60')""", timeout=30_000)
    _wait_for_idle_kernel(demo, DEMO, 30)
    after = page.evaluate(_LAYOUT_JS, ".training-explorer")
    assert after["controls"] == before["controls"]
    assert _errors_shown(page) == []


def test_feedback_wraps_between_words(demo, page):
    feedback = page.locator("pre.exercise-feedback").first
    feedback.wait_for(state="visible", timeout=30_000)
    style = feedback.evaluate("""e => {
        const s = getComputedStyle(e);
        return [s.wordBreak, s.overflowWrap, s.whiteSpace];
    }""")
    assert style == ["normal", "break-word", "normal"], style


_LINKS_JS = """() => Array.from(document.querySelectorAll(
    '.jp-Notebook .jp-MarkdownCell .jp-RenderedHTMLCommon a[href]')).map(a => a.href)"""


def _unresolved_links(page, url: str) -> tuple[int, list[str]]:
    """(how many links of the open notebook's markdown point into the server, those of them
    that do not resolve to a file there), each checked through the contents API."""
    checked, missing = 0, []
    for href in sorted(set(page.evaluate(_LINKS_JS))):
        if not href.startswith(url):
            continue  # the web, e.g. Binder or documentation
        path = urllib.parse.unquote(href[len(url):].split("#")[0].split("?")[0])
        for prefix in ("/lab/tree/", "/files/", "/tree/"):
            if path.startswith(prefix):
                path = path[len(prefix):]
                break
        checked += 1
        try:
            urllib.request.urlopen(f"{url}/api/contents/{urllib.parse.quote(path)}?content=0",
                                   timeout=10).close()
        except urllib.error.HTTPError as error:
            missing.append(f"{href} ({error.code})")
    return checked, missing


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_lesson_runs_in_browser_and_its_links_resolve(jupyter, page, lesson, tmp_path):
    url, _ = jupyter
    path = f"notebooks/{lesson}"  # where the README's command, Binder and the hub put it
    cells = nbformat.read(NOTEBOOKS / lesson, as_version=4).cells
    may_raise = {i for i, cell in enumerate(cells)
                 if "raises-exception" in cell.get("metadata", {}).get("tags", [])}
    _open(page, url, path)
    try:
        checked, missing = _unresolved_links(page, url)
        assert checked >= 2 and missing == [], f"{lesson}: {checked} links, unresolved {missing}"
        _run_all_cells(page)
        _wait_until_executed(page, url, path, LESSON_TIMEOUT)
        errors = _errors_shown(page, may_raise)
        if errors:
            page.screenshot(path=str(tmp_path / "error.png"), full_page=True)
            print(f"screenshot: {tmp_path / 'error.png'}")
        assert errors == [], f"{lesson} shows errors:\n" + "\n---\n".join(errors)
    finally:
        _shut_down(url, path)


def _cell_index(lesson: str, text: str) -> int:
    """The index of the first cell of a lesson whose source contains ``text``."""
    cells = nbformat.read(NOTEBOOKS / lesson, as_version=4).cells
    return next(i for i, cell in enumerate(cells) if text in cell.source)


def _run_cell(page, url: str, path: str, index: int):
    """Select cell ``index`` (in command mode) and run it from the Run menu; wait for the
    kernel."""
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputPrompt").click()
    _menu(page, "Run", "notebook:run-cell")
    time.sleep(0.5)
    _wait_for_idle_kernel(url, path, 60)


def _select_cell(page, index: int):
    page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-InputPrompt").click()


def test_a_cell_in_the_middle_in_a_fresh_kernel_with_the_lessons_advice(jupyter, page):
    # The lessons are stored executed, so everything looks run; a learner who restarts and
    # runs one cell in the middle must end with what that cell shows. Then the learner reveals
    # an exercise's hint, writes the answer into the student edition and gets "Correct".
    url, _ = jupyter
    lesson = "05_backpropagation.ipynb"
    path = f"notebooks/{lesson}"
    _open(page, url, path)
    try:
        cells = page.locator(".jp-Notebook .jp-Cell")
        # a widget cell runs on its own: it sets up what it needs
        widget = _cell_index(lesson, "NetworkStepper(")
        _run_cell(page, url, path, widget)
        cells.nth(widget).locator(".jupyter-widgets").first.wait_for(timeout=60_000)
        assert _errors_by_cell(page)[widget] == []
        # an exercise's check in a fresh kernel: NameError first, then the advice
        answer = _cell_index(lesson, "def activation_backward(")
        check = answer + 1
        _run_cell(page, url, path, check)
        errors = _errors_by_cell(page)[check]
        assert errors and "NameError" in errors[0], errors
        advice = page.locator(".jp-Notebook .jp-MarkdownCell",
                              has_text="Run All Above Selected Cell").count()
        assert advice >= 2  # at the top of the lesson and in its exercises
        _select_cell(page, check)
        _menu(page, "Run", "notebook:run-all-above")
        _wait_until_no_cell_is_queued(page, url, path, LESSON_TIMEOUT)
        _run_cell(page, url, path, check)
        assert _errors_by_cell(page)[check] == []
        assert "Not done yet" in cells.nth(check).locator(".jp-OutputArea").inner_text()
        # the hint opens on a click and does not give the answer away
        task = cells.nth(answer - 1)
        hint = task.locator("details")
        assert not hint.evaluate("element => element.open")
        task.locator("summary", has_text="Hint").click()
        assert hint.evaluate("element => element.open")
        assert "entry by entry" in hint.inner_text() and "1 + z" not in hint.inner_text()
        # the learner replaces the stub (the cell's last line) by the answer, runs the answer
        # cell, then the check
        editor = cells.nth(answer).locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+End")
        page.keyboard.press("Home")  # the start of the line's text, after its indentation
        page.keyboard.press("Shift+End")
        page.keyboard.type("return sigmoid(z) * (1 + z * (1 - sigmoid(z))) * upstream_grad")
        page.keyboard.press("Escape")
        _run_cell(page, url, path, answer)
        _run_cell(page, url, path, check)
        assert _errors_by_cell(page)[check] == []
        assert "Correct" in cells.nth(check).locator(".jp-OutputArea").inner_text()
    finally:
        _shut_down(url, path)
