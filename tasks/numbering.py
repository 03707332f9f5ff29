"""Chinese ordinal labels as work-point documents write them: 一、二、… and (一)(二)…"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 30 → 三十, 99 → 九十九 (1–999)."""
    if not 1 <= n <= 999:
        return str(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def item_label(seq: int) -> str:
    """The item label in the half-width bracket style of the documents: (四)."""
    return f"({chinese_numeral(seq)})"
