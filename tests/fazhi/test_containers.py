"""Every uploaded container is refused before a library expands it, with a Chinese reason naming the limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openpyxl import Workbook

from fazhi.containers import (
    IMPORT_LIMITS,
    MB,
    ContainerLimits,
    ContainerRefused,
    check_docx,
    check_xlsx,
    check_zip,
    human_size,
)


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression, compresslevel=9) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _real_xlsx() -> bytes:
    book = Workbook()
    book.active.append(["序号", "工作任务"])
    book.active.merge_cells("A2:B3")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _real_docx(paragraphs: int = 3) -> bytes:
    document = Document()
    for i in range(paragraphs):
        document.add_paragraph(f"第{i}段")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/>'
    b'<mergeCells count="1"><mergeCell ref="%s"/></mergeCells></worksheet>'
)
WORD = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>'


def test_ordinary_office_files_pass() -> None:
    check_xlsx(_real_xlsx())
    check_docx(_real_docx(200))
    check_zip(_real_docx())


def test_a_tiny_workbook_merging_a_million_cells_is_refused_before_openpyxl_sees_it() -> None:
    data = _zip({"xl/worksheets/sheet1.xml": SHEET % b"A1:J100000"})
    assert len(data) < 2000
    with pytest.raises(ContainerRefused, match=r"合并单元格.*100,000 个的限制"):
        check_xlsx(data)


def test_merged_ranges_add_up_across_sheets() -> None:
    half = b"A1:A60000"
    data = _zip({"xl/worksheets/sheet1.xml": SHEET % half, "xl/worksheets/sheet2.xml": SHEET % half})
    with pytest.raises(ContainerRefused, match="合并单元格"):
        check_xlsx(data)
    check_xlsx(_zip({"xl/worksheets/sheet1.xml": SHEET % half}))


def test_whole_column_merges_are_refused() -> None:
    with pytest.raises(ContainerRefused, match="整行或整列"):
        check_xlsx(_zip({"xl/worksheets/sheet1.xml": SHEET % b"A:C"}))


def test_two_million_paragraphs_are_refused_even_under_another_prefix() -> None:
    body = b"<w:p/>" * 60_000
    with pytest.raises(ContainerRefused, match="50,000 个的限制"):
        check_docx(_zip({"word/document.xml": WORD % body}))
    sneaky = (
        b'<x:document xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><x:body>'
        + b"<x:tc/>" * 60_000
        + b"</x:body></x:document>"
    )
    with pytest.raises(ContainerRefused, match="段落和表格单元格"):
        check_docx(_zip({"word/document.xml": sneaky}))


def test_a_dtd_in_any_xml_part_is_refused() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><lolz>&lol;</lolz>'
    for check in (check_zip, check_xlsx, check_docx):
        with pytest.raises(ContainerRefused, match="DTD"):
            check(_zip({"[Content_Types].xml": laughs}))
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]><a/>'.encode("utf-16")
    with pytest.raises(ContainerRefused, match="DTD"):
        check_zip(_zip({"docProps/app.xml": utf16}))


def test_inflated_size_entry_count_and_ratio_are_limits() -> None:
    small = ContainerLimits(
        max_bytes=4 * MB, max_uncompressed=2 * MB, max_entries=5, max_ratio=50, max_merged_cells=10, max_paragraphs=10
    )
    with pytest.raises(ContainerRefused, match="解压后为 3 MB，超过 2 MB 的限制"):
        check_zip(_zip({"a.bin": b"\0" * (3 * MB)}, compression=zipfile.ZIP_STORED), small)
    with pytest.raises(ContainerRefused, match="6 个部件，超过 5 个的限制"):
        check_zip(_zip({f"{i}.txt": b"x" for i in range(6)}), small)
    with pytest.raises(ContainerRefused, match="压缩比超过 50:1"):
        check_zip(_zip({"a.bin": b"\0" * (int(1.5 * MB))}), small)
    with pytest.raises(ContainerRefused, match="超过 4 MB 的限制"):
        check_zip(b"PK" + b"\0" * (4 * MB + 1), small)


def test_not_a_zip_or_broken_xml_is_a_clear_refusal() -> None:
    with pytest.raises(ContainerRefused, match="无法作为 zip 读取"):
        check_zip(b"not a zip at all")
    with pytest.raises(ContainerRefused, match="不是有效的 XML"):
        check_docx(_zip({"word/document.xml": b"<w:document><unclosed>"}))


def test_sizes_read_naturally() -> None:
    assert human_size(20 * MB) == "20 MB"
    assert human_size(int(1.5 * MB)) == "1.5 MB"
    assert human_size(300 * 1024) == "300 KB"
    assert IMPORT_LIMITS.max_uncompressed == 50 * MB
