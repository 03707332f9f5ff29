"""Backup and restore entry points used by the commands, the drill and the timers.

New backups are the streamed portable format (``ops/portable.py`` writes, ``ops/restore.py`` checks and
loads). Archives written before it (format 1: one Django fixture in a .tar.gz) are still restored by the
code below, which holds the fixture in memory — fine for the small databases that format was used for.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models, transaction
from django.utils import timezone

from ops.portable import Log, create_backup
from ops.restore import RestoreError, is_legacy, open_archive, restore_archive

__all__ = ["RestoreError", "create_backup", "restore_backup"]

LEGACY_FORMAT = 1
# Rebuilt by `migrate`; sessions are not worth restoring (everyone signs in again).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


def restore_backup(*, archive: Path, force: bool = False, using: str = "default",
                   log: Log | None = None) -> dict[str, object]:
    """Check, then load a backup into an empty (migrated) database; returns the manifest."""
    if not archive.is_file():
        raise RestoreError(f"找不到备份文件：{archive}")
    if is_legacy(archive):
        return _restore_legacy(archive=archive, force=force)
    opened = open_archive(archive)
    try:
        restore_archive(opened, using=using, force=force, log=log)
    finally:
        opened.tar.close()
    return opened.manifest


# --- format 1 (read only) -------------------------------------------------------------------------------

def _file_fields() -> list[tuple[type[models.Model], str]]:
    return [(model, field.name) for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, models.FileField)]


def stored_file_names() -> list[str]:
    names: set[str] = set()
    for model, field in _file_fields():
        names.update(n for n in model._default_manager.exclude(**{field: ""}).values_list(field, flat=True) if n)
    return sorted(names)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _create_legacy_backup(*, output: Path) -> dict[str, object]:
    """Format 1, kept only so tests can prove old archives still restore."""
    output.parent.mkdir(parents=True, exist_ok=True)
    data = io.StringIO()
    # One transaction so the dump is a consistent snapshot even while people keep working.
    with transaction.atomic():
        call_command("dumpdata", "--natural-foreign", "--natural-primary", *(f"--exclude={e}" for e in EXCLUDED),
                     "--indent=0", stdout=data)
        files = stored_file_names()
    payload = data.getvalue().encode("utf-8")
    counts: dict[str, int] = {}
    for row in json.loads(payload):
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    checksums: dict[str, str] = {}
    missing: list[str] = []
    with tarfile.open(output, "w:gz") as tar:
        _add_bytes(tar, "data.json", payload)
        for name in files:
            try:
                with default_storage.open(name, "rb") as fh:
                    content = fh.read()
            except FileNotFoundError:
                missing.append(name)
                continue
            checksums[name] = hashlib.sha256(content).hexdigest()
            _add_bytes(tar, f"files/{name}", content)
        manifest = {"format": LEGACY_FORMAT, "created": timezone.now().isoformat(), "counts": counts,
                    "files": checksums, "missing_files": missing, "site": settings.FAZHI_SITE_NAME}
        _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
    return manifest


def database_is_empty() -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    plan_model = apps.get_model("tasks", "Plan")
    return not user_model.objects.exists() and not plan_model.objects.exists()


def _restore_legacy(*, archive: Path, force: bool = False) -> dict[str, object]:
    """Load a backup into an empty (migrated) database. With ``force``, existing data is flushed first."""
    try:
        return _load_legacy(archive, force)
    except (tarfile.TarError, EOFError, OSError, ValueError, KeyError) as exc:
        raise RestoreError(f"旧格式备份文件无法读取，已损坏或不完整（{exc}）。") from exc


def _load_legacy(archive: Path, force: bool) -> dict[str, object]:
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        if manifest.get("format") != LEGACY_FORMAT:
            raise RestoreError(f"不支持的备份格式：{manifest.get('format')}。新格式的备份是未压缩的 .tar，"
                               f"若被整体压缩过（.gz），请先解压再恢复。")
        if not database_is_empty():
            if not force:
                raise RestoreError("目标数据库已有数据。恢复只能在空数据库上进行（或使用 --force 先清空）。")
            call_command("flush", "--noinput", verbosity=0)
        # Check every file against the manifest before touching the database.
        contents: dict[str, bytes] = {}
        for name, digest in manifest["files"].items():
            member = tar.extractfile(f"files/{name}")
            data = member.read() if member else b""
            if hashlib.sha256(data).hexdigest() != digest:
                raise RestoreError(f"备份文件已损坏：{name}")
            contents[name] = data
        with tempfile.TemporaryDirectory() as tmp:
            fixture = Path(tmp) / "data.json"
            fixture.write_bytes(tar.extractfile("data.json").read())
            with transaction.atomic():
                call_command("loaddata", str(fixture), verbosity=0)
    for name, data in contents.items():
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:
            raise RestoreError(f"文件未能按原名恢复：{name} → {saved}")
    return manifest
