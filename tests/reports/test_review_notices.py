"""Coordinators hear about submitted reports as they chose: a notice per report (default), a daily digest, or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from reports import services
from reports.models import Notice, NoticePreference, ReviewNoticeChoice
from reports.notices import send_review_digest, set_review_notices
from tests.factories import UserFactory
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db


def _submit(world, obligation, liaison):
    return services.submit_report(report=fill(services.start_report(obligation=obligation, user=liaison), liaison),
                                  user=liaison)


def test_each_coordinator_gets_a_notice_when_a_report_is_submitted_and_when_it_comes_back(world):
    other = UserFactory(username="coordinator2", role=Role.COORDINATOR)
    report = _submit(world, world.a1, world.liaison_a)
    for user in (world.coordinator, other):
        (notice,) = Notice.objects.filter(user=user)
        assert notice.title == f"新报送待审核：(一)深化政务服务改革 · {world.unit_a.name}"
        assert notice.url == f"/reports/{report.pk}/"
    assert not Notice.objects.filter(user__in=[world.leader, world.liaison_b]).exists()

    report = services.return_report(report=report, user=world.coordinator, comment="请补充数据")
    services.submit_report(report=fill(report, world.liaison_a), user=world.liaison_a)
    latest = Notice.objects.filter(user=other).first()
    assert latest.title.startswith("重新报送待审核：(一)深化政务服务改革")
    assert "按退回意见修改" in latest.body


def test_a_coordinator_who_chose_the_digest_or_none_gets_no_notice_per_report(world):
    digest = UserFactory(username="digest", role=Role.COORDINATOR)
    silent = UserFactory(username="silent", role=Role.COORDINATOR)
    set_review_notices(user=digest, choice=ReviewNoticeChoice.DIGEST)
    set_review_notices(user=silent, choice=ReviewNoticeChoice.NONE)
    _submit(world, world.a1, world.liaison_a)
    assert Notice.objects.filter(user=world.coordinator).count() == 1
    assert not Notice.objects.filter(user__in=[digest, silent]).exists()


def test_the_digest_lists_what_arrived_since_the_last_one_and_never_sends_twice(world):
    digest = UserFactory(username="digest", role=Role.COORDINATOR)
    set_review_notices(user=digest, choice=ReviewNoticeChoice.DIGEST)
    _submit(world, world.a1, world.liaison_a)
    _submit(world, world.b1, world.liaison_b)
    later = timezone.now() + dt.timedelta(seconds=1)

    assert send_review_digest(now=later) == 1
    (notice,) = Notice.objects.filter(user=digest)
    assert notice.title == "审核汇总：新报送 2 份，重新报送 0 份（现共 2 份待审核）"
    assert notice.body.splitlines() == [f"(一)深化政务服务改革 · {world.unit_a.name}",
                                        f"(一)深化政务服务改革 · {world.unit_b.name}"]
    assert notice.url == "/reports/review/"
    assert send_review_digest(now=later + dt.timedelta(hours=1)) == 0  # nothing new: nothing sent
    assert Notice.objects.filter(user=digest).count() == 1
    assert not Notice.objects.filter(user=world.coordinator, title__startswith="审核汇总").exists()


def test_the_command_run_by_the_timer_sends_the_digest(world, capsys):
    digest = UserFactory(username="digest", role=Role.COORDINATOR)
    pref = set_review_notices(user=digest, choice=ReviewNoticeChoice.DIGEST)
    NoticePreference.objects.filter(pk=pref.pk).update(digest_sent_at=timezone.now() - dt.timedelta(days=1))
    _submit(world, world.a1, world.liaison_a)
    call_command("send_review_digest")
    assert "已发送 1 条审核汇总通知" in capsys.readouterr().out
    assert Notice.objects.filter(user=digest, title__startswith="审核汇总").count() == 1


def test_a_coordinator_sets_the_choice_on_the_notices_page(world, coordinator_client):
    html = coordinator_client.get("/reports/notices/").content.decode()
    assert "审核通知设置：每份报告报送时通知" in html
    response = coordinator_client.post("/reports/notices/settings/", {"review_notices": "digest"}, follow=True)
    assert "已保存：每个工作日早上汇总通知一次" in response.content.decode()
    assert NoticePreference.objects.get(user=world.coordinator).review_notices == ReviewNoticeChoice.DIGEST
    bad = coordinator_client.post("/reports/notices/settings/", {"review_notices": "hourly"}, follow=True)
    assert "请选择一种通知方式" in bad.content.decode()
    assert NoticePreference.objects.get(user=world.coordinator).review_notices == ReviewNoticeChoice.DIGEST


def test_only_coordinators_have_the_setting(world, liaison_a_client, leader_client):
    assert "审核通知设置" not in liaison_a_client.get("/reports/notices/").content.decode()
    assert leader_client.post("/reports/notices/settings/", {"review_notices": "none"}).status_code == 403
    assert not NoticePreference.objects.exists()


def test_the_reminders_timer_runs_the_digest():
    from pathlib import Path

    from django.conf import settings

    service = (Path(settings.BASE_DIR) / "deploy/systemd/fazhi-reminders.service").read_text()
    assert "manage.py send_review_digest" in service
