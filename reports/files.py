"""Evidence uploads: which files are accepted, judged by their content and not only by their name.

A file is accepted when its extension is on the list AND its first bytes carry the signature of
that format. Office 2007+ files are zip archives: they must contain the part that makes them a
document or a workbook, and an archive whose entry count or uncompressed size is absurd (a zip
bomb) is refused before anything reads it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError

from fazhi.containers import human_size

MAX_FILE_SIZE = 20 * 1024 * 1024
MAX_FILES_PER_REPORT = 10
# The largest request the app accepts: a report form with every evidence file at once, plus its texts
# (4 × 20,000 characters ≈ 240 KB). deploy/nginx.conf's client_max_body_size is this figure
# (tests/test_hostile_input_sizes.py), so nginx never answers a raw 413 to a form the app would take.
FORM_ALLOWANCE = 1024 * 1024
MAX_REQUEST_BYTES = MAX_FILE_SIZE * MAX_FILES_PER_REPORT + FORM_ALLOWANCE
MAX_ZIP_ENTRIES = 2000
MAX_ZIP_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ZIP_RATIO = 200

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    content_type: str
    signature: bytes
    zip_part: str = ""


KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", b"%PDF-"),
    ".jpg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Kind("image/jpeg", b"\xff\xd8\xff"),
    ".png": Kind("image/png", b"\x89PNG\r\n\x1a\n"),
    ".doc": Kind("application/msword", OLE2),
    ".xls": Kind("application/vnd.ms-excel", OLE2),
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP, "word/document.xml"),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/workbook.xml"),
}
ACCEPT = ",".join(KINDS)
ALLOWED_LABEL = "PDF、Word（doc/docx）、Excel（xls/xlsx）、JPG、PNG"


def _check_zip(fh: IO[bytes], part: str, name: str) -> None:
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise ValidationError(f"“{name}”内部结构异常（条目过多），已拒绝。")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > MAX_ZIP_UNCOMPRESSED or total / packed > MAX_ZIP_RATIO:
                raise ValidationError(f"“{name}”解压后体积异常，已拒绝。")
            if part not in archive.namelist():
                raise ValidationError(f"“{name}”的内容与扩展名不符，已拒绝。")
    except zipfile.BadZipFile as exc:
        raise ValidationError(f"“{name}”已损坏或内容与扩展名不符，已拒绝。") from exc


def validate_upload(upload) -> str:
    """Return the content type to store for an acceptable upload; raise ``ValidationError`` otherwise."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    kind = KINDS.get(suffix)
    if kind is None:
        raise ValidationError(f"“{name}”的类型不支持，只能上传 {ALLOWED_LABEL} 文件。")
    if upload.size == 0:
        raise ValidationError(f"“{name}”是空文件。")
    if upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            f"“{name}”大小为 {human_size(upload.size)}，超过单个文件 {human_size(MAX_FILE_SIZE)} 的限制。"
        )
    upload.seek(0)
    head = upload.read(len(kind.signature))
    upload.seek(0)
    if head != kind.signature:
        raise ValidationError(f"“{name}”的内容与扩展名不符，已拒绝。")
    if kind.zip_part:
        _check_zip(upload, kind.zip_part, name)
        upload.seek(0)
    return kind.content_type
