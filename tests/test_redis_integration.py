"""With REDIS_URL set, cache and sessions live in Redis: the dashboards' period versions move after commit,
a logged-in session survives through the cached_db engine, and /readyz sees the cache.

Runs against the Redis on 127.0.0.1:6379 (database 15, one lower per further xdist worker; flushed before and
after). Skipped only on a machine with no Redis and no ``CI`` variable; in CI a missing Redis fails the test."""

from __future__ import annotations

import json
import os
import runpy
import socket
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from reports.cachekeys import bump_period_version, period_version
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Database 15, or one below it per xdist worker ("gw1" → 14): workers flush their own database only.
REDIS_DB = 15 - int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


def _redis_listening() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def _settings_for(redis_url: str, monkeypatch) -> dict:
    """CACHES and SESSION_ENGINE exactly as fazhi/settings.py builds them for this REDIS_URL."""
    monkeypatch.setenv("REDIS_URL", redis_url)
    built = runpy.run_module("fazhi.settings")  # a fresh namespace: the loaded settings stay untouched
    return {"CACHES": built["CACHES"], "SESSION_ENGINE": built["SESSION_ENGINE"]}


@pytest.fixture
def redis_cache(settings, monkeypatch):
    if not _redis_listening():
        if os.environ.get("CI"):
            pytest.fail("CI must provide Redis on 127.0.0.1:6379 for the cache and session test")
        pytest.skip("no Redis on 127.0.0.1:6379")
    built = _settings_for(REDIS_URL, monkeypatch)
    assert built["CACHES"]["default"]["BACKEND"] == "fazhi.cache.FazhiRedisCache"
    settings.CACHES = built["CACHES"]
    settings.SESSION_ENGINE = built["SESSION_ENGINE"]
    _raw().flushdb()  # this worker's database only
    yield cache
    _raw().flushdb()  # directly: a test may have pointed the cache elsewhere


def _raw():
    import redis

    return redis.Redis.from_url(REDIS_URL)


def _raw_keys() -> list[str]:
    return [k.decode() for k in _raw().keys("*")]


def test_the_cache_is_redis_database_15_and_round_trips_values(redis_cache):
    key = f"fazhi:probe:{uuid.uuid4().hex}"
    redis_cache.set(key, {"法治": [1, 2]}, 30)
    assert redis_cache.get(key) == {"法治": [1, 2]}
    assert any(raw.endswith(key) for raw in _raw_keys())
    redis_cache.delete(key)
    assert redis_cache.get(key) is None


def test_the_cache_reuses_one_redis_client_and_still_counts_and_reads_many(redis_cache):
    # fazhi.cache: Django builds a redis.Redis per call; ours keeps one per pool (the pool holds the sockets).
    client = redis_cache._cache
    assert client.get_client("a") is client.get_client("b") is client.get_client("c", write=True)
    key = f"fazhi:probe:{uuid.uuid4().hex}"
    redis_cache.set(key, 1, 30)
    assert redis_cache.incr(key) == 2
    assert redis_cache.get_many([key, key + ":missing"]) == {key: 2}
    redis_cache.delete(key)


def test_a_period_version_moves_only_when_the_transaction_commits(redis_cache,
                                                                django_capture_on_commit_callbacks):
    period_id = uuid.uuid4().int % 10**9  # no other run on this machine shares the key
    first = period_version(period_id)
    with django_capture_on_commit_callbacks(execute=True):
        bump_period_version(period_id)
        assert period_version(period_id) == first  # not yet committed: dashboards keep the old figures
    assert period_version(period_id) == first + 1
    with django_capture_on_commit_callbacks(execute=True):
        bump_period_version(period_id)
    assert period_version(period_id) == first + 2
    assert any(key.endswith(f"fazhi:period:{period_id}:version") for key in _raw_keys())


def test_a_logged_in_session_lives_in_redis_and_survives_losing_it(redis_cache):
    UserFactory(username="liaison_redis")
    client = Client()  # built after the override: its middleware loads the cached_db engine
    response = client.post("/accounts/login/", {"username": "liaison_redis", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert type(client.session).__module__ == "django.contrib.sessions.backends.cached_db"
    key = client.session.session_key
    assert any(k.endswith(key) for k in _raw_keys()), "the session is not cached in Redis"
    assert Session.objects.filter(session_key=key).exists()

    page = client.get("/plans/")
    assert page.status_code == 200 and page.wsgi_request.user.username == "liaison_redis"

    for cached in [k for k in _raw_keys() if k.endswith(key)]:
        _raw().delete(cached)  # Redis lost it (restart): the database copy keeps the person logged in
    assert not any(k.endswith(key) for k in _raw_keys())
    page = client.get("/plans/")
    assert page.status_code == 200 and page.wsgi_request.user.username == "liaison_redis"
    assert any(k.endswith(key) for k in _raw_keys()), "the session was not cached again"


def test_readyz_reports_the_redis_cache(redis_cache, client, settings, monkeypatch):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert json.loads(response.content)["cache"] == "ok"

    settings.CACHES = _settings_for("redis://127.0.0.1:1/15", monkeypatch)["CACHES"]  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "unavailable"
