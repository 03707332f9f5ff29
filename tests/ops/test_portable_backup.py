"""The streamed portable backup: a round trip gives back every row and file; bad archives and bad targets
are refused in Chinese before anything is written, and a restore that fails half-way leaves the target as
it was."""

from __future__ import annotations

import gzip
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.models import User
from ops.backup import _create_legacy_backup
from reports.models import Report
from tasks.models import Plan
from tests.factories import UserFactory
from tests.ops.support import (
    build_world,
    edit_manifest,
    empty_everything,
    members,
    row_count,
    snapshot,
    write_members,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def backed_up(media, tmp_path):
    """A world, its snapshot, its backup — and then an emptied database and storage."""
    build_world()
    before = snapshot()
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive))
    empty_everything(media)
    assert row_count() == 0
    return archive, before


def test_restore_into_an_empty_database_gives_back_everything(backed_up):
    archive, before = backed_up
    assert len(before["attachments"]) == 3 and len(before["changes"]) > 10

    call_command("restore", str(archive))

    assert snapshot() == before
    assert User.objects.get(username="uploader").check_password("Testing@2026")
    # Sequences continue after the restored ids: a new row does not collide.
    assert UserFactory(username="after-restore").pk > max(User.objects.exclude(username="after-restore")
                                                          .values_list("pk", flat=True))


def test_the_archive_is_a_plain_tar_with_counts_and_checksums_in_a_manifest_written_last(backed_up):
    archive, before = backed_up
    with tarfile.open(archive, "r:") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        reports = gzip.decompress(tar.extractfile("data/reports.report.jsonl.gz").read()).decode().splitlines()
    assert names[-1] == "manifest.json"
    assert manifest["format"] == 2
    assert manifest["counts"]["reports.report"] == len(reports) == 3
    assert manifest["tables"]["reports.report"]["columns"][0] == "id"
    assert manifest["files"]["count"] == 3
    assert sorted(n for n in names if n.startswith("files/")) == sorted(
        f"files/{a[2]}" for a in before["attachments"])
    assert "sessions.session" not in manifest["tables"]
    assert ["reports", "0001_initial"] in manifest["migrations"]


def test_a_file_that_is_missing_from_storage_is_reported_not_fatal(media, tmp_path, capsys):
    build_world(files=2)
    default_storage.delete("attachments/test/evidence1.pdf")
    archive = tmp_path / "b.tar"
    call_command("backup", output=str(archive))
    assert "1 个文件在存储中缺失" in capsys.readouterr().err
    manifest = json.loads(members(archive)["manifest.json"])
    assert manifest["missing_files"] == {"count": 1, "first": ["attachments/test/evidence1.pdf"]}


def _refused(archive, match: str) -> None:
    before = row_count()
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(archive))
    assert row_count() == before


