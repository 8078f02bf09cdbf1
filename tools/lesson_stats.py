"""Count and measure what the instructor's guide quotes about each lesson.

Counting reads the stored edition with solutions, ``solutions/NN_topic.ipynb``, and takes a
second for all ten lessons:

- words: the prose a learner reads, the whitespace-separated tokens of the markdown cells that
  hold a letter or a digit (a formula written as one token counts as one word), leaving out
  the hints (``<details>`` blocks), which a learner opens only when stuck;
- code cells, and figures: the images (png, svg, jpeg) among the stored outputs;
- widgets: the code cells whose stored output shows a widget;
- exercises: the answer cells (nbgrader ``solution``), each with its title ("Exercise N — ..."),
  its check function and its points (the ``points`` of its check cell), and its kind: "function"
  when the answer cell defines a function, "value" when it asks for a number, list or array;
- class time: the rule below, in minutes, rounded up to a multiple of ``ROUND_TO``.

The class time rule and its constants (the guide says why each has its value):

    minutes = words / WORDS_PER_MINUTE + code_cells * MINUTES_PER_CODE_CELL
              + widgets * MINUTES_PER_WIDGET + function_exercises * MINUTES_PER_FUNCTION
              + value_exercises * MINUTES_PER_VALUE

Measuring (``--run``) executes every lesson's edition with solutions top to bottom in a fresh
kernel with nbclient, one lesson after another, as the build does, and reports the wall-clock
seconds from kernel start to the last cell. Nothing is written back.

    python tools/lesson_stats.py                # the table of counts and class times
    python tools/lesson_stats.py --exercises    # every exercise: title, kind, check, points
    python tools/lesson_stats.py --run          # the table with the measured run time too
    python tools/lesson_stats.py --update-guide # write the table and total into the guide
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tools.slides import SLIDE, SUBSLIDE, WIDGET_MIME  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
GUIDE = ROOT / "INSTRUCTOR_GUIDE.md"

WORDS_PER_MINUTE = 120  # reading technical prose with formulas: half a plain-prose rate
MINUTES_PER_CODE_CELL = 0.5  # run a cell, read what it prints or draws
MINUTES_PER_WIDGET = 3  # the instructor demonstrates, the room tries the controls
MINUTES_PER_FUNCTION = 10  # an exercise that writes a function: a first try, the check, a fix
MINUTES_PER_VALUE = 4  # an exercise that asks for a value: work it out, write it, check
ROUND_TO = 5

IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
HINT = re.compile(r"<details><summary>Hint</summary>.*?</details>", re.DOTALL)
TITLE = re.compile(r"\*\*(Exercise \d+)\s*[—-]\s*(.+?)\.?\*\*")
WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class Exercise:
    """One exercise: its number and title as the lesson writes them, its kind ("function" or
    "value"), the check function its check cell calls, and its points."""

    number: int
    title: str
    kind: str
    check: str
    points: float


@dataclass(frozen=True)
class LessonStats:
    """What the guide quotes about one lesson, counted from its stored edition."""

    name: str
    words: int
    code_cells: int
    figures: int
    widgets: int
    slides: int
    exercises: tuple[Exercise, ...]

    @property
    def number(self) -> str:
        return self.name[:2]

    @property
    def points(self) -> float:
        return sum(exercise.points for exercise in self.exercises)

    def count(self, kind: str) -> int:
        return sum(exercise.kind == kind for exercise in self.exercises)

    @property
    def class_minutes(self) -> int:
        """The class time by the rule above, rounded up to a multiple of ROUND_TO."""
        minutes = (self.words / WORDS_PER_MINUTE + self.code_cells * MINUTES_PER_CODE_CELL
                   + self.widgets * MINUTES_PER_WIDGET
                   + self.count("function") * MINUTES_PER_FUNCTION
                   + self.count("value") * MINUTES_PER_VALUE)
        return ROUND_TO * math.ceil(minutes / ROUND_TO)


def lesson_paths(folder: Path = SOLUTIONS) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def prose_words(markdown: str) -> int:
    """The words of one markdown cell, hints left out."""
    return sum(bool(WORD.search(token)) for token in HINT.sub(" ", markdown).split())


def _check_name(source: str) -> str:
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    match = re.match(r"\s*(check_\w+)", lines[-1]) if lines else None
    return match.group(1) if match else ""


def exercises(notebook) -> tuple[Exercise, ...]:
    """The exercises of a notebook whose cells carry nbgrader's metadata, in order."""
    cells = notebook.cells
    found = []
    for index, cell in enumerate(cells):
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        task = next((c for c in reversed(cells[:index]) if c.cell_type == "markdown"
                     and TITLE.search(c.source)), None)
        match = TITLE.search(task.source) if task is not None else None
        check = next((c for c in cells[index + 1:] if c.cell_type == "code"), None)
        number = int(match.group(1).split()[1]) if match else len(found) + 1
        title = " ".join(match.group(2).split()) if match else ""
        kind = "function" if re.search(r"^\s*def \w+\(", cell.source, re.MULTILINE) else "value"
        points = float(check.metadata.get("nbgrader", {}).get("points", 0)) if check else 0.0
        found.append(Exercise(number, title, kind, _check_name(check.source) if check else "",
                              points))
    return tuple(found)


