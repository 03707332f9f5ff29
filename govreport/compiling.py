"""How the government's report is prefilled from what the units filed. Reads only; no writes here.

Rules (README "The government's annual report"):
- Each item subsection uses the *approved* year-end reports of the item's units: lead units first,
  then responsible units, then any other unit that filed; every unit's measures line by line with exact
  duplicate lines left out, then the key figures listed per unit.
- A unit's year-end report that is submitted or returned (not approved) is listed beside the section and
  left out unless the coordinator includes it on purpose (``GovReport.included_reports``).
- Where a unit has no year-end report at all, its approved half-year report is used, marked 【半年报】.
- An item with nothing usable gets a visible 【待补充…】 marker, never invented text.
- A unit that owes the item and filed nothing is 应报未报 once the year-end period's due date has passed;
  before that it is a neutral note, 尚未到期 (``ItemSources.notes``).
- Problems and next year's plans are merged by unit from the same reports, and from the units' own
  approved year-end reports (``AnnualReportDraft``).
- Across units a sentence is printed once: the first unit (in the order above) keeps it with
  "（另有 N 个单位同）", later units' copies are left out (``_dedupe_sentences``).
- The 第一责任人 part is the leadership paragraph of the unit chosen on the government.

Everything is read in a fixed number of queries whatever the number of items and units.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from govreport.models import Part
from reports.documents import figure_text
from reports.models import AnnualReportDraft, Attachment, PeriodKind, Report, ReportState
from tasks.models import ROLE_PRECEDENCE, AssignmentRole, Duty, Government, Plan, PlanStatus, Unit, WorkItem

GAP = "【待补充：{reason}】"
HALF_YEAR_MARK = "【半年报】"
# Markers a clerk must resolve before the report can be approved or published.
MARKER_RE = re.compile(r"【(待补充|半年报)")

SOURCE_INCLUDED = "included"
SOURCE_FALLBACK = "fallback"
SOURCE_BESIDE = "beside"
SOURCE_CHOSEN = "chosen"


@dataclass
class Source:
    """One unit's report on one item, and whether it goes into the text."""

    report: Report
    unit: Unit
    role: str
    use: str  # SOURCE_INCLUDED / SOURCE_CHOSEN / SOURCE_FALLBACK / SOURCE_BESIDE

    @property
    def is_used(self) -> bool:
        return self.use != SOURCE_BESIDE

    @property
    def is_half_year(self) -> bool:
        return self.use == SOURCE_FALLBACK

    @property
    def use_label(self) -> str:
        return {
            SOURCE_INCLUDED: "已采用（已审核）",
            SOURCE_CHOSEN: "已采用（特意采用未审核报告）",
            SOURCE_FALLBACK: "已采用半年报（无年终报告）",
            SOURCE_BESIDE: "未采用（尚未审核）",
        }[self.use]

    @property
    def role_label(self) -> str:
        return AssignmentRole(self.role).label

    @property
    def figure_texts(self) -> list[str]:
        return [figure_text(f) for f in self.report.figures.all()]


@dataclass
class ItemSources:
    item: WorkItem
    sources: list[Source] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # neutral: nothing wrong yet (e.g. not due)
    lead_names: list[str] = field(default_factory=list)

    @property
    def used(self) -> list[Source]:
        return [s for s in self.sources if s.is_used]

    @property
    def beside(self) -> list[Source]:
        return [s for s in self.sources if not s.is_used]


@dataclass
class Compiled:
    """Everything the compiler read for one government and year."""

    government: Government
    year: int
    plans: list[Plan]
    items: list[ItemSources]
    # unit id → approved unit report (AnnualReportDraft) of the year
    unit_reports: dict[int, AnnualReportDraft]

    @property
    def has_plan(self) -> bool:
        return bool(self.plans)

    def for_item(self, item_id: int) -> ItemSources | None:
        return next((entry for entry in self.items if entry.item.pk == item_id), None)


