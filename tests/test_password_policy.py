"""The password rules (MLPS 2.0 口令复杂度) and the forced change at first login or after expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.services import generate_temporary_password
from tests.factories import TEST_PASSWORD, UserFactory


@pytest.mark.parametrize("password", ["Wenjian1", "abcdef1!", "ABCDEF1!", "Zq7!Zq7!Zq"])
def test_passwords_with_three_character_classes_and_eight_chars_are_accepted(db, password):
    validate_password(password, UserFactory(username="someone"))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "至少"),  # too short (Django's own message, translated)
        ("abcdefgh1", "3 类"),  # two classes only
        ("ABCDEFGH", "3 类"),
        ("12345678", "3 类"),
        ("Password1", "常见"),  # common
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_message(db, password, message):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password(password, UserFactory(username="someone"))
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_a_password_like_the_username_is_refused(db):
    user = UserFactory(username="zhangsan2026")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        validate_password("Zhangsan2026!", user)
    assert any("相似" in m for m in exc.value.messages)


def test_generated_temporary_passwords_pass_the_policy(db):
    user = UserFactory(username="someone")
    for _ in range(20):
        validate_password(generate_temporary_password(), user)


def test_a_user_who_must_change_password_is_sent_to_the_change_page_until_they_do(client, db):
    user = UserFactory(username="newbie", must_change_password=True)
    client.force_login(user)
    response = client.get("/plans/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "首次登录" in page.content.decode()

    bad = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "short",
                                              "new_password2": "short"})
    assert bad.status_code == 200 and "至少" in bad.content.decode()
    user.refresh_from_db()
    assert user.must_change_password

    ok = client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "Wenjian#2027",
                                             "new_password2": "Wenjian#2027"})
    assert ok.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.password_changed_at is not None
    assert user.check_password("Wenjian#2027")
    assert client.get("/plans/").status_code == 200  # same session survives its own change


def test_changing_the_password_signs_out_the_persons_other_sessions(client, db):
    user = UserFactory(username="twodevices")
    client.force_login(user)
    from django.test import Client

    other = Client()
    other.force_login(user)
    assert other.get("/plans/").status_code == 200
    client.post("/accounts/password/", {"old_password": TEST_PASSWORD, "new_password1": "Wenjian#2027",
                                        "new_password2": "Wenjian#2027"})
    assert other.get("/plans/").status_code == 302
    assert client.get("/plans/").status_code == 200


def test_password_expiry_is_off_by_default(client, db):
    user = UserFactory(username="old", password_changed_at=timezone.now() - dt.timedelta(days=2000))
    client.force_login(user)
    assert client.get("/plans/").status_code == 200


def test_expired_passwords_must_be_changed_when_expiry_is_configured(client, db, settings):
    settings.FAZHI_PASSWORD_MAX_AGE_DAYS = 90
    user = UserFactory(username="old", password_changed_at=timezone.now() - dt.timedelta(days=91))
    client.force_login(user)
    response = client.get("/plans/")
    assert response["Location"] == "/accounts/password/"
    assert "已到期" in client.get("/accounts/password/").content.decode()
    fresh = UserFactory(username="fresh", password_changed_at=timezone.now() - dt.timedelta(days=10))
    client.force_login(fresh)
    assert client.get("/plans/").status_code == 200
