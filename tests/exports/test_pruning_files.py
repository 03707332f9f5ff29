"""Generated files are kept FAZHI_EXPORT_KEEP_DAYS days, then cleared with their jobs."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from exports import services
from exports.models import ExportJob, ExportKind, ExportState


@pytest.fixture
def made(world, leader):
    def make(age_days: int) -> ExportJob:
        job = services.request_export(user=leader, kind=ExportKind.PERIOD_XLSX,
                                      params={"period": world.period.pk, "age": age_days})
        job = services.run_export(job_id=job.pk)
        ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=age_days))
        return job

    return make


def test_old_files_go_with_their_jobs_and_recent_ones_stay(made, settings):
    settings.FAZHI_EXPORT_KEEP_DAYS = 7
    old, recent = made(8), made(6)
    out = StringIO()
    call_command("prune_exports", stdout=out)
    assert out.getvalue().strip() == "已清除 1 个导出文件。"
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not old.file.storage.exists(old.file.name) and recent.file.storage.exists(recent.file.name)


def test_a_job_being_built_is_never_pruned(world, leader):
    job = ExportJob.objects.create(kind=ExportKind.PERIOD_XLSX, params={"period": world.period.pk}, title="x.xlsx",
                                   requested_by=leader, state=ExportState.RUNNING, started_at=timezone.now())
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=30))
    assert services.prune_exports(keep_days=1) == 0 and ExportJob.objects.filter(pk=job.pk).exists()


def test_days_can_be_given_on_the_command_line(made):
    made(3)
    call_command("prune_exports", "--days", "2", stdout=StringIO())
    assert not ExportJob.objects.exists()
