"""Where each persona lands and what the first screen holds, on the demo data at 375 and 1280 px, with axe-core on
every page: the leader's overview opens on the period with filings (the next period's due date beside it), the
ranking shares ranks, the year-end report pages open on the year being prepared, the 催办 form is not pushed down
by the units a reminder cannot reach, and a fresh demo coordinator has a handful of notices, not 157."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from reports.models import Period
from tests.e2e.axe import assert_accessible
from tests.e2e.test_everyday import DESK, PHONE, _shot, sign_in, visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_the_leader_lands_on_the_period_with_filings_and_sees_the_next_due_date(browser, demo, width):
    page = sign_in(browser, "leader", demo, width=width)
    half_year = Period.objects.get(name="2026年半年报")
    visit(page, browser.base_url, "/dashboard/")
    assert page.url.endswith(f"/dashboard/period/{half_year.pk}/")
    meta = page.locator(".dash-meta").inner_text()
    assert "下一期：2026年年终报告" in meta and "截止" in meta
    assert page.locator(".dash-kpis .kpi").first.bounding_box()["y"] < 700
    page.screenshot(path=str(_shot(f"polish-leader-overview-{width}.png")), full_page=False)

    page.locator(".dash-tabs a", has_text="单位").click()
    page.wait_for_load_state()
    assert_accessible(page)
    ranks = [int(t) for t in page.locator("table.ranking tbody tr td.num:first-child").all_inner_texts()]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    assert ranks != list(range(1, len(ranks) + 1)), "the demo has units equal on every figure: they share a rank"
    page.screenshot(path=str(_shot(f"polish-leader-units-{width}.png")), full_page=False)
    assert browser.errors == []


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_the_year_end_report_pages_open_on_the_year_being_prepared(browser, demo, width):
    from reports.views_annual import _years_and_dues, default_year

    year = default_year(_years_and_dues(), dt.date.today())
    if dt.date.today() >= dt.date(dt.date.today().year, 3, 2):
        assert year == dt.date.today().year  # after 1 March, this year's report is the one being written
    leader = sign_in(browser, "leader", demo, width=width)
    visit(leader, browser.base_url, "/reports/annual/")
    assert f"{year}年度各单位法治政府建设情况报告" in leader.locator("h1").inner_text()
    leader.screenshot(path=str(_shot(f"polish-leader-annual-{width}.png")), full_page=False)
    liaison = sign_in(browser, "liaison_sfj", demo, width=width)
    liaison.goto(f"{browser.base_url}/reports/annual/mine/")
    liaison.wait_for_load_state()
    assert re.search(rf"/reports/annual/\d+/{year}/$", liaison.url)
    assert_accessible(liaison)
    liaison.screenshot(path=str(_shot(f"polish-liaison-annual-{width}.png")), full_page=False)
    assert browser.errors == []


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_the_chasing_form_stays_on_the_first_screen_with_unreachable_units_folded(browser, demo, width):
    page = sign_in(browser, "coordinator", demo, width=width)
    # A fresh demo coordinator: a handful of unread notices, each a report waiting for review.
    badge = page.locator("nav a", has_text="通知").locator(".badge")
    assert 1 <= int(re.sub(r"\D", "", badge.first.inner_text())) <= 3
    visit(page, browser.base_url, "/reports/reminders/")
    warning = page.locator(".reach-warning")
    assert re.search(r"\d+ 家单位没有联络员邮箱", warning.inner_text())
    assert all(d.get_attribute("open") is None for d in warning.locator("details").all())
    send = page.locator("button", has_text="发送").first.bounding_box()
    assert send["y"] + send["height"] <= 900, "the send button is on the first screen"
    warning.locator("summary").last.click()
    assert warning.locator(".unit-names").last.is_visible()
    assert_accessible(page)
    page.screenshot(path=str(_shot(f"polish-coordinator-reminders-{width}.png")), full_page=False)
    visit(page, browser.base_url, "/reports/notices/")
    page.screenshot(path=str(_shot(f"polish-coordinator-notices-{width}.png")), full_page=False)
    assert browser.errors == []
