"""Notices to the legal office about reports waiting for review: one per report, a daily digest, or none.

Each coordinator chooses (``NoticePreference``; no row = each report). ``notify_reviewers`` is called by
``services.submit_report`` inside its transaction, ``notify_reviewers_of_annual`` by
``services_annual.submit_annual_report`` after commit (a unit's own year-end report); ``send_review_digest``
is run by ``manage.py send_review_digest`` from the reminders timer (deploy/systemd/fazhi-reminders.service,
working mornings) and covers every submission of either kind since that user's previous digest, so running
it twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from reports import inbox
from reports.cachekeys import bump_now_and_after_commit, notices_key
from reports.models import (
    AnnualReportDraft,
    AnnualReportEvent,
    NoticePreference,
    Report,
    ReportAction,
    ReportEvent,
    ReportState,
    ReviewNoticeChoice,
)

DIGEST_LINES = 30


def _coordinators():
    return User.objects.filter(is_active=True).filter(Q(role=Role.COORDINATOR) | Q(is_superuser=True))


def notify_reviewers(*, report: Report, resubmitted: bool) -> int:
    """One notice per coordinator who wants each report (the default). Returns how many were created."""
    wanting = _wanting_each()
    ob = report.obligation
    title = f"{'重新报送' if resubmitted else '新报送'}待审核：{ob.item.number}{ob.item.title} · {ob.unit.name}"
    body = f"{ob.period.name}。{'单位已按退回意见修改后重新报送。' if resubmitted else ''}"
    url = reverse("reports:detail", args=[report.pk])
    return len(inbox.notify(users=wanting, title=title, body=body, url=url))


def _wanting_each():
    return _coordinators().exclude(notice_preference__review_notices__in=[ReviewNoticeChoice.DIGEST,
                                                                          ReviewNoticeChoice.NONE])


def _annual_line(draft: AnnualReportDraft) -> str:
    return f"{draft.year}年度法治政府建设情况报告 · {draft.unit.name}"


def notify_reviewers_of_annual(*, draft_id: int, resubmitted: bool) -> int:
    """As ``notify_reviewers``, for a unit's own year-end report. Called after the submission commits, so
    it reads the draft again (a notice never names a submission that was rolled back)."""
    draft = AnnualReportDraft.objects.select_related("unit").filter(pk=draft_id).first()
    if draft is None or draft.state != ReportState.SUBMITTED:
        return 0
    title = f"{'重新报送' if resubmitted else '新报送'}待审核：{_annual_line(draft)}"
    body = "单位已按退回意见修改后重新报送年度报告。" if resubmitted else "单位已报送本单位年度报告。"
    url = reverse("reports:annual_edit", args=[draft.unit_id, draft.year])
    return len(inbox.notify(users=_wanting_each(), title=title, body=body, url=url))


@transaction.atomic
def set_review_notices(*, user: User, choice: str) -> NoticePreference:
    if choice not in ReviewNoticeChoice.values:
        raise ValueError(choice)
    pref, _ = NoticePreference.objects.select_for_update().get_or_create(user=user)
    if pref.review_notices != choice:
        pref.review_notices = choice
        if choice == ReviewNoticeChoice.DIGEST and pref.digest_sent_at is None:
            pref.digest_sent_at = timezone.now()  # the first digest covers what arrives from now on
        pref.save()
        bump_now_and_after_commit(notices_key(user.pk))  # the notices page shows the choice
    return pref


def review_notice_choice(user: User) -> str:
    pref = NoticePreference.objects.filter(user=user).first()
    return pref.review_notices if pref else ReviewNoticeChoice.EACH


@transaction.atomic
def send_review_digest(*, now: dt.datetime | None = None) -> int:
    """One digest notice per coordinator who asked for it and has new submissions since the last one."""
    now = now or timezone.now()
    sent = 0
    prefs = (NoticePreference.objects.select_for_update()
             .filter(review_notices=ReviewNoticeChoice.DIGEST, user__in=_coordinators()).select_related("user"))
    for pref in prefs:
        since = pref.digest_sent_at or now - dt.timedelta(days=1)
        # Progress reports and units' own year-end reports, in the order they arrived.
        events = sorted(
            [*ReportEvent.objects.filter(action=ReportAction.SUBMITTED, at__gt=since, at__lte=now)
             .select_related("report__obligation__item", "report__obligation__unit"),
             *AnnualReportEvent.objects.filter(action=ReportAction.SUBMITTED, at__gt=since, at__lte=now)
             .select_related("draft__unit")],
            key=lambda e: (e.at, isinstance(e, AnnualReportEvent), e.pk),
        )
        pref.digest_sent_at = now
        pref.save(update_fields=["digest_sent_at"])
        if not events:
            continue
        resubmitted = sum(1 for e in events if e.from_state == ReportState.RETURNED)
        waiting = (Report.objects.filter(state=ReportState.SUBMITTED).count()
                   + AnnualReportDraft.objects.filter(state=ReportState.SUBMITTED).count())
        lines = [_digest_line(e) for e in events[:DIGEST_LINES]]
        if len(events) > DIGEST_LINES:
            lines.append(f"……另有 {len(events) - DIGEST_LINES} 份")
        new = len(events) - resubmitted
        inbox.notify(
            users=[pref.user],
            title=f"审核汇总：新报送 {new} 份，重新报送 {resubmitted} 份（现共 {waiting} 份待审核）",
            body="\n".join(lines),
            url=reverse("reports:review_queue"),
        )
        sent += 1
    return sent


def _digest_line(event: ReportEvent | AnnualReportEvent) -> str:
    again = "（重新报送）" if event.from_state == ReportState.RETURNED else ""
    if isinstance(event, AnnualReportEvent):
        return f"{_annual_line(event.draft)}{again}"
    ob = event.report.obligation
    return f"{ob.item.number}{ob.item.title} · {ob.unit.name}{again}"
