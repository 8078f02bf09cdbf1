"""How long does a stepper click take to show its new picture in a real browser?

Starts JupyterLab on 127.0.0.1 and Debian's Chromium (through Playwright), as
tests/test_browser.py does, and opens a notebook with the steppers of the lessons: the graph
stepper of lessons 00 and 03, and the network stepper of lessons 01 and 05 (the worked
example of lesson 05 and a larger 4-6-6-2 network). For each it clicks "next" through the
whole pass and "previous" back, and times, inside the page, from the click to the moment
the new picture is decoded and painted. A learner reads each step, so the next click waits
until the kernel is idle again. It also times the first picture: from running a stepper's
cell to its picture on screen.

The floor, measured in the same run and the same way, is a button whose callback only puts
an already-drawn PNG (of the same size) into an image: the round trip through the kernel
and the browser's decoding that no stepper can avoid. The ratio stepper / floor says how
much drawing is left on the click's path. Printed, never asserted.

Run by hand: python benchmarks/bench_browser_click.py [-v]   (-v: every click's time)
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))

import test_browser as browser  # noqa: E402 - the tests' JupyterLab and Chromium set-up

NOTEBOOK = "click_benchmark.ipynb"
VERBOSE = "-v" in sys.argv  # print the time of every click too
PAUSE = 0.5  # seconds a "learner" waits after the kernel is idle, before the next click

CELLS = [
    """\
import ipywidgets as widgets
import numpy as np
from helpers.graph import Value
from helpers.layers import ActivationLayer, Dense
from helpers.network import Network, build_network
from helpers.plots import figure_to_png
from helpers.widgets import GraphStepper, NetworkStepper""",
    """\
stepper_00 = GraphStepper("(x + y) * z", x=-2.0, y=5.0, z=-4.0)
stepper_00""",
    """\
w1, x1, w2, x2, b = (Value(v, n) for v, n in
                     [(-3.0, "w1"), (2.0, "x1"), (1.0, "w2"), (0.0, "x2"), (6.88, "b")])
stepper_neuron = GraphStepper((w1 * x1 + w2 * x2 + b).tanh())
stepper_neuron""",
    """\
worked = Network([
    Dense(2, 2, weights=np.array([[0.15, 0.25], [0.2, 0.3]]), bias=np.array([0.35, 0.35])),
    ActivationLayer("sigmoid"),
    Dense(2, 2, weights=np.array([[0.4, 0.5], [0.45, 0.55]]), bias=np.array([0.6, 0.6])),
    ActivationLayer("sigmoid")])
stepper_05 = NetworkStepper(worked, [0.05, 0.1], [0.01, 0.99], loss="mse", lr=0.5)
stepper_05""",
    """\
big = build_network([4, 6, 6, 2], hidden="tanh", output="sigmoid", rng=0)
stepper_big = NetworkStepper(big, [0.5, -1.0, 1.5, 0.0], [1.0, 0.0])
stepper_big""",
    """\
# the floor: a click that only swaps two pictures drawn beforehand
state = stepper_05.state
pictures = []
for index in (0, 1):
    state.go_to(index)
    pictures.append(figure_to_png(state.draw()))
state.go_to(0)
floor_image = widgets.Image(value=pictures[0], format="png",
                            layout=widgets.Layout(max_width="100%", height="auto"))
