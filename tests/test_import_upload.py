"""The upload screen takes .docx, .xlsx, .txt (UTF-8 or GB18030) and pasted text, and rejects anything else."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from tasks.models import DocumentImport, ImportSource, Plan
from tests.import_support import GOOD_ROW, workbook_bytes

pytestmark = pytest.mark.django_db
URL = reverse("tasks:import_upload")


def _upload(client, name: str, content: bytes):
    return client.post(URL, {"file": SimpleUploadedFile(name, content)})


def _docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("2026年测试市法治政府建设工作要点")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_upload_page_offers_file_and_paste(coordinator_client):
    response = coordinator_client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in html and "或粘贴全文" in html


def test_pasted_text_goes_to_the_parser_and_opens_the_preview(coordinator_client, coordinator, fake_parser):
    response = coordinator_client.post(URL, {"text": "  2026年测试市法治政府建设工作要点……  "})
    document_import = DocumentImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tasks:import_preview", args=[document_import.pk])
    assert (document_import.owner, document_import.source) == (coordinator, ImportSource.PASTE)
    assert fake_parser["calls"] == ["2026年测试市法治政府建设工作要点……"]
    assert document_import.data["title"] == "2026年测试市法治政府建设工作要点"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_files_are_decoded_from_utf8_or_gb18030(coordinator_client, fake_parser, encoding):
    text = "2026年测试市法治政府建设工作要点\n(一)健全规章制度。(牵头单位:测试市司法局)"
    response = _upload(coordinator_client, "要点.txt", text.encode(encoding))
    assert response.status_code == 302
    assert fake_parser["calls"] == [text]
    assert DocumentImport.objects.get().source == ImportSource.TXT


def test_docx_is_recognised_by_content_even_without_the_extension(coordinator_client, fake_parser):
    content = _docx_bytes()
    response = _upload(coordinator_client, "下载文件", content)
    assert response.status_code == 302
    assert fake_parser["calls"] == [content]
    assert DocumentImport.objects.get().source == ImportSource.DOCX


def test_xlsx_task_table_is_read_by_the_excel_importer(coordinator_client, fake_parser):
    response = _upload(coordinator_client, "分解表.xlsx", workbook_bytes([GOOD_ROW]))
    assert response.status_code == 302
    document_import = DocumentImport.objects.get()
    assert document_import.source == ImportSource.XLSX
    assert [i["title"] for i in document_import.data["items"]] == ["健全规章制度"]
    assert fake_parser["calls"] == []


def test_excel_row_errors_are_listed_and_nothing_is_stored(coordinator_client):
    content = workbook_bytes([GOOD_ROW, ["(二)", "", "", "", "测试市司法局", "", "年底前"]])
    response = _upload(coordinator_client, "分解表.xlsx", content)
    html = response.content.decode()
    assert response.status_code == 400
    assert "第3行 工作任务：不能为空" in html
    assert "第3行 完成时限：日期格式应为 2026-12-31" in html
    assert DocumentImport.objects.count() == 0 and Plan.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "message"), [
    ("要点.pdf", b"%PDF-1.7 ...", "PDF 文件已损坏"),
    ("要点.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "旧版 Word/Excel/WPS 文件"),
    ("要点.docx", "其实是文本".encode(), "文件内容与扩展名不符"),
    ("图片.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "这不是文本文件"),
    ("空.txt", b"   \n", "文件是空的"),
])
def test_other_files_are_rejected_with_a_clear_message(coordinator_client, fake_parser, name, content, message):
    response = _upload(coordinator_client, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DocumentImport.objects.count() == 0
    assert fake_parser["calls"] == []


def test_a_zip_that_is_not_an_office_document_is_rejected(coordinator_client, fake_parser):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("readme.txt", "hello")
    response = _upload(coordinator_client, "要点.docx", buffer.getvalue())
    assert "不支持该文件格式" in response.content.decode()
    assert DocumentImport.objects.count() == 0


def test_files_over_the_size_limit_are_rejected(coordinator_client, fake_parser, settings):
    settings.FAZHI_IMPORT_MAX_BYTES = 1024
    response = _upload(coordinator_client, "要点.txt", "工作要点".encode() * 200)
    assert response.status_code == 400
    assert "文件过大：导入的文件不能超过 0 MB" not in response.content.decode()
    assert "文件过大：导入的文件不能超过" in response.content.decode()
    assert DocumentImport.objects.count() == 0 and fake_parser["calls"] == []


def test_file_and_text_together_or_neither_are_refused_and_the_text_is_kept(coordinator_client, fake_parser):
    response = coordinator_client.post(URL, {"text": "粘贴的正文", "file": SimpleUploadedFile("a.txt", b"abc")})
    html = response.content.decode()
    assert "请只选择一种方式" in html and "粘贴的正文" in html
    assert "请上传文件或粘贴工作要点全文" in coordinator_client.post(URL, {}).content.decode()
    assert DocumentImport.objects.count() == 0


def test_a_document_without_items_is_explained(coordinator_client, fake_parser):
    fake_parser["doc"].items = []
    response = coordinator_client.post(URL, {"text": "一段没有任务的文字"})
    assert response.status_code == 400
    assert "没有在文档中找到任何工作任务" in response.content.decode()
    assert DocumentImport.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_a_utf16_text_file_the_parser_reads_is_accepted_at_upload(coordinator_client, encoding):
    # The upload once had its own sniffer that refused what the parser reads; now there is one.
    text = "2026年测试市法治政府建设工作要点\n一、加强制度建设\n(一)健全规章制度。定期清理。(牵头单位:测试市司法局)"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    response = _upload(coordinator_client, "要点.txt", data)
    assert response.status_code == 302
    document_import = DocumentImport.objects.get()
    assert document_import.source == ImportSource.TXT
    assert [i["title"] for i in document_import.data["items"]] == ["健全规章制度"]


def test_a_pdf_with_text_is_imported_and_a_scan_is_refused(coordinator_client):
    from tests.parsing.builders import pdf_bytes

    lines = ["2026年测试市法治政府建设工作要点", "一、加强制度建设",
             "(一)健全规章制度。定期清理。(牵头单位:测试市司法局)"]
    response = _upload(coordinator_client, "要点.pdf", pdf_bytes([lines]))
    assert response.status_code == 302
    assert DocumentImport.objects.get().source == ImportSource.PDF
    response = _upload(coordinator_client, "扫描件.pdf", pdf_bytes([[]]))
    assert response.status_code == 400
    assert "扫描版 PDF" in response.content.decode()
    assert DocumentImport.objects.count() == 1
