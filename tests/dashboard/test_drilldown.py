"""Every figure drills down to a list holding exactly the rows it counted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dashboard import summaries
from dashboard.queries import STATUS_LABELS, units_for_dashboard
from tests.dashboard.conftest import TODAY

pytestmark = pytest.mark.django_db


def _count(html: str) -> int:
    return int(re.search(r"（共 (\d+) [项份]）", html).group(1))


def test_light_counts_drill_down_to_item_lists_of_the_same_size(leader_client, dash):
    data = summaries.overview(dash.period, TODAY)
    url = reverse("dashboard:items", args=[dash.period.pk])
    for x in data["lights"]:
        html = leader_client.get(url, {"light": x["light"]}).content.decode()
        assert _count(html) == x["count"] == html.count('class="item-row"')


def test_chapter_red_counts_drill_down(leader_client, dash):
    data = summaries.overview(dash.period, TODAY)
    for chapter in data["chapters"]:
        html = leader_client.get(reverse("dashboard:items", args=[dash.period.pk]),
                                 {"chapter": chapter["id"], "light": "red"}).content.decode()
        assert _count(html) == chapter["red"]


def test_overview_obligation_figures_drill_down(leader_client, dash):
    ob = summaries.overview(dash.period, TODAY)["ob"]
    url = reverse("dashboard:obligations", args=[dash.period.pk])
    for status in STATUS_LABELS:
        html = leader_client.get(url, {"status": status}).content.decode()
        assert _count(html) == ob[f"n_{status}"] == html.count('class="ob-row"'), status


def test_unit_view_figures_drill_down_per_unit(leader_client, dash):
    url = reverse("dashboard:obligations", args=[dash.period.pk])
    for unit in units_for_dashboard(dash.period):
        for status in ("owed", "filed", "on_time", "approved", "returned", "completed"):
            html = leader_client.get(url, {"status": status, "unit": unit.pk}).content.decode()
            assert _count(html) == getattr(unit, f"n_{status}"), (unit.name, status)


def test_missing_list_names_the_unit_that_never_reported(leader_client, dash):
    html = leader_client.get(reverse("dashboard:obligations", args=[dash.period.pk]),
                             {"status": "missing"}).content.decode()
    assert "第三局" in html and "未填报" in html
