"""Evidence files are accepted by content, not by name; oversized, disguised and zip-bomb files are refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from reports import files, services


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("通报.pdf", b"%PDF-1.7\n...", "application/pdf"),
    ("照片.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20, "image/jpeg"),
    ("截图.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, "image/png"),
    ("台账.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 20, "application/vnd.ms-excel"),
])
def test_accepted_files(name, content, kind):
    upload = SimpleUploadedFile(name, content if content is not None else _xlsx())
    assert files.validate_upload(upload) == kind


@pytest.mark.parametrize(("name", "content", "message"), [
    ("脚本.exe", b"MZ", "类型不支持"),
    ("伪装.pdf", b"<html><script>alert(1)</script>", "内容与扩展名不符"),
    ("伪装.png", b"\xff\xd8\xff\xe0jpeg-not-png", "内容与扩展名不符"),
    ("空.pdf", b"", "空文件"),
    ("不是表格.xlsx", _zip({"word/document.xml": b"<w/>"}), "内容与扩展名不符"),
    ("坏的.docx", b"PK\x03\x04broken", "已损坏"),
    ("炸弹.docx", _zip({"word/document.xml": b"0" * (50 * 1024 * 1024)}), "解压后体积异常"),
    ("条目.docx", _zip({"word/document.xml": b"<w/>", **{f"x/{i}": b"" for i in range(files.MAX_ZIP_ENTRIES)}}),
     "条目过多"),
])
def test_refused_files(name, content, message):
    with pytest.raises(ValidationError, match=message):
        files.validate_upload(SimpleUploadedFile(name, content))


def test_files_over_the_size_limit_are_refused(settings, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_SIZE", 100)
    with pytest.raises(ValidationError, match="超过单个文件"):
        files.validate_upload(SimpleUploadedFile("大.pdf", b"%PDF-" + b"0" * 200))


def test_a_report_takes_at_most_the_maximum_number_of_files(world, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILES_PER_REPORT", 2)
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    for i in range(2):
        services.add_attachment(report=report, upload=SimpleUploadedFile(f"{i}.pdf", b"%PDF-1"), kind="application/pdf",
                                user=world.liaison_a)
    with pytest.raises(services.ReportError, match="最多上传 2 个"):
        services.add_attachment(report=report, upload=SimpleUploadedFile("3.pdf", b"%PDF-1"), kind="application/pdf",
                                user=world.liaison_a)
    assert report.attachments.count() == 2


def test_stored_files_get_random_names_and_a_checksum(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    attachment = services.add_attachment(report=report, upload=SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1"),
                                         kind="application/pdf", user=world.liaison_a)
    assert attachment.file.name.startswith("attachments/") and "passwd" not in attachment.file.name
    assert len(attachment.sha256) == 64
