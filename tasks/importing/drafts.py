"""Plan drafts: what an import will create, with every unit name exactly as the source wrote it.

A draft round-trips through JSON so the preview can keep it server-side (``DocumentImport.data``)
and the user can edit it before confirming.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from tasks.models import AssignmentRole
from tasks.parsing.types import ParsedDocument

ROLE_FIELDS = {
    AssignmentRole.LEAD: "lead_units",
    AssignmentRole.RESPONSIBLE: "responsible_units",
    AssignmentRole.OTHER: "other_units",
}


@dataclass
class ItemDraft:
    seq: int
    title: str
    number: str = ""
    chapter: str | None = None  # the chapter's number ("一"), as in ParsedItem
    body: str = ""
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    other_units: list[str] = field(default_factory=list)
    deadline: dt.date | None = None
    source_start: int | None = None
    source_end: int | None = None
    path: list[str] = field(default_factory=list)  # headings between chapter and item ("（一）…", "1.…")

    def names(self) -> list[str]:
        return [*self.lead_units, *self.responsible_units, *self.other_units]

    def units_for(self, role: str) -> list[str]:
        return getattr(self, ROLE_FIELDS[role])


@dataclass
class ChapterDraft:
    number: str
    title: str
    source_line: int | None = None  # a heading made from loose text in the preview: that line is placed


@dataclass
class WarningDraft:
    seq: int | None
    message: str


@dataclass
class PlanDraft:
    title: str = ""
    year: int | None = None
    issuer: str = ""
    doc_number: str = ""
    issued_on: dt.date | None = None
    chapters: list[ChapterDraft] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    warnings: list[WarningDraft] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)

    @property
    def source_text(self) -> str:
        return "\n".join(self.source_lines)

    def placed_lines(self) -> set[int]:
        """Source lines (0-based) that belong to an item or are a chapter heading placed in the preview."""
        lines = {n for i in self.items if i.source_start is not None
                 for n in range(i.source_start, (i.source_end or i.source_start) + 1)}
        return lines | {c.source_line for c in self.chapters if c.source_line is not None}

    def names(self) -> list[str]:
        """Every distinct unit name the draft uses, in order of first appearance."""
        seen: dict[str, None] = {}
        for item in self.items:
            for name in item.names():
                seen.setdefault(name, None)
        return list(seen)

    @classmethod
    def from_parsed(cls, doc: ParsedDocument) -> PlanDraft:
        return cls(
            title=doc.title or "",
            year=doc.year,
            issuer=doc.issuer or "",
            doc_number=doc.doc_number or "",
            issued_on=doc.issued_on,
            chapters=[ChapterDraft(number=c.number, title=c.title) for c in doc.chapters],
            items=[
                ItemDraft(
                    seq=i.seq, number=i.number, chapter=i.chapter, title=i.title, body=i.body,
                    lead_units=list(i.lead_units), responsible_units=list(i.responsible_units),
                    other_units=list(i.other_units), deadline=i.deadline,
                    source_start=i.source_start, source_end=i.source_end, path=list(i.path),
                )
                for i in doc.items
            ],
            warnings=[WarningDraft(seq=w.seq, message=w.message) for w in doc.warnings],
            source_lines=list(doc.source_lines),
        )

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["issued_on"] = self.issued_on.isoformat() if self.issued_on else None
        for item in data["items"]:
            item["deadline"] = item["deadline"].isoformat() if item["deadline"] else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanDraft:
        def date(value: str | None) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(
            title=data.get("title") or "",
            year=data.get("year"),
            issuer=data.get("issuer") or "",
            doc_number=data.get("doc_number") or "",
            issued_on=date(data.get("issued_on")),
            chapters=[ChapterDraft(**c) for c in data.get("chapters", [])],
            items=[ItemDraft(**{**i, "deadline": date(i.get("deadline"))}) for i in data.get("items", [])],
            warnings=[WarningDraft(**w) for w in data.get("warnings", [])],
            source_lines=list(data.get("source_lines", [])),
        )


class PlaceRefused(ValueError):
    """The lines cannot be placed; the message says why, in Chinese."""


def place_text(draft: PlanDraft, *, kind: str, first: int, last: int) -> str:
    """Make source lines ``first``..``last`` (1-based, as the preview numbers them) that belong to no item
    into an item ("item") or a chapter ("chapter") of ``draft``; returns what was done, for the user.

    An item is read by the parser as if the text were numbered (title, body and units as usual); it
    takes the chapter of the item before it, and items are numbered again in source order. A chapter
    takes the first line as its title, and the items after it that sat in the same chapter move to it.
    """
    from tasks.parsing import parse_text
    from tasks.parsing.numbers import int_to_cn
    from tasks.parsing.structure import CH, classify

    covered = draft.placed_lines()
    span = range(first - 1, last)
    if not (1 <= first <= last <= len(draft.source_lines)) or any(n in covered for n in span):
        raise PlaceRefused("这段原文已变化或已属于某项工作任务，请刷新后重试。")
    text = "\n".join(draft.source_lines[n] for n in span).strip()
    if not text:
        raise PlaceRefused("这段原文是空的。")
    before = [i for i in draft.items if i.source_start is not None and i.source_start < span.start]
    chapter = before[-1].chapter if before else None
    excerpt = text.replace("\n", "")[:12]
    draft.warnings = [w for w in draft.warnings
                      if not ("不属于任何工作任务" in w.message and excerpt[:10] in w.message)]
    if kind == "item":
        parsed = parse_text("（一）" + text).items
        if not parsed:
            raise PlaceRefused("这段原文读不出工作任务。")
        found = parsed[0]
        item = ItemDraft(seq=0, title=found.title[:300] or text[:60], chapter=chapter, body=found.body,
                         lead_units=found.lead_units, responsible_units=found.responsible_units,
                         other_units=found.other_units, deadline=found.deadline,
                         source_start=span.start, source_end=span.stop - 1)
        draft.items.insert(len(before) if not before else draft.items.index(before[-1]) + 1, item)
        for seq, each in enumerate(draft.items, start=1):
            each.seq = seq
        return f"已将第 {first}–{last} 行设为工作任务“{item.title[:20]}”，序号已按原文顺序重排。"
    heading = text.split("\n", 1)[0].strip()
    numbered = classify(heading)
    used = {c.number for c in draft.chapters}
    if numbered and numbered.level == CH and numbered.number.rstrip("、.．，, ") not in used:
        number, title = numbered.number.rstrip("、.．，, "), numbered.rest
    else:
        number = next(int_to_cn(n) for n in range(len(used) + 1, len(used) + 200) if int_to_cn(n) not in used)
        title = heading
    new = ChapterDraft(number=number, title=title.rstrip("。")[:200], source_line=span.start)
    position = next((k + 1 for k, c in enumerate(draft.chapters) if c.number == chapter), 0)
    draft.chapters.insert(position, new)
    for item in draft.items:
        if item.source_start is not None and item.source_start > span.start and item.chapter == chapter:
            item.chapter = number
    return f"已将第 {first} 行设为章节“{new.title[:20]}”。"
