"""Five failures in a row lock an account for 30 minutes; many failures lock a source address; both audited."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client

from audit.models import EventKind, SecurityEvent
from tests.factories import TEST_PASSWORD, UserFactory

LOGIN = "/accounts/login/"


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def person(db):
    return UserFactory(username="person")


def test_four_failures_still_allow_the_right_password(client, person):
    for _ in range(4):
        assert _attempt(client, "person", "wrong").status_code == 200
    assert _attempt(client, "person", TEST_PASSWORD).status_code == 302


def test_a_success_resets_the_count_so_only_failures_in_a_row_lock(client, person):
    for _ in range(4):
        _attempt(client, "person", "wrong")
    _attempt(client, "person", TEST_PASSWORD)
    client.logout()
    for _ in range(4):
        _attempt(client, "person", "wrong")
    assert _attempt(client, "person", TEST_PASSWORD).status_code == 302


def test_the_fifth_failure_locks_the_account_with_a_chinese_page_even_from_another_address(client, person):
    for _ in range(4):
        _attempt(client, "person", "wrong")
    locked = _attempt(client, "person", "wrong")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "登录已暂时锁定" in text and "30 分钟" in text and "person" in text
    # The right password from a different address does not get in while the account is locked.
    again = _attempt(Client(), "person", TEST_PASSWORD, ip="10.9.9.9")
    assert again.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKED_OUT, username="person").exists()
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, username="person").count() >= 5


def test_the_lock_ends_after_thirty_minutes(client, person, settings):
    for _ in range(5):
        _attempt(client, "person", "wrong")
    assert dt.timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - dt.timedelta(minutes=31))
    assert _attempt(client, "person", TEST_PASSWORD).status_code == 302


def test_many_failures_from_one_address_lock_that_address_for_every_account(client, db, settings):
    settings.FAZHI_LOGIN_IP_FAILURE_LIMIT = 8
    UserFactory(username="innocent")
    for n in range(8):
        _attempt(client, f"guess{n}", "wrong", ip="10.6.6.6")
    assert _attempt(client, "innocent", TEST_PASSWORD, ip="10.6.6.6").status_code == 429
    assert _attempt(Client(), "innocent", TEST_PASSWORD, ip="10.7.7.7").status_code == 302


def test_a_coordinator_sees_and_lifts_a_lockout_and_it_is_audited(client, person, coordinator_client):
    for _ in range(5):
        _attempt(client, "person", "wrong")
    page = coordinator_client.get("/accounts/lockouts/").content.decode()
    assert "person" in page and "解除锁定" in page
    response = coordinator_client.post("/accounts/lockouts/clear/", {"username": "person"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="person").exists()
    assert _attempt(client, "person", TEST_PASSWORD).status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.UNLOCKED)
    assert event.username == "coordinator" and "person" in event.detail


def test_only_coordinators_may_unlock(client, person, liaison_a_client, leader_client):
    for _ in range(5):
        _attempt(client, "person", "wrong")
    for other in (liaison_a_client, leader_client):
        assert other.get("/accounts/lockouts/").status_code == 403
        assert other.post("/accounts/lockouts/clear/", {"username": "person"}).status_code == 403
    assert AccessAttempt.objects.filter(username="person").exists()


def test_an_over_long_username_is_a_failed_login_counted_under_a_name_that_fits(client, db):
    # Regression: axes stored the raw posted name in a 255-character column; PostgreSQL answered 500.
    name = "x" * 5000
    response = _attempt(client, name, "wrong")
    assert response.status_code == 200
    assert "请输入正确的" in response.content.decode() or response.context["form"].errors
    attempt = AccessAttempt.objects.get()
    assert attempt.username == name[:255] and attempt.failures_since_start == 1
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED).count() == 1


# --- The bypass: another account's success must not erase failures from the same address. ---

def test_one_right_login_as_another_account_does_not_erase_failures_from_the_same_address(client, person):
    UserFactory(username="insider")
    for _ in range(4):
        _attempt(Client(), "person", "wrong")
    assert _attempt(Client(), "insider", TEST_PASSWORD).status_code == 302
    # The attack repeated four guesses, one good login, four guesses…: the fifth guess locks now.
    assert _attempt(Client(), "person", "wrong").status_code == 429
    assert _attempt(Client(), "person", TEST_PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="person").exists()


def test_a_locked_account_is_not_unlocked_by_another_accounts_success(client, person):
    UserFactory(username="insider")
    for _ in range(5):
        _attempt(Client(), "person", "wrong")
    assert _attempt(Client(), "insider", TEST_PASSWORD).status_code == 302
    assert _attempt(Client(), "person", TEST_PASSWORD).status_code == 429


def test_a_success_resets_only_that_accounts_own_counter(client, person):
    UserFactory(username="other")
    for _ in range(3):
        _attempt(Client(), "other", "wrong")
        _attempt(Client(), "person", "wrong")
    assert _attempt(Client(), "person", TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="person").exists()
    assert AccessAttempt.objects.filter(username="other").get().failures_since_start == 3


def test_the_per_address_count_decays_over_its_window_instead_of_being_reset(client, db, settings):
    from axes.models import AccessFailureLog

    settings.FAZHI_LOGIN_IP_FAILURE_LIMIT = 6
    UserFactory(username="innocent")
    for n in range(5):
        _attempt(Client(), f"guess{n}", "wrong", ip="10.6.6.6")
    # A success from the address (another account) does not lower the address's count …
    assert _attempt(Client(), "innocent", TEST_PASSWORD, ip="10.6.6.6").status_code == 302
    _attempt(Client(), "guess9", "wrong", ip="10.6.6.6")
    assert _attempt(Client(), "innocent", TEST_PASSWORD, ip="10.6.6.6").status_code == 429
    # … but failures older than the window stop counting.
    old = AccessFailureLog.objects.first().attempt_time - dt.timedelta(minutes=31)
    AccessFailureLog.objects.update(attempt_time=old)
    AccessAttempt.objects.update(attempt_time=old)
    assert _attempt(Client(), "innocent", TEST_PASSWORD, ip="10.6.6.6").status_code == 302


def test_an_allow_listed_office_address_is_exempt_from_the_address_limit_only(client, person, settings):
    import ipaddress

    settings.FAZHI_LOGIN_IP_FAILURE_LIMIT = 6
    settings.FAZHI_LOGIN_IP_ALLOWLIST = (ipaddress.ip_network("10.20.0.0/16"),)
    UserFactory(username="colleague")
    for n in range(8):
        _attempt(Client(), f"typo{n}", "wrong", ip="10.20.1.1")
    assert _attempt(Client(), "colleague", TEST_PASSWORD, ip="10.20.1.1").status_code == 302
    # The per-account limit still holds from the allow-listed office.
    for _ in range(5):
        _attempt(Client(), "person", "wrong", ip="10.20.1.1")
    assert _attempt(Client(), "person", TEST_PASSWORD, ip="10.20.1.1").status_code == 429
