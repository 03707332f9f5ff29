"""The report as Word: the office's own template when one is uploaded, else the built-in GB/T 9704 layout."""

from __future__ import annotations

import datetime as dt

from fazhi import officialdoc
from fazhi.officialdoc import Heading, OfficialDocument, Paragraph, build_docx
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


def sample_document(government: Government, year: int) -> OfficialDocument:
    """A short report in the government's own names (版头, 文号 prefix, 主送) with invented body text, to see
    how the office's template lays out every part before a real report goes into it."""
    prefix = government.doc_prefix or "×政呈"
    blocks = (
        Paragraph(f"{year}年，{government.name}深入贯彻落实法治政府建设实施纲要，现将有关情况报告如下（示例文字）。"),
        Heading(1, "一、主要举措和成效"),
        Heading(2, "（一）示例工作任务"),
        Paragraph("牵头单位的工作举措与成效写在这里；其他单位的举措另起一段，以单位简称开头（示例文字）。"),
        Paragraph("主要数据：示例单位开展专项检查12次；另一单位培训执法人员300人次。"),
        Heading(2, "（二）第二项示例工作任务"),
        Paragraph("编号在各章之间连续编排（示例文字）。"),
        Heading(1, "二、党政主要负责人履行推进法治建设第一责任人职责情况"),
        Paragraph("主要负责人履职情况写在这里（示例文字）。"),
        Heading(1, "三、存在的不足和原因"),
        Paragraph("存在的不足写在这里（示例文字）。"),
        Heading(1, "四、下一年度主要安排"),
        Paragraph("下一年度的工作安排写在这里（示例文字）。"),
    )
    return OfficialDocument(
        issuer_mark=government.header_text,
        title=f"{government.name}关于{year}年度法治政府建设情况的报告",
        doc_number=f"{prefix}〔{year + 1}〕1号",
        signer="×××",
        recipients=tuple(government.recipient_list) or ("（主送机关）",),
        blocks=blocks,
        signature=government.name,
        date=dt.date(year + 1, 3, 20),
        cc=("（抄送机关）",),
        printer=f"{government.name}办公室",
        print_date=dt.date(year + 1, 3, 21),
    )


def template_preview_docx(government: Government, year: int) -> bytes:
    """The sample report in the government's uploaded template (sandboxed, as every fill), else the built-in
    layout. Raises ``fazhi.doctemplates.TemplateRefused`` when the template cannot be filled."""
    return _render(government, sample_document(government, year))
