"""The current dashboard view as an .xlsx workbook: the same rows the page shows, one sheet per table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from fazhi import xlsx

Sheet = tuple[str, Sequence[str], Iterable[Sequence[object]]]


def build_workbook(sheets: list[Sheet]) -> bytes:
    """The sheets as .xlsx bytes; every text cell goes through ``fazhi.xlsx`` so it stays text."""
    book = xlsx.new_workbook()
    book.remove(book.active)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        xlsx.append_row(sheet, headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            xlsx.append_row(sheet, ["" if value is None else value for value in row])
        for index, header in enumerate(headers, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(50, len(str(header)) * 2 + 4))
        sheet.freeze_panes = "A2"
    return xlsx.to_bytes(book)


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(
        build_workbook(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response
