"""Compiling the government's report from what the units filed."""

from __future__ import annotations

import pytest

from govreport import compiling, services
from govreport.models import GovReport, Part, SectionVersion
from reports import services as report_services
from reports.models import AnnualReportDraft, ReportState
from tests.govreport.conftest import YEAR

pytestmark = pytest.mark.django_db


def _sections(report: GovReport) -> dict:
    return {s.item_id: s for s in report.sections.filter(part=Part.MEASURES)}


def test_lead_unit_first_then_other_units_distinct_measures_and_figures_per_unit(gov_world):
    w = gov_world
    item1 = w.items[0]
    # unit B files first, so the order in the text cannot come from filing order.
    w.file(w.year_end, item1, w.unit_b, "甲镇建成法治示范村3个。\n组织专题学习，开展集中培训。",
           figures=[("示范村", 3, "个")])
    w.file(w.year_end, item1, w.unit_a, "组织专题学习，开展集中培训。\n全市培训干部1200人次。",
           figures=[("培训人次", 1200, "人次"), ("培训人次", 1200, "人次")])
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    text = _sections(report)[item1.pk].text
    lines = text.splitlines()
    assert lines[0] == "组织专题学习，开展集中培训。全市培训干部1200人次。"  # lead unit, in its own words
    assert lines[1] == "甲镇：甲镇建成法治示范村3个。"  # the duplicate line is gone
    assert lines[2] == "主要数据：司法局培训人次1200人次；甲镇示范村3个。"  # per unit, duplicates removed
    assert text.count("组织专题学习") == 1


def test_only_approved_reports_are_used_others_are_listed_beside(gov_world):
    w = gov_world
    item1 = w.items[0]
    w.file(w.year_end, item1, w.unit_a, "牵头单位已审核的做法。")
    submitted = w.file(w.year_end, item1, w.unit_b, "甲镇尚未审核的做法。", state="submitted")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    assert "尚未审核的做法" not in _sections(report)[item1.pk].text
    entry = compiling.gather(w.government, YEAR).for_item(item1.pk)
    assert [s.report.pk for s in entry.beside] == [submitted.pk]
    assert any("甲镇：年终报告已报送，尚未审核" in warning for warning in entry.warnings)


def test_returned_report_left_out_until_included_on_purpose_then_refill_uses_it(gov_world):
    w = gov_world
    item1 = w.items[0]
    w.file(w.year_end, item1, w.unit_a, "牵头单位的做法。")
    returned = w.file(w.year_end, item1, w.unit_b, "甲镇被退回的做法。", state="returned")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    section = _sections(report)[item1.pk]
    assert "被退回的做法" not in section.text
    services.set_source_included(report=report, source_report_id=returned.pk, include=True, user=w.coordinator)
    section = services.refill_section(section=section, expected_version=section.version, user=w.coordinator)
    assert "甲镇：甲镇被退回的做法。" in section.text


def test_item_without_approved_report_gets_a_gap_marker_not_text(gov_world):
    w = gov_world
    item3 = w.items[2]
    w.file(w.year_end, item3, w.police, "公安局草稿。", state="draft")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    section = _sections(report)[item3.pk]
    assert section.text.startswith("【待补充：本项暂无已审核的年终报告，请联系牵头单位公安局")
    assert section.has_gap
    assert "草稿" not in section.text


def test_half_year_text_only_where_the_unit_has_no_year_end_report_and_marked(gov_world):
    w = gov_world
    item1, item2 = w.items[0], w.items[1]
    w.file(w.half, item2, w.unit_b, "甲镇上半年的做法。")  # no year-end report at all → fallback
    w.file(w.half, item1, w.unit_a, "司法局上半年的做法。")
    w.file(w.year_end, item1, w.unit_a, "司法局全年的做法。")  # has a year-end report → no half-year text
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    sections = _sections(report)
    assert sections[item2.pk].text == "【半年报】甲镇：甲镇上半年的做法。"
    assert sections[item2.pk].has_gap  # a marker the clerk must resolve before approval
    assert "上半年" not in sections[item1.pk].text


def test_a_submitted_year_end_report_blocks_the_half_year_fallback(gov_world):
    w = gov_world
    item2 = w.items[1]
    w.file(w.half, item2, w.unit_b, "甲镇上半年的做法。")
    w.file(w.year_end, item2, w.unit_b, "甲镇全年的做法（待审核）。", state="submitted")
    entry = compiling.gather(w.government, YEAR).for_item(item2.pk)
    assert entry.used == []
    assert compiling.item_text(entry)[0].startswith("【待补充")


