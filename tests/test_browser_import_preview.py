"""In a real browser: the import preview's decisions (issue #12).

Names handled with 新建/对应 show as settled after 保存修改; a unit group is created from the preview;
text the parser could not place becomes an item or a chapter; a first plan in an empty registry creates
all remaining names as units of one kind at once. Needs Playwright and the Debian chromium.
"""

from pathlib import Path

import pytest

from accounts.models import Role
from tasks.models import DocumentImport, Plan, Unit, UnitGroup, UnitKind, WorkItem
from tests.factories import TEST_PASSWORD, UnitFactory, UserFactory

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed"),
]

DOCUMENT = """2026年测试县法治政府建设工作要点
一、加强制度建设
（一）健全规章制度。定期清理规章。（牵头单位：测试县司法局；责任单位：各乡镇人民政府）
另行组织开展规范性文件专项清理。（牵头单位：测试县审计局）
（二）规范文件备案。做到有件必备。（牵头单位：测试县司法局）
强化执法监督
（三）开展案卷评查。每年评查一次。（牵头单位：测试县司法局；责任单位：测试县财政局）
"""


@pytest.fixture(scope="session", autouse=True)
def _media_url_for_live_server():
    from django.test import override_settings

    with override_settings(MEDIA_URL="/_media-not-served/"):
        yield


@pytest.fixture(params=[1280, 375], ids=["desktop", "phone"])
def page(request, live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        page = browser.new_page(viewport={"width": request.param, "height": 900})
        page.width = request.param
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.on("console", lambda msg: page.errors.append(msg.text)
                if msg.type == "error" and "favicon" not in msg.text and "404" not in msg.text else None)
        yield page
        browser.close()


def _log_in_and_paste(page, live_server) -> None:
    UserFactory(username="coordinator", role=Role.COORDINATOR)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "coordinator")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/plans/import/")
    page.fill("#id_text", DOCUMENT)
    page.click("button[type=submit].primary")
    page.wait_for_url("**/plans/import/*/")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"import-preview-{name}-{page.width}.png"), full_page=True)


def _save(page) -> None:
    page.click("button[name=save]")
    page.wait_for_load_state()


def test_unplaced_text_becomes_an_item_or_a_chapter(transactional_db, live_server, page):
    _log_in_and_paste(page, live_server)
    orphans = page.locator("section.orphan:has(button)")
    assert orphans.count() == 2
    assert "另行组织开展规范性文件专项清理" in orphans.nth(0).inner_text()
    _shot(page, "orphans")

    orphans.nth(0).locator("button", has_text="设为工作任务").click()
    page.wait_for_load_state()
    assert "已将第" in page.inner_text(".messages, body")
    rows = page.locator("section.import-row:not(.orphan)")
    assert rows.count() == 4
    assert "另行组织开展规范性文件专项清理" in rows.nth(1).inner_text()
    assert "测试县审计局" in rows.nth(1).locator(".units").inner_text()

    page.locator("section.orphan:has(button)").first.locator("button", has_text="首行设为章节").click()
    page.wait_for_load_state()
    assert page.locator("section.orphan:has(button)").count() == 0
    draft = DocumentImport.objects.get().data
    assert [c["title"] for c in draft["chapters"]] == ["加强制度建设", "强化执法监督"]
    assert [(i["title"], i["chapter"]) for i in draft["items"]] == [
        ("健全规章制度", "一"), ("另行组织开展规范性文件专项清理", "一"), ("规范文件备案", "一"),
        ("开展案卷评查", "二")]
    assert [i["seq"] for i in draft["items"]] == [1, 2, 3, 4]
    assert page.errors == []


def test_names_are_decided_in_bulk_and_as_a_group_and_show_as_settled(transactional_db, live_server, page):
    towns = [UnitFactory(name="测试县甲镇人民政府", kind=UnitKind.TOWN),
             UnitFactory(name="测试县乙镇人民政府", kind=UnitKind.TOWN)]
    _log_in_and_paste(page, live_server)
    assert page.locator("#unresolved tr.undecided").count() == 3

    # 各乡镇人民政府 is a collective name: a new group of the two towns.
    row = page.locator("#unresolved tr", has_text="各乡镇人民政府")
    row.locator("select[name$=action]").select_option("new_group")
    members = row.locator("select[name$=members]")
    members.select_option([str(t.pk) for t in towns])
    # The sticky action bar keeps clear of a focused member list (scroll padding of the bar's height).
    page.evaluate("window.scrollTo(0, 0)")
    members.focus()
    box, bar = members.bounding_box(), page.locator(".sticky-actions").bounding_box()
    assert box["y"] + box["height"] <= bar["y"] + 1
    _save(page)
    assert page.locator("#unresolved tr.decided").count() == 1
    group_tags = page.locator(".units .tag.decided-name", has_text="各乡镇人民政府")
    assert group_tags.count() == 1
    item_text = page.locator("#item-0").inner_text()
    assert "单位“各乡镇人民政府”不在单位库中" not in item_text and "单位“测试县司法局”不在单位库中" in item_text

    # The rest (two departments) in one go, as government departments.
    page.select_option("select[name=bulk_kind]", UnitKind.GOVERNMENT)
    page.click("button[name=bulk_create]")
    page.wait_for_load_state()
    assert page.locator("#unresolved tr.undecided").count() == 0
    assert page.locator("#unresolved tr.decided").count() == 3
    assert page.locator(".units .tag.unresolved-name").count() == 0
    assert "将新建为单位（" in page.locator("#unresolved").inner_text()
    _shot(page, "decided")

    page.click("button[name=confirm]")
    page.wait_for_url("**/plans/*/")
    plan = Plan.objects.get()
    assert set(Unit.objects.filter(kind=UnitKind.GOVERNMENT).values_list("name", flat=True)) == {
        "测试县司法局", "测试县财政局"}
    group = UnitGroup.objects.get(name="各乡镇人民政府")
    assert set(group.members.all()) == set(towns)
    item = WorkItem.objects.get(plan=plan, title="健全规章制度")
    assert set(item.duties.values_list("unit__name", flat=True)) == {
        "测试县司法局", "测试县甲镇人民政府", "测试县乙镇人民政府"}
    assert page.errors == []
