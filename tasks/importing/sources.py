"""Turning an upload or pasted text into a ``PlanDraft``.

Bytes are the parser's business: ``tasks.parsing.sniff`` says what a file is (and runs the container
checks), ``tasks.parsing.decode_text`` decodes text, ``tasks.parsing.max_bytes`` is the one size limit.
This module only maps the parser's kinds to ``ImportSource`` and hands the result to a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tasks.importing.drafts import PlanDraft
from tasks.importing.excel import read_task_table
from tasks.models import ImportSource
from tasks.parsing import UnreadableDocument, decode_text, parse_document
from tasks.parsing import sniff as sniff_kind
from tasks.parsing.types import ParsedDocument

_SOURCES = {"docx": ImportSource.DOCX, "xlsx": ImportSource.XLSX, "pdf": ImportSource.PDF,
            "text": ImportSource.TXT}
_KINDS = {source: kind for kind, source in _SOURCES.items()}


def sniff(filename: str, content: bytes) -> str:
    """The ``ImportSource`` the content really is; raises ``UnreadableDocument`` for anything else."""
    return _SOURCES[sniff_kind(content, filename)]


# The parser's entry point, named here so tests can stand in for the parser.
def parse(content: bytes | str, source: str) -> ParsedDocument:
    if isinstance(content, str):
        return parse_document(content)
    return parse_document(content, kind=_KINDS[source])


@dataclass
class SourceResult:
    draft: PlanDraft | None = None
    errors: list[str] = field(default_factory=list)


def _parsed(content: bytes | str, source: str) -> SourceResult:
    try:
        doc = parse(content, source)
    except UnreadableDocument as exc:
        return SourceResult(errors=[str(exc)])
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
        parsed = _parsed(content, source)
        return parsed if parsed.draft is not None else SourceResult(errors=result.errors)
    if source in (ImportSource.DOCX, ImportSource.PDF):
        return _parsed(content, source)
    if source == ImportSource.TXT:
        try:
            text = decode_text(content)
        except UnreadableDocument as exc:
            return SourceResult(errors=[str(exc)])
    if not text.strip():
        return SourceResult(errors=["请粘贴工作要点的全文。"])
    return _parsed(text, source)
