"""The course website, built by tools/build_site.py and checked in a real browser.

The site is built once for this file (into a temporary folder, from the stored student
edition, or from the folder named by the environment variable SITE_NOTEBOOKS), served on
127.0.0.1 by a Python http.server thread, and every page is opened once in Debian's headless
Chromium through Playwright. What each page showed is then checked: internal links and
images resolve, MathJax typeset the maths and left no raw TeX, the Binder button opens the
lesson's student edition as the README's badge does, every picture of a lesson has alt text
that says something, each widget is shown as stills, the solutions are linked and not shown,
and axe-core finds no serious or critical accessibility violation (colour contrast on every
look of text once, see tests/a11y.py: the index and the first lesson in full, then what the
other lessons add, such as a token of highlighted code of a kind not met before).

Where /usr/bin/chromium (or Playwright) is missing the tests are skipped with the reason,
except under CI (CI=true), where that is a failure.
"""

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest
from a11y import ContrastSample, axe_findings, counts, describe, serious
from course_files import NOTEBOOKS, README, REPO_ROOT, binder_targets, lesson_paths
from test_browser import CHROMIUM, _unavailable

pytestmark = pytest.mark.browser

SOURCE = Path(os.environ.get("SITE_NOTEBOOKS", NOTEBOOKS))
LESSONS = [path.stem for path in lesson_paths(SOURCE)]
BUILD_TIMEOUT = 300  # seconds
SOLUTIONS_URL = ("https://github.com/backprop-course/forward-backward-propagation/blob/HEAD/"
                 "solutions/{}.ipynb")

# What a page shows once loaded and typeset; its text leaves out code, outputs and maths.
_PAGE_JS = """() => {
    const article = document.querySelector('article') || document.body;
    const prose = article.cloneNode(true);
    prose.querySelectorAll('pre, code, script, style, mjx-container').forEach(e => e.remove());
    return {
        links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
        ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
        images: Array.from(document.querySelectorAll('img')).map(i => ({
            src: i.currentSrc || i.src, alt: i.getAttribute('alt'),
            loaded: i.complete && i.naturalWidth > 0, inArticle: article.contains(i)})),
        prose: prose.innerText,
        text: article.innerText,
        maths: document.querySelectorAll('mjx-container').length,
        mathErrors: document.querySelectorAll('mjx-merror').length,
        binder: Array.from(document.querySelectorAll('a[href*="mybinder.org"]'))
            .map(a => a.href),
        previous: (document.querySelector('a.left-prev') || {}).href || null,
        next: (document.querySelector('a.right-next') || {}).href || null,
    };
}"""
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\[a-zA-Z]{2,}")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser moved on
            super().handle_error(request, client_address)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The built site, served on 127.0.0.1: yields (base url, folder, what the build
    printed)."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM} (install Debian's chromium package)")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:
        _unavailable(f"the Python package {error.name} is not installed")
    out = tmp_path_factory.mktemp("website") / "site"
    build = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tools" / "build_site.py"), "--out", str(out),
         "--notebooks", str(SOURCE), "--allow-missing-alt"],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, cwd=REPO_ROOT)
    assert build.returncode == 0, f"the site did not build:\n{build.stdout}\n{build.stderr}"
    handler = functools.partial(_QuietHandler, directory=str(out))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", out, build.stderr
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def pages(site, page):
    """Every HTML page of the site, opened once (in the browser tests' shared page): {page
    name: what it showed, with "axe" (its axe findings: the whole page for the index and the
    first lesson, the article for the others, whose frame is the same; colour contrast on the
    looks of text not met on the pages before)}."""
    url, out, _ = site
    shown, contrast = {}, ContrastSample("article")
    for html in sorted(out.glob("*.html"), key=lambda path: path.stem not in LESSONS[1:]):
        page.goto(f"{url}/{html.name}", wait_until="load")
        page.evaluate("async () => { if (window.MathJax && MathJax.startup) "
                      "await MathJax.startup.promise; }")
        shown[html.stem] = page.evaluate(_PAGE_JS)
        if html.stem not in LESSONS[1:]:  # in full: the theme's frame is on every page
            shown[html.stem]["axe"] = axe_findings(page)
            contrast.take(page, mark=False)
        else:
            shown[html.stem]["axe"] = axe_findings(page, "article", contrast)
    return shown


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_lesson_is_a_page_in_teaching_order(pages):
    assert len(LESSONS) == 10
    for name in LESSONS:
        assert name in pages, f"no page for {name}"
    index_links = [link for link in pages["index"]["links"] if ".html" in link]
    for name in LESSONS:
        assert any(link.split("#")[0].endswith(f"/{name}.html") for link in index_links)
    for before, after in zip(LESSONS, LESSONS[1:], strict=False):
        assert pages[before]["next"].endswith(f"/{after}.html"), before
        assert pages[after]["previous"].endswith(f"/{before}.html"), after


