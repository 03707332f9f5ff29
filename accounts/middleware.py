"""Session lifetime and forced password changes, enforced on every request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

STARTED_KEY = "fazhi_session_started"
SEEN_KEY = "fazhi_session_seen"
# Writing the session on every click would cost a write per request; a minute's precision is enough.
_SEEN_GRANULARITY = 60


def start_session_clock(sender, request, user, **kwargs) -> None:
    """At login, so the first page after it need not write the session again."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED_KEY] = now
        request.session[SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """End a session after FAZHI_SESSION_IDLE_MINUTES without a request and FAZHI_SESSION_MAX_HOURS in any case."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(STARTED_KEY)
            seen = session.get(SEEN_KEY)
            if started is None or seen is None:
                session[STARTED_KEY] = started = now
                session[SEEN_KEY] = seen = now
            idle_limit = settings.FAZHI_SESSION_IDLE_MINUTES * 60
            absolute_limit = settings.FAZHI_SESSION_MAX_HOURS * 3600
            if now - seen > idle_limit or now - started > absolute_limit:
                request.fazhi_session_expired = True  # read by the audit log's logout receiver
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - seen >= _SEEN_GRANULARITY:
                session[SEEN_KEY] = now
        return self.get_response(request)


def password_change_is_due(user) -> bool:
    if user.must_change_password:
        return True
    days = settings.FAZHI_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    from django.utils import timezone

    changed = user.password_changed_at or user.date_joined
    return (timezone.now() - changed).days >= days


class PasswordChangeRequiredMiddleware:
    """Send people whose password must change (first login, expiry) to the change page until they do."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and password_change_is_due(user):
            allowed = {reverse("accounts:password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("accounts:password_change")
        return self.get_response(request)
