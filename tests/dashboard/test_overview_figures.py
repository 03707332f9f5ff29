"""Every number on the plan overview, against the hand-computed fixture in conftest.py."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dashboard import summaries
from tests.dashboard.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_overview_counts_lights_rates_and_chapters(dash):
    data = summaries.overview(dash.period, TODAY)
    assert data["items_total"] == 4
    assert {x["light"]: (x["count"], x["share"]) for x in data["lights"]} == {
        "green": (1, 25.0), "red": (2, 50.0), "yellow": (1, 25.0), "grey": (0, 0.0),
    }
    ob = data["ob"]
    assert (ob["n_owed"], ob["n_filed"], ob["n_on_time"], ob["n_missing"]) == (7, 6, 5, 1)
    assert (ob["n_approved"], ob["n_returned"], ob["n_completed"], ob["n_late"]) == (3, 1, 1, 1)
    assert data["filed_rate"] == 85.7
    assert data["on_time_rate"] == 71.4
    assert [(c["label"], c["total"], c["green"], c["yellow"], c["grey"], c["red"], c["done_pct"])
            for c in data["chapters"]] == [
        ("一、依法全面履行政府职能", 2, 1, 0, 0, 1, 50.0),
        ("二、健全依法行政制度体系", 2, 0, 1, 0, 1, 0),
    ]


def test_red_list_names_lead_units_the_units_not_filed_and_days_overdue_longest_first(dash):
    red = summaries.overview(dash.period, TODAY)["red_list"]
    assert [(r["label"], r["leads"], r["reason"], r["days"]) for r in red] == [
        ("(四)推进合法性审核全覆盖", ["第三局"], "已过完成时限未完成", 32),
        ("(二)优化法治化营商环境", ["司法局"], "1 家单位逾期未报送（第三局，逾期 22 天）", 22),
    ]


def test_latest_approved_reports_listed(dash):
    approved = summaries.overview(dash.period, TODAY)["approved"]
    assert {a["report_id"] for a in approved} == {dash.reports.a1.pk, dash.reports.b1.pk, dash.reports.c4.pk}


def test_overview_page_renders_the_figures(leader_client, dash):
    html = leader_client.get(reverse("dashboard:overview", args=[dash.period.pk])).content.decode()
    assert "85.7%" in html and "71.4%" in html
    assert "推进合法性审核全覆盖" in html and "32 天" in html
    assert re.search(r"逾期或滞后</span>\s*<span class=\"kpi-value\">2<", html)
    assert "<script>" not in html and 'style="' not in html


def test_unit_kind_filter_restricts_counts_to_those_units(dash):
    from dashboard.queries import Scope

    data = summaries.overview(dash.period, TODAY, Scope(kind="town"))
    # Only 甲镇 (B) is a town: it owes item 1 (approved 推进中) and item 3 (submitted).
    assert data["ob"]["n_owed"] == 2
    assert data["items_total"] == 2


def test_dashboard_home_opens_the_latest_period_with_filings_not_an_empty_year_end(leader_client, dash):
    from tests.factories import PeriodFactory

    PeriodFactory(plan=dash.plan, name="2026年年终报告", due_on="2027-01-10", kind="year_end")
    response = leader_client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard:overview", args=[dash.period.pk])
    html = leader_client.get(response.url).content.decode()
    assert "2026年半年报" in html
    # The next round's due date beside it.
    assert re.search(r"下一期：<a href=\"[^\"]+\">2026年年终报告</a>，2027年1月10日截止", html)


def test_dashboard_home_moves_to_the_year_end_once_something_is_filed_there(leader_client, dash,
                                                                            django_capture_on_commit_callbacks):
    from reports.cachekeys import bump_period_version
    from tests.factories import ObligationFactory, PeriodFactory, ReportFactory

    later = PeriodFactory(plan=dash.plan, name="2026年年终报告", due_on="2027-01-10", kind="year_end")
    ob = ObligationFactory(period=later, item=dash.items[0], unit=dash.units.a, role="lead")
    draft = ReportFactory(obligation=ob, state="draft", progress="in_progress")
    assert leader_client.get(reverse("dashboard:home")).url == reverse("dashboard:overview", args=[dash.period.pk])
    draft.state = "submitted"
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        bump_period_version(later.pk)  # as every report transition does: the cached choice is read again
    response = leader_client.get(reverse("dashboard:home"))
    assert response.url == reverse("dashboard:overview", args=[later.pk])
    assert "下一期" not in leader_client.get(response.url).content.decode()


def test_dashboard_home_without_filings_anywhere_opens_the_current_plans_latest_period(leader_client):
    from tests.factories import PeriodFactory, PlanFactory

    plan = PlanFactory(year=2026)
    PeriodFactory(plan=plan, name="半年", due_on="2026-07-10")
    year_end = PeriodFactory(plan=plan, name="年终", due_on="2026-12-10", kind="year_end")
    PeriodFactory(plan=PlanFactory(year=2025), name="去年", due_on="2025-12-10")
    assert leader_client.get(reverse("dashboard:home")).url == reverse("dashboard:overview", args=[year_end.pk])


def test_choosing_a_plan_in_the_filter_opens_its_latest_period_with_filings(leader_client, dash):
    from tests.factories import PeriodFactory

    PeriodFactory(plan=dash.plan, name="2026年年终报告", due_on="2027-01-10", kind="year_end")
    response = leader_client.get(reverse("dashboard:go"), {"plan": dash.plan.pk, "view": "units"})
    assert response.url == reverse("dashboard:units", args=[dash.period.pk])


def test_dashboard_home_reads_its_choice_from_the_cache(leader_client, dash):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("dashboard:home")
    with CaptureQueriesContext(connection) as first:
        leader_client.get(url)
    with CaptureQueriesContext(connection) as second:
        leader_client.get(url)
    assert any("reports_report" in q["sql"] for q in first.captured_queries)
    assert not any("reports_" in q["sql"] for q in second.captured_queries)
