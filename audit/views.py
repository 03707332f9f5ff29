"""Coordinators search the audit logs; exports of what they found are built by the exports app."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.permissions import coordinator_required
from audit.exporting import ACTION_LABELS
from audit.forms import AuditSearchForm
from audit.queries import change_lines, search, with_related_names
from fazhi.paging import COUNT_CAP, bounded_page

# The screen opens on the last 30 days: the log grows with every change, and a search over all time (clear the
# start date) is the exception, not what every visit pays for.
DEFAULT_DAYS = 30


@coordinator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    if not query:
        default_from = timezone.localdate() - dt.timedelta(days=DEFAULT_DAYS)
        form = AuditSearchForm(initial={"date_from": default_from})
        filters = {"date_from": default_from}
        query = QueryDict(mutable=True)
        query["date_from"] = default_from.isoformat()
        source = "changes"
    else:
        form = AuditSearchForm(query)
        filters = form.cleaned_data if form.is_valid() else {}
        source = form.selected_source
    rows = search(source, filters)
    page = bounded_page(rows, request.GET.get("page"), count_cap=COUNT_CAP)
    if source == "changes":
        entries = [(entry, change_lines(entry)) for entry in with_related_names(list(page))]
    else:
        entries = list(page)
    return render(request, "audit/log.html", {
        "form": form, "source": source, "page": page, "entries": entries, "query": query.urlencode(),
        "action_labels": ACTION_LABELS,
        "can_export": not form.is_bound or form.is_valid(),
    })
