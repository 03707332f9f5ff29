"""The audit trail: data changes with old → new, actor and address; security events; search, export, retention."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import EventKind, SecurityEvent
from audit.services import prune_audit
from fazhi import xlsx
from tasks.models import Unit
from tests.factories import TEST_PASSWORD, PlanFactory, UnitFactory, UnitGroupFactory, UserFactory


def test_login_logout_and_failed_login_are_recorded_with_address(client, liaison_a):
    client.post("/accounts/login/", {"username": "liaison_a", "password": "wrong"}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/login/", {"username": "liaison_a", "password": TEST_PASSWORD}, REMOTE_ADDR="10.1.2.3")
    client.post("/accounts/logout/", REMOTE_ADDR="10.1.2.3")
    kinds = list(SecurityEvent.objects.order_by("at", "id").values_list("kind", "username", "ip_address"))
    assert kinds == [
        (EventKind.LOGIN_FAILED, "liaison_a", "10.1.2.3"),
        (EventKind.LOGIN, "liaison_a", "10.1.2.3"),
        (EventKind.LOGOUT, "liaison_a", "10.1.2.3"),
    ]


def test_every_authorisation_denial_is_recorded(liaison_a_client, liaison_a):
    assert liaison_a_client.get("/accounts/users/").status_code == 403
    event = SecurityEvent.objects.get(kind=EventKind.DENIED)
    assert event.user == liaison_a and event.path == "/accounts/users/" and "法治办" in event.detail


def test_a_404_from_an_object_lookup_is_recorded_but_an_unknown_url_is_not(coordinator_client):
    assert coordinator_client.get("/accounts/users/999999/edit/").status_code == 404
    assert coordinator_client.get("/no-such-page/").status_code == 404
    events = SecurityEvent.objects.filter(kind=EventKind.NOT_FOUND)
    assert [e.path for e in events] == ["/accounts/users/999999/edit/"]


def test_changes_record_old_and_new_values_actor_and_address(coordinator_client, coordinator, liaison_a, unit_b):
    data = {"username": "liaison_a", "last_name": "张", "first_name": "联络", "role": "liaison",
            "unit": unit_b.pk, "phone": "123", "email": ""}
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/edit/", data, REMOTE_ADDR="10.8.8.8")
    entry = LogEntry.objects.get_for_object(liaison_a).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == coordinator and entry.remote_addr == "10.8.8.8"
    assert entry.changes_dict["phone"] == ["", "123"]
    assert "password" not in entry.changes_dict


def test_a_forged_forwarded_for_header_does_not_change_the_recorded_address(coordinator_client, liaison_a):
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0"},
                            REMOTE_ADDR="10.8.8.8", HTTP_X_FORWARDED_FOR="1.1.1.1")
    entry = LogEntry.objects.get_for_object(liaison_a).latest("timestamp")
    assert entry.remote_addr == "10.8.8.8"


def test_with_one_trusted_proxy_the_address_nginx_appended_is_used(coordinator_client, liaison_a, settings):
    settings.FAZHI_PROXY_COUNT = 1
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/active/", {"active": "0"},
                            REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.20.30.40")
    assert LogEntry.objects.get_for_object(liaison_a).latest("timestamp").remote_addr == "10.20.30.40"


def test_plans_units_and_group_membership_are_audited(db):
    plan = PlanFactory(title="2026年测试工作要点")
    unit = UnitFactory(name="测试市审计局")
    group = UnitGroupFactory(name="各审计单位")
    group.members.add(unit)
    unit.name = "测试市审计局（新）"
    unit.save()
    Unit.objects.filter(pk=unit.pk)  # no-op read
    assert LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.CREATE).exists()
    update = LogEntry.objects.get_for_object(unit).filter(action=LogEntry.Action.UPDATE).get()
    assert update.changes_dict["name"] == ["测试市审计局", "测试市审计局（新）"]
    m2m = [e.changes_dict.get("members") for e in LogEntry.objects.get_for_object(group)]
    assert any(c and c.get("operation") == "add" and "测试市审计局" in c.get("objects", []) for c in m2m), m2m


def test_coordinators_search_the_logs_by_user_action_and_text(coordinator_client, liaison_a_client, liaison_a):
    liaison_a_client.get("/accounts/users/")  # a denial
    UnitFactory(name="测试市统计局")
    page = coordinator_client.get("/audit/", {"source": "changes", "q": "统计局", "action": "0"}).content.decode()
    assert "测试市统计局" in page and "新增" in page
    security = coordinator_client.get("/audit/", {"source": "security", "user": "liaison_a",
                                                  "action": EventKind.DENIED}).content.decode()
    assert "越权访问被拒绝" in security and "/accounts/users/" in security
    none = coordinator_client.get("/audit/", {"source": "security", "user": "nobody"}).content.decode()
    assert "没有符合条件的记录" in none


def test_date_range_filters_and_a_reversed_range_is_a_form_error(coordinator_client, db):
    SecurityEvent.objects.create(kind=EventKind.LOGIN, username="early")
    SecurityEvent.objects.filter(username="early").update(at=timezone.now() - dt.timedelta(days=40))
    SecurityEvent.objects.create(kind=EventKind.LOGIN, username="recent")
    since = (timezone.localdate() - dt.timedelta(days=5)).isoformat()
    page = coordinator_client.get("/audit/", {"source": "security", "date_from": since}).content.decode()
    assert "recent" in page and "early" not in page
    bad = coordinator_client.get("/audit/", {"source": "security", "date_from": "2026-05-01",
                                             "date_to": "2026-04-01"}).content.decode()
    assert "截止日期不能早于起始日期" in bad


def test_the_export_is_an_xlsx_with_the_filtered_rows(coordinator_client, db, fetch_export):
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, username="=cmd|'/c calc'!A1", detail="x")
    SecurityEvent.objects.create(kind=EventKind.LOGIN, username="someone-else", detail="y")
    page = coordinator_client.get("/audit/", {"source": "security", "action": "login_failed"}).content.decode()
    assert 'action="/exports/audit/?source=security&amp;action=login_failed"' in page
    response = fetch_export(coordinator_client, "/exports/audit/?source=security&action=login_failed")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.getvalue()
    rows = list(load_workbook(BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("时间", "事件", "用户名")
    # The recorded name reads back exactly as typed, and as text: no cell of the file is a formula.
    assert [(r[1], r[2]) for r in rows[1:]] == [("登录失败", "=cmd|'/c calc'!A1")]
    assert xlsx.formula_cells(data) == []


def test_an_invalid_filter_exports_nothing_and_says_why(coordinator_client, coordinator):
    response = coordinator_client.post("/exports/audit/?date_from=2026-05-01&date_to=2026-04-01", follow=True)
    assert "筛选条件有误" in response.content.decode()
    assert not coordinator.export_jobs.exists()


@pytest.mark.parametrize("persona", ["liaison_a_client", "leader_client"])
def test_only_coordinators_see_the_audit_log(request, persona):
    client: Client = request.getfixturevalue(persona)
    assert client.get("/audit/").status_code == 403
    assert client.post("/exports/audit/").status_code == 403


def test_the_audit_screen_runs_the_same_number_of_queries_at_1_and_50_rows(coordinator_client, coordinator,
                                                                          django_assert_num_queries):
    def count(n: int) -> int:
        LogEntry.objects.all().delete()
        for _ in range(n):
            UnitFactory()
        assert LogEntry.objects.count() == n
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert coordinator_client.get("/audit/", {"source": "changes"}).status_code == 200
        return len(ctx.captured_queries)

    count(1)  # warm the content-type cache the filter form uses
    assert count(1) == count(50)


def test_audit_records_cannot_be_changed_or_deleted_in_the_admin(db):
    from django.contrib import admin
    from django.test import RequestFactory

    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    event = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="x")
    event_admin = admin.site._registry[SecurityEvent]
    assert not event_admin.has_change_permission(request, event)
    assert not event_admin.has_delete_permission(request, event)
    assert not event_admin.has_add_permission(request)
    entry_admin = admin.site._registry[LogEntry]
    assert not entry_admin.has_change_permission(request) and not entry_admin.has_add_permission(request)


def test_pruning_keeps_the_retention_period_and_refuses_less_than_184_days(db):
    old = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="old")
    SecurityEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=400))
    kept = SecurityEvent.objects.create(kind=EventKind.LOGIN, username="kept")
    SecurityEvent.objects.filter(pk=kept.pk).update(at=timezone.now() - dt.timedelta(days=200))
    with pytest.raises(ValueError):
        prune_audit(retention_days=100)
    call_command("prune_audit")
    assert list(SecurityEvent.objects.values_list("username", flat=True)) == ["kept"]


def test_every_listed_model_that_exists_is_registered_with_auditlog():
    from auditlog.registry import auditlog
    from django.apps import apps

    from audit.apps import AUDITED_MODELS

    present = []
    for label in AUDITED_MODELS:
        try:
            present.append(apps.get_model(label))
        except LookupError:
            continue
    assert len(present) >= 14
    assert all(auditlog.contains(model) for model in present)


def test_changed_values_read_in_chinese_not_as_python_words(coordinator_client, coordinator, liaison_a, unit_b):
    from accounts import services as accounts_services
    from audit.queries import change_lines

    data = {"username": "liaison_a", "last_name": "张", "first_name": "联络", "role": "liaison",
            "unit": unit_b.pk, "phone": "123", "email": ""}
    coordinator_client.post(f"/accounts/users/{liaison_a.pk}/edit/", data)
    accounts_services.set_user_active(actor=coordinator, user=liaison_a, active=False)
    entries = LogEntry.objects.get_for_object(liaison_a).filter(action=LogEntry.Action.UPDATE)
    lines = [line for entry in entries for line in change_lines(entry)]
    assert any(line.endswith("（空） → 123") for line in lines)
    assert any(line.endswith("是 → 否") for line in lines)
    assert not any("None" in line or "True" in line or "False" in line for line in lines)
