"""Pages of the legal office: periods, chasing, notices and the documents out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.permissions import coordinator_required
from fazhi.paging import MAX_PAGES, bounded_page, page_number
from reports import inbox as notices_service
from reports import reminders as chasing
from reports import services
from reports.access import can_export_summary, can_review
from reports.cachekeys import notices_key, part_versions
from reports.forms import PeriodForm, ReminderForm, ReviewNoticeForm
from reports.models import Notice, Obligation, Period, Reminder, ReportState
from reports.notices import review_notice_choice, set_review_notices
from reports.parts import cached_body, canonical_query
from tasks.models import Plan, Unit

NOTICES_PER_PAGE = 50


def _state_count(state: str) -> Count:
    return Count("obligations", filter=Q(obligations__report__state=state))


def periods(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """A plan's reporting periods with their progress; coordinators open and close them here."""
    plan = get_object_or_404(Plan, pk=plan_pk)
    rows = (
        Period.objects.filter(plan=plan)
        .annotate(
            total=Count("obligations"),
            # A draft is private to its unit (Report.visibility_q): here it counts as 未报送, like no report.
            not_started=Count("obligations", filter=Q(obligations__report__isnull=True)
                              | ~Q(obligations__report__state__in=ReportState.FILED)),
            submitted=_state_count(ReportState.SUBMITTED),
            returned=_state_count(ReportState.RETURNED), approved=_state_count(ReportState.APPROVED),
            late=Count("obligations", filter=Q(obligations__report__is_late=True)),
        )
        .order_by("due_on", "id")
    )
    form = PeriodForm(request.POST or None)
    preview = None
    if request.method == "POST":
        if not request.user.is_coordinator:
            raise PermissionDenied("只有法治办工作人员可以开启报送期次。")
        if form.is_valid() and request.POST.get("confirm") != "1":
            # First say how many obligations the period will create, and ask to confirm.
            obligations, units = services.preview_obligations(plan=plan, scope=form.cleaned_data["scope"])
            preview = {"obligations": obligations, "units": units, "data": form.cleaned_data}
        elif form.is_valid():
            try:
                period = services.open_period(plan=plan, user=request.user, **form.cleaned_data)
            except services.ReportError as exc:
                form.add_error("name", exc.messages[0])
            else:
                messages.success(request, f"已开启“{period.name}”，共生成 {period.obligations.count()} 项报送任务。")
                return redirect("reports:periods", plan_pk=plan.pk)
    return render(request, "reports/periods.html", {"plan": plan, "periods": rows, "form": form, "preview": preview,
                                                    "can_export": can_export_summary(request.user)})


@require_POST
@coordinator_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    try:
        services.close_period(period=period, user=request.user)
        messages.success(request, f"已关闭“{period.name}”，各单位不能再填报或修改。")
    except services.ReportError as exc:
        messages.error(request, exc.messages[0])
    return redirect("reports:periods", plan_pk=period.plan_id)


@require_POST
@coordinator_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(Period, pk=pk)
    try:
        services.reopen_period(period=period, user=request.user)
        messages.success(request, f"已重新开启“{period.name}”。")
    except services.ReportError as exc:
        messages.error(request, exc.messages[0])
    return redirect("reports:periods", plan_pk=period.plan_id)


@coordinator_required
def reminders(request: HttpRequest) -> HttpResponse:
    """催办: chase one unit or every unit with overdue obligations, and see what was sent."""
    today = timezone.localdate()
    units = list(Unit.objects.filter(pk__in=Obligation.objects.open().values("unit")).order_by("order", "name"))
    form = ReminderForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        target, note = form.cleaned_data["target"], form.cleaned_data["note"]
        try:
            if target == ReminderForm.ALL_OVERDUE:
                sent = chasing.remind_overdue_units(user=request.user, note=note, today=today)
            elif target == ReminderForm.DUE_SOON:
                sent = chasing.remind_units_due_within(days=form.cleaned_data["days"], user=request.user, note=note,
                                                       today=today)
            else:
                sent = chasing.remind_unit(unit=form.units[target], user=request.user, note=note, today=today)
        except services.ReportError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _sent_summary({r.unit_id for r in sent}))
            return redirect("reports:reminders")
    overdue = (
        Obligation.objects.overdue(today).values("unit__name").annotate(n=Count("id")).order_by("-n", "unit__name")
    )
    history = (
        Reminder.objects.select_related("unit", "period", "sent_by").annotate(n=Count("obligations"))
        .order_by("-sent_at", "-id")[:100]
    )
    return render(request, "reports/reminders.html", {"form": form, "overdue": overdue, "history": history,
                                                      "unreachable": _unreachable(units)})


