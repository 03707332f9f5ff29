"""Pages of the reporting workflow: 我的待办, the report form, the report page, review and history.

Every object is fetched through ``reports.access``; every change goes through ``reports.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.backends import USERS_KEY
from fazhi.paging import COUNT_CAP, MAX_PAGES, bounded_page, page_number
from reports import services
from reports.access import (
    ReportLocked,
    can_edit_report,
    can_read_attachments,
    can_review,
    edit_block_reason,
    get_attachment_for_user,
    get_obligation_for_user,
    get_report_for_reviewer,
    get_report_for_user,
    is_own_unit,
)
from reports.cachekeys import (
    ANNUAL_KEY,
    CALENDAR_KEY,
    REGISTRY_KEY,
    REPORTS_KEY,
    part_versions,
    report_files_key,
    unit_reports_key,
)
from reports.diffing import version_diffs
from reports.files import MAX_FILES_PER_REPORT, validate_upload
from reports.filters import ChosenForm, ReviewFilter
from reports.forms import ApproveForm, EvidenceForm, FigureFormSet, ReportForm, ReturnForm, TodoFilterForm
from reports.models import AnnualReportDraft, Obligation, Report, ReportState
from reports.parts import cached_body, canonical_query
from reports.views_annual import annual_status
from tasks.models import WorkItem


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def todo(request: HttpRequest) -> HttpResponse:
    """我的待办: the unit's obligations in open periods, grouped by period, with a summary line and filters."""
    if not request.user.is_liaison:
        return redirect("reports:review_queue" if request.user.is_coordinator else "tasks:plan_list")
    unit = request.user.unit
    today = timezone.localdate()  # days left and overdue change at midnight
    filters = _todo_filters(request.GET)
    versions = part_versions(unit_reports_key(unit.pk), CALENDAR_KEY, ANNUAL_KEY, REGISTRY_KEY)
    body = cached_body(request, ["todo", unit.pk, *versions, today],
                       "reports/parts/todo.html", lambda: _todo_context(unit, today, filters),
                       query=canonical_query(filters))
    return render(request, "reports/page.html", {"title": "我的待办", "body": body})


def _todo_filters(data) -> dict[str, str]:
    """The filters as the form can take them: a state it offers, a chapter id written plainly; anything else is
    left out (as if absent), so the cache key names only values the form itself could have been given."""
    from reports.models import TODO_STATES

    state, chapter = data.get("state") or "", data.get("chapter") or ""
    return {"state": state if state in TODO_STATES else "",
            "chapter": chapter if chapter.isascii() and chapter.isdigit() and len(chapter) < 16
            and not chapter.startswith("0") else ""}


def _todo_context(unit, today, filters: dict[str, str]) -> dict[str, Any]:
    chapters = _todo_chapters(unit)
    data = {k: v for k, v in filters.items() if v}
    form = TodoFilterForm(data or None, chapters=chapters)
    state, chapter_id = form.values()
    obligations = list(Obligation.objects.todo_list(unit, state=state, chapter_id=chapter_id))
    for ob in obligations:
        ob.days = ob.days_left(today)
        ob.overdue = -ob.days
    groups: list[dict[str, Any]] = []
    for ob in obligations:
        if not groups or groups[-1]["period"].pk != ob.period_id:
            groups.append({"period": ob.period, "days": ob.days, "overdue": ob.overdue, "rows": []})
        groups[-1]["rows"].append(ob)
    return {
        "form": form, "groups": groups, "count": len(obligations), "state": state, "unit": unit,
        "summary": Obligation.objects.todo_summary(unit), "today": today,
        "filtered": state != "todo" or chapter_id is not None,
        "annual": annual_status(unit, today),
    }


def _todo_chapters(unit) -> list[tuple[int, str]]:
    """Chapters the unit owes reports under in open periods, named with their plan when several plans are open."""
    from tasks.models import Chapter

    rows = list(
        Chapter.objects.filter(items__obligations__in=Obligation.objects.in_open_periods(unit))
        .distinct().select_related("plan").order_by("plan__year", "plan_id", "seq")
    )
    several_plans = len({c.plan_id for c in rows}) > 1
    return [(c.pk, f"{c.plan.title} · {c}" if several_plans else str(c)) for c in rows]


