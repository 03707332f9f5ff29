"""The evidence files beside a PostgreSQL-native backup: an incremental, streamed mirror to a second place.

A stored file's name never changes and an object is never overwritten (``fazhi/storage.py``), so the mirror
only copies names it does not have yet; each copy is streamed (flat memory), checked against the
attachment's recorded SHA-256 where there is one, and written under a temporary name then renamed, so a
half-copied file is never taken for a good one. With object storage in production, bucket versioning plus
replication to a second site does the same job (README "Backups").
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import connections

from ops.portable import _file_names


@dataclass
class MirrorResult:
    copied: int = 0
    present: int = 0
    missing: int = 0
    bytes: int = 0


def mirror_files(*, dest: Path, using: str = "default") -> MirrorResult:
    from reports.models import Attachment

    result = MirrorResult()
    dest.mkdir(parents=True, exist_ok=True)
    for name in _file_names(connections[using]):
        target = dest / name
        if not target.resolve().is_relative_to(dest.resolve()):
            raise ValueError(f"文件名越出目录：{name}")
        if target.exists():
            result.present += 1
            continue
        try:
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            result.missing += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        digest = hashlib.sha256()
        with source, open(partial, "wb") as out:
            while block := source.read(1 << 20):
                digest.update(block)
                out.write(block)
                result.bytes += len(block)
            out.flush()
            os.fsync(out.fileno())
        expected = Attachment.objects.using(using).filter(file=name).values_list("sha256", flat=True).first()
        if expected and expected != digest.hexdigest():
            partial.unlink()
            raise ValueError(f"存储中的文件与登记的校验值不符：{name}")
        partial.replace(target)
        result.copied += 1
    return result
