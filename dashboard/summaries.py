"""The figures each dashboard shows, computed by ``queries`` and cached per (plan, period).

Cache keys carry ``period_version(period.id)``, which every report transition bumps, and the
day (lights depend on it): a stale figure is never served and no key is ever deleted.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from dashboard import queries
from dashboard.lights import LEGEND, LIGHT_ORDER, Light
from dashboard.queries import Scope
from fazhi.db_router import keep_for
from fazhi.ranking import shared_ranks
from reports.cachekeys import period_version, period_versions
from reports.models import Obligation, Period, ProgressStatus, Report, ReportState
from tasks.cachekeys import registry_version
from tasks.models import Chapter

CACHE_SECONDS = 60 * 60


def pct(part: int | None, whole: int | None) -> float | None:
    return round(part * 100.0 / whole, 1) if whole else None


def cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, keep_for(CACHE_SECONDS))
    return value


def cache_key(kind: str, period: Period, today: dt.date, *parts: object, version: int | None = None,
              registry: int | None = None) -> str:
    """Figures of a period on a day, under the period's version (its reports) and the registry's (the unit,
    item and chapter names and groups they are shown with: a renamed unit shows at once)."""
    extra = ":".join(str(p) for p in parts)
    version = period_version(period.pk) if version is None else version
    registry = registry_version() if registry is None else registry
    return f"fazhi:dash:{kind}:{period.pk}:v{version}:r{registry}:{today.isoformat()}:{extra}"


# --- plan overview for a period ------------------------------------------------------------

def overview(period: Period, today: dt.date, scope: Scope = queries.EVERYTHING) -> dict:
    return cached(cache_key("overview", period, today, scope.key), lambda: _overview(period, today, scope))


def _overview(period: Period, today: dt.date, scope: Scope) -> dict:
    items = queries.items_for_dashboard(period, today, scope)
    by_chapter = queries.light_counts_by(items, "chapter_id")
    chapters = []
    totals = dict.fromkeys(Light.values, 0)
    for chapter in Chapter.objects.filter(plan_id=period.plan_id).order_by("seq"):
        counts = by_chapter.pop(chapter.pk, None)
        if counts is None:
            continue
        chapters.append(_chapter_row(chapter.pk, str(chapter), counts))
    for chapter_id, counts in by_chapter.items():  # items without a chapter
        chapters.append(_chapter_row(chapter_id, "（未分章）", counts))
    for row in chapters:
        for light in Light.values:
            totals[light] += row[light]
    items_total = sum(totals.values())

    red_items = items.filter(light=Light.RED)
    red_rows = list(
        red_items.values("id", "number", "title", "deadline", "period_due", "n_owed", "n_lead", "n_filed", "n_done",
                         "n_lead_done")
    )
    # The red items as a subquery, so the lead units take one query even when nothing is red.
    leads = queries.lead_units(period, red_items.values("id"))
    missing = queries.missing_units(period, red_items.values("id"), scope) if period.due_on < today else {}
    red_list = []
    for row in red_rows:
        reason, days = queries.red_reason(row, today, missing.get(row["id"]))
        red_list.append({"id": row["id"], "label": f"{row['number']}{row['title']}", "leads": leads.get(row["id"], []),
                         "reason": reason, "days": days, "deadline": row["deadline"],
                         "missing": missing.get(row["id"], [])})
    red_list.sort(key=lambda r: -r["days"])

    ob = queries.obligation_totals(period, scope)
    # Driven from the period's obligations (an index range), never from all approved reports of all years.
    approved = (
        queries.period_obligations(period, scope).filter(report__state=ReportState.APPROVED)
        .select_related("item", "unit", "report")
        .order_by("-report__reviewed_at", "-report__id")[:8]
    )
    return {
        "items_total": items_total,
        "lights": [
            {"light": light, "label": label, "rule": rule, "count": totals[light],
             "share": pct(totals[light], items_total)}
            for light, label, rule in sorted(LEGEND, key=lambda x: LIGHT_ORDER.index(x[0]))
        ],
        "chapters": chapters,
        "ob": ob,
        "filed_rate": pct(ob["n_filed"], ob["n_owed"]),
        "on_time_rate": pct(ob["n_on_time"], ob["n_owed"]),
        "approved_rate": pct(ob["n_approved"], ob["n_owed"]),
        "red_list": red_list,
        "approved": [
            {"report_id": o.report.pk, "item": str(o.item), "unit": o.unit.short_name or o.unit.name,
             "progress": o.report.get_progress_display(), "reviewed_at": o.report.reviewed_at}
            for o in approved
        ],
    }


def _chapter_row(chapter_id: int | None, label: str, counts: dict[str, int]) -> dict:
    total = sum(counts.values())
    return {"id": chapter_id, "label": label, "total": total, **counts,
            "done_pct": pct(counts[Light.GREEN], total) or 0}


# --- units -------------------------------------------------------------------------------

def units(period: Period, today: dt.date, scope: Scope, sort: str, columns: list[str]) -> list[dict]:
    return cached(cache_key("units", period, today, scope.key, sort), lambda: _units(period, scope, sort, columns))


def _units(period: Period, scope: Scope, sort: str, columns: list[str]) -> list[dict]:
    qs = queries.units_for_dashboard(period, scope)
    if queries.UNIT_SORTS.get(sort):
        qs = qs.order_by(*queries.UNIT_SORTS[sort], "rank")
    units = list(qs)
    # Ties share a rank, whatever column the page is sorted by: number the units in ranking order.
    in_rank_order = sorted(units, key=lambda u: u.rank)
    ranks = dict(zip((u.pk for u in in_rank_order),
                     shared_ranks([tuple(getattr(u, f) for f in queries.RANK_FIELDS) for u in in_rank_order]),
                     strict=True))
    return [
        {"rank": ranks[u.pk], "id": u.pk, "name": u.name, "kind": u.get_kind_display(),
         "cells": [{"status": c, "label": queries.STATUS_LABELS[c], "value": getattr(u, f"n_{c}")} for c in columns],
         "filed_rate": _round(u.filed_rate), "on_time_rate": _round(u.on_time_rate)}
        for u in units
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


# --- trends --------------------------------------------------------------------------------

def trends(period: Period, today: dt.date) -> dict:
    return cached(cache_key("trends", period, today), lambda: _trends(period))


def _trends(period: Period) -> dict:
    owed = Obligation.objects.filter(period=period).count()
    reports = Report.objects.filter(obligation__period=period)
    # A report is filed in the week of its first submission (a resubmission after a return is not new).
    filed_by_week = dict(
        reports.filter(state__in=ReportState.FILED)
        .annotate(week=TruncWeek(Coalesce("first_submitted_at", "submitted_at")))
        .order_by("week").values("week").annotate(n=Count("id")).values_list("week", "n")
    )
    done_by_week = dict(
        reports.filter(state=ReportState.APPROVED, progress=ProgressStatus.COMPLETED, reviewed_at__isnull=False)
        .annotate(week=TruncWeek("reviewed_at"))
        .order_by("week").values("week").annotate(n=Count("id")).values_list("week", "n")
    )
    weeks = sorted(set(filed_by_week) | set(done_by_week))
    rows, filed_cum, done_cum = [], 0, 0
    for week in weeks:  # a few dozen aggregated buckets, not report rows
        filed_cum += filed_by_week.get(week, 0)
        done_cum += done_by_week.get(week, 0)
        rows.append({"week": _as_date(week), "filed": filed_by_week.get(week, 0), "filed_cum": filed_cum,
                     "filed_pct": pct(filed_cum, owed), "done": done_by_week.get(week, 0), "done_cum": done_cum,
                     "done_pct": pct(done_cum, owed)})

    plan = period.plan
    yoy = (
        Obligation.objects.filter(period__plan__issuer=plan.issuer, period__kind=period.kind)
        .values("period__plan__year")
        .annotate(**queries.status_counts())
        .order_by("period__plan__year")
    )
    years = [
        {"year": row["period__plan__year"], "owed": row["n_owed"], "filed_pct": pct(row["n_filed"], row["n_owed"]),
         "on_time_pct": pct(row["n_on_time"], row["n_owed"]), "completed_pct": pct(row["n_completed"], row["n_owed"])}
        for row in yoy
    ]
    return {"owed": owed, "weeks": rows, "years": years}


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


# --- all plans of one year ------------------------------------------------------------------

def year_periods(year: int) -> tuple[list[Period], dict[int, int]]:
    """The latest period of every plan of the year, and their cache versions (one query, one cache read)."""
    periods = list(
        queries.latest_period_ids(year).select_related("plan").order_by("plan__issuer", "plan__title", "plan_id")
    )
    return periods, period_versions(p.pk for p in periods)


def year_digest(year: int, today: dt.date, prepared: tuple[list[Period], dict[int, int]]) -> str:
    """Names the year page's content: any transition in any of its periods, a new plan or period, or a renamed
    plan or period changes it."""
    import hashlib

    periods, versions = prepared
    text = "\n".join(f"{p.pk}:{versions[p.pk]}:{p.name}:{p.due_on}:{p.plan.title}:{p.plan.issuer}:{p.next_due}:"
                     f"{p.next_name}" for p in periods)
    return f"fazhi:dash:yearpage:{year}:{today.isoformat()}:{hashlib.sha1(text.encode()).hexdigest()}"


def year_overview(year: int, today: dt.date, prepared: tuple[list[Period], dict[int, int]] | None = None,
                  ) -> list[dict]:
    """One card per plan of the year, on its latest period with filings (with the next period's due date);
    each card cached under its period's version."""
    periods, versions = prepared or year_periods(year)
    registry = registry_version()
    keys = {p.pk: cache_key("plancard", p, today, version=versions[p.pk], registry=registry) for p in periods}
    found = cache.get_many(list(keys.values()))
    missing = [p for p in periods if keys[p.pk] not in found]
    if missing:
        computed = _plan_cards(missing, today)
        cache.set_many({keys[pid]: card for pid, card in computed.items()}, keep_for(CACHE_SECONDS))
        found.update({keys[pid]: card for pid, card in computed.items()})
    cards = []
    for p in periods:
        card = dict(found[keys[p.pk]])
        card.update({"period_id": p.pk, "period": p.name, "plan_id": p.plan_id, "plan": p.plan.title,
                     "issuer": p.plan.issuer, "due_on": p.due_on, "next_due": p.next_due, "next_name": p.next_name})
        cards.append(card)
    return cards


def _plan_cards(periods: list[Period], today: dt.date) -> dict[int, dict]:
    """Lights and filing rates of several plans in one query (items grouped by plan and light)."""
    period_of_plan = {p.plan_id: p.pk for p in periods}
    items = queries.items_for_periods(list(period_of_plan.values()), list(period_of_plan), today)
    counts: dict[int, dict[str, int]] = {}
    filing: dict[int, list[int]] = {}
    for plan_id, light, n, owed, filed, on_time in queries.count_grouped(
        items, "plan_id", "light", sums=("n_owed", "n_filed", "n_on_time")
    ):  # at most four aggregated rows per plan
        counts.setdefault(plan_id, dict.fromkeys(Light.values, 0))[light] = n
        totals = filing.setdefault(plan_id, [0, 0, 0])
        for i, value in enumerate((owed, filed, on_time)):
            totals[i] += int(value or 0)
    cards = {}
    for plan_id, period_id in period_of_plan.items():
        lights = counts.get(plan_id, dict.fromkeys(Light.values, 0))
        total = sum(lights.values())
        owed, filed, on_time = filing.get(plan_id, [0, 0, 0])
        cards[period_id] = {
            "items_total": total,
            "lights": lights,
            "green_pct": pct(lights[Light.GREEN], total),
            "red_pct": pct(lights[Light.RED], total),
            "owed": owed,
            "filed_pct": pct(filed, owed),
            "on_time_pct": pct(on_time, owed),
        }
    return cards


def year_totals(cards: list[dict]) -> dict:
    totals = dict.fromkeys(Light.values, 0)
    for card in cards:
        for light in Light.values:
            totals[light] += card["lights"][light]
    items = sum(totals.values())
    return {"items": items, "lights": totals, "shares": {k: pct(v, items) for k, v in totals.items()}}

