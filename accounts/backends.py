"""Signing in checks the password as Django does; every later request finds the user in the cache.

Every signed-in request needs its user (and a liaison's unit, shown in the nav). Read from the
database that was one or two queries on every page; here it is one cache read (Redis in production),
kept exact by dropping the entry whenever the user or their unit is saved or deleted
(``accounts.apps``), so a deactivated account, a changed password or a new role takes effect on the
very next request: ``ModelBackend.user_can_authenticate`` refuses an inactive user and Django's session
hash check refuses a session made with an old password. Only with a cache every server process shares
(``FAZHI_CACHE_USERS``, on when ``REDIS_URL`` is set). Writes to users therefore go through
``save()`` (the services do); a bulk ``update()`` would be seen only when the entry expires (``TTL``).
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from fazhi.versions import Version

TTL = 5 * 60
USERS_KEY = "fazhi:users:version"
_USERS_TTL = 60 * 60 * 24 * 30
USERS = Version(USERS_KEY, _USERS_TTL)  # read here; bumped below with ``versions.bump`` on every user save


def users_version() -> int:
    """Moves whenever any user is saved or deleted: for cached page parts that show people's names."""
    return USERS.read()


def user_key(user_id: object) -> str:
    return f"fazhi:auth:user:{user_id}"


def forget_users(user_ids) -> None:
    """Now and again after commit, so a request running in between cannot keep the old row cached."""
    keys = [user_key(uid) for uid in set(user_ids)]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        from django.conf import settings

        from accounts.models import User

        if not settings.FAZHI_CACHE_USERS:  # no shared cache (no REDIS_URL): read the row, with the unit
            user = User._default_manager.select_related("unit").filter(pk=user_id).first()
            return user if user is not None and self.user_can_authenticate(user) else None
        key = user_key(user_id)
        user = cache.get(key)
        if user is None:
            try:
                user = User._default_manager.select_related("unit").get(pk=user_id)
            except (User.DoesNotExist, ValueError, TypeError):
                return None
            cache.set(key, user, TTL)
        return user if self.user_can_authenticate(user) else None


def _bump_users() -> None:
    from fazhi import versions

    versions.bump(USERS_KEY, _USERS_TTL)


def forget_saved_user(sender, instance, **kwargs) -> None:
    forget_users([instance.pk])
    _bump_users()
    transaction.on_commit(_bump_users)


def forget_unit_users(sender, instance, **kwargs) -> None:
    from accounts.models import User

    forget_users(User.objects.filter(unit_id=instance.pk).values_list("pk", flat=True))
