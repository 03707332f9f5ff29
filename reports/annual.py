"""A unit's own 法治政府建设情况报告 for one year: what it owes, what the office approved, the text.

The counts are of what the unit *owes* — every item of the year's plans on which it is lead or
responsible unit (配合单位 owe no report) — never of what it happened to file. The body uses only
approved reports: the approved year-end report of each item; where the unit has no year-end report
on an item at all, its approved half-year text, marked as such; otherwise a visible gap marker. A
line of text is printed once, however many reports repeat it (year-end reports start as a copy of
the half-year one). With nothing usable the document says so plainly instead of printing an empty
report.

Four queries whatever the number of items: duties, reports, their figures, the unit's draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from fazhi.officialdoc import Block, Heading, OfficialDocument, Paragraph
from reports.models import AnnualReportDraft, PeriodKind, Report, ReportState
from tasks.models import AssignmentRole, Duty, Unit, WorkItem, government_name_for_issuer

# One numerals module (tasks.parsing.numbers); the report numbers chapters 一、 and items （一）… with it.
from tasks.parsing.numbers import int_to_cn as chinese_number

LEADERSHIP_HEADING = "主要负责人履行推进法治建设第一责任人职责情况"
PROBLEMS_HEADING = "存在的不足和原因"
NEXT_YEAR_HEADING = "下一年度主要安排"
GAP = "【待补充】"


def figure_text(figure) -> str:
    value = figure.value.normalize() if isinstance(figure.value, Decimal) else figure.value
    text = f"{value:f}" if isinstance(value, Decimal) else str(value)
    return f"{figure.label}{text}{figure.unit}"


def recipient_of(plan) -> str:
    """Whom the unit reports to: the plan's government, or the one its issuer stands for
    (太仓市人民政府办公室 → 太仓市人民政府); "" when the plan says neither."""
    if plan.government_id:
        return plan.government.name
    return government_name_for_issuer(plan.issuer) if plan.issuer.strip() else ""


@dataclass
class ItemEntry:
    item: WorkItem
    role: str
    number: int = 0  # （n） in the document: continuous across chapters
    report: Report | None = None  # the report whose text is used
    from_half_year: bool = False
    gap: str = ""  # why there is no text, for the marker and the page

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    @property
    def chinese_number(self) -> str:
        return chinese_number(self.number)


@dataclass
class ChapterEntry:
    title: str
    items: list[ItemEntry] = field(default_factory=list)


@dataclass
class UnitAnnual:
    unit: Unit
    year: int
    draft: AnnualReportDraft | None
    chapters: list[ChapterEntry]
    recipients: tuple[str, ...]
    title: str = ""
    intro: str = ""
    leadership: str = ""
    problems: str = ""
    next_year: str = ""
    defaults: dict[str, str] = field(default_factory=dict)

    @property
    def entries(self) -> list[ItemEntry]:
        return [e for c in self.chapters for e in c.items]

    @property
    def owed(self) -> int:
        return len(self.entries)

    @property
    def lead_count(self) -> int:
        return sum(1 for e in self.entries if e.is_lead)

    @property
    def approved(self) -> list[ItemEntry]:
        return [e for e in self.entries if e.report is not None and not e.from_half_year]

    @property
    def half_year(self) -> list[ItemEntry]:
        return [e for e in self.entries if e.from_half_year]

    @property
    def gaps(self) -> list[ItemEntry]:
        return [e for e in self.entries if e.report is None]

    @property
    def has_text(self) -> bool:
        return any(e.report is not None for e in self.entries)

    @property
    def warnings(self) -> list[str]:
        """What the page and the document say about what is missing; empty when the report is complete."""
        name, year = self.unit.name, self.year
        if not self.owed:
            return [f"{name}在{year}年度工作要点中没有承担（牵头或责任）工作任务，无法生成年度报告正文。"]
        out = []
        if not self.has_text:
            out.append(f"{name}{year}年度承担工作任务{self.owed}项，尚无审核通过的报告，无法生成报告正文。"
                       "请在各项年终报告审核通过后重新生成。")
        elif self.gaps:
            out.append(f"承担的{self.owed}项工作任务中，有{len(self.gaps)}项尚无审核通过的报告，文中以“{GAP}”标出。")
        if self.half_year:
            out.append(f"有{len(self.half_year)}项尚无年终报告，暂用已审核的半年报内容，文中已标注。")
        return out


def _entries(unit: Unit, year: int) -> list[ChapterEntry]:
    duties = (
        Duty.objects.filter(unit=unit, item__plan__year=year)
        .exclude(role=AssignmentRole.OTHER)
        .select_related("item__chapter", "item__plan__government")
        .order_by("item__plan__issued_on", "item__plan_id", "item__chapter__seq", "item__seq", "item_id")
    )
    reports = (
        Report.objects.filter(obligation__unit=unit, obligation__period__plan__year=year)
        .exclude(state=ReportState.DRAFT)
        .select_related("obligation__period")
        .prefetch_related("figures")
        .order_by("-obligation__period__due_on", "-id")
    )
    by_item: dict[int, list[Report]] = {}
    for report in reports:
        by_item.setdefault(report.obligation.item_id, []).append(report)
    chapters: list[ChapterEntry] = []
    by_chapter: dict[object, ChapterEntry] = {}
    for duty in duties:
        item = duty.item
        entry = ItemEntry(item=item, role=duty.role)
        filed = by_item.get(item.pk, [])
        year_end = [r for r in filed if r.obligation.period.kind == PeriodKind.YEAR_END]
        approved_year_end = [r for r in year_end if r.state == ReportState.APPROVED]
        approved_other = [r for r in filed if r.state == ReportState.APPROVED and r not in year_end]
        if approved_year_end:
            entry.report = approved_year_end[0]
        elif year_end:
            entry.gap = f"年终报告{year_end[0].get_state_display()}，尚未审核通过"
        elif approved_other:
            entry.report, entry.from_half_year = approved_other[0], True
        elif filed:
            entry.gap = f"{filed[0].obligation.period.name}{filed[0].get_state_display()}，尚未审核通过"
        else:
            entry.gap = "本单位尚未报送该项报告"
        key = (item.plan_id, item.chapter_id)
        if key not in by_chapter:
            by_chapter[key] = ChapterEntry(title=item.chapter.title if item.chapter else "其他工作")
            chapters.append(by_chapter[key])
        by_chapter[key].items.append(entry)
    for n, entry in enumerate((e for c in chapters for e in c.items), start=1):
        entry.number = n
    return chapters


def _merged(texts: list[str]) -> str:
    """Every distinct line once, in first-seen order. A dict, not a list: a list's membership test compared
    each line with every earlier one, so two 10,000-line texts took seconds (issue #10, quadratic pages)."""
    seen: dict[str, None] = {}
    for text in texts:
        for line in text.splitlines():
            line = line.strip()
            if line:
                seen.setdefault(line, None)
    return "\n".join(seen)


def unit_annual(unit: Unit, year: int, *, draft: AnnualReportDraft | None = None,
                with_unsent: bool = True) -> UnitAnnual:
    """Everything the unit's report shows, with the unit's own texts where it wrote them.

    A draft never sent is private to its unit, as progress reports are: with ``with_unsent=False``
    (anyone but the unit's liaison) its texts are left out and the compiled defaults shown.
    """
    if draft is None:
        draft = AnnualReportDraft.objects.filter(unit=unit, year=year).first()
    texts = draft
    if draft is not None and not with_unsent and draft.state == ReportState.DRAFT and not draft.first_submitted_at:
        texts = None
    chapters = _entries(unit, year)
    plans = {e.item.plan_id: e.item.plan for c in chapters for e in c.items}
    recipients = tuple(sorted({name for plan in plans.values() if (name := recipient_of(plan))}))
    content = UnitAnnual(unit=unit, year=year, draft=draft, chapters=chapters, recipients=recipients)
    used = [e.report for e in content.entries if e.report is not None]
    lead = f"（其中牵头{content.lead_count}项）" if content.lead_count else ""
    content.defaults = {
        "title": f"{unit.name}关于{year}年度法治政府建设情况的报告",
        "intro": f"{year}年，{unit.name}认真落实年度法治政府建设工作要点部署，"
                 f"承担工作任务{content.owed}项{lead}，扎实推进各项工作。现将有关情况报告如下。",
        "leadership": "",
        "problems": _merged([r.problems for r in used]),
        "next_year": _merged([r.next_steps for r in used]),
    }
    for name, default in content.defaults.items():
        value = (getattr(texts, name, "") or "").strip() if texts else ""
        setattr(content, name, value or default)
    return content


def _report_date(content: UnitAnnual) -> dt.date:
    draft = content.draft
    if draft is not None and draft.submitted_at:
        return timezone.localdate(draft.submitted_at)
    return timezone.localdate()


def official_document(content: UnitAnnual) -> OfficialDocument:
    """The unit's report as an official document (its name in red as the 版头, 落款 and date)."""
    blocks: list[Block] = []
    printed: set[str] = set()

    def paragraphs(text: str, prefix: str = "") -> None:
        first = True
        for line in text.splitlines():
            line = line.strip()
            if not line or line in printed:  # a line is printed once in the whole document
                continue
            printed.add(line)
            blocks.append(Paragraph((prefix if first else "") + line))
            first = False

    warnings = content.warnings
    if not content.has_text:
        # Never an empty report: the warning, and what the unit owes with where each item stands.
        for warning in warnings:
            blocks.append(Paragraph(f"【提示】{warning}"))
        for entry in content.entries:
            blocks.append(Paragraph(f"{entry.item.number or entry.item.seq} {entry.item.title}：{entry.gap}。"))
        return OfficialDocument(
            issuer_mark=content.unit.name, title=content.title, recipients=content.recipients,
            blocks=tuple(blocks), signature=content.unit.name, date=_report_date(content),
            warnings=tuple(warnings),
        )
    paragraphs(content.intro)
    h1 = 0
    for chapter in content.chapters:
        h1 += 1
        blocks.append(Heading(1, f"{chinese_number(h1)}、{chapter.title}"))
        for entry in chapter.items:
            # numbered continuously across chapters, as the governments' reports are
            blocks.append(Heading(2, f"（{entry.chinese_number}）{entry.item.title}"))
            if entry.report is None:
                blocks.append(Paragraph(f"{GAP}（{entry.gap}）"))
                continue
            marker = f"【据{entry.report.obligation.period.name}，尚无年终报告】" if entry.from_half_year else ""
            paragraphs(entry.report.measures, marker)
            figures = list(entry.report.figures.all())
            if figures:
                paragraphs("主要数据：" + "；".join(figure_text(f) for f in figures) + "。")
    for heading, text in ((LEADERSHIP_HEADING, content.leadership), (PROBLEMS_HEADING, content.problems),
                          (NEXT_YEAR_HEADING, content.next_year)):
        h1 += 1
        blocks.append(Heading(1, f"{chinese_number(h1)}、{heading}"))
        before = len(blocks)
        paragraphs(text)
        if len(blocks) == before:
            blocks.append(Paragraph(f"{GAP}（本单位尚未填写）"))
    return OfficialDocument(
        issuer_mark=content.unit.name, title=content.title, recipients=content.recipients, blocks=tuple(blocks),
        signature=content.unit.name, date=_report_date(content), warnings=tuple(warnings),
    )
