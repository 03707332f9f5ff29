"""Everyday use on a phone (375 px) and a desk (1280 px), on the demo data, with an axe-core check on every page.

Leaders: figures first, filters folded into one line, the unit ranking as a compact table with details behind
a tap. Everyone: every navigation item reachable (a 菜单 button on a phone), the current page named.
Liaisons: 我的待办 grouped by period with a summary and filters; the report form marks required fields, shows
errors at the field and sets 100 % when 已完成 is chosen.
"""

from __future__ import annotations

import pytest

from reports.models import Period, Report, ReportState
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE, DESK = 375, 1280


def sign_in(browser, username: str, password: str, *, width: int):
    page = browser.page_for(None, width=width)
    page.goto(f"{browser.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url
    return page


def no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


def visit(page, base_url: str, path: str):
    response = page.goto(f"{base_url}{path}")
    assert response.status == 200, path
    page.wait_for_load_state("load")
    no_sideways_scroll(page)
    assert_accessible(page)
    return page


# --- navigation ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["coordinator", "leader", "liaison_sfj"])
def test_on_a_phone_the_menu_button_names_the_current_page_and_opens_every_item(browser, demo, username):
    page = sign_in(browser, username, demo, width=PHONE)
    visit(page, browser.base_url, "/dashboard/")
    toggle = page.locator(".nav-toggle")
    nav = page.locator("#mainnav")
    assert toggle.is_visible() and "驾驶舱" in toggle.inner_text()
    assert not nav.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    links = nav.locator("a")
    labels = [a.strip() for a in links.all_inner_texts()]
    expected = {"coordinator": ["审核", "催办", "年度报告", "审计"], "leader": ["驾驶舱", "通知"],
                "liaison_sfj": ["我的待办", "本单位任务"]}[username]
    for label in expected:
        assert any(text.startswith(label) for text in labels), (label, labels)
    for n in range(links.count()):  # every item inside the screen, none scrolled out of sight
        box = links.nth(n).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE, labels[n]
    assert nav.locator("a[aria-current=page]").inner_text().startswith("驾驶舱")
    assert_accessible(page)
    no_sideways_scroll(page)

    page.keyboard.press("Escape")
    assert not nav.is_visible()
    assert browser.errors == []


def test_at_desk_width_the_navigation_shows_every_item_and_marks_the_current_page(browser, demo):
    page = sign_in(browser, "coordinator", demo, width=DESK)
    visit(page, browser.base_url, "/reports/review/")
    assert not page.locator(".nav-toggle").is_visible()
    nav = page.locator("#mainnav")
    for label in ["工作要点", "导入", "驾驶舱", "审核", "催办", "年度报告", "通知", "用户", "审计"]:
        assert nav.get_by_text(label, exact=False).first.is_visible(), label
    current = nav.locator("a[aria-current=page]")
    assert current.count() == 1 and current.inner_text().startswith("审核")
    # The demo has reports waiting: the badge says how many, and its label reads as a sentence.
    waiting = Report.objects.filter(state=ReportState.SUBMITTED).count()
    assert waiting > 0
    assert current.locator(".badge").text_content().strip() == f"，{waiting}份报告待审核"
    assert browser.errors == []


def test_on_a_phone_the_menu_button_carries_the_badges_total(browser, demo):
    page = sign_in(browser, "coordinator", demo, width=PHONE)
    visit(page, browser.base_url, "/dashboard/")
    toggle = page.locator(".nav-toggle")
    waiting = Report.objects.filter(state=ReportState.SUBMITTED).count()
    unread = page.locator("#mainnav a", has_text="通知").locator(".badge").text_content()
    unread = int("".join(ch for ch in unread if ch.isdigit()))
    badge = toggle.locator(".badge")
    assert badge.is_visible() and badge.inner_text().strip() == str(waiting + unread)
    assert f"{waiting} 份报告待审核，{unread} 条未读通知" in toggle.text_content()
    box = toggle.bounding_box()
    assert box["height"] < 48, "the button stays one line"
    page.screenshot(path=str(_shot("menu-badge-375.png")))
    assert browser.errors == []


@pytest.mark.parametrize("width", [DESK, PHONE])
def test_the_navigation_fits_one_line_at_desk_width_and_the_account_menu_opens(browser, demo, width):
    page = sign_in(browser, "coordinator", demo, width=width)
    visit(page, browser.base_url, "/plans/")
    nav = page.locator("#mainnav")
    if width == DESK:
        links = nav.locator("a")
        tops = {round(links.nth(n).bounding_box()["y"]) for n in range(links.count())}
        assert len(tops) == 1, "every nav item on one line at 1280 px"
        assert links.count() >= 14 and all(links.nth(n).is_visible() for n in range(links.count()))
    menu = page.locator("details.usermenu")
    assert "王法治" in menu.locator("summary").inner_text()
    assert not menu.get_by_role("link", name="修改密码").is_visible()
    menu.locator("summary").click()
    for name in ("我的导出", "修改密码"):
        link = menu.get_by_role("link", name=name)
        box = link.bounding_box()
        assert link.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= width, name
    assert menu.get_by_role("button", name="退出").is_visible()
    no_sideways_scroll(page)
    assert_accessible(page)
    page.screenshot(path=str(_shot(f"usermenu-{width}.png")))
    page.keyboard.press("Escape")
    assert not menu.get_by_role("link", name="修改密码").is_visible()
    assert browser.errors == []


# --- leaders ---------------------------------------------------------------------------------------------

def test_a_leader_on_a_phone_sees_the_figures_first_and_the_filters_folded(browser, demo):
    page = sign_in(browser, "leader", demo, width=PHONE)
    half_year = Period.objects.get(name="2026年半年报")  # past its due date in the demo
    visit(page, browser.base_url, f"/dashboard/period/{half_year.pk}/")
    fold = page.locator("details.dash-filter-fold")
    assert fold.get_attribute("open") is None
    summary_box = fold.locator("summary").bounding_box()
    assert summary_box["height"] < 48, "the folded filters take one line"
    first_kpi = page.locator(".dash-kpis .kpi").first.bounding_box()
    assert first_kpi["y"] < 600, "the light counts are on the first screen"
    # The red list names the units that have not filed and for how long.
    red = page.locator("section", has=page.locator("h2", has_text="红灯清单"))
    assert "逾期未报送（" in red.inner_text() and "天）" in red.inner_text()
    fold.locator("summary").click()
    assert page.locator("#f-period").is_visible()
    assert_accessible(page)
    page.screenshot(path=str(_shot("leader-overview-375.png")), full_page=True)
    assert browser.errors == []


def test_a_leader_at_desk_width_sees_the_filters_open_and_every_chapter_column(browser, demo):
    page = sign_in(browser, "leader", demo, width=DESK)
    visit(page, browser.base_url, "/dashboard/")
    assert page.locator("details.dash-filter-fold").get_attribute("open") is not None
    assert page.locator("#f-plan").is_visible()
    headers = page.locator("section", has=page.locator("h2", has_text="分章完成情况")).locator("th")
    assert [h for h in headers.all_inner_texts()] == ["章节", "事项", "已完成", "推进中", "尚未报送", "逾期或滞后",
                                                       "完成率"]
    assert browser.errors == []


def test_the_unit_ranking_on_a_phone_is_a_compact_table_with_details_behind_a_tap(browser, demo):
    page = sign_in(browser, "leader", demo, width=PHONE)
    page.goto(f"{browser.base_url}/dashboard/")
    page.locator(".dash-tabs a", has_text="单位").click()
    page.wait_for_load_state()
    no_sideways_scroll(page)
    assert_accessible(page)
    table = page.locator("table.ranking")
    visible_headers = [h.inner_text().strip() for h in table.locator("thead th").all() if h.is_visible()]
    assert visible_headers == ["排名", "单位", "完成", "报送率", "按时率"]
    rows = table.locator("tbody tr")
    assert rows.count() >= 10
    first_row = rows.first.bounding_box()
    assert first_row["height"] < 80, "one unit is one short row, not a card of ten lines"
    assert table.bounding_box()["height"] < rows.count() * 80

    details = rows.nth(1).locator("details.unit-more")
    assert not details.locator("dl").is_visible()
    details.locator("summary").click()
    assert details.locator("dl").is_visible()
    assert "应报" in details.locator("dl").inner_text() and "退回修改" in details.locator("dl").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(_shot("leader-units-375.png")), full_page=True)
    assert browser.errors == []


