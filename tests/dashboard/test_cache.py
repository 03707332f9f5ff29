"""Cached figures are keyed by the period version: a report transition shows at once."""

from __future__ import annotations

import pytest

from dashboard import summaries
from reports.services import approve_report
from tests.dashboard.conftest import TODAY

pytestmark = pytest.mark.django_db


def test_overview_is_cached_until_a_report_transition(dash, coordinator, django_assert_num_queries,
                                                      django_capture_on_commit_callbacks):
    first = summaries.overview(dash.period, TODAY)
    assert first["ob"]["n_approved"] == 3
    with django_assert_num_queries(0):
        assert summaries.overview(dash.period, TODAY) == first

    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=dash.reports.b3, user=coordinator)

    after = summaries.overview(dash.period, TODAY)
    assert after["ob"]["n_approved"] == 4


def test_year_cards_are_recomputed_after_a_transition(dash, coordinator, django_capture_on_commit_callbacks):
    (card,) = summaries.year_overview(2026, TODAY)
    assert card["lights"]["green"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=dash.reports.b3, user=coordinator)
    (card,) = summaries.year_overview(2026, TODAY)
    assert card["filed_pct"] == 85.7
    assert summaries.overview(dash.period, TODAY)["ob"]["n_approved"] == 4


def test_warm_dashboards_precomputes_the_year_overview(dash, django_assert_max_num_queries):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("warm_dashboards", "--year", "2026")
    # Warm: the latest-period lookup only, no grouped item query.
    with django_assert_max_num_queries(1):
        summaries.year_overview(2026, timezone.localdate())


def test_rendered_overview_changes_after_a_transition(leader_client, dash, coordinator,
                                                      django_capture_on_commit_callbacks):
    from django.urls import reverse

    url = reverse("dashboard:overview", args=[dash.period.pk])
    assert "status=approved\">3<" in leader_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        approve_report(report=dash.reports.b3, user=coordinator)
    assert "status=approved\">4<" in leader_client.get(url).content.decode()
