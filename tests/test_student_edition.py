"""Tests of tools.student_edition: solutions go, everything else stays, the result runs."""

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest
from course_files import NOTEBOOKS, lesson_paths
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.student_edition import (
    BEGIN,
    END,
    PLACEHOLDER,
    SolutionMarkerError,
    has_solution,
    main,
    strip_solutions,
    write_student_edition,
)

LESSONS = lesson_paths()
WORKERS = int(os.environ.get("STUDENT_EDITION_WORKERS", max(2, os.cpu_count() or 1)))

SETUP = """\
import numpy as np
from helpers.exercises import check_activation_derivative, check_pre_activation
x = np.array([[1.0, 2.0], [0.0, -1.0]])
W = np.array([[0.5], [-1.0]])
b = np.array([0.25])"""

EXERCISE_VALUE = f"""\
z = None  # your answer
{BEGIN}
z = x @ W + b
{END}
check_pre_activation(z, x, W, b)"""

EXERCISE_FUNCTION = f"""\
def my_sigmoid_derivative(z):
    \"\"\"sigmoid'(z) for an array z.\"\"\"
    {BEGIN}
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)
    {END}


check_activation_derivative(my_sigmoid_derivative, "sigmoid", np.linspace(-3, 3, 7))"""

SOLUTION_LINES = ["z = x @ W + b", "s = 1 / (1 + np.exp(-z))", "return s * (1 - s)"]


def synthetic_lesson():
    """A small executed lesson: markdown, set-up, two exercises, a cell after them."""
    notebook = new_notebook(cells=[
        new_markdown_cell(f"# A lesson\n\nSolutions are marked with `{BEGIN}`."),
        new_code_cell(SETUP),
        new_markdown_cell("**Exercise 1.** Compute the pre-activation."),
        new_code_cell(EXERCISE_VALUE, metadata={"tags": ["solution"]}),
        new_code_cell(EXERCISE_FUNCTION),
        new_code_cell('print(f"{(x @ W + b).sum():.3f}")'),
        new_markdown_cell("## Summary"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return execute(notebook)


def execute(notebook):
    NotebookClient(notebook, timeout=120, kernel_name="python3").execute()
    return notebook


def output_text(cell):
    return "".join(
        output.get("text", "") + output.get("data", {}).get("text/plain", "")
        for output in cell.outputs
    )


def exercise_solution_lines(cell):
    """The stripped lines between the markers of one cell."""
    lines, inside = [], False
    for line in cell.source.splitlines():
        if line.strip().startswith((BEGIN, END)):
            inside = line.strip().startswith(BEGIN)
        elif inside and line.strip():
            lines.append(line.strip())
    return lines


def assert_student_edition(original, student):
    """No solution is left; every cell without markers is identical; exercise cells cleared."""
    assert len(student.cells) == len(original.cells)
    assert student.metadata == original.metadata
    for index, (before, after) in enumerate(zip(original.cells, student.cells, strict=True)):
        if not has_solution(before):
            assert after == before, f"cell {index} changed"
            continue
        assert BEGIN not in after.source and END not in after.source
        assert PLACEHOLDER in after.source
        outside = strip_solutions(before.source)
        for line in exercise_solution_lines(before):
            assert line not in after.source or line in outside, f"cell {index} keeps {line!r}"
        assert after.outputs == [] and after.execution_count is None
        assert after.metadata == before.metadata
        assert after.get("id") == before.get("id")


def run_nbval(path):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-o", "addopts=",
         "-p", "no:cacheprovider", str(path)],
        capture_output=True, text=True, cwd=path.parent, timeout=1800,
    )


# ------------------------------------------------------------------ strip_solutions


def test_a_solution_becomes_one_placeholder_line():
    assert strip_solutions(EXERCISE_VALUE) == (
        f"z = None  # your answer\n{PLACEHOLDER}\ncheck_pre_activation(z, x, W, b)"
    )


def test_the_placeholder_keeps_the_markers_indentation():
    stripped = strip_solutions(EXERCISE_FUNCTION)
    assert f'    """sigmoid\'(z) for an array z."""\n    {PLACEHOLDER}\n' in stripped
    namespace = {}
    exec(stripped.split("\n\n\n")[0], namespace)  # still a valid function, returning None
    assert namespace["my_sigmoid_derivative"](1.0) is None


def test_a_cell_without_markers_is_unchanged():
    assert strip_solutions("print(1)\n# BEGIN SOLUTION is not a marker\n") == (
        "print(1)\n# BEGIN SOLUTION is not a marker\n")


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        (f"{END}\nx = 1", "without a"),
        (f"{BEGIN}\nx = 1", "never closed"),
        (f"{BEGIN}\n{BEGIN}\nx = 1\n{END}\n{END}", "nested"),
    ],
    ids=["end without begin", "begin without end", "nested"],
)
def test_unbalanced_markers_name_the_notebook_and_cell(tmp_path, source, problem):
    notebook = new_notebook(cells=[new_markdown_cell("# Lesson"), new_code_cell(source)])
    path = tmp_path / "07_broken.ipynb"
    nbformat.write(notebook, path)
    where = r"07_broken.ipynb, cell 1: line \d: "
    with pytest.raises(SolutionMarkerError, match=where + f".*{problem}"):
        write_student_edition([path], tmp_path / "student")


