"""Coordinators search the audit logs; exports of what they found are built by the exports app."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import coordinator_required
from audit.exporting import ACTION_LABELS
from audit.forms import AuditSearchForm
from audit.queries import change_lines, search


@coordinator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    source = form.selected_source
    rows = search(source, filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    entries = [(entry, change_lines(entry)) for entry in page] if source == "changes" else list(page)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "audit/log.html", {
        "form": form, "source": source, "page": page, "entries": entries, "query": query.urlencode(),
        "action_labels": ACTION_LABELS,
        "can_export": form.is_valid() or not request.GET,
    })
