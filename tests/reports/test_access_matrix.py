"""Persona × action: who may read, write, review, and what URL tampering gets (404/403, nothing changes)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.files import validate_upload
from reports.models import Attachment, Report, ReportEvent, ReportState
from tests.reports.conftest import fill

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _attach(report, user, name="现场照片.png"):
    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    return services.add_attachment(report=report, upload=upload, kind=validate_upload(upload), user=user)


@pytest.fixture
def filed(world):
    """Unit A: a draft on item 1 with a photo; unit B: a submitted report on item 1 with a photo."""
    draft_a = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    photo_a = _attach(draft_a, world.liaison_a)
    report_b = fill(services.start_report(obligation=world.b1, user=world.liaison_b), world.liaison_b,
                    measures="乙镇开展普法宣传。")
    photo_b = _attach(report_b, world.liaison_b, "乙镇佐证.png")
    report_b = services.submit_report(report=report_b, user=world.liaison_b)
    return world, draft_a, photo_a, report_b, photo_b


def _snapshot():
    return (list(Report.objects.order_by("pk").values_list("pk", "state", "measures", "version")),
            ReportEvent.objects.count(), Attachment.objects.count())


@pytest.mark.parametrize(("persona", "draft_a", "report_b", "photo_a", "photo_b"), [
    ("coordinator", 404, 200, 404, 200),
    ("leader", 404, 200, 404, 200),
    ("liaison_a", 200, 200, 200, 404),   # reads B's text but not B's evidence
    ("liaison_b", 404, 200, 404, 200),
])
def test_who_may_read_reports_and_download_evidence(filed, client, persona, draft_a, report_b, photo_a, photo_b):
    world, a, pa, b, pb = filed
    client.force_login(getattr(world, persona))
    assert client.get(f"/reports/{a.pk}/").status_code == draft_a
    response = client.get(f"/reports/{b.pk}/")
    assert response.status_code == report_b
    assert "乙镇开展普法宣传。" in response.content.decode()
    assert client.get(f"/reports/attachments/{pa.pk}/").status_code == photo_a
    assert client.get(f"/reports/attachments/{pb.pk}/").status_code == photo_b


def test_evidence_is_served_as_a_download_that_browsers_do_not_sniff(filed, client):
    world, _a, pa, _b, _pb = filed
    client.force_login(world.liaison_a)
    response = client.get(f"/reports/attachments/{pa.pk}/")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG


def test_a_liaison_tampering_with_another_units_ids_gets_404_and_changes_nothing(filed, client):
    world, _a, _pa, b, pb = filed
    services.return_report(report=b, user=world.coordinator, comment="补充")  # editable for B now
    client.force_login(world.liaison_a)
    before = _snapshot()
    assert client.get(f"/reports/{b.pk}/edit/").status_code == 404
    assert client.post(f"/reports/{b.pk}/edit/", {"progress": "completed", "percent": 100, "measures": "篡改",
                                                   "version": b.version + 1}).status_code == 404
    assert client.post(f"/reports/{b.pk}/submit/").status_code == 404
    assert client.post(f"/reports/attachments/{pb.pk}/delete/").status_code == 404
    assert client.post(f"/reports/obligations/{world.b1.pk}/start/").status_code == 404
    assert client.post(f"/reports/{b.pk}/approve/").status_code == 403
    assert client.post(f"/reports/{b.pk}/return/", {"comment": "x"}).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("persona", ["coordinator", "leader"])
def test_coordinators_and_leaders_cannot_write_a_units_report(filed, client, persona):
    world, a, pa, _b, _pb = filed
    client.force_login(getattr(world, persona))
    before = _snapshot()
    assert client.post(f"/reports/{a.pk}/edit/", {"measures": "代填", "version": a.version}).status_code == 404
    assert client.post(f"/reports/{a.pk}/submit/").status_code == 404
    assert client.post(f"/reports/attachments/{pa.pk}/delete/").status_code == 404
    assert _snapshot() == before


def test_leaders_cannot_review(filed, client):
    world, _a, _pa, b, _pb = filed
    client.force_login(world.leader)
    assert client.get("/reports/review/").status_code == 403
    assert client.post(f"/reports/{b.pk}/approve/").status_code == 403
    b.refresh_from_db()
    assert b.state == ReportState.SUBMITTED


def test_a_submitted_report_is_locked_for_its_own_unit_until_returned(filed, client):
    world, _a, _pa, b, pb = filed
    client.force_login(world.liaison_b)
    response = client.post(f"/reports/{b.pk}/edit/", {"progress": "completed", "percent": 100, "measures": "改",
                                                      "version": b.version}, follow=True)
    assert "等待法治办审核" in response.content.decode()
    b.refresh_from_db()
    assert b.measures == "乙镇开展普法宣传。"
    assert client.post(f"/reports/attachments/{pb.pk}/delete/").status_code == 302
    assert Attachment.objects.filter(pk=pb.pk).exists()


def test_an_approved_report_and_a_closed_period_lock_editing(filed, client):
    world, a, _pa, b, _pb = filed
    services.approve_report(report=b, user=world.coordinator)
    client.force_login(world.liaison_b)
    assert "不能再修改" in client.get(f"/reports/{b.pk}/edit/", follow=True).content.decode()
    services.close_period(period=world.period, user=world.coordinator)
    client.force_login(world.liaison_a)
    before = _snapshot()
    response = client.post(f"/reports/{a.pk}/edit/", {"progress": "completed", "percent": 100, "measures": "改",
                                                      "version": a.version}, follow=True)
    assert "已关闭" in response.content.decode()
    assert _snapshot() == before


def test_coordinator_approves_and_returns_from_the_queue(filed, client):
    world, _a, _pa, b, _pb = filed
    client.force_login(world.coordinator)
    response = client.post(f"/reports/{b.pk}/return/", {"comment": "", "next": "/reports/review/"}, follow=True)
    assert "必须填写意见" in response.content.decode()
    b.refresh_from_db()
    assert b.state == ReportState.SUBMITTED
    response = client.post(f"/reports/{b.pk}/approve/", {"next": "/reports/review/"})
    assert response["Location"] == "/reports/review/"
    b.refresh_from_db()
    assert b.state == ReportState.APPROVED and b.reviewed_by == world.coordinator


def test_the_next_parameter_cannot_redirect_off_site(filed, client):
    world, _a, _pa, b, _pb = filed
    client.force_login(world.coordinator)
    response = client.post(f"/reports/{b.pk}/approve/", {"next": "https://evil.example/"})
    assert response["Location"] == f"/reports/{b.pk}/"