@require_POST
def start(request: HttpRequest, obligation_pk: int) -> HttpResponse:
    try:
        obligation = get_obligation_for_user(request.user, obligation_pk, write=True)
        report = services.start_report(obligation=obligation, user=request.user)
    except (ReportLocked, services.ReportError) as exc:
        messages.error(request, _message(exc))
        return redirect("reports:todo")
    return redirect("reports:edit", pk=report.pk)


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "操作未完成。"


def _rebound(request: HttpRequest, *, version: int) -> ReportForm:
    """The report form as the user typed it, holding ``version`` for its next save."""
    data = request.POST.copy()
    data["version"] = str(version)
    form = ReportForm(data)
    form.is_valid()
    return form


def _figure_rows(report: Report) -> list[dict[str, Any]]:
    return [{"label": f.label, "value": f.value.normalize() if f.value is not None else None, "unit": f.unit}
            for f in report.figures.all()]


def _save_uploads(request: HttpRequest, report: Report, evidence: EvidenceForm) -> list[str]:
    """Store every acceptable file right away, so a form with other errors never loses an upload."""
    errors: list[str] = []
    if not evidence.is_valid():
        return [str(e) for e in evidence.errors.get("files", [])]
    for upload in evidence.cleaned_data["files"]:
        try:
            kind = validate_upload(upload)
            services.add_attachment(report=report, upload=upload, kind=kind, user=request.user)
        except ValidationError as exc:
            errors.append(_message(exc))
    return errors


def edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = get_report_for_user(request.user, pk, write=True)
    except ReportLocked as exc:
        messages.warning(request, str(exc))
        return redirect("reports:detail", pk=pk)
    stale: Report | None = None
    upload_errors: list[str] = []
    if request.method == "POST":
        form = ReportForm(request.POST)
        figures = FigureFormSet(request.POST, prefix="fig")
        evidence = EvidenceForm(request.POST, request.FILES)
        upload_errors = _save_uploads(request, report, evidence)
        if form.is_valid() and figures.is_valid() and not upload_errors:
            rows = [f.cleaned_data for f in figures.forms if f.cleaned_data]
            saved = False
            try:
                report = services.save_report(report=report, data=form.cleaned_data, figures=rows,
                                              user=request.user, expected_version=form.cleaned_data["version"])
                saved = True
                if request.POST.get("action") == "submit":
                    services.submit_report(report=report, user=request.user)
                    messages.success(request, "报告已报送，等待法治办审核。")
                    return redirect("reports:detail", pk=report.pk)
                messages.success(request, "已保存草稿。")
                return redirect("reports:edit", pk=report.pk)
            except services.StaleReportError as exc:
                stale = exc.current
                # The typed text stays in the form beside the newer one; the next save is a deliberate choice
                # made after seeing the other person's text.
                form = _rebound(request, version=stale.version)
            except services.ReportError as exc:
                messages.error(request, _message(exc))
                report.refresh_from_db()
                if saved:
                    # 保存并报送 saved the draft, then the submit was refused: this form now holds the saved
                    # version, so its next save is not taken for someone else's. A second tab keeps its own
                    # (older) version and is still caught.
                    form = _rebound(request, version=report.version)
                if request.POST.get("action") == "submit" and not report.measures.strip():
                    form.add_error("measures", "报送前请填写工作举措与成效。")  # at the field, not only the banner
        else:
            messages.error(request, "请按提示修改后再保存；已填写的内容和已上传的文件都已保留。")
    else:
        # The unbound form of this version of the report, the same for every liaison of the unit (the CSRF token is
        # put in per viewer): cached under the report's version (text, figures, state) and its files' version.
        # A form sent back with errors or a stale save is never cached (above: rendered from the POST).
        files_v, registry_v = part_versions(report_files_key(report.pk), REGISTRY_KEY)
        period = report.obligation.period
        key = ["edit", report.pk, report.version, report.state, files_v, registry_v, period.status,
               period.due_on, period.name, request.user.unit_id]
        body = cached_body(request, key, "reports/parts/edit.html", lambda: _edit_context(report))
        return render(request, "reports/edit.html", {"obligation": report.obligation, "body": body})
    body = render_to_string("reports/parts/edit.html", {
        "report": report, "obligation": report.obligation, "form": form, "figures": figures,
        "evidence": evidence, "attachments": report.attachments.all(), "upload_errors": upload_errors,
        "stale": stale, "stale_figures": stale.figures.all() if stale else None,
        "max_files": MAX_FILES_PER_REPORT,
    }, request=request)
    return render(request, "reports/edit.html", {"obligation": report.obligation, "body": body})


