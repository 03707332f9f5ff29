"""A unit's year-end report with items still 【待补充】: the liaison sees how many and must confirm to send it,
the coordinator sees the same count beside 审核通过; the hint about the required parts shows only while one
is empty; the coordinators hear of every (re)submission as they chose (each, digest, none), after commit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from reports import services_annual
from reports.models import AnnualReportDraft, Notice, ReportState, ReviewNoticeChoice
from reports.notices import send_review_digest, set_review_notices
from tests.factories import UserFactory
from tests.reports.test_annual_document import file

PARTS = {"title": "", "intro": "", "leadership": "局长带头学法。", "problems": "一是队伍不足。",
         "next_year": "一是深化改革。"}
HINT = "请先填写并保存下方必填部分"


def url(world, suffix=""):
    return f"/reports/annual/{world.unit_a.pk}/2026/{suffix}"


def draft_of(world) -> AnnualReportDraft | None:
    return AnnualReportDraft.objects.filter(unit=world.unit_a, year=2026).first()


def saved(world):
    return services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                              expected_version=None)


# ---------------------------------------------------------------------------------------------
# The liaison: the count, the confirmation, the hint


def test_the_liaison_sees_how_many_items_are_still_gaps_next_to_submit(world, liaison_a_client):
    # unit A owes two items and has an approved report on neither: both are 【待补充】
    saved(world)
    page = liaison_a_client.get(url(world)).content.decode()
    assert "2 项仍为【待补充】" in page
    assert 'name="confirm_gaps"' in page and "仍有 2 项待补充，确认报送" in page


def test_submitting_with_gaps_unconfirmed_is_refused_in_chinese_and_changes_nothing(world, liaison_a_client):
    saved(world)
    page = liaison_a_client.post(url(world, "submit/"), follow=True).content.decode()
    assert "仍有 2 项为【待补充】" in page and "确认报送" in page
    draft = draft_of(world)
    assert draft.state == ReportState.DRAFT and not draft.events.exists()
    assert not Notice.objects.filter(user=world.coordinator).exists()


def test_submitting_with_gaps_confirmed_sends_it(world, liaison_a_client, django_capture_on_commit_callbacks):
    saved(world)
    with django_capture_on_commit_callbacks(execute=True):
        page = liaison_a_client.post(url(world, "submit/"), {"confirm_gaps": "on"}, follow=True).content.decode()
    assert "已报送2026年度报告" in page
    assert draft_of(world).state == ReportState.SUBMITTED
    assert Notice.objects.filter(user=world.coordinator, title__startswith="新报送待审核：2026年度").exists()


def test_with_every_item_approved_there_is_nothing_to_confirm(world, liaison_a_client):
    file(world, world.a1, world.liaison_a, measures="第一项已审核。")
    file(world, world.a2, world.liaison_a, measures="第二项已审核。")
    saved(world)
    page = liaison_a_client.get(url(world)).content.decode()
    assert "仍为【待补充】" not in page and 'name="confirm_gaps"' not in page
    liaison_a_client.post(url(world, "submit/"))
    assert draft_of(world).state == ReportState.SUBMITTED


def test_the_required_parts_hint_shows_only_while_one_is_empty(world, liaison_a_client):
    page = liaison_a_client.get(url(world)).content.decode()
    assert HINT in page and "主要负责人履行第一责任人职责情况" in page
    liaison_a_client.post(url(world), {**PARTS, "leadership": "", "version": ""})
    page = liaison_a_client.get(url(world)).content.decode()
    assert f"{HINT}（主要负责人履行第一责任人职责情况）" in page
    liaison_a_client.post(url(world), {**PARTS, "version": draft_of(world).version})
    page = liaison_a_client.get(url(world)).content.decode()
    assert HINT not in page  # all three saved: the hint was stale in the new-user walk


# ---------------------------------------------------------------------------------------------
# The coordinator


def test_the_coordinator_sees_the_gap_count_beside_approve(world, coordinator_client):
    saved(world)
    services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)
    page = coordinator_client.get(url(world)).content.decode()
    assert "注意：2 项仍为【待补充】" in page
    assert page.index("审核通过</button>") < page.index("注意：2 项仍为【待补充】") < page.index("退回修改")


def test_no_warning_beside_approve_when_nothing_is_a_gap(world, coordinator_client):
    file(world, world.a1, world.liaison_a, measures="第一项已审核。")
    file(world, world.a2, world.liaison_a, measures="第二项已审核。")
    saved(world)
    services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a)
    page = coordinator_client.get(url(world)).content.decode()
    assert "审核通过</button>" in page and "仍为【待补充】" not in page


# ---------------------------------------------------------------------------------------------
# Notices to the office


def _submit(world):
    return services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a,
                                                confirm_gaps=True)


def test_each_coordinator_hears_of_a_submission_after_commit_and_of_a_resubmission(
        world, django_capture_on_commit_callbacks):
    other = UserFactory(username="coordinator2", role=Role.COORDINATOR)
    saved(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _submit(world)
    assert not Notice.objects.filter(user=world.coordinator).exists()  # nothing before commit
    for callback in callbacks:
        callback()
    for user in (world.coordinator, other):
        (notice,) = Notice.objects.filter(user=user)
        assert notice.title == f"新报送待审核：2026年度法治政府建设情况报告 · {world.unit_a.name}"
        assert notice.url == url(world)
    assert not Notice.objects.filter(user__in=[world.leader, world.liaison_b]).exists()

    services_annual.return_annual_report(draft=draft_of(world), user=world.coordinator, comment="请补充。")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world)
    latest = Notice.objects.filter(user=other).order_by("-id").first()
    assert latest.title == f"重新报送待审核：2026年度法治政府建设情况报告 · {world.unit_a.name}"
    assert "按退回意见修改" in latest.body


def test_a_refused_submission_sends_no_notice(world, django_capture_on_commit_callbacks):
    saved(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services_annual.ReportError):
        services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a)
    assert not Notice.objects.exists()


def test_digest_and_none_get_no_notice_per_report_and_the_digest_lists_it(world, django_capture_on_commit_callbacks):
    digest = UserFactory(username="digest", role=Role.COORDINATOR)
    silent = UserFactory(username="silent", role=Role.COORDINATOR)
    set_review_notices(user=digest, choice=ReviewNoticeChoice.DIGEST)
    set_review_notices(user=silent, choice=ReviewNoticeChoice.NONE)
    saved(world)
    with django_capture_on_commit_callbacks(execute=True):
        _submit(world)
    assert Notice.objects.filter(user=world.coordinator).count() == 1
    assert not Notice.objects.filter(user__in=[digest, silent]).exists()
    assert send_review_digest(now=timezone.now() + dt.timedelta(hours=1)) == 1
    (notice,) = Notice.objects.filter(user=digest)
    assert notice.title == "审核汇总：新报送 1 份，重新报送 0 份（现共 1 份待审核）"
    assert notice.body == f"2026年度法治政府建设情况报告 · {world.unit_a.name}"
    assert not Notice.objects.filter(user=silent).exists()
