"""The parser's output. Its ``as_json()`` is the `parse_points --json` contract: keep it exactly
(fields may be added, never removed or renamed; ``path`` was added for documents with four levels)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParsedChapter:
    number: str  # "一"
    title: str


@dataclass
class ParsedItem:
    seq: int  # 4 for "(四)"
    number: str  # as written, e.g. "(四)", "（四）", "4."
    chapter: str | None  # the chapter's number, e.g. "一"
    title: str  # text before the first "。", or the heading cell of a table row
    body: str
    lead_units: list[str] = field(default_factory=list)  # names as written, trimmed
    responsible_units: list[str] = field(default_factory=list)
    other_units: list[str] = field(default_factory=list)  # 配合单位 / 协办单位
    deadline: dt.date | None = None  # only when the document states one (e.g. a 完成时限 column)
    source_start: int | None = None  # line span in the normalised source text, for the preview
    source_end: int | None = None
    path: list[str] = field(default_factory=list)  # headings between chapter and item: ["（一）…", "1.…"]


@dataclass
class ParseWarning:
    seq: int | None
    message: str  # Simplified Chinese, shown to the user


@dataclass
class ParsedDocument:
    title: str | None = None
    issuer: str | None = None
    year: int | None = None
    doc_number: str | None = None
    issued_on: dt.date | None = None
    chapters: list[ParsedChapter] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    source_lines: list[str] = field(default_factory=list)  # the normalised text the spans refer to

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "issuer": self.issuer,
            "year": self.year,
            "doc_number": self.doc_number,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "chapters": [{"number": c.number, "title": c.title} for c in self.chapters],
            "items": [
                {
                    "seq": i.seq,
                    "number": i.number,
                    "chapter": i.chapter,
                    "title": i.title,
                    "body": i.body,
                    "lead_units": list(i.lead_units),
                    "responsible_units": list(i.responsible_units),
                    "other_units": list(i.other_units),
                    "path": list(i.path),
                }
                for i in self.items
            ],
            "warnings": [{"seq": w.seq, "message": w.message} for w in self.warnings],
        }
