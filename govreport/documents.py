"""The report as Word: the office's own template when one is uploaded, else the built-in GB/T 9704 layout."""

from __future__ import annotations

from fazhi import officialdoc
from fazhi.officialdoc import OfficialDocument, build_docx
from govreport.models import GovReport, Publication
from govreport.outline import document_from_content, official_document
from tasks.models import Government


def _render(government: Government, doc: OfficialDocument) -> bytes:
    if government.template:
        with government.template.open("rb") as handle:
            return officialdoc.fill_template(handle.read(), doc)
    return build_docx(doc)


def report_docx(report: GovReport) -> bytes:
    """The current text of the report (draft or final)."""
    return _render(report.government, official_document(report, list(report.sections.in_order())))


def publication_docx(publication: Publication) -> bytes:
    """The published copy, from its frozen content (later edits of the draft never reach it)."""
    return _render(publication.report.government, document_from_content(publication.content))


def docx_filename(report: GovReport) -> str:
    return f"{report.government.name}{report.year}年度法治政府建设情况报告.docx"
