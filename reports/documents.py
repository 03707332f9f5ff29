"""Documents out: a unit's 法治政府建设情况报告 (.docx, GB/T 9704 layout) and a period summary (.xlsx).

Both are built from what the units filed, so the year-end report "writes itself": the plan's
chapters become the sections, each item the unit reported on a subsection with its measures and
figures, then the problems and next year's plans, which the legal office may edit first
(``AnnualReportDraft``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import prefetch_related_objects
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.xlsx import new_workbook, put, to_bytes
from reports.models import AnnualReportDraft, Obligation, Period, Report
from tasks.models import Unit

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (enough for chapters and items)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def figure_text(figure) -> str:
    value = figure.value.normalize() if isinstance(figure.value, Decimal) else figure.value
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return f"{figure.label}{text}{figure.unit}"


# ---------------------------------------------------------------------------------------------
# Annual report


@dataclass
class ItemSection:
    title: str
    report: Report


@dataclass
class ChapterSection:
    title: str
    items: list[ItemSection] = field(default_factory=list)


@dataclass
class AnnualContent:
    unit: Unit
    year: int
    title: str
    intro: str
    chapters: list[ChapterSection]
    problems: str
    next_year: str


def _latest_reports(unit: Unit, year: int) -> list[Report]:
    """The unit's latest sent report per item of the year's plans (drafts are not the unit's word yet)."""
    reports = (
        Report.objects.filter(obligation__unit=unit, obligation__period__plan__year=year)
        .visible_to(None)
        .select_related("obligation__item__chapter", "obligation__period")
        .prefetch_related("figures")
        .order_by("-obligation__period__due_on", "-id")
    )
    latest: dict[int, Report] = {}
    for report in reports:
        latest.setdefault(report.obligation.item_id, report)
    return sorted(latest.values(), key=lambda r: (r.obligation.item.plan_id, r.obligation.item.seq))


def _compiled(texts: list[str]) -> str:
    """Every distinct non-empty line, in order of first appearance. A dict, not a list, remembers what was
    seen: membership in a list made the annual page quadratic in the number of lines (12 s for 20,000 chars)."""
    seen: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if line:
                seen.setdefault(line, None)
    return "\n".join(seen)


def default_draft(unit: Unit, year: int) -> dict[str, str]:
    """The free sections as compiled from the reports, before anyone edits them."""
    reports = _latest_reports(unit, year)
    return {
        "title": f"{unit.name}{year}年法治政府建设情况报告",
        "intro": f"{year}年，{unit.name}认真落实年度法治政府建设工作要点部署，"
                 f"围绕承担的{len(reports)}项工作任务扎实推进各项工作。现将有关情况报告如下。",
        "problems": _compiled([r.problems for r in reports]),
        "next_year": _compiled([r.next_steps for r in reports]),
    }


def annual_content(unit: Unit, year: int) -> AnnualContent:
    defaults = default_draft(unit, year)
    draft = AnnualReportDraft.objects.filter(unit=unit, year=year).first()
    chapters: list[ChapterSection] = []
    by_chapter: dict[object, ChapterSection] = {}
    for report in _latest_reports(unit, year):
        item = report.obligation.item
        key = item.chapter_id
        if key not in by_chapter:
            by_chapter[key] = ChapterSection(title=item.chapter.title if item.chapter else "其他工作")
            chapters.append(by_chapter[key])
        by_chapter[key].items.append(ItemSection(title=item.title, report=report))

    def pick(name: str) -> str:
        value = getattr(draft, name, "") if draft else ""
        return value.strip() or defaults[name]

    return AnnualContent(unit=unit, year=year, title=pick("title"), intro=pick("intro"), chapters=chapters,
                         problems=pick("problems"), next_year=pick("next_year"))


def _set_font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph(doc, text: str, font: str = BODY_FONT, size: float = 16, *, indent: bool = True,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, bold: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _set_font(p.add_run(text), font, size, bold)
    return p


def _page_number_footer(section) -> None:
    """Footer "— 1 —": a PAGE field between em dashes, as official documents print it."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(p.add_run("— "), "宋体", 14)
    run = p.add_run()
    _set_font(run, "宋体", 14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._element.append(t)
    _set_font(p.add_run(" —"), "宋体", 14)


def build_annual_docx(unit: Unit, year: int) -> bytes:
    content = annual_content(unit, year)
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr()
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        normal.element.rPr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), BODY_FONT)
    _page_number_footer(section)

    title = _paragraph(doc, content.title, TITLE_FONT, 22, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(36)
    _paragraph(doc, "", indent=False)
    for line in content.intro.splitlines():
        if line.strip():
            _paragraph(doc, line.strip())

    n = 0
    for chapter in content.chapters:
        n += 1
        _paragraph(doc, f"{chinese_number(n)}、{chapter.title}", H1_FONT, 16)
        for m, entry in enumerate(chapter.items, start=1):
            _paragraph(doc, f"（{chinese_number(m)}）{entry.title}", H2_FONT, 16)
            for line in entry.report.measures.splitlines():
                if line.strip():
                    _paragraph(doc, line.strip())
            figures = list(entry.report.figures.all())
            if figures:
                _paragraph(doc, "主要数据：" + "；".join(figure_text(f) for f in figures) + "。")
    for heading, text in (("存在的问题", content.problems), ("下一步工作打算", content.next_year)):
        n += 1
        _paragraph(doc, f"{chinese_number(n)}、{heading}", H1_FONT, 16)
        lines = [line.strip() for line in text.splitlines() if line.strip()] or ["（暂无）"]
        for line in lines:
            _paragraph(doc, line)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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
    cell = put(ws, 1, 1, title)
    cell.font = Font(name=SHEET_FONT, bold=True, size=14)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30
    header_fill = PatternFill("solid", fgColor="EEF0F3")
    for col, header in enumerate(headers, start=1):
        cell = put(ws, 2, col, header)
        cell.font = Font(name=SHEET_FONT, bold=True, size=10.5)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    body_font = Font(name=SHEET_FONT, size=10.5)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows, start=3):
        for col, value in enumerate(row, start=1):
            cell = put(ws, r, col, value)
            cell.font = body_font
            cell.alignment = wrap
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A3"
    ws.auto_filter.ref = f"A2:{last}{max(ws.max_row, 2)}"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


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