def test_writing_into_the_lessons_own_folder_is_refused(tmp_path, monkeypatch, capsys):
    # --out notebooks used to overwrite every lesson, solutions included, with its student edition
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01_a.ipynb"
    nbformat.write(new_notebook(cells=[new_code_cell(EXERCISE_VALUE)]), path)
    before = path.read_text()
    with pytest.raises(ValueError, match="out_dir .* is the folder of 01_a.ipynb"):
        write_student_edition([path], tmp_path / "notebooks" / ".." / "notebooks")
    monkeypatch.chdir(tmp_path)
    assert main(["--out", "notebooks"]) == 1
    assert "is the folder of 01_a.ipynb" in capsys.readouterr().err
    assert path.read_text() == before


# ------------------------------------------------------------------ a synthetic lesson


@pytest.fixture(scope="module")
def lesson(tmp_path_factory):
    """(original, student, student path) for the synthetic lesson."""
    folder = tmp_path_factory.mktemp("lesson")
    original = synthetic_lesson()
    nbformat.write(original, folder / "01_synthetic.ipynb")
    [path] = write_student_edition([folder / "01_synthetic.ipynb"], folder / "student")
    return original, nbformat.read(path, as_version=4), path


def test_the_original_lesson_passes_its_own_checks(lesson):
    original, _, _ = lesson
    assert "✓ Correct" in output_text(original.cells[3])
    assert "✓ Correct" in output_text(original.cells[4])


def test_the_student_edition_has_no_solution_and_the_rest_unchanged(lesson):
    original, student, path = lesson
    assert_student_edition(original, student)
    text = path.read_text()
    assert "SOLUTION" not in text.replace(f"`{BEGIN}`", "")  # only the markdown mentions it
    for line in SOLUTION_LINES:
        assert line not in text


def test_unanswered_exercises_say_not_done_yet(lesson):
    _, student, _ = lesson
    executed = execute(student)  # raises CellExecutionError on any error
    assert "… Not done yet" in output_text(executed.cells[3])
    assert "Not done yet: your function my_sigmoid_derivative returned None" in output_text(
        executed.cells[4])
    assert output_text(executed.cells[5]).strip() == output_text(student.cells[5]).strip()


def test_the_student_edition_passes_nbval(lesson):
    _, _, path = lesson
    result = run_nbval(path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "passed" in result.stdout


def test_the_command_line_converts_every_lesson(tmp_path, monkeypatch, capsys):
    (tmp_path / "notebooks").mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb", "scratch.ipynb"):
        notebook = new_notebook(cells=[new_code_cell(EXERCISE_VALUE)])
        nbformat.write(notebook, tmp_path / "notebooks" / name)
    monkeypatch.chdir(tmp_path)
    assert main([]) == 0
    assert sorted(p.name for p in (tmp_path / "student").iterdir()) == ["01_a.ipynb",
                                                                        "02_b.ipynb"]
    assert main(["--out", "elsewhere", "notebooks/scratch.ipynb"]) == 0
    assert (tmp_path / "elsewhere" / "scratch.ipynb").exists()
    assert "wrote elsewhere/scratch.ipynb" in capsys.readouterr().out


def test_the_command_line_reports_errors_without_a_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([]) == 1
    assert "no lessons found" in capsys.readouterr().err
    nbformat.write(new_notebook(cells=[new_code_cell(BEGIN)]), tmp_path / "03_x.ipynb")
    assert main(["03_x.ipynb"]) == 1
    assert "03_x.ipynb, cell 0: line 1" in capsys.readouterr().err


# ------------------------------------------------------------------ the real lessons


@pytest.fixture(scope="module")
def lesson_runs(tmp_path_factory):
    """{lesson name: (lesson, student edition, nbval result)}, the runs side by side."""
    originals = [nbformat.read(path, as_version=4) for path in LESSONS]
    paths = write_student_edition(LESSONS, tmp_path_factory.mktemp("student"))
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(run_nbval, paths))
    return {
        path.name: (original, nbformat.read(path, as_version=4), result)
        for original, path, result in zip(originals, paths, results, strict=True)
    }


@pytest.mark.slow
@pytest.mark.parametrize("lesson_path", LESSONS or [None],
                         ids=[p.stem for p in LESSONS] or ["no lessons"])
def test_the_student_edition_of_each_lesson_runs(lesson_path, request):
    if lesson_path is None:
        pytest.fail(f"no lessons found: nothing matches {NOTEBOOKS}/[0-9][0-9]_*.ipynb")
    original, student, result = request.getfixturevalue("lesson_runs")[lesson_path.name]
    assert_student_edition(original, student)
    assert result.returncode == 0, (
        f"the student edition of {lesson_path.name} fails under nbval-lax (does a later cell "
        f"use an exercise's answer?):\n" + result.stdout[-4000:] + result.stderr[-2000:]
    )
