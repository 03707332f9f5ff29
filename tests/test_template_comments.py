"""Django's ``{# … #}`` comment is one line only: one that spans lines is printed on the page as text."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_template_has_a_one_line_comment_spanning_lines():
    offenders = []
    for path in sorted([*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]):
        if ".venv" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            rest = line
            while "{#" in rest:
                rest = rest[rest.index("{#") + 2:]
                if "#}" not in rest:
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
                    break
                rest = rest[rest.index("#}") + 2:]
    assert offenders == []
