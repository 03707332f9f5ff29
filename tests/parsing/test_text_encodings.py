"""Text uploads in UTF-8 (with or without BOM), UTF-16 and GB18030/GBK; junk is refused clearly."""

import pytest

from tasks.parsing import UnreadableDocument, decode_text, parse_document
from tests.parsing.conftest import DOCUMENTS

TEXT = (DOCUMENTS / "county_fullwidth.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),
        TEXT.encode("gbk"),
        TEXT.encode("gb18030"),
        TEXT.replace("\n", "\r\n").encode("gbk"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "gbk", "gb18030", "gbk-crlf"],
)
def test_every_supported_encoding_reads_the_same_document(data):
    assert decode_text(data).replace("\r\n", "\n") == TEXT
    document = parse_document(data, filename="要点.txt")
    assert document.title == "2023年青山县法治政府建设工作要点"
    assert document.items[0].lead_units == ["县司法局"]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (bytes(range(256)) * 4, "x.txt", "这不是文本文件"),
        (b"%PDF-1.7\n...", "x.pdf", "PDF 文件已损坏"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "x.doc", "旧版 Word/Excel/WPS 文件"),
        (b"PK\x03\x04 broken zip", "x.docx", "文件已损坏"),
        (b"   \n  ", "x.txt", "文件是空的"),
    ],
)
def test_unreadable_files_raise_a_clear_chinese_message(data, name, message):
    with pytest.raises(UnreadableDocument, match=message):
        parse_document(data, filename=name)


def test_a_utf8_file_with_a_damaged_byte_stays_utf8():
    data = TEXT.encode("utf-8")
    damaged = data[:40] + b"\xff" + data[40:]
    text = decode_text(damaged)
    assert "青山县人民政府" in text and text.count("\ufffd") == 1
