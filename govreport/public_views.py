"""Published reports for everyone, without login (信息公开). Only ``Publication.objects.public()`` is shown."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govreport.access import get_public_publication
from govreport.forms import PublicFilterForm
from govreport.models import Publication

PAGE_SIZE = 200


@login_not_required
@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    if not settings.FAZHI_PUBLIC_REPORTS:
        raise Http404("未开放公开查询。")
    form = PublicFilterForm(request.GET or None)
    publications = Publication.objects.public().order_by("-year", "government_name", "-published_at")
    if form.is_valid():
        if form.cleaned_data.get("year"):
            publications = publications.filter(year=form.cleaned_data["year"])
        if form.cleaned_data.get("government"):
            publications = publications.filter(government_name__contains=form.cleaned_data["government"])
    rows = list(publications.select_related(None).only(
        "id", "title", "government_name", "year", "doc_number", "published_at", "written_on", "docx")[:PAGE_SIZE])
    by_year: dict[int, list[Publication]] = {}
    for publication in rows:
        by_year.setdefault(publication.year, []).append(publication)
    years = sorted(Publication.objects.public().values_list("year", flat=True).distinct(), reverse=True)
    return render(request, "govreport/public_list.html", {"by_year": by_year, "form": form, "years": years})


@login_not_required
@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_public_publication(pk)
    return render(request, "govreport/public_detail.html",
                  {"publication": publication, "content": publication.content})


@login_not_required
@require_GET
def public_docx(request: HttpRequest, pk: int) -> FileResponse:
    publication = get_public_publication(pk)
    if not publication.docx:
        raise Http404("Word 文件正在生成，请稍后再试。")
    try:
        handle = publication.docx.open("rb")
    except OSError:  # storage lost the file: say so rather than fail
        raise Http404("Word 文件暂时无法提供。") from None
    response = FileResponse(handle, as_attachment=True,
                            filename=f"{publication.government_name}{publication.year}年度法治政府建设情况报告.docx",
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["X-Content-Type-Options"] = "nosniff"
    return response
