"""The task table (任务分解表) as .xlsx: one row per item, laid out like the office's own tables.

A title row (the plan's title) and a line with its 文号, issuer and date sit above the header row; 序号 shows
each item's marker as the document wrote it ("（四）") whenever the importer reads it back to the same item;
宋体 throughout; A4 landscape, fit to width, the header row repeated on every printed page. The importer
(``tasks/importing/``) reads the same layout (it finds the header below title rows and takes the 文号 from
them); ``COLUMNS`` is the shared contract. Every cell is written through ``fazhi.xlsx`` (text stays text).
"""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fazhi.xlsx import fit_row_height, new_workbook, print_as_office_table, put, to_bytes
from tasks.models import Plan, WorkItem

# (header, width in characters). Widths suit Chinese text on A4 landscape at fit-to-width.
COLUMNS: list[tuple[str, int]] = [
    ("序号", 7),
    ("章节", 18),
    ("工作任务", 22),
    ("具体内容", 60),
    ("牵头单位", 18),
    ("责任单位", 22),
    ("完成时限", 12),
]
UNIT_SEPARATOR = "、"
# 完成时限 is a real date cell shown as 2026年12月31日, so Excel can sort and filter by it.
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
FONT = "宋体"
# Row 3 stays empty: it sets the title block off the table, and keeps the 文号 line from being read as the upper
# half of a two-row header by the importer (tasks.parsing.tables.find_header).
TITLE_ROW, META_ROW, HEADER_ROW = 1, 2, 4

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")


def units_text(assignments) -> str:
    return UNIT_SEPARATOR.join(a.label for a in assignments)


def marker(item: WorkItem) -> int | str:
    """序号 as written in the document when the importer reads it back to this item; else the order number."""
    from tasks.importing.excel import seq_of_marker

    return item.number if item.number and seq_of_marker(item.number) == item.seq else item.seq


def item_row(item: WorkItem) -> list[int | str | dt.date | None]:
    return [
        marker(item),
        str(item.chapter) if item.chapter else "",
        item.title,
        item.body,
        units_text(item.lead_assignments),
        units_text(item.responsible_assignments),
        item.deadline,
    ]


def _chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def meta_line(plan: Plan) -> str:
    parts = [plan.doc_number, plan.issuer, _chinese_date(plan.issued_on) + "印发" if plan.issued_on else ""]
    return "　".join(p for p in parts if p)


def _setup_sheet(ws: Worksheet, plan: Plan) -> None:
    ws.title = "任务分解表"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_as_office_table(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _title_rows(ws: Worksheet, plan: Plan) -> None:
    last = get_column_letter(len(COLUMNS))
    title = put(ws, TITLE_ROW, 1, f"{plan.title}任务分解表")
    title.font = Font(name=FONT, size=18, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    fit_row_height(ws, TITLE_ROW, font_size=18, min_height=36)  # a long title wraps onto a second line
    meta = put(ws, META_ROW, 1, meta_line(plan))
    meta.font = Font(name=FONT, size=11)
    meta.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(f"A{META_ROW}:{last}{META_ROW}")


def export_plan(plan: Plan) -> bytes:
    wb = new_workbook()
    ws = wb.active
    _setup_sheet(ws, plan)
    _title_rows(ws, plan)
    header_fill = PatternFill("solid", fgColor="EEF0F3")
    for col, (header, _) in enumerate(COLUMNS, start=1):
        cell = put(ws, HEADER_ROW, col, header)
        cell.font = Font(name=FONT, size=11, bold=True)
        cell.fill = header_fill
        cell.alignment = _CENTER
        cell.border = _BORDER
    fit_row_height(ws, HEADER_ROW, font_size=11)
    body_font = Font(name=FONT, size=11)
    items = plan.items.with_assignments().order_by("seq")
    for row, item in enumerate(items, start=HEADER_ROW + 1):
        for col, value in enumerate(item_row(item), start=1):
            cell = put(ws, row, col, value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            cell.font = body_font
            cell.alignment = _CENTER if col in (1, 7) else _WRAP
            cell.border = _BORDER
        fit_row_height(ws, row, font_size=11)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(ws.max_row, HEADER_ROW)}"
    wb.properties.title = plan.title
    wb.properties.creator = "法治政府建设工作管理平台"
    return to_bytes(wb)
