"""Each view exports what it shows as .xlsx; the workbook read back holds the same figures."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def _book(client, name, args, **params):
    response = client.get(reverse(name, args=args), {"export": "xlsx", **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def test_overview_export_holds_lights_rates_and_red_list(leader_client, dash):
    book = _book(leader_client, "dashboard:overview", [dash.period.pk])
    lights = {row[0]: row[1] for row in book["状态"].iter_rows(min_row=2, values_only=True)}
    assert lights == {"逾期或滞后": 2, "推进中": 1, "尚未报送": 0, "已完成": 1}
    rates = dict(book["报送"].iter_rows(min_row=2, values_only=True))
    assert rates["应报"] == 7 and rates["报送率%"] == 85.7
    red = list(book["红灯清单"].iter_rows(min_row=2, values_only=True))
    assert red[0] == ("(四)推进合法性审核全覆盖", "第三局", "已过完成时限未完成", 32)


def test_unit_export_holds_every_unit(leader_client, dash):
    sheet = _book(leader_client, "dashboard:units", [dash.period.pk])["单位"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in rows] == [(1, "测试市甲镇人民政府", 2), (2, "测试市司法局", 2),
                                                 (3, "测试市第三局", 3)]


def test_matrix_export_marks_lead_cells(leader_client, dash):
    sheet = _book(leader_client, "dashboard:matrix", [dash.period.pk])["矩阵"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["司法局"][0] == "★已完成"
    assert rows["第三局"][1] == "逾期或滞后"


def test_drilldown_export_uses_the_same_filter(leader_client, dash):
    sheet = _book(leader_client, "dashboard:obligations", [dash.period.pk], status="missing")["报送任务"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "测试市第三局" and rows[0][3] == "未填报"
