"""Accessibility checks with axe-core in a Playwright page, shared by the browser tests.

axe-core's script comes inside the pinned ``axe-playwright-python`` package: nothing is
downloaded. Each finding is one element that breaks one rule.
"""

from collections import Counter

SERIOUS = ("serious", "critical")


def axe_findings(page, context=None) -> list[dict]:
    """Every element of the page (or of ``context``, an axe context such as a CSS selector)
    that violates an axe rule: {"rule", "impact", "target", "html", "help"}."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"]}
    response = Axe().run(page, context=context, options=options).response
    return [{"rule": violation["id"], "impact": node.get("impact") or violation["impact"],
             "target": " ".join(map(str, node["target"])), "html": node["html"][:160],
             "help": violation["help"]}
            for violation in response["violations"] for node in violation["nodes"]]


def serious(findings: list[dict]) -> list[dict]:
    """The findings whose impact is serious or critical."""
    return [f for f in findings if f["impact"] in SERIOUS]


def counts(findings: list[dict]) -> Counter:
    """How many elements break each (rule, impact)."""
    return Counter((f["rule"], f["impact"]) for f in findings)


def describe(findings: list[dict], limit: int = 30) -> str:
    """One line per finding (the first ``limit``), for an assertion message."""
    lines = [f"{f['rule']} ({f['impact']}): {f['target']}  {f['html']}"
             for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"... and {len(findings) - limit} more")
    return "\n".join(lines)
