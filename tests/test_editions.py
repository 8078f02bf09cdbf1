"""The two editions and nbgrader: exercises are marked, nbgrader's generate_assignment makes
the student edition that is committed in notebooks/, and nbgrader's autograde scores a
completed copy, an unanswered one and a wrong one.

The synthetic lesson here is small so that nbgrader runs fast; the real lessons are compared
edition against edition, and autograded once with their solutions.
"""

import json
import shutil
import subprocess
import sys

import nbformat
import pytest
from course_files import NOTEBOOKS, SOLUTIONS, lesson_paths
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.editions import (
    ASSIGNMENT,
    BEGIN,
    CODE_STUB,
    END,
    REVEAL_TAG,
    ExerciseFormatError,
    has_solution,
    hide_reveals,
    mark_exercises,
    nbgrader,
    student_edition,
    write_course,
)

STUDENT_LESSONS = lesson_paths(NOTEBOOKS)
SOLVED_LESSONS = lesson_paths(SOLUTIONS)

SETUP = """\
import numpy as np
from helpers.exercises import check_activation, check_pre_activation
x = np.array([[1.0, 2.0], [0.0, -1.0]])
W = np.array([[0.5], [-1.0]])
b = np.array([0.25])"""

ANSWER_VALUE = f"""\
z = None  # your answer
{BEGIN}
z = x @ W + b
{END}"""

CHECK_VALUE = "check_pre_activation(z, x, W, b)"

ANSWER_FUNCTION = f"""\
def my_sigmoid(z):
    \"\"\"sigmoid(z) for an array z.\"\"\"
    {BEGIN}
    s = 1 / (1 + np.exp(-z))
    return s
    {END}"""

CHECK_FUNCTION = 'check_activation(my_sigmoid, "sigmoid", np.linspace(-3, 3, 7))'

SOLUTION_LINES = ["z = x @ W + b", "s = 1 / (1 + np.exp(-z))", "return s"]


def synthetic_lesson():
    """A small lesson: markdown, set-up, two exercises (answer cell, check cell), a summary."""
    notebook = new_notebook(cells=[
        new_markdown_cell("# A lesson"),
        new_code_cell(SETUP),
        new_markdown_cell("**Exercise 1.** Compute the pre-activation."),
        new_code_cell(ANSWER_VALUE),
        new_code_cell(CHECK_VALUE),
        new_markdown_cell("**Exercise 2.** The sigmoid."),
        new_code_cell(ANSWER_FUNCTION),
        new_code_cell(CHECK_FUNCTION),
        new_code_cell('print(f"{(x @ W + b).sum():.3f}")'),
        new_markdown_cell("## Summary"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def execute(notebook, **kwargs):
    NotebookClient(notebook, timeout=120, kernel_name="python3", **kwargs).execute()
    return notebook


def text_of(cell):
    return "".join(output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
                   for output in cell.get("outputs", []))


# ------------------------------------------------------------------ marking the exercises


def test_answer_and_check_cells_get_nbgraders_metadata():
    notebook = synthetic_lesson()
    assert mark_exercises(notebook) == 2
    answer, check = notebook.cells[3].metadata["nbgrader"], notebook.cells[4].metadata["nbgrader"]
    assert answer["solution"] and not answer["grade"] and not answer["locked"]
    assert answer["grade_id"] == "answer-1"
    assert check["grade"] and check["locked"] and check["points"] == 1
    assert not check["solution"] and check["grade_id"] == "check-1"
    assert notebook.cells[7].metadata["nbgrader"]["grade_id"] == "check-2"
    assert "nbgrader" not in notebook.cells[8].metadata  # a cell after the exercises


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ([f"{END}\nx = 1", CHECK_VALUE], "without"),
        ([f"{BEGIN}\nx = 1", CHECK_VALUE], "never closed"),
        ([f"{BEGIN}\n{BEGIN}\nx = 1\n{END}\n{END}", CHECK_VALUE], "inside the solution"),
        ([ANSWER_VALUE + "\n" + CHECK_VALUE], "calls its check"),
        ([ANSWER_VALUE, "print(z)"], "must be followed by a code cell"),
        ([ANSWER_VALUE], "must be followed by a code cell"),
    ],
    ids=["end without begin", "begin without end", "nested", "check inside",
         "no check after", "last cell"],
)
def test_a_badly_formed_exercise_names_the_lesson_and_cell(cells, problem):
    notebook = new_notebook(cells=[new_markdown_cell("# Lesson")]
                            + [new_code_cell(source) for source in cells])
    with pytest.raises(ExerciseFormatError, match=f"07_broken, cell 1.*{problem}"):
        mark_exercises(notebook, "07_broken")


def test_a_marker_in_a_comment_is_not_a_solution():
    assert not has_solution(new_code_cell("print(1)\n# BEGIN SOLUTION is not a marker"))
    assert not has_solution(new_markdown_cell(BEGIN))


# ------------------------------------------------------------------ nbgrader on a small lesson


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """An nbgrader course with the synthetic lesson: (root, solved notebook, student notebook)."""
    root = tmp_path_factory.mktemp("course")
    solved = synthetic_lesson()
    mark_exercises(solved, "01_synthetic")
    execute(solved)
    path = root / "01_synthetic.ipynb"
    nbformat.write(solved, path)
    student = student_edition([path])["01_synthetic.ipynb"]
    write_course(root, [path])
    nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    return root, solved, student


def test_the_solved_lesson_passes_its_own_checks(course):
    _, solved, _ = course
    assert "✓ Correct" in text_of(solved.cells[4])
    assert "✓ Correct" in text_of(solved.cells[7])


def test_nbgrader_takes_the_solutions_out_and_nothing_else(course):
    _, solved, student = course
    assert len(student.cells) == len(solved.cells)
    for index, (before, after) in enumerate(zip(solved.cells, student.cells, strict=True)):
        assert after.get("outputs", []) == [], f"cell {index} keeps its outputs"
        if not has_solution(before):
            assert after.source == before.source, f"cell {index} changed"
            continue
        assert BEGIN not in after.source and END not in after.source
        assert CODE_STUB in after.source
    text = json.dumps(student)
    for line in SOLUTION_LINES:
        assert line not in text
    assert student.cells[4].metadata["nbgrader"]["locked"]
    assert "checksum" in student.cells[4].metadata["nbgrader"]


def test_the_stub_keeps_a_function_a_function(course):
    _, _, student = course
    source = student.cells[6].source
    assert f'    """sigmoid(z) for an array z."""\n    {CODE_STUB}' in source
    namespace = {}
    exec(source, namespace)
    assert namespace["my_sigmoid"](1.0) is None


def test_the_unanswered_student_edition_runs_and_says_not_done_yet(course):
    _, _, student = course
    executed = execute(nbformat.from_dict(json.loads(json.dumps(student))))  # errors raise
    assert "… Not done yet" in text_of(executed.cells[4])
    assert "Not done yet: your function my_sigmoid returned None" in text_of(
        executed.cells[7])
    assert text_of(executed.cells[3]) == "" and text_of(executed.cells[6]) == ""


def submit(root, student_id, notebook, name="01_synthetic.ipynb"):
    folder = root / "submitted" / student_id / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, folder / name)


