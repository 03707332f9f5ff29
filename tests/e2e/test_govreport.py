"""A coordinator publishes the government report in the browser; anyone reads it on a phone; axe finds no
serious or critical accessibility violation on the public pages (axe-core vendored in axe-playwright-python)."""

from __future__ import annotations

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe

from govreport import services
from govreport.models import ReportState
from tests.govreport.conftest import YEAR, finished_report, gov_world  # noqa: F401  (fixture)
from tests.govreport.test_publishing import DETAILS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved(gov_world, coordinator):  # noqa: F811
    report = finished_report(gov_world, coordinator)
    return services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="常务会议",
                                   user=coordinator)


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v.get("impact") in ("serious", "critical")]


def test_publish_in_the_browser_and_read_the_public_page_on_a_phone(browser, approved, everyone):
    page = browser.page_for("coordinator")
    page.goto(f"{browser.base_url}/govreport/{approved.pk}/")
    page.get_by_role("button", name="公开发布").click()
    page.wait_for_load_state()
    assert "已公开" in page.content()
    approved.refresh_from_db()
    assert approved.state == ReportState.PUBLISHED

    phone = browser.page_for(None, width=375)
    phone.goto(f"{browser.base_url}/public/")
    assert _serious(phone) == []
    phone.get_by_role("link", name=DETAILS["title"]).click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == DETAILS["title"]
    assert phone.locator("h2").first.inner_text() == "一、加强党对法治政府建设的领导"
    assert phone.locator("h3").first.inner_text() == "（一）深入学习贯彻习近平法治思想"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    assert _serious(phone) == []
    phone.emulate_media(media="print")
    assert phone.locator(".pub-actions").is_hidden()  # printing leaves the page's own furniture out
    assert browser.errors == []
