"""List pages run the same number of queries whatever their length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks import services
from tasks.models import Plan
from tests.factories import PlanFactory, UnitFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db


def _plan_with(n: int, unit, group) -> Plan:
    plan = PlanFactory()
    chapters = [services.create_chapter(plan=plan, title=f"第{k}章") for k in range(1, 4)]
    other = UnitFactory()
    for i in range(n):
        services.create_item(plan=plan, chapter=chapters[i % 3], title=f"任务{i}", body="内容",
                             lead=[unit, other], responsible=[(group, "各镇区")])
    return plan


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the signed-in user and the nav's counts are cached from the second request on
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def registry(unit_a, unit_b):
    return unit_a, UnitGroupFactory(name="各区镇", members=[unit_b])


def test_plan_page_queries_do_not_grow_with_items(coordinator_client, registry):
    small, large = _plan_with(1, *registry), _plan_with(50, *registry)
    one = _queries(coordinator_client, reverse("tasks:plan_detail", args=[small.pk]))
    fifty = _queries(coordinator_client, reverse("tasks:plan_detail", args=[large.pk]))
    assert one == fifty
    html = coordinator_client.get(reverse("tasks:plan_detail", args=[large.pk])).content.decode()
    assert html.count("各镇区") == 50  # the group as the document wrote it, once per item


@pytest.mark.parametrize("url", [
    reverse("tasks:item_search"),
    reverse("tasks:item_search") + "?q=任务&responsible={unit_b}",
    reverse("tasks:plan_list"),
    reverse("tasks:unit_list"),
    reverse("tasks:group_list"),
])
def test_list_pages_run_the_same_queries_at_1_and_50_items(coordinator_client, registry, unit_b, url):
    url = url.format(unit_b=unit_b.pk)
    _plan_with(1, *registry)
    one = _queries(coordinator_client, url)
    for plan in Plan.objects.all():
        services.delete_plan(plan=plan)
    _plan_with(50, *registry)
    for _ in range(3):
        UnitFactory()
    fifty = _queries(coordinator_client, url)
    assert one == fifty


def test_my_unit_items_queries_do_not_grow(liaison_b_client, registry):
    _plan_with(1, *registry)
    one = _queries(liaison_b_client, reverse("tasks:my_unit_items"))
    _plan_with(50, *registry)
    fifty = _queries(liaison_b_client, reverse("tasks:my_unit_items"))
    assert one == fifty


def test_item_page_queries_do_not_grow_with_units(coordinator_client, unit_a):
    plan = PlanFactory()
    few = UnitGroupFactory(name="小集合", members=[UnitFactory()])
    many = UnitGroupFactory(name="大集合", members=[UnitFactory() for _ in range(30)])
    small = services.create_item(plan=plan, title="少", lead=[unit_a], responsible=[few])
    large = services.create_item(plan=plan, title="多", lead=[unit_a], responsible=[many])
    assert _queries(coordinator_client, reverse("tasks:item_detail", args=[small.pk])) == _queries(
        coordinator_client, reverse("tasks:item_detail", args=[large.pk]))
