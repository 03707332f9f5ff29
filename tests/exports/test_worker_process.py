"""The real thing: a ``manage.py qcluster`` process picks up a queued file and builds it, through the database
broker (no Redis) and through Redis (REDIS_URL set), as the two deployments in the README run it.

The worker is a second process, so it must reach the same database: this runs against PostgreSQL (CI's second
pass and its pgbouncer pass). SQLite's test database lives in this process's memory, where no other process can
see it. The Redis variant uses the Redis database of tests/test_redis_integration.py (15, one lower per further
xdist worker) on 127.0.0.1:6379 and, like that file, is skipped only on a machine with no Redis and no ``CI``
variable.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import pytest
import redis
from django.db import connection
from docx import Document

from exports import services
from exports.models import ExportJob, ExportKind, ExportState
from tests.test_redis_integration import REDIS_URL, _redis_listening

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


def _worker_env(settings, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.update(DATABASE_URL=_database_url(), FAZHI_WORKER="django-q2", FAZHI_WORKER_PROCESSES="1",
               DJANGO_SECRET_KEY=settings.SECRET_KEY, DJANGO_DEBUG="1", FAZHI_MEDIA_ROOT=str(settings.MEDIA_ROOT),
               DJANGO_LOG_FORMAT="plain")
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _run_cluster_until_done(job: ExportJob, env: dict[str, str], log, cwd) -> None:
    with open(log, "wb") as out:
        worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=cwd, env=env,
                                  stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + 90  # a bound on waiting, not a measurement
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.state in (ExportState.DONE, ExportState.FAILED):
                    break
                time.sleep(0.3)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


@pytest.mark.parametrize("broker", ["database", "redis"])
def test_a_queued_annual_report_is_built_by_a_running_qcluster(world, coordinator_client, settings, tmp_path,
                                                              broker):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server both processes reach; CI runs it on PostgreSQL")
    redis_url = None
    if broker == "redis":
        if not _redis_listening() and not os.environ.get("CI"):
            pytest.skip("no Redis on 127.0.0.1:6379 (CI requires it)")
        redis_url = REDIS_URL
        redis.Redis.from_url(REDIS_URL).flushdb()
    env = _worker_env(settings, redis_url)
    url = f"/exports/annual/{world.unit_a.pk}/2026/"
    if broker == "database":
        settings.FAZHI_WORKER = "django-q2"
        response = coordinator_client.post(url)  # queued through the ORM broker this process is configured with
        job_url = response["Location"]
    else:
        # This process's django-q2 is configured for the database broker; queue the job from a process that
        # starts with REDIS_URL, as an app server of the Redis deployment does.
        settings.FAZHI_WORKER = ""
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(services, "_dispatch", lambda job_id: None)
            job = services.request_export(user=world.coordinator, kind=ExportKind.ANNUAL_DOCX,
                                          params={"unit": world.unit_a.pk, "year": 2026})
        code = ("import django; django.setup(); from fazhi.worker import run_in_background; "
                f"run_in_background('exports.services.run_export', job_id={job.pk})")
        queued = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True,
                                timeout=120, env={**env, "DJANGO_SETTINGS_MODULE": "fazhi.settings"})
        assert queued.returncode == 0, queued.stderr
        assert redis.Redis.from_url(REDIS_URL).llen("django_q:fazhi:q") == 1  # in Redis, not in the database
        job_url = job.get_absolute_url()
    job = ExportJob.objects.get()
    assert job.state == ExportState.QUEUED  # nothing was built by the asking side

    log = tmp_path / "qcluster.log"
    _run_cluster_until_done(job, env, log, settings.BASE_DIR)
    assert job.state == ExportState.DONE, log.read_text(errors="replace")[-3000:]
    body = coordinator_client.get(job_url + "download/").getvalue()
    assert "测试市司法局关于2026年度法治政府建设情况的报告" in [p.text for p in Document(io.BytesIO(body)).paragraphs]
    assert "已生成" in coordinator_client.get("/reports/notices/").content.decode()
    if redis_url:
        redis.Redis.from_url(REDIS_URL).flushdb()
