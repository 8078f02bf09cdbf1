"""Build the course website from the stored, executed lessons (nothing is executed again).

    python tools/build_site.py                    # writes build/site/
    python tools/build_site.py --out public/      # somewhere else

The site's source is ``site/`` (Sphinx with myst-nb and sphinx-book-theme). This script lays
out a staging folder next to the output: ``site/``, then each lesson of the student edition
(``notebooks/NN_topic.ipynb``) made ready by ``tools.site_pages`` (alt text, widget stills, a
link to the solutions), the lessons' table of the README as the contents, and MathJax from
its pinned package; then it runs Sphinx with warnings as errors (``-W --keep-going``).

It stops before Sphinx when a figure has no alt text (give it as the lesson cell's ``alt``
metadata, ``# %% alt="..."`` in ``lessons_src/``), unless ``--allow-missing-alt``: then the
build goes on and the site's test says which pictures lack it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools.site_pages import site_page  # noqa: E402

SITE_SOURCE = ROOT / "site"
NOTEBOOKS = ROOT / "notebooks"
README = ROOT / "README.md"
OUT = ROOT / "build" / "site"
# what the site needs of MathJax's browser build (no speech rule engine)
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2",
                 "ui", "a11y", "adaptors"]


def lessons_table(readme: str) -> str:
    """The README's section "The lessons" (its table and what follows), with each link to a
    student-edition notebook turned into a link to the lesson's page."""
    match = re.search(r"^## The lessons\n(.*?)(?=^## )", readme, re.S | re.M)
    if match is None:
        raise ValueError("the README has no section '## The lessons'")
    return re.sub(r"\]\(notebooks/(\d\d_\w+\.ipynb)\)", r"](\1)", match.group(1)).strip() + "\n"


def copy_mathjax(static: Path) -> None:
    """MathJax's browser files, from the pinned package, into ``static/mathjax``."""
    import mathjax

    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    for part in MATHJAX_PARTS:
        source, target = es5 / part, static / "mathjax" / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)


def stage(staging: Path, notebooks: Path) -> list[str]:
    """Lay out the Sphinx source in ``staging``; returns the figures without alt text."""
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(SITE_SOURCE, staging)
    copy_mathjax(staging / "_static")
    (staging / "_includes").mkdir(exist_ok=True)
    (staging / "_includes" / "lessons.md").write_text(lessons_table(README.read_text()))
    lessons = sorted(notebooks.glob("[0-9][0-9]_*.ipynb"))
    if not lessons:
        raise FileNotFoundError(f"no lesson notebooks in {notebooks}")
    names, missing = {path.name for path in lessons}, []
    for path in lessons:
        page = site_page(nbformat.read(path, as_version=4), path.stem, names)
        nbformat.write(page.notebook, staging / path.name)
        for name, png in page.stills.items():
            (staging / name).parent.mkdir(exist_ok=True)
            (staging / name).write_bytes(png)
        missing += page.missing_alt
    return missing


def sphinx_build(staging: Path, out: Path) -> int:
    """Sphinx's HTML build, every warning an error (reported all before it fails)."""
    from sphinx.cmd.build import build_main

    if out.exists():
        shutil.rmtree(out)
    return build_main(["-b", "html", "-W", "--keep-going", "-q", "-d",
                       str(staging / ".doctrees"), str(staging), str(out)])


def build(out: Path = OUT, notebooks: Path = NOTEBOOKS, allow_missing_alt=False) -> int:
    """Stage and build; returns the exit status (0: the site is in ``out``)."""
    import matplotlib

    matplotlib.use("Agg")
    staging = out.with_name(out.name + "-source")
    missing = stage(staging, notebooks)
    if missing:
        print("figures without alt text (give the cell an alt metadata key):\n  "
              + "\n  ".join(missing), file=sys.stderr)
        if not allow_missing_alt:
            return 1
    return sphinx_build(staging, out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output folder (build/site)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS,
                        help="folder of the lessons to show (notebooks/)")
    parser.add_argument("--allow-missing-alt", action="store_true",
                        help="build even when a figure has no alt text")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    status = build(args.out.resolve(), args.notebooks.resolve(), args.allow_missing_alt)
    if status == 0:
        print(f"built {args.out}/index.html in {time.perf_counter() - start:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
