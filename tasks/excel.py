"""The task table (任务分解表) as .xlsx: one row per item, ready to print on A4 landscape.

The importer (``tasks/importing/``) reads the same layout; ``COLUMNS`` is the shared contract.
"""

from __future__ import annotations

import datetime as dt

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fazhi import xlsx
from tasks.models import Plan, WorkItem

# (header, width in characters). Widths suit Chinese text on A4 landscape at fit-to-width.
COLUMNS: list[tuple[str, int]] = [
    ("序号", 6),
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

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(wrap_text=True, vertical="top", horizontal="center")


def units_text(assignments) -> str:
    return UNIT_SEPARATOR.join(a.label for a in assignments)


def item_row(item: WorkItem) -> list[int | str | dt.date | None]:
    return [
        item.seq,
        str(item.chapter) if item.chapter else "",
        item.title,
        item.body,
        units_text(item.lead_assignments),
        units_text(item.responsible_assignments),
        item.deadline,
    ]


def _setup_sheet(ws: Worksheet, plan: Plan) -> None:
    ws.title = "任务分解表"
    for index, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddHeader.center.text = plan.title[:200]
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def export_plan(plan: Plan) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    _setup_sheet(ws, plan)
    header_fill = PatternFill("solid", fgColor="EEF0F3")
    for col, (header, _) in enumerate(COLUMNS, start=1):
        cell = xlsx.put(ws, 1, col, header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = _CENTER
        cell.border = _BORDER
    items = plan.items.with_assignments().order_by("seq")
    for row, item in enumerate(items, start=2):
        for col, value in enumerate(item_row(item), start=1):
            # Text stays text (fazhi.xlsx): an item title "=HYPERLINK(…)" is never a formula.
            cell = xlsx.put(ws, row, col, value)
            if isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            cell.alignment = _CENTER if col in (1, 7) else _WRAP
            cell.border = _BORDER
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(ws.max_row, 1)}"
    wb.properties.title = plan.title
    wb.properties.creator = "法治政府建设工作管理平台"
    return xlsx.to_bytes(wb)
