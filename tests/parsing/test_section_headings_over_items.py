"""(一) lines that are only section headings over 1. items carrying the units: the items are the 1. lines."""

from tests.parsing.conftest import parse_fixture, units


def test_items_are_read_at_the_level_that_carries_the_units():
    document = parse_fixture("sections_over_items.txt")
    assert document.title == "2024年河口区法治政府建设重点任务"
    assert [(i.seq, i.number, i.chapter, i.title) for i in document.items] == [
        (1, "1.", "一", "推行“一件事一次办”"), (2, "2.", "一", "规范涉企检查"),
        (3, "3.", "一", "落实公平竞争审查"), (4, "4.", "二", "推行行政裁量权基准制度"),
    ]
    assert units(document) == [
        (1, ["区行政审批局"], ["区政府各部门"], []),
        (2, ["区市场监管局"], ["区各执法部门"], []),
        (3, ["区发改委", "区市场监管局"], [], []),
        (4, ["区司法局"], ["区各执法部门"], []),
    ]
    assert document.warnings == []
