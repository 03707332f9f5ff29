"""Text extracted from a PDF: hard line breaks, page numbers, stray spaces, a truncated last item."""

from tests.parsing.conftest import parse_fixture, units, warning_texts


def test_broken_lines_page_numbers_and_stray_spaces_do_not_change_the_reading():
    document = parse_fixture("pdf_extracted.txt")
    assert document.title == "2023年西河区法治政府建设工作要点"
    assert document.doc_number == "西政办发（2023）21号"
    assert document.issuer == "西河区人民政府办公室"
    assert [i.title for i in document.items] == [
        "推进行政执法规范化建设", "加强行政执法人员管理", "完善多元解纷机制", "加强行政复议工作",
    ]
    assert "全过程记录制度" in document.items[0].body
    assert "- 2 -" not in document.items[0].body


def test_units_split_across_a_page_break_are_joined():
    assert units(parse_fixture("pdf_extracted.txt"))[:3] == [
        (1, ["区司法局"], ["区各行政执法部门", "各街道"], []),
        (2, ["区司法局", "区人社局"], ["区各行政执法部门"], []),
        (3, ["区委政法委", "区司法局"], ["各街道", "区法院"], []),
    ]


def test_an_item_cut_off_before_its_units_is_kept_and_warned_about():
    document = parse_fixture("pdf_extracted.txt")
    last = document.items[-1]
    assert (last.seq, last.lead_units, last.responsible_units) == (4, [], [])
    assert "依法纠正违法或者不当行政行为" in last.body
    assert [w for w in warning_texts(document) if w[0] == 4] == [
        (4, "内容疑似不完整（末尾被截断），未找到牵头单位或责任单位"),
    ]
    assert len(document.warnings) == 1
