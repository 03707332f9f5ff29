"""The preview's decisions without a browser (the browser tests are in test_browser_import_preview.py), and
the one write path: the import writes through tasks.services, whose batch path syncs duties once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import Obligation
from tasks import services
from tasks.importing.drafts import PlaceRefused, PlanDraft, place_text
from tasks.importing.services import ImportRefused, NameChoice, import_plan, start_import
from tasks.models import Assignment, Duty, ImportSource, Plan, Unit, UnitGroup, UnitKind
from tasks.parsing import parse_text
from tests.factories import PlanFactory, UnitFactory
from tests.import_support import form_data, parsed_document

pytestmark = pytest.mark.django_db

TEXT = """2026年测试市法治政府建设工作要点
一、加强制度建设
（一）健全规章制度。定期清理规章。（牵头单位：测试市司法局；责任单位：各区镇）
另行组织开展专项清理。（牵头单位：测试市审计局）
强化执法监督
（二）开展案卷评查。每年评查一次。（牵头单位：测试市司法局）
"""


def _draft() -> PlanDraft:
    return PlanDraft.from_parsed(parse_text(TEXT))


def _preview(client, user, draft: PlanDraft):
    document_import = start_import(user=user, source=ImportSource.PASTE, filename="", draft=draft)
    url = reverse("tasks:import_preview", args=[document_import.pk])
    return url, document_import


# --- placing loose text -------------------------------------------------------------------------------

def test_loose_text_becomes_an_item_read_like_any_other_and_items_are_renumbered():
    draft = _draft()
    message = place_text(draft, kind="item", first=4, last=4)
    assert "设为工作任务" in message
    assert [(i.seq, i.title, i.chapter, i.lead_units) for i in draft.items] == [
        (1, "健全规章制度", "一", ["测试市司法局"]), (2, "另行组织开展专项清理", "一", ["测试市审计局"]),
        (3, "开展案卷评查", "一", ["测试市司法局"]),
    ]
    assert not any("另行组织" in w.message for w in draft.warnings)


def test_a_loose_heading_becomes_a_chapter_and_takes_the_items_after_it():
    draft = _draft()
    place_text(draft, kind="chapter", first=5, last=5)
    assert [(c.number, c.title) for c in draft.chapters] == [("一", "加强制度建设"), ("二", "强化执法监督")]
    assert [i.chapter for i in draft.items] == ["一", "二"]
    assert 4 in draft.placed_lines()


@pytest.mark.parametrize(("first", "last"), [(3, 3), (0, 1), (5, 99)])
def test_lines_of_an_item_or_outside_the_text_cannot_be_placed(first, last):
    draft = _draft()
    with pytest.raises(PlaceRefused):
        place_text(draft, kind="item", first=first, last=last)


def test_the_preview_places_text_from_a_post_and_keeps_the_edits(coordinator_client, coordinator):
    url, document_import = _preview(coordinator_client, coordinator, _draft())
    data = form_data(coordinator_client.get(url).content.decode())
    data["items-0-title"] = "健全规章制度（已修改）"
    data["place"] = "item:4-4"
    response = coordinator_client.post(url, data)
    assert response.status_code == 302
    document_import.refresh_from_db()
    assert [i["title"] for i in document_import.data["items"]] == [
        "健全规章制度（已修改）", "另行组织开展专项清理", "开展案卷评查"]


@pytest.mark.parametrize("value", ["item:4", "delete:4-4", "item:4-4;drop", "item:99999999-1"])
def test_a_bad_place_value_changes_nothing(coordinator_client, coordinator, value):
    url, document_import = _preview(coordinator_client, coordinator, _draft())
    before = document_import.data
    data = form_data(coordinator_client.get(url).content.decode())
    data["place"] = value
    response = coordinator_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "请刷新后重试" in response.content.decode()
    document_import.refresh_from_db()
    assert document_import.data == before


# --- names -------------------------------------------------------------------------------------------

def test_decided_names_show_as_settled_after_saving(coordinator_client, coordinator):
    url, _import = _preview(coordinator_client, coordinator, _draft())
    data = form_data(coordinator_client.get(url).content.decode())
    index = next(k for k in range(5) if data.get(f"names-{k}-name") == "测试市司法局")
    data[f"names-{index}-action"] = "create"
    data[f"names-{index}-kind"] = UnitKind.GOVERNMENT
    coordinator_client.post(url, {**data, "save": "1"})
    html = coordinator_client.get(url).content.decode()
    assert '<span class="tag decided-name">测试市司法局</span>' in html
    assert "将新建为单位（政府部门）" in html
    assert "单位“测试市司法局”不在单位库中" not in html
    assert "单位“各区镇”不在单位库中" in html
    assert Unit.objects.count() == 0  # decided, not done: 确认导入 creates it


def test_bulk_creation_decides_every_remaining_name(coordinator_client, coordinator):
    url, document_import = _preview(coordinator_client, coordinator, _draft())
    data = form_data(coordinator_client.get(url).content.decode())
    response = coordinator_client.post(url, {**data, "bulk_create": "1", "bulk_kind": UnitKind.TOWN}, follow=True)
    assert "其余 2 个名称将新建为单位（镇（街道））" in response.content.decode()
    document_import.refresh_from_db()
    assert document_import.mapping == {
        name: {"action": "create", "target_id": None, "kind": UnitKind.TOWN, "members": []}
        for name in ("测试市司法局", "各区镇")}


def test_a_new_group_from_the_preview_is_created_with_its_members_at_import(coordinator, registry_units):
    towns = [UnitFactory(name="测试市甲镇"), UnitFactory(name="测试市乙镇")]
    draft = PlanDraft.from_parsed(parsed_document(2, unknown="测试市各街镇"))
    plan = import_plan(draft=draft, user=coordinator, mapping={
        "测试市各街镇": NameChoice(action="new_group", members=tuple(t.pk for t in towns))})
    group = UnitGroup.objects.get(name="测试市各街镇")
    assert set(group.members.all()) == set(towns)
    first = plan.items.get(seq=1)
    assert Assignment.objects.filter(item=first, group=group).exists()
    assert {t.pk for t in towns} <= set(Duty.objects.filter(item=first).values_list("unit_id", flat=True))


def test_a_new_group_whose_member_vanished_is_refused_and_nothing_is_written(coordinator, registry_units):
    draft = PlanDraft.from_parsed(parsed_document(2, unknown="测试市各街镇"))
    with pytest.raises(ImportRefused):
        import_plan(draft=draft, user=coordinator,
                    mapping={"测试市各街镇": NameChoice(action="new_group", members=(999999,))})
    assert not Plan.objects.exists() and not UnitGroup.objects.filter(name="测试市各街镇").exists()


# --- sections and the batch write path ---------------------------------------------------------------

def test_a_four_level_import_stores_the_section_and_the_plan_page_shows_it(coordinator_client, coordinator):
    text = ("2026年测试市法治政府建设任务清单\n一、完善制度\n（一）规范决策\n1.决策目录\n"
            "（1）公布决策目录。按时公开。（牵头单位：测试市司法局）\n（2）开展后评估。选取两项。（牵头单位：测试市司法局）\n")
    UnitFactory(name="测试市司法局")
    plan = import_plan(draft=PlanDraft.from_parsed(parse_text(text)), mapping={}, user=coordinator)
    assert list(plan.items.values_list("section", flat=True)) == ["（一）规范决策 › 1.决策目录"] * 2
    html = coordinator_client.get(plan.get_absolute_url()).content.decode()
    assert html.count('<tr class="section-row"><td colspan="5">（一）规范决策 › 1.决策目录</td></tr>') == 1


def _create(n: int, unit: Unit, group: UnitGroup) -> int:
    plan = PlanFactory()
    with CaptureQueriesContext(connection) as ctx:
        services.create_items(plan=plan, items=[
            services.NewItem(title=f"任务{k}", lead=[unit], responsible=[(group, "各区镇")]) for k in range(n)])
    sync = [q for q in ctx.captured_queries if "tasks_duty" in q["sql"] and "INSERT" not in q["sql"]]
    assert Duty.objects.filter(item__plan=plan).count() == n * 3
    return len(sync)


def test_a_batch_of_items_syncs_duties_in_the_same_queries_at_1_and_50_items():
    unit = UnitFactory()
    group = services.create_group(name="各区镇", members=[UnitFactory(), UnitFactory()])
    assert _create(1, unit, group) == _create(50, unit, group)


def test_the_import_refuses_to_replace_a_draft_with_open_obligations_through_the_services_rule(
        coordinator, registry_units):
    from reports.services import open_period

    draft = PlanDraft.from_parsed(parsed_document(2))
    plan = import_plan(draft=draft, mapping={}, user=coordinator)
    open_period(plan=plan, name="上半年", due_on=plan.default_deadline, user=coordinator)
    assert Obligation.objects.filter(item__plan=plan).exists()
    with pytest.raises(ImportRefused) as refused:
        import_plan(draft=draft, mapping={}, user=coordinator, update_plan=plan)
    assert "不能用导入覆盖" in refused.value.messages[0]
    assert plan.items.count() == 2
