"""Counts shown in the navigation: cheap on every page, never an exact count over a growing table.

- 审核: how many reports wait for review, counted by a bounded query (at most ``REVIEW_BADGE_CAP + 1`` ids,
  shown as "99+" beyond) and cached under ``reports.cachekeys.reports_version()``, which every report
  transition bumps; so a coordinator's page costs one cache read, and one small query after a change.
- 通知: the user's unread notices, cached per user by ``reports.inbox`` (dropped whenever that user's notices
  change), read once per request even when both the badge and the notices page ask.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from fazhi.fragments import read_many
from reports.cachekeys import REPORTS_KEY, reports_version

REVIEW_BADGE_CAP = 99
_TTL = 60 * 60


def review_count_capped() -> int:
    """Reports waiting for review, counted up to ``REVIEW_BADGE_CAP + 1`` (a LIMIT, not a COUNT(*))."""
    from reports.models import Report, ReportState

    return len(Report.objects.filter(state=ReportState.SUBMITTED).order_by()
               .values_list("pk", flat=True)[:REVIEW_BADGE_CAP + 1])


_BADGE_KEY = "fazhi:review-badge"


REVIEW_BADGE_KEYS = [REPORTS_KEY, _BADGE_KEY]


def review_badge(request: HttpRequest | None = None) -> str:
    # The count is stored with the version it was counted at, so one round trip reads both (every page of a
    # coordinator shows the badge); the header asks for them with its own part (``fazhi.fragments.prefetch``).
    found = read_many(request, REVIEW_BADGE_KEYS)
    version = found[REPORTS_KEY] if REPORTS_KEY in found else reports_version()
    stored = found.get(_BADGE_KEY)
    if isinstance(stored, tuple) and stored[0] == version:
        n = stored[1]
    else:
        n = review_count_capped()
        cache.set(_BADGE_KEY, (version, n), _TTL)
    if not n:
        return ""
    return f"{REVIEW_BADGE_CAP}+" if n > REVIEW_BADGE_CAP else str(n)


def unread_notices(request: HttpRequest) -> int:
    if not hasattr(request, "_fazhi_unread_notices"):
        from reports.inbox import unread_count  # cached per user, kept exact by reports.inbox

        request._fazhi_unread_notices = unread_count(request.user, request=request)
    return request._fazhi_unread_notices


def notice_badge(request: HttpRequest) -> str:
    n = unread_notices(request)
    return str(n) if n else ""


def notice_badge_keys(request: HttpRequest) -> list[str]:
    from reports.inbox import unread_key

    return [unread_key(request.user.pk)]
