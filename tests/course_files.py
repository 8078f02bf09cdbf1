"""Where the course's files are, for the tests that check them."""

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"  # the student edition, what learners open
SOLUTIONS = REPO_ROOT / "solutions"  # the edition with solutions, what nbval compares
SOURCES = REPO_ROOT / "lessons_src"
README = REPO_ROOT / "README.md"

LESSON_NAMES = [
    "00_start_here",
    "01_forward_propagation",
    "02_activation_functions",
    "03_chain_rule_on_a_graph",
    "04_loss_functions",
    "05_backpropagation",
    "06_gradient_checking",
    "07_training_with_gradient_descent",
    "08_why_backprop_works_at_scale",
    "09_initialisation_and_gradient_health",
]


def lesson_paths(folder: Path = NOTEBOOKS) -> list[Path]:
    """Every stored lesson notebook of one edition (default: the student edition), in
    teaching order."""
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def both_editions() -> list[Path]:
    """Every stored lesson of both editions: the student edition's, then the solutions'."""
    return lesson_paths(NOTEBOOKS) + lesson_paths(SOLUTIONS)


BINDER_LINK = re.compile(r"https://mybinder\.org/v2/gh/[^\s)\]\"']+")


def binder_targets(text: str) -> list[str]:
    """The file each Binder link in ``text`` opens (its urlpath after lab/tree/)."""
    targets = []
    for link in BINDER_LINK.findall(text):
        match = re.search(r"urlpath=(?:lab/tree/|lab%2Ftree%2F)([^&\s]+)", link)
        if match is None:
            raise AssertionError(f"Binder link opens no file: {link}")
        targets.append(match.group(1).replace("%2F", "/"))
    return targets
