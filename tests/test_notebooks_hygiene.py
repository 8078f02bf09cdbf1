"""Hygiene of the stored lessons, both editions: what nbval does not check by itself.

Every lesson is stored executed top to bottom, without errors, stderr, machine paths or widget
state; it starts with a title, links to its neighbours, matches its jupytext source (the
solutions edition; ``test_editions`` compares the student edition with it), and hides output
only where a live widget is displayed.
"""

import getpass
import re

import jupytext
import nbformat
import pytest
from course_files import (
    LESSON_NAMES,
    NOTEBOOKS,
    README,
    SOLUTIONS,
    SOURCES,
    binder_targets,
    both_editions,
    lesson_paths,
)

from tools.build_lessons import read_source
from tools.editions import REVEAL_TAG

LESSONS = both_editions()
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MACHINE_PATHS = re.compile(r"(/home/|/root/|/Users/|/tmp/|/work/|/private/|[A-Z]:\\\\)")


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def output_text(output):
    """Everything an output shows, as one string."""
    if output.output_type == "stream":
        return output.text
    if output.output_type == "error":
        return "\n".join(output.traceback)
    return "\n".join(str(v) for k, v in output.get("data", {}).items() if k.startswith("text"))


def tags(cell):
    return cell.metadata.get("tags", [])


def test_every_lesson_exists_in_order_in_both_editions():
    assert [p.stem for p in lesson_paths(NOTEBOOKS)] == LESSON_NAMES
    assert [p.stem for p in lesson_paths(SOLUTIONS)] == LESSON_NAMES


@pytest.fixture(params=LESSONS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def lesson(request):
    return request.param, read(request.param)


def test_code_cells_executed_in_order(lesson):
    path, notebook = lesson
    cells = code_cells(notebook)
    counts = [cell.execution_count for cell in cells]
    # the student edition keeps no count for a cell that reveals an answer (tools/editions.py)
    expected = [None if path.parent == NOTEBOOKS and REVEAL_TAG in cell.metadata.get("tags", [])
                else number for number, cell in enumerate(cells, 1)]
    assert counts == expected, (
        f"{path.name}: execution counts {counts}; rebuild it with tools/build_lessons.py"
    )


def test_no_errors_and_no_stderr(lesson):
    path, notebook = lesson
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            assert output.output_type != "error", f"{path.name} cell {index}: error output"
            assert output.get("name") != "stderr", (
                f"{path.name} cell {index}: stderr output {output.text[:200]!r}"
            )


def test_no_machine_paths_or_user_names(lesson):
    path, notebook = lesson
    user = getpass.getuser()
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = output_text(output)
            assert not MACHINE_PATHS.search(text), f"{path.name} cell {index}: a machine path"
            if user not in {"root", "jovyan", "runner"}:
                assert user not in text, f"{path.name} cell {index}: the user name {user}"


# A relative error or a difference far below 1e-7 is floating-point rounding: its digits differ
# between CPUs and BLAS libraries, so a stored output would not be reproduced everywhere.
# Lessons print a threshold statement ("< 1e-7", "below 1e-7: True") instead. Lesson 06 is
# about the size of these errors and prints them as orders of magnitude on purpose.
ROUNDING_SIZED = re.compile(r"\d(?:\.\d+)?e-(?:0?[89]|[1-9]\d)\b")
ABOUT_ERRORS = re.compile(r"error|differ", re.IGNORECASE)
THRESHOLD = re.compile(r"(?:<=?|below|under|than)\s*\d(?:\.\d+)?e-\d+")  # "< 1e-9" is fine


@pytest.mark.parametrize(
    "path", [p for p in LESSONS if p.stem != "06_gradient_checking"],
    ids=lambda p: f"{p.parent.name}/{p.stem}",
)
def test_no_rounding_sized_errors_printed(path):
    notebook = read(path)
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []):
            text = output_text(output)
            if not ABOUT_ERRORS.search(text):  # an output about errors, e.g. a table's header
                continue
            for line in text.splitlines():
                assert not ROUNDING_SIZED.search(THRESHOLD.sub("", line)), (
                    f"{path.name} cell {index} prints a rounding-sized error, which differs "
                    f"between machines; print a threshold (e.g. '< 1e-7') instead: {line!r}"
                )


