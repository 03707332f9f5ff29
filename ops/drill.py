"""The restore drill: restore the latest backup somewhere harmless, prove it is whole, time it.

Two kinds (``manage.py restore_drill --kind``):
- ``portable``: the newest archive in FAZHI_BACKUP_DIR into a scratch database (``fazhi_restore_drill_…`` on
  the same PostgreSQL server, or a temporary SQLite file) and a scratch file directory. Checks: every
  checksum, row counts per table against the manifest, every restored file against its checksum, a sample of
  reports read back through the ORM and compared field by field with the archive, migrations current.
- ``pitr`` (PostgreSQL with pgBackRest): writes a marker row, notes the moment T, writes a second marker,
  waits until the WAL holding it is archived, then restores the latest base backup plus WAL to T into a
  scratch cluster on its own port. Checks: the first marker is there and the second is not (the data of that
  moment is there and later data is not), migrations current, a sample of reports unchanged since T reads
  back equal. With ``--target-time`` an operator picks the minute instead; then every change-log, report
  event and security event row stamped up to a minute before T must be there and none after T.
The scratch database, cluster and files are always removed afterwards; the outcome is recorded either way.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import os
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend
from django.utils import timezone

from ops.archive import sha256_of
from ops.portable import _DUMP, columns_of
from ops.restore import RestoreError, open_archive, restore_archive

Log = Callable[[str], None]
SAMPLE = 20


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class DrillResult:
    kind: str
    backup: str = ""
    backup_created: dt.datetime | None = None
    target_time: dt.datetime | None = None
    checks: list[Check] = field(default_factory=list)
    error: str = ""
    started_at: dt.datetime = field(default_factory=timezone.now)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.checks) and all(c.ok for c in self.checks)

    def check(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), detail))
        return ok


def latest_archive(directory: Path | None = None) -> Path:
    directory = Path(directory or settings.FAZHI_BACKUP_DIR)
    found = sorted((p for p in directory.glob("*.tar") if p.is_file()), key=lambda p: p.stat().st_mtime)
    if not found:
        raise RestoreError(f"{directory} 中没有备份文件（*.tar）。请先运行 manage.py backup。")
    return found[-1]


# --- scratch databases -----------------------------------------------------------------------------------

DRILL_ALIAS = "restore_drill"


@contextmanager
def scratch_alias(alias: str, config: dict) -> Iterator[str]:
    """A database alias that exists only inside the block. It is not added to the configured settings
    (so nothing that walks every database — health checks, tests' isolation — ever sees it), only to this
    thread's connections."""
    backend = load_backend(config["ENGINE"])
    wrapper = backend.DatabaseWrapper(config, alias)
    setattr(connections._connections, alias, wrapper)
    try:
        yield alias
    finally:
        try:
            wrapper.close()
        finally:
            if getattr(connections._connections, alias, None) is wrapper:
                delattr(connections._connections, alias)


@contextmanager
def scratch_database(using: str = "default") -> Iterator[str]:
    base = dict(connections.settings[using])
    base["TEST"] = dict(base.get("TEST") or {})
    vendor = connections[using].vendor
    if vendor == "postgresql":
        name = f"fazhi_restore_drill_{timezone.now():%Y%m%d%H%M%S}_{os.getpid()}"
        with connections[using].cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            with scratch_alias(DRILL_ALIAS, {**base, "NAME": name, "CONN_MAX_AGE": 0}) as alias:
                yield alias
        finally:
            with connections[using].cursor() as cursor:
                # FORCE: a pooler (pgbouncer) may still hold idle server connections to the scratch database.
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    elif vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix="fazhi_restore_drill_") as tmp, \
                scratch_alias(DRILL_ALIAS, {**base, "NAME": str(Path(tmp) / "drill.sqlite3")}) as alias:
            yield alias
    else:
        raise RestoreError(f"不支持的数据库：{vendor}")


