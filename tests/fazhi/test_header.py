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


def test_the_header_reads_its_part_and_every_badge_count_in_one_cache_round_trip(db, monkeypatch):
    from django.core.cache import caches

    from reports.badges import REVIEW_BADGE_KEYS
    from reports.inbox import unread_key

    coordinator = UserFactory()
    client = _signed_in(coordinator)
    _header(client)  # the part is stored with no unread notice: its badge slot must still fill later
    notify(users=[coordinator], title="请查看")
    _header(client)
    reads: list[list[str]] = []
    depth = [0]  # the test cache's get_many calls its own get: count the outer calls only
    backend = type(caches["default"])
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def spy(self, key, *args, _original=original, **kwargs):
            if not depth[0]:
                reads.append(list(key) if isinstance(key, (list, tuple)) else [key])
            depth[0] += 1
            try:
                return _original(self, key, *args, **kwargs)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(backend, name, spy)
    header = _header(client)
    assert '>1<span class="sr-only">条未读通知</span>' in header
    assert 'aria-hidden="true">1</span><span class="sr-only">，1 条未读通知</span>' in header  # the 菜单 total
    badge_keys = {unread_key(coordinator.pk), *REVIEW_BADGE_KEYS}
    together = [keys for keys in reads if badge_keys & set(keys)]
    assert len(together) == 1, together
    assert badge_keys <= set(together[0]) and any(k.startswith("fazhi:frag:") for k in together[0])


def test_a_nav_entry_with_a_badge_must_name_the_keys_it_reads():
    import pytest

    from fazhi.navigation import NavItem

    with pytest.raises(ValueError):
        NavItem("新页面", "reports:notices", badge=lambda request: "1")


def test_a_name_that_spells_a_badge_slot_is_shown_as_text_and_fills_nothing(db):
    user = UserFactory(first_name="<!--fazhi:badge-total-->", last_name="")
    client = _signed_in(user)
    notify(users=[user], title="请查看")
    header = _header(client)
    assert "&lt;!--fazhi:badge-total--&gt;" in header and "<!--fazhi:" not in header
    assert header.count('aria-hidden="true">1</span>') == 1  # the 菜单 total, once, in its own place