def _liaison_counts(unit_ids) -> QuerySet[Unit]:
    active = Q(users__role=Role.LIAISON, users__is_active=True)
    return Unit.objects.filter(pk__in=unit_ids).annotate(
        n_liaisons=Count("users", filter=active), n_mail=Count("users", filter=active & ~Q(users__email="")),
    ).order_by("order", "name")


def _unreachable(units: list[Unit]) -> dict[str, list[str]]:
    """Units a reminder cannot reach (no liaison account) or reaches only in the app (no e-mail), one query.
    The page shows a count per kind and folds the names away: forty names would push the form off the screen."""
    found: dict[str, list[str]] = {"no_account": [], "no_mail": []}
    for unit in _liaison_counts([u.pk for u in units]):
        if not unit.n_liaisons:
            found["no_account"].append(unit.name)
        elif not unit.n_mail:
            found["no_mail"].append(unit.name)
    return found if any(found.values()) else {}


def _sent_summary(unit_ids: set[int]) -> str:
    """What was actually queued: one notice per liaison, one e-mail per liaison with an address."""
    units = list(_liaison_counts(unit_ids))
    notices = sum(u.n_liaisons for u in units)
    mails = sum(u.n_mail for u in units)
    missing = [u.name for u in units if not u.n_liaisons]
    text = f"已向 {len(units)} 个单位发送催办：站内通知 {notices} 条，电子邮件 {mails} 封（已排队发送）。"
    if missing:
        text += f"{'、'.join(missing)}没有联络员账号，未能送达。"
    return text


def notices(request: HttpRequest) -> HttpResponse:
    # The body is the user's own: cached under their notice version, which ``reports.inbox`` moves on every
    # notice written, opened or marked read (and ``set_review_notices`` on a new choice), and the page number.
    number = min(page_number(request.GET.get("page")), MAX_PAGES + 1)
    reviewer = can_review(request.user)
    version, = part_versions(notices_key(request.user.pk))
    body = cached_body(request, ["notices", request.user.pk, version, reviewer],
                       "reports/parts/notices.html", lambda: _notices_context(request.user, number, reviewer),
                       query=canonical_query({"page": number if number > 1 else None}))
    return render(request, "reports/page.html", {"title": "通知", "body": body})


def _notices_context(user, number: int, reviewer: bool) -> dict:
    # No total: the badge shows what is unread, and every request of every signed-in user passes here often.
    page = bounded_page(notices_service.inbox(user), number, per_page=NOTICES_PER_PAGE)
    settings_form = None
    if reviewer:
        settings_form = ReviewNoticeForm(initial={"review_notices": review_notice_choice(user)})
    return {"notices": page.object_list, "page": page, "settings_form": settings_form}


@require_POST
def notice_settings(request: HttpRequest) -> HttpResponse:
    """A coordinator's choice: a notice per submitted report, a daily digest, or none."""
    if not can_review(request.user):
        raise PermissionDenied("只有法治办工作人员可以设置审核通知。")
    form = ReviewNoticeForm(request.POST)
    if form.is_valid():
        pref = set_review_notices(user=request.user, choice=form.cleaned_data["review_notices"])
        messages.success(request, f"已保存：{pref.get_review_notices_display()}。")
    else:
        messages.error(request, "请选择一种通知方式。")
    return redirect("reports:notices")


@require_POST
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notices_service.mark_read(notice=get_object_or_404(Notice, pk=pk, user=request.user))
    return redirect(notice.url or "reports:notices")


@require_POST
def read_all_notices(request: HttpRequest) -> HttpResponse:
    notices_service.mark_all_read(user=request.user)
    return redirect("reports:notices")
