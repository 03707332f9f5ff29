"""Asking for a generated file: who may, what is queued, and what the page says while it is made."""

from __future__ import annotations

import pytest
from django.test import Client
from django_q.models import OrmQ

from exports.models import ExportJob, ExportKind, ExportState


def _urls(world) -> dict[str, str]:
    return {
        "annual_a": f"/exports/annual/{world.unit_a.pk}/2026/",
        "summary": f"/exports/periods/{world.period.pk}/",
        "audit": "/exports/audit/",
    }


# (persona, url key) → may ask. Liaisons get their own unit's year-end report only.
MATRIX = [
    ("coordinator_client", "annual_a", True), ("coordinator_client", "summary", True),
    ("coordinator_client", "audit", True),
    ("leader_client", "annual_a", True), ("leader_client", "summary", True), ("leader_client", "audit", False),
    ("liaison_a_client", "annual_a", True), ("liaison_a_client", "summary", False),
    ("liaison_a_client", "audit", False),
    ("liaison_b_client", "annual_a", False), ("liaison_b_client", "summary", False),
    ("liaison_b_client", "audit", False),
]


@pytest.mark.parametrize(("persona", "key", "allowed"), MATRIX)
def test_each_persona_may_ask_only_for_the_files_they_may_read(request, world, queued, persona, key, allowed):
    client: Client = request.getfixturevalue(persona)
    response = queued(client, _urls(world)[key])
    if allowed:
        job = ExportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/exports/{job.pk}/"
        assert job.state == ExportState.QUEUED and job.requested_by.username == persona.removesuffix("_client")
    else:
        assert response.status_code == 403
        assert not ExportJob.objects.exists() and not OrmQ.objects.exists()


def test_with_a_worker_the_request_only_queues_the_job(world, queued, coordinator_client):
    response = queued(coordinator_client, f"/exports/annual/{world.unit_a.pk}/2026/")
    job = ExportJob.objects.get()
    assert job.kind == ExportKind.ANNUAL_DOCX and job.params == {"unit": world.unit_a.pk, "year": 2026}
    assert job.title == "测试市司法局2026年法治政府建设情况报告.docx"
    assert not job.file and job.started_at is None
    # Queued for the cluster through the database broker: one message naming our task.
    assert OrmQ.objects.count() == 1 and OrmQ.objects.get().func() == "exports.services.run_export"
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "排队中" in page and '<meta http-equiv="refresh" content="3">' in page
    assert "下载文件" not in page


def test_asking_twice_while_the_file_is_being_made_gives_the_same_job(world, queued, leader_client):
    first = queued(leader_client, f"/exports/periods/{world.period.pk}/")
    second = queued(leader_client, f"/exports/periods/{world.period.pk}/")
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1 and OrmQ.objects.count() == 1


def test_without_a_worker_the_file_is_ready_when_the_page_opens(world, coordinator_client,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(f"/exports/periods/{world.period.pk}/")
    job = ExportJob.objects.get()
    assert job.state == ExportState.DONE and job.size > 0 and not OrmQ.objects.exists()
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "已完成" in page and f'href="/exports/{job.pk}/download/"' in page and "http-equiv" not in page


@pytest.mark.parametrize("url", ["/exports/annual/999999/2026/", "/exports/periods/999999/"])
def test_a_file_about_something_that_does_not_exist_is_404_and_queues_nothing(db, coordinator_client, url):
    assert coordinator_client.post(url).status_code == 404
    assert not ExportJob.objects.exists()


def test_a_year_out_of_range_is_404(world, coordinator_client):
    assert coordinator_client.post(f"/exports/annual/{world.unit_a.pk}/99999/").status_code == 404
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("url", ["/exports/audit/", "/exports/periods/1/", "/exports/annual/1/2026/"])
def test_asking_is_post_only(coordinator_client, url):
    assert coordinator_client.get(url).status_code == 405
    assert not ExportJob.objects.exists()


def test_the_pages_offer_the_export_as_a_post_form(world, coordinator_client, leader_client):
    periods = leader_client.get(f"/reports/plans/{world.plan.pk}/periods/").content.decode()
    assert f'<form method="post" action="/exports/periods/{world.period.pk}/"' in periods
    annual = coordinator_client.get("/reports/annual/?year=2026").content.decode()
    assert f'action="/exports/annual/{world.unit_a.pk}/2026/"' in annual
    assert "我的导出" in annual
