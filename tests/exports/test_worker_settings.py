"""FAZHI_WORKER picks where exports are built; the queue uses Redis when there is one, else the database."""

from __future__ import annotations

from tests.test_production import _settings_in_subprocess


def test_the_worker_queue_is_redis_when_redis_is_configured():
    result = _settings_in_subprocess({"FAZHI_WORKER": "django-q2", "REDIS_URL": "redis://127.0.0.1:6379/3"},
                                     "s.FAZHI_WORKER, s.Q_CLUSTER.get('redis'), 'orm' in s.Q_CLUSTER, sep='|'")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == ["django-q2", "redis://127.0.0.1:6379/3", "False"]


def test_without_redis_the_worker_queue_is_the_database():
    result = _settings_in_subprocess({"FAZHI_WORKER": "django-q2"}, "s.Q_CLUSTER.get('orm'), s.Q_CLUSTER['timeout']")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["default", "600"]


def test_an_unknown_worker_refuses_to_start():
    result = _settings_in_subprocess({"FAZHI_WORKER": "celery"}, "1")
    assert result.returncode != 0 and "FAZHI_WORKER must be empty or 'django-q2'" in result.stderr


def test_without_a_worker_background_work_runs_in_process_and_a_wrong_path_is_an_error(settings):
    import pytest

    from fazhi.worker import run_in_background

    settings.FAZHI_WORKER = ""
    with pytest.raises(ImportError, match="not a function"):
        run_in_background("exports.services.no_such_function", job_id=1)
