"""The copied-back demo (tests/demo_snapshot.py) is row for row and file for file what load_demo left."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import demo_snapshot
from tests.demo_snapshot import _tables

pytestmark = pytest.mark.django_db


def _everything() -> dict[str, list[tuple]]:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        rows = {}
        for table in _tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
        return rows


def _files() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_restored_demo_has_the_same_rows_and_files_and_the_same_output(settings, fresh_demo, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(demo_snapshot, "_snapshots", {})  # the first call runs the command itself
    first_output = fresh_demo()
    loaded, files = _everything(), _files()
    assert sum(len(rows) for rows in loaded.values()) > 10_000

    with connection.cursor() as cursor:
        for table in _tables():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()

    assert fresh_demo() == first_output
    assert _everything() == loaded
    assert _files() == files


def test_the_snapshot_refuses_a_database_that_already_holds_rows(fresh_demo, unit_a):
    with pytest.raises(AssertionError, match="empty database"):
        fresh_demo()
