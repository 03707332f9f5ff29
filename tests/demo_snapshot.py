"""The demo, loaded by the real ``load_demo`` once per test process and then copied back row for row.

``load_demo`` files every report, self-assessment and score through the services (≈ 17,000 rows with their
history and audit entries): 25 s on SQLite, more on PostgreSQL. Some thirty tests start from a freshly
loaded demo, most of them browser tests whose live server empties the database after each test. They
call :func:`load_demo` here instead: the first call in a process runs the command itself, keeps every
table's rows and the files it wrote, and later calls put exactly those rows and files back (well under a
second). The command's own behaviour (a second run, refusals, the logins) is still exercised by the
tests that run it after this.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# Never copied: which migrations ran is the test database's own, never the demo's.
_KEEP = {"django_migrations"}


@dataclass(frozen=True)
class _Snapshot:
    output: str
    # Rows as PostgreSQL's COPY text (exact for every type), or as the tuples SQLite gave.
    tables: dict[str, tuple[list[str], list[tuple]] | str]
    media: Path | None  # a copy of MEDIA_ROOT as the command left it; None if it wrote no file


_snapshots: dict[str, _Snapshot] = {}


def _tables() -> list[str]:
    return sorted(set(connection.introspection.django_table_names(only_existing=True)) - _KEEP)


def _take(output: str, store: Path) -> _Snapshot:
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
                tables[table] = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
                tables[table] = ([c[0] for c in cursor.description], cursor.fetchall())
    media = None
    if Path(settings.MEDIA_ROOT).exists():
        store.mkdir(parents=True, exist_ok=True)
        media = Path(tempfile.mkdtemp(dir=store)) / "media"  # its own directory, whatever was kept before
        shutil.copytree(settings.MEDIA_ROOT, media)
    return _Snapshot(output=output, tables=tables, media=media)


@transaction.atomic
def _restore(snapshot: _Snapshot) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Foreign keys are checked at commit (Django creates them deferrable), so the order does not matter.
        for table in _tables():
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, rows in snapshot.tables.items():
            if isinstance(rows, str):
                cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.StringIO(rows))
                continue
            columns, rows = rows
            if rows:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({', '.join(map(quote, columns))}) "
                                   f"VALUES ({marks})", rows)
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)
    if snapshot.media is not None:
        shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)


def load_demo(*args: str, store: Path) -> str:
    """The demo in an empty database, as ``call_command("load_demo", *args)`` leaves it; returns its output.

    ``store`` is a directory that lives as long as the process (pytest's ``tmp_path_factory``); the key
    includes the demo password, which is hashed into the users' rows.
    """
    from accounts.models import User
    from tasks.models import Unit

    # A snapshot of a database that already held the test's own rows would carry them into other tests.
    assert not User.objects.exists() and not Unit.objects.exists(), "the demo snapshot needs an empty database"
    key = f"{settings.FAZHI_DEMO_PASSWORD}|{' '.join(args)}"
    snapshot = _snapshots.get(key)
    if snapshot is None:
        out = StringIO()
        call_command("load_demo", *args, stdout=out)
        _snapshots[key] = _take(out.getvalue(), store)
        return out.getvalue()
    _restore(snapshot)
    return snapshot.output
