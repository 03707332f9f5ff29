"""The 通报 of a year's assessment results, in the official layout of ``fazhi/officialdoc.py`` (GB/T 9704).

The shared builder prints headings and paragraphs (no tables), so each category's ranking is a list of
paragraphs, one unit a line: "1．市市场监管局，94.10 分，优秀。" — how printed 通报 list results when the
table goes to an attachment. The full table is the results workbook.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assessment.models import Scheme
from assessment.results import group_by_category, results_for
from assessment.rules import Grade
from fazhi.officialdoc import Heading, OfficialDocument, Paragraph, build_docx
from tasks.parsing.numbers import int_to_cn

ISSUER = "法治政府建设工作领导小组办公室"


def notice_document(scheme: Scheme, *, today: dt.date | None = None) -> OfficialDocument:
    today = today or scheme.published_on or timezone.localdate()
    groups = group_by_category(results_for(scheme))
    total = sum(len(rows) for _, rows in groups)
    excellent = [r for _, rows in groups for r in rows if r.grade == Grade.EXCELLENT]
    vetoed = [r for _, rows in groups for r in rows if r.vetoed]
    blocks: list[Heading | Paragraph] = [
        Paragraph(f"根据《{scheme.name}》，经单位自评、评分责任单位评分、法治办复核和结果公示，{scheme.year}年度共有"
                  f" {total} 个单位参加法治政府建设考核。现将考核结果通报如下。"),
        Heading(1, "一、考核等次"),
        Paragraph(f"评定为优秀等次的单位（{len(excellent)} 个）：{'、'.join(r.unit.name for r in excellent) or '无'}"
                  "。"),
    ]
    if vetoed:
        blocks.append(Paragraph(f"因一票否决评定为不合格等次的单位：{'、'.join(r.unit.name for r in vetoed)}。"))
    blocks.append(Heading(1, "二、各类别得分和名次"))
    for n, (category, rows) in enumerate(groups, start=1):
        blocks.append(Heading(2, f"（{int_to_cn(n)}）{category.name}（{len(rows)} 个单位）"))
        blocks.append(Paragraph("\n".join(
            f"{r.rank}．{r.unit.name}，{r.total:.2f} 分，{r.grade_label}{'（一票否决）' if r.vetoed else ''}。"
            for r in rows)))
    blocks += [
        Heading(1, "三、有关要求"),
        Paragraph("各单位要对照考核中发现的问题，认真分析原因，逐项抓好整改，推动法治政府建设各项任务落到实处。"
                  "考核结果纳入年度综合考核，并作为领导干部考核评价的重要参考。"),
    ]
    return OfficialDocument(
        issuer_mark=ISSUER, title=f"关于{scheme.year}年度法治政府建设考核结果的通报",
        doc_number=f"法治办〔{today.year}〕1号", recipients=("各镇人民政府、街道办事处", "市各委办局"),
        blocks=tuple(blocks), signature=ISSUER, date=today, printer=ISSUER, print_date=today)


def notice_docx(scheme: Scheme, *, today: dt.date | None = None) -> bytes:
    return build_docx(notice_document(scheme, today=today))
