"""Time every exercise check on its reference solution, against one run of that solution.

A check answers a learner in a notebook cell, so it must be quick: well under a second. It also
does more than the learner's code does: it calls a function answer at the given inputs and at
several other points, computes the truth, and tries the typical mistakes. This runs every lesson
of the edition with solutions (``solutions/``) in one IPython shell, cell by cell, and for each
exercise measures

- the check: the check cell's last line (``check_...(answer, ...)``), best of ``REPEATS``;
- one run of the reference solution, the floor: for a function answer, one call of it as the
  check makes it (the mean over the calls the check makes); for a value answer, running the
  answer cell that computes it, best of ``REPEATS``;

and prints both times and their ratio, slowest check first. What the cells print is not
shown.

Run by hand:  python benchmarks/bench_checks.py
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import sys
import time
from pathlib import Path

import nbformat
from bench_backward_forward import best_seconds  # the best of some timings

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
REPEATS = 5


class TimedCalls:
    """Wraps a function answer; records how long each call the check makes takes."""

    def __init__(self, function):
        self.function = function
        self.seconds: list[float] = []
        self.__name__ = getattr(function, "__name__", "answer")
        self.__doc__ = getattr(function, "__doc__", None)
        self.__wrapped__ = function

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)


def check_call(source: str) -> tuple[str, str]:
    """(the check cell's set-up lines, its last line) and the answer's name in that call."""
    lines = source.rstrip().splitlines()
    call = ast.parse(lines[-1].strip(), mode="eval").body
    if not isinstance(call, ast.Call) or not call.args or not isinstance(call.args[0], ast.Name):
        raise ValueError(f"the check cell's last line is not check_x(answer, ...): {lines[-1]}")
    return "\n".join(lines[:-1]), call.args[0].id


def measure_lesson(path: Path, shell) -> list[tuple[str, float, float]]:
    """[(exercise label, check seconds, reference seconds)] for one lesson."""
    shell.reset(new_session=False)
    os.chdir(path.parent)
    results = []
    cells = nbformat.read(path, as_version=4).cells
    answer_source = None
    for cell in cells:
        if cell.cell_type != "code":
            continue
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("solution"):
            answer_source = cell.source
        if grading.get("grade"):
            setup, answer_name = check_call(cell.source)
            shell.run_cell(setup, silent=True).raise_error()
            answer = shell.user_ns[answer_name]
            check_line = cell.source.rstrip().splitlines()[-1]
            if callable(answer) and not isinstance(answer, type):
                timed = TimedCalls(answer)
                shell.user_ns[answer_name] = timed
                check = best_seconds(lambda line=check_line: shell.ev(line), REPEATS)
                reference = sum(timed.seconds) / max(len(timed.seconds), 1)
                shell.user_ns[answer_name] = answer
            else:
                check = best_seconds(lambda line=check_line: shell.ev(line), REPEATS)
                reference = best_seconds(
                    lambda source=answer_source: shell.run_cell(source, silent=True), REPEATS)
            verdict = shell.ev(check_line)
            if not verdict.correct:
                raise AssertionError(f"{path.name}: {check_line} rejects the solution: {verdict}")
            results.append((f"{path.stem[:2]} {grading['grade_id']}: {check_line[:60]}",
                            check, reference))
            continue
        shell.run_cell(cell.source, silent=True).raise_error()
    return results


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    rows = []
    for path in sorted(SOLUTIONS.glob("[0-9][0-9]_*.ipynb")):
        with contextlib.redirect_stdout(io.StringIO()):
            rows += measure_lesson(path, shell)
    rows.sort(key=lambda row: row[1], reverse=True)
    print(f"{len(rows)} checks, each on its reference solution (best of {REPEATS}):")
    print(f"{'check':74} {'check ms':>9} {'one run ms':>11} {'ratio':>8}")
    for label, check, reference in rows:
        print(f"{label:74} {check * 1e3:9.2f} {reference * 1e3:11.3f} "
              f"{check / reference:7.1f}x")
    label, check, reference = rows[0]
    print(f"slowest check: {check * 1e3:.1f} ms, {check / reference:.0f}x one run of its "
          f"reference solution ({label.split(':')[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