floor_next = widgets.Button(description="next")
floor_previous = widgets.Button(description="previous")
floor_next.on_click(lambda _: setattr(floor_image, "value", pictures[1]))
floor_previous.on_click(lambda _: setattr(floor_image, "value", pictures[0]))
floor = widgets.VBox([widgets.HBox([floor_next, floor_previous]), floor_image])
floor.add_class("floor-swap")
floor""",
]

# Click the button called ``name`` in the widget ``selector`` (the n-th such widget) and
# resolve with the milliseconds until its picture has changed, decoded and been painted.
CLICK_JS = """async ([selector, nth, name]) => {
    const root = document.querySelectorAll(selector)[nth];
    const button = Array.from(root.querySelectorAll('.widget-button'))
        .find(b => b.innerText.trim() === name);
    const img = root.querySelector('img');
    const before = img.src;
    const changed = new Promise(resolve => {
        const observer = new MutationObserver(() => {
            if (img.src !== before) { observer.disconnect(); resolve(); }
        });
        observer.observe(img, {attributes: true, attributeFilter: ['src']});
    });
    const start = performance.now();
    button.click();
    await changed;
    await img.decode().catch(() => {});
    await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - start;
}"""


def demo_notebook():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def click(page, url, selector, nth, name) -> float:
    """One click, timed in the page; then wait as a reader would."""
    elapsed = page.evaluate(CLICK_JS, [selector, nth, name])
    browser._wait_for_idle_kernel(url, NOTEBOOK, 60)
    time.sleep(PAUSE)
    return elapsed


def disabled(page, selector, nth, name) -> bool:
    return page.evaluate(
        """([s, n, name]) => Array.from(document.querySelectorAll(s)[n]
            .querySelectorAll('.widget-button')).find(b => b.innerText.trim() === name)
            .disabled""", [selector, nth, name])


def whole_pass(page, url, selector, nth) -> list[float]:
    """Milliseconds of every click "next" to the last step, then "previous" to the first."""
    times = []
    for name in ("next", "previous"):
        while not disabled(page, selector, nth, name):
            times.append(click(page, url, selector, nth, name))
    return times


# Resolve with the milliseconds from the next Shift+Enter to the moment a new picture is
# painted in the output of the n-th cell.
FIRST_PICTURE_JS = """([nth]) => {
    const cell = document.querySelectorAll('.jp-Notebook .jp-Cell')[nth];
    const old = Array.from(cell.querySelectorAll('.jp-OutputArea img'));
    window.__firstPicture = new Promise(resolve => {
        let start = null;
        const onKey = event => {
            if (event.key === 'Enter' && event.shiftKey && start === null) {
                start = performance.now();
                document.removeEventListener('keydown', onKey, {capture: true});
            }
        };
        document.addEventListener('keydown', onKey, {capture: true});
        const observer = new MutationObserver(async () => {
            const img = Array.from(cell.querySelectorAll('.jp-OutputArea img'))
                .find(i => !old.includes(i) && i.src);
            if (img && start !== null) {
                observer.disconnect();
                await img.decode().catch(() => {});
                await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
                resolve(performance.now() - start);
            }
        });
        observer.observe(cell, {subtree: true, childList: true, attributes: true});
    });
}"""


def first_picture(page, url, nth) -> float:
    """Milliseconds from running the n-th cell again to its widget's first picture."""
    page.evaluate(FIRST_PICTURE_JS, [nth])
    page.locator(".jp-Notebook .jp-Cell").nth(nth).locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    elapsed = page.evaluate("""() => Promise.race([window.__firstPicture,
        new Promise(r => setTimeout(() => r(-1), 60000))])""")
    browser._wait_for_idle_kernel(url, NOTEBOOK, 60)
    time.sleep(PAUSE)
    return elapsed


def report(name, times, floor):
    median = statistics.median(times)
    print(f"{name:<34} clicks {len(times):3d}   median {median:6.1f} ms   max "
          f"{max(times):6.1f} ms   ratio to the floor {median / floor:5.2f}")
    if VERBOSE:
        print("    each click (ms):", " ".join(f"{t:.0f}" for t in times))


def main():
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        root = base / "root"
        root.mkdir()
        nbformat.write(demo_notebook(), root / NOTEBOOK)
        with browser.jupyter_server(base, root) as url, \
                browser.chromium_page(base / "profile") as page:
            browser._open(page, url, NOTEBOOK)
            browser._run_all_cells(page)
            browser._wait_until_executed(page, url, NOTEBOOK, 180)
            assert browser._errors_shown(page) == [], browser._errors_shown(page)
            page.locator(".floor-swap img").wait_for(state="visible", timeout=30_000)
            time.sleep(1.0)
            floor_times = []
            for _ in range(10):
                floor_times.append(click(page, url, ".floor-swap", 0, "next"))
                floor_times.append(click(page, url, ".floor-swap", 0, "previous"))
            floor = statistics.median(floor_times)
            print(f"{'floor: swap a drawn picture':<34} clicks {len(floor_times):3d}   "
                  f"median {floor:6.1f} ms   max {max(floor_times):6.1f} ms")
            for name, selector, nth in [
                    ("graph stepper, lesson 00", ".graph-stepper", 0),
                    ("graph stepper, neuron (10 nodes)", ".graph-stepper", 1),
                    ("network stepper, lesson 05", ".network-stepper", 0),
                    ("network stepper, 4-6-6-2", ".network-stepper", 1)]:
                report(name, whole_pass(page, url, selector, nth), floor)
            for name, cell in [("network stepper, lesson 05", 3),
                               ("network stepper, 4-6-6-2", 4)]:
                times = [first_picture(page, url, cell) for _ in range(3)]
                each = " ".join(f"{t:.0f}" for t in times)
                print(f"{'first picture, ' + name:<44} median "
                      f"{statistics.median(times):6.0f} ms   ({each})")
            browser._shut_down(url, NOTEBOOK)


if __name__ == "__main__":
    main()
