"""Production plumbing: readiness probe, the primary/replica router, JSON logs, settings from the environment."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.urls import ResolverMatch

from accounts.models import User
from fazhi import db_router
from fazhi.logformat import JsonFormatter
from reports.models import Report
from tasks.models import Plan


def test_readyz_reports_database_and_cache(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_answers_503_when_the_cache_is_down(client, db):
    with mock.patch("fazhi.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "unavailable"


def test_readyz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=Exception("db down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


@pytest.fixture
def with_replica(settings):
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    return db_router.PrimaryReplicaRouter()


def test_without_a_replica_the_router_leaves_everything_to_default(settings):
    assert "replica" not in settings.DATABASES
    router = db_router.PrimaryReplicaRouter()
    with db_router.replica_reads():
        assert router.db_for_read(Report) is None
    assert db_router.read_db() == "default"


def test_with_a_replica_only_dashboard_reads_of_report_data_go_there(with_replica):
    router = with_replica
    assert router.db_for_read(Report) == "default"
    with db_router.replica_reads():
        assert router.db_for_read(Report) == "replica"
        assert router.db_for_read(Plan) == "replica"
        # Sessions and accounts must never read a lagging copy.
        assert router.db_for_read(Session) == "default"
        assert router.db_for_read(User) == "default"
        assert router.db_for_write(Report) == "default"
    assert router.db_for_read(Report) == "default"
    assert router.allow_migrate("default", "reports") and not router.allow_migrate("replica", "reports")


def _request(method: str, namespace: str):
    request = RequestFactory().generic(method, "/x/")
    request.resolver_match = ResolverMatch(lambda r: None, (), {}, app_names=[namespace],
                                           namespaces=[namespace])
    return request


@pytest.mark.parametrize(("method", "namespace", "expected"), [
    ("GET", "dashboard", "replica"), ("POST", "dashboard", "default"), ("GET", "reports", "default"),
])
def test_the_middleware_turns_replica_reads_on_for_dashboard_gets_only(with_replica, method, namespace, expected):
    seen = {}
    middleware = db_router.DashboardReplicaMiddleware(
        lambda request: seen.setdefault("db", with_replica.db_for_read(Report)) and None)
    request = _request(method, namespace)
    middleware.process_view(request, None, (), {})
    middleware(request)
    assert seen["db"] == expected
    assert with_replica.db_for_read(Report) == "default"  # reset after the response


def test_json_log_lines_carry_message_level_and_extra_fields():
    record = logging.LogRecord("fazhi.reports", logging.WARNING, __file__, 1, "报送失败 %s", ("甲镇",), None)
    record.unit = "甲镇"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "报送失败 甲镇" and line["level"] == "WARNING" and line["unit"] == "甲镇"
    assert line["logger"] == "fazhi.reports" and line["time"].endswith("+00:00")


def _settings_in_subprocess(env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FAZHI_", "DATABASE", "REDIS"))}
    base.update(DJANGO_SETTINGS_MODULE="fazhi.settings", **env)
    code = f"import django; django.setup(); from django.conf import settings as s; print({expression})"
    return subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=base,
                          capture_output=True, text=True, timeout=120)


def test_environment_switches_redis_sessions_replica_s3_and_json_logs():
    result = _settings_in_subprocess({
        "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(60), "DJANGO_ALLOWED_HOSTS": "x.gov.cn",
        "REDIS_URL": "redis://127.0.0.1:6379/3", "DATABASE_URL": "postgres://app@db1:5432/fazhi",
        "DATABASE_REPLICA_URL": "postgres://app@db2:5432/fazhi", "FAZHI_STORAGE": "s3",
        "FAZHI_S3_BUCKET": "fazhi-evidence", "FAZHI_S3_ENDPOINT_URL": "http://minio:9000",
    }, "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.DATABASES['replica']['HOST'], "
       "s.STORAGES['default']['BACKEND'], s.STORAGES['default']['OPTIONS']['bucket_name'], "
       "s.LOGGING['handlers']['console']['formatter'], sep='|'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "fazhi.cache.FazhiRedisCache", "django.contrib.sessions.backends.cached_db", "db2",
        "storages.backends.s3.S3Storage", "fazhi-evidence", "json"]


def test_s3_without_a_bucket_refuses_to_start():
    result = _settings_in_subprocess({"FAZHI_STORAGE": "s3"}, "1")
    assert result.returncode != 0 and "FAZHI_S3_BUCKET" in result.stderr


def test_parts_built_from_a_replica_are_kept_briefly_not_the_hour(with_replica, settings, monkeypatch):
    # The version comes from Redis, the rows from a replica that may lag: such a part must not stand an hour.
    from django.test import RequestFactory

    from fazhi import fragments

    settings.FAZHI_REPLICA_CACHE_SECONDS = 30
    kept = []
    monkeypatch.setattr(fragments.cache, "set", lambda key, value, timeout: kept.append(timeout))
    request = RequestFactory().get("/")
    fragments.cached_part(request, ["primary"], lambda: "<p>x</p>")
    with db_router.replica_reads():
        fragments.cached_part(request, ["replica"], lambda: "<p>y</p>")
        assert db_router.keep_for(3600) == 30
    assert kept == [fragments.TTL, 30]
    assert db_router.keep_for(3600) == 3600
