"""Documents out, read back: the period summary .xlsx (the unit's year-end .docx: test_annual_document.py)."""

from __future__ import annotations

import datetime as dt
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from exports.models import ExportJob
from reports import services
from reports.documents import chinese_number
from tests.reports.conftest import fill


@pytest.fixture
def filed(world):
    a1 = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
              measures="全面推行证明事项告知承诺制。\n政务服务事项网上可办率持续提升。", problems="基层力量薄弱",
              next_steps="深化一网通办", figures=[{"label": "网上可办率", "value": "98.5", "unit": "%"},
                                                 {"label": "办件量", "value": "7900", "unit": "件"}])
    services.submit_report(report=a1, user=world.liaison_a, now=dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC))
    a2 = fill(services.start_report(obligation=world.a2, user=world.liaison_a), world.liaison_a,
              measures="开展行政执法案卷评查。", problems="基层力量薄弱\n执法装备不足", next_steps="加强培训")
    services.submit_report(report=a2, user=world.liaison_a)
    services.approve_report(report=a2, user=world.coordinator)
    b1 = fill(services.start_report(obligation=world.b1, user=world.liaison_b), world.liaison_b)
    services.submit_report(report=b1, user=world.liaison_b)
    return world


def test_an_unknown_unit_is_a_clear_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="找不到单位"):
        call_command("annual_report", "--unit", "不存在的局", "--year", "2026", "--output", str(tmp_path / "x.docx"))


def test_the_period_summary_has_one_row_per_obligation(filed, tmp_path):
    world = filed
    path = tmp_path / "s.xlsx"
    call_command("period_summary", "--period", str(world.period.pk), "--output", str(path), stdout=StringIO())
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows[0][:9] == ("章节", "序号", "工作任务", "单位", "角色", "报送状态", "推进状态", "完成进度（%）",
                           "逾期报送")
    body = {(r[2], r[3]): r for r in rows[1:]}
    assert len(body) == 3
    a1 = body[("深化政务服务改革", world.unit_a.name)]
    assert a1[4:9] == ("牵头单位", "已报送", "推进中", 50, "否")
    assert a1[10] == "全面推行证明事项告知承诺制。\n政务服务事项网上可办率持续提升。"
    assert a1[11] == "网上可办率98.5%；办件量7900件"
    assert body[("规范行政执法行为", world.unit_a.name)][5] == "已审核"
    assert body[("深化政务服务改革", world.unit_b.name)][4] == "责任单位"


def test_the_summary_download_is_for_coordinators_and_leaders(filed, leader_client, liaison_a_client,
                                                             fetch_export):
    url = f"/exports/periods/{filed.period.pk}/"
    response = fetch_export(leader_client, url)
    assert load_workbook(io.BytesIO(response.getvalue())).active.max_row == 5
    assert liaison_a_client.post(url).status_code == 403
    assert not ExportJob.objects.filter(requested_by=filed.liaison_a).exists()


def test_chinese_numbers():
    assert [chinese_number(n) for n in (1, 9, 10, 12, 20, 23, 100, 105, 112, 120)] == [
        "一", "九", "十", "十二", "二十", "二十三", "一百", "一百零五", "一百一十二", "一百二十"]


def test_summary_times_are_shown_in_shanghai_time(filed):
    from reports.documents import summary_rows

    rows = {(r[2], r[3]): r for r in summary_rows(filed.period)}
    # submitted 09:00 UTC on 1 July = 17:00 in Shanghai
    assert rows[("深化政务服务改革", filed.unit_a.name)][9] == "2026-07-01 17:00"


def test_the_period_summary_prints_on_a4_and_has_a_sheet_per_unit(filed):
    from reports.documents import build_period_xlsx

    book = load_workbook(io.BytesIO(build_period_xlsx(filed.period)))
    summary = book.worksheets[0]
    assert summary.title == "报送汇总"
    assert summary["K2"].value == "工作举措与成效"
    assert summary.print_title_rows == "$2:$2" and summary.freeze_panes == "A3"
    assert summary.page_setup.orientation == "landscape" and int(summary.page_setup.paperSize) == 9
    assert summary.sheet_properties.pageSetUpPr.fitToPage and int(summary.page_setup.fitToWidth) == 1
    assert summary["A3"].font.name == "宋体" and summary["K3"].alignment.wrap_text

    units = {ws.title: ws for ws in book.worksheets[1:]}
    names = {u: (u.short_name or u.name) for u in (filed.unit_a, filed.unit_b)}
    assert set(units) == set(names.values())
    sheet_a = units[names[filed.unit_a]]
    assert sheet_a["A1"].value == f"{filed.unit_a.name} · {filed.period.name}"
    assert [c.value for c in sheet_a[2]][:4] == ["章节", "序号", "工作任务", "角色"]  # no 单位 column
    titles = [r[2] for r in sheet_a.iter_rows(min_row=3, values_only=True)]
    assert sorted(titles) == ["深化政务服务改革", "规范行政执法行为"]
    assert [r[2] for r in units[names[filed.unit_b]].iter_rows(min_row=3, values_only=True)] == ["深化政务服务改革"]
    assert sheet_a.print_title_rows == "$2:$2"


def test_sheet_names_follow_excels_rules():
    from reports.documents import _sheet_name

    taken = {"报送汇总"}
    assert _sheet_name("市司法局[法治办]/科室*?", taken) == "市司法局法治办科室"
    assert _sheet_name("市司法局[法治办]/科室*?", taken) == "市司法局法治办科室(2)"
    assert len(_sheet_name("很" * 40, taken)) == 31
    assert _sheet_name("报送汇总", taken) == "报送汇总(2)"


def test_the_period_summary_sets_row_heights_for_its_wrapped_text(filed):
    from reports.documents import build_period_xlsx
    from reports.models import Report

    Report.objects.filter(obligation=filed.a1).update(measures="全面推行证明事项告知承诺制，持续提升网上可办率。" * 20)
    book = load_workbook(io.BytesIO(build_period_xlsx(filed.period)))
    summary = book.worksheets[0]
    heights = {row: summary.row_dimensions[row].height for row in range(1, summary.max_row + 1)}
    assert heights[1] >= 30 and heights[2]
    a1_row = next(r for r in range(3, summary.max_row + 1) if summary.cell(r, 11).value.startswith("全面推行"))
    other = next(r for r in range(3, summary.max_row + 1) if r != a1_row)
    assert heights[a1_row] > 5 * heights[other] / 2  # 480 characters in 工作举措与成效 wrap over many lines
    unit_sheet = book.worksheets[1]
    assert all(unit_sheet.row_dimensions[r].height for r in range(1, unit_sheet.max_row + 1))
