"""Playwright for Python driving Debian's Chromium against a live server.

Skipped cleanly where /usr/bin/chromium or the playwright package is missing (a developer laptop);
CI installs chromium (.ci/run) so they always run there. Failures leave a screenshot in test-artifacts/.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import Role
from reports import services as report_services
from tests.factories import TEST_PASSWORD, UserFactory

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="Debian chromium (/usr/bin/chromium) is not installed"))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash.setdefault(_FAILED, False)
        if report.failed:
            item.stash[_FAILED] = True
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    # MEDIA_URL stays None in settings (evidence is served only by a permission-checked view), but the
    # live server's static handler needs a string; this path is never routed.
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_media-not-served/"):
        yield


@pytest.fixture
def chromium():
    # Per test: Playwright's sync API owns this thread's event loop while it runs, and other modules start
    # their own; a longer-lived instance was still running when they did.
    # Playwright's sync API keeps an event loop running in this thread from here on; Django would take
    # every ORM call in the tests for one made from async code. They are synchronous: allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Browser:
    """Opens pages for one persona at a time and collects script errors and CSP violations."""

    def __init__(self, chromium, base_url: str, request) -> None:
        self.chromium = chromium
        self.base_url = base_url
        self.request = request
        self.contexts = []
        self.errors: list[str] = []

    def page_for(self, username: str | None, *, width: int = 1280):
        context = self.chromium.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("console", lambda msg: self.errors.append(msg.text)
                if msg.type == "error" and "favicon" not in msg.text and "404" not in msg.text else None)
        if username:
            page.goto(f"{self.base_url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", TEST_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        return page

    def close(self, failed: bool) -> None:
        if failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for n, context in enumerate(self.contexts):
                for m, page in enumerate(context.pages):
                    page.screenshot(path=str(ARTIFACTS / f"{self.request.node.name}-{n}-{m}.png"), full_page=True)
        for context in self.contexts:
            context.close()


@pytest.fixture
def browser(chromium, live_server, request):
    b = Browser(chromium, live_server.url, request)
    yield b
    b.close(failed=request.node.stash.get(_FAILED, False))


@pytest.fixture
def open_period(small_plan, coordinator):
    return report_services.open_period(plan=small_plan, name="2026年半年报", user=coordinator,
                                       due_on=dt.date.today() + dt.timedelta(days=20))


@pytest.fixture
def everyone(coordinator, leader, liaison_a, liaison_b):
    UserFactory(username="admin", role=Role.COORDINATOR, is_superuser=True, is_staff=True)
    return {"coordinator": coordinator, "leader": leader, "liaison_a": liaison_a, "liaison_b": liaison_b}


@pytest.fixture
def demo(settings, fresh_demo):
    """The whole demo (``load_demo``) with a known password: the everyday browser tests walk it as its personas."""
    settings.FAZHI_DEMO_PASSWORD = "Demo@2026x"
    fresh_demo("--force")
    return settings.FAZHI_DEMO_PASSWORD
