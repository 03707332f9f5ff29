"""Reading uploaded files into blocks of text lines and tables, in document order.

This module is the one place an import looks at bytes: ``sniff`` (what the file is, by content,
with every Office container checked by ``fazhi.containers`` before anything expands it),
``decode_text`` (the one text decoder) and ``max_bytes`` (the one size limit, from the setting
``FAZHI_IMPORT_MAX_BYTES``). Supported: plain text (UTF-8 with or without BOM, UTF-16 with BOM,
GB18030/GBK), Word ``.docx`` (paragraphs and tables), Excel ``.xlsx`` (every sheet as a table) and
PDF with a text layer (``pypdf``). Anything else raises ``UnreadableDocument`` with a message for
the user that says what to do instead.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # only when Django is not configured (the standalone benchmark)
MAX_PDF_PAGES = 300  # a year's work points run to a few dozen pages; past this it is not one
KINDS = ("docx", "xlsx", "pdf", "text")


class UnreadableDocument(ValueError):
    """The file cannot be read; ``str(error)`` is a one-line Chinese message for the user."""


@dataclass
class TextBlock:
    lines: list[str]


@dataclass
class TableBlock:
    rows: list[list[str]]
    name: str = ""


@dataclass
class Source:
    blocks: list[TextBlock | TableBlock] = field(default_factory=list)
    kind: str = "text"  # text / docx / xlsx / pdf


def max_bytes() -> int:
    """The largest document an import reads (file or pasted text), from ``settings.FAZHI_IMPORT_MAX_BYTES``."""
    from django.conf import settings

    if settings.configured:
        return settings.FAZHI_IMPORT_MAX_BYTES
    return DEFAULT_MAX_BYTES


def size_label(size: int) -> str:
    from fazhi.containers import human_size

    return human_size(size)


def too_large_message() -> str:
    return f"文件过大：导入的文件不能超过 {size_label(max_bytes())}。"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_TEXT = "这不是文本文件，请上传 .docx、.xlsx、.pdf 或 .txt 文件，或复制全文粘贴。"


def decode_text(data: bytes) -> str:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("文件编码无法识别（UTF-16 内容有误）。") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableDocument(_NOT_TEXT)
    try:
        return _checked(data.decode("utf-8"))
    except UnicodeDecodeError:
        # A UTF-8 file with a few damaged bytes is still UTF-8: GB18030 would turn all of it into nonsense.
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= max(2, len(text) // 1000) and re.search(r"[\u4e00-\u9fff]{4}", text):
            return _checked(text)
    try:
        return _checked(data.decode("gb18030"))
    except UnicodeDecodeError as exc:
        raise UnreadableDocument("文件编码无法识别，请另存为 UTF-8 或 GBK 编码的文本文件。") from exc





def _checked(text: str) -> str:
    # GB18030 decodes much binary junk without error; real documents have few control characters.
    if text and len(_CONTROL.findall(text)) > max(5, len(text) // 100):
        raise UnreadableDocument(_NOT_TEXT)
    return text


_OLD_OFFICE = ("这是旧版 Word/Excel/WPS 文件（.doc/.xls/.wps），无法直接读取：请在 Word 或 WPS 中"
               "“另存为” .docx（表格另存为 .xlsx）后上传，或复制全文粘贴。")


def sniff(data: bytes, filename: str | None = None) -> str:
    """"docx", "xlsx", "pdf" or "text", from the content (the name only sharpens the advice).

    Raises ``UnreadableDocument`` for anything else, for a file over ``max_bytes()``, and for an
    Office container that fails ``fazhi.containers`` (size, entries, ratio, merged cells,
    paragraphs, DTDs): those checks run here, before openpyxl or python-docx see a byte.
    """
    from fazhi.containers import IMPORT_LIMITS, ContainerRefused, check_docx, check_xlsx, check_zip, open_zip

    name = (filename or "").lower()
    if len(data) > max_bytes():
        raise UnreadableDocument(too_large_message())
    if not data.strip():
        raise UnreadableDocument("文件是空的，请检查后重新上传。")
    if data.startswith(b"PK\x03\x04"):
        try:
            with open_zip(data, IMPORT_LIMITS) as archive:
                names = set(archive.namelist())
            if "word/document.xml" in names:
                check_docx(data, IMPORT_LIMITS)
                return "docx"
            if "xl/workbook.xml" in names:
                check_xlsx(data, IMPORT_LIMITS)
                return "xlsx"
            check_zip(data, IMPORT_LIMITS)
        except ContainerRefused as exc:
            raise UnreadableDocument(str(exc)) from exc
        raise UnreadableDocument("不支持该文件格式，请上传 .docx、.xlsx、.pdf 或 .txt 文件。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument(_OLD_OFFICE)
    if data.lstrip()[:5] == b"%PDF-":
        _open_pdf(data)  # a broken, encrypted or oversized PDF is refused at the upload, like a bad zip
        return "pdf"
    if data.startswith(b"{\\rtf"):
        raise UnreadableDocument("不支持 RTF 文件，请在 Word 中另存为 .docx 后上传。")
    if name.endswith((".docx", ".xlsx")):
        raise UnreadableDocument("文件内容与扩展名不符，无法作为 Office 文档打开。")
    if name.endswith((".doc", ".xls", ".wps", ".et")):
        raise UnreadableDocument(_OLD_OFFICE)
    if name.endswith(".pdf"):
        raise UnreadableDocument(_PDF_BROKEN)
    decode_text(data)  # raises when this is not text at all
    return "text"


def read_source(data: bytes, filename: str | None = None, *, kind: str | None = None) -> Source:
    """Blocks of the upload; ``kind`` is what ``sniff`` said, when the caller sniffed already."""
    kind = kind or sniff(data, filename)
    if kind == "docx":
        return Source(read_docx(data), kind)
    if kind == "xlsx":
        return Source(read_xlsx(data), kind)
    if kind == "pdf":
        return Source([TextBlock(read_pdf(data))], kind)
    return Source([TextBlock(decode_text(data).splitlines())], kind)


_PDF_BROKEN = "PDF 文件已损坏，无法打开。"


def _open_pdf(data: bytes):
    """A ``PdfReader`` on ``data``, refusing broken, encrypted and overlong files."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd fonts are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many offices "protect" PDFs with an empty password
            except Exception as exc:  # pypdf raises several types for unknown ciphers
                raise UnreadableDocument("PDF 文件已加密，无法读取，请提供未加密的文件。") from exc
        count = len(reader.pages)
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, RecursionError) as exc:
        raise UnreadableDocument(_PDF_BROKEN) from exc
    if count > MAX_PDF_PAGES:
        raise UnreadableDocument(f"PDF 文件有 {count} 页，超过 {MAX_PDF_PAGES} 页的限制。")
    if count == 0:
        raise UnreadableDocument(_PDF_BROKEN)
    return reader


