"""Decompression bombs in the import are refused before openpyxl or python-docx expand anything (#10 item 6).

Each file is small on disk and huge once expanded. The one place an import sniffs bytes
(``tasks.parsing.sniff``) runs ``fazhi.containers`` first, so the upload answers at once with a Chinese
message naming the limit, and nothing is created. Timings are not asserted; before the check, the
merged-range workbook took half a minute and a third of a gigabyte, the paragraphs a few minutes.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.models import DocumentImport, Plan
from tasks.parsing import UnreadableDocument, parse_document
from tests.import_support import GOOD_ROW, workbook_bytes
from tests.parsing.builders import docx_bytes

pytestmark = pytest.mark.django_db
URL = reverse("tasks:import_upload")


def _rewrite(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The same zip with some entries replaced (or added), deflated like Office writes them."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, changes.pop(info.filename, source.read(info.filename)))
        for name, content in changes.items():
            target.writestr(name, content)
    return out.getvalue()


def _sheet(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def merged_million_cells_xlsx() -> bytes:
    base = workbook_bytes([GOOD_ROW])
    sheet = _sheet(base).replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:J200000"/>'
                                                  b"</mergeCells>")
    return _rewrite(base, {"xl/worksheets/sheet1.xml": sheet})


def dtd_xlsx() -> bytes:
    base = workbook_bytes([GOOD_ROW])
    sheet = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + _sheet(base)
    return _rewrite(base, {"xl/worksheets/sheet1.xml": sheet})


def paragraphs_docx(count: int) -> bytes:
    base = docx_bytes(["2026年测试市法治政府建设工作要点"])
    body = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + b"<w:p/>" * count + b"</w:body></w:document>")
    return _rewrite(base, {"word/document.xml": body})


def zip_bomb_docx() -> bytes:
    base = docx_bytes(["2026年测试市法治政府建设工作要点"])
    return _rewrite(base, {"word/media/padding.bin": b"\0" * (60 * 1024 * 1024)})


BOMBS = [
    pytest.param("合并单元格.xlsx", merged_million_cells_xlsx, "合并单元格覆盖的单元格超过 100,000 个的限制",
                 id="merged-range"),
    pytest.param("段落.docx", lambda: paragraphs_docx(2_000_000), "限制", id="two-million-paragraphs"),
    pytest.param("段落.docx", lambda: paragraphs_docx(60_000), "段落和表格单元格超过 50,000 个的限制", id="paragraphs"),
    pytest.param("压缩炸弹.docx", zip_bomb_docx, "解压后为 60.8 MB，超过 50 MB 的限制", id="zip-bomb"),
    pytest.param("实体.xlsx", dtd_xlsx, "文档类型声明（DTD）", id="dtd"),
]


def test_the_bombs_are_small_on_disk():
    assert len(merged_million_cells_xlsx()) < 8 * 1024
    assert len(paragraphs_docx(2_000_000)) < 200 * 1024
    assert len(zip_bomb_docx()) < 200 * 1024


@pytest.mark.parametrize(("name", "build", "message"), BOMBS)
def test_an_upload_that_would_expand_past_a_limit_is_refused_with_the_limit_named(
        coordinator_client, name, build, message):
    response = coordinator_client.post(URL, {"file": SimpleUploadedFile(name, build())})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert DocumentImport.objects.count() == 0 and Plan.objects.count() == 0


@pytest.mark.parametrize(("name", "build", "message"), BOMBS)
def test_the_parser_refuses_them_too(name, build, message):
    # parse_points and every other caller of the parser go through the same sniff.
    with pytest.raises(UnreadableDocument) as refused:
        parse_document(build(), filename=name)
    assert message in str(refused.value)


def test_an_ordinary_workbook_with_small_merges_still_imports(coordinator_client):
    base = workbook_bytes([GOOD_ROW])
    sheet = _sheet(base).replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:C1"/>'
                                                  b"</mergeCells>")
    response = coordinator_client.post(URL, {"file": SimpleUploadedFile("任务.xlsx", _rewrite(
        base, {"xl/worksheets/sheet1.xml": sheet}))})
    assert response.status_code == 302
    assert DocumentImport.objects.count() == 1
