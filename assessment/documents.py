"""The 通报 of a year's assessment results as a .docx in the official layout (GB/T 9704 in outline).

The shared builder ``fazhi/officialdoc.py`` was not on main when this was written (its ``build_docx`` was a
placeholder on its branch), so this is a minimal python-docx builder of the same parts: red 发文机关标志,
文号, red rule, 小标宋 title, 主送机关, 仿宋 body, the result tables per category, 落款 and 成文日期. When the
shared builder lands, ``notice_docx`` should hand it an ``OfficialDocument`` instead.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from assessment.models import Scheme
from assessment.results import group_by_category, results_for
from assessment.rules import Grade

RED = RGBColor(0xC0, 0x00, 0x00)
ISSUER = "法治政府建设工作领导小组办公室"


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run, name: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if color is not None:
        run.font.color.rgb = color


def _para(doc, text: str, *, font: str = "仿宋_GB2312", size: float = 16, align=None, indent: bool = True,
          bold: bool = False, color=None, space_after: float = 0):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.line_spacing = Pt(28)
    fmt.space_after = Pt(space_after)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def notice_docx(scheme: Scheme, *, today: dt.date | None = None) -> bytes:
    today = today or scheme.published_on or timezone.localdate()
    groups = group_by_category(results_for(scheme))
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _para(doc, ISSUER, font="方正小标宋简体", size=26, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, color=RED)
    _para(doc, f"法治办〔{scheme.year + 1}〕1号", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    rule = _para(doc, "", indent=False)
    border = rule._p.get_or_add_pPr()
    bdr = border.makeelement(qn("w:pBdr"), {})
    bottom = bdr.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "12", qn("w:space"): "1",
                                             qn("w:color"): "C00000"})
    bdr.append(bottom)
    border.append(bdr)
    _para(doc, f"关于{scheme.year}年度法治政府建设考核结果的通报", font="方正小标宋简体", size=22,
          align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, space_after=12)
    _para(doc, "各镇人民政府、街道办事处，市各委办局：", indent=False)
    total = sum(len(rows) for _, rows in groups)
    excellent = [r for _, rows in groups for r in rows if r.grade == Grade.EXCELLENT]
    _para(doc, f"根据《{scheme.name}》，经单位自评、评分责任单位评分、法治办复核和结果公示，"
               f"{scheme.year}年度共有 {total} 个单位参加法治政府建设考核，现将考核结果通报如下。")
    _para(doc, "一、考核等次", font="黑体", indent=True)
    names = "、".join(r.unit.name for r in excellent) or "无"
    _para(doc, f"评定为优秀等次的单位（{len(excellent)} 个）：{names}。")
    _para(doc, "二、各类别得分和排名", font="黑体", indent=True)
    for category, rows in groups:
        _para(doc, f"{category.name}（{len(rows)} 个单位）", font="楷体_GB2312", indent=True)
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, ["名次", "单位", "总分", "等次", "备注"], strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), "黑体", 12)
        for r in rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, [str(r.rank), r.unit.name, f"{r.total:.2f}", Grade(r.grade).label,
                                          "一票否决" if r.vetoed else ""], strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), "仿宋_GB2312", 12)
    _para(doc, "三、有关要求", font="黑体", indent=True)
    _para(doc, "各单位要对照考核中发现的问题，认真分析原因，逐项抓好整改，推动法治政府建设各项任务落到实处。"
               "考核结果纳入年度综合考核，并作为领导干部考核评价的重要参考。")
    _para(doc, "", indent=False)
    _para(doc, ISSUER, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _para(doc, chinese_date(today), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
