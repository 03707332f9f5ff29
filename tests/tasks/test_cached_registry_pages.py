"""The plan list, the item search and the item page serve bodies rendered once per registry version (issue 15),
yet show every change on the very next request, never one viewer's body to another, and run the same queries
at 1 and 50 rows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tasks import services
from tasks.models import Plan, PlanStatus
from tests.factories import PlanFactory, UnitFactory, UnitGroupFactory
from tests.pages import page_queries as _queries

pytestmark = pytest.mark.django_db


def _html(client: Client, url: str, data: dict | None = None) -> str:
    response = client.get(url, data or {})
    assert response.status_code == 200, url
    return response.content.decode()




def _plan_with(n: int, unit, group, title: str = "要点") -> Plan:
    plan = PlanFactory(title=title)
    chapter = services.create_chapter(plan=plan, title="第一章")
    for i in range(n):
        services.create_item(plan=plan, chapter=chapter, title=f"任务{i}", body="内容", lead=[unit],
                             responsible=[group])
    return plan


def _update_plan(plan: Plan, **changes) -> None:
    fields = {"title": plan.title, "year": plan.year, "issuer": plan.issuer, "doc_number": plan.doc_number,
              "issued_on": plan.issued_on, "status": plan.status, **changes}
    services.update_plan(plan=plan, **fields)


# --- plan list -----------------------------------------------------------------------------------------------

def test_the_plan_list_shows_a_new_plan_a_rename_a_new_item_and_a_status_at_once(coordinator_client, unit_a):
    plan = PlanFactory(title="第一份要点")
    assert "第一份要点" in _html(coordinator_client, "/plans/")
    PlanFactory(title="第二份要点")
    assert "第二份要点" in _html(coordinator_client, "/plans/")
    _update_plan(plan, title="改名后的要点")
    html = _html(coordinator_client, "/plans/")
    assert "改名后的要点" in html and "第一份要点" not in html
    services.create_item(plan=plan, title="新任务", lead=[unit_a])
    row = re.search(r"改名后的要点.*?</tr>", _html(coordinator_client, "/plans/"), re.S).group(0)
    assert '<td data-label="任务" class="num">1</td>' in row
    _update_plan(plan, status=PlanStatus.DRAFT)
    row = re.search(r"改名后的要点.*?</tr>", _html(coordinator_client, "/plans/"), re.S).group(0)
    assert "status-draft" in row


def test_the_plan_list_body_differs_by_role_and_follows_the_query(coordinator_client, leader_client):
    PlanFactory(title="甲市要点", issuer="甲市人民政府办公室")
    PlanFactory(title="乙市要点", issuer="乙市人民政府办公室")
    assert "新建工作要点" in _html(coordinator_client, "/plans/")
    assert "新建工作要点" not in _html(leader_client, "/plans/")
    html = _html(coordinator_client, "/plans/", {"q": "甲市"})
    assert "甲市要点" in html and "乙市要点" not in html
    # The same filter values share one body; the search box shows what the visitor typed.
    html = _html(coordinator_client, "/plans/", {"q": "乙市", "junk": "1"})
    assert "乙市要点" in html and "甲市要点" not in html and 'value="乙市"' in html


def test_the_plan_list_pager_keeps_each_visitors_own_query(coordinator_client):
    for k in range(53):
        PlanFactory(title=f"要点{k:02d}")
    html = _html(coordinator_client, "/plans/", {"year": "2026", "from": "a"})
    assert re.search(r'href="\?year=2026&amp;from=a&amp;page=2"', html)
    html = _html(coordinator_client, "/plans/", {"year": "2026", "from": "b"})  # same body, other pager links
    assert re.search(r'href="\?year=2026&amp;from=b&amp;page=2"', html)
    second = _html(coordinator_client, "/plans/", {"year": "2026", "page": "2"})
    assert second.count("<strong>要点") == 3


def test_the_plan_list_runs_the_same_queries_at_1_and_50_plans_and_fewer_warm(coordinator_client):
    PlanFactory()
    one = _queries(coordinator_client, "/plans/", cold=True)
    for _ in range(49):
        PlanFactory()
    fifty = _queries(coordinator_client, "/plans/", cold=True)
    warm = _queries(coordinator_client, "/plans/", cold=False)
    assert one == fifty and warm < fifty


# --- item search ---------------------------------------------------------------------------------------------

def test_the_item_search_shows_new_and_renamed_items_and_renamed_units_at_once(coordinator_client, unit_a, unit_b):
    plan = PlanFactory()
    item = services.create_item(plan=plan, title="规范执法检查", lead=[unit_a])
    url = reverse("tasks:item_search")
    assert "规范执法检查" in _html(coordinator_client, url)
    services.create_item(plan=plan, title="推进政务公开", lead=[unit_b])
    assert "推进政务公开" in _html(coordinator_client, url)
    services.update_item(item=item, title="规范行政执法检查", body=item.body, chapter=None, seq=item.seq,
                         number=item.number, deadline=item.deadline)
    assert "规范行政执法检查" in _html(coordinator_client, url)
    services.update_unit(unit=unit_a, name="测试市甲局（新）", short_name="", kind=unit_a.kind, order=unit_a.order,
                         is_active=True)
    assert "测试市甲局（新）" in _html(coordinator_client, url)


def test_the_item_search_follows_a_groups_new_members(coordinator_client, unit_a, unit_b):
    group = UnitGroupFactory(name="各区镇", members=[unit_a])
    services.create_item(plan=PlanFactory(), title="推进基层治理", lead=[unit_a], responsible=[group])
    query = {"responsible": unit_b.pk}
    assert "推进基层治理" not in _html(coordinator_client, reverse("tasks:item_search"), query)
    services.set_group_members(group=group, units=[unit_a, unit_b])
    assert "推进基层治理" in _html(coordinator_client, reverse("tasks:item_search"), query)


def test_the_item_search_keeps_queries_apart(coordinator_client, unit_a):
    plan = PlanFactory()
    services.create_item(plan=plan, title="规范执法检查", lead=[unit_a])
    services.create_item(plan=plan, title="推进政务公开", lead=[unit_a])
    url = reverse("tasks:item_search")
    html = _html(coordinator_client, url, {"q": "执法"})
    assert "规范执法检查" in html and "推进政务公开" not in html
    html = _html(coordinator_client, url, {"q": "公开"})
    assert "推进政务公开" in html and "规范执法检查" not in html
    html = _html(coordinator_client, url, {"plan": "abc"})  # an invalid value is reported, not merged with none
    assert "errorlist" in html


def test_the_item_search_runs_the_same_queries_at_1_and_50_items_and_fewer_warm(coordinator_client, unit_a, unit_b):
    group = UnitGroupFactory(name="各区镇", members=[unit_b])
    url = reverse("tasks:item_search") + f"?q=任务&responsible={unit_b.pk}"
    _plan_with(1, unit_a, group)
    one = _queries(coordinator_client, url, cold=True)
    for plan in Plan.objects.all():
        services.delete_plan(plan=plan)
    _plan_with(50, unit_a, group)
    fifty = _queries(coordinator_client, url, cold=True)
    warm = _queries(coordinator_client, url, cold=False)
    assert one == fifty and warm < fifty


# --- item page -----------------------------------------------------------------------------------------------

def test_the_item_page_shows_an_edit_and_new_units_at_once(coordinator_client, unit_a, unit_b):
    item = services.create_item(plan=PlanFactory(), title="规范执法检查", lead=[unit_a])
    url = reverse("tasks:item_detail", args=[item.pk])
    html = _html(coordinator_client, url)
    assert "规范执法检查" in html and unit_b.name not in html
    services.update_item(item=item, title="规范行政执法检查", body="新的具体内容", chapter=None, seq=item.seq,
                         number=item.number, deadline=item.deadline)
    html = _html(coordinator_client, url)
    assert "<title>规范行政执法检查" in html and "新的具体内容" in html
    services.set_item_assignments(item=item, lead=[unit_a], responsible=[unit_b])
    assert f'<span class="tag">{unit_b.name}</span>' in _html(coordinator_client, url)
    services.update_unit(unit=unit_b, name="测试市乙镇（新）", short_name="", kind=unit_b.kind, order=unit_b.order,
                         is_active=True)
    assert "测试市乙镇（新）" in _html(coordinator_client, url)


def test_the_item_page_differs_by_role_and_unit(coordinator_client, leader_client, liaison_a_client,
                                                liaison_b_client, unit_a, unit_b):
    item = services.create_item(plan=PlanFactory(), title="规范执法检查", lead=[unit_a], responsible=[unit_b])
    url = reverse("tasks:item_detail", args=[item.pk])
    assert "item_edit" not in url and reverse("tasks:item_edit", args=[item.pk]) in _html(coordinator_client, url)
    assert reverse("tasks:item_edit", args=[item.pk]) not in _html(leader_client, url)
    html_a, html_b = _html(liaison_a_client, url), _html(liaison_b_client, url)
    assert f'<span class="tag lead mine">{unit_a.name}</span>' in html_a
    assert f'<span class="tag mine">{unit_b.name}</span>' not in html_a
    assert f'<span class="tag mine">{unit_b.name}</span>' in html_b
    assert f'<span class="tag lead mine">{unit_a.name}</span>' not in html_b


def test_a_deleted_item_is_not_found_even_after_its_page_was_cached(coordinator_client, unit_a):
    item = services.create_item(plan=PlanFactory(), title="规范执法检查", lead=[unit_a])
    url = reverse("tasks:item_detail", args=[item.pk])
    assert coordinator_client.get(url).status_code == 200
    services.delete_item(item=item)
    assert coordinator_client.get(url).status_code == 404
    assert coordinator_client.get(reverse("tasks:item_detail", args=[10**9])).status_code == 404


def test_the_item_page_runs_the_same_queries_with_few_and_many_units(coordinator_client, unit_a):
    plan = PlanFactory()
    few = UnitGroupFactory(name="小集合", members=[UnitFactory()])
    many = UnitGroupFactory(name="大集合", members=[UnitFactory() for _ in range(50)])
    small = services.create_item(plan=plan, title="少", lead=[unit_a], responsible=[few])
    large = services.create_item(plan=plan, title="多", lead=[unit_a], responsible=[many])
    one = _queries(coordinator_client, reverse("tasks:item_detail", args=[small.pk]), cold=True)
    fifty = _queries(coordinator_client, reverse("tasks:item_detail", args=[large.pk]), cold=True)
    warm = _queries(coordinator_client, reverse("tasks:item_detail", args=[large.pk]), cold=False)
    assert one == fifty and warm < fifty
