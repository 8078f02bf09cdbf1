"""Build the lesson notebooks from their diffable sources and execute them.

Each lesson is written as a jupytext "percent" script in ``lessons_src/NN_topic.py``; this
script turns it into ``notebooks/NN_topic.ipynb``, runs it top to bottom in a fresh kernel
(working directory ``notebooks/``) and stores it with its outputs, which is what learners open
and what ``pytest --nbval`` compares against.

    python tools/build_lessons.py                 # every lesson
    python tools/build_lessons.py 03_chain_rule  # the lessons whose name starts with that

Widget state is not stored, cell timing metadata is not recorded and cell ids are numbered, so
a rebuild with the pinned environment changes nothing but the random widget model ids in the
outputs that nbval ignores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SOURCES = ROOT / "lessons_src"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def lesson_sources(prefixes: list[str]) -> list[Path]:
    """The source scripts to build: all of them, or those whose name starts with a prefix."""
    sources = sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    if prefixes:
        sources = [s for s in sources if any(s.stem.startswith(p) for p in prefixes)]
    return sources


def read_source(source: Path) -> nbformat.NotebookNode:
    """Read a percent script as a notebook with clean, course-wide metadata."""
    notebook = jupytext.read(source)
    notebook.metadata = {
        "kernelspec": dict(KERNELSPEC),
        "language_info": {"name": "python"},
    }
    for index, cell in enumerate(notebook.cells):
        cell.metadata = {k: v for k, v in cell.metadata.items() if k == "tags"}
        cell.id = f"cell-{index:03d}"  # stable ids: a rebuild changes no id
    return notebook


def build(source: Path, timeout: int = 600) -> Path:
    """Convert one source to .ipynb, execute it in ``notebooks/`` and write it next to it."""
    notebook = read_source(source)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        store_widget_state=False,
        record_timing=False,
        allow_errors=False,
    )
    client.execute()
    notebook.metadata.pop("widgets", None)
    target = NOTEBOOKS / f"{source.stem}.ipynb"
    nbformat.write(notebook, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", help="name prefixes of the lessons to build")
    args = parser.parse_args(argv)
    sources = lesson_sources(args.lessons)
    if not sources:
        print(f"no lesson source matches {args.lessons!r} in {SOURCES.name}/", file=sys.stderr)
        return 2
    import matplotlib.font_manager  # noqa: F401  (build the font cache before any kernel runs)

    for source in sources:
        target = build(source)
        print(f"built {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
