from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def notices(request: HttpRequest) -> dict[str, object]:
    """The unread notice count for the nav badge: one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from reports.notices import unread_count

        return unread_count(user)

    return {"unread_notice_count": SimpleLazyObject(count)}
