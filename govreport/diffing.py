"""Line-based differences between two texts of a section, with a bounded cost.

Chinese paragraphs are long lines; a line-level diff says which paragraphs changed, which is what a
clerk checks before refilling a section or when reading its versions. Inputs are capped (lines and
characters) so a diff never costs more than a fixed amount whatever was typed.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_LINES = 600


@dataclass(frozen=True)
class Line:
    op: str  # "equal", "insert" or "delete"
    text: str


def line_diff(old: str, new: str) -> list[Line]:
    a = old.splitlines()
    b = new.splitlines()
    if len(a) > MAX_LINES or len(b) > MAX_LINES:
        # Too many lines to match cheaply: show the whole replacement instead.
        return [Line("delete", line) for line in a] + [Line("insert", line) for line in b]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines: list[Line] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines += [Line("equal", line) for line in a[i1:i2]]
        else:
            lines += [Line("delete", line) for line in a[i1:i2]]
            lines += [Line("insert", line) for line in b[j1:j2]]
    return lines


def has_changes(lines: list[Line]) -> bool:
    return any(line.op != "equal" for line in lines)
