"""The unit view: per-unit counts and the ranking rule printed on the page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dashboard.queries import RANKING_TEXT, units_for_dashboard

pytestmark = pytest.mark.django_db


def test_unit_counts_match_the_fixture(dash):
    rows = {u.short_name: u for u in units_for_dashboard(dash.period)}
    cols = ("n_owed", "n_filed", "n_on_time", "n_approved", "n_returned", "n_completed")
    assert {name: tuple(getattr(u, c) for c in cols) for name, u in rows.items()} == {
        "司法局": (2, 2, 1, 1, 0, 1),
        "甲镇": (2, 2, 2, 1, 0, 0),
        "第三局": (3, 2, 2, 1, 1, 0),
    }


def test_ranking_follows_the_written_rule(leader_client, dash):
    # 甲镇 and 司法局 filed everything; 甲镇 was on time for both. 第三局 missed one.
    assert [u.short_name for u in units_for_dashboard(dash.period)] == ["甲镇", "司法局", "第三局"]
    html = leader_client.get(reverse("dashboard:units", args=[dash.period.pk])).content.decode()
    assert RANKING_TEXT in html


def test_sorting_by_a_column_keeps_the_rule_rank(leader_client, dash):
    response = leader_client.get(reverse("dashboard:units", args=[dash.period.pk]), {"sort": "owed"})
    rows = response.context["rows"]
    assert rows[0]["name"] == "测试市第三局"
    assert rows[0]["rank"] == 3


def test_units_equal_on_every_ranking_figure_share_a_rank_as_the_assessment_does(leader_client, dash):
    from tests.factories import ObligationFactory, ReportFactory, UnitFactory

    # Two more units, equal on all four figures: each filed its one report late, nothing approved yet.
    twins = [UnitFactory(name=f"测试市双胞胎{n}局", short_name=f"双胞胎{n}局", order=90 + n) for n in (1, 2)]
    for unit in twins:
        ob = ObligationFactory(period=dash.period, item=dash.items[0], unit=unit, role="responsible")
        ReportFactory(obligation=ob, state="submitted", progress="in_progress", is_late=True)
    response = leader_client.get(reverse("dashboard:units", args=[dash.period.pk]))
    html, rows = response.content.decode(), response.context["rows"]
    # 甲镇 (all on time) 1; 司法局 2; the twins (filed everything, nothing on time, nothing approved) tie at 3;
    # 第三局 (filed two of three) comes after them at 5.
    assert [(r["rank"], r["name"]) for r in rows] == [
        (1, "测试市甲镇人民政府"), (2, "测试市司法局"), (3, "测试市双胞胎1局"), (3, "测试市双胞胎2局"),
        (5, "测试市第三局"),
    ]
    ranks = re.findall(r'<tr>\s*<td class="num">(\d+)</td>', html)
    assert ranks == ["1", "2", "3", "3", "5"]
    assert "名次并列（如 1、2、2、4）" in html
    sorted_rows = leader_client.get(reverse("dashboard:units", args=[dash.period.pk]), {"sort": "name"}).context["rows"]
    assert {r["name"]: r["rank"] for r in sorted_rows}["测试市双胞胎2局"] == 3
