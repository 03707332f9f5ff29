"""The audit log as .xlsx, with the filters of the search screen; built by the export worker."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.utils import timezone

from audit.forms import AuditSearchForm
from audit.queries import change_lines, search
from fazhi import xlsx

EXPORT_LIMIT = 100_000
ACTION_LABELS = {LogEntry.Action.CREATE: "新增", LogEntry.Action.UPDATE: "修改", LogEntry.Action.DELETE: "删除",
                 LogEntry.Action.ACCESS: "访问"}


def audit_form(query: dict[str, str]) -> AuditSearchForm:
    """The search form bound to a query; an invalid query exports nothing rather than everything."""
    return AuditSearchForm(query or None)


def build_audit_xlsx(query: dict[str, str]) -> bytes:
    form = audit_form(query)
    if query and not form.is_valid():
        raise ValueError("invalid audit filters")
    source = form.selected_source  # "changes" for the unfiltered export
    rows = search(source, form.cleaned_data if query else {})
    # Every row through fazhi.xlsx: a recorded value such as "=cmd|…" stays text, never a formula.
    book = xlsx.new_workbook(write_only=True)
    sheet = book.create_sheet("审计记录")
    if source == "changes":
        xlsx.append_row(sheet, ["时间", "操作人", "来源地址", "操作", "对象类型", "对象", "变更内容（旧值 → 新值）"])
        for entry in rows[:EXPORT_LIMIT].iterator(chunk_size=2000):
            model = entry.content_type.model_class()
            xlsx.append_row(sheet, [
                timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
                entry.actor.username if entry.actor else "（系统）",
                entry.remote_addr or "",
                ACTION_LABELS.get(entry.action, str(entry.action)),
                str(model._meta.verbose_name) if model else "",
                entry.object_repr,
                "\n".join(change_lines(entry)),
            ])
    else:
        xlsx.append_row(sheet, ["时间", "事件", "用户名", "来源地址", "请求", "说明", "浏览器"])
        for event in rows[:EXPORT_LIMIT].iterator(chunk_size=2000):
            xlsx.append_row(sheet, [
                timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
                event.get_kind_display(), event.username, event.ip_address or "",
                f"{event.method} {event.path}".strip(), event.detail, event.user_agent,
            ])
    return xlsx.to_bytes(book)


def audit_export_title(query: dict[str, str]) -> str:
    source = audit_form(query).selected_source
    label = "数据变更" if source == "changes" else "安全事件"
    return f"审计记录-{label}-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
