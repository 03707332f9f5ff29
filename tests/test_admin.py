"""The Django admin covers every registry model, and its saves go through the services."""

import datetime as dt

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from accounts.models import User
from reports.models import Period
from tasks import services
from tasks.models import Duty, Plan, UnitGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(small_plan) -> Client:
    user = User.objects.create_superuser("root", "root@example.com", "x", role="coordinator")
    client = Client()
    client.force_login(user)
    return client


def test_every_tasks_and_accounts_model_is_registered_and_searchable(admin_client_, small_plan):
    for model in admin.site._registry:
        if model._meta.app_label not in {"tasks", "accounts"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert admin_client_.get(url, {"q": "测试"}).status_code == 200, url
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
            assert admin_client_.get(change).status_code == 200, change
    registered = {m._meta.model_name for m in admin.site._registry if m._meta.app_label in {"tasks", "accounts"}}
    assert {"unit", "unitgroup", "alias", "plan", "chapter", "workitem", "duty", "user"} <= registered


def test_changing_group_members_in_the_admin_updates_duties(admin_client_, small_plan, unit_a, unit_b):
    group = UnitGroup.objects.get(name="各区镇")
    item = small_plan.items.get(seq=1)
    url = reverse("admin:tasks_unitgroup_change", args=[group.pk])
    response = admin_client_.post(url, {
        "name": "各区镇", "description": "", "order": "0", "members": [str(unit_b.pk), str(unit_a.pk)],
        "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0", "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    })
    assert response.status_code == 302
    assert set(group.members.all()) == {unit_a, unit_b}
    # unit A leads the item and is now also in the responsible group: it owes as lead, once.
    assert Duty.objects.get(item=item, unit=unit_a).role == "lead"
    assert Duty.objects.filter(item=item, unit=unit_b, role="responsible").exists()


def test_admin_delete_action_refuses_plans_with_obligations(admin_client_, small_plan):
    Period.objects.create(plan=small_plan, name="半年报", due_on=dt.date(2026, 7, 10))
    services.sync_duties(items=small_plan.items.all())
    response = admin_client_.post(reverse("admin:tasks_plan_changelist"), {
        "action": "delete_through_service", "_selected_action": [str(small_plan.pk)]}, follow=True)
    assert "不能删除" in response.content.decode()
    assert Plan.objects.filter(pk=small_plan.pk).exists()
