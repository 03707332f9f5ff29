"""Login lockout: an account after 5 failures in a row, a source address after many more.

django-axes compares one failure count with one limit; this handler gives the account and the
address their own limits and reports "locked" to axes when either is reached.

- Per account: axes' ``AccessAttempt`` rows of that username (any address) within the lock window. A
  correct login deletes only that account's rows (axes' own reset deleted every row sharing the address,
  so one good login from an office NAT erased everybody's failures: the lockout bypass).
- Per address: ``AccessFailureLog`` entries (one per failure, with its time) from that address younger
  than the window, so the count decays and nobody's success resets it; addresses in
  ``FAZHI_LOGIN_IP_ALLOWLIST`` are exempt from this limit only.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max, Sum
from django.utils import timezone


def _failures(queryset) -> int:
    return queryset.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_username(request, credentials=None) -> str | None:
    """The name failures are counted under: axes' own choice (the credentials, else the posted field), cut to
    what its table holds. A name longer than any account is a failed login, not a PostgreSQL error (500)."""
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        return None
    return str(username)[:AccessAttempt._meta.get_field("username").max_length]


def address_failures(ip_address: str | None) -> int:
    """Failures from one address within the window; 0 for allow-listed office addresses."""
    from audit.services import in_networks

    if not ip_address or in_networks(ip_address, settings.FAZHI_LOGIN_IP_ALLOWLIST):
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since).count()


class FazhiAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        # AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"]: the first queryset is the account's.
        by_account = _failures(self.get_user_attempts(request, credentials)[0])
        if address_failures(getattr(request, "axes_ip_address", None)) >= settings.FAZHI_LOGIN_IP_FAILURE_LIMIT:
            return max(by_account, settings.AXES_FAILURE_LIMIT)
        return by_account

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # Only this account's own counter; the address's count decays on its own.
        AccessAttempt.objects.filter(username=user.get_username()).delete()


def active_lockouts() -> list[dict[str, object]]:
    """Accounts and addresses currently locked, for the coordinators' unlock screen."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    rows: list[dict[str, object]] = []
    for row in (
        recent.exclude(username__isnull=True).values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT).order_by("username")
    ):
        last = recent.filter(username=row["username"]).order_by("-attempt_time").first()
        rows.append({"kind": "username", "value": row["username"], "failures": row["failures"],
                     "last_attempt": last.attempt_time if last else None,
                     "until": (last.attempt_time + settings.AXES_COOLOFF_TIME) if last else None})
    failures = AccessFailureLog.objects.filter(attempt_time__gte=since)
    for row in (
        failures.values("ip_address").annotate(failures=Count("id"), last_attempt=Max("attempt_time"))
        .filter(failures__gte=settings.FAZHI_LOGIN_IP_FAILURE_LIMIT).order_by("ip_address")
    ):
        if address_failures(row["ip_address"]) < settings.FAZHI_LOGIN_IP_FAILURE_LIMIT:
            continue  # allow-listed
        rows.append({"kind": "ip_address", "value": row["ip_address"], "failures": row["failures"],
                     "last_attempt": row["last_attempt"], "until": row["last_attempt"] + settings.AXES_COOLOFF_TIME})
    return rows


class FazhiAxesBackend(AxesStandaloneBackend):
    """Checks lockouts for every web login; authentication without a request (shell, scripts,
    tests calling ``authenticate()`` directly) has no client to lock and falls through."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
