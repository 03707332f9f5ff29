"""Key figures: a value the database cannot store exactly is refused (form and service), in Chinese, and every
page that reads figures keeps working with the largest value that is accepted."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from fazhi import limits
from reports import services
from reports.models import ReportFigure
from tests.hostile_support import page_fields
from tests.reports.conftest import fill

TOO_BIG = "99999999999999.99"  # 16 digits: SQLite keeps ~15, so it came back as 1e14 and every page answered 500
LARGEST = "999999999999.99"


def test_the_service_refuses_a_value_the_database_cannot_round_trip(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    with pytest.raises(services.ReportError, match="数值"):
        fill(report, world.liaison_a, figures=[{"label": "办件量", "value": TOO_BIG, "unit": "件"}])
    for hostile in ("NaN", "Infinity", "-1e400", "1e20", "abc", "0.001"):
        with pytest.raises(services.ReportError):
            fill(report, world.liaison_a, figures=[{"label": "办件量", "value": hostile}])
    assert not ReportFigure.objects.exists()
    report.refresh_from_db()
    assert report.version == 1


def test_the_form_refuses_it_in_chinese_and_keeps_what_was_typed(world, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = f"/reports/{report.pk}/edit/"
    data = {**page_fields(liaison_a_client, url), "measures": "已开展专项检查", "fig-0-label": "办件量",
            "fig-0-value": TOO_BIG, "fig-0-unit": "件", "action": "save"}
    response = liaison_a_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "数值最大为 999,999,999,999.99" in page
    assert "已开展专项检查" in page and TOO_BIG in page
    assert not ReportFigure.objects.exists()


def test_every_page_reading_figures_shows_the_largest_accepted_value(world, coordinator_client, leader_client,
                                                                     fetch_export):
    assert limits.FIGURE_MAX_DIGITS == 14
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
                  figures=[{"label": "办件量", "value": LARGEST, "unit": "件"},
                           {"label": "下降", "value": "-" + LARGEST, "unit": "件"}])
    services.submit_report(report=report, user=world.liaison_a)
    assert ReportFigure.objects.get(label="办件量").value == Decimal(LARGEST)
    showing_figures = ("/reports/review/", f"/reports/{report.pk}/", f"/reports/items/{world.item1.pk}/")
    for url in (*showing_figures, f"/reports/{report.pk}/history/", f"/reports/annual/{world.unit_a.pk}/2026/"):
        response = coordinator_client.get(url)
        assert response.status_code == 200, url
        if url in showing_figures:
            assert "999999999999.99" in response.content.decode(), url
    summary = fetch_export(leader_client, f"/exports/periods/{world.period.pk}/")
    cells = [c.value for row in load_workbook(io.BytesIO(summary.getvalue())).active.iter_rows() for c in row]
    assert "办件量999999999999.99件；下降-999999999999.99件" in cells
    # The year-end report uses approved reports only.
    services.approve_report(report=report, user=world.coordinator)
    annual = fetch_export(coordinator_client, f"/exports/annual/{world.unit_a.pk}/2026/")
    texts = [p.text for p in Document(io.BytesIO(annual.getvalue())).paragraphs]
    assert "主要数据：办件量999999999999.99件；下降-999999999999.99件。" in texts
