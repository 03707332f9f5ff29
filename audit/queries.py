"""Searching the two audit logs with the same filters, for the screen and the .xlsx export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import SecurityEvent


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _in_days(qs: QuerySet, field: str, filters: dict[str, Any]) -> QuerySet:
    """Both ends inclusive, in local days (Asia/Shanghai)."""
    if filters.get("date_from"):
        qs = qs.filter(**{f"{field}__gte": _day_start(filters["date_from"])})
    if filters.get("date_to"):
        qs = qs.filter(**{f"{field}__lt": _day_start(filters["date_to"] + dt.timedelta(days=1))})
    return qs


def search_changes(filters: dict[str, Any]) -> QuerySet[LogEntry]:
    qs = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-id")
    if filters.get("user"):
        qs = qs.filter(Q(actor__username__icontains=filters["user"]) | Q(actor__last_name__icontains=filters["user"])
                       | Q(actor__first_name__icontains=filters["user"]))
    action = filters.get("action") or ""
    if action.isdigit():
        qs = qs.filter(action=int(action))
    elif action:
        qs = qs.none()
    if filters.get("model"):
        qs = qs.filter(content_type_id=int(filters["model"]))
    qs = _in_days(qs, "timestamp", filters)
    if filters.get("q"):
        qs = qs.filter(Q(object_repr__icontains=filters["q"]) | Q(changes_text__icontains=filters["q"])
                       | Q(changes__icontains=filters["q"]) | Q(remote_addr__icontains=filters["q"]))
    return qs


def search_events(filters: dict[str, Any]) -> QuerySet[SecurityEvent]:
    qs = SecurityEvent.objects.select_related("user").order_by("-at", "-id")
    if filters.get("user"):
        qs = qs.filter(username__icontains=filters["user"])
    action = filters.get("action") or ""
    if action and not action.isdigit():
        qs = qs.filter(kind=action)
    elif action:
        qs = qs.none()
    qs = _in_days(qs, "at", filters)
    if filters.get("q"):
        qs = qs.filter(Q(detail__icontains=filters["q"]) | Q(path__icontains=filters["q"])
                       | Q(ip_address__icontains=filters["q"]) | Q(username__icontains=filters["q"]))
    return qs


def search(source: str, filters: dict[str, Any]) -> QuerySet:
    """The rows the screen lists and the export writes: data changes or security events."""
    return search_changes(filters) if source == "changes" else search_events(filters)


def with_related_names(entries: list[LogEntry]) -> list[LogEntry]:
    """Let ``change_lines`` name the objects that foreign-key changes point to without a query per value.

    django-auditlog shows a changed foreign key as the related object's name, fetched one by one: a page of
    50 entries ran dozens of queries. Here the related objects of the whole page are read with one query per
    related model, and each entry looks its names up in that map.
    """
    wanted: dict[type, set] = {}
    plans = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is None:
            continue
        for name, values in (entry.changes_dict or {}).items():
            try:
                field = model._meta.get_field(name)
            except Exception:
                continue
            if getattr(field, "many_to_one", False) or getattr(field, "one_to_one", False):
                for value in values if isinstance(values, list | tuple) else []:
                    try:
                        wanted.setdefault(field.related_model, set()).add(field.related_model._meta.pk.to_python(value))
                    except Exception:
                        continue
        plans.append(entry)
    found = {model: model._default_manager.select_related().in_bulk(pks) for model, pks in wanted.items() if pks}

    def display(field, value):
        if value == "None":
            return value
        try:
            pk = field.related_model._meta.pk.to_python(value)
        except Exception:
            return value
        obj = found.get(field.related_model, {}).get(pk)
        return str(obj) if obj is not None else f"Deleted '{field.related_model.__name__}' ({value})"

    for entry in plans:
        entry._get_changes_display_for_fk_field = display  # read by auditlog's changes_display_dict
    return entries


def change_lines(entry: LogEntry) -> list[str]:
    """Each changed field as "字段：旧值 → 新值", readable by someone who does not know the schema."""
    try:
        display = entry.changes_display_dict
    except Exception:  # a model removed since the entry was written: fall back to the raw values
        display = entry.changes_dict
    lines = []
    for field, values in display.items():
        if isinstance(values, dict):  # many-to-many: {"type": "m2m", "operation": ..., "objects": [...]}
            op = {"add": "添加", "delete": "移除"}.get(values.get("operation"), values.get("operation", ""))
            lines.append(f"{field}：{op} {'、'.join(str(o) for o in values.get('objects', []))}")
        elif isinstance(values, list | tuple) and len(values) == 2:
            lines.append(f"{field}：{_shown(values[0])} → {_shown(values[1])}")
        else:
            lines.append(f"{field}：{_shown(values)}")
    return lines


# auditlog records Python's words for "no value" and booleans; the office reads Chinese.
_WORDS = {"None": "（空）", "": "（空）", "True": "是", "False": "否"}


def _shown(value: object) -> str:
    text = str(value) if value is not None else ""
    return _WORDS.get(text, text)