def _edit_context(report: Report) -> dict[str, Any]:
    form = ReportForm(initial={
        "progress": report.progress, "percent": report.percent, "delay_reason": report.delay_reason,
        "measures": report.measures, "problems": report.problems, "next_steps": report.next_steps,
        "version": report.version,
    })
    return {
        "report": report, "obligation": report.obligation, "form": form,
        "figures": FigureFormSet(initial=_figure_rows(report), prefix="fig"), "evidence": EvidenceForm(),
        "attachments": report.attachments.all(), "upload_errors": [], "stale": None, "stale_figures": None,
        "max_files": MAX_FILES_PER_REPORT,
    }


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = get_report_for_user(request.user, pk, write=True)
        services.submit_report(report=report, user=request.user)
        messages.success(request, "报告已报送，等待法治办审核。")
    except (ReportLocked, services.ReportError) as exc:
        messages.error(request, _message(exc))
        if not isinstance(exc, ReportLocked):
            return redirect("reports:edit", pk=pk)
    return redirect("reports:detail", pk=pk)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request.user, pk)  # the read rule first: a cached body is only for a reader
    own = is_own_unit(request.user, report.obligation.unit_id)
    can_edit = can_edit_report(request.user, report)
    lock_reason = edit_block_reason(report) if own else ""
    reviewing = can_review(request.user) and report.state == ReportState.SUBMITTED
    files = can_read_attachments(request.user, report)
    # What the viewer is shown beyond the report: its buttons, the lock reason and whether its files are listed.
    # The report's own version moves on every save and transition (its text, figures and events); its files
    # have their own version; the period's status and dates are read with the report; names are the registry's.
    files_v, registry_v, users_v = part_versions(report_files_key(report.pk), REGISTRY_KEY, USERS_KEY)
    obligation, period = report.obligation, report.obligation.period
    # users_v: the history names the people who acted (a renamed user shows at once).
    key = ["detail", report.pk, report.version, report.state, files_v if files else "-", registry_v, users_v,
           period.status, period.due_on, period.name, can_edit, lock_reason, reviewing]

    def context() -> dict[str, Any]:
        return {
            "report": report, "obligation": obligation, "figures": report.figures.all(),
            "attachments": report.attachments.all() if files else None,
            "events": report.events.select_related("actor"),
            "can_edit": can_edit, "lock_reason": lock_reason, "can_review": reviewing,
            "return_form": ReturnForm(), "approve_form": ApproveForm(),
        }

    body = cached_body(request, key, "reports/parts/detail.html", context)
    return render(request, "reports/page.html", {"title": str(obligation.item), "body": body})


def history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every saved version of the report's text, each compared with the one before it."""
    report = get_report_for_user(request.user, pk)
    return render(request, "reports/history.html", {"report": report, "obligation": report.obligation,
                                                     "versions": version_diffs(report)})


