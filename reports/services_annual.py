"""Writes on a unit's own year-end report (``AnnualReportDraft``): the unit saves and submits its free
parts; the legal office returns (with a comment) or approves, and may reopen an approved one.

Every state change goes through ``_move`` and its table of allowed moves, writes an
``AnnualReportEvent`` and is kept by the audit log (``audit.apps.AUDITED_MODELS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from fazhi.limits import LONG_TEXT, SHORT_TEXT, TITLE, check_lengths
from reports import inbox, notices
from reports.cachekeys import ANNUAL_KEY, bump_now_and_after_commit
from reports.models import (
    AnnualReportDeadline,
    AnnualReportDraft,
    AnnualReportEvent,
    ReportAction,
    ReportState,
)
from reports.services import ReportError, StaleReportError
from tasks.models import Unit

# The unit's own parts; the body is compiled from its approved reports and is not edited here.
FREE_PARTS: dict[str, tuple[int, str]] = {
    "title": (TITLE, "标题"),
    "intro": (LONG_TEXT, "导语"),
    "leadership": (LONG_TEXT, "主要负责人履行第一责任人职责情况"),
    "problems": (LONG_TEXT, "存在的不足和原因"),
    "next_year": (LONG_TEXT, "下一年度主要安排"),
}
REQUIRED_TO_SUBMIT = ("leadership", "problems", "next_year")
EDITABLE = (ReportState.DRAFT, ReportState.RETURNED)

# (from, to) → the action recorded. Nothing else is a legal move.
_MOVES: dict[tuple[str, str], str] = {
    (ReportState.DRAFT, ReportState.SUBMITTED): ReportAction.SUBMITTED,
    (ReportState.RETURNED, ReportState.SUBMITTED): ReportAction.SUBMITTED,
    (ReportState.SUBMITTED, ReportState.RETURNED): ReportAction.RETURNED,
    (ReportState.SUBMITTED, ReportState.APPROVED): ReportAction.APPROVED,
    (ReportState.APPROVED, ReportState.RETURNED): ReportAction.REOPENED,
}

_VERBS = {ReportState.SUBMITTED: "报送", ReportState.RETURNED: "退回", ReportState.APPROVED: "审核通过",
          ReportState.DRAFT: "改回草稿"}


class StaleAnnualError(StaleReportError):
    """Someone saved the unit's report since the form was opened; ``current`` is what they saved."""

    def __init__(self, current: AnnualReportDraft) -> None:
        ReportError.__init__(
            self, "在您编辑期间，本单位年度报告已被他人修改并保存。您的修改尚未保存，请对照最新内容后重新提交。"
        )
        self.current = current


def due_on(year: int) -> dt.date:
    return AnnualReportDeadline.due_on_for(year)


def deadline_of(year: int) -> dt.datetime:
    """The end of the due day in the site's time zone: a first submission after it is late."""
    tz = timezone.get_default_timezone()
    return dt.datetime.combine(due_on(year) + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def _locked(unit: Unit, year: int) -> AnnualReportDraft:
    draft, _ = AnnualReportDraft.objects.get_or_create(unit=unit, year=year)
    bump_now_and_after_commit(ANNUAL_KEY)  # every write of a draft locks it here first (我的待办, 审核)
    return AnnualReportDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)


def _notify_unit(draft: AnnualReportDraft, title: str, body: str) -> None:
    url = reverse("reports:annual_edit", args=[draft.unit_id, draft.year])
    liaisons = User.objects.filter(role=Role.LIAISON, unit_id=draft.unit_id, is_active=True)
    inbox.notify(users=liaisons, title=title, body=body, url=url)


def _move(draft: AnnualReportDraft, to: str, *, user: User | None, comment: str = "",
          now: dt.datetime | None = None) -> None:
    action = _MOVES.get((draft.state, to))
    if action is None:
        raise ReportError(f"年度报告{draft.get_state_display()}，不能{_VERBS[to]}。")
    backdated = now is not None
    now = now or timezone.now()
    from_state = draft.state
    draft.state = to
    if to == ReportState.SUBMITTED:
        draft.submitted_at = now
        if draft.first_submitted_at is None:
            draft.first_submitted_at = now
            draft.is_late = now >= deadline_of(draft.year)
    else:
        draft.reviewed_at = now
        draft.reviewed_by = user
        draft.review_comment = comment
    draft.version += 1
    draft.save()
    event = AnnualReportEvent.objects.create(draft=draft, action=action, from_state=from_state, to_state=to,
                                             actor=user, comment=comment)
    if backdated:  # ``at`` is auto_now_add; a move recorded for a given time (the demo's past year) shows that time
        AnnualReportEvent.objects.filter(pk=event.pk).update(at=now)


def _require_own_unit(user: User | None, unit: Unit) -> None:
    if user is not None and not (user.is_liaison and user.unit_id == unit.pk):
        raise PermissionDenied("只有本单位联络员可以修改和报送本单位年度报告。")


