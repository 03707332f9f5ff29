"""Asking for a file (POST, then the job's page), watching it being made, downloading it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from audit.exporting import audit_form
from audit.forms import AuditSearchForm
from exports import services
from exports.kinds import SPECS
from exports.models import ExportJob, ExportKind, ExportState
from reports.access import is_own_unit
from reports.cachekeys import part_versions
from reports.parts import cached_body

RECENT = 50


def get_job_for_user(user: User, pk: int) -> ExportJob:
    """A user's own export, and only while they may still have it; anyone else's is 404."""
    job = get_object_or_404(ExportJob, pk=pk, requested_by_id=user.pk)
    if not services.may_have(user, job.kind, job.params):
        raise Http404("没有找到该文件。")
    return job


def _ask(request: HttpRequest, kind: str, params: dict) -> HttpResponse:
    try:
        job = services.request_export(user=request.user, kind=kind, params=params)
    except ObjectDoesNotExist as exc:
        raise Http404("没有找到要导出的内容。") from exc
    return redirect(job)


@require_POST
def request_annual(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    if not 1949 < year < 2200:
        raise Http404("年度不正确。")
    params = {"unit": unit_pk, "year": year}
    if is_own_unit(request.user, unit_pk):
        params["unsent"] = True  # the unit's liaison sees its own texts before sending them
    return _ask(request, ExportKind.ANNUAL_DOCX, params)


@require_POST
def request_period_summary(request: HttpRequest, period_pk: int) -> HttpResponse:
    return _ask(request, ExportKind.PERIOD_XLSX, {"period": period_pk})


@require_POST
def request_audit(request: HttpRequest) -> HttpResponse:
    # The filters of the search screen travel in the query string, exactly as the screen shows them.
    fields = AuditSearchForm.base_fields
    query = {key: value for key, value in request.GET.items() if key in fields and value != ""}
    if query and not audit_form(query).is_valid():
        messages.error(request, "筛选条件有误，请先修正后再导出。")
        return redirect("audit:log")
    return _ask(request, ExportKind.AUDIT_XLSX, {"query": query})


def job_list(request: HttpRequest) -> HttpResponse:
    # The user's own list, cached under their exports version (moved by every write in exports.services).
    version, = part_versions(services.jobs_key(request.user.pk))
    body = cached_body(request, ["exports", request.user.pk, version, settings.FAZHI_EXPORT_KEEP_DAYS],
                       "exports/parts/list.html", lambda: {
                           "jobs": list(ExportJob.objects.for_user(request.user)[:RECENT]),
                           "keep_days": settings.FAZHI_EXPORT_KEEP_DAYS})
    return render(request, "reports/page.html", {"title": "我的导出", "body": body})


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return render(request, "exports/detail.html", {"job": job})


def download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_job_for_user(request.user, pk)
    if job.state != ExportState.DONE:
        raise Http404("文件还没有生成。")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已被清除，请重新生成。") from exc
    response = FileResponse(handle, as_attachment=True, filename=job.title, content_type=SPECS[job.kind].content_type)
    # Generated files carry whole units' reports: no shared cache or browser disk cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request.user, pk)
    return _ask(request, job.kind, job.params)
