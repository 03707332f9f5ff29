"""The task table export: layout, content as written, print setup, and no formula injection."""

import datetime as dt
from io import BytesIO
from zipfile import ZipFile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks import services
from tasks.excel import COLUMNS
from tests.factories import PlanFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    plan = PlanFactory(year=2026, title="2026年测试市法治政府建设工作要点")
    office, justice = UnitFactory(name="市政府办公室"), UnitFactory(name="市司法局")
    group = UnitGroupFactory(name="市政府各有关部门", members=[justice])
    chapter = services.create_chapter(plan=plan, title="加强党对法治政府建设的领导")
    services.create_item(plan=plan, chapter=chapter, title="深入学习贯彻习近平法治思想", body="组织专题学习。",
                         lead=[justice, (office, "市政府办")], responsible=[(group, "市各部门")])
    services.create_item(plan=plan, chapter=chapter, title="=HYPERLINK(\"http://x\")", body="+1+2",
                         lead=[justice], responsible=[], deadline=dt.date(2026, 6, 30))
    services.create_item(plan=plan, title="-负号开头", body="@SUM(A1:A2)", lead=[justice], responsible=[])
    return plan


def _download(client, plan):
    response = client.get(reverse("tasks:plan_export", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    return response.content


@pytest.mark.parametrize("persona", ["coordinator_client", "liaison_a_client", "leader_client"])
def test_every_reader_can_export_a_plan_with_one_row_per_item(request, plan, persona):
    ws = load_workbook(BytesIO(_download(request.getfixturevalue(persona), plan))).active
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert rows[0] == ["序号", "章节", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"]
    assert len(rows) == 4
    assert rows[1][:6] == ["(一)", "一、加强党对法治政府建设的领导", "深入学习贯彻习近平法治思想", "组织专题学习。",
                           "市司法局、市政府办", "市各部门"]
    assert rows[1][6].date() == dt.date(2026, 12, 31)
    assert rows[2][6].date() == dt.date(2026, 6, 30)
    assert rows[3][1] is None  # an item outside any chapter


def test_cells_that_look_like_formulas_are_stored_as_text(coordinator_client, plan):
    content = _download(coordinator_client, plan)
    ws = load_workbook(BytesIO(content)).active
    for ref, text in [("C6", '=HYPERLINK("http://x")'), ("D6", "+1+2"), ("C7", "-负号开头"), ("D7", "@SUM(A1:A2)")]:
        assert ws[ref].value == text
        assert ws[ref].data_type == "s"
    sheet_xml = ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_the_sheet_is_ready_to_read_and_print(coordinator_client, plan):
    ws = load_workbook(BytesIO(_download(coordinator_client, plan))).active
    assert ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert ws.print_title_rows == "$4:$4"
    for index, (_, width) in enumerate(COLUMNS):
        assert ws.column_dimensions["ABCDEFG"[index]].width == width
    assert ws["D5"].alignment.wrap_text
    assert ws["A4"].font.b
