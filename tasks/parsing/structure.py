"""Reading the structure of a work-point text: numbered lines, their levels, chapters and items.

The text is first cut into *nodes*: a numbered line ("一、", "(四)", "4.", "（1）", "①", "一是") with the
lines that follow it. Which numbering level holds the items is decided per document from where the
unit clauses sit (see ``choose_levels``); with no clauses at all it is the first level below the
chapters. "一、" lines are the chapters (or, without them, the top level above the items); levels in
between are section headings; levels below are sub-points kept in the item's body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .normalize import squash_spaces
from .numbers import cn_to_int
from .units import UNIT_LINE, find_clauses, looks_complete

CH, PCN, YISHI, AR, PAR, CIRC = range(6)

_CN = "[一二三四五六七八九十百零〇两]{1,5}"
# OCR reads 一 as a dash: "(—)", "（二十—）".
_CN_OCR = "[一二三四五六七八九十百零〇两—－-]{1,5}"
_PATTERNS: list[tuple[int, re.Pattern[str]]] = [
    (CH, re.compile(rf"^(?P<n>{_CN})\s*[、.．,，]\s*(?P<rest>.*)$")),
    (CH, re.compile(rf"^第(?P<n>{_CN})(?:部分|章|篇)\s*[、:：.．]?\s*(?P<rest>.*)$")),
    (PCN, re.compile(rf"^[(（]\s*(?P<n>{_CN_OCR})\s*[)）]\s*[、.．]?\s*(?P<rest>.*)$")),
    (YISHI, re.compile(rf"^(?P<n>{_CN})是\s*[:：，,、]?\s*(?P<rest>\S.*)$")),
    # "12.4国家宪法日", "12. 4国家宪法日": a date, not item 12 (but "1. 2024年起…" is item 1).
    (AR, re.compile(r"^(?P<n>\d{1,3})\s*(?:[.．、](?![\d.．])|[)）])\s*(?P<rest>(?!\s*\d(?!\d{3}年)).*)$")),
    (PAR, re.compile(r"^[(（]\s*(?P<n>\d{1,3})\s*[)）]\s*[、.．]?\s*(?P<rest>.*)$")),
    (CIRC, re.compile(r"^(?P<n>[①-⑳])\s*(?P<rest>.*)$")),
]
_SENTENCE_END = tuple("。！？!?；;：:…")
_CLOSERS = ")）】]"


@dataclass
class Numbered:
    level: int
    value: int
    number: str  # as written, e.g. "(四)"
    rest: str


def classify(flat: str) -> Numbered | None:
    for level, pattern in _PATTERNS:
        match = pattern.match(flat)
        if not match:
            continue
        raw = match.group("n")
        raw = raw.replace("—", "一").replace("－", "一").replace("-", "一")
        value = ord(raw) - ord("①") + 1 if level == CIRC else cn_to_int(raw)
        if value is None or value <= 0 or value > 999:
            continue
        number = flat[: match.start("rest")].strip()
        return Numbered(level, value, number, match.group("rest").strip())
    return None


@dataclass
class Piece:
    text: str
    line: int
    is_unit_line: bool = False
    last_line: str = ""  # its last physical line, for the line-width test
    depth: int = -1  # brackets left open at its end (kept up to date, so long pieces are not rescanned)

    def __post_init__(self) -> None:
        if self.depth < 0:
            self.depth = _open_brackets(self.text)

    def extend(self, flat: str) -> None:
        self.text += flat
        self.last_line = flat
        self.depth = _open_brackets(flat, self.depth)


@dataclass
class Node:
    level: int
    value: int
    number: str
    line: int  # index of its first line in the source lines
    pieces: list[Piece] = field(default_factory=list)  # paragraphs (a piece may span several lines)
    tail: list[Piece] = field(default_factory=list)  # text after the unit clause: belongs to no item
    last_line: int = 0
    parent_item: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pieces)


class LineJoiner:
    """Decides whether a line continues the previous one (a PDF/OCR break) or starts a paragraph."""

    def __init__(self, flats: list[str]) -> None:
        lengths = [len(f) for f in flats if len(f) >= 12]
        self.width: int | None = None
        if len(lengths) >= 5:
            counts: dict[int, int] = {}
            for n in lengths:
                counts[n] = counts.get(n, 0) + 1
            mode = max(counts, key=lambda n: (sum(counts.get(m, 0) for m in (n - 2, n - 1, n)), n))
            near = sum(counts.get(m, 0) for m in range(mode - 2, mode + 1))
            # Wrapped text has many lines at the width and almost none longer (headings are shorter).
            longer = sum(1 for n in lengths if n > mode + 2)
            if near >= 0.3 * len(lengths) and longer <= 0.1 * len(lengths) and mode <= 80:
                self.width = mode
        # Without a fixed width every line is a paragraph; only a long unpunctuated line is a broken one.
        self.short = (self.width - max(3, self.width // 6)) if self.width else 50

    def continues(self, previous: Piece) -> bool:
        text = previous.text.rstrip()
        if not text:
            return False
        if previous.depth > 0:
            return True
        if text.endswith(_SENTENCE_END) or text.endswith(tuple(_CLOSERS)):
            return False
        line = previous.last_line or text
        # A heading has no full stop inside it: a line with one that stops mid-sentence was broken.
        return len(line) >= self.short or any(mark in line for mark in "。；;")


# Lines that say more about the item without being its text: deadlines, responsible leaders.
INFO_LINE = re.compile(
    r"^[【\[(（]?\s*(?:完成时限|完成时间|时间节点|时限要求|完成期限|责任领导|牵头领导|分管领导)\s*[】\])）]?\s*[:：]"
)


def _units_follow_heading(node: Node) -> bool:
    """Units written right under a short heading ("（一）加强党的领导（牵头单位：…）") precede the body."""
    if any(not p.is_unit_line for p in node.pieces[1:]):
        return False
    heading = node.pieces[0].text
    clauses = find_clauses(heading)
    if clauses:
        heading = heading[: clauses[0].start]
    heading = heading.strip().rstrip("。")
    return bool(heading) and len(heading) <= 40 and "。" not in heading


def _looks_like_unit_tail(flat: str) -> bool:
    """The rest of a wrapped unit line ("门、市生态环境局"): short names and separators, no sentence."""
    if "。" in flat or len(flat) > 60 or not re.search(r"[、，,；;]", flat):
        return False
    return all(len(part) <= 15 for part in re.split(r"[、，,；;]", flat))


def _unit_list_open(text: str) -> bool:
    """A unit line that stops after a separator or in the middle of a name ("…、县") goes on below."""
    text = text.rstrip()
    if text.endswith(("、", "，", ",", "；", ";", ":", "：")):
        return True
    last = re.split(r"[、，,；;:：]", text)[-1]
    return bool(last) and not looks_complete(last)


def _open_brackets(text: str, depth: int = 0) -> int:
    for ch in text:
        if ch in "(（":
            depth += 1
        elif ch in ")）":
            depth = max(0, depth - 1)
    return depth


def ends_with_clause(text: str) -> bool:
    """True when the text ends with a complete unit clause (so what follows is not part of the item)."""
    stripped = text[-_CLAUSE_SPAN:].rstrip(" 。.；;，,\n")
    if not stripped:
        return False
    if stripped[-1] in ")）】":
        clauses = find_clauses(stripped[_last_open(stripped):])
        return bool(clauses) and clauses[-1].closed and clauses[-1].end >= len(stripped) - _last_open(stripped)
    return False


_CLAUSE_SPAN = 600  # no unit clause is longer: looking further back only costs time on long paragraphs


def _last_open(text: str) -> int:
    """Where the bracket group that closes at the end of ``text`` opens (0 when it never does)."""
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        ch = text[index]
        if ch in ")）】":
            depth += 1
        elif ch in "(（【":
            depth -= 1
            if depth == 0:
                return index
    return 0


@dataclass
class Outline:
    preamble: list[Piece]
    nodes: list[Node]


_INLINE_NUMBER = re.compile(
    rf"(?P<pcn>[(（](?P<n1>{_CN})[)）])|(?<![第\d])(?P<ch>(?P<n2>{_CN})、)|(?<![\d.．])(?P<ar>(?P<n3>\d{{1,2}})[.．、](?!\d))"
)


def split_collapsed(lines: list[str], widths: dict[int, str] | None = None) -> list[str]:
    """Text copied without its line breaks ("…。(二)…。(三)…" on one line): break before each number
    that continues its sequence ("（二）" after "（一）"), so "党委（党组）" or "第（二）项" stay put."""
    flats = [squash_spaces(line) for line in lines]
    numbered = [classify(flat) if flat else None for flat in flats]
    if sum(1 for n in numbered if n) >= 3:
        return split_inline(lines, numbered, widths)
    result: list[str] = []
    splits = 0
    expected = {"pcn": 1, "ch": 1, "ar": 1}
    last_kind = ""
    for line in flats:
        cuts: list[int] = []
        for match in _INLINE_NUMBER.finditer(line):
            kind = next(k for k in ("pcn", "ch", "ar") if match.group(k))
            value = cn_to_int(match.group({"pcn": "n1", "ch": "n2", "ar": "n3"}[kind]))
            if value is None or match.start() == 0:
                if value is not None and value == expected[kind]:
                    expected[kind], last_kind = value + 1, kind
                continue
            # Items may also start again at (一) right after a chapter heading.
            # Right after a chapter heading, items may restart at 1 or repeat the last number.
            after_chapter = kind != "ch" and last_kind == "ch"
            if value == expected[kind] or (after_chapter and value in (1, expected[kind] - 1)):
                cuts.append(match.start())
                expected[kind], last_kind = value + 1, kind
        splits += len(cuts)
        previous = 0
        for cut in cuts:
            result.append(line[previous:cut])
            previous = cut
        result.append(line[previous:])
    return result if splits >= 3 else lines


_INLINE_HEAD = re.compile(
    rf"(?P<gap>[ \t]+|(?<=[。；;）)]))(?:(?P<pcn>[(（](?P<n1>{_CN})[)）])|(?P<ch>(?P<n2>{_CN})、))(?=\S)"
    rf"|(?P<gap2>[ \t]+)(?:(?P<ar>(?P<n3>\d{{1,3}})(?:[.．、](?![\d.．])))|(?P<yishi>(?P<n4>{_CN})是))(?=[ \t]?\S)"
)
_KIND_OF = {PCN: "pcn", CH: "ch", AR: "ar", YISHI: "yishi"}


def split_inline(lines: list[str], numbered_lines: list[Numbered | None],
                 widths: dict[int, str] | None = None) -> list[str]:
    """A numbered document with headings run together in one paragraph ("三、强化监督 （八）…。（牵头单位：…）
    （九）…"): break before a "（八）" or "三、" that continues its sequence and follows a space, a full stop
    or a closing bracket. Numbers inside sentences ("按照（二）的要求") never follow those."""
    expected = {"pcn": 1, "ch": 1, "ar": 1, "yishi": 1}
    last_kind = ""
    result: list[str] = []
    for line, numbered in zip(lines, numbered_lines, strict=True):
        if numbered and numbered.level in _KIND_OF:
            kind = _KIND_OF[numbered.level]
            expected[kind], last_kind = numbered.value + 1, kind
        if not numbered:
            result.append(line)
            continue
        cuts: list[int] = []
        for match in _INLINE_HEAD.finditer(line):
            kind = next(k for k in ("pcn", "ch", "ar", "yishi") if match.group(k))
            value = cn_to_int(match.group("n1") or match.group("n2") or match.group("n3") or match.group("n4"))
            if value is None:
                continue
            # Right after a chapter heading, items may restart at 1 or repeat the last number.
            after_chapter = kind != "ch" and last_kind == "ch"
            if value == expected[kind] or (after_chapter and value in (1, expected[kind] - 1)):
                cuts.append(match.end("gap") if match.group("gap") is not None else match.end("gap2"))
                expected[kind], last_kind = value + 1, kind
        previous = 0
        for cut in cuts:
            result.append(line[previous:cut].rstrip())
            previous = cut
        if cuts and widths is not None:
            widths[len(result)] = squash_spaces(line)  # the physical line was this wide (for the line joiner)
        result.append(line[previous:])
    return result


def build_outline(lines: list[str], widths: dict[int, str] | None = None) -> Outline:
    flats = [squash_spaces(line, keep_unit_gaps=True) for line in lines]
    joiner = LineJoiner(flats)
    preamble: list[Piece] = []
    nodes: list[Node] = []
    current: Node | None = None
    last_chapter = 0
    for index, flat in enumerate(flats):
        if not flat:
            continue
        numbered = classify(flat)
        if numbered and current is not None and _is_false_start(numbered, current, last_chapter, joiner):
            numbered = None
        if numbered:
            if numbered.level == CH:
                last_chapter = numbered.value
            current = Node(numbered.level, numbered.value, numbered.number, index, last_line=index)
            current.pieces.append(Piece(numbered.rest, index, last_line=(widths or {}).get(index, flat)))
            nodes.append(current)
            continue
        if current is None:
            if preamble and joiner.continues(preamble[-1]) and not _is_meta_line(flat):
                preamble[-1].extend(flat)
            else:
                preamble.append(Piece(flat, index, last_line=flat))
            continue
        current.last_line = index
        _attach(current, flat, index, joiner)
    return Outline(preamble, nodes)


def _is_false_start(numbered: Numbered, current: Node, last_chapter: int, joiner: LineJoiner) -> bool:
    """A numbered-looking line that is really the rest of a sentence broken across lines."""
    previous = current.tail[-1] if current.tail else current.pieces[-1]
    if previous.depth > 0:
        return True
    if numbered.level == CH and numbered.value not in (last_chapter + 1, last_chapter + 2, 1):
        return joiner.continues(previous)
    return False


def _attach(node: Node, flat: str, index: int, joiner: LineJoiner) -> None:
    new = Piece(flat, index, last_line=flat)
    if node.tail:
        last = node.tail[-1]
        if joiner.continues(last):
            last.extend(flat)
        else:
            node.tail.append(new)
        return
    last = node.pieces[-1]
    if flat[0] in "、，,；;）)":
        last.extend(flat)  # a line cannot start with these: it goes on from the line before
        return
    if UNIT_LINE.match(flat) or INFO_LINE.match(flat):
        new.is_unit_line = True
        node.pieces.append(new)
        return
    if last.is_unit_line:
        if not INFO_LINE.match(last.text) and (
            joiner.continues(last) or _unit_list_open(last.text) or _looks_like_unit_tail(flat)
        ):
            last.extend(flat)
        elif _units_follow_heading(node):
            node.pieces.append(new)  # "（一）标题" / units / then the body
        else:
            node.tail.append(new)
        return
    if last.depth == 0 and ends_with_clause(last.text):
        if _units_follow_heading(node):
            node.pieces.append(new)
        else:
            node.tail.append(new)
        return
    if joiner.continues(last):
        last.extend(flat)
    else:
        node.pieces.append(new)


_META_LINE = re.compile(r"(?:〔|\[|［)\s*\d{4}\s*(?:〕|\]|］)|^\d{4}年\d{1,2}月\d{1,2}日$|[:：]$")


def _is_meta_line(flat: str) -> bool:
    return bool(_META_LINE.search(flat))


def choose_levels(nodes: list[Node]) -> tuple[int | None, int | None]:
    """(chapter level or None, item level or None) for this document.

    A level's score is how many of its entries carry exactly one unit clause in their subtree. Ties go
    to the level with more clauses written inline in its own entries, then to the level where a larger
    share of entries has one (sub-points only have one in the last point), then to the higher level.
    "一、" holds the items only when some "一、" entry carries a clause itself.
    """
    levels = sorted({n.level for n in nodes})
    if not levels:
        return None, None
    inline = [_inline_clause(n) for n in nodes]
    own = [inline[i] or any(p.is_unit_line for p in n.pieces) for i, n in enumerate(nodes)]
    ranking: dict[int, tuple[int, int, float, int]] = {}
    for level in levels:
        score = entries = inline_count = 0
        for i, node in enumerate(nodes):
            if node.level != level:
                continue
            entries += 1
            inline_count += inline[i]
            count = int(own[i])
            for j in range(i + 1, len(nodes)):
                if nodes[j].level <= level:
                    break
                count += int(own[j])
            score += count == 1
        if level == CH and not any(own[i] for i, n in enumerate(nodes) if n.level == CH):
            continue
        # Bare headings ("（一）健全决策机制" over "（1）…" leaves, one leaf each) tie with their leaves: the
        # level whose entries are bare headings is not the item level.
        bare = sum(1 for i, n in enumerate(nodes) if n.level == level and not own[i] and _is_bare(n))
        ranking[level] = (score, inline_count, -bare / entries, score / entries, -level)
    best = max(ranking, key=lambda level: ranking[level]) if ranking else None
    if best is None or ranking[best][0] == 0:
        below = [level for level in levels if level > CH]
        item_level = below[0] if below and CH in levels else levels[0]
    else:
        item_level = best
    chapter_level = CH if CH in levels and item_level != CH else None
    if chapter_level is None and levels[0] < item_level:
        chapter_level = levels[0]  # no "一、" chapters: the headings above the items group them
    return chapter_level, item_level


def _is_bare(node: Node) -> bool:
    """A heading alone on its line: short, no full stop, nothing under it but numbered lines."""
    return len(node.pieces) == 1 and not node.tail and len(node.pieces[0].text) <= 30 \
        and "。" not in node.pieces[0].text


def has_own_units(node: Node) -> bool:
    return any(p.is_unit_line for p in node.pieces) or _inline_clause(node)


def _inline_clause(node: Node) -> bool:
    text = "\n".join(p.text for p in node.pieces if not p.is_unit_line)
    return any(not c.units.empty for c in find_clauses(text))
