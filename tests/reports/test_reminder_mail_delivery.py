"""催办 mail leaves the request: on the worker when there is one, and a dead mail server loses nothing."""

from __future__ import annotations

import pytest
from django.core import mail
from django_q.models import OrmQ

from reports.models import Notice, Reminder
from tests.worker_support import run_queue_like_the_cluster


@pytest.fixture
def emails(world):
    world.liaison_b.email = "b@example.gov.cn"
    world.liaison_b.save()
    return world


def _chase_unit_b(client, world, capture):
    with capture(execute=True):
        return client.post("/reports/reminders/", {"target": str(world.unit_b.pk), "note": "请抓紧"}, follow=True)


def test_with_a_worker_the_click_queues_the_mail_and_the_worker_sends_it(emails, coordinator_client, settings,
                                                                        django_capture_on_commit_callbacks):
    settings.FAZHI_WORKER = "django-q2"
    response = _chase_unit_b(coordinator_client, emails, django_capture_on_commit_callbacks)
    assert "已向 1 个单位发送催办" in response.content.decode()
    assert mail.outbox == [] and OrmQ.objects.count() == 1  # nothing sent while the coordinator waited
    assert Notice.objects.filter(user=emails.liaison_b).count() == 1 and Reminder.objects.count() == 1

    assert run_queue_like_the_cluster() == 1
    assert [m.to for m in mail.outbox] == [["b@example.gov.cn"]]
    assert "附言：请抓紧" in mail.outbox[0].body and mail.outbox[0].subject.startswith("【催办】")


def test_a_mail_server_that_is_down_still_records_the_reminder_and_the_notices(emails, coordinator_client,
                                                                              settings, caplog,
                                                                              django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    response = _chase_unit_b(coordinator_client, emails, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and "已向 1 个单位发送催办" in response.content.decode()
    assert Reminder.objects.get().unit == emails.unit_b
    assert Notice.objects.filter(user=emails.liaison_b, title__startswith="【催办】").exists()
    assert "Sending reminder e-mail to b@example.gov.cn failed" in caplog.text
