"""The portable backup (format 2): every table as JSON Lines, every stored file, one manifest — streamed.

Rows go from the database cursor to the archive as they are read (a server-side cursor on PostgreSQL,
``fetchmany`` on SQLite), so memory stays flat whatever the size. Values are written in one canonical form
(UTC ISO datetimes, decimal strings, booleans as booleans), so a backup moves between SQLite and PostgreSQL
and between servers. The archive is a plain tar (not compressed as a whole, so the manifest at its end and
any member can be found without reading the rest):

    data/<app_label>.<model>.jsonl.gz   one JSON array per row, columns as listed in the manifest
    files/<storage name>                every stored file, read through the storage API (disk or S3)
    files.jsonl.gz                      [name, size, sha256] per file
    manifest.json                       written last: format, schema (applied migrations), per table the
                                        columns, row count and sha256 of its member, the content types

Content types and permissions are not restored as rows (``migrate`` creates them, with ids of its own); the
columns that point at them are translated through their natural keys. Sessions are not kept.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from ops.archive import StreamingTarWriter

FORMAT_VERSION = 2
# Rebuilt by `migrate` (and remapped by natural key) or not worth keeping (everyone signs in again).
NOT_COPIED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}
REMAPPED = {"contenttypes.contenttype": "contenttype", "auth.permission": "permission"}
FETCH = 5000
Log = Callable[[str], None]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # canonical conversion, see _KIND_OF
    field: models.Field


_KIND_OF = {
    "DateTimeField": "datetime", "DateField": "date", "TimeField": "time", "DecimalField": "decimal",
    "UUIDField": "uuid", "DurationField": "duration", "BinaryField": "binary", "BooleanField": "bool",
    "NullBooleanField": "bool", "JSONField": "json",
}


def copied_models() -> list[type[models.Model]]:
    chosen = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped or opts.label_lower in NOT_COPIED:
            continue
        chosen.append(model)
    return sorted(chosen, key=lambda m: m._meta.label_lower)


def columns_of(model: type[models.Model]) -> list[Column]:
    return [Column(f.column, _KIND_OF.get(f.get_internal_type(), ""), f) for f in model._meta.concrete_fields]


def remapped_columns(model: type[models.Model]) -> dict[str, str]:
    """Columns holding a content type or permission id, which differ between databases."""
    out = {}
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model is not None:
            kind = REMAPPED.get(field.related_model._meta.label_lower)
            if kind:
                out[field.column] = kind
    return out


# --- canonical form (written) ---------------------------------------------------------------------------

def _dump_datetime(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)  # Django keeps naive UTC on SQLite (USE_TZ)
    return value.isoformat()


def _dump_decimal(value, field):
    return str(field.to_python(value))


_DUMP: dict[str, Callable] = {
    "datetime": lambda v, f: _dump_datetime(v),
    "date": lambda v, f: v if isinstance(v, str) else v.isoformat(),
    "time": lambda v, f: v if isinstance(v, str) else v.isoformat(),
    "decimal": _dump_decimal,
    "uuid": lambda v, f: uuid.UUID(str(v)).hex,
    "duration": lambda v, f: v if isinstance(v, int) else (v // dt.timedelta(microseconds=1)),
    "binary": lambda v, f: base64.b64encode(bytes(v)).decode("ascii"),
    "bool": lambda v, f: bool(v),
    "json": lambda v, f: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False),
}


def _converters(columns: list[Column], table: dict[str, Callable]) -> list[tuple[int, Callable, models.Field]]:
    return [(i, table[c.kind], c.field) for i, c in enumerate(columns) if c.kind and c.kind in table]


def _stream_rows(connection, table: str, columns: list[Column]) -> Iterator[list]:
    """SQLite: rows in batches from one cursor inside the backup's transaction."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(quote(c.name) for c in columns)} FROM {quote(table)}")
        while rows := cursor.fetchmany(FETCH):
            yield from rows


def _applied_migrations(connection) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder.Migration.objects.using(connection.alias)
                  .values_list("app", "name"))


def _file_names(connection) -> Iterator[str]:
    """Every stored file name, without loading them all: one DISTINCT query per file field."""
    for model in copied_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = (model._default_manager.using(connection.alias).exclude(**{field.name: ""})
                         .exclude(**{f"{field.name}__isnull": True}).order_by(field.name)
                         .values_list(field.name, flat=True).distinct())
                yield from names.iterator(chunk_size=FETCH)