def test_the_unit_ranking_at_desk_width_shows_every_column(browser, demo):
    page = sign_in(browser, "leader", demo, width=DESK)
    page.goto(f"{browser.base_url}/dashboard/")
    page.locator(".dash-tabs a", has_text="单位").click()
    page.wait_for_load_state()
    assert_accessible(page)
    headers = [h.inner_text().strip() for h in page.locator("table.ranking thead th").all() if h.is_visible()]
    assert headers == ["排名", "单位", "应报", "已报送", "按时报送", "已审核", "退回修改", "完成", "报送率",
                       "按时报送率"]
    assert not page.locator("table.ranking details.unit-more").first.is_visible()
    assert browser.errors == []


def _shot(name: str):
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


# --- liaisons --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("width", [PHONE, DESK])
def test_a_liaisons_todo_is_grouped_by_period_with_a_summary_and_filters(browser, demo, width):
    page = sign_in(browser, "liaison_sfj", demo, width=width)
    assert page.url.endswith("/reports/")
    visit(page, browser.base_url, "/reports/")
    summary = page.locator(".todo-summary").inner_text()
    for word in ("应报", "未开始", "草稿", "已报送", "退回修改", "已审核"):
        assert word in summary
    periods = page.locator("section.todo-period")
    assert periods.count() >= 1
    for n in range(periods.count()):
        assert "报送截止" in periods.nth(n).inner_text()
        assert periods.nth(n).locator("li.todo-row").count() >= 1
    if width == PHONE:
        page.screenshot(path=str(_shot("liaison-todo-375.png")), full_page=True)

    page.select_option("#id_state", "draft")
    page.click(".todo-filters button[type=submit]")
    page.wait_for_load_state()
    assert "state=draft" in page.url
    states = page.locator("li.todo-row .state").all_inner_texts()
    assert states and set(states) == {"草稿"}
    assert_accessible(page)
    no_sideways_scroll(page)
    assert browser.errors == []


