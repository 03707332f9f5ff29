"""The task table looks like the office's own: a title row, the 文号 line, markers as written, 宋体, print set-up;
and the importer still reads every row back to the same item."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tasks import services
from tasks.excel import export_plan
from tasks.importing.excel import read_task_table
from tests.factories import PlanFactory, UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(year=2026, title="2026年测试市法治政府建设工作要点", doc_number="测政办〔2026〕9号",
                       issuer="测试市人民政府办公室", issued_on=dt.date(2026, 3, 15))
    justice = UnitFactory(name="市司法局")
    chapter = services.create_chapter(plan=plan, title="加强制度建设")
    services.create_item(plan=plan, chapter=chapter, seq=4, number="（四）", title="健全规章制度", lead=[justice])
    services.create_item(plan=plan, chapter=chapter, seq=5, number="5.", title="规范决策程序", lead=[justice])
    # A marker that would read back as another item (its 十 is not seq 6) is replaced by the order number.
    services.create_item(plan=plan, chapter=chapter, seq=6, number="（十）", title="加强行政复议", lead=[justice])
    return plan


def test_the_table_opens_with_the_plans_title_and_its_document_number(plan):
    ws = load_workbook(BytesIO(export_plan(plan))).active
    assert ws["A1"].value == "2026年测试市法治政府建设工作要点任务分解表"
    assert ws["A1"].font.name == "宋体" and ws["A1"].font.b and ws["A1"].font.sz >= 16
    assert "A1:G1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value == "测政办〔2026〕9号　测试市人民政府办公室　2026年3月15日印发"
    assert [c.value for c in ws[4]] == ["序号", "章节", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"]


def test_markers_are_written_as_the_document_wrote_them_when_they_read_back_to_the_same_item(plan):
    ws = load_workbook(BytesIO(export_plan(plan))).active
    assert [ws.cell(row, 1).value for row in (5, 6, 7)] == ["（四）", "5.", 6]
    assert all(ws.cell(row, col).font.name == "宋体" for row in (4, 5, 6, 7) for col in range(1, 8))


def test_print_set_up_repeats_the_header_row_and_fits_the_width(plan):
    ws = load_workbook(BytesIO(export_plan(plan))).active
    assert ws.print_title_rows == "$4:$4"
    assert ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert "&P" in ws.oddFooter.center.text


def test_the_importer_reads_the_table_back_to_the_same_items_title_and_document_number(plan):
    result = read_task_table(export_plan(plan))
    assert result.errors == []
    draft = result.draft
    assert draft.title == "2026年测试市法治政府建设工作要点"
    assert draft.doc_number == "测政办〔2026〕9号"
    assert draft.year == 2026
    items = draft.items
    assert [(i.seq, i.number, i.title) for i in items] == [
        (4, "（四）", "健全规章制度"), (5, "5.", "规范决策程序"), (6, "(六)", "加强行政复议")]


def test_rows_are_tall_enough_for_their_wrapped_text_and_the_title_row_for_its_title(plan):
    from tasks.models import WorkItem

    WorkItem.objects.filter(plan=plan, seq=4).update(body="建立健全规章制度立改废释工作机制。" * 12)  # 204 characters
    ws = load_workbook(BytesIO(export_plan(plan))).active
    assert ws.row_dimensions[1].height >= 36
    long_row, short_row = ws.row_dimensions[5].height, ws.row_dimensions[6].height
    # 具体内容 is 60 units wide (59 inside the cell edges): 29½ characters a line, so 204 characters take 7 lines.
    assert long_row == round(7 * 11 * 1.35 + 4, 1)
    assert short_row == round(11 * 1.35 + 4, 1)
    assert ws.row_dimensions[4].height  # the header row too


def test_a_long_plan_title_gets_a_taller_title_row(plan):
    plan.title = "2026年测试市法治政府建设工作要点暨法治政府建设示范创建活动实施方案及任务分工" * 2
    plan.save()
    ws = load_workbook(BytesIO(export_plan(plan))).active
    assert ws.row_dimensions[1].height > 36
