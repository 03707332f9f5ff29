"""Screens of the government's annual report (signed in). The public pages are in ``public_views``."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.backends import USERS
from accounts.permissions import coordinator_required
from exports.models import ExportKind
from exports.services import ExportRefused, request_export
from fazhi.containers import ContainerRefused
from fazhi.fragments import cached_part, render_part
from fazhi.officialdoc import TEMPLATE_FIELDS
from fazhi.versions import read_all
from govreport import access, compiling, services
from govreport.cachekeys import GOVREPORT
from govreport.diffing import has_changes, line_diff
from govreport.documents import template_preview_docx
from govreport.forms import (
    ApproveForm,
    CompileForm,
    DetailsForm,
    GovernmentForm,
    IncludeForm,
    PortalForm,
    SectionForm,
    SubmissionForm,
    VersionForm,
)
from govreport.models import GovReport, Part, Publication, ReportState, Section
from govreport.outline import numbered_headings, outline, paragraphs
from tasks.models import Government

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


def report_list(request: HttpRequest) -> HttpResponse:
    if not access.can_read_report(request.user):
        raise PermissionDenied("无权查看政府年度报告。")
    can_edit = access.can_edit_report(request.user)
    today = timezone.localdate()

    def body() -> str:
        reports = list(GovReport.objects.with_government().order_by("-year", "government__name"))
        # Preselect the government last reported on (the list is newest first), else the first (in most
        # deployments the only one); the form has no empty choice.
        government = reports[0].government_id if reports else (
            Government.objects.order_by("name").values_list("pk", flat=True).first())
        form = CompileForm(initial={"year": today.year - 1, "government": government}) if can_edit else None
        return render_part("govreport/_report_list_body.html", {
            "reports": reports, "form": form, "can_edit": can_edit, "today": today})

    # Rendered once per version of the reports and governments (govreport.cachekeys), day (deadlines, the
    # form's default year) and kind of reader (the office gets the compile form, with its own CSRF token).
    content = cached_part(request, ["govreport-list", *read_all(GOVREPORT, USERS), today.isoformat(),
                                    "edit" if can_edit else "read"], body)
    return render(request, "govreport/report_list.html", {"body": content})


@require_POST
@coordinator_required
def report_compile(request: HttpRequest) -> HttpResponse:
    form = CompileForm(request.POST)
    if form.is_valid():
        try:
            report = services.compile_report(government=form.cleaned_data["government"],
                                             year=form.cleaned_data["year"], user=request.user)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, "已按各单位报告汇编。")
            return redirect(report)
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("govreport:list")


def _detail_context(request: HttpRequest, report: GovReport, **extra) -> dict:
    sections = list(report.sections.in_order().select_related("updated_by"))
    headings = numbered_headings(sections)
    blocks = outline(sections)
    # The chapter heading (一、…) to print above the first item section of each chapter.
    chapter_above: dict[int, str] = {}
    pending = ""
    for block in blocks:
        if block.level == 1 and block.section_id is None:
            pending = block.text
        elif block.level and block.section_id is not None and pending:
            chapter_above[block.section_id] = pending
            pending = ""
    publication = report.publications.filter(withdrawn_at__isnull=True).first()
    problems = services.completeness_problems(report) if report.state == ReportState.DRAFT else []
    context = {
        "report": report,
        "sections": [(s, headings.get(s.pk, ""), chapter_above.get(s.pk, "")) for s in sections],
        "blocks": blocks,
        "can_edit": access.can_edit_report(request.user),
        "problems": problems,
        "problems_summary": services.problems_summary(problems),
        "submissions": list(report.submissions.select_related("recorded_by")),
        "publication": publication,
        "publications": list(report.publications.select_related("published_by", "withdrawn_by")),
        "today": timezone.localdate(),
        "details_form": DetailsForm(instance=report, initial={"version": report.version}),
        "approve_form": ApproveForm(initial={"approved_on": timezone.localdate()}),
        "submission_form": SubmissionForm(initial={"submitted_on": timezone.localdate()}),
        "portal_form": PortalForm(initial={"portal_url": publication.portal_url if publication else "",
                                           "portal_on": (publication.portal_on if publication else None)
                                           or timezone.localdate()}),
        "gap_count": sum(1 for s in sections if s.has_gap),
    }
    context.update(extra)
    return context


def _redisplay(request: HttpRequest, report: GovReport, status: int = 400, **forms: object) -> HttpResponse:
    """The report page again with the refused form(s) as typed and their errors (``status`` 400, or 409 for a
    stale save); ``forms`` are ``_detail_context`` keys such as ``approve_form``."""
    return render(request, "govreport/report_detail.html", {
        "report": report, "body": render_to_string("govreport/_report_detail_body.html",
                                                   _detail_context(request, report, **forms), request)},
        status=status)


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    can_edit = access.can_edit_report(request.user)
    # Everything the page shows is the report's own rows (sections, submissions, publications, its government),
    # the names of the people who changed them and the day (deadline, the forms' default dates): rendered once
    # per govreport version, users version, day and kind of reader (the office gets the forms, each with the
    # viewer's own CSRF token). Redisplays with errors are not cached (``_redisplay``).
    content = cached_part(request, ["govreport-detail", report.pk, *read_all(GOVREPORT, USERS),
                                    timezone.localdate().isoformat(), "edit" if can_edit else "read"],
                          lambda: render_part("govreport/_report_detail_body.html",
                                              _detail_context(request, report)))
    return render(request, "govreport/report_detail.html", {"report": report, "body": content})


@require_POST
def report_details(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    form = DetailsForm(request.POST, instance=GovReport.objects.get(pk=report.pk))
    if form.is_valid():
        try:
            services.update_report_details(report=report, data=form.cleaned_data,
                                           expected_version=form.cleaned_data["version"], user=request.user)
        except services.StaleReportError as exc:
            form.add_error(None, exc.messages[0])
            fresh = access.get_report_for_user(request.user, pk)
            return _redisplay(request, fresh, status=409, details_form=form, stale_report=exc.current)
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "报告信息已保存。")
            return redirect(report)
    return _redisplay(request, report, details_form=form)


def _section_context(request: HttpRequest, section: Section, **extra) -> dict:
    report = section.report
    sources = None
    compiled = None
    if section.part == Part.MEASURES and section.item_id:
        compiled = compiling.gather(report.government, report.year, included=report.included_reports,
                                    item_ids=[section.item_id])
        sources = compiled.for_item(section.item_id)
    siblings = list(report.sections.in_order())
    headings = numbered_headings(siblings)
    index = next(i for i, s in enumerate(siblings) if s.pk == section.pk)
    context = {
        "report": report, "section": section, "heading": headings.get(section.pk, section.heading),
        "sources": sources,
        "can_edit": access.can_edit_report(request.user) and report.is_editable,
        "can_read_evidence": access.can_read_evidence(request.user),
        "form": SectionForm(initial={"text": section.text, "version": section.version}),
        "previous": siblings[index - 1] if index else None,
        "next": siblings[index + 1] if index + 1 < len(siblings) else None,
        "has_marker": compiling.has_marker(section.text),
        "text_paragraphs": paragraphs(section.text),
        "part_label": Part(section.part).label,
    }
    context.update(extra)
    return context


def section_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: the section's text beside its sources and warnings (read-only for non-coordinators)."""
    section = access.get_section_for_user(request.user, pk)
    if request.method == "POST":
        section = access.get_section_for_user(request.user, pk, write=True)
        form = SectionForm(request.POST)
        if form.is_valid():
            try:
                services.save_section(section=section, text=form.cleaned_data["text"],
                                      expected_version=form.cleaned_data["version"], user=request.user)
            except services.StaleSectionError as exc:
                form.add_error(None, exc.messages[0])
                return render(request, "govreport/section.html",
                              _section_context(request, exc.current, form=form, stale=exc.current), status=409)
            except ValidationError as exc:
                for message in _errors(exc):
                    form.add_error("text" if "最多" in message else None, message)
            else:
                messages.success(request, "已保存（新版本已记录）。")
                return redirect(section)
        return render(request, "govreport/section.html", _section_context(request, section, form=form), status=400)
    return render(request, "govreport/section.html", _section_context(request, section))


