"""Reading issued work-point documents (工作要点) into a ParsedDocument: everything from bytes to structure.

    sniff(data, filename=None) -> "docx" | "xlsx" | "pdf" | "text"   (containers checked, size limited)
    parse_document(data_or_text, filename=None, kind=None) -> ParsedDocument

``data_or_text`` is the bytes of an upload (detected from the content) or pasted text. Unreadable
input raises ``UnreadableDocument`` with a Chinese message for the user. No database is touched.
"""

from __future__ import annotations

from .parser import parse_source, parse_text
from .readers import (
    Source,
    TextBlock,
    UnreadableDocument,
    decode_text,
    max_bytes,
    read_source,
    size_label,
    sniff,
    too_large_message,
)
from .types import ParsedChapter, ParsedDocument, ParsedItem, ParseWarning


def parse_document(data: bytes | str, filename: str | None = None, *, kind: str | None = None) -> ParsedDocument:
    """``kind`` is what ``sniff`` returned when the caller has sniffed the bytes already."""
    if isinstance(data, str):
        return parse_source(Source([TextBlock(data.splitlines())], "text"))
    return parse_source(read_source(data, filename, kind=kind))


__all__ = [
    "ParseWarning",
    "ParsedChapter",
    "ParsedDocument",
    "ParsedItem",
    "UnreadableDocument",
    "decode_text",
    "max_bytes",
    "parse_document",
    "parse_text",
    "read_source",
    "size_label",
    "sniff",
    "too_large_message",
]
