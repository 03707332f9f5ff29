"""The real thing: a ``manage.py qcluster`` process picks up a file asked for on the web and builds it.

The worker is a second process, so it must reach the same database: this runs against PostgreSQL (CI's second
pass). SQLite's test database lives in this process's memory, where no other process can see it.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time

import pytest
from django.db import connection
from docx import Document

from exports.models import ExportJob, ExportState

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


def test_a_queued_annual_report_is_built_by_a_running_qcluster(world, coordinator_client, settings, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database server both processes reach; CI runs it on PostgreSQL")
    settings.FAZHI_WORKER = "django-q2"
    response = coordinator_client.post(f"/exports/annual/{world.unit_a.pk}/2026/")
    job = ExportJob.objects.get()
    assert job.state == ExportState.QUEUED  # the request returned without building anything

    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL")}
    env.update(DATABASE_URL=_database_url(), FAZHI_WORKER="django-q2", FAZHI_WORKER_PROCESSES="1",
               DJANGO_SECRET_KEY=settings.SECRET_KEY, DJANGO_DEBUG="1", FAZHI_MEDIA_ROOT=str(settings.MEDIA_ROOT),
               DJANGO_LOG_FORMAT="plain")
    log = tmp_path / "qcluster.log"
    with open(log, "wb") as out:
        worker = subprocess.Popen([sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=env,
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
    assert job.state == ExportState.DONE, log.read_text(errors="replace")[-3000:]
    body = coordinator_client.get(response["Location"] + "download/").getvalue()
    assert Document(io.BytesIO(body)).paragraphs[0].text == "测试市司法局2026年法治政府建设情况报告"
    assert "已生成" in coordinator_client.get("/reports/notices/").content.decode()
