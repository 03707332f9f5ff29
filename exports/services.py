"""Asking for an export, building it, and clearing old ones. Every state change goes through ``_move``."""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from exports.kinds import SPECS
from exports.models import ExportJob, ExportState
from fazhi.worker import run_in_background
from reports import inbox
from reports.cachekeys import bump_now_and_after_commit

logger = logging.getLogger(__name__)

RUN_EXPORT = "exports.services.run_export"
# A job still "running" after the worker's own time limit lost its worker (killed, machine restarted): it may
# run again when django-q2 redelivers the message.
STALE_AFTER = dt.timedelta(seconds=settings.Q_CLUSTER["timeout"])

_MOVES = {
    ExportState.QUEUED: {ExportState.RUNNING, ExportState.FAILED},
    ExportState.RUNNING: {ExportState.RUNNING, ExportState.DONE, ExportState.FAILED},
    ExportState.DONE: set(),
    ExportState.FAILED: set(),
}


class ExportRefused(PermissionDenied):
    pass


def jobs_key(user_id: int) -> str:
    """The version of a user's list of exports (我的导出, cached per user): moved by every job created, moved
    (``_move``) or deleted (pruned, or in the admin: ``exports.apps``), which is every write of ``ExportJob``."""
    return f"fazhi:exports:{user_id}:version"


def _move(job: ExportJob, state: ExportState, **fields: Any) -> None:
    if state not in _MOVES[ExportState(job.state)]:
        raise ValueError(f"export job {job.pk}: {job.state} → {state} is not allowed")
    job.state = state
    now = timezone.now()
    if state == ExportState.RUNNING:
        job.started_at = now
    elif state in (ExportState.DONE, ExportState.FAILED):
        job.finished_at = now
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["state", "started_at", "finished_at", *fields])
    bump_now_and_after_commit(jobs_key(job.requested_by_id))


def may_have(user: User, job_kind: str, params: dict[str, Any]) -> bool:
    return bool(user.is_active) and SPECS[job_kind].allowed(user, params)


@transaction.atomic
def request_export(*, user: User, kind: str, params: dict[str, Any]) -> ExportJob:
    """Queue a file for ``user``. Asking again while the same file is still being made returns that job."""
    if not may_have(user, kind, params):
        raise ExportRefused("无权导出该文件。")
    title = SPECS[kind].title(params)  # ObjectDoesNotExist for an id that names nothing
    waiting = ExportJob.objects.pending().filter(requested_by=user, kind=kind, params=params).first()
    if waiting:
        return waiting
    job = ExportJob.objects.create(kind=kind, params=params, title=title[:200], requested_by=user)
    bump_now_and_after_commit(jobs_key(user.pk))
    transaction.on_commit(partial(_dispatch, job.pk))
    return job


def _dispatch(job_id: int) -> None:
    try:
        run_in_background(RUN_EXPORT, job_id=job_id)
    except Exception:
        # The request has committed; a queue that is down must not turn it into an error page.
        logger.exception("Could not hand export job %s to the worker", job_id)
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().get(pk=job_id)
            if job.state == ExportState.QUEUED:
                _move(job, ExportState.FAILED, error="后台任务队列暂时不可用，请稍后重新生成。")
                _notify(job)


def _notify(job: ExportJob) -> None:
    if job.state == ExportState.DONE:
        title, body = f"文件已生成：{job.title}", "点击查看并下载。文件保留一段时间后自动清除，需要时可重新生成。"
    else:
        title, body = f"文件生成失败：{job.title}", job.error
    inbox.notify(users=[job.requested_by], title=title, body=body, url=job.get_absolute_url())


def run_export(*, job_id: int) -> ExportJob | None:
    """Build one queued job. Safe to call twice: a finished job or one another worker holds is left alone."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("requested_by").filter(pk=job_id).first()
        if job is None or job.state in (ExportState.DONE, ExportState.FAILED):
            return job
        if job.state == ExportState.RUNNING and job.started_at and timezone.now() - job.started_at < STALE_AFTER:
            return job
        _move(job, ExportState.RUNNING)

    spec = SPECS[job.kind]
    error = ""
    content = b""
    try:
        if not may_have(job.requested_by, job.kind, job.params):
            error = "您已无权导出该文件。"
        else:
            content = spec.build(job.params)
    except ObjectDoesNotExist:
        error = "要导出的内容已被删除。"
    except Exception:
        logger.exception("Export job %s (%s) failed", job.pk, job.kind)
        error = "生成文件时出错，请稍后重新生成；如仍失败，请联系系统管理员。"

    if error:
        with transaction.atomic():
            _move(job, ExportState.FAILED, error=error)
            _notify(job)
        return job
    # Stored before the row says done: a crash in between leaves an unreferenced file, never a broken link.
    job.file.save(job.title, ContentFile(content), save=False)
    with transaction.atomic():
        _move(job, ExportState.DONE, file=job.file.name, size=len(content))
        _notify(job)
    return job


def prune_exports(*, now: dt.datetime | None = None, keep_days: int | None = None) -> int:
    """Delete finished jobs older than the retention and their files; returns how many went."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.FAZHI_EXPORT_KEEP_DAYS if keep_days is None else keep_days)
    old = ExportJob.objects.filter(created_at__lt=now - keep).exclude(state=ExportState.RUNNING)
    count = 0
    for job in old.iterator(chunk_size=500):
        name = job.file.name
        with transaction.atomic():
            job.delete()  # moves the owner's list version (exports.apps, on every delete, the admin's too)
        if name:
            # After the row: a failed delete leaves an orphan file, never a row pointing at nothing.
            job.file.storage.delete(name)
        count += 1
    return count
