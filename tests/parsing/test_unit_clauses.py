"""Unit clauses on their own: labels, separators, brackets, spaces, what is not a unit."""

import pytest

from tasks.parsing import parse_text
from tasks.parsing.units import find_clauses, split_names

DOC = "一、总体\n（一）推进工作。{}\n"


def _units(clause: str):
    item = parse_text(DOC.format(clause)).items[0]
    return item.lead_units, item.responsible_units, item.other_units


@pytest.mark.parametrize(
    ("clause", "expected"),
    [
        ("(牵头单位:市司法局,责任单位:各区镇)", (["市司法局"], ["各区镇"], [])),
        ("（牵头单位：市司法局；责任单位：市财政局、各区镇）", (["市司法局"], ["市财政局", "各区镇"], [])),
        ("（牵头部门：市司法局 责任部门：市公安局）", (["市司法局"], ["市公安局"], [])),
        ("（牵头单位:市司法局;配合单位:市法院,市检察院）", (["市司法局"], [], ["市法院", "市检察院"])),
        ("（主办单位：市司法局，协办单位：市财政局/市审计局）", (["市司法局"], [], ["市财政局", "市审计局"])),
        ("【牵头单位】市司法局【责任单位】各区镇", (["市司法局"], ["各区镇"], [])),
        ("（牵头单位：市司法局 市财政局）", (["市司法局", "市财政局"], [], [])),
        ("（牵头单位：市 司法局、市司法局）", (["市司法局"], [], [])),
        ("（牵头单位：市委宣传部（市新闻办、市网信办），责任单位：各镇（街道））",
         (["市委宣传部（市新闻办、市网信办）"], ["各镇（街道）"], [])),
        ("（市司法局牵头，各镇（街道）按职责分工负责）", (["市司法局"], ["各镇（街道）"], [])),
        ("（牵头单位：市司法局；责任领导：张三；完成时限：2023年底）", (["市司法局"], [], [])),
        ("（责任单位：市政府各有关部门）", ([], ["市政府各有关部门"], [])),
    ],
)
def test_clause_forms(clause, expected):
    assert _units(clause) == expected


def test_brackets_that_are_not_unit_clauses_stay_in_the_text():
    text = "一、总体\n（一）健全各级党委（党组）学习机制。发挥（第二批）作用。（牵头单位：市委组织部）\n"
    document = parse_text(text)
    item = document.items[0]
    assert item.title == "健全各级党委（党组）学习机制"
    assert item.body == "发挥（第二批）作用。"
    assert item.lead_units == ["市委组织部"]


def test_a_clause_before_the_full_stop_is_removed_from_the_title():
    text = "（一）加强督察（牵头单位：市司法局）。开展专项督察。\n（二）做好宣传。（牵头单位：市委宣传部）"
    item = parse_text(text).items[0]
    assert (item.title, item.body, item.lead_units) == ("加强督察", "开展专项督察。", ["市司法局"])


def test_an_unclosed_clause_keeps_its_units_and_is_warned_about():
    document = parse_text("（一）加强督察。（牵头单位：市司法局，责任单位：各区")
    assert document.items[0].responsible_units == ["各区"]
    assert any("没有结束括号" in w.message for w in document.warnings)


def test_a_sentence_in_a_unit_slot_is_reported():
    document = parse_text("（一）加强督察。（牵头单位：市司法局，责任单位：各地要加强组织领导推进工作落实）")
    assert any(w.seq == 1 and "不像单位名称" in w.message for w in document.warnings)


def test_split_names_never_splits_inside_brackets_and_drops_duplicates():
    assert split_names("A局（甲、乙）、B局，A局（甲、乙）") == ["A局（甲、乙）", "B局"]
    assert find_clauses("没有括注的文字。") == []


def test_units_written_without_a_separator_are_kept_as_written_and_reported():
    document = parse_text("（一）加强督察。（牵头单位：市司法局市财政局）")
    assert document.items[0].lead_units == ["市司法局市财政局"]
    assert [(w.seq, w.message) for w in document.warnings] == [
        (1, "单位表述不明确：“市司法局市财政局”可能是几个单位连在一起写的，请核对"),
    ]


def test_items_numbered_with_a_closing_bracket_and_labels_followed_by_wei():
    document = parse_text("XX市法治政府建设工作要点（2023年）\n一、总体\n"
                          "1)推进工作。(牵头单位为市司法局,责任单位:各区镇(按职责分工))\n2)加强管理。(牵头单位:市财政局)")
    assert (document.title, document.year) == ("XX市法治政府建设工作要点（2023年）", 2023)
    assert [(i.number, i.title, i.lead_units, i.responsible_units) for i in document.items] == [
        ("1)", "推进工作", ["市司法局"], ["各区镇"]), ("2)", "加强管理", ["市财政局"], []),
    ]


def test_short_labels_without_danwei():
    assert _units("（牵头：市司法局；配合：市财政局、市审计局）") == (["市司法局"], [], ["市财政局", "市审计局"])
    document = parse_text("（一）推进工作。\n牵头：县司法局\n责任：各乡镇")
    assert (document.items[0].lead_units, document.items[0].responsible_units) == (["县司法局"], ["各乡镇"])


def test_he_and_ji_join_two_units_but_not_the_words_of_one_name():
    assert split_names("市司法局和市公安局、市人力资源和社会保障局，市委宣传部及各区镇") == [
        "市司法局", "市公安局", "市人力资源和社会保障局", "市委宣传部", "各区镇",
    ]
    assert split_names("市住房和城乡建设局") == ["市住房和城乡建设局"]
