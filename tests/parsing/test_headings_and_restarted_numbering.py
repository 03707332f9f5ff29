"""A town's work points: headings on their own line, units between heading and body, numbering that
restarts in every chapter, "X牵头，Y配合" clauses, a deadline line and a closing chapter without items."""

import datetime as dt

from tests.parsing.conftest import parse_fixture, units, warning_texts


def test_headings_on_their_own_line_are_the_titles():
    document = parse_fixture("headings_restart.txt")
    assert [(i.number, i.chapter, i.title) for i in document.items] == [
        ("（一）", "一", "规范重大行政决策"), ("（二）", "一", "加强合法性审查"),
        ("（一）", "二", "深化综合行政执法改革"), ("（三）", "二", "加强执法监督"),
    ]
    assert document.items[1].body == "镇政府出台的规范性文件、签订的合同全部经过合法性审查。"


def test_numbering_restarting_per_chapter_gives_running_seq_and_gaps_are_warned_within_a_chapter():
    document = parse_fixture("headings_restart.txt")
    assert [i.seq for i in document.items] == [1, 2, 3, 4]
    assert (4, "编号不连续：（三）之前缺少（二）") in warning_texts(document)


def test_clauses_written_as_lead_and_cooperating_verbs_and_units_under_the_heading():
    assert units(parse_fixture("headings_restart.txt")) == [
        (1, ["镇党政办"], [], ["镇司法所", "镇财政所"]),
        (2, ["镇司法所"], ["镇各部门"], []),
        (3, ["镇综合执法局"], ["各村（社区）"], []),
        (4, ["镇司法所"], [], []),
    ]


def test_a_deadline_line_sets_the_item_deadline():
    document = parse_fixture("headings_restart.txt")
    assert [i.deadline for i in document.items] == [None, None, dt.date(2023, 12, 31), None]


def test_text_under_a_chapter_without_items_is_flagged_not_turned_into_an_item():
    document = parse_fixture("headings_restart.txt")
    assert [c.title for c in document.chapters][-1] == "工作要求"
    assert len(document.items) == 4
    stray = [m for seq, m in warning_texts(document) if seq is None]
    assert stray == [
        "章节标题之后有一段文字不属于任何工作任务：“各部门要高度重视，明确专人负责，确保各项任务按期完成。…”"
    ]
    assert document.issuer == "松江镇人民政府"
    assert document.issued_on == dt.date(2023, 2, 20)
