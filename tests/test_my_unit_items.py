"""本单位任务: a liaison sees every item the unit owes, directly or through a group, and nothing else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_each_role_starts_on_its_own_page(liaison_a_client, coordinator_client, leader_client):
    # Liaisons on 我的待办 (本单位任务 stays one click away), leaders on the dashboard, coordinators on the plans.
    assert liaison_a_client.get(reverse("home"))["Location"] == reverse("reports:todo")
    assert coordinator_client.get(reverse("home"))["Location"] == reverse("tasks:plan_list")
    assert leader_client.get(reverse("home"))["Location"] == reverse("dashboard:home")


def test_liaison_sees_direct_and_group_items_with_the_role(liaison_b_client, small_plan):
    html = liaison_b_client.get(reverse("tasks:my_unit_items")).content.decode()
    assert "测试市甲镇人民政府" in html
    assert "深入学习贯彻习近平法治思想" in html  # through the group 各区镇
    assert "推进基层法治建设" in html  # named directly as lead
    assert "规范执法检查" not in html
    assert "2026年共 2 项，其中牵头 1 项" in html


def test_liaison_cannot_look_at_another_unit_through_the_url(liaison_a_client, small_plan, unit_b):
    html = liaison_a_client.get(reverse("tasks:my_unit_items"), {"unit": unit_b.pk}).content.decode()
    assert "测试市司法局" in html
    assert "推进基层法治建设" not in html
    assert "2026年共 1 项，其中牵头 1 项" in html


def test_coordinator_picks_a_unit_to_look_at(coordinator_client, small_plan, unit_b):
    assert "请选择一个单位" in coordinator_client.get(reverse("tasks:my_unit_items")).content.decode()
    html = coordinator_client.get(reverse("tasks:my_unit_items"), {"unit": unit_b.pk}).content.decode()
    assert "推进基层法治建设" in html


def test_nav_offers_the_unit_page_to_liaisons_only(liaison_a_client, leader_client, small_plan):
    url = reverse("tasks:my_unit_items")
    assert f'href="{url}"' in liaison_a_client.get(reverse("tasks:plan_list")).content.decode()
    assert f'href="{url}"' not in leader_client.get(reverse("tasks:plan_list")).content.decode()


def test_item_page_outlines_the_liaisons_own_unit(liaison_b_client, leader_client, small_plan):
    item = small_plan.items.get(seq=1)
    html = liaison_b_client.get(item.get_absolute_url()).content.decode()
    assert '<span class="tag mine">测试市甲镇人民政府</span>' in html
    assert "tag mine" not in leader_client.get(item.get_absolute_url()).content.decode()
