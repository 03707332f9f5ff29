"""Dashboard reads: QuerySets and aggregate queries, each a fixed number of SQL statements.

Every figure on the dashboards is counted by the database (``Count(filter=…)``, ``Case/When``);
Python only arranges the few aggregated rows that come back. The obligation statuses below are
used both for counting (unit view, overview rates) and for the drill-down lists, so a list always
holds exactly the rows its figure counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connections
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Left, NullIf, RowNumber

from dashboard.lights import Light, item_counts, item_light, obligation_light
from reports.models import Obligation, Period, ProgressStatus, Report, ReportState
from tasks.models import AssignmentRole, Unit, WorkItem


@dataclass(frozen=True)
class Scope:
    """The filters that stay in the URL below a period: chapter and unit kind."""

    chapter: int | None = None
    kind: str = ""

    @classmethod
    def from_query(cls, data) -> Scope:
        from dashboard.forms import ScopeForm

        values = ScopeForm.read(data)
        return cls(chapter=values["chapter"], kind=values["kind"] or "")

    def as_query(self) -> dict[str, str]:
        out = {}
        if self.chapter:
            out["chapter"] = str(self.chapter)
        if self.kind:
            out["kind"] = self.kind
        return out

    @property
    def key(self) -> str:
        return f"c{self.chapter or ''}k{self.kind}"


EVERYTHING = Scope()


# --- obligation statuses (unit view columns, overview rates, drill-down lists) ---------------

STATUS_LABELS = {
    "owed": "应报",
    "filed": "已报送",
    "on_time": "按时报送",
    "late": "逾期报送",
    "missing": "未报送",
    "approved": "已审核",
    "returned": "退回修改",
    "completed": "已完成",
    "delayed": "未能按期完成",
}


def status_q(status: str, prefix: str = "") -> Q:
    """The condition for an obligation status, from Obligation (``prefix`` reaches it from elsewhere)."""
    r = f"{prefix}report__"

    def q(**lookups: object) -> Q:
        return Q(**{f"{r}{k}": v for k, v in lookups.items()})

    filed = q(state__in=ReportState.FILED)
    conditions = {
        "owed": Q(**{f"{prefix}id__isnull": False}),
        "filed": filed,
        "on_time": filed & q(is_late=False),
        "late": filed & q(is_late=True),
        # Spelled out for the LEFT JOIN: NOT (NULL IN …) is NULL in SQL, not true.
        "missing": Q(**{f"{prefix}report__isnull": True}) | ~filed,
        "approved": q(state=ReportState.APPROVED),
        "returned": q(state=ReportState.RETURNED),
        # "已完成" counts only what the office approved, as the green light does.
        "completed": q(state=ReportState.APPROVED, progress=ProgressStatus.COMPLETED),
        "delayed": filed & q(progress=ProgressStatus.DELAYED),
    }
    return conditions[status]


def status_counts(prefix: str = "") -> dict:
    ident = f"{prefix}id"
    return {f"n_{status}": Count(ident, filter=status_q(status, prefix)) for status in STATUS_LABELS}


def _rate(part: str, whole: str) -> ExpressionWrapper:
    # NULLIF keeps an empty denominator from dividing by zero: the rate is then NULL ("—").
    return ExpressionWrapper(F(part) * Value(100.0) / NullIf(F(whole), 0), output_field=FloatField())


# --- obligations ---------------------------------------------------------------------------

def period_obligations(period: Period, scope: Scope = EVERYTHING) -> QuerySet[Obligation]:
    qs = Obligation.objects.filter(period=period)
    if scope.chapter:
        qs = qs.filter(item__chapter_id=scope.chapter)
    if scope.kind:
        qs = qs.filter(unit__kind=scope.kind)
    return qs


def obligation_totals(period: Period, scope: Scope = EVERYTHING) -> dict[str, int]:
    return period_obligations(period, scope).order_by().aggregate(**status_counts())


def obligation_list(period: Period, scope: Scope, *, status: str = "owed", unit: int | None = None,
                    item: int | None = None, today: dt.date, user) -> QuerySet[Obligation]:
    """The drill-down list behind an obligation figure; each row's report (``seen``) only where ``user`` may
    read it, so another unit's draft shows as 未填报."""
    qs = period_obligations(period, scope).filter(status_q(status))
    if unit:
        qs = qs.filter(unit_id=unit)
    if item:
        qs = qs.filter(item_id=item)
    return (
        qs.with_visible_report(user).select_related("item", "unit", "seen")
        .annotate(light=obligation_light(today))
        .order_by("item__seq", "unit__order", "unit__name")
    )