def test_no_broken_internal_link_or_missing_image(site, pages):
    url = site[0]
    broken = []
    targets = {link for shown in pages.values() for link in shown["links"]
               if link.startswith(url)}
    for link in sorted(targets):
        address, _, anchor = link.partition("#")
        name = Path(urllib.parse.urlparse(address).path).stem or "index"
        if anchor and name in pages:
            if urllib.parse.unquote(anchor) not in pages[name]["ids"]:
                broken.append(f"{link}: no element with that id")
        elif _status(address) != 200:
            broken.append(f"{link}: HTTP {_status(address)}")
    for name, shown in pages.items():
        broken += [f"{name}: image {image['src']} did not load" for image in shown["images"]
                   if not image["loaded"]]
    assert broken == [], "\n".join(broken)


def test_maths_is_typeset_and_no_raw_tex_is_left(pages):
    for name in LESSONS:
        shown = pages[name]
        assert shown["maths"] > 0, f"{name}: no typeset maths"
        assert shown["mathErrors"] == 0, f"{name}: MathJax reported errors"
        raw = sorted({m.group(0) for m in RAW_TEX.finditer(shown["prose"])})
        assert raw == [], f"{name}: raw TeX left in the text: {raw}"


def test_binder_button_opens_the_lessons_student_edition(pages):
    badge = re.search(r"https://mybinder\.org/v2/gh/[^?\s)]+\?urlpath=lab/tree/",
                      README.read_text()).group(0)
    for name in LESSONS:
        links = pages[name]["binder"]
        assert links == [f"{badge}notebooks/{name}.ipynb"], f"{name}: {links}"
        assert binder_targets(links[0]) == [f"notebooks/{name}.ipynb"]


def _meaningful(alt: str | None, src: str) -> bool:
    """Alt text that says what a picture shows: words, not a file name."""
    if not alt:
        return False
    file = Path(urllib.parse.urlparse(src).path).name
    return (file not in alt and not re.search(r"\.(png|svg|jpe?g)\b", alt)
            and len(alt.split()) >= 4)


def test_every_picture_has_alt_text_that_says_what_it_shows(site, pages):
    missing = [f"{name}: {Path(image['src']).name} (alt={image['alt']!r})"
               for name in LESSONS for image in pages[name]["images"]
               if image["inArticle"] and not _meaningful(image["alt"], image["src"])]
    assert missing == [], ("pictures without meaningful alt text (give the lesson cell an "
                           "'alt' metadata key):\n" + "\n".join(missing)
                           + f"\nthe build said:\n{site[2]}")


def test_widgets_are_shown_as_stills_said_to_be_live_in_jupyter(pages):
    for name in LESSONS:
        cells = nbformat.read(SOURCE / f"{name}.ipynb", as_version=4).cells
        widgets = sum(1 for c in cells if "nbval-ignore-output" in c.metadata.get("tags", []))
        text = pages[name]["text"]
        assert text.count("live in Jupyter.") == widgets, name
        assert "run this cell to show it" not in text, name


def test_student_edition_with_a_link_to_the_solutions(pages):
    for name in LESSONS:
        shown = pages[name]
        assert SOLUTIONS_URL.format(name) in shown["links"], name
        assert "BEGIN SOLUTION" not in shown["text"], name
    assert any("Not done yet" in pages[name]["text"] for name in LESSONS)


def test_no_serious_or_critical_accessibility_violation(pages):
    found = [dict(f, page=name) for name, shown in pages.items() for f in shown["axe"]]
    print("axe on the site, elements by (rule, impact):", dict(counts(found)))
    bad = serious(found)
    assert bad == [], describe([dict(f, target=f"{f['page']}: {f['target']}") for f in bad])
