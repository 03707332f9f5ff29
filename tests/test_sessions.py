"""Sessions end after 30 idle minutes and after 12 hours in any case; deactivation signs a person out."""

from __future__ import annotations

import time

import pytest

from accounts.middleware import SEEN_KEY, STARTED_KEY
from audit.models import EventKind, SecurityEvent
from tests.factories import TEST_PASSWORD


def _shift(client, *, started: int, seen: int) -> None:
    session = client.session
    session[STARTED_KEY] = int(time.time()) - started
    session[SEEN_KEY] = int(time.time()) - seen
    session.save()


def test_an_active_session_within_limits_continues(liaison_a_client):
    assert liaison_a_client.get("/plans/").status_code == 200
    _shift(liaison_a_client, started=3600, seen=29 * 60)
    assert liaison_a_client.get("/plans/").status_code == 200


def test_thirty_idle_minutes_end_the_session(liaison_a_client, liaison_a):
    liaison_a_client.get("/plans/")
    _shift(liaison_a_client, started=3600, seen=31 * 60)
    response = liaison_a_client.get("/plans/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert liaison_a_client.get("/plans/").status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.SESSION_EXPIRED, user=liaison_a).exists()


def test_twelve_hours_end_the_session_even_when_active(liaison_a_client):
    liaison_a_client.get("/plans/")
    _shift(liaison_a_client, started=12 * 3600 + 60, seen=10)
    assert liaison_a_client.get("/plans/").status_code == 302


def test_idle_limit_is_configurable(liaison_a_client, settings):
    settings.FAZHI_SESSION_IDLE_MINUTES = 5
    liaison_a_client.get("/plans/")
    _shift(liaison_a_client, started=600, seen=6 * 60)
    assert liaison_a_client.get("/plans/").status_code == 302


def test_login_issues_a_new_session_id(client, liaison_a):
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attackerchosenid0123456789abcdef"
    client.post("/accounts/login/", {"username": "liaison_a", "password": TEST_PASSWORD})
    assert client.cookies["sessionid"].value != "attackerchosenid0123456789abcdef"
    assert client.get("/plans/").status_code == 200


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_open_sessions(liaison_a_client, liaison_a, coordinator_client):
    assert liaison_a_client.get("/plans/").status_code == 200
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0"})
    liaison_a.refresh_from_db()
    assert not liaison_a.is_active
    assert liaison_a_client.get("/plans/").status_code == 302
