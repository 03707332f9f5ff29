"""Every dashboard page and read runs the same number of queries with 1 and with 50 items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard import queries, summaries
from reports.models import Obligation, Report
from tests.factories import ChapterFactory, PeriodFactory, PlanFactory, UnitFactory, WorkItemFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 8, 1)
STATES = [("approved", "completed"), ("submitted", "in_progress"), ("returned", "in_progress"),
          ("submitted", "delayed"), None]


def _period_with(n_items: int, n_units: int = 3):
    plan = PlanFactory(year=2026)
    period = PeriodFactory(plan=plan, due_on=dt.date(2026, 7, 10))
    chapters = [ChapterFactory(plan=plan, seq=i + 1) for i in range(2)]
    units = [UnitFactory() for _ in range(n_units)]
    obligations = []
    for i in range(n_items):
        item = WorkItemFactory(plan=plan, chapter=chapters[i % 2], seq=i + 1)
        for j, unit in enumerate(units):
            role = "lead" if j == 0 else "responsible"
            obligations.append(Obligation(period=period, item=item, unit=unit, role=role))
    Obligation.objects.bulk_create(obligations)
    reports = []
    for k, ob in enumerate(Obligation.objects.filter(period=period)):
        spec = STATES[k % len(STATES)]
        if spec:
            reports.append(Report(obligation=ob, state=spec[0], progress=spec[1], delay_reason="原因",
                                  submitted_at=dt.datetime(2026, 7, 1, tzinfo=dt.UTC),
                                  reviewed_at=dt.datetime(2026, 7, 2, tzinfo=dt.UTC)))
    Report.objects.bulk_create(reports)
    return period


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


READS = {
    "items_for_dashboard": lambda p: list(queries.items_for_dashboard(p, TODAY)),
    "units_for_dashboard": lambda p: list(queries.units_for_dashboard(p)),
    "matrix_cells": lambda p: list(queries.matrix_cells(p, TODAY, user=None)),
    "obligation_list": lambda p: [getattr(o, "seen", None)
                                  for o in queries.obligation_list(p, queries.EVERYTHING, today=TODAY, user=None)],
    "overview": lambda p: summaries._overview(p, TODAY, queries.EVERYTHING),
    "trends": lambda p: summaries._trends(p),
    "year_cards": lambda p: summaries._plan_cards([p], TODAY),
}


@pytest.mark.parametrize("name", READS)
def test_reads_run_a_fixed_number_of_queries(name):
    small, large = _period_with(1), _period_with(50)
    assert _queries(lambda: READS[name](small)) == _queries(lambda: READS[name](large))


PAGES = ["overview", "units", "matrix", "trends", "items", "obligations"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_run_a_fixed_number_of_queries(leader_client, page):
    from django.core.cache import cache

    small, large = _period_with(1), _period_with(50)
    counts = []
    for period in (small, large):
        cache.clear()
        counts.append(_queries(lambda p=period: leader_client.get(reverse(f"dashboard:{page}", args=[p.pk]))))
    assert counts[0] == counts[1]


def test_year_overview_runs_a_fixed_number_of_queries(leader_client):
    from django.core.cache import cache

    _period_with(1)
    cache.clear()
    one = _queries(lambda: leader_client.get(reverse("dashboard:year", args=[2026])))
    for _ in range(3):
        _period_with(20)
    cache.clear()
    four = _queries(lambda: leader_client.get(reverse("dashboard:year", args=[2026])))
    assert one == four
