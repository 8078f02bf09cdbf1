"""Time the course website's build against a floor of copying the lessons.

The floor is copying the stored lesson notebooks (``notebooks/``) to a new folder: the least
any build from them must do. The build is ``tools/build_site.py`` run as a command, as a
maintainer runs it (Sphinx, myst-nb, the widgets' stills, MathJax copied in), into a
temporary folder. Both are timed in the same run; the ratio says what the build costs on top
of reading the lessons. The site must build in under a minute.

    python benchmarks/bench_site.py
"""

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
LIMIT = 60.0  # seconds


def copy_lessons(target: Path) -> float:
    """Seconds to copy the stored lessons into ``target``."""
    start = time.perf_counter()
    shutil.copytree(REPO_ROOT / "notebooks", target)
    return time.perf_counter() - start


def build_site(out: Path) -> float:
    """Seconds to build the site into ``out``; raises if the build fails."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(REPO_ROOT / "tools" / "build_site.py"), "--out",
                    str(out), "--allow-missing-alt"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        floor = min(copy_lessons(Path(folder) / f"copy{i}") for i in range(3))
        build = build_site(Path(folder) / "site")
    print(f"copying the lessons (floor): {floor * 1000:8.1f} ms")
    print(f"building the site:           {build:8.1f} s, {build / floor:8.0f}x the floor "
          f"({'under' if build < LIMIT else 'OVER'} the {LIMIT:.0f} s limit)")


if __name__ == "__main__":
    main()