def migrations_current(alias: str) -> tuple[bool, str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return False, "尚未应用：" + "、".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
    return True, f"已应用全部 {len(executor.loader.applied_migrations)} 个迁移"


def _count(alias: str, table: str) -> int:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


def _comparable(row: list, columns) -> list:
    """Canonical values compared by meaning: "…:30.7+00:00" and "…:30.700000+00:00" are one moment,
    "99.5" and "99.50" one amount, JSON by its parsed value."""
    out = []
    for value, column in zip(row, columns, strict=True):
        if value is not None:
            if column.kind == "datetime":
                value = dt.datetime.fromisoformat(value)
            elif column.kind == "decimal":
                value = Decimal(value)
            elif column.kind == "json" and isinstance(value, str):
                value = json.loads(value)
        out.append(value)
    return out


def _canonical(obj, columns) -> list:
    row = []
    for column in columns:
        value = getattr(obj, column.field.attname)
        if value is not None and column.kind in _DUMP:
            value = _DUMP[column.kind](value, column.field)
        row.append(value)
    return _comparable(row, columns)


def _sample_archived_reports(archive, info: dict) -> list[list]:
    rows = info["rows"]
    if not rows:
        return []
    step = max(1, rows // SAMPLE)
    picked = []
    with gzip.open(archive.open(info["member"]), "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n % step == 0:
                picked.append(json.loads(line))
                if len(picked) >= SAMPLE:
                    break
    return picked


def _reports_read_back(result: DrillResult, alias: str, archive) -> None:
    from reports.models import Report

    info = archive.manifest["tables"].get("reports.report")
    if info is None:
        result.check("抽样读回报告", False, "备份中没有报告表")
        return
    columns = columns_of(Report)
    if [c.name for c in columns] != info["columns"]:
        result.check("抽样读回报告", False, "报告表的列与当前版本不一致")
        return
    archived = [_comparable(row, columns) for row in _sample_archived_reports(archive, info)]
    by_pk = {row[0]: row for row in archived}
    found = {r.pk: r for r in Report.objects.using(alias).filter(pk__in=by_pk)
             .select_related("obligation__item", "obligation__unit")}
    different = [pk for pk, row in by_pk.items() if pk not in found or _canonical(found[pk], columns) != row]
    shown = "；".join(f"#{r.pk} {r.obligation.unit.name}《{r.obligation.item.title[:20]}》{r.get_state_display()}"
                     for r in list(found.values())[:3])
    result.check("抽样读回报告", not different and (bool(archived) or info["rows"] == 0),
                 f"抽取 {len(archived)} 份，逐字段与备份一致 {len(archived) - len(different)} 份"
                 + (f"；不一致：{different[:5]}" if different else "") + (f"。例：{shown}" if shown else ""))


def run_portable_drill(*, archive_path: Path | None = None, using: str = "default",
                       log: Log | None = None) -> DrillResult:
    log = log or (lambda line: None)
    result = DrillResult(kind="portable")
    started = time.perf_counter()
    try:
        path = archive_path or latest_archive()
        result.backup = str(path)
        log(f"备份：{path}")
        archive = open_archive(path)
        try:
            manifest = archive.manifest
            result.backup_created = dt.datetime.fromisoformat(manifest["created"])
            result.check("备份文件完整性（SHA-256）", True,
                         f"{len(manifest['tables'])} 张表、{manifest['files']['count']} 个文件的校验值全部与清单一致")
            with scratch_database(using) as alias, tempfile.TemporaryDirectory(prefix="fazhi_drill_files_") as tmp:
                log(f"临时数据库：{connections[alias].settings_dict['NAME']}")
                call_command("migrate", database=alias, interactive=False, verbosity=0)
                storage = FileSystemStorage(location=tmp)
                t0 = time.perf_counter()
                restore_archive(archive, using=alias, storage=storage, log=log)
                result.check("恢复到临时数据库", True, f"用时 {time.perf_counter() - t0:.1f} 秒")
                wrong = [(label, info["rows"], _count(alias, info["table"]))
                         for label, info in manifest["tables"].items()
                         if _count(alias, info["table"]) != info["rows"]]
                total = sum(info["rows"] for info in manifest["tables"].values())
                mismatches = "；".join(f"{lbl} 清单 {a} 行，恢复后 {b} 行" for lbl, a, b in wrong[:5])
                result.check("各表行数与清单一致", not wrong,
                             f"{len(manifest['tables'])} 张表共 {total:,} 行" if not wrong else f"不一致：{mismatches}")
                bad_files = []
                for name, size, digest in archive.files:
                    with storage.open(name, "rb") as fh:
                        if sha256_of(fh) != (size, digest):
                            bad_files.append(name)
                result.check("文件读回校验", not bad_files,
                             f"{len(archive.files)} 个文件读回后校验值一致" if not bad_files
                             else f"{len(bad_files)} 个不一致：{bad_files[:3]}")
                _reports_read_back(result, alias, archive)
                ok, detail = migrations_current(alias)
                result.check("数据库结构为当前版本", ok, detail)
        finally:
            archive.tar.close()
    except Exception as exc:  # the drill records every failure; the command exits non-zero
        result.error = str(exc) or type(exc).__name__
    result.seconds = time.perf_counter() - started
    return result


# --- point-in-time -------------------------------------------------------------------------------------

def _wait_archived(alias: str, timeout: float) -> str:
    """Close the current WAL segment (or wait for archive_timeout) until the one holding our last commit
    is archived; returns its name."""
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_walfile_name(pg_current_wal_lsn())")
        needed = cursor.fetchone()[0]
        with contextlib.suppress(DatabaseError):  # not a superuser: archive_timeout closes it within a minute
            cursor.execute("SELECT pg_switch_wal()")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT last_archived_wal, last_failed_wal FROM pg_stat_archiver")
            archived, _failed = cursor.fetchone()
        if archived and archived[:24] >= needed:
            return needed
        time.sleep(0.5)
    raise RestoreError(f"WAL 段 {needed} 在 {timeout:.0f} 秒内没有归档。"
                       "请检查 archive_command（pgBackRest archive-push）。")


def run_pitr_drill(*, target_time: dt.datetime | None = None, using: str = "default",
                   log: Log | None = None) -> DrillResult:
    from ops.models import PitrMarker
    from ops.pgtools import Cluster, PgToolError, latest_backup, pgbackrest

    log = log or (lambda line: None)
    result = DrillResult(kind="pitr")
    started = time.perf_counter()
    workdir: Path | None = None
    cluster: Cluster | None = None
    try:
        if connections[using].vendor != "postgresql":
            raise RestoreError("时间点恢复演练只适用于 PostgreSQL。")
        backup = latest_backup()
        result.backup = f"pgBackRest {settings.FAZHI_PGBACKREST_STANZA} / {backup['label']}"
        result.backup_created = dt.datetime.fromtimestamp(backup["timestamp"]["stop"], tz=dt.UTC)
        token = uuid.uuid4().hex
        if target_time is None:
            PitrMarker.objects.using(using).create(token=token, side="before")
            time.sleep(1.1)
            with connections[using].cursor() as cursor:
                cursor.execute("SELECT clock_timestamp()")
                target = cursor.fetchone()[0]
            time.sleep(1.1)
            PitrMarker.objects.using(using).create(token=token, side="after")
            log(f"标记已写入，目标时间点 {timezone.localtime(target):%Y-%m-%d %H:%M:%S}")
            segment = _wait_archived(using, timeout=180)
            log(f"WAL {segment} 已归档")
        else:
            target = target_time
        result.target_time = target

        workdir = Path(tempfile.mkdtemp(prefix="fazhi_pitr_drill_", dir=settings.FAZHI_DRILL_DIR or None))
        owner = settings.FAZHI_PG_RUN_AS
        if owner and os.getuid() == 0:
            shutil.chown(workdir, owner)
        data, sock = workdir / "data", workdir / "sock"
        from ops.pgtools import run

        run(["mkdir", "-m", "700", str(data), str(sock)], what="创建临时目录")
        cluster = Cluster(data=data, port=settings.FAZHI_DRILL_PORT, socket_dir=sock, log=workdir / "pg.log")
        t0 = time.perf_counter()
        # pgBackRest wants "YYYY-MM-DD HH:MM:SS.mmm+00" (milliseconds, explicit zone).
        when = f"{target.astimezone(dt.UTC):%Y-%m-%d %H:%M:%S.%f}"[:-3] + "+00"
        pgbackrest(f"--pg1-path={data}", "--type=time", f"--target={when}", "--target-action=promote", "restore",
                   what="pgBackRest 时间点恢复")
        _complete_config(data)
        # Never archive into the real repository; no network; modest memory beside the live server.
        # (max_connections and similar must not be lower than on the primary, or recovery refuses.)
        cluster.start("-c archive_mode=off", "-c listen_addresses=''", "-c shared_buffers=128MB")
        cluster.wait_until_promoted()
        result.check("恢复基础备份并重放 WAL 到目标时间点", True,
                     f"{timezone.localtime(target):%Y-%m-%d %H:%M:%S}，用时 {time.perf_counter() - t0:.1f} 秒")
        config = {**connections.settings[using], "HOST": str(sock), "PORT": str(cluster.port), "USER": "postgres",
                  "PASSWORD": "", "CONN_MAX_AGE": 0, "OPTIONS": {}, "DISABLE_SERVER_SIDE_CURSORS": False}
        with scratch_alias(DRILL_ALIAS, config) as alias:
            if target_time is None:
                sides = set(PitrMarker.objects.using(alias).filter(token=token).values_list("side", flat=True))
                before, after = "before" in sides, "after" in sides
                result.check("目标时间点之前的数据已恢复", before,
                             "时间点前写入的标记行存在" if before else "时间点前写入的标记行缺失")
                result.check("目标时间点之后的数据未恢复", not after,
                             "时间点后写入的标记行不存在" if not after else "时间点后写入的标记行出现在恢复结果中")
            else:
                _timestamped_checks(result, using, alias, target)
            _unchanged_reports(result, using, alias, target)
            ok, detail = migrations_current(alias)
            result.check("数据库结构为当前版本", ok, detail)
    except (PgToolError, RestoreError) as exc:
        result.error = str(exc)
    except Exception as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        if cluster is not None:
            try:
                cluster.stop("immediate")
            except Exception as exc:
                result.error = result.error or f"临时集群未能停止：{exc}"
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _complete_config(data: Path) -> None:
    """Debian keeps postgresql.conf and pg_hba.conf in /etc, outside the data directory a backup copies;
    the scratch cluster then needs minimal ones (local socket only, in a private directory)."""
    conf, hba = data / "postgresql.conf", data / "pg_hba.conf"
    if not conf.exists():
        conf.write_text("# written by Fazhi's restore drill\n", encoding="utf-8")
    if not hba.exists():
        hba.write_text("local all all trust\n", encoding="utf-8")
    owner = settings.FAZHI_PG_RUN_AS
    if owner and os.getuid() == 0:
        for path in (conf, hba):
            shutil.chown(path, owner)


def _timestamped_checks(result: DrillResult, live: str, restored: str, target: dt.datetime) -> None:
    from auditlog.models import LogEntry

    from audit.models import SecurityEvent
    from reports.models import ReportEvent

    settled = target - dt.timedelta(minutes=1)
    for model, stamp, label in ((LogEntry, "timestamp", "数据变更日志"), (ReportEvent, "at", "报告流转记录"),
                                (SecurityEvent, "at", "安全事件")):
        later = model.objects.using(restored).filter(**{f"{stamp}__gt": target}).count()
        want = set(model.objects.using(live).filter(**{f"{stamp}__lte": settled}).values_list("pk", flat=True)
                   .order_by("-pk")[:5000])
        have = set(model.objects.using(restored).filter(pk__in=want).values_list("pk", flat=True))
        result.check(f"{label}：时间点之前的记录齐全", want <= have,
                     f"时间点前一分钟以前的最近 {len(want)} 条中恢复 {len(have)} 条")
        result.check(f"{label}：没有时间点之后的记录", later == 0, f"时间点之后的记录 {later} 条")


def _unchanged_reports(result: DrillResult, live: str, restored: str, target: dt.datetime) -> None:
    from reports.models import Report

    columns = columns_of(Report)
    candidates = list(Report.objects.using(live).filter(updated_at__lt=target - dt.timedelta(seconds=5))
                      .order_by("-pk").values_list("pk", flat=True)[:2000])
    picked = random.sample(candidates, min(SAMPLE, len(candidates)))
    live_rows = {r.pk: _canonical(r, columns) for r in Report.objects.using(live).filter(pk__in=picked)}
    back = {r.pk: _canonical(r, columns) for r in Report.objects.using(restored).filter(pk__in=picked)}
    same = sum(1 for pk in picked if back.get(pk) == live_rows.get(pk))
    # A report edited after T legitimately differs; updated_at filters those out above.
    result.check("抽样读回报告", same == len(picked),
                 f"抽取时间点前未再修改的报告 {len(picked)} 份，与现库逐字段一致 {same} 份")
