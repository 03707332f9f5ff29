"""The audit log serves a body rendered once per newest entry, audit version, day and query (issue 15): a new
change or security event shows on the very next request, pruning removes rows at once, only coordinators see
it, the export form carries the visitor's own token and query, and the queries do not grow with the rows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.utils import timezone

from audit.cachekeys import audit_version
from audit.models import EventKind, SecurityEvent
from audit.services import prune_audit, record_event
from tasks import services
from tests.factories import UnitFactory
from tests.pages import page_queries as _queries

pytestmark = pytest.mark.django_db


def _html(client: Client, data: dict | None = None) -> str:
    response = client.get("/audit/", data or {})
    assert response.status_code == 200
    return response.content.decode()




def test_a_new_change_shows_on_the_next_request(coordinator_client, unit_a):
    assert "新成立的测试局" not in _html(coordinator_client)
    unit = services.create_unit(name="新成立的测试局")
    assert "新成立的测试局" in _html(coordinator_client)
    services.update_unit(unit=unit, name="改名后的测试局", short_name="", kind=unit.kind, order=unit.order,
                         is_active=True)
    html = _html(coordinator_client)
    assert "新成立的测试局 → 改名后的测试局" in html or "改名后的测试局" in html


def test_a_new_security_event_shows_on_the_next_request(coordinator_client):
    query = {"source": "security"}
    assert "第一次拒绝访问" not in _html(coordinator_client, query)
    record_event(kind=EventKind.DENIED, username="someone", detail="第一次拒绝访问")
    assert "第一次拒绝访问" in _html(coordinator_client, query)
    record_event(kind=EventKind.LOGIN_FAILED, username="guess", detail="第二次登录失败")
    assert "第二次登录失败" in _html(coordinator_client, query)


def test_an_entry_that_does_not_move_the_newest_id_still_shows(coordinator_client):
    """An entry committed after a younger one (ids are taken at insert) is caught by the version bump."""
    first = UnitFactory(name="先提交的单位")
    entry = LogEntry.objects.get(object_repr=first.name)
    html = _html(coordinator_client)
    assert "先提交的单位" in html
    late = LogEntry.objects.get(pk=entry.pk)
    late.pk, late.object_repr = entry.pk - 1000, "晚提交的单位"
    late.save()  # an older id than the newest: the newest id does not move, the version does
    assert "晚提交的单位" in _html(coordinator_client)


def test_pruned_entries_leave_the_all_time_search_at_once(coordinator_client, settings):
    old = UnitFactory(name="一年前的单位")
    LogEntry.objects.filter(object_repr=old.name).update(timestamp=timezone.now() - dt.timedelta(days=400))
    query = {"source": "changes", "date_from": ""}
    version = audit_version()
    assert "一年前的单位" in _html(coordinator_client, query)
    prune_audit(retention_days=settings.FAZHI_AUDIT_MIN_RETENTION_DAYS)
    assert audit_version() != version
    assert "一年前的单位" not in _html(coordinator_client, query)


def test_the_default_view_moves_with_the_day(coordinator_client, monkeypatch):
    unit = UnitFactory(name="二十九天前的单位")
    LogEntry.objects.filter(object_repr=unit.name).update(timestamp=timezone.now() - dt.timedelta(days=29))
    assert "二十九天前的单位" in _html(coordinator_client)
    later = timezone.localdate() + dt.timedelta(days=5)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert "二十九天前的单位" not in _html(coordinator_client)


def test_only_coordinators_see_the_log(leader_client, liaison_a_client, coordinator_client):
    assert coordinator_client.get("/audit/").status_code == 200  # cached now
    assert leader_client.get("/audit/").status_code == 403
    assert liaison_a_client.get("/audit/").status_code == 403


def test_the_export_form_carries_each_visitors_token_and_query(coordinator, coordinator_client):
    other = Client(enforce_csrf_checks=True)
    other.force_login(coordinator)
    mine = _html(coordinator_client, {"source": "changes", "q": "测试"})
    theirs = other.get("/audit/", {"source": "changes", "q": "测试", "user": ""}).content.decode()
    token = re.search(r'action="(/exports/[^"]*)"[^>]*><input type="hidden" name="csrfmiddlewaretoken" '
                      r'value="([^"]+)"', theirs)
    assert token, "export form missing"
    assert "user=" in token.group(1) and "user=" not in re.search(r'action="(/exports/[^"]*)"', mine).group(1)
    assert other.cookies["csrftoken"]  # the token belongs to this visitor's cookie: the export posts
    response = other.post(token.group(1).replace("&amp;", "&"), {"csrfmiddlewaretoken": token.group(2)})
    assert response.status_code in (200, 302)


def test_an_invalid_query_shows_its_errors_and_no_export(coordinator_client):
    html = _html(coordinator_client, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "截止日期不能早于起始日期" in html and "导出当前查询结果" not in html
    assert "导出当前查询结果" in _html(coordinator_client, {"date_from": "2026-04-01"})


def test_the_log_runs_the_same_queries_at_1_and_50_entries_and_fewer_warm(coordinator_client):
    def queries(n: int, *, cold: bool = True) -> int:
        LogEntry.objects.all().delete()
        SecurityEvent.objects.all().delete()
        for k in range(n):
            UnitFactory(name=f"单位{n}-{k}")
            record_event(kind=EventKind.DENIED, username=f"u{k}")
        return (_queries(coordinator_client, "/audit/", cold=cold),
                _queries(coordinator_client, "/audit/?source=security", cold=cold))

    one, fifty = queries(1), queries(50)
    warm = (_queries(coordinator_client, "/audit/", cold=False),
            _queries(coordinator_client, "/audit/?source=security", cold=False))
    assert one == fifty
    assert warm[0] < fifty[0] and warm[1] < fifty[1]


def test_a_date_beyond_the_calendar_is_refused_in_chinese_on_the_page_and_for_the_export(coordinator_client):
    from exports.models import ExportJob

    response = coordinator_client.get("/audit/", {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "“截止日期”须在 2000-01-01 至 2099-12-31 之间。" in response.content.decode()
    jobs = ExportJob.objects.count()
    exported = coordinator_client.post("/exports/audit/?date_to=9999-12-31")
    assert exported.status_code == 302 and ExportJob.objects.count() == jobs
