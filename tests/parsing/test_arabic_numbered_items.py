"""A district's work points: items numbered 1. / 2、 / 3．, 配合单位 and 协办单位, (1) sub-points."""

from tests.parsing.conftest import parse_fixture, units


def test_items_numbered_with_arabic_digits_under_chinese_chapters():
    document = parse_fixture("district_arabic.txt")
    assert [c.number for c in document.chapters] == ["一", "二", "三"]
    assert [(i.seq, i.number, i.chapter) for i in document.items] == [
        (1, "1.", "一"), (2, "2、", "一"), (3, "3．", "二"), (4, "4.", "二"), (5, "5.", "三"), (6, "6.", "三"),
    ]
    assert [i.title for i in document.items] == [
        "组织领导干部学法", "开展法治督察", "完善政府信息公开", "加强政策解读", "深化人民调解", "规范行政复议工作",
    ]


def test_cooperating_units_go_to_other_units():
    assert units(parse_fixture("district_arabic.txt")) == [
        (1, ["区司法局"], [], ["区委组织部", "区人社局"]),
        (2, ["区委依法治区办"], ["各街道办事处"], ["区司法局"]),
        (3, ["区政府办"], ["区政府各部门", "各街道办事处"], []),
        (4, [], ["区政府各部门"], []),
        (5, ["区司法局"], ["各街道办事处"], ["区法院", "区信访局"]),
        (6, ["区司法局"], [], []),
    ]


def test_sub_points_numbered_1_in_brackets_stay_in_the_body():
    item = parse_fixture("district_arabic.txt").items[4]
    assert "（1）完善区、街道、社区三级调解网络；" in item.body
    assert "（2）培育品牌调解工作室。" in item.body


def test_doc_number_with_half_width_round_brackets():
    assert parse_fixture("district_arabic.txt").doc_number == "东法办发(2023)3号"
