"""The status lights, defined once: as database expressions, and as the legend the pages print.

An item's light in a period is computed from counts over its obligations in that period
(annotated by ``item_counts``), so a page can count items by light inside the database.
A single obligation (one cell of the matrix) has its own light by the same rules.

Decisions where the rules are silent (see README "Dashboards and performance"):
- A report counts as *filed* once submitted: states 已报送, 退回修改 and 已审核. Drafts are private.
- The item deadline is about finishing the work; the period's due date is about filing reports.
  So after a half-year period's due date an item still in progress is yellow, not red, as long
  as every owed report was filed.
- Green wins: once every lead unit's report says 已完成 and is approved, the item is done even if
  a responsible unit filed late or not at all (that shows in the unit view and the matrix).
- Without lead units in the period (a lead-only scope always has them), all owing units count.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Count, F, Q, Value, When

from reports.models import ProgressStatus, ReportState
from tasks.models import AssignmentRole

# The state groups live on ReportState (FILED: sent at least once; STANDING: the office has it and did
# not send it back, so a report "says" 已完成 only then).


class Light(models.TextChoices):
    GREEN = "green", "已完成"
    YELLOW = "yellow", "推进中"
    RED = "red", "逾期或滞后"
    GREY = "grey", "尚未报送"


LEGEND: list[tuple[str, str, str]] = [
    (Light.GREEN, Light.GREEN.label, "每个牵头单位本期报告均为“已完成”且已审核通过。"),
    (Light.RED, Light.RED.label,
     "已过任务完成时限仍未完成；或有报告为“未能按期完成”；或已过本期报送截止日期仍有单位未报送。"),
    (Light.YELLOW, Light.YELLOW.label, "已有单位报送、工作推进中，尚未到期。"),
    (Light.GREY, Light.GREY.label, "尚无单位报送，尚未到期。"),
]

LIGHT_ORDER = [Light.RED, Light.YELLOW, Light.GREY, Light.GREEN]


def _q(prefix: str, **lookups: object) -> Q:
    return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})


def item_counts(rel: str, where: Q | None = None) -> dict[str, models.Aggregate]:
    """Counts over the obligations reached through ``rel`` (a relation from WorkItem, usually filtered).

    ``rel`` should be a FilteredRelation limited to one period per item, so no row is counted twice;
    ``where`` narrows every count further (e.g. to units of one kind).
    """
    p = f"{rel}__"
    r = f"{rel}__report__"
    base = where if where is not None else Q(**{f"{rel}__id__isnull": False})
    lead = base & _q(p, role=AssignmentRole.LEAD)
    filed = base & _q(r, state__in=ReportState.FILED)
    done = _q(r, state__in=ReportState.STANDING, progress=ProgressStatus.COMPLETED)
    green = _q(r, state=ReportState.APPROVED, progress=ProgressStatus.COMPLETED)
    ident = f"{rel}__id"
    return {
        "n_owed": Count(ident, filter=base),
        "n_lead": Count(ident, filter=lead),
        "n_filed": Count(ident, filter=filed),
        "n_on_time": Count(ident, filter=filed & _q(r, is_late=False)),
        "n_delayed": Count(ident, filter=filed & _q(r, progress=ProgressStatus.DELAYED)),
        "n_done": Count(ident, filter=base & done),
        "n_lead_done": Count(ident, filter=lead & done),
        "n_green": Count(ident, filter=base & green),
        "n_lead_green": Count(ident, filter=lead & green),
    }


def item_light(today: dt.date) -> Case:
    """The light of an item annotated with ``item_counts`` and ``period_due`` (and its own ``deadline``)."""
    green = Q(n_lead__gt=0, n_lead_green=F("n_lead")) | Q(n_lead=0, n_owed__gt=0, n_green=F("n_owed"))
    done = Q(n_lead__gt=0, n_lead_done=F("n_lead")) | Q(n_lead=0, n_owed__gt=0, n_done=F("n_owed"))
    red = (
        Q(n_delayed__gt=0)
        | (Q(deadline__lt=today, n_owed__gt=0) & ~done)
        | Q(period_due__lt=today, n_filed__lt=F("n_owed"))
    )
    return Case(
        When(green, then=Value(Light.GREEN)),
        When(red, then=Value(Light.RED)),
        When(n_filed__gt=0, then=Value(Light.YELLOW)),
        default=Value(Light.GREY),
        output_field=models.CharField(),
    )


def obligation_light(today: dt.date, prefix: str = "") -> Case:
    """The light of one obligation (one matrix cell), by the same rules as an item's."""
    r = f"{prefix}report__"
    filed = _q(r, state__in=ReportState.FILED)
    done = _q(r, state__in=ReportState.STANDING, progress=ProgressStatus.COMPLETED)
    # Spelled out for the LEFT JOIN: NOT (NULL IN …) is NULL in SQL, not true.
    no_report = _q(prefix, report__isnull=True)
    red = (
        (filed & _q(r, progress=ProgressStatus.DELAYED))
        | ((no_report | ~filed) & _q(prefix, period__due_on__lt=today))
        | (_q(prefix, item__deadline__lt=today) & (no_report | ~done))
    )
    return Case(
        When(_q(r, state=ReportState.APPROVED, progress=ProgressStatus.COMPLETED), then=Value(Light.GREEN)),
        When(red, then=Value(Light.RED)),
        When(filed, then=Value(Light.YELLOW)),
        default=Value(Light.GREY),
        output_field=models.CharField(),
    )
