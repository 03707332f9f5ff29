"""Unknown unit names in an Excel task table are listed; mapping one saves an alias, creating one adds a unit."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.importing.resolve import Registry, resolve_name
from tasks.models import Alias, Assignment, Plan, Unit, UnitKind
from tests.import_support import form_data, workbook_bytes

pytestmark = pytest.mark.django_db

ROWS = [
    ["1", "一、加强制度建设", "健全规章制度", "", "司法局机关", "各区镇、测试市大数据中心", "2026-12-31"],
    ["2", "一、加强制度建设", "规范执法", "", "测试市司法局", "市政府各有关部门", ""],
]


@pytest.fixture
def preview_url(coordinator_client, registry_units) -> str:
    content = workbook_bytes(ROWS, title_rows=[["2026年测试市法治政府建设工作要点任务分解表"]])
    response = coordinator_client.post(reverse("tasks:import_upload"),
                                       {"file": SimpleUploadedFile("分解表.xlsx", content)})
    assert response.status_code == 302
    return response["Location"]


def test_unknown_names_are_listed_for_a_decision(coordinator_client, preview_url):
    html = coordinator_client.get(preview_url).content.decode()
    unresolved = html.split('id="unresolved"')[1].split("</table>")[0]
    listed = re.findall(r'<span class="tag unresolved-name">([^<]+)</span>', unresolved)
    assert listed == ["司法局机关", "测试市大数据中心"]


def test_map_and_create_then_confirm_saves_the_alias_and_the_unit(coordinator_client, preview_url, registry_units):
    data = form_data(coordinator_client.get(preview_url).content.decode())
    assert (data["names-0-name"], data["names-1-name"]) == ("司法局机关", "测试市大数据中心")
    data.update({"names-0-action": "map", "names-0-target": f"u:{registry_units['sfj'].pk}",
                 "names-1-action": "create", "names-1-kind": UnitKind.OTHER, "confirm": "1"})
    coordinator_client.post(preview_url, data)

    plan = Plan.objects.get()
    assert plan.title == "2026年测试市法治政府建设工作要点" and plan.year == 2026
    assert Alias.objects.get(name="司法局机关").unit == registry_units["sfj"]
    created = Unit.objects.get(name="测试市大数据中心")
    assert created.kind == UnitKind.OTHER
    first = plan.items.get(seq=1)
    assert [(a.label, a.target) for a in first.assignments.order_by("order")] == [
        ("司法局机关", registry_units["sfj"]), ("各区镇", registry_units["towns"]), ("测试市大数据中心", created)]
    # Next time the same names resolve by themselves.
    registry = Registry.load()
    assert resolve_name("司法局机关", registry) == registry_units["sfj"]
    assert resolve_name("测试市大数据中心", registry) == created


def test_nothing_is_written_before_confirmation(coordinator_client, preview_url):
    data = form_data(coordinator_client.get(preview_url).content.decode())
    data.update({"names-0-action": "create", "save": "1"})
    coordinator_client.post(preview_url, data)
    assert Plan.objects.count() == 0 and Assignment.objects.count() == 0
    assert not Unit.objects.filter(name="司法局机关").exists()
