"""The repository's promises: pinned requirements, the README's two commands, CI, layering, lint."""

import re
import subprocess
import sys

from course_files import README, REPO_ROOT

PIN = re.compile(r"^[A-Za-z0-9_.\-\[\]]+==[0-9][A-Za-z0-9.]*$")


def requirement_lines(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def readme_command(ending):
    """The README's one-line command that ends with ``ending``."""
    commands = [
        line.strip()
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("python3.11 -m venv") and line.strip().endswith(ending)
    ]
    assert len(commands) == 1, f"README must give exactly one command ending in {ending!r}"
    return commands[0]


def test_binder_requirements_are_pinned_without_local_paths():
    lines = requirement_lines(REPO_ROOT / "binder" / "requirements.txt")
    for line in lines:
        assert PIN.match(line), f"binder/requirements.txt: {line!r} is not 'name==version'"
    names = {line.split("==")[0].lower() for line in lines}
    assert {"numpy", "jupyterlab", "ipywidgets", "matplotlib", "sympy"} <= names


def test_requirements_pin_everything_and_install_the_package():
    lines = requirement_lines(REPO_ROOT / "requirements.txt")
    assert "-r binder/requirements.txt" in lines
    assert "-e ." in lines
    pinned = [line for line in lines if not line.startswith("-")]
    for line in pinned:
        assert PIN.match(line), f"requirements.txt: {line!r} is not 'name==version'"
    names = {line.split("==")[0].lower() for line in pinned}
    assert {"nbval", "pytest", "hypothesis"} <= names


def test_binder_runtime_is_python_311():
    assert (REPO_ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"


def test_readme_commands_open_the_course_and_run_the_tests():
    opening = readme_command("jupyter lab notebooks/00_start_here.ipynb")
    testing = readme_command("python -m pytest")
    assert "pip install -r requirements.txt" in opening
    assert "pip install -r requirements.txt" in testing


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
