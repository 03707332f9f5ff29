"""Auth and django-axes signals feed the security log. Recording is all they do."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from audit.models import EventKind
from audit.services import record_event


def _logged_in(sender, request, user, **kwargs) -> None:
    record_event(kind=EventKind.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs) -> None:
    expired = request is not None and getattr(request, "fazhi_session_expired", False)
    record_event(kind=EventKind.SESSION_EXPIRED if expired else EventKind.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username") or "")
    locked = request is not None and getattr(request, "axes_locked_out", False)
    record_event(kind=EventKind.LOGIN_FAILED, request=request, username=username,
                 detail="账号已锁定期间的尝试" if locked else "")


def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    record_event(kind=EventKind.LOCKED_OUT, request=request, username=username or "",
                 detail=f"来源地址 {ip_address}" if ip_address else "")


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(_logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(_login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit_locked_out")
