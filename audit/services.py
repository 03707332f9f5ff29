"""The one place security events are written, and the retention job that prunes old audit records."""

from __future__ import annotations

import datetime as dt
import ipaddress

from auditlog.models import LogEntry
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.models import EventKind, SecurityEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the socket peer, or with FAZHI_PROXY_COUNT=n the n-th entry from the
    right of X-Forwarded-For (the one our own nginx appended). Used by django-axes too."""
    if request is None:
        return None
    hops = settings.FAZHI_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                return None
            return candidate
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    kind: EventKind,
    request: HttpRequest | None = None,
    user=None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not username:
        username = user.get_username()
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or "")[:150],
        ip_address=client_ip(request),
        method=(request.method or "")[:10] if request is not None else "",
        path=request.get_full_path()[:500] if request is not None else "",
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else "",
        detail=detail,
    )


@transaction.atomic
def prune_audit(*, now: dt.datetime | None = None, retention_days: int | None = None) -> tuple[int, int]:
    """Delete audit records older than the retention period; returns (security events, change entries)."""
    days = retention_days if retention_days is not None else settings.FAZHI_AUDIT_RETENTION_DAYS
    if days < settings.FAZHI_AUDIT_MIN_RETENTION_DAYS:
        raise ValueError(f"审计记录至少保留 {settings.FAZHI_AUDIT_MIN_RETENTION_DAYS} 天。")
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    events, _ = SecurityEvent.objects.filter(at__lt=cutoff).delete()
    entries, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    return events, entries