def create_backup(*, output: Path, using: str = "default", log: Log | None = None) -> dict[str, object]:
    """Write the portable backup to ``output``; returns the manifest. A failure leaves no file behind."""
    log = log or (lambda line: None)
    connection = connections[using]
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    if connection.in_atomic_block:
        raise RuntimeError("create_backup opens its own snapshot transaction; call it outside transaction.atomic()")
    writer = StreamingTarWriter(partial)
    try:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # One snapshot for every table: without it, each SELECT would see a different moment.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    # json_build_array writes timestamps in the session's zone: UTC, like the SQLite path.
                    cursor.execute("SET LOCAL TimeZone = 'UTC'")
            manifest = _write_everything(writer, connection, log)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    partial.replace(output)
    return manifest


def _write_rows(rows: Iterator, converters, gz) -> int:
    count = 0
    batch: list[str] = []
    for row in rows:
        if converters:
            row = list(row)
            for i, convert, field in converters:
                if row[i] is not None:
                    row[i] = convert(row[i], field)
        batch.append(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
        if len(batch) >= FETCH:
            gz.write(("\n".join(batch) + "\n").encode("utf-8"))
            count += len(batch)
            batch.clear()
    if batch:
        gz.write(("\n".join(batch) + "\n").encode("utf-8"))
        count += len(batch)
    return count


# PostgreSQL builds each JSON line itself (C speed, no Python per row): COPY of json_build_array(...) in CSV
# with quote and delimiter characters that JSON never contains unescaped, so the lines come out verbatim.
COPY_OPTIONS = "(FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
_PG_EXPR = {
    "decimal": "{}::text", "json": "{}::text", "uuid": "replace({}::text, '-', '')",
    "duration": "(extract(epoch from {}) * 1000000)::bigint",
    "binary": "replace(encode({}, 'base64'), E'\\n', '')",
}


class _CountingSink:
    def __init__(self, target) -> None:
        self.target = target
        self.lines = 0

    def write(self, data) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        return self.target.write(data)


def _copy_out(connection, table: str, columns: list[Column], gz) -> int:
    quote = connection.ops.quote_name
    exprs = ", ".join(_PG_EXPR.get(c.kind, "{}").format(quote(c.name)) for c in columns)
    sink = _CountingSink(gz)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY (SELECT json_build_array({exprs}) FROM {quote(table)}) TO STDOUT "
                                  f"WITH {COPY_OPTIONS}", sink, size=1 << 16)
    return sink.lines


def _write_everything(writer: StreamingTarWriter, connection, log: Log) -> dict[str, object]:
    started = timezone.now()
    tables: dict[str, dict[str, object]] = {}
    for model in copied_models():
        columns = columns_of(model)
        converters = _converters(columns, _DUMP)
        label = model._meta.label_lower
        member = f"data/{label}.jsonl.gz"
        count = 0
        with writer.member(member) as out, gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0) as gz:
            if connection.vendor == "postgresql":
                count = _copy_out(connection, model._meta.db_table, columns, gz)
            else:
                count = _write_rows(_stream_rows(connection, model._meta.db_table, columns), converters, gz)
        tables[label] = {"table": model._meta.db_table, "columns": [c.name for c in columns], "rows": count,
                         "member": member, "sha256": out.sha256.hexdigest(), "remap": remapped_columns(model)}
        if count:
            log(f"  {label}: {count:,} 行")

    file_count = file_bytes = 0
    missing: list[str] = []
    missing_count = 0
    # The index goes to a temporary file first: file members cannot be written inside another member.
    with tempfile.TemporaryFile() as spool:
        with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=6, mtime=0) as index:
            for name in _file_names(connection):
                try:
                    source = default_storage.open(name, "rb")
                except FileNotFoundError:
                    missing_count += 1
                    if len(missing) < 50:
                        missing.append(name)
                    continue
                with source:
                    size, digest = writer.add_stream(f"files/{name}", source)
                index.write((json.dumps([name, size, digest], ensure_ascii=False) + "\n").encode("utf-8"))
                file_count += 1
                file_bytes += size
        spool.seek(0)
        _, index_digest = writer.add_stream("files.jsonl.gz", spool)
    if file_count:
        log(f"  文件: {file_count:,} 个, {file_bytes / 1e6:.1f} MB")

    manifest = {
        "format": FORMAT_VERSION,
        "created": started.isoformat(),
        "finished": timezone.now().isoformat(),
        "site": settings.FAZHI_SITE_NAME,
        "database": connection.vendor,
        "migrations": _applied_migrations(connection),
        "tables": tables,
        "contenttypes": list(ContentType.objects.using(connection.alias).values_list("id", "app_label", "model")),
        "permissions": list(Permission.objects.using(connection.alias).values_list("id", "content_type_id",
                                                                                    "codename", "name")),
        "files": {"count": file_count, "bytes": file_bytes, "index_sha256": index_digest},
        "missing_files": {"count": missing_count, "first": missing},
        "counts": {label: info["rows"] for label, info in tables.items()},
    }
    writer.add_bytes("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return manifest