def download_attachment(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Evidence that opens in the browser: only these formats, recognised by their first bytes (never by the stored
# name or content type), so an HTML or SVG file renamed .pdf can never be rendered as a page of this site.
INLINE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
# No script, no plugin, no form, no framing, in an opaque origin; Chromium's PDF viewer still renders under it
# (checked in tests/e2e/test_evidence_inline.py).
INLINE_CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'; "
              "base-uri 'none'; form-action 'none'")


def inline_type(head: bytes) -> str:
    """The content type to show a file inline with, judged by its first bytes; "" means download it instead."""
    return next((ctype for signature, ctype in INLINE_SIGNATURES if head.startswith(signature)), "")


def view_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a PDF, PNG or JPEG in the browser for everyone who may download it; anything else is downloaded."""
    attachment = get_attachment_for_user(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在。") from exc
    content_type = inline_type(handle.read(8))
    if not content_type:
        handle.close()
        return redirect("reports:attachment", pk=attachment.pk)
    handle.seek(0)
    response = FileResponse(handle, as_attachment=False, filename=attachment.original_name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = INLINE_CSP
    return response


@require_POST
def delete_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        attachment = get_attachment_for_user(request.user, pk, write=True)
    except ReportLocked as exc:
        messages.error(request, str(exc))
        return redirect("reports:todo")
    report_pk = attachment.report_id
    try:
        services.remove_attachment(attachment=attachment, user=request.user)
        messages.success(request, f"已删除“{attachment.original_name}”。")
    except services.ReportError as exc:
        messages.error(request, _message(exc))
    return redirect("reports:edit", pk=report_pk)


# ---------------------------------------------------------------------------------------------
# Review


def review_queue(request: HttpRequest) -> HttpResponse:
    if not can_review(request.user):
        raise PermissionDenied("只有法治办工作人员可以审核报告。")
    # The body is the same for every reviewer: cached under what it shows (the waiting reports and the open
    # periods: reports_version; names of items, units, chapters: registry_version; the annual reports waiting)
    # and the cleaned filters and page, so a warm request runs no query of its own.
    chosen = ChosenForm.read(request.GET)
    number = min(page_number(request.GET.get("page")), MAX_PAGES + 1)  # all pages past the last look alike
    query = canonical_query({"period": chosen["period"], "chapter": chosen["chapter"], "unit": chosen["unit"],
                             "page": number if number > 1 else None})
    versions = part_versions(REPORTS_KEY, REGISTRY_KEY, ANNUAL_KEY)
    body = cached_body(request, ["review", *versions],
                       "reports/parts/review_queue.html", lambda: _review_context(query), query=query)
    return render(request, "reports/page.html", {"title": "审核", "body": body})


def _review_context(query: str) -> dict[str, Any]:
    data = QueryDict(query)
    filterset = ReviewFilter(data, queryset=Report.objects.review_queue())
    # 50 a page, at most 20 pages deep, counted up to 1,000 ("1,000+"): the same cost with 10 thousand or
    # a million reports (README "Dashboards and performance").
    page = bounded_page(filterset.qs, data.get("page"), count_cap=COUNT_CAP)
    return {"filter": filterset, "page": page, "reports": page.object_list,
            "annual_waiting": list(AnnualReportDraft.objects.review_queue()[:50])}


@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_reviewer(request.user, pk)
    form = ApproveForm(request.POST)
    form.is_valid()
    try:
        services.approve_report(report=report, user=request.user, comment=form.cleaned_data.get("comment", ""))
        messages.success(request, f"已审核通过：{report.obligation.unit.name} · {report.obligation.item}")
    except services.ReportError as exc:
        messages.error(request, _message(exc))
    return HttpResponseRedirect(_next_or(request, reverse("reports:detail", args=[pk])))


@require_POST
def return_(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_reviewer(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, "退回修改时必须填写意见，告诉单位需要修改什么。")
        return HttpResponseRedirect(_next_or(request, reverse("reports:detail", args=[pk])))
    try:
        services.return_report(report=report, user=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, f"已退回修改：{report.obligation.unit.name} · {report.obligation.item}")
    except services.ReportError as exc:
        messages.error(request, _message(exc))
    return HttpResponseRedirect(_next_or(request, reverse("reports:detail", args=[pk])))


# ---------------------------------------------------------------------------------------------
# Item page section


def item_reports(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(WorkItem.objects.select_related("plan", "chapter"), pk=item_pk)
    latest = Report.objects.latest_per_unit(item=item, user=request.user)
    return render(request, "reports/item_reports.html", {"item": item, "latest": latest})
