"""Editing the preview and confirming creates exactly the plan on screen, in one step, or explains why not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tasks.importing.drafts import PlanDraft
from tasks.importing.services import start_import
from tasks.models import (
    Alias,
    Assignment,
    AssignmentRole,
    DocumentImport,
    ImportSource,
    ImportStatus,
    Plan,
    PlanStatus,
    Unit,
    UnitKind,
    WorkItem,
)
from tests.factories import PlanFactory, WorkItemFactory
from tests.import_support import form_data, parsed_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(coordinator, registry_units) -> DocumentImport:
    return start_import(user=coordinator, source=ImportSource.PASTE, filename="",
                        draft=PlanDraft.from_parsed(parsed_document(3, unknown="测试市新成立局")))


def _url(document_import: DocumentImport) -> str:
    return reverse("tasks:import_preview", args=[document_import.pk])


def _form(client, document_import) -> dict[str, str]:
    return form_data(client.get(_url(document_import)).content.decode())


def test_edit_then_confirm_creates_exactly_the_edited_plan(coordinator_client, pending, registry_units):
    data = _form(coordinator_client, pending)
    data.update({
        "plan-title": "2026年测试市法治政府建设工作要点（修订）",
        "plan-issued_on": "2026-03-01",
        "items-0-title": "推进第一项重点工作",
        "items-0-body": "改写后的内容。",
        "items-0-lead_units": "测试市公安局",
        "items-0-responsible_units": "各区镇、测试市新成立局",
        "items-0-other_units": "测试市司法局",
        "items-0-deadline": "2026-06-30",
        "items-1-DELETE": "on",
        "names-0-action": "create",
        "names-0-kind": UnitKind.GOVERNMENT,
        "confirm": "1",
    })
    response = coordinator_client.post(_url(pending), data)

    plan = Plan.objects.get()
    assert response.status_code == 302
    assert (plan.title, plan.issued_on, plan.status) == (
        "2026年测试市法治政府建设工作要点（修订）", dt.date(2026, 3, 1), PlanStatus.DRAFT)
    items = list(plan.items.order_by("seq"))
    assert [(i.seq, i.title) for i in items] == [(1, "推进第一项重点工作"), (3, "推进第3项工作")]
    assert (items[0].body, items[0].deadline) == ("改写后的内容。", dt.date(2026, 6, 30))
    new_unit = Unit.objects.get(name="测试市新成立局")
    assert [(a.role, a.target) for a in items[0].assignments.order_by("order")] == [
        (AssignmentRole.LEAD, registry_units["gaj"]),
        (AssignmentRole.RESPONSIBLE, registry_units["towns"]),
        (AssignmentRole.RESPONSIBLE, new_unit),
        (AssignmentRole.OTHER, registry_units["sfj"]),
    ]
    pending.refresh_from_db()
    assert (pending.status, pending.plan) == (ImportStatus.CONFIRMED, plan)
    followed = coordinator_client.get(response["Location"], follow=True)
    assert "已导入“2026年测试市法治政府建设工作要点（修订）”：2 项工作任务。" in followed.content.decode()


def test_mapping_an_unknown_name_saves_an_alias(coordinator_client, pending, registry_units):
    data = _form(coordinator_client, pending)
    data.update({"names-0-action": "map", "names-0-target": f"u:{registry_units['gaj'].pk}", "confirm": "1"})
    coordinator_client.post(_url(pending), data)
    assert Alias.objects.get(name="测试市新成立局").unit == registry_units["gaj"]
    assignment = Assignment.objects.get(unit=registry_units["gaj"], item__seq=1)
    assert assignment.written_as == "测试市新成立局"


def test_confirm_with_an_undecided_name_is_refused_and_nothing_is_created(coordinator_client, pending):
    data = _form(coordinator_client, pending)
    data["confirm"] = "1"
    response = coordinator_client.post(_url(pending), data, follow=True)
    assert "以下单位名称尚未确定对应单位，请新建或对应到已有单位：测试市新成立局" in response.content.decode()
    assert Plan.objects.count() == 0 and WorkItem.objects.count() == 0
    assert Unit.objects.filter(name="测试市新成立局").count() == 0
    pending.refresh_from_db()
    assert pending.status == ImportStatus.PENDING


def test_saved_edits_survive_a_reload(coordinator_client, pending):
    data = _form(coordinator_client, pending)
    data.update({"items-2-title": "改过的标题", "items-2-lead_units": "测试市公安局、 市政府办",
                 "names-0-action": "create", "names-0-kind": UnitKind.TOWN, "save": "1"})
    assert coordinator_client.post(_url(pending), data).status_code == 302
    html = coordinator_client.get(_url(pending)).content.decode()
    assert 'value="改过的标题"' in html
    assert 'value="测试市公安局、市政府办"' in html
    assert '<option value="create" selected>' in html and f'<option value="{UnitKind.TOWN}" selected>' in html
    assert Plan.objects.count() == 0


def test_invalid_edits_are_shown_with_what_was_typed(coordinator_client, pending):
    data = _form(coordinator_client, pending)
    data.update({"plan-year": "20x6", "items-0-title": "", "items-1-seq": "1", "items-2-body": "保留我输入的内容",
                 "confirm": "1"})
    response = coordinator_client.post(_url(pending), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "有内容需要修改" in html
    assert "保留我输入的内容" in html and 'value="20x6"' in html
    assert "序号 1 与本页第 1 项重复" in html
    assert Plan.objects.count() == 0
    pending.refresh_from_db()
    assert pending.data["items"][2]["body"] != "保留我输入的内容"  # invalid edits are not half-saved


def test_confirming_twice_creates_one_plan(coordinator_client, pending):
    data = _form(coordinator_client, pending)
    data.update({"names-0-action": "create", "names-0-kind": UnitKind.OTHER, "confirm": "1"})
    coordinator_client.post(_url(pending), data)
    second = coordinator_client.post(_url(pending), data)
    assert second.status_code == 302
    assert Plan.objects.count() == 1


def test_same_doc_number_of_a_draft_is_offered_as_its_update(coordinator_client, pending):
    old = PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.DRAFT, title="旧草稿")
    WorkItemFactory.create_batch(5, plan=old)
    html = coordinator_client.get(_url(pending)).content.decode()
    assert "已存在（草稿）" in html and "确认并更新草稿" in html

    data = form_data(html)
    data.update({"names-0-action": "create", "names-0-kind": UnitKind.OTHER, "confirm": "1"})
    coordinator_client.post(_url(pending), data)

    assert Plan.objects.count() == 1
    old.refresh_from_db()
    assert old.title == "2026年测试市法治政府建设工作要点"
    assert list(old.items.values_list("seq", flat=True)) == [1, 2, 3]


def test_same_doc_number_of_an_issued_plan_cannot_be_confirmed(coordinator_client, pending):
    old = PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.ISSUED, title="已印发")
    WorkItemFactory.create_batch(2, plan=old)
    html = coordinator_client.get(_url(pending)).content.decode()
    assert "不能用导入覆盖" in html
    assert 'name="confirm"' not in html

    data = form_data(html)
    data.update({"names-0-action": "create", "confirm": "1", "update_plan": str(old.pk)})
    response = coordinator_client.post(_url(pending), data, follow=True)
    assert "只有草稿状态的工作要点可以更新" in response.content.decode()
    assert Plan.objects.count() == 1 and old.items.count() == 2
    assert not Unit.objects.filter(name="测试市新成立局").exists()


def test_changing_the_doc_number_in_the_preview_imports_as_a_new_plan(coordinator_client, pending):
    PlanFactory(year=2026, doc_number="测政办〔2026〕9号", status=PlanStatus.ISSUED)
    data = _form(coordinator_client, pending)
    data.update({"plan-doc_number": "测政办〔2026〕10号", "names-0-action": "create", "confirm": "1"})
    coordinator_client.post(_url(pending), data)
    assert Plan.objects.filter(doc_number="测政办〔2026〕10号").count() == 1


def test_discard_closes_the_preview(coordinator_client, pending):
    response = coordinator_client.post(reverse("tasks:import_discard", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ImportStatus.DISCARDED
    assert coordinator_client.get(_url(pending)).status_code == 302


def test_a_refused_confirmation_names_the_unit_names_and_items_to_fix(coordinator_client, pending):
    data = _form(coordinator_client, pending)
    data.update({"names-0-action": "map", "names-0-target": "", "items-1-title": "", "confirm": "1"})
    response = coordinator_client.post(_url(pending), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "有内容需要修改（标红的字段）：" in html
    assert "单位名称“测试市新成立局”的已有单位或集合：请选择要对应的单位或集合" in html
    assert "第 2 项的工作任务：" in html
    assert Plan.objects.count() == 0


def test_a_unit_written_in_its_standard_short_form_resolves_in_the_preview(coordinator, coordinator_client,
                                                                          registry_units):
    from tests.factories import AliasFactory, UnitFactory

    ndrc = UnitFactory(name="测试市发改委", short_name="发改委")
    AliasFactory(name="测试市发展和改革委员会", unit=ndrc, group=None)
    document_import = start_import(user=coordinator, source=ImportSource.PASTE, filename="",
                                   draft=PlanDraft.from_parsed(parsed_document(3, unknown="测试市发展改革委")))
    html = coordinator_client.get(_url(document_import)).content.decode()
    assert 'name="names-TOTAL_FORMS" value="0"' in html  # no name left to decide
    assert "测试市发展改革委" in html
