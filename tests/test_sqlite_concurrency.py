"""Simultaneous transitions on SQLite wait their turn instead of answering "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def test_sqlite_transactions_start_immediate_with_a_busy_timeout() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the SQLite options only apply to SQLite")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5


def test_concurrent_approve_return_and_submit_on_a_sqlite_file_give_one_outcome_each(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'concurrency.sqlite3'}",
           "FAZHI_MEDIA_ROOT": str(tmp_path / "media"), "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SECRET_KEY", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-m", "tests.sqlite_concurrency_run"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["unexpected"] == []
    # The contested report: exactly one approve-or-return happened, the other seven were refused in Chinese.
    assert outcome["contested_events"] == 1
    assert outcome["refused"] == 7
    assert outcome["mixed_events"] == 8
