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


def test_dashboard_home_opens_current_plans_latest_period(leader_client, dash):
    from tests.factories import PeriodFactory

    later = PeriodFactory(plan=dash.plan, name="2026年年终报告", due_on="2027-01-10", kind="year_end")
    response = leader_client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response.url == reverse("dashboard:overview", args=[later.pk])
