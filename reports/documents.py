"""Documents out: a unit's 法治政府建设情况报告 (.docx) and a period summary (.xlsx).

The year-end report is compiled in ``reports.annual`` and laid out by the one official-document
builder, ``fazhi.officialdoc.build_docx`` (GB/T 9704-2012): the unit's name in red as the 版头, the
government as 主送, the body, 落款 and date.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi import xlsx
from fazhi.officialdoc import build_docx
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
                   "报送时间", "关键数据"]


def summary_rows(period: Period) -> list[list[object]]:
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
        rows.append([
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
            "；".join(figure_text(f) for f in report.figures.all()) if report else "",
        ])
    return rows


def build_period_xlsx(period: Period) -> bytes:
    wb = xlsx.new_workbook()
    ws = wb.active
    ws.title = "报送汇总"
    xlsx.put(ws, 1, 1, f"{period.plan.title} · {period.name}（截止 {period.due_on:%Y-%m-%d}）")
    ws["A1"].font = Font(bold=True, size=14)
    xlsx.append_row(ws, SUMMARY_HEADERS)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF0F3")
    for row in summary_rows(period):
        xlsx.append_row(ws, row)
    widths = [22, 8, 40, 24, 10, 10, 12, 12, 10, 18, 40]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{get_column_letter(len(SUMMARY_HEADERS))}{ws.max_row}"
    return xlsx.to_bytes(wb)
