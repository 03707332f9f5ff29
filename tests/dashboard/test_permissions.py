"""Who sees the dashboards: every signed-in role; report texts of other units stay with the reports app."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["overview", "units", "matrix", "trends", "items", "obligations"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_login(client, dash, page):
    response = client.get(reverse(f"dashboard:{page}", args=[dash.period.pk]))
    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("persona", ["leader_client", "coordinator_client", "liaison_a_client"])
@pytest.mark.parametrize("page", PAGES)
def test_leaders_coordinators_and_liaisons_see_every_dashboard(request, dash, persona, page):
    response = request.getfixturevalue(persona).get(reverse(f"dashboard:{page}", args=[dash.period.pk]))
    assert response.status_code == 200
    assert dash.plan.title in response.content.decode()


def test_year_overview_for_every_role(leader_client, liaison_b_client, dash):
    for client in (leader_client, liaison_b_client):
        html = client.get(reverse("dashboard:year", args=[2026])).content.decode()
        assert dash.plan.title in html


def test_matrix_shows_report_summaries_to_leaders(leader_client, dash):
    html = leader_client.get(reverse("dashboard:matrix", args=[dash.period.pk])).content.decode()
    assert dash.reports.c4.measures in html
    assert dash.reports.a1.measures in html


def test_liaison_sees_own_units_summary_but_only_states_of_others(liaison_a_client, dash):
    html = liaison_a_client.get(reverse("dashboard:matrix", args=[dash.period.pk])).content.decode()
    assert dash.reports.a1.measures in html
    assert dash.reports.c4.measures not in html
    assert "已审核 · 推进中" in html  # unit C's state is still visible


def test_report_links_go_to_the_reports_apps_page(leader_client, dash):
    html = leader_client.get(reverse("dashboard:matrix", args=[dash.period.pk])).content.decode()
    assert reverse("reports:detail", args=[dash.reports.a1.pk]) in html


def test_unknown_period_is_404_not_500(leader_client):
    assert leader_client.get(reverse("dashboard:overview", args=[999999])).status_code == 404


def test_cached_matrix_never_leaks_summaries_from_a_leaders_view_to_a_liaison(leader_client, liaison_a_client, dash):
    url = reverse("dashboard:matrix", args=[dash.period.pk])
    assert dash.reports.c4.measures in leader_client.get(url).content.decode()
    assert dash.reports.c4.measures not in liaison_a_client.get(url).content.decode()
