"""Write the student edition of the lessons: the same notebooks with the solutions taken out.

In a lesson, a solution sits between two marker lines inside a code cell:

    z = None  # your answer
    ### BEGIN SOLUTION
    z = x @ W + b
    ### END SOLUTION
    check_pre_activation(z, x, W, b)

The student edition replaces the markers and everything between them by one line,
``...  # YOUR CODE HERE``, at the markers' indentation (a valid statement anywhere, so a
function body stays a function body and returns None), and clears the outputs and execution
count of those cells. Every other cell is left exactly as it is. An unanswered exercise then
leaves ``z = None`` or a function returning None, which the checks report as "Not done yet".

Usage: python -m tools.student_edition [--out student] [notebook.ipynb ...]
(default: every notebooks/NN_*.ipynb below the current folder).
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
PLACEHOLDER = "...  # YOUR CODE HERE"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"


class SolutionMarkerError(ValueError):
    """Solution markers that do not pair up (an END without BEGIN, nested or unclosed)."""


def strip_solutions(source: str, where: str = "this cell") -> str:
    """The cell source with every BEGIN ... END SOLUTION block replaced by the placeholder.

    where: how to name the cell in an error, e.g. "lesson.ipynb, cell 7".
    Raises SolutionMarkerError for unbalanced or nested markers.
    """
    kept, begin_line = [], None
    for number, line in enumerate(source.splitlines(keepends=True), start=1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if begin_line is not None:
                raise SolutionMarkerError(f"{where}: line {number}: {BEGIN!r} inside the solution "
                                          f"that starts on line {begin_line} (nested markers)")
            begin_line = number
            indent = line[: len(line) - len(line.lstrip())]
        elif marker.startswith(END):
            if begin_line is None:
                raise SolutionMarkerError(f"{where}: line {number}: {END!r} without a "
                                          f"{BEGIN!r} before it")
            begin_line = None
            kept.append(indent + PLACEHOLDER + ("\n" if line.endswith("\n") else ""))
        elif begin_line is None:
            kept.append(line)
    if begin_line is not None:
        raise SolutionMarkerError(f"{where}: line {begin_line}: {BEGIN!r} is never closed by "
                                  f"{END!r}")
    return "".join(kept)


def has_solution(cell) -> bool:
    """True for a code cell with at least one solution marker."""
    return cell.cell_type == "code" and any(
        line.strip().startswith((BEGIN, END)) for line in cell.source.splitlines()
    )


def student_notebook(notebook, name: str = "notebook"):
    """A copy of a notebook (nbformat NotebookNode) with its solutions taken out.

    Exercise cells (code cells with markers) get the placeholder and no outputs; every other
    cell, and the notebook's metadata, are copied unchanged. name: used in error messages.
    """
    student = copy.deepcopy(notebook)
    for index, cell in enumerate(student.cells):
        if has_solution(cell):
            cell.source = strip_solutions(cell.source, f"{name}, cell {index}")
            cell.outputs = []
            cell.execution_count = None
    return student


def write_student_edition(paths, out_dir) -> list[Path]:
    """Write the student edition of each notebook in paths into out_dir (same file names).

    Returns the written paths. Raises SolutionMarkerError naming the notebook and cell, and
    ValueError (before writing anything) when out_dir is the folder of one of the notebooks,
    which would replace the lesson and its solutions by the student edition.
    """
    out_dir = Path(out_dir)
    paths = [Path(path) for path in paths]
    for path in paths:
        if (out_dir / path.name).resolve() == path.resolve():
            raise ValueError(
                f"out_dir {str(out_dir)!r} is the folder of {path.name}: writing there would "
                "replace the lesson, solutions included, by its student edition; expected "
                "another folder, e.g. 'student'"
            )
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        target = out_dir / path.name
        nbformat.write(student_notebook(notebook, path.name), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.student_edition",
        description="Write the lessons without their solutions (### BEGIN/END SOLUTION).",
    )
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help=f"notebooks to convert (default: notebooks/{LESSON_GLOB})")
    parser.add_argument("--out", type=Path, default=Path("student"),
                        help="output folder (default: student)")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(Path("notebooks").glob(LESSON_GLOB))
    if not paths:
        print(f"error: no lessons found (notebooks/{LESSON_GLOB} below {Path.cwd()})",
              file=sys.stderr)
        return 1
    try:
        written = write_student_edition(paths, args.out)
    except (OSError, ValueError, nbformat.ValidationError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