def lesson_stats(path: Path) -> LessonStats:
    """Count one stored lesson of the edition with solutions."""
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    data = [[output.get("data", {}) for output in cell.get("outputs", [])] for cell in code]
    return LessonStats(
        name=path.stem,
        words=sum(prose_words(cell.source) for cell in notebook.cells
                  if cell.cell_type == "markdown"),
        code_cells=len(code),
        figures=sum(kind in output for outputs in data for output in outputs
                    for kind in IMAGE_TYPES),
        widgets=sum(any(WIDGET_MIME in output for output in outputs) for outputs in data),
        slides=sum(cell.metadata.get("slideshow", {}).get("slide_type") in (SLIDE, SUBSLIDE)
                   for cell in notebook.cells),
        exercises=exercises(notebook),
    )


def all_stats(folder: Path = SOLUTIONS) -> list[LessonStats]:
    return [lesson_stats(path) for path in lesson_paths(folder)]


def run_seconds(path: Path, timeout: int = 600) -> float:
    """Wall-clock seconds to run a lesson top to bottom in a fresh kernel, kernel start
    included; the notebook is executed in memory and not written back."""
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, record_timing=False, allow_errors=False)
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def _number(value: float) -> str:
    return f"{value:g}"


def table(stats: list[LessonStats], seconds: dict[str, float] | None = None) -> str:
    """The guide's table of counts, one row per lesson; with seconds, a run-time column."""
    head = ["Lesson", "Class time (min)", "Words", "Code cells", "Figures", "Widgets",
            "Slides", "Exercises (function + value)", "Points"]
    if seconds is not None:
        head.append("Run All (s)")
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for s in stats:
        cells = [s.number, str(s.class_minutes), str(s.words), str(s.code_cells),
                 str(s.figures), str(s.widgets), str(s.slides),
                 f"{len(s.exercises)} ({s.count('function')} + {s.count('value')})",
                 _number(s.points)]
        if seconds is not None:
            cells.append(f"{seconds[s.name]:.1f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


TOTAL = re.compile(r"All ten lessons: \d+ minutes")


def update_guide(stats: list[LessonStats], guide: Path = GUIDE) -> bool:
    """Write the table of counts and the total class time into the guide, in place of the
    old ones. Returns whether the guide changed."""
    text = guide.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("| Lesson |"))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    total = sum(s.class_minutes for s in stats)
    new = "".join(lines[:start]) + table(stats) + "\n" + "".join(lines[end:])
    new = TOTAL.sub(f"All ten lessons: {total} minutes", new)
    if new != text:
        guide.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exercises", action="store_true", help="list every exercise")
    parser.add_argument("--update-guide", action="store_true",
                        help=f"write the table and the total into {GUIDE.name}")
    parser.add_argument("--run", action="store_true",
                        help="also run every lesson top to bottom and time it (seconds)")
    args = parser.parse_args(argv)
    stats = all_stats()
    if args.exercises:
        for s in stats:
            for e in s.exercises:
                print(f"{s.number}  Exercise {e.number} — {e.title}  [{e.kind}]  "
                      f"{e.check}  {_number(e.points)} point(s)")
        return 0
    if args.update_guide:
        changed = update_guide(stats)
        print(f"{GUIDE.name} {'updated' if changed else 'already up to date'}")
        return 0
    seconds = None
    if args.run:
        import matplotlib.font_manager  # noqa: F401  (build the font cache before any kernel)

        seconds = {}
        for path in lesson_paths():
            seconds[path.stem] = run_seconds(path)
            print(f"ran {path.stem} in {seconds[path.stem]:.1f} s", file=sys.stderr)
    print(table(stats, seconds))
    total = sum(s.class_minutes for s in stats)
    print(f"\nclass time, all lessons: {total} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