def read_pdf(data: bytes) -> list[str]:
    """The text layer of a PDF, page after page; a scan without one is refused, saying so.

    pypdf leaves PDF's own noise (a space between characters, a break in every line, page numbers):
    the normaliser and the line joiner deal with it like any other extracted text.
    """
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings about odd fonts are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")  # many offices "protect" PDFs with an empty password
            except Exception as exc:
                raise UnreadableDocument("PDF 文件已加密，无法读取，请提供未加密的文件。") from exc
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise UnreadableDocument(f"PDF 文件有 {len(pages)} 页，超过 {MAX_PDF_PAGES} 页的限制。")
        lines: list[str] = []
        total = 0
        for page in pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > max_bytes():
                raise UnreadableDocument(too_large_message())
            lines.extend(text.splitlines())
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, AttributeError, RecursionError) as exc:
        raise UnreadableDocument(_PDF_BROKEN) from exc
    if len(re.findall(r"[\u4e00-\u9fff]", "".join(lines))) < 20:
        raise UnreadableDocument("这是扫描版 PDF（没有文字层），无法读取其中的文字：请使用 Word 原件，"
                                 "或先用文字识别（OCR）转换后粘贴全文。")
    return lines


def read_docx(data: bytes) -> list[TextBlock | TableBlock]:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken packages
        raise UnreadableDocument("Word 文件已损坏或不是有效的 .docx 文件。") from exc
    numbering = _Numbering(document)
    blocks: list[TextBlock | TableBlock] = []
    lines: list[str] = []
    for part in document.iter_inner_content():
        if isinstance(part, Paragraph):
            label = numbering.label(part)
            lines.extend((label + part.text).split("\n") if part.text else [""])
        elif isinstance(part, Table):
            rows = _docx_rows(part)
            if _looks_like_layout(rows):
                lines.extend(cell for row in rows for cell in row if cell)
                continue
            if lines:
                blocks.append(TextBlock(lines))
                lines = []
            blocks.append(TableBlock(rows))
    if lines:
        blocks.append(TextBlock(lines))
    return blocks


