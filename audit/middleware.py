"""Every refused access is a security event: 403s, and 404s raised by a view's object lookup."""

from __future__ import annotations

from collections.abc import Callable

from auditlog.middleware import AuditlogMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from audit.models import EventKind
from audit.services import client_ip, record_event


class DenialAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            record_event(kind=EventKind.DENIED, request=request,
                         detail=getattr(request, "_audit_reason", "") or "HTTP 403")
        elif (
            response.status_code == 404
            and getattr(request, "_audit_not_found", False)
            and request.user.is_authenticated
        ):
            record_event(kind=EventKind.NOT_FOUND, request=request, detail=request._audit_reason)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        # A 404 for an unknown URL is noise; a 404 raised inside a view is a lookup that found
        # nothing the user may see (another unit's report id, for example): worth recording.
        if isinstance(exception, PermissionDenied):
            request._audit_reason = str(exception) or "PermissionDenied"
        elif isinstance(exception, Http404):
            request._audit_not_found = True
            request._audit_reason = str(exception)[:500] or "Http404"
        return None


class AuditContextMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, but the address comes from ``client_ip``: auditlog would trust the
    left-most X-Forwarded-For entry, which any client can forge."""

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
