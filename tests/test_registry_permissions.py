"""Role × view matrix for the registry screens: who may read, who may change, and that refusals change nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tasks import services
from tasks.models import Alias, Assignment, Chapter, Duty, Plan, Unit, UnitGroup, UnitKind, WorkItem

pytestmark = pytest.mark.django_db

READERS = ["coordinator", "liaison_a", "liaison_b", "leader"]
NON_COORDINATORS = ["liaison_a", "liaison_b", "leader"]


@pytest.fixture
def world(small_plan, unit_a):
    plan = small_plan
    empty_chapter = services.create_chapter(plan=plan, title="空的章节")
    alias = services.add_alias(name="司法局甲", unit=unit_a)
    return {
        "plan": plan,
        "chapter": plan.chapters.get(seq=1),
        "empty_chapter": empty_chapter,
        "item": plan.items.get(seq=1),
        "unit": unit_a,
        "group": UnitGroup.objects.get(name="各区镇"),
        "alias": alias,
    }


def client_for(request, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    return request.getfixturevalue(f"{persona}_client")


def fingerprint() -> tuple:
    """Everything a registry mutation could touch."""
    return (
        list(Plan.objects.order_by("pk").values_list("pk", "title", "status")),
        list(Chapter.objects.order_by("pk").values_list("pk", "seq", "title")),
        list(WorkItem.objects.order_by("pk").values_list("pk", "seq", "title", "body", "chapter_id")),
        list(Assignment.objects.order_by("pk").values_list("item_id", "role", "unit_id", "group_id")),
        list(Duty.objects.order_by("pk").values_list("item_id", "unit_id", "role")),
        list(Unit.objects.order_by("pk").values_list("pk", "name", "is_active")),
        list(UnitGroup.objects.order_by("pk").values_list("pk", "name")),
        list(UnitGroup.members.through.objects.order_by("pk").values_list("unitgroup_id", "unit_id")),
        list(Alias.objects.order_by("pk").values_list("name", "unit_id", "group_id")),
    )


# --- Reading --------------------------------------------------------------------------------------------

@dataclass
class Page:
    name: str
    url: Callable[[dict], str]
    shows: Callable[[dict], str]  # text every permitted reader must see
    coordinator_only: bool = False


PAGES = [
    Page("plan_list", lambda w: reverse("tasks:plan_list"), lambda w: w["plan"].title),
    Page("plan_detail", lambda w: reverse("tasks:plan_detail", args=[w["plan"].pk]),
         lambda w: "深入学习贯彻习近平法治思想"),
    Page("item_detail", lambda w: reverse("tasks:item_detail", args=[w["item"].pk]), lambda w: "组织专题学习"),
    Page("item_search", lambda w: reverse("tasks:item_search") + "?q=执法", lambda w: "规范执法检查"),
    Page("unit_list", lambda w: reverse("tasks:unit_list"), lambda w: "测试市公安局"),
    Page("unit_page", lambda w: reverse("tasks:unit_edit", args=[w["unit"].pk]), lambda w: "司法局甲"),
    Page("group_list", lambda w: reverse("tasks:group_list"), lambda w: "各区镇"),
    Page("group_page", lambda w: reverse("tasks:group_edit", args=[w["group"].pk]), lambda w: "甲镇"),
    Page("my_unit_items", lambda w: reverse("tasks:my_unit_items") + f"?unit={w['unit'].pk}", lambda w: "本单位任务"),
    Page("plan_create", lambda w: reverse("tasks:plan_create"), lambda w: "新建工作要点", True),
    Page("plan_edit", lambda w: reverse("tasks:plan_edit", args=[w["plan"].pk]), lambda w: "编辑工作要点", True),
    Page("plan_delete", lambda w: reverse("tasks:plan_delete", args=[w["plan"].pk]), lambda w: "确定删除", True),
    Page("chapter_create", lambda w: reverse("tasks:chapter_create", args=[w["plan"].pk]), lambda w: "添加章节", True),
    Page("chapter_edit", lambda w: reverse("tasks:chapter_edit", args=[w["chapter"].pk]), lambda w: "编辑章节", True),
    Page("chapter_delete", lambda w: reverse("tasks:chapter_delete", args=[w["empty_chapter"].pk]),
         lambda w: "确定删除", True),
    Page("item_create", lambda w: reverse("tasks:item_create", args=[w["plan"].pk]), lambda w: "添加工作任务", True),
    Page("item_edit", lambda w: reverse("tasks:item_edit", args=[w["item"].pk]), lambda w: "编辑工作任务", True),
    Page("item_delete", lambda w: reverse("tasks:item_delete", args=[w["item"].pk]), lambda w: "确定删除", True),
    Page("unit_create", lambda w: reverse("tasks:unit_create"), lambda w: "新增单位", True),
    Page("group_create", lambda w: reverse("tasks:group_create"), lambda w: "新增单位集合", True),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("persona", [*READERS, "anonymous"])
def test_who_may_open_each_page(request, world, page: Page, persona: str):
    response = client_for(request, persona).get(page.url(world))
    if persona == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif page.coordinator_only and persona != "coordinator":
        assert response.status_code == 403
        assert "只有法治办工作人员" in response.content.decode()
    else:
        assert response.status_code == 200
        assert page.shows(world) in response.content.decode()


@pytest.mark.parametrize("persona", NON_COORDINATORS)
def test_readers_see_no_edit_controls(request, world, persona):
    html = client_for(request, persona).get(reverse("tasks:plan_detail", args=[world["plan"].pk])).content.decode()
    assert reverse("tasks:item_create", args=[world["plan"].pk]) not in html
    assert reverse("tasks:plan_edit", args=[world["plan"].pk]) not in html
    html = client_for(request, persona).get(reverse("tasks:group_edit", args=[world["group"].pk])).content.decode()
    assert 'name="members"' not in html


def test_coordinator_sees_edit_controls(coordinator_client, world):
    html = coordinator_client.get(reverse("tasks:plan_detail", args=[world["plan"].pk])).content.decode()
    assert reverse("tasks:item_create", args=[world["plan"].pk]) in html
    assert reverse("tasks:plan_edit", args=[world["plan"].pk]) in html


# --- Changing -------------------------------------------------------------------------------------------

@dataclass
class Mutation:
    name: str
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    done: Callable[[dict], bool]  # the database shows the change


def _plan_data(w, **over):
    data = {"title": "2027年测试市法治政府建设工作要点", "year": "2027", "issuer": "测试市人民政府办公室",
            "doc_number": "测政办〔2027〕1号", "issued_on": "2027-03-01", "status": "draft", "source_text": ""}
    return {**data, **over}


def _item_data(w, **over):
    data = {"chapter": str(w["chapter"].pk), "seq": "", "number": "", "title": "新增的工作任务",
            "body": "具体内容。", "deadline": "", "lead": [f"u:{w['unit'].pk}"],
            "responsible": [f"g:{w['group'].pk}"], "other": []}
    return {**data, **over}


MUTATIONS = [
    Mutation("plan_create", lambda w: reverse("tasks:plan_create"), _plan_data,
             lambda w: Plan.objects.filter(year=2027).exists()),
    Mutation("plan_edit", lambda w: reverse("tasks:plan_edit", args=[w["plan"].pk]),
             lambda w: _plan_data(w, title="改过的标题", year="2026"),
             lambda w: Plan.objects.filter(title="改过的标题").exists()),
    Mutation("plan_delete", lambda w: reverse("tasks:plan_delete", args=[w["plan"].pk]), lambda w: {},
             lambda w: not Plan.objects.exists()),
    Mutation("chapter_create", lambda w: reverse("tasks:chapter_create", args=[w["plan"].pk]),
             lambda w: {"seq": "", "number": "", "title": "新增的章节"},
             lambda w: Chapter.objects.filter(title="新增的章节", number="四").exists()),
    Mutation("chapter_edit", lambda w: reverse("tasks:chapter_edit", args=[w["chapter"].pk]),
             lambda w: {"seq": "1", "number": "一", "title": "改过的章节"},
             lambda w: Chapter.objects.filter(title="改过的章节").exists()),
    Mutation("chapter_delete", lambda w: reverse("tasks:chapter_delete", args=[w["empty_chapter"].pk]),
             lambda w: {}, lambda w: not Chapter.objects.filter(pk=w["empty_chapter"].pk).exists()),
    Mutation("item_create", lambda w: reverse("tasks:item_create", args=[w["plan"].pk]), _item_data,
             lambda w: WorkItem.objects.filter(title="新增的工作任务", seq=4, number="(四)").exists()),
    Mutation("item_edit", lambda w: reverse("tasks:item_edit", args=[w["item"].pk]),
             lambda w: _item_data(w, seq="1", title="改过的任务", responsible=[]),
             lambda w: WorkItem.objects.filter(title="改过的任务").exists()
             and not Duty.objects.filter(item=w["item"], role="responsible").exists()),
    Mutation("item_delete", lambda w: reverse("tasks:item_delete", args=[w["item"].pk]), lambda w: {},
             lambda w: not WorkItem.objects.filter(pk=w["item"].pk).exists()),
    Mutation("unit_create", lambda w: reverse("tasks:unit_create"),
             lambda w: {"name": "测试市新局", "short_name": "新局", "kind": UnitKind.GOVERNMENT, "order": "5",
                        "is_active": "on"},
             lambda w: Unit.objects.filter(name="测试市新局").exists()),
    Mutation("unit_edit", lambda w: reverse("tasks:unit_edit", args=[w["unit"].pk]),
             lambda w: {"name": "测试市司法局", "short_name": "司法", "kind": UnitKind.GOVERNMENT, "order": "1"},
             lambda w: not Unit.objects.get(pk=w["unit"].pk).is_active),
    Mutation("unit_alias_add", lambda w: reverse("tasks:unit_alias_add", args=[w["unit"].pk]),
             lambda w: {"name": "司法甲"}, lambda w: Alias.objects.filter(name="司法甲").exists()),
    Mutation("alias_delete", lambda w: reverse("tasks:alias_delete", args=[w["alias"].pk]), lambda w: {},
             lambda w: not Alias.objects.filter(name="司法局甲").exists()),
    Mutation("group_create", lambda w: reverse("tasks:group_create"),
             lambda w: {"name": "市各执法部门", "description": "", "order": "0", "members": [str(w["unit"].pk)]},
             lambda w: UnitGroup.objects.filter(name="市各执法部门", members=w["unit"]).exists()),
    Mutation("group_edit", lambda w: reverse("tasks:group_edit", args=[w["group"].pk]),
             lambda w: {"name": "各区镇", "description": "", "order": "0", "members": [str(w["unit"].pk)]},
             lambda w: Duty.objects.filter(item=w["item"], unit=w["unit"]).exists()
             and not Duty.objects.filter(item=w["item"], unit__name="测试市甲镇人民政府").exists()),
    Mutation("group_alias_add", lambda w: reverse("tasks:group_alias_add", args=[w["group"].pk]),
             lambda w: {"name": "各镇区"}, lambda w: Alias.objects.filter(name="各镇区").exists()),
]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
def test_coordinator_changes_and_is_redirected(coordinator_client, world, mutation: Mutation):
    response = coordinator_client.post(mutation.url(world), mutation.data(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mutation.done(world)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.name)
@pytest.mark.parametrize("persona", [*NON_COORDINATORS, "anonymous"])
def test_others_posting_change_nothing(request, world, mutation: Mutation, persona: str):
    before = fingerprint()
    response = client_for(request, persona).post(mutation.url(world), mutation.data(world))
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 403
    assert fingerprint() == before
    assert not mutation.done(world)


@pytest.mark.parametrize("name", ["unit_alias_add", "alias_delete", "group_alias_add"])
def test_alias_changes_are_post_only(coordinator_client, world, name):
    mutation = next(m for m in MUTATIONS if m.name == name)
    assert coordinator_client.get(mutation.url(world)).status_code == 405
