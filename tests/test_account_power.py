"""Nobody acts on an account with more power than their own, every account change is a security event,
accounts are deactivated but never deleted, and the admin exposes no way to run code."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Role, User
from audit.models import EventKind, SecurityEvent
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.fixture
def superuser(db) -> User:
    return UserFactory(username="root", role=Role.COORDINATOR, is_superuser=True, is_staff=True)


@pytest.fixture
def staff(db) -> User:
    return UserFactory(username="staffer", role=Role.LEADER, is_staff=True)


def _snapshot(user: User) -> tuple:
    user.refresh_from_db()
    return user.password, user.is_active, user.role, user.username, user.last_name, user.session_epoch


@pytest.mark.parametrize("target_name", ["superuser", "staff"])
def test_a_coordinator_cannot_reset_edit_or_deactivate_a_more_powerful_account(
    request, coordinator_client, target_name
):
    target = request.getfixturevalue(target_name)
    before = _snapshot(target)
    reset = coordinator_client.post(f"/accounts/users/{target.pk}/reset-password/")
    edit = coordinator_client.post(f"/accounts/users/{target.pk}/edit/",
                                   {"username": target.username, "last_name": "改", "role": "liaison"})
    deactivate = coordinator_client.post(f"/accounts/users/{target.pk}/active/", {"active": "0"})
    edit_page = coordinator_client.get(f"/accounts/users/{target.pk}/edit/")
    assert [reset.status_code, edit.status_code, deactivate.status_code, edit_page.status_code] == [403] * 4
    assert "临时密码" not in reset.content.decode()
    assert _snapshot(target) == before
    assert not SecurityEvent.objects.filter(kind=EventKind.PASSWORD_RESET).exists()


def test_the_escalation_chain_from_a_second_coordinator_to_the_superuser_is_closed(coordinator_client, superuser):
    created = coordinator_client.post("/accounts/users/new/", {"username": "second", "last_name": "二",
                                                               "role": Role.COORDINATOR})
    assert created.status_code == 302
    second = User.objects.get(username="second")
    second.set_password(TEST_PASSWORD)
    second.must_change_password = False
    second.save()
    client = Client()
    client.force_login(second)
    before = _snapshot(superuser)
    response = client.post(f"/accounts/users/{superuser.pk}/reset-password/", follow=True)
    assert response.status_code == 403
    assert _snapshot(superuser) == before


def test_the_user_list_offers_no_actions_on_more_powerful_accounts(coordinator_client, superuser, liaison_a):
    page = coordinator_client.get("/accounts/users/").content.decode()
    assert f"/accounts/users/{superuser.pk}/reset-password/" not in page
    assert f"/accounts/users/{liaison_a.pk}/reset-password/" in page
    assert "权限高于本人，不可管理" in page


def test_a_superuser_still_manages_everyone(superuser, staff):
    client = Client()
    client.force_login(superuser)
    assert client.post(f"/accounts/users/{staff.pk}/active/", {"active": "0"}).status_code == 302
    staff.refresh_from_db()
    assert staff.is_active is False


def test_every_account_change_is_a_security_event_naming_what_changed(coordinator_client, unit_a, unit_b):
    coordinator_client.post("/accounts/users/new/", {"username": "newbie", "last_name": "新", "role": Role.LIAISON,
                                                     "unit": unit_a.pk})
    person = User.objects.get(username="newbie")
    coordinator_client.post(f"/accounts/users/{person.pk}/edit/", {"username": "newbie", "last_name": "新",
                                                                   "role": Role.LIAISON, "unit": unit_b.pk})
    coordinator_client.post(f"/accounts/users/{person.pk}/active/", {"active": "0"})
    coordinator_client.post(f"/accounts/users/{person.pk}/active/", {"active": "1"})
    coordinator_client.post(f"/accounts/users/{person.pk}/reset-password/")
    changes = SecurityEvent.objects.exclude(kind=EventKind.LOGIN).order_by("id")
    events = list(changes.values_list("kind", "detail", "username"))
    assert [kind for kind, _, _ in events] == [
        EventKind.ACCOUNT_CREATED, EventKind.ACCOUNT_CHANGED, EventKind.ACCOUNT_DEACTIVATED,
        EventKind.ACCOUNT_ACTIVATED, EventKind.PASSWORD_RESET,
    ]
    assert all(username == "coordinator" for _, _, username in events)
    assert "newbie" in events[0][1] and unit_a.name in events[0][1]
    assert f"所属单位：{unit_a} → {unit_b}" in events[1][1]


def test_reactivating_an_account_does_not_revive_its_old_sessions(coordinator_client, liaison_a):
    old = Client()
    old.force_login(liaison_a)
    assert old.get("/reports/").status_code == 200
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0"})
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "1"})
    response = old.get("/reports/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    fresh = Client()
    assert fresh.post("/accounts/login/", {"username": "liaison_a", "password": TEST_PASSWORD}).status_code == 302


def test_accounts_cannot_be_deleted_in_the_admin(superuser, liaison_a):
    client = Client()
    client.force_login(superuser)
    assert client.post(f"/admin/accounts/user/{liaison_a.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/accounts/user/").content.decode()
    assert "delete_selected" not in changelist
    assert User.objects.filter(pk=liaison_a.pk).exists()


def test_the_admin_has_no_task_schedules_that_could_run_any_function(superuser):
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/django_q/schedule/add/").status_code == 404
    assert client.get("/admin/django_q/").status_code == 404
    assert "django_q" not in client.get("/admin/").content.decode()


def test_a_staff_user_cannot_change_a_superuser_in_the_admin(superuser, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["change_user", "view_user"]))
    client = Client()
    client.force_login(staff)
    before = _snapshot(superuser)
    response = client.post(f"/admin/accounts/user/{superuser.pk}/change/", {"username": "root", "is_active": ""})
    assert response.status_code == 403
    assert _snapshot(superuser) == before


def test_admin_account_changes_are_security_events(superuser, liaison_a):
    client = Client()
    client.force_login(superuser)
    page = client.get(f"/admin/accounts/user/{liaison_a.pk}/change/")
    assert page.status_code == 200
    data = {k: v for k, v in page.context["adminform"].form.initial.items() if v is not None}
    data.update({"username": "liaison_a", "last_name": "改名", "role": Role.LIAISON, "unit": liaison_a.unit_id,
                 "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("password", None)
    data.pop("last_login", None)
    data.pop("password_changed_at", None)
    response = client.post(f"/admin/accounts/user/{liaison_a.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = SecurityEvent.objects.get(kind=EventKind.ACCOUNT_CHANGED)
    assert "后台修改了账号 liaison_a" in event.detail and "last_name" in event.detail