def plans_for(government: Government, year: int) -> list[Plan]:
    """The year's issued plans, each with ``year_end_due``: its latest year-end period's due date (None when
    no year-end period is open yet), read in the same query."""
    return list(Plan.objects.filter(government=government, year=year).exclude(status=PlanStatus.DRAFT)
                .annotate(year_end_due=Max("periods__due_on", filter=Q(periods__kind=PeriodKind.YEAR_END)))
                .order_by("issued_on", "id"))


def _missing_note(missing: list[str], due: dt.date | None, today: dt.date) -> tuple[str, bool]:
    """The line about units that owe the item and filed nothing, and whether it is a warning (past due)."""
    names = "、".join(missing)
    if due is None:
        return f"年终报告期次尚未开启（{len(missing)} 个单位未报）：{names}", False
    if due >= today:  # due today or later: not late yet
        return f"尚未到期（{len(missing)} 个单位未报，{due:%Y-%m-%d} 截止）：{names}", False
    return f"应报未报（{len(missing)} 个单位没有已报送的年终报告）：{names}", True


def _order_key(source: Source) -> tuple:
    return (ROLE_PRECEDENCE[source.role], source.unit.order, source.unit.name)


def gather(government: Government, year: int, *, included: list[int] | tuple[int, ...] = (),
           item_ids: list[int] | None = None) -> Compiled:
    """Read the plans, items, duties and reports of ``government``'s ``year``: six queries in all."""
    plans = plans_for(government, year)
    items_qs = WorkItem.objects.filter(plan__in=plans).select_related("chapter", "plan")
    if item_ids is not None:
        items_qs = items_qs.filter(pk__in=item_ids)
    plan_order = {p.pk: n for n, p in enumerate(plans)}
    items = sorted(items_qs, key=lambda i: (plan_order[i.plan_id], i.chapter is None,
                                            i.chapter.seq if i.chapter else 0, i.seq))
    ids = [i.pk for i in items]
    duties: dict[int, dict[int, Duty]] = defaultdict(dict)
    for duty in Duty.objects.filter(item_id__in=ids).select_related("unit"):
        duties[duty.item_id][duty.unit_id] = duty
    reports = (
        Report.objects.filter(obligation__item_id__in=ids)
        .exclude(state=ReportState.DRAFT)
        .select_related("obligation__period", "obligation__unit")
        .prefetch_related("figures", Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")))
        .order_by("-obligation__period__due_on", "-id")
    )
    # The latest year-end and the latest half-year report of each (item, unit).
    year_end: dict[tuple[int, int], Report] = {}
    half: dict[tuple[int, int], Report] = {}
    filed_by: dict[int, dict[int, Report]] = defaultdict(dict)  # item → units that filed without a duty
    for report in reports:
        key = (report.obligation.item_id, report.obligation.unit_id)
        target = year_end if report.obligation.period.kind == PeriodKind.YEAR_END else half
        target.setdefault(key, report)
        filed_by[key[0]].setdefault(key[1], report)
    chosen = set(included)
    dues = {p.pk: p.year_end_due for p in plans}
    today = timezone.localdate()
    entries = []
    for item in items:
        entry = ItemSources(item=item)
        units: dict[int, tuple[Unit, str]] = {uid: (d.unit, d.role) for uid, d in duties[item.pk].items()}
        by_order = sorted(units.values(), key=lambda pair: (pair[0].order, pair[0].name))
        entry.lead_names = [u.short_name or u.name for u, role in by_order if role == AssignmentRole.LEAD]
        for unit_id, report in filed_by[item.pk].items():
            if unit_id not in units:
                units[unit_id] = (report.obligation.unit, report.obligation.role)
        missing: list[str] = []
        for unit_id, (unit, role) in sorted(units.items(), key=lambda kv: (ROLE_PRECEDENCE[kv[1][1]],
                                                                          kv[1][0].order, kv[1][0].name)):
            report = year_end.get((item.pk, unit_id))
            name = unit.short_name or unit.name
            if report is not None:
                if report.state == ReportState.APPROVED:
                    entry.sources.append(Source(report, unit, role, SOURCE_INCLUDED))
                else:
                    use = SOURCE_CHOSEN if report.pk in chosen else SOURCE_BESIDE
                    entry.sources.append(Source(report, unit, role, use))
                    entry.warnings.append(f"{name}：年终报告{report.get_state_display()}，尚未审核"
                                          + ("（已特意采用）" if use == SOURCE_CHOSEN else "（未采用）"))
                continue
            fallback = half.get((item.pk, unit_id))
            if fallback is not None and fallback.state == ReportState.APPROVED:
                entry.sources.append(Source(fallback, unit, role, SOURCE_FALLBACK))
                entry.warnings.append(f"{name}：没有年终报告，采用了半年报")
            elif role != AssignmentRole.OTHER:
                missing.append(name)
        if missing:
            line, is_warning = _missing_note(missing, dues.get(item.plan_id), today)
            (entry.warnings if is_warning else entry.notes).append(line)
        entry.sources.sort(key=_order_key)
        if not entry.used:
            entry.warnings.insert(0, "本项没有可用的来源，正文为待补充标记")
        entries.append(entry)
    unit_reports = {d.unit_id: d for d in approved_unit_reports(year)}
    return Compiled(government=government, year=year, plans=plans, items=entries, unit_reports=unit_reports)


def approved_unit_reports(year: int) -> list[AnnualReportDraft]:
    """The units' own year-end reports the office approved (``AnnualReportDraft.objects.approved``)."""
    return list(AnnualReportDraft.objects.approved(year=year))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


_SENTENCE_RE = re.compile(r"[^。！？；!?;]+[。！？；!?;]*")
_CLOSERS = "。！？；!?;"


def _sentences(line: str) -> list[str]:
    return [m.group().strip() for m in _SENTENCE_RE.finditer(line) if m.group().strip()]


def _key(sentence: str) -> str:
    """Sentences compare without their closing punctuation: "…完成任务。" and "…完成任务；" are the same."""
    return sentence.rstrip(_CLOSERS).strip()


def _dedupe_sentences(per_unit: list[list[str]], *, annotate: bool = True) -> list[list[str]]:
    """Each unit's lines with every sentence an earlier unit already wrote left out; with ``annotate`` the
    first unit's copy gets "（另有 N 个单位同）" (the by-unit parts, where each paragraph is named after its
    unit; an item's subsection is the government's own account and says nothing of who repeated whom).
    Exact repeats only (after trimming): near-duplicates are the clerk's call."""
    first: dict[str, tuple[int, int, int]] = {}  # sentence → (unit, line, position) of its first use
    others: dict[str, set[int]] = defaultdict(set)
    kept: list[list[list[str]]] = []
    for u, lines in enumerate(per_unit):
        unit_lines = []
        for ln, line in enumerate(lines):
            out = []
            for sentence in _sentences(line):
                key = _key(sentence)
                if key in first:
                    if first[key][0] != u:
                        others[key].add(u)
                    continue  # said before: by another unit (counted) or by this one (a plain repeat)
                first[key] = (u, ln, len(out))
                out.append(sentence)
            unit_lines.append(out)
        kept.append(unit_lines)
    for key, units in (others.items() if annotate else ()):
        u, ln, pos = first[key]
        sentence = kept[u][ln][pos]
        closer = sentence[len(sentence.rstrip(_CLOSERS)):]
        kept[u][ln][pos] = f"{sentence.rstrip(_CLOSERS)}（另有 {len(units)} 个单位同）{closer}"
    return [["".join(line) for line in unit_lines if line] for unit_lines in kept]


def item_text(entry: ItemSources) -> tuple[str, bool]:
    """The subsection's prefilled text and whether it still carries a gap marker."""
    used = entry.used
    if not used:
        leads = entry.lead_names
        reason = "本项暂无已审核的年终报告"
        return GAP.format(reason=reason + (f"，请联系牵头单位{'、'.join(leads)}" if leads else "")), True
    paragraphs: list[str] = []
    figures: list[str] = []
    measures = _dedupe_sentences([_lines(source.report.measures) for source in used], annotate=False)
    for n, source in enumerate(used):
        name = source.unit.short_name or source.unit.name
        distinct = measures[n]
        if distinct:
            body = "".join(distinct)
            prefix = HALF_YEAR_MARK if source.is_half_year else ""
            # The first lead unit's words open the subsection as they are; every other unit is named.
            if n == 0 and source.role == AssignmentRole.LEAD and not source.is_half_year:
                paragraphs.append(body)
            else:
                paragraphs.append(f"{prefix}{name}：{body}")
        unit_figures = list(dict.fromkeys(source.figure_texts))
        if unit_figures:
            figures.append(f"{name}{'、'.join(unit_figures)}")
    if figures:
        paragraphs.append("主要数据：" + "；".join(figures) + "。")
    return "\n".join(paragraphs), any(s.is_half_year for s in used)


def _merged_by_unit(compiled: Compiled, attr: str, draft_attr: str) -> str:
    """Problems or next year's plans: one paragraph per unit, lines deduplicated within the unit and
    sentences across units (the issue: "进一步完善工作机制…" printed forty times)."""
    per_unit: dict[int, list[str]] = {}
    units: dict[int, Unit] = {}
    for entry in compiled.items:
        for source in entry.used:
            if source.is_half_year:
                continue
            units[source.unit.pk] = source.unit
            lines = per_unit.setdefault(source.unit.pk, [])
            lines += [line for line in _lines(getattr(source.report, attr)) if line not in lines]
    for unit_id, draft in compiled.unit_reports.items():
        units[unit_id] = draft.unit
        lines = per_unit.setdefault(unit_id, [])
        lines += [line for line in _lines(getattr(draft, draft_attr)) if line not in lines]
    ordered = sorted((u for u in units.values() if per_unit.get(u.pk)), key=lambda u: (u.order, u.name))
    texts = _dedupe_sentences([per_unit[u.pk] for u in ordered])
    return "\n".join(f"{u.short_name or u.name}：{''.join(lines)}" for u, lines in zip(ordered, texts, strict=True)
                     if lines)


def part_text(compiled: Compiled, part: str) -> tuple[str, bool]:
    """Prefilled text of a part other than an item subsection, and whether it is a gap marker."""
    year, government = compiled.year, compiled.government
    if part == Part.PREFACE:
        titles = "》《".join(p.title for p in compiled.plans)
        count = len(compiled.items)
        return (f"{year}年，{government.name}坚持以习近平法治思想为指导，认真落实《{titles}》"
                f"确定的{count}项重点任务，扎实推进法治政府建设。现将有关情况报告如下：", False)
    if part == Part.LEADERSHIP:
        unit = government.leadership_unit
        if unit is None:
            return GAP.format(reason="尚未指定撰写第一责任人履职情况的单位（在“政府设置”中选择）"), True
        draft = compiled.unit_reports.get(unit.pk)
        text = draft.leadership.strip() if draft else ""
        if not text:
            return GAP.format(reason=f"{unit.name}的年度报告中“第一责任人履职情况”尚未审核通过"), True
        return "\n".join(_lines(text)), False
    if part == Part.PROBLEMS:
        text = _merged_by_unit(compiled, "problems", "problems")
        return (text, False) if text else (GAP.format(reason="各单位报告未填写存在的不足"), True)
    if part == Part.NEXT_YEAR:
        text = _merged_by_unit(compiled, "next_steps", "next_year")
        return (text, False) if text else (GAP.format(reason="各单位报告未填写下一年度工作安排"), True)
    return "", False  # 其他事项: optional, written by the office


def has_marker(text: str) -> bool:
    return bool(MARKER_RE.search(text))


@dataclass
class Counts:
    items: int
    with_sources: int
    without_sources: int


def counts(compiled: Compiled) -> Counts:
    with_sources = sum(1 for e in compiled.items if e.used)
    return Counts(items=len(compiled.items), with_sources=with_sources,
                  without_sources=len(compiled.items) - with_sources)
