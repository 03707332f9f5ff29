"""The portable backup moves between database kinds: written on this suite's database, restored into the
other kind (SQLite ↔ PostgreSQL), the values come back equal — text with tabs, newlines and backslashes,
microsecond times, decimals, JSON, booleans, content-type ids of the change log."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import psycopg2
import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection

from ops.drill import scratch_alias
from ops.restore import open_archive, restore_archive
from reports.models import Report, ReportFigure
from tasks.models import DocumentImport
from tests.ops.support import build_world

pytestmark = pytest.mark.django_db(transaction=True)

PG = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def _pg_available() -> bool:
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=2, **PG).close()
    except psycopg2.OperationalError:
        return False
    return True


def _other_database(tmp: Path):
    """A config for the other kind of database (and a cleanup)."""
    base = dict(settings.DATABASES["default"])
    if connection.vendor == "postgresql":
        return {**base, "ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp / "other.sqlite3"), "OPTIONS": {},
                "HOST": "", "PORT": "", "USER": "", "PASSWORD": ""}, lambda: None
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("CI has PostgreSQL on 127.0.0.1:5432")
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    name = f"fazhi_restore_xdb_{os.getpid()}"
    admin = psycopg2.connect(dbname="postgres", **PG)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()

    config = {**base, "ENGINE": "django.db.backends.postgresql", "NAME": name, "HOST": PG["host"],
              "PORT": str(PG["port"]), "USER": PG["user"], "PASSWORD": "", "OPTIONS": {}, "CONN_MAX_AGE": 0}
    return config, drop


def _values(using: str) -> dict[str, object]:
    return {
        "reports": sorted(Report.objects.using(using).values_list("pk", "measures", "state", "updated_at",
                                                                 "is_late")),
        "figures": sorted(ReportFigure.objects.using(using).values_list("pk", "value")),
        "imports": list(DocumentImport.objects.using(using).values_list("data", "mapping", "created_at")),
        "changes": sorted((e.content_type.app_label, e.content_type.model, e.object_pk, e.action, e.timestamp)
                          for e in LogEntry.objects.using(using).select_related("content_type")),
    }


def test_a_backup_restores_into_the_other_kind_of_database_with_equal_values(tmp_path):
    build_world(files=2)
    archive_path = tmp_path / "b.tar"
    call_command("backup", output=str(archive_path))
    before = _values("default")
    config, drop = _other_database(tmp_path)
    try:
        with scratch_alias("xdb", config) as alias, tempfile.TemporaryDirectory() as files:
            call_command("migrate", database=alias, interactive=False, verbosity=0)
            archive = open_archive(archive_path)
            try:
                restore_archive(archive, using=alias, storage=FileSystemStorage(location=files))
            finally:
                archive.tar.close()
            after = _values(alias)
            assert after == before
            assert any("\t" in r[1] and "\\" in r[1] for r in after["reports"])
            assert sorted(p.name for p in Path(files).rglob("*.pdf")) == ["evidence0.pdf", "evidence1.pdf"]
    finally:
        drop()
