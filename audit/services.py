"""The one place security events are written, and the retention job that prunes old audit records."""

from __future__ import annotations

import datetime as dt
import ipaddress

from auditlog.models import LogEntry
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.cachekeys import bump_audit_version
from audit.models import EventKind, SecurityEvent


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value or "")
    except ValueError:
        return None


def in_networks(address: str | None, networks) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the socket peer, or with FAZHI_PROXY_COUNT=n the n-th entry from the
    right of X-Forwarded-For (the one our own nginx appended) — but only when the socket peer is one of
    FAZHI_TRUSTED_PROXIES: a client talking to gunicorn directly cannot choose its address by sending the
    header. Used by django-axes too."""
    if request is None:
        return None
    peer = request.META.get("REMOTE_ADDR") or None
    hops = settings.FAZHI_PROXY_COUNT
    if hops and in_networks(peer, settings.FAZHI_TRUSTED_PROXIES):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            return candidate if _address(candidate) is not None else None
    return peer


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
    # django-axes' per-failure log (the per-address lockout count reads its last 30 minutes) would otherwise
    # grow with every guessed username for ever.
    AccessFailureLog.objects.filter(attempt_time__lt=cutoff).delete()
    if events or entries:
        bump_audit_version()  # the audit page is cached under it (audit.cachekeys)
    return events, entries
