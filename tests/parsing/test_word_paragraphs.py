"""A .docx whose work points are ordinary paragraphs (some numbered by Word itself)."""

import docx

from tasks.parsing import parse_document
from tests.parsing.builders import docx_bytes
from tests.parsing.conftest import DOCUMENTS, units


def test_a_word_file_with_the_same_text_reads_like_the_text_file():
    lines = (DOCUMENTS / "county_fullwidth.txt").read_text(encoding="utf-8").splitlines()
    document = parse_document(docx_bytes(lines), filename="要点.docx")
    text_document = parse_document((DOCUMENTS / "county_fullwidth.txt").read_bytes())
    assert document.as_json() == text_document.as_json()


def test_word_automatic_numbering_is_rebuilt(tmp_path):
    word = docx.Document()
    word.add_paragraph("2023年南山镇法治政府建设工作要点")
    word.add_paragraph("一、推进依法行政")
    for text in ["健全镇政府法律顾问制度。（牵头单位：镇司法所，责任单位：镇各部门）",
                 "规范镇级行政执法。（牵头单位：镇综合执法局）"]:
        word.add_paragraph(text, style="List Number")
    path = tmp_path / "auto.docx"
    word.save(path)
    document = parse_document(path.read_bytes(), filename="auto.docx")
    assert [(i.seq, i.number, i.title) for i in document.items] == [
        (1, "1.", "健全镇政府法律顾问制度"), (2, "2.", "规范镇级行政执法"),
    ]
    assert units(document) == [(1, ["镇司法所"], ["镇各部门"], []), (2, ["镇综合执法局"], [], [])]


def test_chinese_automatic_numbering_is_rebuilt(tmp_path):
    from docx.oxml import parse_xml

    word = docx.Document()
    numbering = word.part.numbering_part.element
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.append(parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%1）"/></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {ns} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    word.add_paragraph("一、推进依法行政")
    for text in ["健全法律顾问制度。（牵头单位：镇司法所）", "规范镇级行政执法。（牵头单位：镇综合执法局）"]:
        paragraph = word.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {ns}><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr>'))
    path = tmp_path / "cn.docx"
    word.save(path)
    document = parse_document(path.read_bytes(), filename="cn.docx")
    assert [(i.seq, i.number, i.title) for i in document.items] == [
        (1, "（一）", "健全法律顾问制度"), (2, "（二）", "规范镇级行政执法"),
    ]