def test_no_saved_widget_state(lesson):
    path, notebook = lesson
    assert "widgets" not in notebook.metadata, f"{path.name} stores widget state"


def test_kernelspec_is_python3(lesson):
    path, notebook = lesson
    assert notebook.metadata["kernelspec"]["name"] == "python3", path.name


def test_first_cell_is_a_title(lesson):
    path, notebook = lesson
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# "), (
        f"{path.name}: the first cell must be a markdown title '# NN · Title'"
    )
    assert first.source.startswith(f"# {path.stem[:2]} "), f"{path.name}: title lacks its number"


def test_ignore_output_only_on_widget_cells(lesson):
    path, notebook = lesson
    cells = code_cells(notebook)
    for index, cell in enumerate(cells):
        shows_widget = any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))
        if "nbval-ignore-output" in tags(cell):
            assert shows_widget, (
                f"{path.name} code cell {index + 1}: nbval-ignore-output on a cell "
                "that displays no widget"
            )
            assert "assert " not in cell.source, (
                f"{path.name} code cell {index + 1}: checks of a widget's state belong in tests/")
        for other in ("nbval-skip", "nbval-raises-exception", "raises-exception"):
            assert other not in tags(cell), f"{path.name} code cell {index + 1}: tag {other}"


LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+\.ipynb)\)")
ANY_LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_previous_and_next_links_resolve(lesson):
    path, notebook = lesson
    position = LESSON_NAMES.index(path.stem)
    links = [
        (text, target)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for text, target in LINK.findall(cell.source)
    ]
    for _, target in links:
        assert (path.parent / target).is_file(), f"{path.name}: link to missing {target}"
    targets = {target for _, target in links}
    if position > 0:
        assert f"{LESSON_NAMES[position - 1]}.ipynb" in targets, f"{path.name}: no previous link"
    if position < len(LESSON_NAMES) - 1:
        assert f"{LESSON_NAMES[position + 1]}.ipynb" in targets, f"{path.name}: no next link"
    last = notebook.cells[-1]
    assert last.cell_type == "markdown" and LINK.search(last.source), (
        f"{path.name}: the last cell must repeat the navigation links"
    )


@pytest.mark.parametrize("path", lesson_paths(SOLUTIONS), ids=lambda p: p.stem)
def test_the_solutions_edition_matches_its_source(path):
    source = SOURCES / f"{path.stem}.py"
    assert source.is_file(), f"{path.name} has no source {source.name} in lessons_src/"
    expected = read_source(source)
    # the build gives a cell its slide type once the lesson has run (tests/test_slides.py)
    stored = [(c.cell_type, c.source, c.metadata) for c in read(path).cells]
    wanted = [(c.cell_type, c.source, c.metadata) for c in expected.cells]
    for (_, _, metadata), (_, _, by_source) in zip(stored, wanted, strict=False):
        if "slideshow" not in by_source:
            metadata.pop("slideshow", None)
    assert stored == wanted, (
        f"solutions/{path.name} differs from {source.name}: rebuild it with "
        "tools/build_lessons.py"
    )


def test_the_source_reads_as_jupytext_reads_it():
    # read_source only cleans metadata and marks exercises: the cells are jupytext's
    for source in sorted(SOURCES.glob("[0-9][0-9]_*.py")):
        plain = jupytext.read(source)
        assert [c.source for c in read_source(source).cells] == [c.source for c in plain.cells]


def test_every_source_has_both_editions():
    for source in sorted(SOURCES.glob("*.py")):
        for folder in (NOTEBOOKS, SOLUTIONS):
            assert (folder / f"{source.stem}.ipynb").is_file(), (
                f"{source.name} is not built into {folder.name}/")


