"""Documents out: a unit's 法治政府建设情况报告 (.docx) and a period summary (.xlsx).

The year-end report is compiled in ``reports.annual`` and laid out by the one official-document
builder, ``fazhi.officialdoc.build_docx`` (GB/T 9704-2012): the unit's name in red as the 版头, the
government as 主送, the body, 落款 and date.
"""

from __future__ import annotations

import re

from django.db.models import prefetch_related_objects
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.officialdoc import build_docx
from fazhi.xlsx import fit_row_height, new_workbook, print_as_office_table, put, to_bytes
from reports.annual import chinese_number, figure_text, official_document, unit_annual
from reports.models import Obligation, Period
from tasks.models import Unit

__all__ = ["build_annual_docx", "build_period_xlsx", "chinese_number", "figure_text", "summary_rows"]


def build_annual_docx(unit: Unit, year: int, *, with_unsent: bool = True) -> bytes:
    """The unit's report; ``with_unsent`` only for its own liaison (an unsent draft is private to the unit)."""
    return build_docx(official_document(unit_annual(unit, year, with_unsent=with_unsent)))


# ---------------------------------------------------------------------------------------------
# Period summary

SUMMARY_HEADERS = ["章节", "序号", "工作任务", "单位", "角色", "报送状态", "推进状态", "完成进度（%）", "逾期报送",
                   "报送时间", "工作举措与成效", "关键数据"]
# Column widths (characters) on the summary sheet; the unit sheets drop the 单位 column (index 3).
SUMMARY_WIDTHS = [20, 7, 28, 20, 9, 9, 10, 8, 7, 16, 60, 28]
UNIT_COLUMN = 3
SHEET_FONT = "宋体"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def summary_rows(period: Period) -> list[list[object]]:
    return [row for _unit, row in _summary_rows(period)]


def _summary_rows(period: Period) -> list[tuple[Unit, list[object]]]:
    """One row per obligation. The summary goes to the legal office and leaders, never to a unit, so it shows
    reports as anyone outside the unit may read them: a draft is 未填报 (``Report.visibility_q(None)``)."""
    obligations = list(
        Obligation.objects.filter(period=period)
        .with_visible_report(None)
        .select_related("item__chapter", "unit", "seen")
        .order_by("item__seq", "role", "unit__order", "unit__name")
    )
    # prefetch_related cannot follow a FilteredRelation; the figures of the readable reports in one query.
    prefetch_related_objects([ob.seen for ob in obligations if getattr(ob, "seen", None)], "figures")
    rows = []
    for ob in obligations:
        report = getattr(ob, "seen", None)
        rows.append((ob.unit, [
            str(ob.item.chapter) if ob.item.chapter else "",
            ob.item.number or str(ob.item.seq),
            ob.item.title,
            ob.unit.name,
            ob.get_role_display(),
            report.get_state_display() if report else "未填报",
            report.get_progress_display() if report else "",
            report.percent if report else None,
            ("是" if report.is_late else "否") if report and report.first_submitted_at else "",
            f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}" if report and report.submitted_at else "",
            report.measures if report else "",
            "；".join(figure_text(f) for f in report.figures.all()) if report else "",
        ]))
    return rows


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook (case-insensitive)."""
    base = _SHEET_NAME_BAD.sub("", name).strip("'") or "单位"
    candidate, n = base[:31], 2
    while candidate.lower() in taken:
        suffix = f"({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def _summary_sheet(ws, title: str, headers: list[str], widths: list[int], rows: list[list[object]]) -> None:
    """Title row, header row, rows; 宋体, wrapped text, A4 landscape fitted to the width, header on every page."""
    last = get_column_letter(len(headers))
    for i, width in enumerate(widths, start=1):  # first: the row heights are worked out from the widths
        ws.column_dimensions[get_column_letter(i)].width = width
    cell = put(ws, 1, 1, title)
    cell.font = Font(name=SHEET_FONT, bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last}1")
    fit_row_height(ws, 1, font_size=14, min_height=30)
    header_fill = PatternFill("solid", fgColor="EEF0F3")
    for col, header in enumerate(headers, start=1):
        cell = put(ws, 2, col, header)
        cell.font = Font(name=SHEET_FONT, bold=True, size=10.5)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    fit_row_height(ws, 2, font_size=10.5)
    body_font = Font(name=SHEET_FONT, size=10.5)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            cell = put(ws, r, col, value)
            cell.font = body_font
            cell.alignment = wrap
        fit_row_height(ws, r, font_size=10.5)
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
    print_as_office_table(ws, title_rows="2:2")


def build_period_xlsx(period: Period) -> bytes:
    """The period summary: every obligation on the first sheet, then one sheet per unit (registry order)."""
    rows = _summary_rows(period)
    wb = new_workbook()
    ws = wb.active
    ws.title = "报送汇总"
    heading = f"{period.plan.title} · {period.name}（截止 {period.due_on:%Y-%m-%d}）"
    _summary_sheet(ws, heading, SUMMARY_HEADERS, SUMMARY_WIDTHS, [row for _unit, row in rows])

    by_unit: dict[int, tuple[Unit, list[list[object]]]] = {}
    for unit, row in rows:
        by_unit.setdefault(unit.pk, (unit, []))[1].append(row[:UNIT_COLUMN] + row[UNIT_COLUMN + 1:])
    taken = {ws.title.lower()}
    unit_headers = SUMMARY_HEADERS[:UNIT_COLUMN] + SUMMARY_HEADERS[UNIT_COLUMN + 1:]
    unit_widths = SUMMARY_WIDTHS[:UNIT_COLUMN] + SUMMARY_WIDTHS[UNIT_COLUMN + 1:]
    for unit, unit_rows in sorted(by_unit.values(), key=lambda x: (x[0].order, x[0].name)):
        sheet = wb.create_sheet(_sheet_name(unit.short_name or unit.name, taken))
        _summary_sheet(sheet, f"{unit.name} · {period.name}", unit_headers, unit_widths, unit_rows)
    wb.properties.title = heading
    wb.properties.creator = "法治政府建设工作管理平台"
    return to_bytes(wb)
