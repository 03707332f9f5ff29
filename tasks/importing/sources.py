"""Turning an upload or pasted text into a ``PlanDraft``: check the file, decode it, hand it to a reader.

Files are recognised by their content, not their name: a .docx or .xlsx is a ZIP package with
the Office part it claims; a text file has no NUL bytes and decodes as UTF-8 or GB18030.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from tasks.importing.drafts import PlanDraft
from tasks.importing.excel import read_task_table
from tasks.models import ImportSource
from tasks.parsing import UnreadableDocument, parse_document, read_docx
from tasks.parsing.types import ParsedDocument

ALLOWED = "Word 文档（.docx）、Excel 任务分解表（.xlsx）或文本文件（.txt）"


class SourceRejected(Exception):
    """The upload cannot be read; the message is shown to the user as it is."""


def max_upload_bytes() -> int:
    return getattr(settings, "FAZHI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def size_label(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def sniff(filename: str, content: bytes) -> str:
    """The ``ImportSource`` the content really is; raises ``SourceRejected`` for anything else."""
    if len(content) > max_upload_bytes():
        raise SourceRejected(f"文件过大：上传文件不能超过 {size_label(max_upload_bytes())}。")
    if not content.strip():
        raise SourceRejected("文件是空的，请检查后重新上传。")
    name = (filename or "").lower()
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as package:
                parts = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            raise SourceRejected("文件已损坏，无法打开。") from None
        if "word/document.xml" in parts:
            return ImportSource.DOCX
        if "xl/workbook.xml" in parts:
            return ImportSource.XLSX
        raise SourceRejected(f"不支持该文件格式，请上传{ALLOWED}。")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceRejected("这是旧版 Office 文件（.doc/.xls），请在 Word 或 Excel 中另存为 .docx/.xlsx 后再上传。")
    if content.startswith(b"%PDF"):
        raise SourceRejected("暂不支持 PDF 文件，请复制其中的文字后使用“粘贴文本”，或上传 Word 文档。")
    if name.endswith((".docx", ".xlsx")):
        raise SourceRejected("文件内容与扩展名不符，无法作为 Office 文档打开。")
    decode_text(content)  # raises when this is not text at all
    return ImportSource.TXT


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030 (a superset of GBK and GB2312)."""
    if b"\x00" in content[:4096]:
        raise SourceRejected(f"不支持该文件格式，请上传{ALLOWED}。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SourceRejected("无法识别文本文件的编码，请另存为 UTF-8 或 GBK 编码后再上传。")


# The parser's entry points, named here so tests can stand in for the parser.
def parse_text(text: str) -> ParsedDocument:
    return parse_document(text)


def parse_docx(content: bytes) -> ParsedDocument:
    return read_docx(content)


def parse_xlsx(content: bytes) -> ParsedDocument:
    return parse_document(content, filename="upload.xlsx")


@dataclass
class SourceResult:
    draft: PlanDraft | None = None
    errors: list[str] = field(default_factory=list)


def _parsed(parse, arg) -> SourceResult:
    try:
        doc = parse(arg)
    except UnreadableDocument as exc:
        return SourceResult(errors=[str(exc)])
    except (ValueError, KeyError, zipfile.BadZipFile, OSError):
        return SourceResult(errors=["无法读取该文件，文件可能已损坏。请在 Word 中另存后重新上传，或粘贴全文。"])
    draft = PlanDraft.from_parsed(doc)
    if not draft.items:
        return SourceResult(errors=["没有在文档中找到任何工作任务（如“（一）……”或“1.……”），请检查文件内容。"])
    return SourceResult(draft=draft)


def read_source(*, source: str, content: bytes = b"", text: str = "") -> SourceResult:
    """Read an already sniffed upload (or pasted ``text``) into a draft, or say why not."""
    if source == ImportSource.XLSX:
        result = read_task_table(content)
        if result.header_found:
            return SourceResult(draft=result.draft, errors=result.errors)
        # Not our task-table layout (e.g. a table with merged headings): let the parser try it.
        parsed = _parsed(parse_xlsx, content)
        return parsed if parsed.draft is not None else SourceResult(errors=result.errors)
    if source == ImportSource.DOCX:
        return _parsed(parse_docx, content)
    if source == ImportSource.TXT:
        text = decode_text(content)
    if not text.strip():
        return SourceResult(errors=["请粘贴工作要点的全文。"])
    return _parsed(parse_text, text)