@pytest.mark.parametrize("width", [PHONE, DESK])
def test_the_report_form_marks_required_fields_sets_100_for_completed_and_shows_errors_at_the_field(
        browser, demo, width):
    page = sign_in(browser, "liaison_sfj", demo, width=width)
    page.goto(f"{browser.base_url}/reports/?state=draft")
    page.locator("li.todo-row a.btn", has_text="继续填写").first.click()
    page.wait_for_url("**/edit/")
    no_sideways_scroll(page)
    assert_accessible(page)
    assert "*" in page.locator("#field-progress legend").inner_text()
    assert "*" in page.locator("label[for=id_percent]").inner_text()
    assert "报送时必填" in page.locator("label[for=id_measures]").inner_text()

    page.check("input[name=progress][value=in_progress]")
    page.fill("input[name=percent]", "40")
    page.check("input[name=progress][value=completed]")
    assert page.input_value("input[name=percent]") == "100"
    assert page.locator("input[name=percent]").evaluate("el => el.readOnly")
    assert page.locator("#id_percent_completed_note").is_visible()
    page.check("input[name=progress][value=in_progress]")
    assert page.input_value("input[name=percent]") == "40"

    page.fill("textarea[name=measures]", "")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "工作举措与成效" in summary.inner_text()
    field_error = page.locator("#field-measures .errorlist")
    assert field_error.is_visible() and "报送前请填写工作举措与成效" in field_error.inner_text()
    assert page.input_value("input[name=percent]") == "40"  # what was typed is kept
    summary.locator("a", has_text="工作举措与成效").click()
    assert page.evaluate("document.activeElement.name") == "measures"
    assert_accessible(page)
    if width == PHONE:
        page.screenshot(path=str(_shot("liaison-form-375.png")), full_page=True)
    assert browser.errors == []
