"""Chinese numerals, read and written, as item and chapter numbers use them (一 … 九百九十九) and dates
(二〇二三年六月六日). The one numerals module: the parser, the Excel reader, the services and the demo use it."""

from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_NAMES = "零一二三四五六七八九"


def cn_to_int(text: str) -> int | None:
    """"四" → 4, "十二" → 12, "二十" → 20, "三十五" → 35, "一百零一" → 101; None when not a numeral."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if "百" not in text and "十" not in text:
        if all(ch in _DIGITS for ch in text):
            value = 0
            for ch in text:  # "二〇二三" read digit by digit
                value = value * 10 + _DIGITS[ch]
            return value
        return None
    total = 0
    if "百" in text:
        head, _, text = text.partition("百")
        if head and (len(head) != 1 or head not in _DIGITS):
            return None
        total += (_DIGITS[head] if head else 1) * 100
        text = text.lstrip("零〇")
    if "十" in text:
        head, _, tail = text.partition("十")
        if head and (len(head) != 1 or head not in _DIGITS):
            return None
        total += (_DIGITS[head] if head else 1) * 10
        text = tail
    if text:
        if len(text) != 1 or text not in _DIGITS:
            return None
        total += _DIGITS[text]
    return total


def int_to_cn(value: int) -> str:
    if value <= 0:
        return str(value)
    if value < 10:
        return _NAMES[value]
    if value < 20:
        return "十" + (_NAMES[value - 10] if value > 10 else "")
    if value < 100:
        tens, ones = divmod(value, 10)
        return _NAMES[tens] + "十" + (_NAMES[ones] if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        if rest == 0:
            return _NAMES[hundreds] + "百"
        tail = ("零" + _NAMES[rest]) if rest < 10 else ("一" + int_to_cn(rest) if rest < 20 else int_to_cn(rest))
        return _NAMES[hundreds] + "百" + tail
    return str(value)


def item_label(seq: int) -> str:
    """The item label in the half-width bracket style of the documents: (四)."""
    return f"({int_to_cn(seq)})"
