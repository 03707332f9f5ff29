"""Coordinators search the audit logs and export what they found."""

from __future__ import annotations

from io import BytesIO

from auditlog.models import LogEntry
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from openpyxl import Workbook

from accounts.permissions import coordinator_required
from audit.forms import AuditSearchForm
from audit.queries import change_lines, search_changes, search_events

EXPORT_LIMIT = 100_000
ACTION_LABELS = {LogEntry.Action.CREATE: "新增", LogEntry.Action.UPDATE: "修改", LogEntry.Action.DELETE: "删除",
                 LogEntry.Action.ACCESS: "访问"}


def _safe_cell(value: object) -> object:
    # Never let a recorded value become a spreadsheet formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@coordinator_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    source = form.selected_source
    rows = search_changes(filters) if source == "changes" else search_events(filters)
    if request.GET.get("export") == "xlsx" and (form.is_valid() or not request.GET):
        return _export(source, rows)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    entries = [(entry, change_lines(entry)) for entry in page] if source == "changes" else list(page)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "audit/log.html", {
        "form": form, "source": source, "page": page, "entries": entries, "query": query.urlencode(),
        "action_labels": ACTION_LABELS,
    })


def _export(source: str, rows) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计记录")
    if source == "changes":
        sheet.append(["时间", "操作人", "来源地址", "操作", "对象类型", "对象", "变更内容（旧值 → 新值）"])
        for entry in rows[:EXPORT_LIMIT]:
            sheet.append([_safe_cell(v) for v in [
                timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor.username if entry.actor else "（系统）",
                entry.remote_addr or "",
                ACTION_LABELS.get(entry.action, str(entry.action)),
                str(entry.content_type.model_class()._meta.verbose_name) if entry.content_type.model_class() else "",
                entry.object_repr,
                "\n".join(change_lines(entry)),
            ]])
    else:
        sheet.append(["时间", "事件", "用户名", "来源地址", "请求", "说明", "浏览器"])
        for event in rows[:EXPORT_LIMIT]:
            sheet.append([_safe_cell(v) for v in [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.get_kind_display(), event.username, event.ip_address or "",
                f"{event.method} {event.path}".strip(), event.detail, event.user_agent,
            ]])
    buffer = BytesIO()
    book.save(buffer)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-{source}-{stamp}.xlsx"'
    return response
