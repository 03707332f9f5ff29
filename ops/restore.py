"""Restoring a portable backup: every check first, then one transaction, streamed.

Order of work, so that a refused or failed restore leaves the target exactly as it was:
1. read the archive's headers and manifest; verify the sha256 of every member against the manifest and of
   every file against the file index (a corrupt or truncated archive stops here);
2. compare the schema: a migration the archive has and this code does not know means a newer Fazhi made it;
3. the target must be empty (every table the archive fills), and no stored file may differ under the same name;
4. in one transaction: rows in batches (``COPY`` on PostgreSQL, ``executemany`` on SQLite), content-type and
   permission ids translated, sequences reset, constraints checked; then the files are written. If anything
   fails the transaction rolls back and the files written so far are deleted.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import gzip
import json
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.management.color import no_style
from django.db import DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader

from ops.archive import sha256_of
from ops.portable import COPY_OPTIONS, FORMAT_VERSION, Log

BATCH = 5000


class RestoreError(Exception):
    """Refused or failed restore; the message is for people (Chinese) and nothing was changed."""


@dataclass
class Archive:
    path: Path
    tar: tarfile.TarFile
    manifest: dict
    members: dict[str, tarfile.TarInfo]
    files: list[tuple[str, int, str]] = field(default_factory=list)

    def open(self, name: str):
        return self.tar.extractfile(self.members[name])


def is_legacy(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def open_archive(path: Path, *, verify: bool = True) -> Archive:
    """Open and check a format-2 archive. Raises RestoreError with the reason in Chinese."""
    if not path.is_file():
        raise RestoreError(f"找不到备份文件：{path}")
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115 — kept open in the Archive, closed by the caller
        members = {m.name: m for m in tar.getmembers()}
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise RestoreError(f"备份文件无法读取，已损坏或不是 Fazhi 备份（{exc}）。未做任何更改。") from exc
    if "manifest.json" not in members:
        tar.close()
        raise RestoreError("备份文件不完整：缺少清单 manifest.json（通常是复制或写入时被截断）。未做任何更改。")
    try:
        manifest = json.loads(tar.extractfile(members["manifest.json"]).read())
        tables = manifest["tables"]
    except (ValueError, KeyError, TypeError, tarfile.TarError, OSError) as exc:
        tar.close()
        raise RestoreError("备份清单 manifest.json 已损坏，无法读取。未做任何更改。") from exc
    if manifest.get("format") != FORMAT_VERSION:
        tar.close()
        raise RestoreError(f"不支持的备份格式：{manifest.get('format')}（此版本读取格式 {FORMAT_VERSION}）。")
    archive = Archive(path=path, tar=tar, manifest=manifest, members=members)
    if verify:
        try:
            _verify(archive, tables)
        except BaseException:
            tar.close()
            raise
    return archive


def _verify(archive: Archive, tables: dict) -> None:
    for label, info in tables.items():
        _check_member(archive, info["member"], info["sha256"], f"数据表 {label}")
    _check_member(archive, "files.jsonl.gz", archive.manifest["files"]["index_sha256"], "文件清单")
    with gzip.open(archive.open("files.jsonl.gz"), "rt", encoding="utf-8") as index:
        for line in index:
            name, size, digest = json.loads(line)
            _check_member(archive, f"files/{name}", digest, f"文件 {name}")
            archive.files.append((name, size, digest))
    if len(archive.files) != archive.manifest["files"]["count"]:
        raise RestoreError("备份文件已损坏：文件数量与清单不符。未做任何更改。")


def _check_member(archive: Archive, name: str, digest: str, what: str) -> None:
    if name not in archive.members:
        raise RestoreError(f"备份文件不完整：缺少{what}（{name}）。未做任何更改。")
    try:
        _, actual = sha256_of(archive.open(name))
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise RestoreError(f"备份文件已损坏：{what}无法读取（{exc}）。未做任何更改。") from exc
    if actual != digest:
        raise RestoreError(f"备份文件已损坏：{what}的校验值（SHA-256）与清单不符。未做任何更改。")


# --- checks against the target -------------------------------------------------------------------------

def check_schema(manifest: dict, connection) -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    archived = {tuple(m) for m in manifest["migrations"]}
    newer = sorted(archived - known - set(loader.replacements))
    if newer:
        shown = "、".join(f"{app}.{name}" for app, name in newer[:3])
        raise RestoreError(f"备份来自较新版本的 Fazhi：数据库结构 {shown} 在此版本中不存在。"
                           f"请先把本服务器升级到备份时的版本再恢复。未做任何更改。")
    applied = set(loader.applied_migrations)
    older = sorted(applied - archived)
    if older:
        shown = "、".join(f"{app}.{name}" for app, name in older[:3])
        raise RestoreError(f"备份来自较旧版本的 Fazhi（缺少数据库结构 {shown}）。请在备份时的版本上恢复，"
                           f"再升级（升级会迁移数据）。未做任何更改。")


def nonempty_tables(manifest: dict, connection) -> list[str]:
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    full = []
    with connection.cursor() as cursor:
        for label, info in manifest["tables"].items():
            if info["table"] not in existing:
                raise RestoreError(f"目标数据库缺少数据表 {info['table']}（{label}），数据库结构与备份不一致。")
            cursor.execute(f"SELECT 1 FROM {quote(info['table'])} LIMIT 1")
            if cursor.fetchone():
                full.append(label)
    return full


def conflicting_files(files: list[tuple[str, int, str]], storage: Storage) -> list[str]:
    clashes = []
    for name, _size, digest in files:
        if storage.exists(name):
            with storage.open(name, "rb") as fh:
                if sha256_of(fh)[1] != digest:
                    clashes.append(name)
    return clashes


# --- loading -------------------------------------------------------------------------------------------

def _rows(archive: Archive, member: str) -> Iterator[list]:
    with gzip.open(archive.open(member), "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _sqlite_datetime(value: str) -> str:
    moment = dt.datetime.fromisoformat(value).astimezone(dt.UTC).replace(tzinfo=None)
    return str(moment)


_SQLITE: dict[str, Callable] = {
    "datetime": _sqlite_datetime,
    "binary": base64.b64decode,
}

def _id_maps(manifest: dict, using: str) -> dict[str, dict[int, int]]:
    """Archive ids of content types and permissions → this database's ids (created when missing)."""
    types: dict[int, int] = {}
    for old, app_label, model in manifest["contenttypes"]:
        types[old] = ContentType.objects.db_manager(using).get_or_create(app_label=app_label, model=model)[0].pk
    perms: dict[int, int] = {}
    for old, ct, codename, name in manifest["permissions"]:
        if ct in types:
            perms[old] = Permission.objects.db_manager(using).get_or_create(
                content_type_id=types[ct], codename=codename, defaults={"name": name[:255]})[0].pk
    return {"contenttype": types, "permission": perms}


