"""Only the auth views Fazhi uses are reachable; a password change changes the password; the client address
comes from X-Forwarded-For only when the request really came through a trusted proxy."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import Client, RequestFactory

from audit.models import EventKind, SecurityEvent
from audit.services import client_ip
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.parametrize("url", [
    "/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/MQ/set-password/",
    "/accounts/reset/done/", "/accounts/password_change/", "/accounts/password_change/done/",
])
def test_djangos_email_reset_and_unaudited_password_change_are_not_exposed(client, db, url):
    assert client.get(url).status_code in (302, 404)
    signed_in = Client()
    signed_in.force_login(UserFactory(username="someone"))
    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url, {"email": "a@b.cn", "old_password": TEST_PASSWORD, "new_password1": "Xx1!xxxxyy",
                                "new_password2": "Xx1!xxxxyy"}).status_code == 404


def test_login_and_logout_still_work(client, db):
    UserFactory(username="someone")
    assert client.post("/accounts/login/", {"username": "someone", "password": TEST_PASSWORD}).status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, username="someone").exists()


def test_reusing_the_current_password_is_refused_and_nothing_changes(client, db):
    person = UserFactory(username="someone", password="Old-pass-2026")
    client.force_login(person)
    before = person.password
    response = client.post("/accounts/password/", {"old_password": "Old-pass-2026", "new_password1": "Old-pass-2026",
                                                   "new_password2": "Old-pass-2026"})
    assert response.status_code == 200
    assert "新密码不能与当前密码相同。" in response.content.decode()
    person.refresh_from_db()
    assert person.password == before and person.password_changed_at is None
    assert not SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED).exists()


def _request(peer: str, forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)


def test_forwarded_for_is_believed_only_from_a_trusted_proxy(settings):
    settings.FAZHI_PROXY_COUNT = 1
    settings.FAZHI_TRUSTED_PROXIES = (ipaddress.ip_network("10.0.1.10/32"),)
    assert client_ip(_request("10.0.1.10", "1.2.3.4, 10.20.30.40")) == "10.20.30.40"
    # A client talking to gunicorn directly cannot pick its address (or dodge the per-address lockout).
    assert client_ip(_request("203.0.113.7", "10.20.30.40")) == "203.0.113.7"
    assert client_ip(_request("10.0.1.10", "not-an-address")) is None


def test_the_default_trusted_proxy_is_this_host_only(settings):
    settings.FAZHI_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", "10.20.30.40")) == "10.20.30.40"
    assert client_ip(_request("192.168.1.9", "10.20.30.40")) == "192.168.1.9"
