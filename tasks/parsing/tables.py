"""Task tables (Word or Excel): columns found by their header names, one item per row.

Typical headers: 序号 / 工作任务 / 具体内容 / 牵头单位 / 责任单位 / 配合单位 / 完成时限. A row whose
cells all say the same thing (a merged row) or whose only text is "一、…" is a chapter row; a
类别/领域 column, when present, gives the chapters instead.
"""

from __future__ import annotations

import re

from .metadata import parse_deadline
from .normalize import squash_spaces, to_simplified
from .numbers import cn_to_int, int_to_cn
from .structure import CH, classify
from .types import ParsedChapter, ParsedItem, ParseWarning
from .units import has_label, parse_labelled, split_names

_COLUMNS: list[tuple[str, re.Pattern[str]]] = [
    ("seq", re.compile(r"^(?:序号|编号|序|号)$")),
    ("lead", re.compile(r"(?:牵头|主办|主责)(?:单位|部门|领导单位)?")),
    ("other", re.compile(r"(?:配合|协办|协助|参与|协同)(?:单位|部门)?")),
    ("responsible", re.compile(r"(?:责任|实施|承办|落实)(?:单位|部门|主体)")),
    ("deadline", re.compile(r"(?:完成)?(?:时限|时间|期限|时间节点|进度安排)")),
    ("chapter", re.compile(r"^(?:类别|分类|领域|板块|章节|项目类别|任务类别|工作类别|重点领域|主要方面|方面)$")),
    ("body", re.compile(
        r"(?:具体内容|工作内容|主要内容|工作措施|具体措施|任务内容|工作举措|具体任务|目标要求|工作要求)")),
    ("title", re.compile(
        r"(?:工作任务|任务|工作事项|事项|工作要点|重点工作|工作项目|项目名称|任务名称|主要任务|重点任务|内容)")),
]
_CHAPTER_ROW = re.compile(r"^(?P<n>[一二三四五六七八九十]{1,3})\s*[、.．]\s*(?P<title>.+)$")


def _header_map(row: list[str]) -> dict[str, int] | None:
    mapping: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = squash_spaces(to_simplified(cell)).replace("\n", "")
        if not name or len(name) > 12:
            continue
        for key, pattern in _COLUMNS:
            if key not in mapping and pattern.search(name):
                mapping[key] = index
                break
    has_task = "title" in mapping or "body" in mapping
    has_units = "lead" in mapping or "responsible" in mapping
    return mapping if has_task and has_units else None


def find_header(rows: list[list[str]], *, scan: int = 6) -> tuple[int, dict[str, int]] | None:
    """(index of the last header row, column map), or None when the table is not a task table.

    A two-row header ("责任单位" over "牵头单位 | 配合单位") is read as one: each column's name is
    the two cells put together.
    """
    for index, row in enumerate(rows[:scan]):
        if index + 1 < len(rows) and _is_sub_header(rows[index + 1]):
            below = rows[index + 1]
            width = max(len(row), len(below))
            top = row + [""] * (width - len(row))
            bottom = below + [""] * (width - len(below))
            combined = [a + (b if b != a else "") for a, b in zip(top, bottom, strict=True)]
            mapping = _header_map(combined)
            if mapping:
                return index + 1, mapping
        mapping = _header_map(row)
        if mapping:
            return index, mapping
    return None


def _is_sub_header(row: list[str]) -> bool:
    cells = [squash_spaces(c) for c in row if c and c.strip()]
    return bool(cells) and all(len(c) <= 8 for c in cells) and any(
        pattern.search(c) for c in cells for key, pattern in _COLUMNS if key in ("lead", "other", "responsible")
    ) and not any(re.fullmatch(r"\d+", c) for c in cells)


