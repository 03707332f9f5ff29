"""A generated file goes only to the user who asked for it, and only while they may still read it."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import Role
from exports import services
from exports.models import ExportJob, ExportKind
from reports.cachekeys import bump_now_and_after_commit


@pytest.fixture
def summary_job(world, leader):
    job = services.request_export(user=leader, kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk})
    return services.run_export(job_id=job.pk)


def test_the_file_comes_as_an_attachment_with_its_readable_name(summary_job, leader_client):
    response = leader_client.get(f"/exports/{summary_job.pk}/download/")
    kind, _, name = response["Content-Disposition"].partition("; filename*=utf-8''")
    assert kind == "attachment" and unquote(name) == "2026年半年报汇总表.xlsx"
    assert response["X-Content-Type-Options"] == "nosniff"
    # No shared cache or browser disk cache keeps a copy of a whole unit's reports.
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert load_workbook(io.BytesIO(response.getvalue())).active.title == "报送汇总"


@pytest.mark.parametrize("persona", ["coordinator_client", "liaison_a_client", "liaison_b_client"])
def test_nobody_else_sees_or_downloads_it_not_even_a_coordinator(summary_job, request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(f"/exports/{summary_job.pk}/").status_code == 404
    assert client.get(f"/exports/{summary_job.pk}/download/").status_code == 404
    assert client.post(f"/exports/{summary_job.pk}/retry/").status_code == 404
    assert summary_job.title not in client.get("/exports/").content.decode()
    assert ExportJob.objects.count() == 1


def test_a_leader_who_became_a_liaison_can_no_longer_download(summary_job, world, leader, leader_client):
    leader.role = Role.LIAISON
    leader.unit = world.unit_a
    leader.save()
    assert leader_client.get(f"/exports/{summary_job.pk}/download/").status_code == 404


def test_a_file_cleared_from_storage_is_a_404_that_says_so(summary_job, leader_client):
    summary_job.file.storage.delete(summary_job.file.name)
    response = leader_client.get(f"/exports/{summary_job.pk}/download/")
    assert response.status_code == 404


def test_a_file_not_yet_made_cannot_be_downloaded(world, leader, leader_client):
    job = services.request_export(user=leader, kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk})
    assert leader_client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_my_exports_lists_my_files_newest_first(world, leader, leader_client):
    older = services.run_export(job_id=services.request_export(
        user=leader, kind=ExportKind.ANNUAL_DOCX, params={"unit": world.unit_a.pk, "year": 2026}).pk)
    newer = services.run_export(job_id=services.request_export(
        user=leader, kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk}).pk)
    html = leader_client.get("/exports/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert html.count("/download/") == 2 and "已完成" in html


def _list_queries(client) -> int:
    client.get("/exports/")  # warm: the signed-in user and the nav's counts are cached from the second request on
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/exports/").status_code == 200
    return len(ctx.captured_queries)


def test_my_exports_runs_the_same_number_of_queries_at_1_and_50_files(world, leader, leader_client):
    def make(n):
        ExportJob.objects.bulk_create([
            ExportJob(kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk, "n": i}, title=f"{i}.xlsx",
                      requested_by=leader) for i in range(n)])
        # Rows made in bulk bypass exports.services: move the list's version as the service does.
        bump_now_and_after_commit(services.jobs_key(leader.pk))

    make(1)
    one = _list_queries(leader_client)
    make(49)
    assert _list_queries(leader_client) == one
    assert leader_client.get("/exports/").content.decode().count("排队中") == 50
