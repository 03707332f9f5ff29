"""The nightly side of backups: the portable backup keeps the newest N archives; the evidence mirror beside
the PostgreSQL-native backup copies only new files, streamed and checked."""

from __future__ import annotations

import hashlib
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from ops.evidence import mirror_files
from reports.models import Attachment
from tests.ops.support import build_world

# The backup opens its own snapshot transaction (REPEATABLE READ on PostgreSQL), so not inside a test's.
pytestmark = pytest.mark.django_db(transaction=True)


def test_keep_deletes_only_the_oldest_archives_after_a_successful_backup(settings, tmp_path):
    settings.FAZHI_BACKUP_DIR = tmp_path / "b"
    settings.FAZHI_BACKUP_DIR.mkdir()
    for n in range(3):
        old = settings.FAZHI_BACKUP_DIR / f"fazhi-2026010{n}-000000.tar"
        old.write_bytes(b"old")
        os.utime(old, (time.time() - 1000 + n, time.time() - 1000 + n))
    unrelated = settings.FAZHI_BACKUP_DIR / "notes.txt"
    unrelated.write_text("kept")
    call_command("backup", keep=2)
    left = sorted(p.name for p in settings.FAZHI_BACKUP_DIR.iterdir())
    assert left[:1] == ["fazhi-20260102-000000.tar"] and len(left) == 3 and "notes.txt" in left
    with pytest.raises(CommandError, match="不能为负数"):
        call_command("backup", keep=-1)


def test_the_evidence_mirror_copies_new_files_once_and_checks_them(tmp_path):
    build_world(files=2)
    dest = tmp_path / "mirror"
    first = mirror_files(dest=dest)
    assert (first.copied, first.present, first.missing) == (2, 0, 0)
    for attachment in Attachment.objects.all():
        assert hashlib.sha256((dest / attachment.file.name).read_bytes()).hexdigest() == attachment.sha256
    second = mirror_files(dest=dest)
    assert (second.copied, second.present) == (0, 2)


def test_the_mirror_refuses_a_stored_file_that_no_longer_matches_its_checksum(tmp_path):
    build_world(files=1)
    attachment = Attachment.objects.get()
    default_storage.delete(attachment.file.name)
    default_storage.save(attachment.file.name, ContentFile(b"changed behind our back"))
    with pytest.raises(ValueError, match="校验值不符"):
        mirror_files(dest=tmp_path / "mirror")
    assert not (tmp_path / "mirror" / attachment.file.name).exists()
    assert not list((tmp_path / "mirror").rglob("*.partial"))
