"""A document in traditional characters is read as simplified text (unit names come out simplified)."""

from tests.parsing.conftest import parse_fixture, units


def test_traditional_text_is_converted_before_reading():
    document = parse_fixture("traditional.txt")
    assert document.title == "2023年北岭县法治政府建设工作要点"
    assert document.issuer == "北岭县人民政府办公室"
    assert document.issued_on.isoformat() == "2023-05-08"
    assert [c.title for c in document.chapters] == ["健全依法决策机制", "严格规范公正文明执法"]
    assert [i.title for i in document.items] == ["完善重大行政决策程序", "加强合法性审查", "推行行政执法三项制度"]


def test_traditional_labels_and_unit_names_are_read():
    assert units(parse_fixture("traditional.txt")) == [
        (1, ["县政府办公室", "县司法局"], ["县政府各部门", "各乡镇"], []),
        (2, ["县司法局"], ["县政府各部门"], []),
        (3, ["县司法局"], ["各行政执法机关"], ["县财政局"]),
    ]
