"""Exporting a plan to Excel and importing the file gives back an identical plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks.excel import export_plan
from tasks.models import AssignmentRole, DocumentImport, Plan, PlanStatus
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, ChapterFactory, PlanFactory, WorkItemFactory
from tests.import_support import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(registry_units) -> Plan:
    plan = PlanFactory(title="2026年测试市法治政府建设工作要点", year=2026, doc_number="测政办〔2026〕9号",
                       status=PlanStatus.ISSUED)
    first = ChapterFactory(plan=plan, seq=1, number="一", title="加强制度建设")
    second = ChapterFactory(plan=plan, seq=2, number="二", title="强化监督")
    items = [
        WorkItemFactory(plan=plan, chapter=first, seq=1, number="(一)", title="健全规章制度",
                        body="健全规章制度。定期清理规范性文件。\n（1）建立目录；（2）动态更新。"),
        WorkItemFactory(plan=plan, chapter=first, seq=2, number="(二)", title="=SUM(A1:A3) 不是公式",
                        body="+1 也不是公式", deadline=dt.date(2026, 6, 30)),
        WorkItemFactory(plan=plan, chapter=second, seq=3, number="(三)", title="加强行政复议", body="加强行政复议。"),
    ]
    u = registry_units
    for item, lead, responsible in [
        (items[0], [(u["sfj"], ""), (u["zfb"], "市政府办")], [(u["group"], "")]),
        (items[1], [(u["gaj"], "")], [(u["towns"], ""), (u["sfj"], "")]),
        (items[2], [(u["sfj"], "")], []),
    ]:
        order = 0
        for role, entries in ((AssignmentRole.LEAD, lead), (AssignmentRole.RESPONSIBLE, responsible)):
            for target, written_as in entries:
                order += 1
                AssignmentFactory(item=item, role=role, order=order, written_as=written_as,
                                  unit=None if hasattr(target, "members") else target,
                                  group=target if hasattr(target, "members") else None)
    sync_duties(items=items)
    return plan


def _snapshot(plan: Plan) -> dict:
    return {
        "plan": (plan.title, plan.year, plan.issuer, plan.doc_number, plan.issued_on),
        "chapters": [(c.seq, c.number, c.title) for c in plan.chapters.order_by("seq")],
        "items": [
            (i.seq, i.number, i.chapter.number if i.chapter else None, i.title, i.body, i.deadline,
             [(a.role, a.unit_id, a.group_id, a.label) for a in i.assignments.order_by("order")],
             sorted((d.unit_id, d.role) for d in i.duties.all()))
            for i in plan.items.order_by("seq")
        ],
    }


def test_export_then_import_gives_back_an_identical_plan(coordinator_client, original):
    expected = _snapshot(original)
    content = export_plan(original)
    original.items.all().delete()  # items first: chapters are protected while items point at them
    original.delete()

    response = coordinator_client.post(reverse("tasks:import_upload"),
                                       {"file": SimpleUploadedFile("任务分解表.xlsx", content)})
    assert response.status_code == 302, response.content.decode()
    preview = coordinator_client.get(response["Location"]).content.decode()
    assert "待处理的单位名称" not in preview  # every name in our own export resolves
    data = form_data(preview)
    assert (data["plan-title"], data["plan-year"]) == ("2026年测试市法治政府建设工作要点", "2026")
    # The task table does not carry the document's number, issuer or date: the user types them in.
    data.update({"plan-doc_number": "测政办〔2026〕9号", "plan-issuer": "测试市人民政府办公室",
                 "plan-issued_on": "2026-03-15", "confirm": "1"})
    coordinator_client.post(response["Location"], data)

    imported = Plan.objects.get()
    assert DocumentImport.objects.get().plan == imported
    actual = _snapshot(imported)
    assert actual["plan"] == expected["plan"]
    assert actual["chapters"] == expected["chapters"]
    for got, wanted in zip(actual["items"], expected["items"], strict=True):
        assert got == wanted