def _kinds(label: str, columns: list[str]) -> list[str]:
    from ops.portable import columns_of

    try:
        model = apps.get_model(label)
    except LookupError:
        return [""] * len(columns)
    by_name = {c.name: c.kind for c in columns_of(model)}
    return [by_name.get(name, "") for name in columns]


def _load_table(archive: Archive, connection, label: str, info: dict, maps: dict) -> int:
    columns = info["columns"]
    kinds = _kinds(label, columns)
    remap = {columns.index(col): maps[kind] for col, kind in info.get("remap", {}).items() if col in columns}
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        remapped = {columns.index(col): kind for col, kind in info.get("remap", {}).items() if col in columns}
        return _load_table_pg(archive, connection, info, kinds, remapped)
    rows = _rows(archive, info["member"])
    converters = [(i, _SQLITE[k]) for i, k in enumerate(kinds) if k in _SQLITE]
    sql = (f"INSERT INTO {quote(info['table'])} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    count = 0
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            for i, mapping in remap.items():
                if row[i] is not None:
                    row[i] = mapping[row[i]]
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


_PG_VALUE = {"binary": "decode({}, 'base64')", "duration": "make_interval(secs => {}::numeric / 1000000)"}
_TEXT_TYPES = ("text", "character varying", "character")


def _load_table_pg(archive: Archive, connection, info: dict, kinds: list[str], remap: dict[int, str]) -> int:
    """PostgreSQL does the parsing: the JSON lines go verbatim (COPY, CSV with characters JSON never holds
    unescaped) into a temporary jsonb table, then one INSERT … SELECT casts each element to its column's
    type. Text is not cast (an over-long value then fails loudly instead of being cut)."""
    quote = connection.ops.quote_name
    table, columns = info["table"], info["columns"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                       "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped", [quote(table)])
        types = dict(cursor.fetchall())
        exprs = []
        for i, (name, kind) in enumerate(zip(columns, kinds, strict=True)):
            value = f"(j->>{i})"
            if i in remap:
                value = f"(SELECT new FROM fazhi_restore_map WHERE kind = '{remap[i]}' AND old = {value}::bigint)"
            elif kind in _PG_VALUE:
                value = _PG_VALUE[kind].format(value)
            elif not types[name].startswith(_TEXT_TYPES):
                value = f"{value}::{types[name]}"
            exprs.append(value)
        cursor.execute("TRUNCATE fazhi_restore_rows")
        with archive.open(info["member"]) as raw, gzip.GzipFile(fileobj=raw) as lines:
            cursor.cursor.copy_expert(f"COPY fazhi_restore_rows (j) FROM STDIN WITH {COPY_OPTIONS}", lines,
                                      size=1 << 16)
        cursor.execute(f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
                       f"SELECT {', '.join(exprs)} FROM fazhi_restore_rows")
        return cursor.rowcount


def _prepare_pg(connection, maps: dict[str, dict[int, int]]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE fazhi_restore_rows (j jsonb) ON COMMIT DROP")
        cursor.execute("CREATE TEMPORARY TABLE fazhi_restore_map (kind text, old bigint, new bigint, "
                       "PRIMARY KEY (kind, old)) ON COMMIT DROP")
        pairs = [(kind, old, new) for kind, mapping in maps.items() for old, new in mapping.items()]
        if pairs:
            cursor.executemany("INSERT INTO fazhi_restore_map VALUES (%s, %s, %s)", pairs)


def _set_aside_pg_constraints(connection, tables: list[str]) -> list[str]:
    """What pg_restore does: load first, then build the secondary indexes and check the foreign keys in
    bulk. Dropped inside the restore's transaction and re-created before it commits (DDL is transactional
    in PostgreSQL), so a failure anywhere leaves the schema and data as they were. Re-adding a foreign key
    validates every row with one join instead of millions of per-row trigger checks."""
    recreate: list[str] = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT con.conrelid::regclass::text, con.conname, pg_get_constraintdef(con.oid) FROM pg_constraint con "
            "JOIN pg_class c ON c.oid = con.conrelid WHERE con.contype = 'f' AND c.relname = ANY(%s) "
            "AND c.relnamespace = 'public'::regnamespace ORDER BY 1, 2", [tables])
        foreign = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid WHERE c.relname = ANY(%s) "
            "AND c.relnamespace = 'public'::regnamespace AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1", [tables])
        indexes = cursor.fetchall()
        for table, name, definition in foreign:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            recreate.append(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        for name, definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
            recreate.insert(0, definition)  # indexes first: the foreign-key checks then use them
    return recreate


def _reset_sequences(connection, labels: list[str]) -> None:
    models = []
    for label in labels:
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def restore_archive(archive: Archive, *, using: str = "default", force: bool = False,
                    storage: Storage | None = None, log: Log | None = None) -> dict[str, int]:
    """Load a checked archive (see ``open_archive``) into the database ``using`` and the files into
    ``storage`` (the site's own by default; the drill passes a scratch one); returns rows per table."""
    log = log or (lambda line: None)
    storage = storage or default_storage
    connection = connections[using]
    manifest = archive.manifest
    check_schema(manifest, connection)
    full = nonempty_tables(manifest, connection)
    if full and not force:
        shown = "、".join(full[:3])
        raise RestoreError(f"目标数据库已有数据（{shown} 等 {len(full)} 张表非空）。恢复只能在空数据库上进行，"
                           f"以免覆盖现有数据；确需覆盖请先另行备份，再使用 --force。未做任何更改。")
    clashes = conflicting_files(archive.files, storage)
    if clashes:
        raise RestoreError(f"文件存储中已有同名但内容不同的文件（{clashes[0]} 等 {len(clashes)} 个）。"
                           f"为免覆盖，恢复已停止，未做任何更改。")
    written: list[str] = []
    loaded: dict[str, int] = {}
    try:
        with transaction.atomic(using=using):
            if full:
                _empty_tables(connection, manifest)
            maps = _id_maps(manifest, using)
            recreate: list[str] = []
            if connection.vendor == "postgresql":
                _prepare_pg(connection, maps)
                recreate = _set_aside_pg_constraints(
                    connection, [info["table"] for info in manifest["tables"].values()])
            for label, info in manifest["tables"].items():
                count = _load_table(archive, connection, label, info, maps)
                if count != info["rows"]:
                    raise RestoreError(f"数据表 {label} 读出 {count} 行，清单记录 {info['rows']} 行；恢复已撤销。")
                loaded[label] = count
                if count:
                    log(f"  {label}: {count:,} 行")
            _reset_sequences(connection, list(manifest["tables"]))
            if recreate:
                log(f"  重建 {len(recreate)} 个索引和外键约束")
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for statement in recreate:
                        cursor.execute(statement)
            connection.check_constraints()
            for name, _size, _digest in archive.files:
                if storage.exists(name):
                    continue  # identical (checked above)
                with archive.open(f"files/{name}") as fh:
                    saved = storage.save(name, File(fh, name=name))
                written.append(saved)
                if saved != name:
                    raise RestoreError(f"文件未能按原名恢复：{name} → {saved}；恢复已撤销。")
    except DatabaseError as exc:
        _delete(storage, written)
        raise RestoreError(f"写入数据库失败，恢复已全部撤销，目标保持原样（{exc}）。") from exc
    except BaseException:
        _delete(storage, written)
        raise
    return loaded


def _empty_tables(connection, manifest: dict) -> None:
    tables = [info["table"] for info in manifest["tables"].values()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True):
            cursor.execute(sql)


def _delete(storage: Storage, names: list[str]) -> None:
    for name in names:
        with contextlib.suppress(Exception):  # best effort; the original error is the one to report
            storage.delete(name)