# --- items and lights ----------------------------------------------------------------------

def items_for_dashboard(period: Period, today: dt.date, scope: Scope = EVERYTHING) -> QuerySet[WorkItem]:
    """The period's items, each annotated with its obligation counts and its light."""
    qs = WorkItem.objects.filter(plan_id=period.plan_id)
    if scope.chapter:
        qs = qs.filter(chapter_id=scope.chapter)
    where = Q(ob__unit__kind=scope.kind) if scope.kind else None
    qs = (
        qs.annotate(ob=FilteredRelation("obligations", condition=Q(obligations__period_id=period.pk)))
        .annotate(**item_counts("ob", where), period_due=Value(period.due_on, output_field=DateField()))
        .annotate(light=item_light(today))
    )
    if scope.kind:
        qs = qs.filter(n_owed__gt=0)
    return qs.order_by("seq")


def items_for_periods(period_ids: list[int], plan_ids: list[int], today: dt.date) -> QuerySet[WorkItem]:
    """Items of several plans, each with its light in its plan's period among ``period_ids``."""
    return (
        WorkItem.objects.filter(plan_id__in=plan_ids).order_by()
        .annotate(ob=FilteredRelation("obligations", condition=Q(obligations__period_id__in=period_ids)))
        .annotate(**item_counts("ob"), period_due=Subquery(
            Period.objects.filter(plan_id=OuterRef("plan_id"), id__in=period_ids).order_by().values("due_on")[:1]
        ))
        .annotate(light=item_light(today))
    )


def count_grouped(qs: QuerySet, *fields: str, sums: tuple[str, ...] = ()) -> list[tuple]:
    """``SELECT fields, COUNT(*), SUM(sums…) FROM (qs) GROUP BY fields``: counts over per-row aggregates.

    Django cannot aggregate over an annotation that is itself an aggregate (an item's light is
    computed from counts over its obligations), so the item query becomes a derived table.
    """
    inner = qs.order_by().values(*fields, *sums)
    sql, params = inner.query.get_compiler(using=qs.db).as_sql()
    quote = connections[qs.db].ops.quote_name
    cols = ", ".join(quote(f) for f in fields)
    totals = "".join(f", SUM({quote(f)})" for f in sums)
    outer = f"SELECT {cols}, COUNT(*){totals} FROM ({sql}) dash_sub GROUP BY {cols}"
    with connections[qs.db].cursor() as cursor:
        cursor.execute(outer, params)
        return cursor.fetchall()


def light_counts_by(qs: QuerySet, field: str) -> dict:
    """{field value: {light: count}} for items annotated with a light."""
    out: dict = {}
    for key, light, n in count_grouped(qs, field, "light"):
        out.setdefault(key, dict.fromkeys(Light.values, 0))[light] = n
    return out


def red_reason(row: dict, today: dt.date, missing: list[str] | None = None) -> tuple[str, int]:
    """Why an item is red and for how many days (0 when it is red only for a 未能按期完成 report).

    ``missing`` names the units that have not filed (``missing_units``): a leader wants to know which.
    """
    done = (row["n_lead"] and row["n_lead_done"] == row["n_lead"]) or (
        not row["n_lead"] and row["n_owed"] and row["n_done"] == row["n_owed"]
    )
    if row["deadline"] < today and not done:
        return "已过完成时限未完成", (today - row["deadline"]).days
    due = row["period_due"]
    if due and due < today and row["n_filed"] < row["n_owed"]:
        days = (today - due).days
        n = row["n_owed"] - row["n_filed"]
        names = "、".join(missing or [])
        return (f"{n} 家单位逾期未报送（{names}，逾期 {days} 天）" if names else f"{n} 家单位逾期未报送"), days
    return "报告称未能按期完成", 0


def lead_units(period: Period, item_ids) -> dict[int, list[str]]:
    rows = (
        Obligation.objects.filter(period=period, item_id__in=item_ids, role=AssignmentRole.LEAD)
        .order_by("unit__order", "unit__name")
        .values_list("item_id", "unit__short_name", "unit__name")
    )
    out: dict[int, list[str]] = {}
    for item_id, short, name in rows:
        out.setdefault(item_id, []).append(short or name)
    return out


