"""Layouts seen less often: text pasted without line breaks, sections without 一、 chapters, items at two levels."""

from tasks.parsing import parse_text
from tests.parsing.conftest import units


def test_text_pasted_without_line_breaks_is_split_at_the_numbers():
    text = ("2023年西山区法治政府建设工作要点 一、推进依法行政（一）规范决策。落实决策程序。（牵头单位：区司法局）"
            "（二）加强执法。开展执法评查。（牵头单位：区司法局，责任单位：区各执法部门）二、化解矛盾纠纷"
            "（三）深化调解。完善调解网络。（牵头单位：区司法局；配合单位：区法院）")
    document = parse_text(text)
    assert [(c.number, c.title) for c in document.chapters] == [("一", "推进依法行政"), ("二", "化解矛盾纠纷")]
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "一", "规范决策"), (2, "一", "加强执法"), (3, "二", "深化调解"),
    ]
    assert units(document) == [
        (1, ["区司法局"], [], []), (2, ["区司法局"], ["区各执法部门"], []), (3, ["区司法局"], [], ["区法院"]),
    ]


def test_sections_without_chinese_chapters_become_the_chapters():
    text = "\n".join([
        "（一）依法行政", "1.规范决策。落实决策程序。（牵头单位：区司法局）", "2.加强执法。（牵头单位：区城管局）",
        "（二）化解纠纷", "3.深化调解。（牵头单位：区司法局）",
    ])
    document = parse_text(text)
    assert [(c.number, c.title) for c in document.chapters] == [("一", "依法行政"), ("二", "化解纠纷")]
    assert [(i.seq, i.number, i.chapter) for i in document.items] == [(1, "1.", "一"), (2, "2.", "一"), (3, "3.", "二")]


def test_an_item_with_its_own_units_next_to_sections_of_numbered_items_is_kept():
    text = "\n".join([
        "一、推进依法行政",
        "（一）规范决策。落实决策程序。（牵头单位：区司法局）",
        "（二）严格执法",
        "1.开展执法评查。（牵头单位：区司法局）",
        "2.加强执法培训。（牵头单位：区人社局）",
    ])
    document = parse_text(text)
    assert [(i.seq, i.number, i.title) for i in document.items] == [
        (1, "（一）", "规范决策"), (2, "1.", "开展执法评查"), (3, "2.", "加强执法培训"),
    ]
    assert [i.lead_units for i in document.items] == [["区司法局"], ["区司法局"], ["区人社局"]]
