"""The one official-document builder, read back with python-docx: GB/T 9704-2012 layout, fonts, parts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.officialdoc import (
    TEMPLATE_FIELDS,
    Heading,
    OfficialDocument,
    Paragraph,
    build_docx,
    chinese_date,
    document_from_json,
    document_to_json,
    template_context,
)

UPWARD = OfficialDocument(
    issuer_mark="苏州市测试区人民政府",
    doc_number="测政呈〔2027〕3号",
    signer="王某某",
    title="苏州市测试区人民政府关于2026年度法治政府建设情况的报告",
    recipients=("中共苏州市测试区委员会", "苏州市人民政府"),
    blocks=(
        Paragraph("2026年，我区全面推进法治政府建设。现将有关情况报告如下。"),
        Heading(1, "一、主要举措和成效"),
        Heading(2, "（一）深化政务服务改革"),
        Paragraph("全面推行证明事项告知承诺制，办件量7900件。\n网上可办率98.5%。"),
        Heading(1, "二、存在的不足和原因"),
        Paragraph("基层执法力量薄弱。"),
    ),
    signature="苏州市测试区人民政府",
    date=dt.date(2027, 3, 20),
    cc=("区人大常委会", "区政协"),
    printer="苏州市测试区人民政府办公室",
    print_date=dt.date(2027, 3, 21),
)


def _read(doc: OfficialDocument):
    return Document(io.BytesIO(build_docx(doc)))


def _fonts(paragraph):
    run = paragraph.runs[0]
    return run._element.rPr.rFonts.get(qn("w:eastAsia")), run.font.size


def _body_paragraphs(document):
    return [p for p in document.paragraphs if p.text]


def test_the_page_is_a4_with_the_standard_margins():
    section = _read(UPWARD).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]


def test_the_masthead_is_red_and_followed_by_a_red_rule_under_the_number_and_signer():
    paragraphs = _body_paragraphs(_read(UPWARD))
    mark = paragraphs[0]
    assert mark.text == "苏州市测试区人民政府"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert str(mark.runs[0].font.color.rgb) == "FF0000"
    assert _fonts(mark)[0] == "方正小标宋简体"
    number = paragraphs[1]
    # Upward report: 文号 on the left, 签发人 on the right of the same line, the name in 楷体.
    assert number.text == "\u3000测政呈〔2027〕3号\t签发人：王某某"
    assert not number.paragraph_format.left_indent and not number.paragraph_format.right_indent  # full-width rule
    assert number.runs[-1]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
    rule = number._element.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"


def test_a_document_without_signer_centres_its_number():
    doc = dataclasses.replace(UPWARD, signer="", doc_number="测政发〔2027〕1号")
    number = _body_paragraphs(_read(doc))[1]
    assert number.text == "测政发〔2027〕1号"
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not doc.is_upward


def test_title_recipients_and_body_use_the_official_fonts():
    document = _read(UPWARD)
    by_text = {p.text: p for p in document.paragraphs}
    assert _fonts(by_text[UPWARD.title]) == ("方正小标宋简体", Pt(22))
    recipients = by_text["中共苏州市测试区委员会、苏州市人民政府："]
    assert _fonts(recipients) == ("仿宋_GB2312", Pt(16))
    assert not recipients.paragraph_format.first_line_indent  # flush left (顶格)
    assert _fonts(by_text["一、主要举措和成效"]) == ("黑体", Pt(16))
    assert _fonts(by_text["（一）深化政务服务改革"]) == ("楷体_GB2312", Pt(16))
    body = by_text["全面推行证明事项告知承诺制，办件量7900件。"]
    assert _fonts(body) == ("仿宋_GB2312", Pt(16))
    assert body.paragraph_format.line_spacing == Pt(28)
    assert body.paragraph_format.first_line_indent == Pt(32)
    # a paragraph's own line breaks become paragraphs
    assert "网上可办率98.5%。" in by_text


def test_the_parts_come_in_order_and_end_with_signature_and_date():
    texts = [p.text for p in _body_paragraphs(_read(UPWARD))]
    order = [UPWARD.title, "中共苏州市测试区委员会、苏州市人民政府：", "一、主要举措和成效", "二、存在的不足和原因",
             "苏州市测试区人民政府", "2027年3月20日"]
    positions = [len(texts) - 1 - texts[::-1].index(t) if t == "苏州市测试区人民政府" else texts.index(t)
                 for t in order]
    assert positions == sorted(positions)
    assert texts[-2:] == ["苏州市测试区人民政府", "2027年3月20日"]
    assert chinese_date(dt.date(2027, 3, 1)) == "2027年3月1日"


def test_the_imprint_sits_in_a_box_at_the_foot_of_the_last_page():
    document = _read(UPWARD)
    last = document.element.body.findall(qn("w:p"))[-1]
    anchor = last.find(".//" + qn("wp:anchor"))
    assert anchor is not None, "版记 must be anchored in the last paragraph"
    vertical = anchor.find(qn("wp:positionV"))
    assert vertical.get("relativeFrom") == "margin"
    assert vertical.find(qn("wp:align")).text == "bottom"
    box = [("".join("\t" if el.tag == qn("w:tab") else el.text
                    for run in p.iter(qn("w:r")) for el in run.iter(qn("w:t"), qn("w:tab"))), p)
           for p in anchor.iter(qn("w:p"))]
    texts = [t for t, _ in box]
    assert texts == ["抄送：区人大常委会，区政协。", "苏州市测试区人民政府办公室\t2027年3月21日印发"]
    # thick first and last rules, thin between
    first_borders = box[0][1].find(qn("w:pPr")).find(qn("w:pBdr"))
    last_borders = box[1][1].find(qn("w:pPr")).find(qn("w:pBdr"))
    assert first_borders.find(qn("w:top")).get(qn("w:sz")) == "8"
    assert last_borders.find(qn("w:top")).get(qn("w:sz")) == "6"
    assert last_borders.find(qn("w:bottom")).get(qn("w:sz")) == "8"


def test_no_imprint_when_there_is_nothing_to_put_in_it():
    doc = dataclasses.replace(UPWARD, cc=(), printer="", print_date=None)
    assert not _read(doc).element.body.findall(".//" + qn("wp:anchor"))


def test_page_numbers_are_dashed_page_fields_right_on_odd_and_left_on_even_pages():
    document = _read(UPWARD)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for footer, alignment in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        assert footer.text == "— 1 —"
        assert footer.alignment == alignment
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml


def test_the_document_round_trips_as_plain_data_and_gives_templates_only_its_fields():
    assert document_from_json(document_to_json(UPWARD)) == UPWARD
    context = template_context(UPWARD)
    assert set(context) == set(TEMPLATE_FIELDS)
    assert context["recipients_line"] == "中共苏州市测试区委员会、苏州市人民政府："
    assert context["cc_line"] == "抄送：区人大常委会，区政协。"
    assert context["date"] == "2027年3月20日"
    assert all(isinstance(v, str | list) for v in context.values())


@pytest.mark.parametrize("mark", ["测试局", "苏州市测试区人民政府办公室关于法治建设的文件标志"])
def test_a_long_or_short_masthead_fits_one_line(mark):
    run = _body_paragraphs(_read(dataclasses.replace(UPWARD, issuer_mark=mark)))[0].runs[0]
    width_pt = run.font.size.pt * len(mark)
    assert 12 <= run.font.size.pt <= 56
    assert width_pt <= 156 / 25.4 * 72  # the 156 mm type area
