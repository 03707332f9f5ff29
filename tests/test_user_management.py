"""Coordinators create, edit, deactivate and reset accounts; nobody else can."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Role, User

NEW_USER = {"username": "liaison_new", "last_name": "钱", "first_name": "新", "role": Role.LIAISON,
            "phone": "0512-1234567", "email": "qian@example.cn"}


def _temporary_password(response) -> str:
    messages = [str(m) for m in response.context["messages"]] if response.context else []
    text = " ".join(messages) or response.content.decode()
    match = re.search(r"临时密码：(\S+)", text)
    assert match, text
    return match.group(1)


def test_the_user_list_shows_every_account_with_role_and_unit(coordinator_client, liaison_a, leader):
    page = coordinator_client.get("/accounts/users/").content.decode()
    assert "liaison_a" in page and "测试市司法局" in page and "leader" in page and "领导" in page
    filtered = coordinator_client.get("/accounts/users/", {"role": Role.LEADER}).content.decode()
    assert "leader" in filtered and "liaison_a" not in filtered


def test_creating_a_user_gives_a_temporary_password_that_must_be_changed(coordinator_client, unit_a):
    response = coordinator_client.post("/accounts/users/new/", {**NEW_USER, "unit": unit_a.pk}, follow=True)
    password = _temporary_password(response)
    user = User.objects.get(username="liaison_new")
    assert user.unit == unit_a and user.role == Role.LIAISON and user.must_change_password
    assert user.check_password(password)

    newcomer = Client()
    assert newcomer.post("/accounts/login/", {"username": "liaison_new", "password": password}).status_code == 302
    assert newcomer.get("/plans/")["Location"] == "/accounts/password/"


def test_a_liaison_without_a_unit_is_refused_and_the_form_keeps_the_input(coordinator_client):
    response = coordinator_client.post("/accounts/users/new/", NEW_USER)
    assert response.status_code == 200
    text = response.content.decode()
    assert "联络员必须指定所属单位" in text and 'value="qian@example.cn"' in text
    assert not User.objects.filter(username="liaison_new").exists()


def test_editing_changes_role_and_unit(coordinator_client, liaison_a, unit_b):
    data = {"username": "liaison_a", "last_name": "张", "first_name": "联络", "role": Role.LIAISON,
            "unit": unit_b.pk, "phone": "", "email": ""}
    assert coordinator_client.post(f"/accounts/users/{liaison_a.pk}/edit/", data).status_code == 302
    liaison_a.refresh_from_db()
    assert liaison_a.unit == unit_b


def test_resetting_a_password_forces_a_change_and_ends_old_sessions(coordinator_client, liaison_a,
                                                                    liaison_a_client):
    response = coordinator_client.post(f"/accounts/users/{liaison_a.pk}/reset-password/", follow=True)
    password = _temporary_password(response)
    liaison_a.refresh_from_db()
    assert liaison_a.must_change_password and liaison_a.check_password(password)
    assert liaison_a_client.get("/plans/").status_code == 302


def test_a_coordinator_cannot_deactivate_themself(coordinator_client, coordinator):
    coordinator_client.post(f"/accounts/users/{coordinator.pk}/active/", {"active": "0"})
    coordinator.refresh_from_db()
    assert coordinator.is_active


@pytest.mark.parametrize("persona", ["liaison_a_client", "leader_client"])
def test_only_coordinators_manage_users(request, persona, liaison_b, unit_a):
    other: Client = request.getfixturevalue(persona)
    assert other.get("/accounts/users/").status_code == 403
    assert other.post("/accounts/users/new/", {**NEW_USER, "unit": unit_a.pk}).status_code == 403
    assert other.post(f"/accounts/users/{liaison_b.pk}/active/", {"active": "0"}).status_code == 403
    assert other.post(f"/accounts/users/{liaison_b.pk}/reset-password/").status_code == 403
    liaison_b.refresh_from_db()
    assert liaison_b.is_active and not liaison_b.must_change_password
    assert not User.objects.filter(username="liaison_new").exists()
