"""The repository's promises: pinned requirements, the README's two commands, CI, layering, lint."""

import re
import subprocess
import sys
import tomllib

import pytest
from course_files import README, REPO_ROOT

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.]*$")


def requirement_lines(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def readme_command(ending, start="python3 tools/check_python.py && python3 -m venv"):
    """The README's one-line command that starts with ``start`` and ends with ``ending``."""
    commands = [
        line.strip()
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith(start) and line.strip().endswith(ending)
    ]
    assert len(commands) == 1, f"README must give exactly one command ending in {ending!r}"
    return commands[0]


WINDOWS = r"py -3 tools\check_python.py && py -3 -m venv .venv && .venv\Scripts\pip install"


def test_binder_requirements_are_pinned_without_local_paths():
    lines = requirement_lines(REPO_ROOT / "binder" / "requirements.txt")
    for line in lines:
        assert PIN.match(line), f"binder/requirements.txt: {line!r} is not 'name==version'"
    names = {line.split("==")[0].lower() for line in lines}
    assert {"numpy", "jupyterlab", "ipywidgets", "matplotlib", "sympy"} <= names


def test_requirements_pin_everything_and_install_the_package():
    learner = requirement_lines(REPO_ROOT / "requirements.txt")
    assert learner == ["-r binder/requirements.txt", "-e ."]
    testing = requirement_lines(REPO_ROOT / "requirements-test.txt")
    assert testing[0] == "-r requirements.txt"
    for line in testing[1:]:
        assert PIN.match(line), f"requirements-test.txt: {line!r} is not 'name==version'"
    names = {line.split("==")[0].lower() for line in testing[1:]}
    assert {"nbval", "pytest", "hypothesis", "nbformat", "jupytext", "playwright"} <= names
    learner_names = {line.split("==")[0].lower() for line in requirement_lines(
        REPO_ROOT / "binder" / "requirements.txt")}
    assert not names & learner_names, "a test tool is pinned twice"


def test_binder_runtime_is_the_oldest_supported_python():
    from tools.check_python import OLDEST

    runtime = (REPO_ROOT / "binder" / "runtime.txt").read_text().strip()
    assert runtime == f"python-{OLDEST[0]}.{OLDEST[1]}"


def test_readme_commands_open_the_course_and_run_the_tests():
    opening = readme_command("jupyter lab --ServerApp.root_dir=. notebooks/00_start_here.ipynb")
    testing = readme_command("python -m pytest")
    assert "pip install -r requirements.txt &&" in opening  # what the lessons need, only
    assert "pip install -r requirements-test.txt &&" in testing


def test_readme_gives_the_same_two_commands_for_windows():
    opening = readme_command(r"\jupyter lab --ServerApp.root_dir=. notebooks\00_start_here.ipynb",
                             start=WINDOWS)
    testing = readme_command(r"\python -m pytest", start=WINDOWS)
    assert " -r requirements.txt " in opening and " -r requirements-test.txt " in testing
    for windows in (opening, testing):
        assert "/" not in windows


def test_the_supported_pythons_agree_everywhere():
    from tools.check_python import NEWEST, OLDEST

    pyproject = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    newer = (NEWEST[0], NEWEST[1] + 1)
    expected = f">={OLDEST[0]}.{OLDEST[1]},<{newer[0]}.{newer[1]}"
    assert pyproject["project"]["requires-python"] == expected
    versions = [f"3.{minor}" for minor in range(OLDEST[1], NEWEST[1] + 1)]
    classifiers = pyproject["project"]["classifiers"]
    assert [c.rsplit(" ", 1)[1] for c in classifiers if ":: Python :: 3." in c] == versions
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"for version in {' '.join(versions)}; do" in ci
    assert f"Python {', '.join(versions[:-1])} or {versions[-1]}" in README.read_text("utf-8")


@pytest.mark.parametrize(("version", "words"), [
    ((3, 10), "This is Python 3.10; the course needs Python 3.11 to 3.13"),
    ((3, 14), "This is Python 3.14, newer than the newest Python the course is tested on (3.13)"),
    ((2, 7), "This is Python 2.7; the course needs"),
])
def test_check_python_names_the_python_and_what_to_install(version, words):
    from tools.check_python import problem

    assert words in problem(version)


def test_check_python_passes_every_supported_python_and_this_one():
    from tools.check_python import NEWEST, OLDEST, problem

    for minor in range(OLDEST[1], NEWEST[1] + 1):
        assert problem((3, minor)) is None
    result = subprocess.run([sys.executable, "tools/check_python.py"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_command("python -m pytest") in ci.splitlines()
    assert "set -euo pipefail" in ci
    assert "rm -rf .venv" in ci


def test_import_helpers_loads_the_numeric_core_alone():
    code = (
        "import sys, helpers\n"
        "names = ('sympy', 'matplotlib', 'ipywidgets', 'IPython')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"import helpers also imported {result.stdout.strip()}"


def test_ruff_check_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "."],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_plain_install_carries_every_module_of_the_package(tmp_path):
    # Binder and hubs install the package without -e: every subpackage must be in it
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path),
         str(REPO_ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    installed = {p.relative_to(tmp_path).as_posix() for p in tmp_path.glob("helpers/**/*.py")}
    in_repository = {p.relative_to(REPO_ROOT).as_posix()
                     for p in (REPO_ROOT / "helpers").glob("**/*.py")}
    assert installed == in_repository


def test_every_module_of_the_package_names_the_lessons_that_teach_it():
    import ast

    for path in sorted((REPO_ROOT / "helpers").rglob("*.py")):
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        assert re.search(r"\b[Ll]essons? \d\d\b|every lesson", docstring), (
            f"{path.relative_to(REPO_ROOT)}: its docstring names no lesson (e.g. 'lesson 03')")


def test_no_module_of_the_package_holds_more_than_one_topic_by_size():
    for path in sorted((REPO_ROOT / "helpers").rglob("*.py")):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 450, f"{path.relative_to(REPO_ROOT)} has {lines} lines; split it by topic"
