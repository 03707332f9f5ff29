"""The one way Fazhi writes a cell into a workbook: text stays text.

openpyxl turns any string that starts with ``=`` into a live formula, so a report title such as
``=HYPERLINK("http://…","点此")`` or ``=cmd|' /C calc'!A0`` typed by a liaison would run in the office's
Excel (spreadsheet formula injection). Every workbook writer (task table, period summary, dashboard
export, audit export, and later ones) goes through ``put`` / ``append_row`` here, which store every
``str`` as a literal string cell (``t="inlineStr"``), never ``<f>``. Spreadsheet programs do not
evaluate string cells, so no prefix is added and the text reads back exactly as typed.

Also handled here, because each was a 500 somewhere once:
- control characters openpyxl refuses (``IllegalCharacterError``) are dropped;
- timezone-aware datetimes (Excel has no time zones) become naive local time;
- ``Decimal`` stays a number; anything else that is not a number, date or bool becomes its text.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, Cell, WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

# Excel's own cell limit; longer text is cut rather than producing a file Excel calls corrupt.
MAX_CELL_CHARS = 32_767

CellValue = str | int | float | Decimal | bool | dt.date | dt.datetime | dt.time | None


def clean_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def cell_value(value: object) -> CellValue:
    """What a cell may hold: numbers, dates and bools as they are, everything else as text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, dt.date | dt.time):
        return value
    return clean_text(str(value))


def _as_text(cell: Cell | WriteOnlyCell, value: CellValue) -> Cell | WriteOnlyCell:
    cell.value = value
    if isinstance(value, str):
        # After the value: openpyxl set data_type to "f" for a leading "="; a string type is written
        # as an inline string, never as a formula.
        cell.data_type = TYPE_STRING
    return cell


def put(ws: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write one cell of a normal (not write-only) sheet; returns it for styling."""
    return _as_text(ws.cell(row=row, column=column), cell_value(value))


def set_text(cell: Cell, value: object) -> Cell:
    """Write ``value`` into an existing cell (normal sheets), keeping text as text."""
    return _as_text(cell, cell_value(value))


def row_cells(ws: Worksheet, values: Iterable[object]) -> list[WriteOnlyCell]:
    """Cells for ``ws.append`` on a write-only sheet (style them before appending)."""
    return [_as_text(WriteOnlyCell(ws), cell_value(v)) for v in values]


def append_row(ws: Worksheet, values: Iterable[object]) -> int:
    """Append one row (normal or write-only sheet); returns the new row's number (0 on write-only)."""
    if getattr(ws.parent, "write_only", False):
        ws.append(row_cells(ws, values))
        return 0
    row = ws.max_row + 1 if (ws.max_row > 1 or ws.cell(1, 1).value is not None) else 1
    for column, value in enumerate(values, start=1):
        put(ws, row, column, value)
    return row


# Row heights. Excel does not grow a row for wrapped text written by a program (LibreOffice does), so a long
# 具体内容 printed as one 14-point line, cut off. The writers set each wrapped row's height from its text.
MAX_ROW_HEIGHT = 409  # points: Excel's limit
LINE_HEIGHT = 1.35  # points per point of font size: one line of 宋体 with Excel's spacing
ROW_PADDING = 4  # points above and below the text
DEFAULT_COLUMN_WIDTH = 8.43


def display_width(text: str) -> int:
    """Width in Excel's column units (one digit): Chinese characters and full-width punctuation take two.

    Counted from the UTF-8 length (three bytes for those, one for ASCII) rather than character by character:
    a period summary measures a million characters, and this runs in C."""
    n = len(text)
    return n + (len(text.encode("utf-8")) - n) // 2


def text_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` units wide (its own line breaks kept)."""
    usable = max(width - 1, 1)  # Excel keeps a little space inside each cell edge
    return sum(max(1, math.ceil(display_width(line) / usable)) for line in text.split("\n"))


def _cell_width(ws: Worksheet, cell: Cell) -> float:
    """The column's width, or the merged range's total width for a merged title cell."""
    columns = [cell.column]
    for merged in ws.merged_cells.ranges:
        if merged.min_row == cell.row and merged.min_col == cell.column:
            columns = list(range(merged.min_col, merged.max_col + 1))
            break
    return sum(ws.column_dimensions[get_column_letter(c)].width or DEFAULT_COLUMN_WIDTH for c in columns)


def fit_row_height(ws: Worksheet, row: int, *, font_size: float = 11, min_height: float = 0) -> float:
    """Set ``row``'s height (normal sheets) so every wrapped text cell shows in full, in print too; call after
    the column widths and merges are set. Returns the height in points."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.value and cell.alignment.wrap_text:
            lines = max(lines, text_lines(cell.value, _cell_width(ws, cell)))
    height = min(MAX_ROW_HEIGHT, max(min_height, round(lines * font_size * LINE_HEIGHT + ROW_PADDING, 1)))
    ws.row_dimensions[row].height = height
    return height


def print_as_office_table(ws: Worksheet, *, title_rows: str) -> None:
    """The office's print set-up for a wide table: A4 landscape, fit to one page wide, ``title_rows`` (e.g. "2:2")
    repeated on every page, centred, narrow margins, "第 N 页，共 M 页" in the footer."""
    ws.print_title_rows = title_rows
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def new_workbook(*, write_only: bool = False) -> Workbook:
    book = Workbook(write_only=write_only)
    return book


def to_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def formula_cells(data: bytes) -> list[str]:
    """Coordinates of every formula cell in a workbook (for tests of every writer)."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data))
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{ws.title}!{cell.coordinate}")
    return found
