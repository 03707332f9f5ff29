"""A draft is private to its unit: every page and file that reads reports uses the one read rule
(``Report.visibility_q`` / ``ReportQuerySet.visible_to``), so to anyone else an obligation with only a draft
is "not filed" — no state, percent, text or figures leak."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from reports import services
from reports.documents import build_period_xlsx, summary_rows
from reports.models import Obligation, Report, ReportState
from tests.reports.conftest import fill

MARKER = "绝密草稿标记XYZ"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def drafted(world):
    """Unit A holds a never-submitted draft on item 1 (37 %, a marked text and figure); unit B filed item 1."""
    draft = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
                 measures=MARKER + "正文", percent=37, figures=[{"label": MARKER + "指标", "value": "4321"}])
    filed = fill(services.start_report(obligation=world.b1, user=world.liaison_b), world.liaison_b, percent=64)
    services.submit_report(report=filed, user=world.liaison_b)
    world.draft, world.filed = draft, filed
    return world


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _clean(page: str) -> bool:
    return MARKER not in page and "37%" not in page and "4321" not in page


@pytest.mark.parametrize("persona", ["leader_client", "coordinator_client", "liaison_b_client"])
def test_the_matrix_shows_another_units_draft_as_not_filed(request, drafted, persona):
    client = request.getfixturevalue(persona)
    page = _page(client, f"/dashboard/period/{drafted.period.pk}/matrix/")
    assert _clean(page) and "草稿" not in page
    assert "64%" in page  # the filed report of unit B is shown
    assert f"/reports/{drafted.draft.pk}/" not in page


def test_the_matrix_shows_the_own_units_draft_to_its_liaison(drafted, liaison_a_client):
    page = _page(liaison_a_client, f"/dashboard/period/{drafted.period.pk}/matrix/")
    assert MARKER in page and "37%" in page


@pytest.mark.parametrize("persona", ["leader_client", "coordinator_client", "liaison_b_client"])
def test_the_obligation_lists_show_another_units_draft_as_not_filed(request, drafted, persona):
    client = request.getfixturevalue(persona)
    for status in ("owed", "missing"):
        page = _page(client, f"/dashboard/period/{drafted.period.pk}/obligations/?status={status}&unit="
                             f"{drafted.unit_a.pk}")
        assert _clean(page) and "草稿" not in page and "未填报" in page, status
    data = client.get(f"/dashboard/period/{drafted.period.pk}/obligations/",
                      {"status": "owed", "export": "xlsx"}).content
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row]
    assert "草稿" not in cells and "已报送" in cells


def test_the_own_units_liaison_sees_its_draft_in_the_lists(drafted, liaison_a_client):
    page = _page(liaison_a_client, f"/dashboard/period/{drafted.period.pk}/obligations/?status=owed")
    assert "草稿" in page and "37%" in page


def test_the_period_summary_shows_a_draft_as_not_filed(drafted):
    rows = {(r[2], r[3]): r for r in summary_rows(drafted.period)}
    draft_row = rows[(drafted.item1.title, drafted.unit_a.name)]
    assert draft_row[5:] == ["未填报", "", None, "", "", "", ""]
    assert rows[(drafted.item1.title, drafted.unit_b.name)][5:8] == ["已报送", "推进中", 64]
    book = load_workbook(io.BytesIO(build_period_xlsx(drafted.period)))
    cells = [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row]  # unit sheets too
    assert not any(isinstance(c, str) and (MARKER in c or c == "草稿") for c in cells) and 37 not in cells


@pytest.mark.parametrize("persona", ["leader_client", "coordinator_client", "liaison_b_client"])
def test_report_pages_and_the_periods_table_hide_the_draft(request, drafted, persona):
    client = request.getfixturevalue(persona)
    assert client.get(f"/reports/{drafted.draft.pk}/").status_code == 404
    assert client.get(f"/reports/{drafted.draft.pk}/history/").status_code == 404
    assert _clean(_page(client, f"/reports/items/{drafted.item1.pk}/"))
    periods = _page(client, f"/reports/plans/{drafted.plan.pk}/periods/")
    assert 'data-label="未报送" class="num">2<' in periods  # unit A's draft and item 2: both not filed
    assert 'data-label="草稿"' not in periods


def test_the_one_rule_reads_the_same_through_every_join(drafted, leader, liaison_a, liaison_b):
    for user, expected in [(leader, {drafted.filed.pk}), (liaison_b, {drafted.filed.pk}),
                           (liaison_a, {drafted.filed.pk, drafted.draft.pk}), (None, {drafted.filed.pk})]:
        assert set(Report.objects.visible_to(user).values_list("pk", flat=True)) == expected
        seen = Obligation.objects.with_visible_report(user).filter(seen__isnull=False)
        assert set(seen.values_list("seen__id", flat=True)) == expected
    assert set(ReportState.FILED) == {"submitted", "returned", "approved"}
