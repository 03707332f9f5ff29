"""The signed-in header is cached (fazhi.navigation.header_html) but always shows this viewer, this page, now."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Role
from reports.inbox import notify
from tests.factories import UnitFactory, UserFactory


def _signed_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def _header(client: Client, url: str = "/reports/notices/") -> str:
    page = client.get(url).content.decode()
    return page[page.index('<header class="topbar">'):page.index("</header>")]


def test_two_coordinators_each_see_their_own_name(db):
    first = UserFactory(first_name="甲", last_name="张")
    second = UserFactory(first_name="乙", last_name="李")
    assert "张甲" in _header(_signed_in(first)) and "李乙" not in _header(_signed_in(first))
    assert "李乙" in _header(_signed_in(second)) and "张甲" not in _header(_signed_in(second))


def test_the_current_page_mark_follows_the_page(db):
    client = _signed_in(UserFactory())
    assert re.search(r'class="active" aria-current="page">通知', _header(client, "/reports/notices/"))
    on_plans = _header(client, "/plans/")
    assert re.search(r'class="active" aria-current="page">工作要点', on_plans)
    assert 'aria-current="page">通知' not in on_plans


def test_a_new_notice_and_a_new_role_show_in_the_cached_header_at_once(db):
    user = UserFactory(role=Role.LEADER)
    client = _signed_in(user)
    assert "条未读通知" not in _header(client) and ">审核" not in _header(client)
    notify(users=[user], title="请查看")
    assert '>1<span class="sr-only">条未读通知</span>' in _header(client)
    accounts_services.update_user(actor=UserFactory(username="office"), user=user, fields={"role": Role.COORDINATOR})
    header = _header(client)
    assert ">审核" in header and "法治办工作人员" in header and "· 领导" not in header


def test_a_liaison_sees_their_unit_and_a_rename_at_once(db):
    unit = UnitFactory(name="甲市司法局", short_name="")
    liaison = UserFactory(role=Role.LIAISON, unit=unit)
    client = _signed_in(liaison)
    assert "甲市司法局" in _header(client)
    unit.name = "甲市司法行政局"
    unit.save()
    assert "甲市司法行政局" in _header(client)


def test_the_logout_form_in_a_cached_header_posts_with_each_viewers_own_token(db):
    user = UserFactory()
    first, second = _signed_in(user, enforce_csrf_checks=True), _signed_in(user, enforce_csrf_checks=True)
    first_header, second_header = _header(first), _header(second)  # the second is served from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', second_header).group(1)
    assert token != re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first_header).group(1)
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert second.get("/reports/notices/").status_code == 302  # signed out: sent to the login page
    assert first.get("/reports/notices/").status_code == 200


def test_a_deactivated_account_gets_no_header_from_the_cache(db):
    coordinator = UserFactory(username="boss")
    user = UserFactory(role=Role.LEADER)
    client = _signed_in(user)
    assert "退出" in _header(client)
    accounts_services.set_user_active(actor=coordinator, user=user, active=False)
    assert client.get("/reports/notices/").status_code == 302
