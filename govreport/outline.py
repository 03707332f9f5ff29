"""The report's sections as numbered headings and paragraphs: the one layout the page, Word and the
public copy share.

主要举措和成效 is printed as the plan's chapters (一、…) with one subsection per item, （一）… numbered
continuously across chapters, as the published reports do; the other parts follow as further 一、…
headings (the 其他事项 part only when it has text). The preface has no heading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fazhi.officialdoc import Heading, OfficialDocument, Paragraph
from govreport.models import GovReport, Part, Section
from reports.documents import chinese_number


@dataclass(frozen=True)
class Block:
    level: int  # 1, 2 for headings, 0 for a paragraph
    text: str
    section_id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"level": self.level, "text": self.text}


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def outline(sections: list[Section]) -> list[Block]:
    blocks: list[Block] = []
    level1 = level2 = 0
    chapter: tuple | None = None
    for section in sections:
        if section.part == Part.PREFACE:
            blocks += [Block(0, p, section.pk) for p in paragraphs(section.text)]
            continue
        if section.part == Part.OTHER and not section.text.strip():
            continue
        if section.part == Part.MEASURES:
            key = (section.chapter_id, section.chapter_title)
            if key != chapter:
                chapter = key
                level1 += 1
                blocks.append(Block(1, f"{chinese_number(level1)}、{section.chapter_title or '其他工作'}"))
            level2 += 1
            blocks.append(Block(2, f"（{chinese_number(level2)}）{section.heading}", section.pk))
        else:
            level1 += 1
            blocks.append(Block(1, f"{chinese_number(level1)}、{section.heading}", section.pk))
        blocks += [Block(0, p, section.pk) for p in paragraphs(section.text)]
    return blocks


def numbered_headings(sections: list[Section]) -> dict[int, str]:
    """Section id → its printed heading (with its number), for the editor's list."""
    return {b.section_id: b.text for b in outline(sections) if b.level and b.section_id is not None}


def default_title(report: GovReport) -> str:
    return f"{report.government.name}关于{report.year}年度法治政府建设情况的报告"


def official_document(report: GovReport, sections: list[Section]) -> OfficialDocument:
    body = []
    for block in outline(sections):
        body.append(Heading(level=block.level, text=block.text) if block.level else Paragraph(text=block.text))
    return OfficialDocument(
        issuer_mark=report.government.header_text,
        title=report.title,
        doc_number=report.doc_number,
        signer=report.signer,
        recipients=tuple(report.recipient_list),
        blocks=tuple(body),
        signature=report.signature or report.government.name,
        date=report.written_on,
        cc=tuple(report.cc_list),
        printer=report.printer,
        print_date=report.printed_on,
    )


def content_json(report: GovReport, sections: list[Section]) -> dict[str, Any]:
    """What a publication freezes: enough to print the public page without the live report."""
    return {
        "title": report.title,
        "issuer_mark": report.government.header_text,
        "doc_number": report.doc_number,
        "recipients": report.recipient_list,
        "blocks": [b.as_json() for b in outline(sections)],
        "signature": report.signature or report.government.name,
        "written_on": report.written_on.isoformat() if report.written_on else "",
    }


def document_from_content(content: dict[str, Any]) -> OfficialDocument:
    """The frozen copy as an official document (the public .docx is built from the copy, not the draft)."""
    blocks = tuple(Heading(level=b["level"], text=b["text"]) if b["level"] else Paragraph(text=b["text"])
                   for b in content["blocks"])
    written_on = dt.date.fromisoformat(content["written_on"]) if content.get("written_on") else None
    return OfficialDocument(issuer_mark=content["issuer_mark"], title=content["title"],
                            doc_number=content["doc_number"], recipients=tuple(content["recipients"]),
                            blocks=blocks, signature=content["signature"], date=written_on)
