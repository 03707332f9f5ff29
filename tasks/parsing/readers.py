"""Reading uploaded files into blocks of text lines and tables, in document order.

Supported: plain text (UTF-8 with or without BOM, UTF-16 with BOM, GB18030/GBK), Word ``.docx``
(paragraphs and tables) and Excel ``.xlsx`` (every sheet as a table). Anything else raises
``UnreadableDocument`` with a message for the user.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

MAX_BYTES = 10 * 1024 * 1024


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
    kind: str = "text"  # text / docx / xlsx


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def read_text_file(data: bytes) -> str:
    """Decode a text upload: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="replace"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise UnreadableDocument("文件编码无法识别（UTF-16 内容有误）。") from exc
    if b"\x00" in data[:4096]:
        raise UnreadableDocument("这不是文本文件，请上传 .txt、.docx 或 .xlsx 文件。")
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
        raise UnreadableDocument("这不是文本文件，请上传 .txt、.docx 或 .xlsx 文件。")
    return text


def detect_kind(data: bytes, filename: str | None = None) -> str:
    """"docx", "xlsx" or "text" from the content (and the name as a hint); raise for other formats."""
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as exc:
            raise UnreadableDocument("文件已损坏，无法打开。") from exc
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise UnreadableDocument("不支持的文件格式，请上传 .txt、.docx 或 .xlsx 文件。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableDocument("不支持旧版 Word/Excel 格式（.doc/.xls），请另存为 .docx 或 .xlsx 后上传。")
    if data.startswith(b"%PDF"):
        raise UnreadableDocument("不支持 PDF 文件，请复制其中的文字后粘贴，或上传 Word 文件。")
    if data.startswith(b"{\\rtf"):
        raise UnreadableDocument("不支持 RTF 文件，请另存为 .docx 后上传。")
    if name.endswith((".docx", ".xlsx")):
        raise UnreadableDocument("文件已损坏，无法打开。")
    if name.endswith((".doc", ".xls", ".pdf", ".wps", ".et")):
        raise UnreadableDocument("不支持的文件格式，请上传 .txt、.docx 或 .xlsx 文件。")
    return "text"


def read_source(data: bytes, filename: str | None = None) -> Source:
    if len(data) > MAX_BYTES:
        raise UnreadableDocument(f"文件太大（超过 {MAX_BYTES // (1024 * 1024)} MB）。")
    if not data.strip():
        raise UnreadableDocument("文件是空的。")
    kind = detect_kind(data, filename)
    if kind == "docx":
        return Source(read_docx(data), kind)
    if kind == "xlsx":
        return Source(read_xlsx(data), kind)
    return Source([TextBlock(read_text_file(data).splitlines())], kind)


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
