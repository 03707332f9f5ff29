"""Handing an export job to the background worker (``fazhi.worker``): the request returns at once."""

from __future__ import annotations

from fazhi.worker import run_in_background

RUN_EXPORT = "exports.services.run_export"


def dispatch(job_id: int) -> None:
    run_in_background(RUN_EXPORT, job_id=job_id)
