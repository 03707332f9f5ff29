"""The all-plans overview of one year: one row per plan on its latest period, totals across plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dashboard import summaries
from tests.dashboard.conftest import TODAY
from tests.factories import ObligationFactory, PeriodFactory, PlanFactory, ReportFactory, WorkItemFactory

pytestmark = pytest.mark.django_db


def test_each_plan_is_shown_on_its_latest_period(dash):
    other = PlanFactory(year=2026, title="2026年别的区法治政府建设工作要点", issuer="别的区人民政府办公室")
    PeriodFactory(plan=other, name="2026年半年报", due_on=dt.date(2026, 7, 10))
    latest = PeriodFactory(plan=other, name="2026年年终报告", due_on=dt.date(2027, 1, 10))
    item = WorkItemFactory(plan=other)
    ReportFactory(obligation=ObligationFactory(period=latest, item=item), state="approved", progress="completed")

    cards = {c["plan"]: c for c in summaries.year_overview(2026, TODAY)}
    assert cards[other.title]["period_id"] == latest.pk
    assert cards[other.title]["lights"] == {"green": 1, "yellow": 0, "red": 0, "grey": 0}
    mine = cards[dash.plan.title]
    assert mine["lights"] == {"green": 1, "yellow": 1, "red": 2, "grey": 0}
    assert (mine["owed"], mine["filed_pct"], mine["on_time_pct"]) == (7, 85.7, 71.4)
    totals = summaries.year_totals(list(cards.values()))
    assert totals["items"] == 5 and totals["lights"]["green"] == 2


def test_year_page_links_each_count_to_its_item_list(leader_client, dash):
    html = leader_client.get(reverse("dashboard:year", args=[2026])).content.decode()
    assert f'{reverse("dashboard:items", args=[dash.period.pk])}?light=red">2<' in html


def test_year_without_plans_is_404(leader_client, dash):
    assert leader_client.get(reverse("dashboard:year", args=[2031])).status_code == 404


def test_a_plan_whose_latest_period_has_no_filings_shows_the_latest_with_filings_and_the_next_due_date(
        leader_client, dash):
    other = PlanFactory(year=2026, title="2026年别的区法治政府建设工作要点", issuer="别的区人民政府办公室")
    half = PeriodFactory(plan=other, name="2026年半年报", due_on=dt.date(2026, 7, 10))
    year_end = PeriodFactory(plan=other, name="2026年年终报告", due_on=dt.date(2027, 1, 10))
    item = WorkItemFactory(plan=other)
    ReportFactory(obligation=ObligationFactory(period=half, item=item), state="submitted", progress="in_progress")
    ReportFactory(obligation=ObligationFactory(period=year_end, item=item), state="draft")  # not a filing

    card = {c["plan"]: c for c in summaries.year_overview(2026, TODAY)}[other.title]
    assert (card["period_id"], card["next_due"], card["next_name"]) == (half.pk, year_end.due_on, "2026年年终报告")
    assert card["lights"]["yellow"] == 1
    html = leader_client.get(reverse("dashboard:year", args=[2026])).content.decode()
    assert "下一期次“2026年年终报告”1月10日截止" in html