def test_a_truncated_archive_is_refused_before_anything_is_written(backed_up, tmp_path):
    archive, _ = backed_up
    data = archive.read_bytes()
    for cut in (len(data) // 2, len(data) - 20000, 700):
        truncated = tmp_path / f"cut{cut}.tar"
        truncated.write_bytes(data[:cut])
        _refused(truncated, "不完整|损坏")
    assert not list((tmp_path / "media").rglob("*.pdf"))


def test_a_flipped_byte_in_a_table_is_caught_by_its_checksum(backed_up, tmp_path):
    archive, _ = backed_up
    content = members(archive)
    member = "data/reports.report.jsonl.gz"
    raw = bytearray(content[member])
    raw[len(raw) // 2] ^= 0xFF
    content[member] = bytes(raw)
    _refused(write_members(tmp_path / "flipped.tar", content), "数据表 reports.report的校验值")


def test_a_changed_evidence_file_is_caught_by_its_checksum(backed_up, tmp_path):
    archive, _ = backed_up
    content = members(archive)
    name = next(n for n in content if n.startswith("files/"))
    content[name] = b"X" + content[name][1:]
    _refused(write_members(tmp_path / "tampered.tar", content), "文件 .*校验值")


def test_a_wrong_checksum_in_the_manifest_is_refused(backed_up, tmp_path):
    archive, _ = backed_up
    content = edit_manifest(members(archive), lambda m: m["tables"]["tasks.plan"].update(sha256="0" * 64))
    _refused(write_members(tmp_path / "wrongsum.tar", content), "tasks.plan的校验值")


def test_a_backup_from_a_newer_schema_is_refused_with_the_unknown_migration_named(backed_up, tmp_path):
    archive, _ = backed_up
    content = edit_manifest(members(archive), lambda m: m["migrations"].append(["reports", "9999_from_the_future"]))
    _refused(write_members(tmp_path / "newer.tar", content), "较新版本.*reports.9999_from_the_future")


def test_a_backup_from_an_older_schema_is_refused(backed_up, tmp_path):
    archive, _ = backed_up
    content = edit_manifest(members(archive), lambda m: m["migrations"].remove(m["migrations"][-1]))
    _refused(write_members(tmp_path / "older.tar", content), "较旧版本")


def test_a_target_that_holds_data_is_refused_and_kept(backed_up):
    archive, _ = backed_up
    UserFactory(username="someone-here")
    _refused(archive, "目标数据库已有数据")
    assert list(User.objects.values_list("username", flat=True)) == ["someone-here"]


def test_force_replaces_the_data_in_the_same_transaction(backed_up):
    archive, before = backed_up
    UserFactory(username="someone-here")
    call_command("restore", str(archive), force=True)
    assert snapshot() == before
    assert not User.objects.filter(username="someone-here").exists()


def test_a_stored_file_that_differs_under_the_same_name_is_refused(backed_up):
    archive, before = backed_up
    name = before["attachments"][0][2]
    default_storage.save(name, ContentFile(b"someone else's file"))
    _refused(archive, "同名但内容不同")
    assert default_storage.open(name).read() == b"someone else's file"


def test_a_restore_that_fails_half_way_leaves_the_target_as_it_was(backed_up, tmp_path, media):
    """Rows valid one by one but breaking a constraint: the last table's duplicate key fails inside the
    transaction, after earlier tables and before the files; nothing stays."""
    archive, _ = backed_up
    content = members(archive)
    member = "data/tasks.plan.jsonl.gz"
    lines = gzip.decompress(content[member]).decode().splitlines()
    lines.append(lines[0])  # the same primary key twice
    content[member] = gzip.compress(("\n".join(lines) + "\n").encode())

    def fix(manifest):
        import hashlib

        manifest["tables"]["tasks.plan"].update(sha256=hashlib.sha256(content[member]).hexdigest(),
                                                rows=len(lines))

    broken = write_members(tmp_path / "dup.tar", edit_manifest(content, fix))
    _refused(broken, "写入数据库失败，恢复已全部撤销")
    assert not Plan.objects.exists() and not Report.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_an_archive_of_the_old_format_still_restores(media, tmp_path):
    build_world(files=2)
    before = snapshot()
    old = tmp_path / "old.tar.gz"
    _create_legacy_backup(output=old)
    empty_everything(media)
    call_command("restore", str(old))
    after = snapshot()
    # Format 1 kept times to the millisecond only (Django's JSON serializer), one reason for format 2.
    for key in ("items", "reports", "figures", "users", "attachments"):
        assert after[key] == before[key]


def test_not_a_backup_at_all_is_refused(media, tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"this is not a tar file" * 100)
    _refused(junk, "无法读取|不完整")
    _refused(tmp_path / "absent.tar", "找不到备份文件")


def test_rows_pointing_at_missing_rows_are_refused_and_the_schema_keeps_its_constraints(backed_up, tmp_path):
    """Obligations left out of the archive: every report points nowhere. The foreign keys (set aside during
    the load on PostgreSQL and re-added before commit) catch it; afterwards they are all still there."""
    import hashlib

    from django.db import connection

    def foreign_keys() -> set[str]:
        with connection.cursor() as cursor:
            return {c["columns"][0] + "→" + str(c["foreign_key"])
                    for c in connection.introspection.get_constraints(cursor, "reports_report").values()
                    if c["foreign_key"]}

    keys_before = foreign_keys()
    archive, _ = backed_up
    content = members(archive)
    member = "data/reports.obligation.jsonl.gz"
    content[member] = gzip.compress(b"")

    def fix(manifest):
        manifest["tables"]["reports.obligation"].update(sha256=hashlib.sha256(content[member]).hexdigest(), rows=0)

    _refused(write_members(tmp_path / "orphans.tar", edit_manifest(content, fix)), "写入数据库失败，恢复已全部撤销")
    assert not Report.objects.exists()
    assert foreign_keys() == keys_before and any(k.startswith("obligation_id") for k in keys_before)