def items_from_table(rows: list[list[str]], *, year: int | None = None, previous: dict[str, int] | None = None,
                     first_seq: int = 1, chapters: list[ParsedChapter] | None = None):
    """(chapters, items, warnings, column map) for a task table, or None when the table is not one.

    ``previous`` is the column map of the task table just before: a table without a header row and
    with as many columns continues it (Word splits long tables at page breaks when converting).
    """
    found = find_header(rows)
    if found is None:
        width = max((len(r) for r in rows), default=0)
        if previous is None or width != previous.get("_width"):
            return None
        found = (-1, dict(previous))
    header_index, mapping = found
    mapping["_width"] = max(len(r) for r in rows[max(0, header_index):][:3])
    if "title" not in mapping:
        mapping["title"] = mapping.pop("body")
    chapters = list(chapters or [])
    items: list[ParsedItem] = []
    warnings: list[ParseWarning] = []
    chapter: ParsedChapter | None = chapters[-1] if chapters else None

    def cell(row: list[str], key: str) -> str:
        index = mapping.get(key)
        if index is None or index >= len(row):
            return ""
        return to_simplified(row[index]).strip()

    for row in rows[header_index + 1 :]:
        texts = [to_simplified(c).strip() for c in row if c and c.strip()]
        if not texts:
            continue
        distinct = list(dict.fromkeys(texts))
        title_cell = cell(row, "title")
        # A chapter row: one text spread over the row (merged), outside the task column, or "一、…".
        if len(distinct) == 1 and (len(texts) > 1 or not title_cell or _CHAPTER_ROW.match(squash_spaces(texts[0]))):
            chapter = _chapter_from(distinct[0], chapters)
            if chapter is not None:
                chapters.append(chapter)
            continue
        seq_cell = squash_spaces(cell(row, "seq"))
        if re.fullmatch(r"[一二三四五六七八九十]{1,3}[、.．]?", seq_cell) and not any(
            cell(row, key) for key in ("lead", "responsible", "other")
        ):
            # "一 | 推进依法行政 | | " between "1 | … | 市司法局" rows: a chapter row.
            chapter = ParsedChapter(number=seq_cell.rstrip("、.．"), title=squash_spaces(title_cell).strip(" 。"))
            chapters.append(chapter)
            continue
        if "chapter" in mapping:
            label = squash_spaces(cell(row, "chapter"))
            if label and (chapter is None or chapter.title != _strip_number(label)):
                chapter = _chapter_from(label, chapters, force=True)
                chapters.append(chapter)  # type: ignore[arg-type]
        if not title_cell:
            continue
        seq_text = squash_spaces(cell(row, "seq"))
        flat = "\n".join(squash_spaces(line) for line in title_cell.split("\n")).strip()
        numbered = classify(flat)
        if numbered and numbered.rest and numbered.level != CH:
            flat = numbered.rest  # "（一）加强…" in the task cell: the number is not part of the title
            seq_text = seq_text or numbered.number
        seq = _seq_value(seq_text) or (items[-1].seq + 1 if items else first_seq)
        body_cell = cell(row, "body") if "body" in mapping and mapping["body"] != mapping["title"] else ""
        title, _, after = flat.partition("。") if "。" in flat.split("\n")[0] else flat.partition("\n")
        body = "\n".join(x for x in (after.strip(), squash_spaces(body_cell)) if x)
        item = ParsedItem(
            seq=seq,
            number=seq_text or str(seq),
            chapter=chapter.number if chapter else None,
            title=title.strip(" \n:：;；，,"),
            body=body,
            deadline=parse_deadline(cell(row, "deadline"), year),
        )
        for key in ("lead", "responsible", "other"):
            _assign_units(item, key, cell(row, key))
        items.append(item)
        if not (item.lead_units or item.responsible_units):
            warnings.append(ParseWarning(item.seq, "未找到牵头单位或责任单位"))
    _warn_numbering(items, warnings)
    return chapters, items, warnings, mapping


def _assign_units(item: ParsedItem, key: str, text: str) -> None:
    """A unit cell: a plain list for its column's role, or labelled lists ("牵头单位：A；责任单位：B")."""
    if not text:
        return
    targets = {"lead": item.lead_units, "responsible": item.responsible_units, "other": item.other_units}
    if has_label(text):
        lists = parse_labelled(text, spaces_separate=True)
        found = {"lead": lists.lead, "responsible": lists.responsible, "other": lists.other}
    else:
        found = {key: split_names(text, spaces_separate=True)}
    for role, names in found.items():
        for name in names:
            if name not in targets[role]:
                targets[role].append(name)


def _seq_value(text: str) -> int | None:
    match = re.search(r"\d+", text)
    if match:
        return int(match.group(0))
    match = re.search(r"[一二三四五六七八九十百]+", text)
    return cn_to_int(match.group(0)) if match else None


def _strip_number(text: str) -> str:
    match = _CHAPTER_ROW.match(text)
    return match.group("title").strip() if match else text


def _chapter_from(text: str, chapters: list[ParsedChapter], *, force: bool = False) -> ParsedChapter | None:
    flat = squash_spaces(text).replace("\n", "")
    match = _CHAPTER_ROW.match(flat)
    if match:
        return ParsedChapter(number=match.group("n"), title=match.group("title").strip(" 。"))
    if force or (len(flat) <= 40 and "。" not in flat):
        return ParsedChapter(number=int_to_cn(len(chapters) + 1), title=flat.strip(" 。"))
    return None


def _warn_numbering(items: list[ParsedItem], warnings: list[ParseWarning]) -> None:
    previous = 0
    for item in items:
        if item.seq == previous:
            warnings.append(ParseWarning(item.seq, f"编号重复：{item.number}出现了不止一次"))
        elif item.seq > previous + 1:
            warnings.append(ParseWarning(item.seq, f"编号不连续：{item.number}之前缺少{previous + 1}"))
        previous = max(previous, item.seq)
