"""Build both editions of the lessons from their diffable sources and execute them.

Each lesson is written as a jupytext "percent" script in ``lessons_src/NN_topic.py``. This
script turns it into a notebook, gives its exercise cells nbgrader's metadata
(``tools.editions.mark_exercises``), and writes two editions, each run top to bottom in a
fresh kernel and stored with its outputs:

- ``solutions/NN_topic.ipynb``, the edition with solutions, which ``pytest --nbval`` compares
  and a teacher grading with nbgrader uses as the source;
- ``notebooks/NN_topic.ipynb``, the student edition that learners open, made from the
  solutions edition by nbgrader's ``generate_assignment`` (``tools.editions.student_edition``)
  and then run, so it shows every figure and each check's "Not done yet".

    python tools/build_lessons.py                 # every lesson
    python tools/build_lessons.py 03_chain_rule  # the lessons whose name starts with that

Widget state is not stored, cell timing metadata is not recorded and cell ids are numbered, so
a rebuild with the pinned environment changes nothing but the random widget model ids in the
outputs that nbval ignores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.editions import hide_reveals, mark_exercises, student_edition  # noqa: E402
from tools.slides import mark_slides  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"  # the student edition
SOLUTIONS = ROOT / "solutions"  # the edition with solutions
SOURCES = ROOT / "lessons_src"
WORKERS = int(os.environ.get("BUILD_WORKERS", min(4, os.cpu_count() or 1)))
# cell metadata a source may set: nbval tags, a figure's alt text for the website, and a
# slide type that overrides the rules of tools/slides.py
KEPT_METADATA = ("tags", "alt", "slideshow")
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# RISE's settings for presenting a lesson: no slide transition, so a step shows at once
RISE = {"transition": "none"}
SLIDE_STYLE = SOURCES / "rise.css"  # RISE reads rise.css beside the notebook it presents


def lesson_sources(prefixes: list[str]) -> list[Path]:
    """The source scripts to build: all of them, or those whose name starts with a prefix."""
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if prefixes:
        sources = [s for s in sources if any(s.stem.startswith(p) for p in prefixes)]
    return sources


def read_source(source: Path) -> nbformat.NotebookNode:
    """Read a percent script as a notebook with clean, course-wide metadata, its exercise
    cells marked for nbgrader. A slide type set in the source is kept; ``execute`` gives the
    other cells theirs."""
    notebook = jupytext.read(source)
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "rise": dict(RISE),
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell.metadata = {k: v for k, v in cell.metadata.items() if k in KEPT_METADATA}
        cell.id = f"cell-{index:03d}"  # stable ids: a rebuild changes no id
    mark_exercises(notebook, source.name)
    return notebook


def execute(notebook: nbformat.NotebookNode, target: Path, timeout: int = 600, *,
            student: bool = False) -> Path:
    """Run a notebook top to bottom in a fresh kernel in target's folder, give each cell without
    one its slide type (``tools.slides``), and write it to target. The student edition, made
    from the edition with solutions, carries that edition's types; its cells that reveal an
    exercise's answer keep no output (``tools.editions.hide_reveals``)."""
    target.parent.mkdir(exist_ok=True)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(target.parent)}},
        store_widget_state=False,
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    notebook.metadata.pop("widgets", None)
    mark_slides(notebook)  # by the heights of its outputs; a type already given is kept
    if student:
        hide_reveals(notebook)
    nbformat.write(notebook, target)
    return target


def build(sources: list[Path]) -> list[Path]:
    """Both editions of each source: the solutions edition first, then nbgrader's student
    edition of it; each executed. Returns the written paths."""
    with ThreadPoolExecutor(WORKERS) as pool:
        solved = list(pool.map(
            lambda source: execute(read_source(source), SOLUTIONS / f"{source.stem}.ipynb"),
            sources))
        for path in solved:
            print(f"built {path.relative_to(ROOT)}")
        for folder in (SOLUTIONS, NOTEBOOKS):
            shutil.copy2(SLIDE_STYLE, folder / SLIDE_STYLE.name)
        students = student_edition(solved)
        written = list(pool.map(
            lambda name: execute(students[name], NOTEBOOKS / name, student=True),
            sorted(students)))
        for path in written:
            print(f"built {path.relative_to(ROOT)}")
    return solved + written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="name prefixes of the lessons to build")
    args = parser.parse_args(argv)
    sources = lesson_sources(args.lessons)
    if not sources:
        print(f"no lesson source matches {args.lessons!r} in {SOURCES.name}/", file=sys.stderr)
        return 2
    import matplotlib.font_manager  # noqa: F401  (build the font cache before any kernel runs)

    build(sources)
    return 0


if __name__ == "__main__":
    sys.exit(main())