def _require_reviewer(user: User | None) -> None:
    if user is not None and not user.is_coordinator:
        raise PermissionDenied("只有法治办工作人员可以审核年度报告。")


@transaction.atomic
def save_annual_report(*, unit: Unit, year: int, data: Mapping[str, str], user: User | None,
                       expected_version: int | None) -> AnnualReportDraft:
    """Save the unit's free parts while its report is a draft or returned. A stale form is refused."""
    _require_own_unit(user, unit)
    values = {name: (data.get(name) or "").strip() for name in FREE_PARTS if name in data}
    check_lengths({name: (value, *FREE_PARTS[name]) for name, value in values.items()})
    draft = _locked(unit, year)
    if draft.state not in EDITABLE:
        raise ReportError(f"年度报告{draft.get_state_display()}，不能修改。")
    if expected_version is not None and draft.version != expected_version:
        raise StaleAnnualError(draft)
    for name, value in values.items():
        setattr(draft, name, value)
    draft.version += 1
    draft.updated_by = user
    draft.save()
    return draft


@transaction.atomic
def submit_annual_report(*, unit: Unit, year: int, user: User | None, confirm_gaps: bool = False,
                         now: dt.datetime | None = None) -> AnnualReportDraft:
    """Send the unit's report to the legal office; late when first sent after the due day. ``now`` (default:
    the present) is when it was sent, as for progress reports (``reports.services.submit_report``).

    Items still without an approved report print as 【待补充】; the unit may send the report so (the office
    may want it before every item is approved) but only when it says so (``confirm_gaps``): a report sent
    with 21 of 28 items blank by an unnoticed click is what the new-user walk found. The coordinators get
    the review notice after commit, each as they chose (``reports.notices``)."""
    from reports.annual import GAP, unit_annual

    _require_own_unit(user, unit)
    draft = _locked(unit, year)
    if (draft.state, ReportState.SUBMITTED) not in _MOVES:  # before any other message: it cannot be sent at all
        raise ReportError(f"年度报告{draft.get_state_display()}，不能报送。")
    content = unit_annual(unit, year, draft=draft)
    missing = [FREE_PARTS[name][1] for name in REQUIRED_TO_SUBMIT if not getattr(content, name).strip()]
    if missing:
        raise ReportError(f"报送前请填写：{'、'.join(missing)}。")
    if not content.owed:
        raise ReportError(f"{unit.name}在{year}年度工作要点中没有承担工作任务，无需报送年度报告。")
    gaps = len(content.gaps)
    if gaps and not confirm_gaps:
        raise ReportError(f"仍有 {gaps} 项为{GAP}（尚无审核通过的报告）。如确需现在报送，"
                          f"请勾选“仍有 {gaps} 项待补充，确认报送”后再点“报送”。")
    draft.updated_by = user
    resubmitted = draft.state == ReportState.RETURNED
    _move(draft, ReportState.SUBMITTED, user=user, now=now)
    draft_id = draft.pk
    transaction.on_commit(lambda: notices.notify_reviewers_of_annual(draft_id=draft_id, resubmitted=resubmitted))
    return draft


@transaction.atomic
def return_annual_report(*, draft: AnnualReportDraft, user: User | None, comment: str) -> AnnualReportDraft:
    """Send the unit's report back (submitted, or reopening an approved one); the comment says what to change."""
    _require_reviewer(user)
    comment = (comment or "").strip()
    if not comment:
        raise ReportError("退回修改时必须填写意见，告诉单位需要修改什么。")
    check_lengths({"comment": (comment, SHORT_TEXT, "审核意见")})
    draft = _locked(draft.unit, draft.year)
    _move(draft, ReportState.RETURNED, user=user, comment=comment)
    _notify_unit(draft, f"{draft.year}年度报告被退回修改", comment)
    return draft


@transaction.atomic
def approve_annual_report(*, draft: AnnualReportDraft, user: User | None, comment: str = "",
                          now: dt.datetime | None = None) -> AnnualReportDraft:
    """Accept the unit's report: the government's report draws on approved ones only. ``now``: as for submit."""
    _require_reviewer(user)
    comment = (comment or "").strip()
    check_lengths({"comment": (comment, SHORT_TEXT, "审核意见")})
    draft = _locked(draft.unit, draft.year)
    _move(draft, ReportState.APPROVED, user=user, comment=comment, now=now)
    _notify_unit(draft, f"{draft.year}年度报告已审核通过", comment)
    return draft


@transaction.atomic
def set_annual_due_date(*, year: int, due: dt.date, user: User | None) -> AnnualReportDeadline:
    """Move the units' due date for ``year`` (default 1 March of the next year)."""
    _require_reviewer(user)
    if not year <= due.year <= year + 1:
        raise ReportError(f"{year}年度报告的截止日期应在{year}年或{year + 1}年内。")
    row, _ = AnnualReportDeadline.objects.update_or_create(year=year, defaults={"due_on": due, "updated_by": user})
    bump_now_and_after_commit(ANNUAL_KEY)
    return row
