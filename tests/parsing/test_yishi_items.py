"""Items numbered 一是 / 二是 under 一、 chapters, numbered on across chapters."""

from tests.parsing.conftest import parse_fixture, units


def test_yishi_lines_are_the_items():
    document = parse_fixture("yishi_items.txt")
    assert [(i.seq, i.number, i.chapter, i.title) for i in document.items] == [
        (1, "一是", "一", "健全依法决策机制"), (2, "二是", "一", "深化行政执法改革"), (3, "三是", "二", "加强普法宣传"),
    ]
    assert units(document) == [
        (1, ["区司法局"], ["区政府各部门"], []),
        (2, ["区委编办", "区司法局"], [], []),
        (3, ["区委宣传部", "区司法局"], ["各镇街"], []),
    ]
    assert document.warnings == []
