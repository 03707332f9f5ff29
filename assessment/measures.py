"""Measures computed from Fazhi's own data over the assessed year, defined once as database expressions.

Each measure is read for every unit of the year in one grouped query (five queries for all four
measures, the year-end report's due date included, whatever the number of units and items). A unit
absent from a measure's rows has no task of that kind: the item then gets full marks, marked "无此项任务". A
unit with such tasks none of which is due yet (``Reading.owed`` 0, ``Reading.later`` > 0) also gets full marks,
but only so far: it is marked "暂无到期任务（截至今日…）", never "无此项任务".

Decisions (README "Assessment"):
- "The year" is every period of every plan of that year; only periods whose due date has passed by the
  day of computing count (a period still open is not yet owed).
- On time = filed (已报送, 退回修改 or 已审核) and not flagged late at first submission.
- A lead task is "not done by its deadline" when the unit led it, its deadline has passed, and no report
  of that unit on it said 已完成 (submitted or approved) with a first submission on or before the deadline.
- The unit's own year-end report (``AnnualReportDraft``): owed by every unit that is lead or responsible on an
  item of the year (as ``reports.reminders_annual.units_owing``), once its due date (1 March, or as the
  office set it) has passed; on time = first submitted before the end of the due day. Before the due date a
  unit that already sent it is on time for good; one that has not is "暂无到期任务" (not yet due).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from assessment.rules import Rule, RuleKind, pts, score_from_count, score_from_rate
from reports.models import AnnualReportDraft, Obligation, ProgressStatus, Report, ReportAction, ReportEvent, ReportState
from reports.services_annual import due_on as annual_due_on
from tasks.models import AssignmentRole, Duty

FILED = (ReportState.SUBMITTED, ReportState.RETURNED, ReportState.APPROVED)
STANDING = (ReportState.SUBMITTED, ReportState.APPROVED)


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    value_kind: str  # "rate" (0…1, RATE rules) or "count" (FIXED / PER_OCCURRENCE rules)
    unit_label: str


MEASURES: dict[str, Measure] = {m.key: m for m in [
    Measure("on_time_rate", "进展报告按时报送率", "rate", ""),
    Measure("returned", "进展报告被退回修改次数", "count", "次"),
    Measure("lead_overdue", "牵头任务逾期未完成数", "count", "项"),
    Measure("annual_report", "年度法治政府建设情况报告未按时报送", "count", "份"),
]}
MEASURE_CHOICES = [("", "（不绑定，人工评分）")] + [(m.key, m.label) for m in MEASURES.values()]


def rule_fits(measure_key: str, rule_kind: str) -> bool:
    kind = MEASURES[measure_key].value_kind
    return rule_kind == RuleKind.RATE if kind == "rate" else rule_kind in (RuleKind.FIXED, RuleKind.PER_OCCURRENCE)


@dataclass(frozen=True)
class Reading:
    owed: int  # tasks (reports, lead items, the year-end report) whose deadline has passed
    value: Decimal  # a rate 0…1 or a count
    later: int = 0  # tasks of the kind not yet due: with ``owed`` 0 the full marks are provisional

    def text(self, measure: Measure) -> str:
        if measure.value_kind == "rate":
            return f"{measure.label} {pts(self.value * 100)}%（应报 {self.owed} 份）"
        return f"{measure.label} {pts(self.value)} {measure.unit_label}"


NONE_OWED = "无此项任务"
NOT_DUE_YET = "暂无到期任务"


def not_due_text(measure: Measure, later: int) -> str:
    unit = measure.unit_label or "份"
    return f"{NOT_DUE_YET}（截至今日；{later} {unit}尚未到期，得分暂按满分计）"


def read_measures(year: int, as_of: dt.date, unit_ids: list[int] | None = None) -> dict[str, dict[int, Reading]]:
    """Every measure for every unit of ``year`` (or only ``unit_ids``): five queries."""
    ob = Obligation.objects.filter(period__plan__year=year)
    duties = Duty.objects.filter(item__plan__year=year, role=AssignmentRole.LEAD)
    events = ReportEvent.objects.filter(action=ReportAction.RETURNED, report__obligation__period__plan__year=year)
    if unit_ids is not None:
        ob = ob.filter(unit_id__in=unit_ids)
        duties = duties.filter(unit_id__in=unit_ids)
        events = events.filter(report__obligation__unit_id__in=unit_ids)

    due = Q(period__due_on__lt=as_of)
    on_time = Q(report__state__in=FILED, report__is_late=False)
    out: dict[str, dict[int, Reading]] = {key: {} for key in MEASURES}
    for row in ob.values("unit_id").annotate(
        owed=Count("id", filter=due), on_time=Count("id", filter=due & on_time), all_owed=Count("id"),
    ).order_by():
        unit = row["unit_id"]
        if row["owed"]:
            out["on_time_rate"][unit] = Reading(row["owed"], Decimal(row["on_time"]) / Decimal(row["owed"]),
                                                row["all_owed"] - row["owed"])
        elif row["all_owed"]:
            out["on_time_rate"][unit] = Reading(0, Decimal(0), row["all_owed"])
        if row["all_owed"]:
            out["returned"][unit] = Reading(row["all_owed"], Decimal(0))
    for row in events.values("report__obligation__unit_id").annotate(n=Count("id")).order_by():
        unit = row["report__obligation__unit_id"]
        owed = out["returned"].get(unit)
        out["returned"][unit] = Reading(owed.owed if owed else 1, Decimal(row["n"]))
    done = Report.objects.filter(
        obligation__unit_id=OuterRef("unit_id"), obligation__item_id=OuterRef("item_id"), state__in=STANDING,
        progress=ProgressStatus.COMPLETED, first_submitted_at__date__lte=OuterRef("item__deadline"))
    past = Q(item__deadline__lt=as_of)
    for row in duties.values("unit_id").annotate(
        owed=Count("id", filter=past), late=Count("id", filter=past & ~Exists(done)), all=Count("id"),
    ).order_by():
        out["lead_overdue"][row["unit_id"]] = Reading(row["owed"], Decimal(row["late"]), row["all"] - row["owed"])
    annual_due = annual_due_on(year)
    # The end of the due day, as ``reports.services_annual.deadline_of`` (without reading the date again).
    deadline = dt.datetime.combine(annual_due + dt.timedelta(days=1), dt.time.min,
                                   tzinfo=timezone.get_default_timezone())
    owing = Duty.objects.filter(item__plan__year=year).exclude(role=AssignmentRole.OTHER)
    if unit_ids is not None:
        owing = owing.filter(unit_id__in=unit_ids)
    sent = AnnualReportDraft.objects.filter(unit_id=OuterRef("unit_id"), year=year, first_submitted_at__lt=deadline)
    for row in owing.values("unit_id").annotate(sent=Exists(sent)).distinct().order_by():
        if as_of > annual_due:
            out["annual_report"][row["unit_id"]] = Reading(1, Decimal(0 if row["sent"] else 1))
        elif row["sent"]:  # sent before the due date: on time, whatever happens later
            out["annual_report"][row["unit_id"]] = Reading(1, Decimal(0))
        else:  # owed, not yet due
            out["annual_report"][row["unit_id"]] = Reading(0, Decimal(0), 1)
    return out


def computed_score(rule: Rule, measure_key: str, reading: Reading | None) -> tuple[Decimal, str]:
    """The score the data gives, and the text the pages show next to it."""
    measure = MEASURES[measure_key]
    if reading is None or (reading.owed == 0 and not reading.later):
        return rule.points, NONE_OWED
    if reading.owed == 0:
        return rule.points, not_due_text(measure, reading.later)
    if measure.value_kind == "rate":
        return score_from_rate(rule, reading.value), reading.text(measure)
    return score_from_count(rule, int(reading.value)), reading.text(measure)
