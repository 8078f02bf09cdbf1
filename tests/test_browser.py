"""Real-browser tests: JupyterLab driven in Debian's Chromium through Playwright.

One JupyterLab server (no token, 127.0.0.1, a free port, a temporary root directory) and
one headless Chromium are shared by every test in this file. The first test opens a demo
notebook, made here with nbformat, that shows the graph stepper and the network stepper,
runs all cells from the Run menu, clicks "next" and checks that the equation changes. The
second runs every lesson notebook (notebooks/NN_*.ipynb) and checks that no error shows.

Nothing is downloaded: the system Chromium at /usr/bin/chromium is used. Where it (or
Playwright) is missing the tests are skipped with the reason, except under CI (CI=true),
where that is a failure.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
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
    """A notebook that shows the graph stepper and the network stepper."""
    cells = [
        "from helpers.graph import Value\nfrom helpers.widgets import GraphStepper, "
        "NetworkStepper",
        'x, y = Value(2.0, "x"), Value(-3.0, "y")\nz = (x * y + 1).tanh()\n'
        "stepper = GraphStepper(z)\nstepper",
        "network_stepper = NetworkStepper()\nnetwork_stepper",
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
@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1; yields (base_url, root_dir). Killed at the end."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    base = tmp_path_factory.mktemp("jupyter")
    root = base / "root"
    root.mkdir()
    nbformat.write(_demo_notebook(), root / DEMO)
    for lesson in LESSONS:
        shutil.copy2(lesson, root / lesson.name)
    for folder in ("images", "figures", "data"):  # assets the lessons may use
        if (NOTEBOOKS / folder).is_dir():
            shutil.copytree(NOTEBOOKS / folder, root / folder)
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
    log = open(base / "server.log", "w")  # noqa: SIM115 - closed at teardown
    server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n"
                            f"{(base / 'server.log').read_text()[-3000:]}")
            try:
                _get_json(f"{url}/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer on {url} within "
                                f"{SERVER_START_TIMEOUT} s")
                time.sleep(0.3)
        yield url, root
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


@pytest.fixture(scope="module")
def page(jupyter, tmp_path_factory):
    """One headless Chromium page with a fresh profile, shared by the tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
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
    """Wait until every code cell has an execution count (or an error stopped the run) and
    the kernel is idle."""
    deadline = time.monotonic() + timeout
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt")
    stable = 0
    while time.monotonic() < deadline:
        texts = prompts.all_inner_texts()
        done = all(re.fullmatch(r"\[\d+\]:", t.strip()) for t in texts)
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
def test_steppers_render_and_step_in_jupyterlab(jupyter, page, tmp_path):
    url, _ = jupyter
    _open(page, url, DEMO)
    _run_all_cells(page)
    _wait_until_executed(page, url, DEMO, 120)
    assert _errors_shown(page) == []

    graph = page.locator(".graph-stepper")
    network = page.locator(".network-stepper")
    graph.wait_for(state="visible", timeout=30_000)
    network.wait_for(state="visible", timeout=30_000)
    next_button = graph.locator(".widget-button", has_text=re.compile(r"^\s*next\s*$"))
    assert next_button.is_visible() and next_button.is_enabled()
    assert network.locator(".widget-button",
                           has_text=re.compile(r"^\s*next\s*$")).is_visible()
    previous_button = graph.locator(".widget-button", has_text=re.compile(r"^\s*previous\s*$"))
    assert previous_button.is_disabled()
    assert graph.locator("img").first.is_visible()

    equation = graph.locator(".step-equation")
    text = graph.locator(".step-text")
    picture = graph.locator("img").first
    equation.locator("mjx-container").first.wait_for(state="attached", timeout=30_000)
    before = (equation.inner_text(), text.inner_text(), picture.get_attribute("src"))
    assert "step 1 of" in graph.locator(".step-heading").inner_text()
    next_button.click()
    page.wait_for_function(
        """([equation, picture]) => {
            const e = document.querySelector('.graph-stepper .step-equation');
            const img = document.querySelector('.graph-stepper img');
            return e && e.innerText !== equation && e.querySelector('mjx-container')
                && img && img.src !== picture;
        }""", arg=[before[0], before[2]], timeout=30_000)
    _wait_for_idle_kernel(url, DEMO, 30)
    after = (equation.inner_text(), text.inner_text(), picture.get_attribute("src"))
    assert after[0] != before[0] and after[1] != before[1] and after[2] != before[2]
    assert "step 2 of" in graph.locator(".step-heading").inner_text()
    assert previous_button.is_enabled()
    assert _errors_shown(page) == []

    # every equation of the network stepper typesets without a MathJax error
    heading = network.locator(".step-heading")
    network_next = network.locator(".widget-button", has_text=re.compile(r"^\s*next\s*$"))
    n_steps = int(re.search(r"of (\d+)", heading.inner_text()).group(1))
    network_equation = network.locator(".step-equation")
    for step in range(2, n_steps + 1):
        shown = network_equation.inner_text()
        network_next.click()
        page.wait_for_function(
            """([step, shown]) => {
                const h = document.querySelector('.network-stepper .step-heading');
                const e = document.querySelector('.network-stepper .step-equation');
                return h && h.innerText.includes(`step ${step} of`)
                    && e && e.innerText !== shown && e.querySelector('mjx-container');
            }""", arg=[step, shown], timeout=30_000)
        assert page.locator(".step-equation mjx-merror").count() == 0, heading.inner_text()
    assert network_next.is_disabled()
    _wait_for_idle_kernel(url, DEMO, 30)

    screenshot = tmp_path / "steppers.png"
    page.screenshot(path=str(screenshot), full_page=True)
    print(f"screenshot: {screenshot}")
    _shut_down(url, DEMO)


@pytest.mark.parametrize("lesson", [p.name for p in LESSONS])
def test_lesson_runs_in_browser(jupyter, page, lesson, tmp_path):
    url, _ = jupyter
    cells = nbformat.read(NOTEBOOKS / lesson, as_version=4).cells
    may_raise = {i for i, cell in enumerate(cells)
                 if "raises-exception" in cell.get("metadata", {}).get("tags", [])}
    _open(page, url, lesson)
    _run_all_cells(page)
    try:
        _wait_until_executed(page, url, lesson, LESSON_TIMEOUT)
        errors = _errors_shown(page, may_raise)
        if errors:
            page.screenshot(path=str(tmp_path / "error.png"), full_page=True)
            print(f"screenshot: {tmp_path / 'error.png'}")
        assert errors == [], f"{lesson} shows errors:\n" + "\n---\n".join(errors)
    finally:
        _shut_down(url, lesson)
