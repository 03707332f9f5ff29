"""A county's work points: full-width brackets, units on their own lines, sub-points kept in the body."""

from tests.parsing.conftest import parse_fixture, units


def test_units_written_on_lines_after_the_item_belong_to_it():
    document = parse_fixture("county_fullwidth.txt")
    assert units(document) == [
        (1, ["县司法局"], ["县政府办公室", "县司法局"], []),
        (2, ["县委依法治县办"], ["各乡镇", "县政府各部门"], []),
        (3, ["县司法局"], ["县公安局", "县市场监管局", "县农业农村局"], []),
        (4, ["县司法局"], ["各行政执法部门"], []),
        (5, ["县委编办"], [], []),
    ]


def test_numbered_sub_points_stay_in_the_item_body():
    document = parse_fixture("county_fullwidth.txt")
    assert len(document.items) == 5
    item = document.items[1]
    assert item.title == "落实法治建设第一责任人职责"
    assert "1.制定年度述法工作方案；" in item.body
    assert "2.组织各乡镇主要负责人述法。" in item.body
    assert "牵头单位" not in item.body


def test_full_width_numbers_and_chinese_numeral_dates_are_read():
    document = parse_fixture("county_fullwidth.txt")
    assert [i.number for i in document.items][:2] == ["（一）", "（二）"]
    assert document.title == "2023年青山县法治政府建设工作要点"
    assert document.doc_number == "青县政发[2023]8号"
    assert document.issuer == "青山县人民政府"
    assert document.issued_on.isoformat() == "2023-04-10"
    assert document.warnings == []