def missing_units(period: Period, item_ids, scope: Scope | None = None) -> dict[int, list[str]]:
    """Per item, the units whose report for the period is not filed (one query), in registry order."""
    qs = period_obligations(period, scope or EVERYTHING).filter(item_id__in=item_ids).filter(status_q("missing"))
    out: dict[int, list[str]] = {}
    for item_id, short, name in qs.order_by("unit__order", "unit__name").values_list(
            "item_id", "unit__short_name", "unit__name"):
        out.setdefault(item_id, []).append(short or name)
    return out


# --- units -----------------------------------------------------------------------------------

# The ranking rule, printed on the page: filing rate, then on-time rate, then approved share,
# then completed share, all high to low. Units equal on all four share a rank (1, 2, 2, 4, as the assessment
# ranks: ``fazhi.ranking.shared_ranks``) and are listed in registry order.
RANK_FIELDS = ("filed_rate", "on_time_rate", "approved_rate", "completed_rate")
RANKING = (
    *(F(field).desc(nulls_last=True) for field in RANK_FIELDS),
    F("order").asc(),
    F("name").asc(),
)
UNIT_SORTS = {
    "rank": (),
    "name": (F("order").asc(), F("name").asc()),
    **{col: (F(f"n_{col}").desc(),) for col in ("owed", "filed", "on_time", "approved", "returned", "completed")},
    "filed_rate": (F("filed_rate").desc(nulls_last=True),),
    "on_time_rate": (F("on_time_rate").desc(nulls_last=True),),
}
RANKING_TEXT = ("排名规则：依次比较报送率、按时报送率、审核通过率、完成率（均从高到低）；四项都相同的单位名次并列"
                "（如 1、2、2、4），按单位顺序列出。")


def units_for_dashboard(period: Period, scope: Scope = EVERYTHING) -> QuerySet[Unit]:
    """Every unit owing reports in the period, with its counts and rates, in ranking order (``rank`` is the
    position in that order; ``summaries.units`` turns it into shared ranks)."""
    cond = Q(obligations__period=period)
    if scope.chapter:
        cond &= Q(obligations__item__chapter_id=scope.chapter)
    qs = Unit.objects.filter(cond)
    if scope.kind:
        qs = qs.filter(kind=scope.kind)
    return (
        qs.annotate(**status_counts("obligations__"))
        .annotate(
            filed_rate=_rate("n_filed", "n_owed"),
            on_time_rate=_rate("n_on_time", "n_owed"),
            approved_rate=_rate("n_approved", "n_owed"),
            completed_rate=_rate("n_completed", "n_owed"),
        )
        .annotate(rank=Window(RowNumber(), order_by=RANKING))
        .order_by("rank")
    )


# --- matrix ----------------------------------------------------------------------------------

def matrix_cells(period: Period, today: dt.date, scope: Scope = EVERYTHING, *, user) -> QuerySet:
    """One row per cell; the report's fields (``seen__…``) only where ``user`` may read the report."""
    return period_obligations(period, scope).with_visible_report(user).order_by().values(
        "item_id", "unit_id", "role", "seen__id", "seen__state", "seen__progress",
        "seen__percent", "seen__submitted_at", "seen__is_late",
    ).annotate(
        summary=Coalesce(Left("seen__measures", 80), Value("")),
        light=obligation_light(today),
    )


# --- trends ----------------------------------------------------------------------------------

def latest_period_ids(year: int) -> QuerySet[Period]:
    """For every plan of the year, the latest period that has filings (else its latest period), with the due date
    and name of the plan's next period (``next_due``, ``next_name``), in one query.

    A year-end round with nothing filed yet would otherwise hide the half-year's progress."""
    of_plan = Period.objects.filter(plan=OuterRef("plan")).order_by("-due_on", "-id")
    has_filings = Exists(Report.objects.filter(obligation__period=OuterRef("pk"), state__in=ReportState.FILED))
    chosen = Coalesce(Subquery(of_plan.filter(has_filings).values("id")[:1]), Subquery(of_plan.values("id")[:1]))
    following = Period.objects.filter(plan=OuterRef("plan"), due_on__gt=OuterRef("due_on")).order_by("due_on", "id")
    return Period.objects.filter(plan__year=year, id=chosen).annotate(
        next_due=Subquery(following.values("due_on")[:1]), next_name=Subquery(following.values("name")[:1]),
    )
