"""Who may see and change reports, obligations and attachments. Every view asks here, nowhere else.

Rules (README "Progress reports"):
- Coordinators and leaders read every report that has been submitted at least once; liaisons read
  those too, plus their own unit's drafts. A draft is private to its unit until it is sent.
- Only a liaison of the obligation's unit writes: start, edit, upload, submit, and only while the
  period is open and the report is a draft or returned. Submitted reports are locked until the
  legal office returns them; approved reports are final.
- Coordinators review (approve / return); leaders never change anything.
- Evidence files are served to coordinators, leaders and the owning unit only: they often hold
  personal data (case files, names), so other units' liaisons read the text but not the files.
- Another unit's object id in a write URL answers 404, exactly as if it did not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.models import User
from reports.models import Attachment, Obligation, Report, ReportState


class ReportLocked(PermissionDenied):
    """The user owns the report but its state or period forbids editing now."""


def can_review(user: User) -> bool:
    return user.is_authenticated and user.is_coordinator


def is_own_unit(user: User, unit_id: int) -> bool:
    return user.is_authenticated and user.is_liaison and user.unit_id is not None and user.unit_id == unit_id


def edit_block_reason(report: Report) -> str:
    """Why the owning unit cannot edit the report now, or "" if it can."""
    if not report.obligation.period.is_open:
        return "该报送期次已关闭，不能再修改。"
    if report.state == ReportState.SUBMITTED:
        return "报告已报送，正在等待法治办审核；如需修改，请联系法治办退回。"
    if report.state == ReportState.APPROVED:
        return "报告已审核通过，不能再修改。"
    return ""


def can_edit_report(user: User, report: Report) -> bool:
    return is_own_unit(user, report.obligation.unit_id) and not edit_block_reason(report)


def can_read_attachments(user: User, report: Report) -> bool:
    if is_own_unit(user, report.obligation.unit_id):
        return True
    return report.state in ReportState.FILED and (user.is_coordinator or user.is_leader)


def _report_qs():
    # What every request of the report's pages needs: the period (open or closed: the buttons, the lock) and the
    # item (the title). The plan and the unit are read only when a page body is rendered (fazhi.fragments): a
    # six-table join took longer to plan than to run, and the plan row carries the plan's whole source text.
    return Report.objects.select_related("obligation__period", "obligation__item")


def get_report_for_user(user: User, pk: int, write: bool = False) -> Report:
    """The report if ``user`` may read it (or, with ``write``, edit it now).

    404 when the report does not exist or belongs to another unit (for writes) or is another unit's
    draft; ``ReportLocked`` (403) when it is the user's own report but locked by its state or period.
    """
    if not write:
        # The one read rule (ReportQuerySet.visible_to), the same the dashboards and documents use.
        return get_object_or_404(_report_qs().visible_to(user), pk=pk)
    report = get_object_or_404(_report_qs(), pk=pk)
    _check_writable(user, report, not_found="没有找到该报告。")
    return report


def _check_writable(user: User, report: Report, *, not_found: str) -> None:
    """Another unit's report is not there for this user (404); their own may be locked (403)."""
    if not is_own_unit(user, report.obligation.unit_id):
        raise Http404(not_found)
    reason = edit_block_reason(report)
    if reason:
        raise ReportLocked(reason)


def get_report_for_reviewer(user: User, pk: int) -> Report:
    if not can_review(user):
        raise PermissionDenied("只有法治办工作人员可以审核报告。")
    return get_object_or_404(_report_qs(), pk=pk)


def get_obligation_for_user(user: User, pk: int, write: bool = False) -> Obligation:
    """The obligation if the user may see it; with ``write`` only for its own unit's liaison and an open period."""
    obligation = get_object_or_404(Obligation.objects.select_related("period__plan", "item", "unit"), pk=pk)
    if write:
        if not is_own_unit(user, obligation.unit_id):
            raise Http404("没有找到该报送任务。")
        if not obligation.period.is_open:
            raise ReportLocked("该报送期次已关闭，不能再填报。")
    return obligation


def get_attachment_for_user(user: User, pk: int, write: bool = False) -> Attachment:
    """The attachment if the user may download it (or, with ``write``, delete it now); 404 otherwise."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("report__obligation__period", "report__obligation__unit"), pk=pk
    )
    report = attachment.report
    if write:
        _check_writable(user, report, not_found="没有找到该文件。")
        return attachment
    if not can_read_attachments(user, report):
        raise Http404("没有找到该文件。")
    return attachment


def can_export_annual(user: User, unit_id: int) -> bool:
    """The year-end draft: the legal office and leaders for every unit, a liaison for their own."""
    return user.is_authenticated and (user.is_coordinator or user.is_leader or is_own_unit(user, unit_id))


def can_export_summary(user: User) -> bool:
    return user.is_authenticated and (user.is_coordinator or user.is_leader)


def can_read_annual(user: User, unit_id: int) -> bool:
    """A unit's year-end report: the legal office and leaders read every unit's, a liaison only its own."""
    return can_export_annual(user, unit_id)


def annual_edit_block_reason(draft) -> str:
    """Why the unit cannot change its year-end report now, or "" if it can."""
    if draft is not None and draft.state == ReportState.SUBMITTED:
        return "年度报告已报送，正在等待法治办审核；如需修改，请联系法治办退回。"
    if draft is not None and draft.state == ReportState.APPROVED:
        return "年度报告已审核通过，不能再修改。"
    return ""


def get_annual_unit_for_user(user: User, unit_pk: int, year: int, write: bool = False):
    """The unit whose year-end report ``user`` may read (with ``write``: change or submit now) and its draft.

    Another unit's report answers 404 to a liaison, as if it did not exist; leaders and coordinators
    read every unit's but never write; the own unit's locked report answers ``ReportLocked`` (403).
    """
    from reports.models import AnnualReportDraft
    from tasks.models import Unit

    if not 1949 < year < 2200:
        raise Http404("年度不正确。")
    unit = get_object_or_404(Unit, pk=unit_pk)
    if not can_read_annual(user, unit.pk):
        raise Http404("没有找到该单位的年度报告。")
    draft = AnnualReportDraft.objects.filter(unit=unit, year=year).select_related("reviewed_by", "updated_by").first()
    if write:
        if not is_own_unit(user, unit.pk):
            raise PermissionDenied("只有本单位联络员可以修改和报送本单位年度报告。")
        reason = annual_edit_block_reason(draft)
        if reason:
            raise ReportLocked(reason)
    return unit, draft