def test_readme_lists_every_lesson_with_a_binder_link():
    text = README.read_text(encoding="utf-8")
    targets = binder_targets(text)
    for name in LESSON_NAMES:
        assert f"(notebooks/{name}.ipynb)" in text, f"README does not link lesson {name}"
        assert f"notebooks/{name}.ipynb" in targets, f"README has no Binder link for {name}"


def test_every_path_named_in_readme_and_binder_links_exists():
    repo = README.parent
    text = README.read_text(encoding="utf-8")
    named = set(re.findall(r"\]\(((?!https?:)[^)#\s]+)\)", text))
    named |= set(binder_targets(text))
    for path in LESSONS:
        for cell in read(path).cells:
            for target in binder_targets(cell.source):
                named.add(target)
    assert named, "README names no files"
    for target in sorted(named):
        assert (repo / target).exists(), f"README or a Binder link names a missing {target}"


def test_every_link_resolves_from_where_the_lesson_is_opened(lesson):
    # The README's command, Binder and the hub link all open the lessons with the repository's
    # folder inside JupyterLab's root, so a relative link resolves against notebooks/ and must
    # stay inside the repository.
    path, notebook = lesson
    repo = NOTEBOOKS.parent.resolve()
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for target in ANY_LINK.findall(cell.source):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            resolved = (path.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(repo) and resolved.exists(), (
                f"{path.name}: the link {target} does not resolve inside the repository")


RUN_ALL_ABOVE = "*Run → Run All Above Selected Cell*"


def test_every_lesson_says_how_to_start_in_the_middle(lesson):
    path, notebook = lesson
    top = "\n".join(cell.source for cell in notebook.cells[:3] if cell.cell_type == "markdown")
    assert "**Running this lesson.**" in top and RUN_ALL_ABOVE in top, (
        f"{path.name}: the top of the lesson must say how to start from a cell in the middle")
    exercises = [c.source for c in notebook.cells
                 if c.cell_type == "markdown" and c.source.lstrip().startswith("## Exercises")]
    for text in exercises:
        assert "NameError" in text and RUN_ALL_ABOVE in text, (
            f"{path.name}: the exercises must say what to do about a NameError")


def test_the_first_code_cell_is_marked_as_the_one_to_run_first(lesson):
    path, notebook = lesson
    first_code = next(i for i, c in enumerate(notebook.cells) if c.cell_type == "code")
    before = notebook.cells[first_code - 1]
    assert before.cell_type == "markdown" and "Run this cell first" in before.source, (
        f"{path.name}: the markdown above the first code cell must say **Run this cell first**")


def test_lesson_00_gives_the_readmes_commands():
    commands = [line.strip() for line in README.read_text(encoding="utf-8").splitlines()
                if line.startswith("python3 tools/check_python.py")]
    assert len(commands) == 2
    lesson = (SOURCES / "00_start_here.py").read_text(encoding="utf-8")
    for command in commands:
        assert f"# {command}\n" in lesson, f"lesson 00 does not give the README's {command!r}"


def widget_cells():
    """(lesson name, cell index, source) of every cell that displays a widget."""
    return [
        pytest.param(path.stem, index, cell.source, id=f"{path.stem}-cell{index}")
        for path in lesson_paths(NOTEBOOKS)  # the same cells in both editions
        for index, cell in enumerate(read(path).cells)
        if cell.cell_type == "code" and "nbval-ignore-output" in tags(cell)
    ]


@pytest.mark.parametrize(("name", "index", "source"), widget_cells())
def test_a_widget_cell_runs_on_its_own_in_a_fresh_kernel(name, index, source):
    # a learner who restarts the kernel and runs only the widget cell still gets the widget
    from nbclient import NotebookClient

    alone = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    alone.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}
    NotebookClient(alone, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    outputs = alone.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"], f"{name} cell {index}"
    assert any(WIDGET_MIME in o.get("data", {}) for o in outputs), f"{name} cell {index}"
