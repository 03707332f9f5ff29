"""Accessibility check with axe-core, for any Playwright page.

    from tests.e2e.axe import assert_accessible
    assert_accessible(page)               # whole page, fails on serious or critical violations

axe-core is vendored (tests/e2e/vendor/axe.min.js, from the npm package axe-core 4.14.1, MPL-2.0; no CDN, no
Python wrapper). It is evaluated through the DevTools protocol (`page.evaluate`), which the page's CSP does
not govern, so the app's CSP needs no exception for the test. Rules: axe's defaults (WCAG 2.x A/AA and best
practice: labels, contrast, headings, landmarks, names of links and buttons, keyboard reach of scrolling
regions); only violations whose impact is serious or critical fail, the others are returned for reading.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE_JS = Path(__file__).with_name("vendor") / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_results(page, *, selector: str | None = None, disable: tuple[str, ...] = ()) -> dict:
    """Run axe-core on the page (or on one element) and return its raw result object."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_axe_source())
    options = {"resultTypes": ["violations"], "rules": {rule: {"enabled": False} for rule in disable}}
    return page.evaluate(
        "([selector, options]) => window.axe.run(selector ? document.querySelector(selector) : document, options)",
        [selector, options],
    )


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page, *, selector: str | None = None, disable: tuple[str, ...] = ()) -> list[dict]:
    """Fail with a readable list when axe finds a serious or critical violation; return the minor ones.

    `disable` names axe rule ids to skip; use it only with a comment saying why.
    """
    results = axe_results(page, selector=selector, disable=disable)
    serious = [v for v in results["violations"] if v.get("impact") in FAILING_IMPACTS]
    assert not serious, f"axe-core on {page.url}:\n{describe(serious)}"
    return [v for v in results["violations"] if v.get("impact") not in FAILING_IMPACTS]
