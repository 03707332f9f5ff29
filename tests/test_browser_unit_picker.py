"""In a real browser: the searchable unit picker saves units in the order they were picked.

Needs Playwright for Python and the Debian chromium (`/usr/bin/chromium`); skipped where they are missing.
"""

from pathlib import Path

import pytest

from accounts.models import Role
from tasks import services
from tasks.models import WorkItem
from tests.factories import TEST_PASSWORD, PlanFactory, UnitFactory, UserFactory

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    # Settings keep MEDIA_URL = None (evidence is only served by a permission-checked view), but Django's
    # live server wraps a media handler that needs a string; this path is never routed.
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_media-not-served/"):
        yield


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API keeps an event loop running in this thread; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        # CSP violations ("Refused to apply inline style…") are reported as console errors.
        page.on("console", lambda msg: page.errors.append(msg.text)
                if msg.type == "error" and "favicon" not in msg.text and "404" not in msg.text else None)
        yield page
        browser.close()


def test_units_picked_by_search_are_saved_in_the_picked_order(transactional_db, live_server, page):
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    plan = PlanFactory()
    services.create_chapter(plan=plan, title="健全依法行政制度体系")
    for name in ["测试市甲局", "测试市乙局", "测试市丙局"]:
        UnitFactory(name=name)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/plans/{plan.pk}/items/new/")
    page.fill("#id_title", "推进行政规范性文件备案审查")
    for name in ["丙局", "甲局"]:
        page.click("#id_lead-ts-control")
        page.keyboard.type(name)
        page.click(f"#id_lead-ts-dropdown .option:has-text('{name}')")  # a tap, as on a phone
    page.click("#id_responsible-ts-control")
    page.keyboard.type("乙局")
    page.click("#id_responsible-ts-dropdown .option:has-text('乙局')")
    page.click("button[type=submit].primary")
    page.wait_for_url("**/plans/items/*/")

    item = WorkItem.objects.with_assignments().get(title="推进行政规范性文件备案审查")
    assert [a.unit.name for a in item.lead_assignments] == ["测试市丙局", "测试市甲局"]
    assert [a.unit.name for a in item.responsible_assignments] == ["测试市乙局"]
    assert page.errors == []
