"""`restore_drill` (portable kind): the newest backup goes into a scratch database, is checked and timed,
and the outcome is recorded — in the drill table, in the audit log, on the page the office prints."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection

from ops.models import DrillOutcome, RestoreDrill
from tests.ops.support import build_world, members, row_counts, write_members

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.FAZHI_BACKUP_DIR = tmp_path / "backups"
    return settings.FAZHI_BACKUP_DIR


def _scratch_databases() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'fazhi_restore_drill_%%'")
        return [r[0] for r in cursor.fetchall()]


def test_the_drill_restores_the_newest_backup_checks_it_and_records_a_pass(backup_dir, coordinator, capsys):
    build_world()
    call_command("backup", output=str(backup_dir / "fazhi-20260101-000000.tar"))
    call_command("backup", output=str(backup_dir / "fazhi-20260102-000000.tar"))
    rows_before = row_counts()
    scratch_before = _scratch_databases()

    call_command("restore_drill", user="coordinator")

    drill = RestoreDrill.objects.get()
    assert drill.outcome == DrillOutcome.PASSED and drill.kind == "portable"
    assert drill.backup.endswith("fazhi-20260102-000000.tar")
    assert drill.run_by == "coordinator" and drill.seconds > 0 and not drill.error
    names = [c["name"] for c in drill.checks]
    assert names == ["备份文件完整性（SHA-256）", "恢复到临时数据库", "各表行数与清单一致", "文件读回校验",
                     "抽样读回报告", "数据库结构为当前版本"]
    assert all(c["ok"] for c in drill.checks)
    files_check = next(c for c in drill.checks if c["name"] == "文件读回校验")
    assert files_check["detail"].startswith("3 个文件")
    sample = next(c for c in drill.checks if c["name"] == "抽样读回报告")
    assert "抽取 3 份，逐字段与备份一致 3 份" in sample["detail"]
    out = capsys.readouterr().out
    assert "恢复演练（便携备份恢复）通过" in out
    # The audit log has the record, with its actor; the live data gained only the drill and its log entry.
    entry = LogEntry.objects.get(content_type__model="restoredrill")
    assert entry.actor.username == "coordinator" and entry.object_pk == str(drill.pk)
    changed = {label: n - rows_before[label] for label, n in row_counts().items() if n != rows_before[label]}
    assert changed == {"ops.restoredrill": 1, "auditlog.logentry": 1}
    assert _scratch_databases() == scratch_before


def test_a_drill_on_a_damaged_backup_fails_loudly_and_is_recorded(backup_dir, tmp_path):
    build_world(files=1)
    good = tmp_path / "good.tar"
    call_command("backup", output=str(good))
    content = members(good)
    raw = bytearray(content["data/reports.report.jsonl.gz"])
    raw[len(raw) // 2] ^= 0xFF
    content["data/reports.report.jsonl.gz"] = bytes(raw)
    backup_dir.mkdir()
    write_members(backup_dir / "fazhi-bad.tar", content)

    with pytest.raises(CommandError, match="恢复演练（便携备份恢复）未通过"):
        call_command("restore_drill")

    drill = RestoreDrill.objects.get()
    assert drill.outcome == DrillOutcome.FAILED
    assert "校验值" in drill.error and drill.checks == []
    assert drill.run_by.endswith("（系统）")


def test_a_drill_with_no_backup_to_restore_fails_with_a_clear_message(backup_dir):
    with pytest.raises(CommandError, match="未通过"):
        call_command("restore_drill")
    assert "没有备份文件" in RestoreDrill.objects.get().error


def test_a_drill_that_finds_a_row_count_wrong_fails_that_check(backup_dir, tmp_path):
    """Manifest and data agree on checksums but the loader refuses a count that differs from the manifest."""
    import hashlib

    build_world(files=1)
    good = tmp_path / "good.tar"
    call_command("backup", output=str(good))
    content = members(good)
    manifest = json.loads(content.pop("manifest.json"))
    manifest["tables"]["tasks.plan"]["rows"] += 1
    content["manifest.json"] = json.dumps(manifest).encode()
    assert hashlib.sha256(content["data/tasks.plan.jsonl.gz"]).hexdigest() == manifest["tables"]["tasks.plan"]["sha256"]
    backup_dir.mkdir()
    write_members(backup_dir / "fazhi-count.tar", content)
    with pytest.raises(CommandError):
        call_command("restore_drill")
    assert "清单记录" in RestoreDrill.objects.get().error


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the refusal is about SQLite")
def test_a_point_in_time_drill_on_sqlite_is_refused_clearly_and_recorded(backup_dir):
    with pytest.raises(CommandError, match="未通过"):
        call_command("restore_drill", kind="pitr")
    drill = RestoreDrill.objects.get()
    assert drill.kind == "pitr" and drill.outcome == DrillOutcome.FAILED
    assert "只适用于 PostgreSQL" in drill.error
