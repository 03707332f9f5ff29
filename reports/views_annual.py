"""Pages of the units' own year-end reports: the office's list (due date, chasing), each unit's page
(the liaison writes and submits its parts beside the compiled body; the office reviews).

Units are reached through ``reports.access.get_annual_unit_for_user``; changes go through
``reports.services_annual``.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import coordinator_required
from reports import reminders_annual, services_annual
from reports.access import get_annual_unit_for_user
from reports.annual import unit_annual
from reports.forms import (
    AnnualApproveForm,
    AnnualDueForm,
    AnnualReportForm,
    AnnualReturnForm,
    AnnualSubmitForm,
    AnnualYearForm,
)
from reports.models import (
    AnnualReportDeadline,
    AnnualReportDraft,
    PeriodKind,
    Report,
    ReportState,
    default_annual_due_on,
)
from reports.services import ReportError
from tasks.models import AssignmentRole, Duty, Plan, Unit


def _years_and_dues() -> list[tuple[int, dt.date]]:
    """Every plan year, newest first, with its units' year-end report due date (the office's, else 1 March of
    the next year): one query."""
    rows = (
        Plan.objects.order_by("-year").values_list("year").distinct()
        .annotate(due=Subquery(AnnualReportDeadline.objects.filter(year=OuterRef("year")).values("due_on")[:1]))
    )
    return [(year, due or default_annual_due_on(year)) for year, due in rows]


def default_year(years_and_dues: list[tuple[int, dt.date]], today: dt.date) -> int:
    """The year whose report is being prepared: the oldest plan year whose year-end report is not yet due
    (due today or later), so a liaison in November 2026 lands on 2026 and in February 2027 still on 2026 (due
    1 March 2027); when every year's report is past its due date, the newest plan year."""
    open_years = [year for year, due in years_and_dues if due >= today]
    if open_years:
        return min(open_years)
    return years_and_dues[0][0] if years_and_dues else today.year


