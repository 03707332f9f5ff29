"""Each persona signs in through the real login page and lands where their day starts; phone width works."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("username", "landing", "nav"), [
    ("coordinator", None, "审计"),
    ("liaison_a", "/reports/", "本单位任务"),
    ("leader", None, "工作要点"),
])
def test_each_persona_signs_in_and_sees_their_navigation(browser, everyone, open_period, username, landing, nav):
    page = browser.page_for(username)
    assert "/accounts/login/" not in page.url
    if landing:
        assert page.url.endswith(landing)
    assert page.locator("nav.mainnav").get_by_text(nav).count() >= 1
    assert everyone[username].display_name in page.locator(".userbox").inner_text()
    assert browser.errors == []


def test_a_wrong_password_shows_a_chinese_error_and_keeps_the_username(browser, everyone):
    page = browser.page_for(None)
    page.goto(f"{browser.base_url}/accounts/login/")
    page.fill("#id_username", "liaison_a")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit]")
    assert "/accounts/login/" in page.url
    assert page.input_value("#id_username") == "liaison_a"
    assert "用户名" in page.content()


MAIN_PAGES = {
    "coordinator": ["/plans/", "/plans/items/", "/reports/review/", "/accounts/users/", "/audit/", "/dashboard/"],
    "liaison_a": ["/reports/", "/plans/", "/plans/mine/"],
    "leader": ["/dashboard/", "/plans/"],
}


@pytest.mark.parametrize("username", list(MAIN_PAGES))
def test_main_pages_fit_a_375px_phone_without_horizontal_scrolling(browser, everyone, open_period, username):
    page = browser.page_for(username, width=375)
    for path in MAIN_PAGES[username]:
        response = page.goto(f"{browser.base_url}{path}")
        assert response.status < 400, path
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} is {overflow}px wider than the screen"
    assert browser.errors == []
