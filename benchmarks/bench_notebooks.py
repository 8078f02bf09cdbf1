"""Time the whole lesson series under strict nbval against a floor of empty notebooks.

Each edition is timed on its own: ``solutions/`` (the edition with solutions) and
``notebooks/`` (the student edition, whose checks say "Not done yet").

The floor is the same number of notebooks, each with one empty code cell, run the same way in
the same run: it is the fixed cost of pytest, nbval and one kernel start per notebook. The
ratio says how much the lessons themselves cost on top of that.

    python benchmarks/bench_notebooks.py
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parent.parent
NBVAL = [
    sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
    "--nbval", "--nbval-current-env",
]


def run_nbval(paths: list[Path], cwd: Path) -> float:
    """Seconds to run ``paths`` under strict nbval; raises if a test fails."""
    start = time.perf_counter()
    subprocess.run([*NBVAL, *map(str, paths)], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def empty_notebooks(folder: Path, count: int) -> list[Path]:
    """``count`` notebooks with one empty code cell each."""
    paths = []
    for index in range(count):
        notebook = nbformat.v4.new_notebook()
        notebook.cells.append(nbformat.v4.new_code_cell(""))
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        path = folder / f"empty_{index:02d}.ipynb"
        nbformat.write(notebook, path)
        paths.append(path)
    return paths


def main() -> None:
    count = len(list((REPO_ROOT / "solutions").glob("[0-9][0-9]_*.ipynb")))
    with tempfile.TemporaryDirectory() as folder:
        floor = run_nbval(empty_notebooks(Path(folder), count), Path(folder))
    print(f"{count} empty notebooks (floor):       {floor:6.1f} s")
    for edition in ("solutions", "notebooks"):
        lessons = sorted((REPO_ROOT / edition).glob("[0-9][0-9]_*.ipynb"))
        series = run_nbval(lessons, REPO_ROOT)
        print(f"{len(lessons)} lessons of {edition + '/':11} {series:6.1f} s, "
              f"{series / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
