"""The browser tests' shared JupyterLab server and Chromium page, one of each per test run.

tests/conftest.py imports these fixtures, so the JupyterLab server is started once for
tests/test_browser.py and tests/test_a11y_jupyterlab.py together, and the one Chromium page is
shared by them and by tests/test_site.py. How the server and the browser are started is in
tests/test_browser.py (``jupyter_server``, ``chromium_page``).
"""

import shutil

import nbformat
import pytest
from course_files import NOTEBOOKS, REPO_ROOT, SOLUTIONS
from test_browser import (
    CHROMIUM,
    DEMO,
    LESSONS,
    _demo_notebook,
    _unavailable,
    chromium_page,
    jupyter_server,
)


def _require_browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("the Python package playwright is not installed")


@pytest.fixture(scope="session")
def jupyter(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1; yields (base_url, root_dir). Killed at the end."""
    _require_browser()
    base = tmp_path_factory.mktemp("jupyter")
    root = base / "root"  # laid out as the repository, the root the README's command serves
    (root / "notebooks").mkdir(parents=True)
    nbformat.write(_demo_notebook(), root / DEMO)
    shutil.copy2(REPO_ROOT / "README.md", root / "README.md")
    (root / "solutions").mkdir()
    for lesson in LESSONS:  # the student edition, and the edition with solutions it links to
        shutil.copy2(lesson, root / "notebooks" / lesson.name)
        shutil.copy2(SOLUTIONS / lesson.name, root / "solutions" / lesson.name)
    for folder in ("notebooks", "solutions"):  # the slide style RISE reads beside a lesson
        shutil.copy2(REPO_ROOT / folder / "rise.css", root / folder / "rise.css")
    for folder in ("images", "figures", "data"):  # assets the lessons may use
        if (NOTEBOOKS / folder).is_dir():
            shutil.copytree(NOTEBOOKS / folder, root / "notebooks" / folder)
    try:
        with jupyter_server(base, root) as url:
            yield url, root
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def page(tmp_path_factory):
    """One headless Chromium page with a fresh profile, shared by the browser tests."""
    _require_browser()
    with chromium_page(tmp_path_factory.mktemp("chromium-profile")) as page:
        yield page
