"""From cleaned lines (and tables) to a ParsedDocument: chapters, items, units, warnings, metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import metadata
from .normalize import normalise_lines, squash_spaces
from .numbers import int_to_cn
from .readers import Source, TableBlock, TextBlock
from .structure import CH, Node, Piece, build_outline, choose_levels, has_own_units, split_collapsed
from .tables import find_header, items_from_table
from .types import ParsedChapter, ParsedDocument, ParsedItem, ParseWarning
from .units import UnitLists, find_clauses

_CLOSING = re.compile(r"^[(（]?此件|^抄送|^印发|^附件|^联系人|^联系电话|^[(（]?此页无正文|^主题词|^签发人")
_TRIM_TITLE = " \t\n:：;；，,、"


@dataclass
class _Draft:
    item: ParsedItem
    units: UnitLists
    node: Node
    truncated: bool = False
    unclosed: bool = False


def _tab_tables(blocks: list[TextBlock | TableBlock]) -> list[TextBlock | TableBlock]:
    """A table copied from Word/Excel and pasted as text has tab-separated cells: read it as a table."""
    result: list[TextBlock | TableBlock] = []
    for block in blocks:
        if isinstance(block, TableBlock) or not any("\t" in line for line in block.lines):
            result.append(block)
            continue
        lines: list[str] = []
        index = 0
        while index < len(block.lines):
            line = block.lines[index]
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) >= 2 and find_header([cells]):
                rows = [cells]
                index += 1
                while index < len(block.lines) and ("\t" in block.lines[index] or not block.lines[index].strip()):
                    if block.lines[index].strip():
                        rows.append([c.strip() for c in block.lines[index].split("\t")])
                    index += 1
                if lines:
                    result.append(TextBlock(lines))
                    lines = []
                result.append(TableBlock(rows))
                continue
            lines.append(line)
            index += 1
        if lines:
            result.append(TextBlock(lines))
    return result


def parse_source(source: Source) -> ParsedDocument:
    text_lines: list[str] = []
    tables: list[tuple[int, TableBlock]] = []
    for block in _tab_tables(source.blocks):
        if isinstance(block, TextBlock):
            text_lines.extend(block.lines)
            continue
        found = find_header(block.rows)
        continues_table = bool(tables) and tables[-1][0] == len(text_lines) and found is None
        if found is None and not continues_table:
            # Not a task table (a layout or metadata table): its cells are read as lines of text.
            text_lines.extend(_row_text(row) for row in block.rows)
            continue
        # Rows above the header (a sheet's title) are text; the rest is the task table.
        text_lines.extend(_row_text(row) for row in block.rows[: found[0] if found else 0])
        tables.append((len(text_lines), block))
    document = parse_text("\n".join(text_lines))
    table_items: list[ParsedItem] = []
    table_chapters: list[ParsedChapter] = []
    previous: dict[str, int] | None = None
    for _position, table in tables:
        result = items_from_table(table.rows, year=document.year, previous=previous,
                                  first_seq=(table_items[-1].seq + 1) if table_items else 1,
                                  chapters=table_chapters)
        if result is None:
            previous = None
            continue
        chapters, items, warnings, previous = result
        table_chapters.extend(c for c in chapters if c not in table_chapters)
        table_items.extend(items)
        document.warnings.extend(warnings)
    if table_items:
        if document.items:
            message = f"文档正文中有{len(document.items)}项、任务表中有{len(table_items)}项，已全部列出，请核对是否重复"
            document.warnings.append(ParseWarning(None, message))
        else:
            document.chapters = table_chapters or document.chapters
        document.items.extend(table_items)
        _renumber_if_clashing(document)
    return document


def _row_text(row: list[str]) -> str:
    cells = list(dict.fromkeys(c for c in row if c))
    if len(cells) == 2 and len(cells[0]) <= 6:
        return f"{cells[0]}：{cells[1]}"  # a label/value row of a metadata table
    return " ".join(cells)


def _renumber_if_clashing(document: ParsedDocument) -> None:
    seqs = [i.seq for i in document.items]
    if len(set(seqs)) != len(seqs):
        for index, item in enumerate(document.items, start=1):
            item.seq = index


def parse_text(text: str) -> ParsedDocument:
    lines, web = normalise_lines(text)
    widths: dict[int, str] = {}
    lines = split_collapsed(lines, widths)
    outline = build_outline(lines, widths)
    chapter_level, item_level = choose_levels(outline.nodes)
    document = ParsedDocument(source_lines=lines)
    drafts: list[_Draft] = []
    orphans: list[tuple[int | None, Piece]] = []
    outside: list[str] = [p.text for p in outline.preamble]
    # An excerpt that starts mid-item: text before the first number that carries a unit clause.
    orphans.extend((None, p) for p in outline.preamble if outline.nodes and ("(" in p.text or "（" in p.text)
                   and any(not c.units.empty for c in find_clauses(p.text)))
    chapter: ParsedChapter | None = None
    current: _Draft | None = None
    seen_item_or_chapter = False
    nodes = _promote_arabic_first_chapter(outline.nodes, chapter_level, item_level)
    if nodes:
        # The signature block and date after the last item are metadata, not the item's text.
        last = nodes[-1]
        while len(last.pieces) > 1 and not last.tail and _is_closing(last.pieces[-1].text):
            outside.append(last.pieces.pop().text)
    standalone = _standalone_items(nodes, chapter_level, item_level)
    sections: list[tuple[int, str]] = []  # the headings between chapter and item above the current node
    for index, node in enumerate(nodes):
        if index in standalone:
            node.level = item_level  # type: ignore[assignment]
        if node.level == chapter_level:
            sections = []
            title = node.pieces[0].text.strip() if node.pieces else ""
            rest = node.pieces[1:]
            if not title and rest:
                title, rest = rest[0].text.strip(), rest[1:]
            title, _, after = title.partition("。")
            chapter = ParsedChapter(number=_chapter_number(node), title=squash_spaces(title).strip(_TRIM_TITLE))
            document.chapters.append(chapter)
            current = None
            seen_item_or_chapter = True
            if after.strip():
                rest = [Piece(after.strip(), node.line), *rest]
            orphans.extend((None, p) for p in rest + node.tail)
        elif node.level == item_level:
            current = _Draft(ParsedItem(seq=node.value, number=node.number, chapter=chapter.number if chapter else None,
                                        title="", body="", path=[text for _level, text in sections]), UnitLists(), node)
            current.item.source_start = node.line
            current.item.source_end = node.last_line
            drafts.append(current)
            seen_item_or_chapter = True
        elif item_level is not None and node.level > item_level and current is not None:
            # A sub-point: part of the item's body.
            current.node.pieces.append(Piece(node.number + node.text, node.line))
            current.node.tail = node.tail
            current.item.source_end = node.last_line
        elif item_level is not None and node.level < item_level:
            current = None  # a section heading between chapter and items: the path of the items below it
            heading = squash_spaces(node.pieces[0].text if node.pieces else "").partition("。")[0].strip(_TRIM_TITLE)
            sections = [s for s in sections if s[0] < node.level] + [(node.level, node.number + heading)]
            orphans.extend((None, p) for p in node.pieces[1:] + node.tail)
        elif seen_item_or_chapter:
            orphans.extend((None, p) for p in node.pieces + node.tail)
        else:
            outside.append(node.number + node.text)
    for draft in drafts:
        _finish_item(draft)
        orphans.extend((draft.item.seq, p) for p in draft.node.tail)
        if draft.node.tail and draft.item.source_end is not None:
            # Text after the unit clause belongs to no item: the preview shows it apart, to be placed.
            draft.item.source_end = max(draft.item.source_start or 0, draft.node.tail[0].line - 1)
    drafts = _drop_framework_chapters(document, drafts)
    document.items = [d.item for d in drafts]
    # Closing lines (signature, date, 抄送) after the last item are metadata, not stray text.
    stray: list[tuple[int | None, Piece]] = []
    for seq, piece in orphans:
        if _is_closing(piece.text):
            outside.append(piece.text)
        else:
            stray.append((seq, piece))
    _fill_metadata(document, outside, web)
    for draft in drafts:
        draft.item.deadline = _deadline(draft, document.year)
    _apply_seq_policy(document, drafts, mixed_levels=bool(standalone))
    _warn_items(document, drafts)
    first_line = nodes[0].line if nodes else 0
    for seq, piece in stray:
        excerpt = squash_spaces(piece.text)[:30]
        if seq is not None:
            where = f"第{seq}项之后"
        else:
            where = "文档开头（可能从某项中间开始摘录）" if piece.line < first_line else "章节标题之后"
        document.warnings.append(ParseWarning(seq, f"{where}有一段文字不属于任何工作任务：“{excerpt}…”"))
    return document


# Chapters that frame the tasks rather than assign them: 总体要求, 保障措施, 工作要求 …
_FRAMEWORK_CHAPTER = re.compile(
    r"总体要求|指导思想|基本原则|主要目标|工作目标|保障措施|工作要求|组织实施|组织保障|工作保障"
)


def _drop_framework_chapters(document: ParsedDocument, drafts: list[_Draft]) -> list[_Draft]:
    """Numbered paragraphs under 总体要求/保障措施 that name no unit are not tasks: leave them out, say so."""
    if sum(1 for d in drafts if not d.units.empty) < 3:
        return drafts
    titles = {c.number: c.title for c in document.chapters}
    dropped: set[str] = set()
    for number, title in titles.items():
        members = [d for d in drafts if d.item.chapter == number]
        if members and _FRAMEWORK_CHAPTER.search(title) and all(d.units.empty for d in members):
            dropped.add(number)
            document.warnings.append(ParseWarning(
                None, f"“{number}、{title}”下的{len(members)}条没有写明单位，判断为总体要求或保障措施，未列为工作任务；"
                      "如需导入请在预览中添加"))
    return [d for d in drafts if d.item.chapter not in dropped]


def _standalone_items(nodes: list[Node], chapter_level: int | None, item_level: int | None) -> set[int]:
    """Headings between chapter and item level that carry their own units and have no items under them
    are items too (a document mixing "(一)…(牵头单位…)" with "(二)" sections over "1." items)."""
    if item_level is None:
        return set()
    found: set[int] = set()
    for index, node in enumerate(nodes):
        if node.level >= item_level or node.level == chapter_level:
            continue
        children = []
        for later in nodes[index + 1 :]:
            if later.level <= node.level:
                break
            children.append(later)
        if not any(c.level == item_level for c in children) and has_own_units(node):
            found.add(index)
    return found


def _promote_arabic_first_chapter(nodes: list[Node], chapter_level: int | None, item_level: int | None) -> list[Node]:
    """"1、总体要求" standing where "一、" belongs (before the first "二、") is read as chapter 一."""
    if chapter_level != CH or item_level is None:
        return nodes
    first_chapter = next((n for n in nodes if n.level == CH), None)
    if first_chapter is None or first_chapter.value != 2:
        return nodes
    for node in nodes:
        if node is first_chapter:
            break
        if node.level > item_level and node.value == 1 and node.number[:1].isdigit() and len(node.text) <= 40:
            node.level = CH
            node.number = "一、"
            break
    return nodes


def _chapter_number(node: Node) -> str:
    match = re.search(r"[一二三四五六七八九十百零〇两]+", node.number)
    return match.group(0) if match else int_to_cn(node.value)


def _finish_item(draft: _Draft) -> None:
    text = draft.node.text
    clauses = find_clauses(text)
    pieces: list[str] = []
    position = 0
    for clause in clauses:
        pieces.append(text[position:clause.start])
        position = clause.end
        draft.units.merge(clause.units)
        if not clause.closed:
            draft.unclosed = True
    pieces.append(text[position:])
    remainder = "".join(pieces)
    remainder = "\n".join(squash_spaces(line).strip() for line in remainder.split("\n"))
    remainder = re.sub(r"\n{2,}", "\n", remainder).strip()
    remainder = re.sub(r"。[。.]+", "。", remainder)
    first, newline, rest_lines = remainder.partition("\n")
    if "。" in first:
        title, _, after = first.partition("。")
        body = (after.strip() + ("\n" + rest_lines if rest_lines else "")).strip()
    elif newline:
        title, body = first, rest_lines
    else:
        title, body = first, ""
    item = draft.item
    item.title = title.strip(_TRIM_TITLE)
    item.body = body.strip()
    item.lead_units = draft.units.lead
    item.responsible_units = draft.units.responsible
    item.other_units = draft.units.other
    stripped = remainder.rstrip()
    draft.truncated = draft.units.empty and not stripped.endswith(("。", "！", "？", "）", ")", "”"))


_DEADLINE_LINE = re.compile(r"(?:完成时限|完成时间|时间节点|完成期限|时限要求)\s*[】\])）]?\s*[:：]\s*([^\n）)]*)")


def _deadline(draft: _Draft, year: int | None):
    match = _DEADLINE_LINE.search(draft.node.text)
    if match:
        return metadata.parse_deadline(match.group(1), year)
    # "（牵头单位：…；责任单位：…，9月底前完成）": the time phrase inside the clause.
    for phrase in draft.units.deadlines:
        found = metadata.parse_deadline(phrase, year)
        if found:
            return found
    return None


def _is_closing(text: str) -> bool:
    flat = squash_spaces(text).strip()
    return bool(_CLOSING.search(flat)) or metadata.is_date_line(flat) or metadata.is_org_line(flat)


def _fill_metadata(document: ParsedDocument, lines: list[str], web: dict[str, str]) -> None:
    flats = [squash_spaces(line) for line in lines]
    document.doc_number = metadata.find_doc_number(flats, web)
    document.title = metadata.find_title(flats, web)
    document.issuer, document.issued_on = metadata.find_issue(flats, web)
    document.year = metadata.find_year(document.title, document.doc_number, document.issued_on)


def _apply_seq_policy(document: ParsedDocument, drafts: list[_Draft], *, mixed_levels: bool = False) -> None:
    """Items keep their written number as seq unless numbering restarts in every chapter (or items sit at
    two numbering levels): then seq is the running order and numbering is checked within each chapter."""
    by_chapter: dict[str | None, list[ParsedItem]] = {}
    for draft in drafts:
        by_chapter.setdefault(draft.item.chapter, []).append(draft.item)
    restarts = len(by_chapter) >= 2 and all(items[0].seq == 1 for items in by_chapter.values())
    # "4." twice (numbering restarted or mistyped): keep both, in document order, and say so.
    repeated = not restarts and len({d.item.seq for d in drafts}) != len(drafts)
    if mixed_levels:
        for index, draft in enumerate(drafts, start=1):
            draft.item.seq = index
        return
    if restarts or repeated:
        for index, draft in enumerate(drafts, start=1):
            draft.item.seq = index
    groups = list(by_chapter.values()) if restarts else [[d.item for d in drafts]]
    for group in groups:
        previous = 0
        for position, item in enumerate(group):
            value = _written_value(drafts, item) if restarts or repeated else item.seq
            if value == previous:
                document.warnings.append(ParseWarning(item.seq, f"编号重复：{item.number}出现了不止一次"))
            elif value > previous + 1:
                missing = "、".join(_format_like(item.number, v) for v in range(previous + 1, min(value, previous + 4)))
                if position == 0 and previous == 0:
                    message = f"编号不从头开始：第一项是{item.number}，缺少{missing}"
                    document.warnings.append(ParseWarning(item.seq, message))
                else:
                    document.warnings.append(ParseWarning(item.seq, f"编号不连续：{item.number}之前缺少{missing}"))
            elif value < previous:
                document.warnings.append(ParseWarning(item.seq, f"编号倒退：{item.number}出现在较大的编号之后"))
            previous = max(previous, value)


def _written_value(drafts: list[_Draft], item: ParsedItem) -> int:
    return next(d.node.value for d in drafts if d.item is item)


def _format_like(number: str, value: int) -> str:
    if re.search(r"\d", number):
        return re.sub(r"\d+", str(value), number, count=1)
    return re.sub(r"[一二三四五六七八九十百零〇两]+", int_to_cn(value), number, count=1)


def _warn_items(document: ParsedDocument, drafts: list[_Draft]) -> None:
    for draft in drafts:
        item = draft.item
        if draft.unclosed:
            document.warnings.append(ParseWarning(item.seq, "单位括注没有结束括号，可能被截断，请核对单位"))
        if draft.truncated:
            document.warnings.append(ParseWarning(item.seq, "内容疑似不完整（末尾被截断），未找到牵头单位或责任单位"))
        elif draft.units.empty:
            document.warnings.append(ParseWarning(item.seq, "未找到牵头单位或责任单位"))
        elif not item.lead_units and not item.responsible_units:
            document.warnings.append(ParseWarning(item.seq, "只有配合单位，未找到牵头单位或责任单位"))
        for problem in draft.units.problems:
            document.warnings.append(ParseWarning(item.seq, f"单位表述不明确：{problem}，请核对"))
        if not item.title:
            document.warnings.append(ParseWarning(item.seq, "未找到工作任务标题"))


__all__ = ["parse_source", "parse_text"]
