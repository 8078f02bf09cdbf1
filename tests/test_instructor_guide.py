"""The instructor's guide stays true to the lessons.

Every number of its table of lessons, and the total class time, is what
``tools/lesson_stats.py`` counts from the stored lessons with solutions (the counting part
only: the measured run times need a kernel per lesson and are not checked here). Every lesson
has a section, titled as the lesson is; each section has three misconceptions, each caught by
an exercise that the lesson has, with the check function named, and whose quoted words the
check's messages contain; every exercise a section names exists in that lesson.
"""

import re

import nbformat
import pytest
from course_files import README, REPO_ROOT, SOLUTIONS, lesson_paths

from tools.lesson_stats import all_stats, table

GUIDE = REPO_ROOT / "INSTRUCTOR_GUIDE.md"
CHECK_SOURCES = REPO_ROOT / "helpers" / "exercises"
STATS = {s.number: s for s in all_stats()}
EXERCISE_REFERENCE = re.compile(r"Exercises? (\d+(?:(?:, | and | to )\d+)*)")


def guide() -> str:
    return GUIDE.read_text(encoding="utf-8")


def table_rows(text: str) -> dict[str, list[str]]:
    """The rows of the guide's table of lessons, {lesson number: cells}."""
    header = next(line for line in text.splitlines() if line.startswith("| Lesson |"))
    rows = {}
    for line in text.split(header, 1)[1].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows[cells[0]] = cells
    return rows


def lesson_title(path) -> str:
    """The lesson's title, its first heading, e.g. '03 · The chain rule on a computational
    graph'."""
    first = nbformat.read(path, as_version=4).cells[0].source
    return re.search(r"^# (.+)$", first, re.MULTILINE).group(1).strip()


def sections(text: str) -> dict[str, str]:
    """{heading: body} of the guide's '### ' sections."""
    parts = re.split(r"^### (.+)$", text, flags=re.MULTILINE)
    return {heading.strip(): body.split("\n## ", 1)[0]
            for heading, body in zip(parts[1::2], parts[2::2], strict=True)}


def misconceptions(body: str) -> list[tuple[str, str, str]]:
    """(watch for, quoted words, caught by) of a section's table."""
    rows = []
    for line in body.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("Watch for", "---"):
            rows.append(tuple(cells))
    return rows


def test_the_table_is_what_the_lessons_count():
    """The guide's table is the one lesson_stats prints, cell for cell."""
    expected = table_rows(table(list(STATS.values())))
    assert table_rows(guide()) == expected, (
        "the lessons changed: run tools/lesson_stats.py --update-guide")


def test_the_total_class_time_is_the_sum():
    total = sum(s.class_minutes for s in STATS.values())
    assert f"All ten lessons: {total} minutes of class time" in guide()
    assert len(STATS) == 10


def test_every_lesson_has_its_section():
    found = sections(guide())
    for path in lesson_paths(SOLUTIONS):
        assert lesson_title(path) in found, f"no section '### {lesson_title(path)}'"


@pytest.mark.parametrize("path", lesson_paths(SOLUTIONS), ids=lambda p: p.stem)
def test_misconceptions_are_caught_by_the_lessons_exercises(path):
    """Three misconceptions per lesson; each names an exercise of the lesson, by number and by
    its check function, and quotes words that the check's messages contain."""
    body = sections(guide())[lesson_title(path)]
    stats = STATS[path.stem[:2]]
    checks = {e.number: e.check for e in stats.exercises}
    messages = " ".join(p.read_text(encoding="utf-8") for p in CHECK_SOURCES.glob("*.py"))
    rows = misconceptions(body)
    assert len(rows) == 3, f"{path.stem}: {len(rows)} misconceptions, not 3"
    for watch, said, caught in rows:
        match = re.fullmatch(r"Exercise (\d+) · `(check_\w+)`", caught)
        assert match, f"{path.stem}: '{caught}' should read 'Exercise N · `check_...`'"
        number, check = int(match.group(1)), match.group(2)
        assert number in checks, f"{path.stem} has no Exercise {number} ({watch})"
        assert checks[number] == check, (
            f"{path.stem}, Exercise {number} is checked by {checks[number]}, not {check}")
        quoted = re.fullmatch(r'"(.+)"', said)
        assert quoted and quoted.group(1) in messages, (
            f"{path.stem}: no check message contains {said} ({watch})")


@pytest.mark.parametrize("path", lesson_paths(SOLUTIONS), ids=lambda p: p.stem)
def test_every_exercise_named_exists(path):
    """Homework and advice name only exercises the lesson has."""
    body = sections(guide())[lesson_title(path)]
    numbers = {e.number for e in STATS[path.stem[:2]].exercises}
    named = {int(n) for group in EXERCISE_REFERENCE.findall(body)
             for n in re.findall(r"\d+", group)}
    assert named, f"{path.stem}: the section names no exercise"
    assert named <= numbers, f"{path.stem}: no Exercise {sorted(named - numbers)}"


def test_exercise_titles_are_the_lessons():
    """The counted exercises are the lessons' own: numbered 1, 2, ... with a title each."""
    for stats in STATS.values():
        assert [e.number for e in stats.exercises] == list(range(1, len(stats.exercises) + 1))
        assert all(e.title and e.check.startswith("check_") for e in stats.exercises)


def test_the_readme_links_the_guide():
    teaching = README.read_text(encoding="utf-8").split("## Teaching with it", 1)[1]
    assert "(INSTRUCTOR_GUIDE.md)" in teaching.split("\n## ", 1)[0]
