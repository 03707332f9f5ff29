"""Builds the Word and Excel fixture documents in the tests (no binary files are committed)."""

from __future__ import annotations

import io

import docx
import openpyxl

TASK_HEADER = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]


def docx_bytes(paragraphs: list[str], tables: list[list[list[str]]] | None = None, *,
               tables_after: int | None = None, merges: list[tuple[int, int, int, int, int]] | None = None) -> bytes:
    """Paragraphs, then the tables (inserted after paragraph ``tables_after`` if given)."""
    document = docx.Document()
    split = len(paragraphs) if tables_after is None else tables_after
    for text in paragraphs[:split]:
        document.add_paragraph(text)
    built = []
    for rows in tables or []:
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        built.append(table)
    for table_index, r1, c1, r2, c2 in merges or []:
        table = built[table_index]
        merged = table.cell(r1, c1).merge(table.cell(r2, c2))
        keep = merged.paragraphs[0].text
        for paragraph in merged.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        merged.paragraphs[0].text = keep
    for text in paragraphs[split:]:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows: list[list[object]], merges: list[str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "任务分解"
    for row in rows:
        sheet.append(row)
    for cell_range in merges or []:
        sheet.merge_cells(cell_range)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
