"""What a new user missed on the demo: the phone's 菜单 button carries the badges' total, unread notices stand
out and come first, a review card shows the whole report with its evidence, and /favicon.ico is answered."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.navigation import NavLink, NavLinks
from reports import services
from reports.inbox import mark_read, notify
from reports.models import Notice
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _menu_button(html: str) -> str:
    return re.search(r'<button type="button" class="nav-toggle".*?</button>', html, re.S).group(0)


# --- 1. the phone's menu button --------------------------------------------------------------------------

def test_the_menu_button_shows_the_total_of_the_badges_with_a_spoken_label(world, coordinator, coordinator_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    Notice.objects.filter(user=coordinator).delete()
    notify(users=[coordinator], title="甲")
    notify(users=[coordinator], title="乙")
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        html = coordinator_client.get("/plans/").content.decode()
    button = _menu_button(html)
    assert '<span class="badge" aria-hidden="true">3</span>' in button
    assert "，1 份报告待审核，2 条未读通知" in button
    # The total reuses the nav's two counts: each is read once, not again for the button.
    sqls = [q["sql"] for q in ctx.captured_queries]
    assert sum('"reports_notice"' in s and "COUNT" in s.upper() for s in sqls) == 1
    assert sum('"reports_report"' in s and "LIMIT 100" in s for s in sqls) == 1


def test_the_menu_button_has_no_badge_when_nothing_waits(liaison_a, liaison_a_client):
    Notice.objects.filter(user=liaison_a).delete()
    cache.clear()
    button = _menu_button(liaison_a_client.get("/plans/").content.decode())
    assert "badge" not in button and "☰" in button


def test_a_capped_review_badge_keeps_its_plus_in_the_total():
    links = NavLinks([NavLink("审核", "/r/", False, "99+", "份报告待审核"),
                      NavLink("通知", "/n/", False, "4", "条未读通知"), NavLink("驾驶舱", "/d/", True, "", "")])
    assert links.badge_total == "103+"
    assert links.badge_total_label == "99+ 份报告待审核，4 条未读通知"


# --- 2. the notices page ---------------------------------------------------------------------------------

def test_unread_notices_come_first_marked_and_read_ones_plain(liaison_a, liaison_a_client):
    Notice.objects.filter(user=liaison_a).delete()
    old_unread = notify(users=[liaison_a], title="较早的未读通知")[0]
    read = notify(users=[liaison_a], title="最新但已读的通知")[0]
    mark_read(notice=Notice.objects.get(pk=read.pk))
    html = liaison_a_client.get("/reports/notices/").content.decode()
    assert html.index("较早的未读通知") < html.index("最新但已读的通知")
    assert "未读 1 条，排在最前" in html
    cards = re.findall(r'<div class="card notice( unread)?">(.*?)</div>', html, re.S)
    assert [(bool(u), "未读</span>" in body) for u, body in cards] == [(True, True), (False, False)]
    assert old_unread.title in cards[0][1]


def test_read_notices_keep_newest_first_after_the_unread(liaison_a, liaison_a_client):
    Notice.objects.filter(user=liaison_a).delete()
    for title in ("一", "二", "三"):
        notify(users=[liaison_a], title=f"通知{title}")
    mark_read(notice=Notice.objects.get(user=liaison_a, title="通知二"))
    html = liaison_a_client.get("/reports/notices/").content.decode()
    assert html.index("通知三") < html.index("通知一") < html.index("通知二")


# --- 3. the review card ----------------------------------------------------------------------------------

def test_a_review_card_shows_problems_next_steps_and_the_evidence_as_links(world, coordinator_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
                  problems="基层执法力量不足。", next_steps="下半年开展专项培训。")
    pdf = services.add_attachment(report=report, upload=SimpleUploadedFile("会议纪要.pdf", PDF),
                                  kind="application/pdf", user=world.liaison_a)
    sheet = services.add_attachment(report=report, upload=SimpleUploadedFile("台账.xlsx", b"PK\x03\x04"),
                                    kind="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                    user=world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    bare = fill(services.start_report(obligation=world.b1, user=world.liaison_b), world.liaison_b)
    services.submit_report(report=bare, user=world.liaison_b)

    html = coordinator_client.get("/reports/review/").content.decode()
    cards = html.split('class="card review-item"')[1:]
    card = next(c for c in cards if "基层执法力量不足" in c)
    assert "存在问题" in card and "下一步计划" in card and "下半年开展专项培训。" in card
    assert f'href="/reports/attachments/{pdf.pk}/view/"' in card and "会议纪要.pdf</a>" in card
    assert f'href="/reports/attachments/{sheet.pk}/"' in card and "台账.xlsx</a>" in card
    assert "佐证材料 2 个" in card
    # A report without problems, next steps or files shows none of those headings.
    other = next(c for c in cards if world.unit_b.name in c)
    assert "存在问题" not in other and "下一步计划" not in other and "佐证材料" not in other
    # The reviewer may open what the card links to.
    assert coordinator_client.get(f"/reports/attachments/{pdf.pk}/view/").status_code == 200


# --- 4. the favicon --------------------------------------------------------------------------------------

def test_favicon_ico_redirects_anyone_to_the_sites_icon():
    client = Client()
    for method in (client.get, client.head):
        response = method("/favicon.ico")
        assert response.status_code == 301 and response["Location"].endswith("/favicon.svg")


def test_public_pages_name_the_sites_icon():
    html = Client().get("/public/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg"' in html
