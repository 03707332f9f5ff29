"""催办: one message per liaison listing their open items, every reminder recorded, scheduled runs idempotent."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from reports import reminders, services
from reports.models import Notice, Reminder, ReminderKind
from tests.factories import UserFactory
from tests.reports.conftest import fill

DUE = dt.date(2026, 7, 10)


@pytest.fixture
def emails(world):
    world.liaison_a.email = "a@example.gov.cn"
    world.liaison_a.save()
    world.liaison_b.email = "b@example.gov.cn"
    world.liaison_b.save()
    return world


def test_a_manual_reminder_to_one_unit_sends_one_message_per_liaison_listing_all_its_open_items(
        emails, django_capture_on_commit_callbacks):
    world = emails
    colleague = UserFactory(username="liaison_a2", role="liaison", unit=world.unit_a, email="a2@example.gov.cn")
    with django_capture_on_commit_callbacks(execute=True):
        records = reminders.remind_unit(unit=world.unit_a, user=world.coordinator, note="请于本周内报送",
                                        today=DUE + dt.timedelta(days=2))
    assert sorted(m.to[0] for m in mail.outbox) == ["a2@example.gov.cn", "a@example.gov.cn"]
    body = mail.outbox[0].body
    for expected in ("深化政务服务改革", "规范行政执法行为", "已逾期 2 天", "请于本周内报送"):
        assert expected in body
    assert Notice.objects.filter(user=world.liaison_a).count() == 1
    assert Notice.objects.filter(user=colleague).count() == 1
    assert not Notice.objects.filter(user=world.liaison_b).exists()
    (record,) = records
    assert record.kind == ReminderKind.MANUAL and record.sent_by == world.coordinator
    assert set(record.obligations.all()) == {world.a1, world.a2}
    assert "a@example.gov.cn" in record.recipients


def test_reminding_all_overdue_units_skips_units_that_have_filed(emails, django_capture_on_commit_callbacks):
    world = emails
    for ob in (world.a1, world.a2):
        services.submit_report(report=fill(services.start_report(obligation=ob, user=world.liaison_a),
                                           world.liaison_a), user=world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.remind_overdue_units(user=world.coordinator, today=DUE + dt.timedelta(days=1))
    assert [m.to for m in mail.outbox] == [["b@example.gov.cn"]]
    assert list(Reminder.objects.values_list("unit", flat=True)) == [world.unit_b.id]


def test_nothing_overdue_means_nothing_sent(emails):
    with pytest.raises(services.ReportError, match="没有逾期"):
        reminders.remind_overdue_units(user=emails.coordinator, today=DUE)
    assert Reminder.objects.count() == 0


def test_the_coordinator_chases_from_the_page(emails, coordinator_client, django_capture_on_commit_callbacks):
    world = emails
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post("/reports/reminders/", {"target": str(world.unit_b.pk), "note": ""},
                                           follow=True)
    html = response.content.decode()
    assert "已向 1 个单位发送催办" in html and world.unit_b.name in html
    assert [m.to for m in mail.outbox] == [["b@example.gov.cn"]]


def test_liaisons_cannot_chase(emails, liaison_a_client):
    assert liaison_a_client.post("/reports/reminders/", {"target": "overdue"}).status_code == 403
    assert Reminder.objects.count() == 0


def test_scheduled_reminders_go_n_days_before_and_only_once(emails, settings, django_capture_on_commit_callbacks):
    settings.FAZHI_REMIND_DAYS_BEFORE = 3
    assert reminders.send_scheduled_reminders(today=DUE - dt.timedelta(days=4)) == []
    with django_capture_on_commit_callbacks(execute=True):
        planned = reminders.send_scheduled_reminders(today=DUE - dt.timedelta(days=3))
    assert {p.unit for p in planned} == {emails.unit_a, emails.unit_b}
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.send_scheduled_reminders(today=DUE - dt.timedelta(days=3))
        next_day = reminders.send_scheduled_reminders(today=DUE - dt.timedelta(days=2))
    assert again == [] and next_day == [] and len(mail.outbox) == 2
    assert set(Reminder.objects.values_list("kind", flat=True)) == {ReminderKind.BEFORE_DUE}


def test_overdue_reminders_are_not_repeated_on_the_same_day(emails, settings, django_capture_on_commit_callbacks):
    settings.FAZHI_REMIND_OVERDUE_EVERY_DAYS = 1
    day = DUE + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        reminders.send_scheduled_reminders(today=day)
        reminders.send_scheduled_reminders(today=day)
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(kind=ReminderKind.OVERDUE).count() == 2
    # one unit's message covers both of its items
    unit_a_reminder = Reminder.objects.get(unit=emails.unit_a)
    assert unit_a_reminder.obligations.count() == 2


def test_units_that_filed_are_not_reminded(emails):
    world = emails
    services.submit_report(report=fill(services.start_report(obligation=world.b1, user=world.liaison_b),
                                       world.liaison_b), user=world.liaison_b)
    planned = reminders.send_scheduled_reminders(today=DUE, dry_run=True)
    assert [p.unit for p in planned] == [world.unit_a]


def test_the_command_dry_run_lists_without_sending(emails, settings):
    settings.FAZHI_REMIND_DAYS_BEFORE = 400  # "today" is before the due date in any case
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "将发送" in out.getvalue() and emails.unit_a.name in out.getvalue()
    assert Reminder.objects.count() == 0 and mail.outbox == []


def test_the_command_sends_and_records(emails, settings):
    settings.FAZHI_REMIND_DAYS_BEFORE = 400
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "已发送 2 个单位" in out.getvalue()
    assert Reminder.objects.filter(sent_by__isnull=True, annual_year__isnull=True).count() == 2
    # 1 March 2027 is within 400 days too: the units' own year-end reports are chased by the same run
    assert Reminder.objects.filter(sent_by__isnull=True, annual_year=2026).count() == 2
    assert "已发送 2 个单位的年度报告提醒" in out.getvalue()


def test_a_mail_server_that_is_down_does_not_break_the_reminder(emails, settings, coordinator_client,
                                                                django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.reports.test_reminders.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post("/reports/reminders/", {"target": str(emails.unit_b.pk)})
    assert response.status_code == 302
    assert Reminder.objects.filter(unit=emails.unit_b).exists()
    assert Notice.objects.filter(user=emails.liaison_b).exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
