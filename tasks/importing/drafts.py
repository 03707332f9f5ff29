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