def test_counts_items_with_and_without_sources(gov_world):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "做法一。")
    w.file(w.half, w.items[1], w.unit_b, "做法二。")
    counted = compiling.counts(compiling.gather(w.government, YEAR))
    assert (counted.items, counted.with_sources, counted.without_sources) == (3, 2, 1)


def test_problems_and_next_year_merged_by_unit_with_unit_reports(gov_world):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "做法。", problems="基层力量薄弱。", next_steps="加强培训。")
    w.file(w.year_end, w.items[1], w.unit_b, "做法。", problems="经费不足。\n基层力量薄弱。")
    w.file(w.year_end, w.items[2], w.police, "做法。", problems="基层力量薄弱。", state="submitted")
    AnnualReportDraft.objects.create(unit=w.unit_a, year=YEAR, state=ReportState.APPROVED,
                                     submitted_at="2027-02-20T09:00:00Z", problems="基层力量薄弱。\n考核机制待完善。",
                                     leadership="主要负责人带头学法。")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    problems = report.sections.get(part=Part.PROBLEMS).text.splitlines()
    # 甲镇's "基层力量薄弱。" is 司法局's word for word: printed once, with who else said it
    assert problems == ["司法局：基层力量薄弱（另有 1 个单位同）。考核机制待完善。", "甲镇：经费不足。"]
    assert report.sections.get(part=Part.NEXT_YEAR).text == "司法局：加强培训。"
    assert report.sections.get(part=Part.LEADERSHIP).text == "主要负责人带头学法。"


def test_leadership_part_is_a_gap_until_the_chosen_units_report_is_approved(gov_world):
    w = gov_world
    AnnualReportDraft.objects.create(unit=w.unit_a, year=YEAR, state=ReportState.SUBMITTED,
                                     submitted_at="2027-02-20T09:00:00Z", leadership="尚未审核的履职情况。")
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    leadership = report.sections.get(part=Part.LEADERSHIP)
    assert leadership.has_gap and "尚未审核的履职情况" not in leadership.text


def test_parts_in_order_and_items_numbered_continuously_across_chapters(gov_world):
    from govreport.outline import outline

    w = gov_world
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    headings = [b.text for b in outline(list(report.sections.in_order())) if b.level]
    assert headings == [
        "一、加强党对法治政府建设的领导", "（一）深入学习贯彻习近平法治思想", "（二）推进基层法治建设",
        "二、健全依法行政制度体系", "（三）规范执法检查",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况", "四、存在的不足和原因", f"五、{YEAR + 1}年主要工作安排",
    ]
    preface = report.sections.get(part=Part.PREFACE).text
    assert preface.startswith(f"{YEAR}年，测试市人民政府") and "3项重点任务" in preface


def test_compiling_again_keeps_edits_and_adds_new_items(gov_world):
    from tasks import services as task_services

    w = gov_world
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    preface = report.sections.get(part=Part.PREFACE)
    services.save_section(section=preface, text="法治办改写的导语。", expected_version=preface.version,
                          user=w.coordinator)
    chapter = w.plan.chapters.first()
    task_services.create_item(plan=w.plan, chapter=chapter, title="新增的任务", body="", lead=[w.unit_a],
                              responsible=[])
    report = services.compile_report(government=w.government, year=YEAR, user=w.coordinator)
    assert report.sections.get(part=Part.PREFACE).text == "法治办改写的导语。"
    assert report.sections.filter(part=Part.MEASURES).count() == 4
    assert SectionVersion.objects.filter(section__report=report).count() == report.sections.count() + 1


def test_no_plan_that_year_is_refused_and_nothing_is_created(gov_world):
    w = gov_world
    with pytest.raises(services.GovReportError, match="没有已印发的工作要点"):
        services.compile_report(government=w.government, year=YEAR - 1, user=w.coordinator)
    assert not GovReport.objects.exists()


def test_gather_runs_a_fixed_number_of_queries(gov_world, django_assert_num_queries):
    w = gov_world
    for item in w.items:
        for ob in w.year_end.obligations.filter(item=item):
            w.file(w.year_end, item, ob.unit, f"{ob.unit.name}的做法。", figures=[("检查", 2, "次")])
    with django_assert_num_queries(7):
        compiled = compiling.gather(w.government, YEAR)
        [compiling.item_text(e) for e in compiled.items]
    assert report_services  # the services module filed the reports above
