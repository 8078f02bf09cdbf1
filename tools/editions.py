"""The two editions of every lesson, from one source: solutions and student.

A lesson's exercise is two code cells in a row:

    the answer cell                          the check cell
    def dense_backward(x, W, upstream_grad):  check_dense_backward(dense_backward, ...)
        ### BEGIN SOLUTION
        ...the solution...
        ### END SOLUTION

``mark_exercises`` gives them nbgrader's cell metadata: the answer cell is a solution cell
("autograded answer"), the check cell a locked test cell worth one point ("autograder
tests"). That is what nbgrader needs and what it does not do itself: it cannot know which cells
are exercises.

``student_edition`` then lets nbgrader itself make the student edition, with its own
``generate_assignment`` in a temporary course directory. nbgrader replaces every solution
region by ``CODE_STUB``, clears the outputs, locks the check cells and records their
checksums. The one setting it gets is the stub: ``pass  # YOUR CODE HERE`` is a statement that
does nothing and shows nothing, valid at any indentation, so an unanswered exercise leaves
``None`` (or a function that returns ``None``) and its check says "Not done yet", where
nbgrader's default stub would raise ``NotImplementedError`` and stop a learner's *Run All*.

A teacher who grades with nbgrader uses the solutions edition as the assignment's source; see
the README's "Teaching with it" section.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CODE_STUB = "pass  # YOUR CODE HERE"
# a code cell after an exercise's check that shows its answer: in the student edition its code is
# folded and it keeps no output, so the answer appears only when the learner runs it
REVEAL_TAG = "reveal"
ASSIGNMENT = "lessons"
SCHEMA_VERSION = 3
NBGRADER_CONFIG = f"""\
c = get_config()  # noqa: F821
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
"""


class ExerciseFormatError(ValueError):
    """A lesson whose exercise cells do not follow the answer-cell, check-cell format."""


def has_solution(cell) -> bool:
    """True for a code cell with a solution marker line."""
    return cell.cell_type == "code" and any(
        line.strip().startswith((BEGIN, END)) for line in cell.source.splitlines()
    )


def _check_markers(source: str, where: str) -> None:
    """Raise ExerciseFormatError unless BEGIN and END markers pair up, unnested."""
    open_line = None
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker.startswith(BEGIN):
            if open_line is not None:
                raise ExerciseFormatError(f"{where}, line {number}: {BEGIN!r} inside the "
                                          f"solution opened on line {open_line}")
            open_line = number
        elif marker.startswith(END):
            if open_line is None:
                raise ExerciseFormatError(f"{where}, line {number}: {END!r} without {BEGIN!r}")
            open_line = None
    if open_line is not None:
        raise ExerciseFormatError(f"{where}, line {open_line}: {BEGIN!r} is never closed")


def _last_line_calls_a_check(source: str) -> bool:
    lines = [line for line in source.splitlines() if line.strip() and not line.startswith("#")]
    return bool(lines) and lines[-1].lstrip().startswith("check_")


def mark_exercises(notebook, name: str = "lesson") -> int:
    """Give each answer cell and the check cell after it nbgrader's metadata, in place.

    Answer k (counted from 1) gets grade_id "answer-k", its check "check-k". Returns the
    number of exercises. Raises ExerciseFormatError, naming the lesson and the cell, for
    unbalanced markers, a check call inside an answer cell, or an answer cell whose next code
    cell does not end by calling a check_ function.
    """
    cells = notebook.cells
    count = 0
    for index, cell in enumerate(cells):
        if not has_solution(cell):
            continue
        where = f"{name}, cell {index}"
        _check_markers(cell.source, where)
        if _last_line_calls_a_check(cell.source):
            raise ExerciseFormatError(f"{where}: the answer cell calls its check; put the "
                                      "check in the next code cell")
        following = next((c for c in cells[index + 1:] if c.cell_type == "code"), None)
        if following is None or not _last_line_calls_a_check(following.source):
            raise ExerciseFormatError(f"{where}: an answer cell must be followed by a code "
                                      "cell whose last line calls a check_ function")
        count += 1
        cell.metadata["nbgrader"] = {
            "grade": False, "grade_id": f"answer-{count}", "locked": False,
            "schema_version": SCHEMA_VERSION, "solution": True, "task": False,
        }
        following.metadata["nbgrader"] = {
            "grade": True, "grade_id": f"check-{count}", "locked": True, "points": 1,
            "schema_version": SCHEMA_VERSION, "solution": False, "task": False,
        }
    return count


def write_course(root: Path, solutions: list[Path], assignment: str = ASSIGNMENT) -> Path:
    """Lay out an nbgrader course directory in root with the given solutions-edition lessons
    as one assignment's source. Returns the assignment's source folder."""
    source = root / "source" / assignment
    source.mkdir(parents=True, exist_ok=True)
    for path in solutions:
        shutil.copyfile(path, source / path.name)
    (root / "nbgrader_config.py").write_text(NBGRADER_CONFIG)
    return source


def nbgrader(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run an nbgrader command in the course directory root; raise with its output on failure."""
    command = [sys.executable, "-m", "nbgrader", *args, "--CourseDirectory.root=" + str(root)]
    # nbgrader runs the `alembic` command installed beside it (the environment's bin folder,
    # which an unactivated virtual environment does not put on PATH)
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    result = subprocess.run(command, cwd=root, capture_output=True, text=True,
                            env={**os.environ, "PATH": path})
    if result.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result


def hide_reveals(notebook) -> int:
    """Fold the code of the cells tagged REVEAL_TAG (JupyterLab shows it on a click) and clear
    their outputs, in place; returns how many."""
    hidden = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and REVEAL_TAG in cell.metadata.get("tags", []):
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
            cell.outputs, cell.execution_count = [], None
            hidden += 1
    return hidden


def student_edition(solutions: list[Path]) -> dict[str, nbformat.NotebookNode]:
    """The student edition of each solutions-edition lesson, made by nbgrader's
    generate_assignment; returns {file name: notebook without outputs}."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_course(root, solutions)
        nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
        release = root / "release" / ASSIGNMENT
        return {path.name: nbformat.read(release / path.name, as_version=4)
                for path in solutions}
