"""Handing an export job to the background worker.

With ``FAZHI_WORKER=django-q2`` the job goes to the django-q2 cluster (``manage.py qcluster``) through
Redis or the database, and the request returns at once. Without a worker (a local install, the demo)
the job is built right after the request's transaction commits, as before: one process, nothing to run.
"""

from __future__ import annotations

from django.conf import settings

RUN_EXPORT = "exports.services.run_export"


def dispatch(job_id: int) -> None:
    if settings.FAZHI_WORKER == "django-q2":
        from django_q.tasks import async_task

        async_task(RUN_EXPORT, job_id=job_id, task_name=f"export-{job_id}")
    else:
        from exports.services import run_export

        run_export(job_id=job_id)