def _docx_rows(table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        # A merged cell comes back once per grid column it covers: the columns stay aligned with the header.
        for cell in row.cells:
            text = "\n".join(p.text for p in cell.paragraphs).strip()
            if cell.tables:
                text = "\n".join([text] + [c for r in _docx_rows(cell.tables[0]) for c in r if c]).strip()
            cells.append(text)
        rows.append(cells)
    return rows


def _looks_like_layout(rows: list[list[str]]) -> bool:
    """A one-column table is page layout (a framed title, a text box), not a task table."""
    return max((len(r) for r in rows), default=0) <= 1


class _Numbering:
    """Word's automatic list numbers ("（一）" drawn by the numbering engine) are not in the text: rebuild them."""

    _FORMATS = {"chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographDigital",
                "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographTraditional"}

    def __init__(self, document) -> None:
        self.counters: dict[tuple[str, int], int] = {}
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            root = None
        if root is None:
            return
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = f"{{{ns}}}"
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{w}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.iter(f"{w}lvl"):
                ilvl = int(lvl.get(f"{w}ilvl", "0"))
                fmt = lvl.find(f"{w}numFmt")
                text = lvl.find(f"{w}lvlText")
                start = lvl.find(f"{w}start")
                levels[ilvl] = (
                    fmt.get(f"{w}val") if fmt is not None else "decimal",
                    text.get(f"{w}val") if text is not None else "",
                    int(start.get(f"{w}val")) if start is not None else 1,
                )
            abstract[node.get(f"{w}abstractNumId")] = levels
        for node in root.iter(f"{w}num"):
            ref = node.find(f"{w}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{w}val"), {}).items():
                self.levels[(node.get(f"{w}numId"), ilvl)] = spec
        self.w = w

    def label(self, paragraph) -> str:
        """The number Word would draw before this paragraph (or "")."""
        if not self.levels:
            return ""
        numpr = _numpr(paragraph._p.pPr)
        style = paragraph.style if numpr is None else None
        while numpr is None and style is not None:  # numbering set by the paragraph style ("List Number")
            numpr = _numpr(style.element.pPr)
            style = style.base_style
        if numpr is None or numpr.numId is None:
            return ""
        num_id = str(numpr.numId.val)
        if num_id == "0":  # numbering explicitly switched off
            return ""
        ilvl = int(numpr.ilvl.val) if numpr.ilvl is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None:
            return ""
        fmt, template, start = spec
        key = (num_id, ilvl)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for other in [k for k in self.counters if k[0] == num_id and k[1] > ilvl]:
            del self.counters[other]
        if fmt == "bullet" or not template:
            return ""
        value = self.counters[key]
        rendered = template.replace(f"%{ilvl + 1}", _format_number(value, fmt))
        return re.sub(r"%\d", "", rendered)


def _numpr(ppr):
    return ppr.numPr if ppr is not None else None


def _format_number(value: int, fmt: str) -> str:
    if fmt in _Numbering._FORMATS:
        from .numbers import int_to_cn

        return int_to_cn(value)
    if fmt.startswith("decimalEnclosedCircle") and 1 <= value <= 20:
        return chr(ord("①") + value - 1)
    return str(value)


def read_xlsx(data: bytes) -> list[TextBlock | TableBlock]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise UnreadableDocument("Excel 文件已损坏或不是有效的 .xlsx 文件。") from exc
    blocks: list[TextBlock | TableBlock] = []
    for sheet in workbook.worksheets:
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        rows = [["" if v is None else _cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        # A merged cell keeps its value in the top-left corner only: give every covered cell the value.
        for merged in sheet.merged_cells.ranges:
            value = rows[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(rows) else ""
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    if merged.min_row == merged.max_row and c > merged.min_col - 1:
                        rows[r][c] = ""  # a title row spread over columns: keep it once
                    else:
                        rows[r][c] = value
        for cells in rows:
            while cells and not cells[-1]:
                cells.pop()
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            blocks.append(TableBlock(rows, name=sheet.title))
    workbook.close()
    return blocks


def _cell_text(value) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
