"""Reading issued work-point documents (工作要点) into a ParsedDocument. Pure Python: no database.

    parse_document(data_or_text, filename=None) -> ParsedDocument

``data_or_text`` is the bytes of an upload (.txt/.docx/.xlsx, detected from the content) or pasted
text. Unreadable input raises ``UnreadableDocument`` with a Chinese message for the user.
"""

from __future__ import annotations

from .parser import parse_source, parse_text
from .readers import MAX_BYTES, Source, TextBlock, UnreadableDocument, read_source, read_text_file
from .types import ParsedChapter, ParsedDocument, ParsedItem, ParseWarning


def parse_document(data: bytes | str, filename: str | None = None) -> ParsedDocument:
    if isinstance(data, str):
        return parse_source(Source([TextBlock(data.splitlines())], "text"))
    return parse_source(read_source(data, filename))


def read_docx(data: bytes) -> ParsedDocument:
    """A .docx upload read into a ParsedDocument (paragraphs and task tables in document order)."""
    return parse_document(data, filename="upload.docx")


__all__ = [
    "MAX_BYTES",
    "ParseWarning",
    "ParsedChapter",
    "ParsedDocument",
    "ParsedItem",
    "UnreadableDocument",
    "parse_document",
    "parse_text",
    "read_docx",
    "read_source",
    "read_text_file",
]
