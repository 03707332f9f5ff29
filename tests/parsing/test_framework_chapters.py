"""总体要求 / 保障措施 chapters whose numbered paragraphs name no unit are not tasks: left out, with a warning."""

from tests.parsing.conftest import parse_fixture, units, warning_texts


def test_framework_paragraphs_are_left_out_and_reported():
    document = parse_fixture("framework_chapters.txt")
    assert [(i.seq, i.chapter, i.title) for i in document.items] == [
        (1, "二", "健全依法决策机制"), (2, "二", "深化执法体制改革"),
        (3, "二", "加强行政复议工作"), (4, "二", "推进政务公开"),
    ]
    messages = [m for seq, m in warning_texts(document) if seq is None]
    assert len(messages) == 2
    assert messages[0].startswith("“一、总体要求”下的2条没有写明单位")
    assert messages[1].startswith("“三、保障措施”下的2条没有写明单位")


def test_verbs_inside_a_responsible_list_assign_the_lead():
    assert units(parse_fixture("framework_chapters.txt"))[2] == (3, ["区司法局"], ["区各有关部门"], [])
