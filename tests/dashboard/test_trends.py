"""Trends: filing and completion by week within a period, and the same period year over year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboard import summaries
from tests.dashboard.conftest import TODAY
from tests.factories import ObligationFactory, PeriodFactory, PlanFactory, ReportFactory, WorkItemFactory

pytestmark = pytest.mark.django_db


def test_weekly_rows_accumulate_filed_and_completed_reports(dash):
    data = summaries.trends(dash.period, TODAY)
    assert data["owed"] == 7
    # All six filed reports were first submitted on 2026-07-01 (a Wednesday); one completed report approved 07-12.
    rows = [(w["week"], w["filed"], w["filed_cum"], w["filed_pct"], w["done"], w["done_cum"]) for w in data["weeks"]]
    assert rows == [
        (dt.date(2026, 6, 29), 6, 6, 85.7, 0, 0),
        (dt.date(2026, 7, 6), 0, 6, 85.7, 1, 1),
    ]


def test_year_over_year_compares_the_same_issuers_same_kind_of_period(dash):
    last_year = PlanFactory(year=2025, issuer=dash.plan.issuer)
    period = PeriodFactory(plan=last_year, name="2025年半年报", due_on=dt.date(2025, 7, 10))
    item = WorkItemFactory(plan=last_year)
    ReportFactory(obligation=ObligationFactory(period=period, item=item), state="approved", progress="completed")
    ObligationFactory(period=period, item=item)  # never reported
    other_issuer = PlanFactory(year=2025, issuer="别的区人民政府办公室")
    ObligationFactory(period=PeriodFactory(plan=other_issuer, due_on=dt.date(2025, 7, 10)))

    years = summaries.trends(dash.period, TODAY)["years"]
    assert [(y["year"], y["owed"], y["filed_pct"], y["completed_pct"]) for y in years] == [
        (2025, 2, 50.0, 50.0),
        (2026, 7, 85.7, 14.3),
    ]


def test_trends_page_shows_tables_under_the_charts(leader_client, dash):
    html = leader_client.get(reverse("dashboard:trends", args=[dash.period.pk])).content.decode()
    assert "2026-06-29" in html and "85.7%" in html
    assert 'id="chart-data"' in html and 'data-chart="weeks"' in html
