"""Coordinators search the audit logs; exports of what they found are built by the exports app."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from accounts.permissions import coordinator_required
from audit.cachekeys import audit_version, newest_ids
from audit.exporting import ACTION_LABELS
from audit.forms import AuditSearchForm
from audit.queries import change_lines, search, with_related_names
from fazhi.fragments import render_part
from fazhi.listcache import cached_list, field_values, page_key
from fazhi.paging import COUNT_CAP, bounded_page

# The screen opens on the last 30 days: the log grows with every change, and a search over all time (clear the
# start date) is the exception, not what every visit pays for.
DEFAULT_DAYS = 30
# Where the export form (the visitor's query string and CSRF token) goes in the cached body.
EXPORT_MARKER = "<!--fazhi:audit-export-->"


@coordinator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    today = timezone.localdate()
    default = not query
    if default:
        query = QueryDict(mutable=True)
        query["date_from"] = (today - dt.timedelta(days=DEFAULT_DAYS)).isoformat()

    def render_body():
        if default:
            default_from = today - dt.timedelta(days=DEFAULT_DAYS)
            form = AuditSearchForm(initial={"date_from": default_from})
            filters = {"date_from": default_from}
            source = "changes"
        else:
            form = AuditSearchForm(query)
            filters = form.cleaned_data if form.is_valid() else {}
            source = form.selected_source
        page = bounded_page(search(source, filters), request.GET.get("page"), count_cap=COUNT_CAP)
        if source == "changes":
            entries = [(entry, change_lines(entry)) for entry in with_related_names(list(page))]
        else:
            entries = list(page)
        return render_part("audit/_log_body.html", {
            "form": form, "source": source, "page": page, "entries": entries, "action_labels": ACTION_LABELS,
            "can_export": not form.is_bound or form.is_valid(), "export_marker": mark_safe(EXPORT_MARKER),
        }), page

    # Both logs are append-only: the body is rendered once per newest entry (and audit version), day (the
    # default view is "the last 30 days") and query, for every coordinator alike.
    body, page = cached_list(request, (
        "audit-log", *newest_ids(), audit_version(), today.isoformat(), "default" if default else "query",
        field_values(query, AuditSearchForm.base_fields), page_key(request.GET.get("page"))), render_body)
    if EXPORT_MARKER in body:
        export = format_html(
            '<form method="post" action="{}" class="actions">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
            '  <button type="submit" class="btn">导出当前查询结果（Excel）</button>\n</form>',
            reverse("exports:request_audit") + (f"?{query.urlencode()}" if query else ""), get_token(request))
        body = mark_safe(body.replace(EXPORT_MARKER, export))
    return render(request, "audit/log.html", {"body": body, "page": page})
