"""With DEBUG off the error pages are the site's own, in Chinese (not Django's English placeholders)."""

from __future__ import annotations

from django.test import Client, RequestFactory
from django.views.defaults import server_error

from tests.factories import UserFactory


def test_a_missing_page_is_answered_in_chinese_within_the_site(db):
    client = Client()
    client.force_login(UserFactory())
    response = client.get("/reports/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "返回首页" in page and 'class="mainnav"' in page
    assert "Not Found" not in page


def test_the_server_error_page_is_chinese_and_needs_nothing_that_could_fail_again():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "系统出错" in page and "Server Error" not in page