def _message(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def annual_status(unit: Unit | None, today) -> dict | None:
    """For 我的待办: the unit's year-end report of the year being written, if it owes one.

    Two queries: the plan years, then one row with whether the unit owes work, its report's state and
    comment, and the year's due date."""
    if unit is None:
        return None
    year = default_year(_years_and_dues(), today)
    draft = AnnualReportDraft.objects.filter(unit=OuterRef("pk"), year=year)
    row = (
        Unit.objects.filter(pk=unit.pk)
        .annotate(
            owes=Exists(Duty.objects.filter(unit=OuterRef("pk"), item__plan__year=year)
                        .exclude(role=AssignmentRole.OTHER)),
            annual_state=Subquery(draft.values("state")[:1]),
            annual_comment=Subquery(draft.values("review_comment")[:1]),
            annual_due=Subquery(AnnualReportDeadline.objects.filter(year=year).values("due_on")[:1]),
        )
        .values("owes", "annual_state", "annual_comment", "annual_due")
        .first()
    )
    if not row or not row["owes"]:
        return None
    due = row["annual_due"] or default_annual_due_on(year)
    state = row["annual_state"] or ReportState.DRAFT
    return {"year": year, "due": due, "days": (due - today).days, "overdue": (today - due).days, "state": state,
            "label": ReportState(state).label if row["annual_state"] else "未开始",
            "comment": row["annual_comment"] or "", "open": state in services_annual.EDITABLE}


def annual_rows(year: int):
    """One row per unit owing work in the year's plans, with every figure the list shows: one query."""
    owed = (
        Duty.objects.filter(unit=OuterRef("pk"), item__plan__year=year).exclude(role=AssignmentRole.OTHER)
        .order_by().values("unit").annotate(n=Count("item", distinct=True)).values("n")
    )
    approved = (
        Report.objects.filter(obligation__unit=OuterRef("pk"), obligation__period__plan__year=year,
                              obligation__period__kind=PeriodKind.YEAR_END, state=ReportState.APPROVED)
        .order_by().values("obligation__unit").annotate(n=Count("obligation__item", distinct=True)).values("n")
    )
    draft = AnnualReportDraft.objects.filter(unit=OuterRef("pk"), year=year)
    return (
        Unit.objects.filter(
            pk__in=Duty.objects.filter(item__plan__year=year).exclude(role=AssignmentRole.OTHER).values("unit")
        )
        .annotate(
            owed=Coalesce(Subquery(owed, output_field=IntegerField()), Value(0)),
            approved=Coalesce(Subquery(approved, output_field=IntegerField()), Value(0)),
            annual_state=Subquery(draft.values("state")[:1]),
            annual_submitted_at=Subquery(draft.values("submitted_at")[:1]),
            annual_is_late=Subquery(draft.values("is_late")[:1]),
        )
        .order_by("order", "name")
    )


def annual_list(request: HttpRequest) -> HttpResponse:
    """The office's (and leaders') view of every unit's year-end report for one year."""
    if not (request.user.is_coordinator or request.user.is_leader):
        raise PermissionDenied("只有法治办工作人员和领导可以查看各单位年度报告。")
    years_and_dues = _years_and_dues()
    years = [y for y, _due in years_and_dues]
    form = AnnualYearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or default_year(years_and_dues,
                                                                                      timezone.localdate())
    rows = list(annual_rows(year))
    states = dict(ReportState.choices)
    for row in rows:
        row.annual_state_label = states.get(row.annual_state or "", "未开始")
    counts = {
        "total": len(rows),
        "submitted": sum(1 for r in rows if r.annual_state == ReportState.SUBMITTED),
        "approved": sum(1 for r in rows if r.annual_state == ReportState.APPROVED),
    }
    counts["unsent"] = counts["total"] - counts["submitted"] - counts["approved"]
    due = services_annual.due_on(year)
    return render(request, "reports/annual_list.html", {
        "year": year, "years": years if year in years else sorted([*years, year], reverse=True), "rows": rows,
        "counts": counts, "due": due, "form": form,
        "due_form": AnnualDueForm(initial={"due_on": due}), "overdue": timezone.localdate() > due,
    })


@require_POST
@coordinator_required
def annual_due(request: HttpRequest, year: int) -> HttpResponse:
    form = AnnualDueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            row = services_annual.set_annual_due_date(year=year, due=form.cleaned_data["due_on"], user=request.user)
            messages.success(request, f"{year}年度报告的报送截止日期已改为 {row.due_on:%Y-%m-%d}。")
        except ReportError as exc:
            messages.error(request, _message(exc))
    return redirect(f"{reverse('reports:annual_list')}?year={year}")


@require_POST
@coordinator_required
def annual_remind(request: HttpRequest, year: int) -> HttpResponse:
    if not 2000 <= year <= 2100:
        messages.error(request, "年度不正确。")
        return redirect("reports:annual_list")
    try:
        sent = reminders_annual.remind_unsent_annual(year=year, user=request.user)
        messages.success(request, f"已向 {len(sent)} 个未报送年度报告的单位发送催办。")
    except ReportError as exc:
        messages.error(request, _message(exc))
    return redirect(f"{reverse('reports:annual_list')}?year={year}")


def my_annual(request: HttpRequest) -> HttpResponse:
    """本单位年度报告: the liaison's way in, to the year being written."""
    if not (request.user.is_liaison and request.user.unit_id):
        return redirect("reports:annual_list")
    return redirect("reports:annual_edit", unit_pk=request.user.unit_id,
                    year=default_year(_years_and_dues(), timezone.localdate()))


def annual_edit(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """A unit's year-end report: the liaison writes its parts and submits; everyone else reads."""
    user = request.user
    write = request.method == "POST"
    unit, draft = get_annual_unit_for_user(user, unit_pk, year, write=write)
    own = user.is_liaison and user.unit_id == unit.pk
    form = AnnualReportForm(request.POST or None)
    stale = None
    if write and form.is_valid():
        try:
            services_annual.save_annual_report(unit=unit, year=year, data=form.cleaned_data, user=user,
                                               expected_version=form.cleaned_data.get("version"))
        except services_annual.StaleAnnualError as exc:
            stale = exc.current
            form.add_error(None, _message(exc))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, _message(exc))
        else:
            messages.success(request, "已保存。填写完整后请点击“报送”。")
            return redirect("reports:annual_edit", unit_pk=unit.pk, year=year)
    content = unit_annual(unit, year, draft=stale or draft, with_unsent=own)
    if not write:
        form = AnnualReportForm(initial={
            "title": content.title, "intro": content.intro, "leadership": content.leadership,
            "problems": content.problems, "next_year": content.next_year,
            # A draft not yet saved starts at version 1: two first saves from two forms still conflict.
            "version": draft.version if draft else 1,
        })
    state = draft.state if draft else ReportState.DRAFT
    can_edit = own and state in services_annual.EDITABLE
    events = list(draft.events.select_related("actor")) if draft else []
    # What the saved report lacks, as the submit service checks it (compiled defaults count as filled).
    missing_parts = [services_annual.FREE_PARTS[name][1] for name in services_annual.REQUIRED_TO_SUBMIT
                     if not getattr(content, name).strip()]
    return render(request, "reports/annual_edit.html", {
        "unit": unit, "year": year, "draft": draft, "content": content, "form": form, "own": own,
        "can_edit": can_edit, "can_review": user.is_coordinator and state == ReportState.SUBMITTED,
        "can_reopen": user.is_coordinator and state == ReportState.APPROVED,
        "state_label": ReportState(state).label if draft else "未开始", "state": state,
        "due": services_annual.due_on(year), "events": events, "stale": stale,
        "return_form": AnnualReturnForm(), "approve_form": AnnualApproveForm(),
        "show_texts": own or (draft is not None and draft.first_submitted_at is not None),
        "missing_parts": missing_parts, "gap_count": len(content.gaps),
    })


@require_POST
def annual_submit(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit, _draft = get_annual_unit_for_user(request.user, unit_pk, year, write=True)
    form = AnnualSubmitForm(request.POST)
    confirmed = form.is_valid() and form.cleaned_data["confirm_gaps"]
    try:
        draft = services_annual.submit_annual_report(unit=unit, year=year, user=request.user,
                                                     confirm_gaps=confirmed)
        late = "（逾期报送）" if draft.is_late else ""
        messages.success(request, f"已报送{year}年度报告{late}，请等待法治办审核。")
    except ReportError as exc:
        messages.error(request, _message(exc))
    return redirect("reports:annual_edit", unit_pk=unit.pk, year=year)


def _reviewed(request: HttpRequest, unit_pk: int, year: int) -> AnnualReportDraft:
    unit, draft = get_annual_unit_for_user(request.user, unit_pk, year)  # another unit's: 404
    if not request.user.is_coordinator:
        raise PermissionDenied("只有法治办工作人员可以审核年度报告。")
    if draft is None:
        raise ReportError(f"{unit.name}尚未报送{year}年度报告。")
    return draft


@require_POST
def annual_approve(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    form = AnnualApproveForm(request.POST)
    try:
        draft = _reviewed(request, unit_pk, year)
        if not form.is_valid():
            raise ReportError("；".join(e for errors in form.errors.values() for e in errors))
        services_annual.approve_annual_report(draft=draft, user=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, f"已审核通过：{draft.unit.name}{year}年度报告。")
    except ReportError as exc:
        messages.error(request, _message(exc))
    return redirect("reports:annual_edit", unit_pk=unit_pk, year=year)


@require_POST
def annual_return(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    form = AnnualReturnForm(request.POST)
    try:
        draft = _reviewed(request, unit_pk, year)
        if not form.is_valid():
            raise ReportError("；".join(e for errors in form.errors.values() for e in errors))
        services_annual.return_annual_report(draft=draft, user=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, f"已退回修改：{draft.unit.name}{year}年度报告。")
    except ReportError as exc:
        messages.error(request, _message(exc))
    return redirect("reports:annual_edit", unit_pk=unit_pk, year=year)

