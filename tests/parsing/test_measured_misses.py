"""The kinds of layout that real notices of other places use and the parser once missed (issue #12).

Each fixture is written for this test in the style of such notices (not copied from any); each failed
before the parser learnt the kind. The held-out documents in ``heldout/`` measure the same kinds on
text the parser was never tuned on.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tasks.parsing import UnreadableDocument, parse_document, parse_text
from tests.parsing.builders import pdf_bytes


def _only(text: str):
    document = parse_text(text)
    assert len(document.items) == 1, [i.title for i in document.items]
    return document, document.items[0]


def _roles(item) -> tuple[list[str], list[str], list[str]]:
    return item.lead_units, item.responsible_units, item.other_units


def _warnings(document) -> str:
    return "\n".join(w.message for w in document.warnings)


# --- Unit lists in a trailing bracket with no label -------------------------------------------------

def test_a_trailing_bracket_of_unit_names_is_the_unit_list():
    _doc, item = _only("一、总体工作\n（一）健全普法机制。每季度召开一次联席会议，年底前形成工作报告。"
                       "（镇综治办、镇司法所）")
    assert _roles(item) == ([], ["镇综治办", "镇司法所"], [])
    assert item.body == "每季度召开一次联席会议，年底前形成工作报告。"


def test_nested_brackets_and_collective_names_stay_whole_inside_the_list():
    _doc, item = _only("（一）完善村规民约。指导各村修订完善。（市民政局、各县（区）政府、市直有关单位）")
    assert item.responsible_units == ["市民政局", "各县（区）政府", "市直有关单位"]


@pytest.mark.parametrize("aside", ["（以下简称“市联席会议”）", "（试行）", "（2024—2026年）", "（含下属单位）"])
def test_other_trailing_parentheticals_are_not_unit_lists(aside):
    document, item = _only(f"（一）制定工作规则。出台市法治建设联席会议工作规则{aside}")
    assert _roles(item) == ([], [], [])
    assert "未找到牵头单位或责任单位" in _warnings(document)


def test_a_name_joined_by_ji_is_read_as_two_units_and_the_reading_is_warned_about():
    document, item = _only("（一）做好普法宣传。开展主题宣传月活动。（市司法局及有关部门、各乡镇（街道））")
    assert item.responsible_units == ["市司法局", "有关部门", "各乡镇（街道）"]
    assert "“市司法局及有关部门”按两个单位读取" in _warnings(document)


# --- Qualifiers after the last name ------------------------------------------------------------------

@pytest.mark.parametrize("qualifier", ["按职责分工分别负责", "按职责分工负责", "分别负责", "按职能分工负责", "等单位",
                                       "等部门"])
def test_qualifiers_are_stripped_from_the_last_name(qualifier):
    _doc, item = _only(f"（一）加强安全监管。开展专项检查。（责任单位：市应急局、各镇人民政府{qualifier}）")
    assert item.responsible_units == ["市应急局", "各镇人民政府"]


def test_a_qualifier_after_an_unlabelled_list_is_stripped_too():
    _doc, item = _only("（一）规范执法。开展案卷评查。（市司法局，市各执法部门按职责分工分别负责）")
    assert item.responsible_units == ["市司法局", "市各执法部门"]


# --- A deadline inside the unit brackets -------------------------------------------------------------

def test_a_deadline_inside_the_unit_clause_is_the_items_deadline_not_a_unit():
    text = ("2024年东川市法治政府建设工作要点\n"
            "（一）清理规章。完成清理。（牵头单位：市司法局；责任单位：市直各部门，10月底前完成）")
    document = parse_text(text)
    item = document.items[0]
    assert _roles(item) == (["市司法局"], ["市直各部门"], [])
    assert item.deadline == dt.date(2024, 10, 31)


@pytest.mark.parametrize("when", ["2024年11月30日前完成", "年底前完成", "长期坚持"])
def test_other_time_phrases_in_the_clause_are_not_units(when):
    text = f"2024年东川市法治政府建设工作要点\n（一）清理规章。完成清理。（牵头单位：市司法局；{when}）"
    assert parse_text(text).items[0].lead_units == ["市司法局"]


# --- A clause whose opening bracket and label were lost ------------------------------------------------

def test_a_clause_that_lost_its_bracket_and_label_is_read_with_a_warning():
    document, item = _only("（一）优化营商环境。提升政务服务便利度。县商务局，责任单位：县政府各有关部门）")
    assert _roles(item) == (["县商务局"], ["县政府各有关部门"], [])
    assert item.body == "提升政务服务便利度。"
    assert "缺少开头的括号和“牵头单位”" in _warnings(document)


# --- Four levels of numbering: the leaves are the items ---------------------------------------------

FOUR_LEVELS = """2024年北岭县法治政府建设任务清单
一、完善制度体系
（一）规范决策
1.决策目录
（1）公布决策事项目录。按时公开目录。（牵头单位：县政府办公室）
（2）开展决策后评估。选取两项决策开展评估。（牵头单位：县司法局）
2.文件审查
（1）审查规范性文件。做到有件必审。（牵头单位：县司法局）
（二）规范执法
1.执法监督
（1）开展案卷评查。每年评查一次。（牵头单位：县司法局；责任单位：县各执法部门）
二、强化监督
（一）自觉接受监督
1.人大监督
（1）办理代表建议。按期办结。（牵头单位：县政府办公室）
"""


def test_four_levels_the_leaves_are_items_and_the_headings_between_are_their_path():
    document = parse_text(FOUR_LEVELS)
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "一", "公布决策事项目录"), (2, "一", "开展决策后评估"), (3, "一", "审查规范性文件"),
        (4, "一", "开展案卷评查"), (5, "二", "办理代表建议"),
    ]
    assert [i.path for i in document.items] == [
        ["（一）规范决策", "1.决策目录"], ["（一）规范决策", "1.决策目录"], ["（一）规范决策", "2.文件审查"],
        ["（二）规范执法", "1.执法监督"], ["（一）自觉接受监督", "1.人大监督"],
    ]
    assert document.as_json()["items"][0]["path"] == ["（一）规范决策", "1.决策目录"]
    assert [c.title for c in document.chapters] == ["完善制度体系", "强化监督"]


# --- Inline headings, page-chunk counters, dates that look like numbers -------------------------------

def test_headings_run_inline_in_one_paragraph_are_split():
    text = ("2024年南湖区法治政府建设工作要点\n一、推进依法决策\n"
            "（一）落实决策程序。严格履行法定程序。（牵头单位：区政府办）\n"
            "二、加强执法监督 （二）开展执法检查。每半年一次。（牵头单位：区司法局） （三）推行柔性执法。发布免罚清单。"
            "（牵头单位：区市场监管局）\n（四）加强队伍建设。组织培训。（牵头单位：区司法局）")
    document = parse_text(text)
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "一", "落实决策程序"), (2, "二", "开展执法检查"), (3, "二", "推行柔性执法"), (4, "二", "加强队伍建设"),
    ]
    assert [i.lead_units for i in document.items][1:3] == [["区司法局"], ["区市场监管局"]]


def test_a_line_of_page_counters_is_not_an_item():
    text = ("一、加强领导\n（一）压实责任。签订责任书。（牵头单位：区委依法治区办）\n1、2、3、4、\n"
            "（二）加强培训。组织专题培训。（牵头单位：区司法局）")
    document = parse_text(text)
    assert [i.title for i in document.items] == ["压实责任", "加强培训"]
    assert "不属于任何工作任务" not in _warnings(document)


@pytest.mark.parametrize("date", ["12.4国家宪法日", "12. 4国家宪法日", "3.15消费者权益日"])
def test_a_date_at_the_start_of_a_line_is_not_a_number(date):
    text = (f"一、加强宣传\n1.开展主题宣传。结合\n{date}开展集中宣传活动。（牵头单位：市司法局）\n"
            "2.建设法治阵地。建成法治公园。（牵头单位：市司法局）")
    document = parse_text(text)
    assert [i.title for i in document.items] == ["开展主题宣传", "建设法治阵地"]
    assert "开展集中宣传活动" in document.items[0].body


# --- Restarting numbering, items with no short heading, excerpts ------------------------------------

def test_numbering_that_repeats_keeps_both_items_in_order_with_a_warning():
    text = ("一、加强领导\n1.压实责任。签订责任书。责任单位：镇党政办\n2.加强学法。组织学法。责任单位：镇司法所\n"
            "2.开展述法。年终述法。责任单位：镇组织办\n3.强化考核。纳入考核。责任单位：镇党政办")
    document = parse_text(text)
    assert [i.title for i in document.items] == ["压实责任", "加强学法", "开展述法", "强化考核"]
    assert [i.seq for i in document.items] == [1, 2, 3, 4]
    assert "编号重复" in _warnings(document)


def test_an_item_without_a_short_heading_takes_its_first_sentence_as_title():
    _doc, item = _only("1.各村（社区）每年至少开展两次法治讲座，邀请法律顾问现场答疑。责任单位：各村（社区）")
    assert item.title == "各村（社区）每年至少开展两次法治讲座，邀请法律顾问现场答疑"
    assert item.responsible_units == ["各村（社区）"]


def test_an_excerpt_that_starts_mid_item_keeps_the_items_after_it():
    text = ("（接上版）开展行政复议听证，公开审理典型案件。（牵头单位：市司法局）\n"
            "（五）加强应诉工作。落实负责人出庭制度。（牵头单位：市司法局）\n"
            "（六）发挥法律顾问作用。聘请法律顾问。（牵头单位：市政府办公室）\n（下转第4版）")
    document = parse_text(text)
    assert [i.title for i in document.items] == ["加强应诉工作", "发挥法律顾问作用"]
    assert "接上版" not in document.items[0].body and "下转" not in document.items[-1].body
    assert "开展行政复议听证" in _warnings(document)


# --- Inline pinyin --------------------------------------------------------------------------------------

def test_inline_pinyin_in_traditional_text_is_dropped_before_anything_is_read():
    _doc, item = _only("（一）推進區(qū)域法治協(xié)同發(fā)展。建立協(xié)作機制。（牽頭單位：市司法局）")
    assert item.title == "推进区域法治协同发展"
    assert item.body == "建立协作机制。"


# --- PDF, scans and old formats ---------------------------------------------------------------------------

def test_a_pdf_with_a_text_layer_is_read_with_its_extraction_noise():
    pages = [["2024年西岭县法治政府建设工作要点", "一、加强党的领导", "（一）落实第一责任人职责。县政府常务会议每年",
              "专题研究法治建设不少于两次。（牵头单位：县",
              "政府办公室、县司法局）"],
             ["- 2 -", "（二）加强 学法用法。组织领导干部", "旁听庭审。（牵头单位：县司法局）"]]
    document = parse_document(pdf_bytes(pages), filename="要点.pdf")
    assert document.title == "2024年西岭县法治政府建设工作要点"
    assert [(i.title, i.lead_units) for i in document.items] == [
        ("落实第一责任人职责", ["县政府办公室", "县司法局"]), ("加强学法用法", ["县司法局"]),
    ]


def test_a_scanned_pdf_without_text_is_refused_saying_so():
    with pytest.raises(UnreadableDocument) as refused:
        parse_document(pdf_bytes([[], []]), filename="扫描件.pdf")
    assert "扫描版 PDF" in str(refused.value) and "没有文字层" in str(refused.value)


@pytest.mark.parametrize("name", ["要点.doc", "要点.wps"])
def test_doc_and_wps_files_are_refused_with_advice(name):
    with pytest.raises(UnreadableDocument) as refused:
        parse_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 200, filename=name)
    assert "另存为” .docx" in str(refused.value)
