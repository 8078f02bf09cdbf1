"""Accessibility checks with axe-core in a Playwright page, shared by the browser tests.

axe-core's script comes inside the pinned ``axe-playwright-python`` package: nothing is
downloaded. Each finding is one element that breaks one rule.

Colour contrast is axe's slowest rule by far (it works out every text element's colours),
and the lessons' pages hold thousands of text elements that look alike: every keyword of the
highlighted code, every line of output. A ``ContrastSample`` checks it on one element of
each *look* instead: an element's contrast depends only on its text colour, the background
it sits on (the colours of its ancestors down to the first opaque one, or a background
image), its font size and weight, its opacity and its text shadow; the first element of each
such look on the pages checked so far is checked, the others that look the same are not.
Every other rule runs on every element.
"""

from collections import Counter

SERIOUS = ("serious", "critical")
CONTRAST = "color-contrast"
_SAMPLED = "data-contrast-sample"

# Marks (with the attribute _SAMPLED) the first element of each look not yet seen among the
# elements with text of its own under the selector ``scope``; returns the new looks.
_SAMPLE_JS = """([scope, seen, mark]) => {
    const known = new Set(seen), fresh = [], marked = [];
    const alpha = colour => {
        const parts = (colour.match(/rgba?\\(([^)]*)\\)/) || [null, '0,0,0,0'])[1].split(',');
        return parts.length < 4 ? 1 : parseFloat(parts[3]);
    };
    const behind = element => {  // the colours from the element down to the first opaque one
        const layers = [];
        let opacity = 1;
        for (let node = element; node; node = node.parentElement) {
            const style = getComputedStyle(node);
            opacity *= parseFloat(style.opacity);
            if (style.backgroundImage !== 'none') { layers.push(style.backgroundImage); break; }
            if (alpha(style.backgroundColor) > 0) layers.push(style.backgroundColor);
            if (alpha(style.backgroundColor) === 1) break;
        }
        return [layers.join(' over '), opacity.toFixed(2)];
    };
    for (const root of document.querySelectorAll(scope)) {
        for (const element of [root, ...root.querySelectorAll('*')]) {
            const text = Array.from(element.childNodes)
                .some(node => node.nodeType === 3 && node.textContent.trim());
            if (!text || element.closest('[aria-hidden="true"]')) continue;
            const style = getComputedStyle(element);
            const key = [style.color, ...behind(element), style.fontSize, style.fontWeight,
                         style.textShadow].join(' | ');
            if (known.has(key)) continue;
            known.add(key);
            fresh.push(key);
            marked.push(element);
        }
    }
    // marked after the walk: a change of attribute in it would make every later style lookup
    // compute the page's styles again
    if (mark) marked.forEach(element => element.setAttribute('""" + _SAMPLED + """', ''));
    return fresh;
}"""


class ContrastSample:
    """The looks of text (colour, background, size, weight, opacity, shadow) already checked
    for colour contrast, across the pages of one test."""

    def __init__(self, scope: str):
        self.scope = scope  # a CSS selector: where on a page the text is sampled
        self.seen: set[str] = set()

    def take(self, page, mark: bool = True) -> int:
        """Mark the first element of each look not seen before on ``page`` (with ``mark``
        False, only note the looks: the page was checked in full); returns how many."""
        fresh = page.evaluate(_SAMPLE_JS, [self.scope, sorted(self.seen), mark])
        self.seen.update(fresh)
        return len(fresh)


def _run(page, context, options) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], **options}
    response = Axe().run(page, context=context, options=options).response
    return [{"rule": violation["id"], "impact": node.get("impact") or violation["impact"],
             "target": " ".join(map(str, node["target"])), "html": node["html"][:160],
             "help": violation["help"]}
            for violation in response["violations"] for node in violation["nodes"]]


def axe_findings(page, context=None, contrast: ContrastSample | None = None) -> list[dict]:
    """Every element of the page (or of ``context``, an axe context such as a CSS selector)
    that violates an axe rule: {"rule", "impact", "target", "html", "help"}. With
    ``contrast``, colour contrast is checked only on that sample's new looks (the other rules
    on every element); without, on every element (then ``contrast.take(page, mark=False)``
    tells a sample which looks were checked)."""
    if contrast is None:
        return _run(page, context, {})
    found = _run(page, context, {"rules": {CONTRAST: {"enabled": False}}})
    if contrast.take(page):
        found += _run(page, {"include": [[f"[{_SAMPLED}]"]]},
                      {"runOnly": {"type": "rule", "values": [CONTRAST]}})
    return found


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
