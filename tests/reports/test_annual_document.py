"""A unit's own year-end report as a .docx: what it owes, only approved text, half-year fallback, no repeats,
a warning instead of an empty report, and the official layout (版头, 主送, 落款)."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from reports import services, services_annual
from reports.annual import unit_annual
from reports.documents import build_annual_docx
from tasks.models import AssignmentRole
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, WorkItemFactory
from tests.reports.conftest import fill


@pytest.fixture
def year_end(world):
    period = services.open_period(plan=world.plan, name="2026年年终报告", kind="year_end",
                                  due_on=dt.date(2026, 12, 20), user=world.coordinator)
    ob = {(o.item_id, o.unit_id): o for o in period.obligations.all()}
    world.year_end = period
    world.ye_a1 = ob[(world.item1.id, world.unit_a.id)]
    world.ye_a2 = ob[(world.item2.id, world.unit_a.id)]
    world.ye_b1 = ob[(world.item1.id, world.unit_b.id)]
    return world


def file(world, obligation, user, *, state="approved", comment="请补充数据", **data):
    """File a report through the services and bring it to ``state``."""
    report = services.start_report(obligation=obligation, user=user)
    report = fill(report, user, **data)
    if state == "draft":
        return report
    report = services.submit_report(report=report, user=user)
    if state == "approved":
        report = services.approve_report(report=report, user=world.coordinator)
    elif state == "returned":
        report = services.return_report(report=report, user=world.coordinator, comment=comment)
    return report


def texts_of(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs if p.text]


def test_the_count_is_what_the_unit_owes_not_what_it_reported(year_end):
    world = year_end
    # Two more items led by unit A, on which it never reported: it owes four, it reported on two.
    for seq in (3, 4):
        item = WorkItemFactory(plan=world.plan, chapter=world.ch2, seq=seq, title=f"第{seq}项任务")
        AssignmentFactory(item=item, unit=world.unit_a, role=AssignmentRole.LEAD)
        sync_duties(items=[item])
    file(world, world.ye_a1, world.liaison_a, measures="甲项举措。")
    file(world, world.ye_a2, world.liaison_a, measures="乙项举措。")
    content = unit_annual(world.unit_a, 2026)
    assert (content.owed, content.lead_count, len(content.approved), len(content.gaps)) == (4, 4, 2, 2)
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    intro = next(t for t in texts if t.startswith("2026年，"))
    assert "承担工作任务4项（其中牵头4项）" in intro
    assert "2项" not in intro
    # Unit B is responsible (not lead) on one item; the 配合单位 owes nothing.
    assert (unit_annual(world.unit_b, 2026).owed, unit_annual(world.unit_b, 2026).lead_count) == (1, 0)
    assert unit_annual(world.helper, 2026).owed == 0


def test_only_approved_year_end_reports_are_used_the_rest_are_marked_gaps(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a, state="submitted", measures="尚未审核的举措。")
    file(world, world.ye_a2, world.liaison_a, state="returned", measures="被退回的举措。")
    file(world, world.ye_b1, world.liaison_b, measures="乙镇已审核的举措。")
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    joined = "\n".join(texts)
    assert "尚未审核的举措" not in joined and "被退回的举措" not in joined
    assert "【提示】" in joined  # nothing of A's is approved: the warning, not an empty report
    assert "深化政务服务改革：年终报告已报送，尚未审核通过。" in " ".join(texts)
    assert "规范行政执法行为：年终报告退回修改，尚未审核通过。" in " ".join(texts)
    # One item approved, one not: the approved text, and a visible gap for the other.
    world.ye_a2.report.refresh_from_db()
    services.submit_report(report=fill(world.ye_a2.report, world.liaison_a, measures="改过的举措。"),
                           user=world.liaison_a)
    services.approve_report(report=world.ye_a2.report, user=world.coordinator)
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    assert "改过的举措。" in texts
    assert "【待补充】（年终报告已报送，尚未审核通过）" in texts
    assert "乙镇已审核的举措。" not in texts  # another unit's words never appear in A's report


def test_half_year_text_only_where_there_is_no_year_end_report_and_marked(year_end):
    world = year_end
    file(world, world.a1, world.liaison_a, measures="半年报举措甲。")
    file(world, world.a2, world.liaison_a, measures="半年报举措乙。")
    # A year-end report on item 2 exists but is not approved: its half-year text must not stand in for it.
    file(world, world.ye_a2, world.liaison_a, state="submitted", measures="年终举措乙。")
    content = unit_annual(world.unit_a, 2026)
    assert [e.from_half_year for e in content.entries] == [True, False]
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    assert "【据2026年半年报，尚无年终报告】半年报举措甲。" in texts
    assert "半年报举措乙。" not in "".join(texts) and "年终举措乙。" not in "".join(texts)
    assert any("暂用已审核的半年报内容" in w for w in content.warnings)


def test_half_year_text_carried_into_the_year_end_report_is_printed_once(year_end):
    world = year_end
    file(world, world.a1, world.liaison_a, measures="共同的一段。", problems="基层力量薄弱", next_steps="深化改革")
    # start_report copies the half-year text into the year-end draft; the unit adds to it.
    file(world, world.ye_a1, world.liaison_a, measures="共同的一段。\n年终新增的一段。", problems="基层力量薄弱",
         next_steps="深化改革")
    file(world, world.ye_a2, world.liaison_a, measures="共同的一段。\n执法的一段。", problems="基层力量薄弱",
         next_steps="深化改革")
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    assert texts.count("共同的一段。") == 1
    assert "年终新增的一段。" in texts and "执法的一段。" in texts
    assert not any("半年报" in t for t in texts)
    assert texts.count("基层力量薄弱") == 1 and texts.count("深化改革") == 1


def test_a_unit_with_nothing_approved_gets_a_clear_warning_never_承担的0项(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a, state="submitted")
    data = build_annual_docx(world.unit_a, 2026)
    joined = "\n".join(texts_of(data))
    assert "承担的0项" not in joined and "（暂无）" not in joined and "0项" not in joined
    assert "【提示】测试市司法局2026年度承担工作任务2项，尚无审核通过的报告，无法生成报告正文。" in joined
    helper = "\n".join(texts_of(build_annual_docx(world.helper, 2026)))
    assert "没有承担（牵头或责任）工作任务" in helper and "0项" not in helper


def test_the_report_has_chapters_continuous_item_numbers_and_the_four_parts(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a, measures="甲项举措。",
         figures=[{"label": "网上可办率", "value": "98.5", "unit": "%"}])
    file(world, world.ye_a2, world.liaison_a, measures="乙项举措。")
    services_annual.save_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, expected_version=None,
                                       data={"leadership": "局主要负责人带头学法。", "problems": "一是队伍不足。",
                                             "next_year": "一是深化改革。"})
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    order = ["测试市司法局关于2026年度法治政府建设情况的报告", "一、依法全面履行政府职能", "（一）深化政务服务改革",
             "甲项举措。", "主要数据：网上可办率98.5%。", "二、严格规范公正文明执法", "（二）规范行政执法行为",
             "乙项举措。",
             "三、主要负责人履行推进法治建设第一责任人职责情况", "局主要负责人带头学法。", "四、存在的不足和原因",
             "一是队伍不足。", "五、下一年度主要安排", "一是深化改革。"]
    assert [texts.index(t) for t in order] == sorted(texts.index(t) for t in order)


def test_the_layout_is_the_official_one_with_header_recipient_and_signature(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a)
    document = Document(io.BytesIO(build_annual_docx(world.unit_a, 2026)))
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "测试市司法局"
    assert str(paragraphs[0].runs[0].font.color.rgb) == "FF0000"
    assert paragraphs[0].runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    texts = [p.text for p in paragraphs]
    # the plan's issuer is the government's office; the report goes to the government itself
    assert "测试市人民政府：" in texts
    today = timezone.localdate()
    assert texts[-2:] == ["测试市司法局", f"{today.year}年{today.month}月{today.day}日"]
    section = document.sections[0]
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    assert "PAGE" in section.footer.paragraphs[0]._element.xml


def test_the_submission_date_is_the_date_of_the_report(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a)
    services_annual.save_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, expected_version=None,
                                       data={"leadership": "甲", "problems": "乙", "next_year": "丙"})
    draft = services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)
    day = timezone.localdate(draft.submitted_at)
    assert texts_of(build_annual_docx(world.unit_a, 2026))[-1] == f"{day.year}年{day.month}月{day.day}日"


def test_an_unsent_draft_is_private_to_its_unit(year_end):
    world = year_end
    file(world, world.ye_a1, world.liaison_a)
    services_annual.save_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, expected_version=None,
                                       data={"leadership": "尚未报送的履职情况。"})
    assert "尚未报送的履职情况。" in texts_of(build_annual_docx(world.unit_a, 2026, with_unsent=True))
    assert "尚未报送的履职情况。" not in texts_of(build_annual_docx(world.unit_a, 2026, with_unsent=False))


def test_the_command_writes_the_units_report(year_end, tmp_path):
    world = year_end
    file(world, world.ye_a1, world.liaison_a, measures="命令行举措。")
    path = tmp_path / "a.docx"
    call_command("annual_report", "--unit", world.unit_a.name, "--year", "2026", "--output", str(path),
                 stdout=StringIO())
    assert "命令行举措。" in texts_of(path.read_bytes())


def test_the_report_goes_to_the_plans_government_when_it_has_one(year_end):
    from tasks.models import Government

    world = year_end
    file(world, world.ye_a1, world.liaison_a, measures="同一行。\n同一行。\n另一行。")
    world.plan.government = Government.objects.create(name="测试市人民政府（登记）")
    world.plan.save()
    texts = texts_of(build_annual_docx(world.unit_a, 2026))
    assert "测试市人民政府（登记）：" in texts and "测试市人民政府：" not in texts
    assert texts.count("同一行。") == 1 and "另一行。" in texts
