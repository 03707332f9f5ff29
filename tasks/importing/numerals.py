"""Reading Chinese numerals as work-point documents write them (writing them: ``tasks.numbering``)."""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"


def from_chinese(text: str) -> int | None:
    """"四" → 4, "十二" → 12, "二十" → 20; ``None`` for anything else."""
    if not text or any(ch not in DIGITS + "十" for ch in text):
        return None
    if "十" not in text:
        return DIGITS.index(text) if len(text) == 1 and text != "零" else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    value = (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)
    return value or None