def section_refill(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows what refilling would change; POST (with the version the user saw) replaces the section."""
    section = access.get_section_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.refill_section(section=section, expected_version=form.cleaned_data["version"],
                                        user=request.user)
            except services.StaleSectionError:
                messages.error(request, "在您查看差异期间，此部分已被他人修改。请重新查看差异后再确认。")
                return redirect("govreport:section_refill", pk=section.pk)
            except ValidationError as exc:
                for message in _errors(exc):
                    messages.error(request, message)
            else:
                messages.success(request, "已按来源重新生成此部分（旧文字保留在版本记录中）。")
            return redirect(section)
        messages.error(request, "请求无效，请重新查看差异。")
        return redirect(section)
    fresh = services.refill_text(section)
    lines = line_diff(section.text, fresh)
    return render(request, "govreport/section_refill.html", {
        "section": section, "report": section.report, "lines": lines, "changed": has_changes(lines),
        "form": VersionForm(initial={"version": section.version}),
    })


def section_versions(request: HttpRequest, pk: int) -> HttpResponse:
    section = access.get_section_for_user(request.user, pk)
    versions = list(section.versions.select_related("saved_by").order_by("number"))
    rows = []
    previous = ""
    for version in versions:
        rows.append({"version": version, "lines": line_diff(previous, version.text)})
        previous = version.text
    rows.reverse()
    return render(request, "govreport/section_versions.html",
                  {"section": section, "report": section.report, "rows": rows})


@require_POST
def source_include(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    form = IncludeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效。")
        return redirect(report)
    section = get_object_or_404(Section, pk=form.cleaned_data["section"], report=report)
    try:
        services.set_source_included(report=report, source_report_id=form.cleaned_data["source"],
                                     include=form.cleaned_data["include"], user=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, "已记录；点“按来源重新生成”后生效。")
    return redirect(section)


def _action(request: HttpRequest, report: GovReport, call, success: str) -> HttpResponse:
    try:
        call()
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(report)


@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _redisplay(request, report, approve_form=form)
    return _action(request, report, lambda: services.approve_report(
        report=report, approved_on=form.cleaned_data["approved_on"], meeting=form.cleaned_data["meeting"],
        user=request.user), "已登记审议通过，报告文字已固定。")


@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _action(request, report, lambda: services.reopen_report(report=report, user=request.user),
                   "已退回起草，可以修改。")


@require_POST
def submission_add(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    form = SubmissionForm(request.POST)
    if not form.is_valid():
        return _redisplay(request, report, submission_form=form)
    try:
        services.record_submission(report=report, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for message in _errors(exc):
            form.add_error(None, message)
        return _redisplay(request, report, submission_form=form)
    messages.success(request, "已登记报送。")
    return redirect(report)


@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _action(request, report, lambda: services.publish_report(report=report, user=request.user),
                   "已公开。公开页面和 Word 文件见下方。")


@require_POST
def report_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    return _action(request, report, lambda: services.unpublish_report(report=report, user=request.user),
                   "已撤回公开；公开记录保留。")


@require_POST
def portal_record(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk, write=True)
    publication = report.publications.filter(withdrawn_at__isnull=True).first()
    form = PortalForm(request.POST)
    if publication is None:
        messages.error(request, "报告尚未公开。")
        return redirect(report)
    if not form.is_valid():
        return _redisplay(request, report, portal_form=form)
    return _action(request, report, lambda: services.record_portal(
        publication=publication, url=form.cleaned_data["portal_url"], published_on=form.cleaned_data["portal_on"],
        user=request.user), "已记录政府网站发布地址和日期。")


@require_POST
def report_export(request: HttpRequest, pk: int) -> HttpResponse:
    report = access.get_report_for_user(request.user, pk)
    try:
        job = request_export(user=request.user, kind=ExportKind.GOV_REPORT_DOCX, params={"report": report.pk})
    except (ExportRefused, ObjectDoesNotExist):
        raise PermissionDenied("无权导出该报告。") from None
    return redirect(job)


@coordinator_required
def portal_html(request: HttpRequest, pk: int) -> HttpResponse:
    """The published copy as one self-contained HTML file for the government's portal."""
    report = access.get_report_for_user(request.user, pk, write=True)
    publication = get_object_or_404(Publication, report=report, withdrawn_at__isnull=True)
    html = render_to_string("govreport/portal_export.html", {"publication": publication,
                                                             "content": publication.content})
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename=\"report-{report.year}-{report.pk}.html\""
    response["X-Content-Type-Options"] = "nosniff"
    return response


@coordinator_required
def government_list(request: HttpRequest) -> HttpResponse:
    governments = Government.objects.with_leadership_unit().order_by("name")
    return render(request, "govreport/government_list.html", {"governments": governments})


@require_GET
@coordinator_required
def government_template_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The government's template filled with a sample report, as a .docx to open in Word. Filled on the request
    like the trial fill at upload: a few pages, in the sandbox's time and memory limits."""
    government = get_object_or_404(Government, pk=pk)
    try:
        data = template_preview_docx(government, timezone.localdate().year - 1)
    except ContainerRefused as exc:
        messages.error(request, str(exc))
        return redirect("govreport:government_edit", pk=government.pk)
    except OSError:
        messages.error(request, "已上传的模板文件无法读取，请重新上传。")
        return redirect("govreport:government_edit", pk=government.pk)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    filename = quote(f"{government.name}模板示例.docx")
    response["Content-Disposition"] = f"attachment; filename=\"template-preview.docx\"; filename*=UTF-8''{filename}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@coordinator_required
def government_edit(request: HttpRequest, pk: int) -> HttpResponse:
    government = get_object_or_404(Government, pk=pk)
    form = GovernmentForm(request.POST or None, request.FILES or None, instance=Government.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("template_file")
        try:
            services.save_government(government=government, data=form.cleaned_data, user=request.user,
                                     template=upload.read() if upload else None,
                                     template_name=upload.name if upload else "",
                                     clear_template=form.cleaned_data.get("clear_template", False))
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error(None, message)
        else:
            messages.success(request, "已保存。")
            return redirect("govreport:governments")
    return render(request, "govreport/government_form.html",
                  {"form": form, "government": government, "template_fields": TEMPLATE_FIELDS},
                  status=400 if request.method == "POST" else 200)
