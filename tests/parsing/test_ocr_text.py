"""OCR text: spaces between every character, 一 read as a dash in "(—)", a clause label broken over lines."""

import datetime as dt

from tests.parsing.conftest import parse_fixture, units


def test_ocr_spacing_and_dash_numbers_are_read():
    document = parse_fixture("ocr_scan.txt")
    assert (document.title, document.issuer, document.doc_number, document.issued_on) == (
        "2023年北湖县法治政府建设工作要点", "北湖县司法局", "北司发〔2023〕5号", dt.date(2023, 3, 1))
    assert [(c.number, c.title) for c in document.chapters] == [("一", "提升行政执法质效"), ("二", "规范行政复议")]
    assert [(i.seq, i.number, i.title) for i in document.items] == [
        (1, "(—)", "开展执法人员培训"), (2, "(二)", "推行包容审慎监管"), (3, "(三)", "提高复议办案质量"),
    ]
    assert document.items[0].body == "组织全县行政执法人员开展法律知识轮训，考试合格率达到95%以上。"


def test_units_with_spaces_and_a_label_broken_over_lines():
    assert units(parse_fixture("ocr_scan.txt")) == [
        (1, ["县司法局"], [], ["县人社局"]),
        (2, ["县市场监管局"], ["县各执法部门"], []),
        (3, ["县司法局"], [], []),
    ]
    assert parse_fixture("ocr_scan.txt").warnings == []
