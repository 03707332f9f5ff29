"""Checks every uploaded Office/zip container before anything expands it.

A .docx or .xlsx is a zip of XML. openpyxl and python-docx trust it: a 1.5 KB workbook whose one
``<mergeCell ref="A1:XFD1000">`` makes openpyxl build a billion-cell merge, a 199 KB document of two
million empty paragraphs, a zip whose entries inflate 1000:1, or an XML part with a DTD (entity
expansion) all cost minutes of CPU or gigabytes of memory, and the file size alone catches none of
them. So before a parser library sees the bytes, this module reads the zip directory (size, entry
count, ratio) and streams every XML part through expat with bounded counters, never holding a part in
memory and never building a tree.

Every refusal is a ``ContainerRefused`` whose message is Chinese and names the limit that was hit.
Callers pick a ``ContainerLimits``: ``IMPORT_LIMITS`` for work-point documents and workbooks,
``TEMPLATE_LIMITS`` for Word templates; evidence uses its own in ``reports/files.py``.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.parsers import expat

from openpyxl.utils.cell import range_boundaries

MB = 1024 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class ContainerLimits:
    max_bytes: int  # the file as uploaded
    max_uncompressed: int  # all entries together, inflated
    max_entries: int
    max_ratio: int  # inflated ÷ compressed, for the whole archive and for any entry over 1 MB
    max_merged_cells: int  # xlsx: cells covered by merged ranges, all sheets together
    max_paragraphs: int  # docx: paragraphs plus table cells in the body, headers and footers


IMPORT_LIMITS = ContainerLimits(
    max_bytes=20 * MB,
    max_uncompressed=50 * MB,
    max_entries=2_000,
    max_ratio=200,
    max_merged_cells=100_000,
    max_paragraphs=50_000,
)

TEMPLATE_LIMITS = ContainerLimits(
    max_bytes=10 * MB,
    max_uncompressed=30 * MB,
    max_entries=500,
    max_ratio=200,
    max_merged_cells=10_000,
    max_paragraphs=5_000,
)


class ContainerRefused(ValueError):
    """The upload is refused; ``str(exc)`` is the Chinese message to show."""


def human_size(size: int) -> str:
    """``20 MB``, ``1.5 MB``, ``300 KB`` — how an office worker writes sizes."""
    if size >= MB:
        value = size / MB
        return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} 字节"


def open_zip(data: bytes, limits: ContainerLimits = IMPORT_LIMITS, *, label: str = "文件") -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its size, entry count, inflated size and ratio."""
    if len(data) > limits.max_bytes:
        raise ContainerRefused(f"{label}大小为 {human_size(len(data))}，超过 {human_size(limits.max_bytes)} 的限制。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ContainerRefused(f"{label}已损坏或不是有效的 Office 文件（无法作为 zip 读取）。") from exc
    if len(entries) > limits.max_entries:
        raise ContainerRefused(f"{label}内含 {len(entries):,} 个部件，超过 {limits.max_entries:,} 个的限制。")
    inflated = sum(info.file_size for info in entries)
    if inflated > limits.max_uncompressed:
        raise ContainerRefused(
            f"{label}解压后为 {human_size(inflated)}，超过 {human_size(limits.max_uncompressed)} 的限制。"
        )
    compressed = sum(info.compress_size for info in entries) or 1
    if inflated > MB and inflated / compressed > limits.max_ratio:
        raise ContainerRefused(f"{label}的压缩比超过 {limits.max_ratio}:1 的限制（疑似压缩炸弹），已拒绝。")
    for info in entries:
        if info.file_size > MB and info.file_size / max(info.compress_size, 1) > limits.max_ratio:
            raise ContainerRefused(
                f"{label}中的部件 {info.filename[:80]} 压缩比超过 {limits.max_ratio}:1 的限制（疑似压缩炸弹），已拒绝。"
            )
    return archive


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Iterator[bytes]:
    read = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                read += len(chunk)
                if read > info.file_size:  # zipfile stops at the declared size; never trust it twice
                    raise ContainerRefused(f"{label}中的部件大小与目录不符，已拒绝。")
                yield chunk
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ContainerRefused(f"{label}已损坏（部件 {info.filename[:80]} 无法解压）。") from exc


def _scan(
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    label: str,
    on_element: Callable[[str, dict[str, str]], None] | None = None,
) -> None:
    """Stream one XML entry through expat: no tree is built, a DTD or entity declaration is refused,
    and ``on_element(local_name, attributes)`` is called for each start tag (namespaces resolved, so a
    crafted prefix does not hide an element)."""
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse_dtd(*_args: object) -> None:
        raise ContainerRefused(f"{label}含有 XML 文档类型声明（DTD），出于安全原因已拒绝。")

    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    if on_element is not None:
        parser.StartElementHandler = lambda name, attrs: on_element(name.rsplit("}", 1)[-1], attrs)
    try:
        for chunk in _chunks(archive, info, label):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise ContainerRefused(f"{label}已损坏（部件 {info.filename[:80]} 不是有效的 XML）。") from exc


def _xml_entries(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    return [info for info in archive.infolist() if info.filename.lower().endswith((".xml", ".rels", ".vml"))]


def check_zip(data: bytes, limits: ContainerLimits = IMPORT_LIMITS, *, label: str = "文件") -> None:
    """Directory checks plus a streamed pass over every XML part refusing DTDs and entities."""
    with open_zip(data, limits, label=label) as archive:
        for info in _xml_entries(archive):
            _scan(archive, info, label)


def check_xlsx(data: bytes, limits: ContainerLimits = IMPORT_LIMITS, *, label: str = "工作簿") -> None:
    """``check_zip`` plus the cells covered by merged ranges, counted from every sheet's ``<mergeCell>``."""
    merged = 0

    def count_merge(name: str, attrs: dict[str, str]) -> None:
        nonlocal merged
        if name != "mergeCell":
            return
        try:
            min_col, min_row, max_col, max_row = range_boundaries(attrs.get("ref", ""))
        except (ValueError, TypeError) as exc:
            raise ContainerRefused(f"{label}中的合并单元格范围无效，已拒绝。") from exc
        if None in (min_col, min_row, max_col, max_row):
            raise ContainerRefused(f"{label}中有整行或整列的合并单元格，已拒绝。")
        merged += (max_col - min_col + 1) * (max_row - min_row + 1)
        if merged > limits.max_merged_cells:
            raise ContainerRefused(
                f"{label}中合并单元格覆盖的单元格超过 {limits.max_merged_cells:,} 个的限制，已拒绝。"
            )

    with open_zip(data, limits, label=label) as archive:
        for info in _xml_entries(archive):
            is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            _scan(archive, info, label, count_merge if is_sheet else None)


def check_docx(data: bytes, limits: ContainerLimits = IMPORT_LIMITS, *, label: str = "Word 文档") -> None:
    """``check_zip`` plus paragraphs and table cells of the body, headers, footers and notes."""
    count = 0

    def count_paragraphs(name: str, _attrs: dict[str, str]) -> None:
        nonlocal count
        if name in ("p", "tc"):
            count += 1
            if count > limits.max_paragraphs:
                raise ContainerRefused(f"{label}的段落和表格单元格超过 {limits.max_paragraphs:,} 个的限制，已拒绝。")

    with open_zip(data, limits, label=label) as archive:
        for info in _xml_entries(archive):
            is_text = info.filename.startswith("word/") and info.filename.endswith(".xml")
            _scan(archive, info, label, count_paragraphs if is_text else None)
