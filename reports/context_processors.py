from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from reports.badges import unread_notices


def notices(request: HttpRequest) -> dict[str, object]:
    """The unread notice count (nav badge, notices page): one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": SimpleLazyObject(lambda: unread_notices(request))}
