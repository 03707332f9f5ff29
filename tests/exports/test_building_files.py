"""The worker's side: the queued message builds the file once, failures say why, a lost worker is survived."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document

from exports import services
from exports.models import ExportJob, ExportKind, ExportState
from reports.models import Notice
from tests.worker_support import run_queue_like_the_cluster


def test_the_worker_builds_the_queued_file_and_notifies_who_asked(world, queued, coordinator_client):
    response = queued(coordinator_client, f"/exports/annual/{world.unit_a.pk}/2026/")
    assert run_queue_like_the_cluster() == 1
    job = ExportJob.objects.get()
    assert job.state == ExportState.DONE and job.started_at <= job.finished_at
    assert job.file.name.startswith("exports/") and "司法局" not in job.file.name and job.file.name.endswith(".docx")
    notice = Notice.objects.get(user=world.coordinator)
    assert notice.title == f"文件已生成：{job.title}" and notice.url == response["Location"]
    body = coordinator_client.get(f"/exports/{job.pk}/download/").getvalue()
    assert "测试市司法局关于2026年度法治政府建设情况的报告" in [p.text for p in Document(io.BytesIO(body)).paragraphs]
    assert len(body) == job.size


def test_a_message_delivered_twice_builds_the_file_once(world, coordinator):
    job = ExportJob.objects.create(kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk},
                                   title="x.xlsx", requested_by=coordinator)
    services.run_export(job_id=job.pk)
    first = ExportJob.objects.get(pk=job.pk)
    services.run_export(job_id=job.pk)
    again = ExportJob.objects.get(pk=job.pk)
    assert (again.file.name, again.finished_at) == (first.file.name, first.finished_at)
    assert Notice.objects.filter(user=coordinator).count() == 1


def test_a_job_another_worker_is_building_is_left_alone(world, coordinator):
    job = ExportJob.objects.create(kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk},
                                   title="x.xlsx", requested_by=coordinator, state=ExportState.RUNNING,
                                   started_at=timezone.now() - dt.timedelta(minutes=1))
    services.run_export(job_id=job.pk)
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.RUNNING


def test_a_job_whose_worker_died_is_built_when_the_message_comes_back(world, coordinator):
    job = ExportJob.objects.create(kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk},
                                   title="x.xlsx", requested_by=coordinator, state=ExportState.RUNNING,
                                   started_at=timezone.now() - services.STALE_AFTER - dt.timedelta(seconds=1))
    services.run_export(job_id=job.pk)
    assert ExportJob.objects.get(pk=job.pk).state == ExportState.DONE


def test_a_build_that_crashes_fails_with_a_chinese_reason_and_can_be_retried(world, coordinator_client, coordinator,
                                                                            monkeypatch, queued):
    def broken(params):
        raise RuntimeError("disk full")

    monkeypatch.setitem(services.SPECS, ExportKind.PERIOD_XLSX,
                        dataclasses.replace(services.SPECS[ExportKind.PERIOD_XLSX], build=broken))
    queued(coordinator_client, f"/exports/periods/{world.period.pk}/")
    run_queue_like_the_cluster()
    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED and not job.file
    assert job.error == "生成文件时出错，请稍后重新生成；如仍失败，请联系系统管理员。"
    page = coordinator_client.get(f"/exports/{job.pk}/").content.decode()
    assert "生成失败" in page and job.error in page and "disk full" not in page
    assert Notice.objects.get(user=coordinator).title == f"文件生成失败：{job.title}"
    assert coordinator_client.get(f"/exports/{job.pk}/download/").status_code == 404

    monkeypatch.undo()
    retried = queued(coordinator_client, f"/exports/{job.pk}/retry/")
    run_queue_like_the_cluster()
    fresh = ExportJob.objects.exclude(pk=job.pk).get()
    assert retried["Location"] == f"/exports/{fresh.pk}/" and fresh.state == ExportState.DONE


def test_a_liaison_who_changed_unit_meanwhile_gets_no_file(world, queued, liaison_a_client, liaison_a):
    queued(liaison_a_client, f"/exports/annual/{world.unit_a.pk}/2026/")
    liaison_a.unit = world.unit_b
    liaison_a.save()
    run_queue_like_the_cluster()
    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED and job.error == "您已无权导出该文件。" and not job.file


def test_a_period_deleted_before_the_build_fails_cleanly(world, queued, leader_client):
    queued(leader_client, f"/exports/periods/{world.period.pk}/")
    world.period.delete()
    run_queue_like_the_cluster()
    assert ExportJob.objects.get().error == "要导出的内容已被删除。"


def test_a_queue_that_is_down_fails_the_job_but_not_the_request(world, queued, leader_client, monkeypatch):
    def down(func, /, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(services, "run_in_background", down)
    response = queued(leader_client, f"/exports/periods/{world.period.pk}/")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED and job.error == "后台任务队列暂时不可用，请稍后重新生成。"


@pytest.mark.parametrize(("state", "target"), [(ExportState.DONE, ExportState.RUNNING),
                                               (ExportState.FAILED, ExportState.DONE),
                                               (ExportState.QUEUED, ExportState.DONE)])
def test_states_move_only_forward(coordinator, state, target):
    job = ExportJob(kind=ExportKind.AUDIT_XLSX, params={"query": {}}, title="a.xlsx", requested_by=coordinator,
                    state=state)
    with pytest.raises(ValueError, match="not allowed"):
        services._move(job, target)