def scores(root, student_id):
    """{grade_id: (score, max_score)} of one student's autograded lesson, from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission_notebook("01_synthetic", ASSIGNMENT, student_id)
        return {grade.name: (grade.score, grade.max_score) for grade in submission.grades}


def test_nbgrader_autogrades_right_missing_and_wrong_answers(course):
    root, solved, student = course
    release = nbformat.read(root / "release" / ASSIGNMENT / "01_synthetic.ipynb", as_version=4)
    right = nbformat.from_dict(json.loads(json.dumps(release)))
    right.cells[3].source, right.cells[6].source = solved.cells[3].source, solved.cells[6].source
    wrong = nbformat.from_dict(json.loads(json.dumps(right)))
    wrong.cells[3].source = wrong.cells[3].source.replace("x @ W + b", "x @ W")
    submit(root, "right", right)
    submit(root, "missing", release)
    submit(root, "wrong", wrong)
    nbgrader(root, "autograde", ASSIGNMENT, "--force")
    assert scores(root, "right") == {"check-1": (1, 1), "check-2": (1, 1)}
    assert scores(root, "missing") == {"check-1": (0, 1), "check-2": (0, 1)}
    assert scores(root, "wrong") == {"check-1": (0, 1), "check-2": (1, 1)}
    graded = nbformat.read(root / "autograded" / "wrong" / ASSIGNMENT / "01_synthetic.ipynb",
                           as_version=4)
    error = next(o for o in graded.cells[4].outputs if o.output_type == "error")
    assert error.ename == "AnswerNotAccepted"
    assert "forgot to add the bias" in error.evalue  # the message a learner reads


# ------------------------------------------------------------------ the real lessons


def test_both_editions_hold_the_same_lessons():
    assert [p.name for p in STUDENT_LESSONS] == [p.name for p in SOLVED_LESSONS]
    assert SOLVED_LESSONS, f"no lessons in {SOLUTIONS}"


@pytest.fixture(scope="module")
def regenerated():
    """nbgrader's student edition of the committed solutions edition, made afresh, with the
    cells that reveal an answer folded as the build folds them."""
    lessons = student_edition(SOLVED_LESSONS)
    for notebook in lessons.values():
        hide_reveals(notebook)
    return lessons


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.stem)
def test_the_committed_student_edition_is_nbgraders_of_the_solutions(path, regenerated):
    stored = nbformat.read(path, as_version=4)
    fresh = regenerated[path.name]
    assert [(c.cell_type, c.source, c.metadata) for c in stored.cells] == [
        (c.cell_type, c.source, c.metadata) for c in fresh.cells
    ], f"notebooks/{path.name} is out of step with solutions/: run tools/build_lessons.py"


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.stem)
def test_the_student_edition_has_no_solution_and_every_check_waits(path):
    student = nbformat.read(path, as_version=4)
    solved = nbformat.read(SOLUTIONS / path.name, as_version=4)
    answers = [c for c in solved.cells if has_solution(c)]
    assert answers, f"{path.name} has no exercise"
    checks = [c for c in student.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert len(checks) == len(answers)
    for cell in checks:
        assert "Not done yet" in text_of(cell), (
            f"{path.name}: the check {cell.source.splitlines()[-1]!r} does not say "
            "'Not done yet' in the student edition")
    for cell in student.cells:
        assert BEGIN not in cell.source and "✓ Correct" not in text_of(cell)


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.stem)
def test_a_cell_that_reveals_an_answer_shows_it_only_in_the_edition_with_solutions(path):
    """A cell tagged "reveal" follows an exercise's check, an experiment or a question in the
    same section; it prints something in the edition with solutions, and in the student edition
    its code is folded and it keeps no output, so the learner meets the answer by running it."""
    student = nbformat.read(path, as_version=4).cells
    solved = nbformat.read(SOLUTIONS / path.name, as_version=4).cells
    reveals = [i for i, cell in enumerate(student)
               if REVEAL_TAG in cell.metadata.get("tags", [])]
    for index in reveals:
        assert student[index].outputs == [] and student[index].execution_count is None, (
            f"{path.name}: cell {index} shows its answer in the student edition")
        assert student[index].metadata["jupyter"]["source_hidden"], (
            f"{path.name}: cell {index} shows the code of its answer in the student edition")
        assert solved[index].outputs, f"{path.name}: cell {index} reveals nothing"
        before = next(cell for cell in reversed(student[:index + 1])
                      if "nbgrader" in cell.metadata
                      or cell.source.startswith(("## ", "### ")))
        assert (before.metadata.get("nbgrader", {}).get("grade")
                or before.source.startswith(("### Experiment", "### Question"))), (
            f"{path.name}: cell {index} is tagged reveal but does not follow a check (or an "
            "experiment or a question) in its section")


def test_hide_reveals_clears_only_the_tagged_cells():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print(1)", metadata={"tags": [REVEAL_TAG]},
                                  execution_count=3, outputs=[
                                      nbformat.v4.new_output("stream", text="1\n")]),
        nbformat.v4.new_code_cell("print(2)", execution_count=4, outputs=[
            nbformat.v4.new_output("stream", text="2\n")])])
    assert hide_reveals(notebook) == 1
    assert notebook.cells[0].outputs == [] and notebook.cells[0].execution_count is None
    assert notebook.cells[0].metadata["jupyter"]["source_hidden"]
    assert "jupyter" not in notebook.cells[1].metadata
    assert notebook.cells[1].outputs[0].text == "2\n"


@pytest.mark.parametrize("path", STUDENT_LESSONS, ids=lambda p: p.stem)
def test_every_exercise_has_a_hint_to_reveal(path):
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            continue
        task = next(c for c in reversed(cells[:index]) if c.cell_type == "markdown")
        assert "<details><summary>Hint</summary>" in task.source, (
            f"{path.name}: the exercise above cell {index} has no hint to reveal")


@pytest.mark.slow
def test_nbgrader_autogrades_every_solved_lesson_with_full_marks(tmp_path):
    write_course(tmp_path, SOLVED_LESSONS)
    nbgrader(tmp_path, "generate_assignment", ASSIGNMENT, "--force")
    folder = tmp_path / "submitted" / "solver" / ASSIGNMENT
    folder.mkdir(parents=True)
    for path in SOLVED_LESSONS:
        shutil.copyfile(path, folder / path.name)
    nbgrader(tmp_path, "autograde", ASSIGNMENT, "--force")
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gradebook:
        for path in SOLVED_LESSONS:
            notebook = gradebook.find_submission_notebook(path.stem, ASSIGNMENT, "solver")
            lost = [g.name for g in notebook.grades if g.score != g.max_score]
            assert not lost, f"{path.name}: autograde takes points for {lost}"
            assert notebook.max_score == sum(
                1 for c in nbformat.read(path, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade"))


def test_nbgrader_is_a_pinned_test_dependency():
    import nbgrader as package

    pins = (SOLUTIONS.parent / "requirements-test.txt").read_text()
    assert f"nbgrader=={package.__version__}" in pins
    result = subprocess.run([sys.executable, "-m", "nbgrader", "--version"],
                            capture_output=True, text=True)
    assert package.__version__ in result.stdout + result.stderr
