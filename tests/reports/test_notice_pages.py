"""Notices come newest first, 50 a page, with every older one reachable; the page's queries do not grow."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.inbox import notify
from reports.models import Notice


def _make(user, n: int) -> None:
    for i in range(n):  # through the service, as production writes them (it keeps the badge's cached count)
        notify(users=[user], title=f"通知{i:03d}")


def test_older_notices_are_on_the_next_pages(liaison_a, liaison_a_client):
    _make(liaison_a, 120)
    ordered = list(Notice.objects.filter(user=liaison_a).values_list("title", flat=True))  # newest first
    first = liaison_a_client.get("/reports/notices/").content.decode()
    assert ordered[0] in first and ordered[49] in first and ordered[50] not in first
    assert "第 1 页" in first and "?page=2" in first and "较新的通知" not in first
    last = liaison_a_client.get("/reports/notices/", {"page": 3}).content.decode()
    assert ordered[-1] in last and "较新的通知" in last and "更早的通知" not in last


def test_a_page_past_the_end_shows_the_last_page(liaison_a, liaison_a_client):
    _make(liaison_a, 3)
    html = liaison_a_client.get("/reports/notices/", {"page": "99"}).content.decode()
    assert "通知000" in html and "分页" not in html


def test_the_notice_page_runs_the_same_queries_at_1_and_50_notices(liaison_a, liaison_a_client):
    def queries() -> int:
        liaison_a_client.get("/reports/notices/")  # the signed-in user and the badge count are cached after this
        with CaptureQueriesContext(connection) as ctx:
            liaison_a_client.get("/reports/notices/")
        return len(ctx.captured_queries)

    _make(liaison_a, 1)
    one = queries()
    _make(liaison_a, 49)
    assert queries() == one
