"""In-app notices (the inbox): writing them, marking them read, and the unread count the nav badge shows.

The badge is on every signed-in page, so its count is cached per user (``fazhi:notices:unread:<id>``) and
dropped whenever that user's notices change. Every write of notices goes through this module (``notify``,
``mark_read``, ``mark_all_read``; ``reports.notices`` sends the review notices through ``notify``), which is
what keeps the cached count exact; the short expiry only bounds the damage if a future write forgets to.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from fazhi.fragments import read_many
from reports.cachekeys import bump_now_and_after_commit, notices_key
from reports.models import Notice

UNREAD_TTL = 10 * 60


def unread_key(user_id: int) -> str:
    return f"fazhi:notices:unread:{user_id}"


def forget_unread(user_ids: Iterable[int]) -> None:
    """Drop the cached counts now and again after commit (a request in between may re-cache the old one), and
    move the users' notice versions (the notices page's cached body, ``reports.cachekeys.notices_key``)."""
    user_ids = set(user_ids)
    keys = [unread_key(uid) for uid in user_ids]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
    bump_now_and_after_commit(*(notices_key(uid) for uid in user_ids))


def unread_count(user, *, request: HttpRequest | None = None) -> int:
    key = unread_key(user.pk)
    count = read_many(request, [key]).get(key)
    if count is None:
        count = Notice.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_TTL)
    return count


def inbox(user) -> QuerySet[Notice]:
    """The notices page's order: unread first (they are what the badge counts), then newest first.

    A sort over one user's notices, read a bounded page at a time (``fazhi.paging.bounded_page``)."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notice.objects.filter(user=user).order_by(unread.desc(), "-created_at", "-id")


def notify(*, users: Iterable, title: str, body: str = "", url: str = "") -> list[Notice]:
    users = list(users)
    notices = Notice.objects.bulk_create([Notice(user=u, title=title[:200], body=body, url=url) for u in users])
    forget_unread(u.pk for u in users)
    return notices


def mark_read(*, notice: Notice) -> Notice:
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        forget_unread([notice.user_id])
    return notice


def mark_all_read(*, user, keep: Iterable[int] = ()) -> int:
    """Every unread notice of ``user`` becomes read, except the notices ``keep`` names (the demo leaves a few)."""
    n = (Notice.objects.filter(user=user, read_at__isnull=True).exclude(pk__in=list(keep))
         .update(read_at=timezone.now()))
    forget_unread([user.pk])
    return n
