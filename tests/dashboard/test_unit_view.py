"""The unit view: per-unit counts and the ranking rule printed on the page."""

from __future__ import annotations

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
