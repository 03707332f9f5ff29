"""Cache versioning per reporting period.

Dashboards cache what they compute per (plan, period) under a key that includes the period's
version; every report transition bumps the version, so stale figures are never served and no
key has to be deleted by pattern (which Redis and LocMem would do differently).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

_TTL = 60 * 60 * 24 * 7


def _key(period_id: int) -> str:
    return f"fazhi:period:{period_id}:version"


def period_version(period_id: int) -> int:
    version = cache.get(_key(period_id))
    if version is None:
        cache.add(_key(period_id), 1, _TTL)
        version = cache.get(_key(period_id), 1)
    return int(version)


def period_versions(period_ids) -> dict[int, int]:
    """The versions of many periods in one cache round trip (the year overview reads a hundred)."""
    keys = {pid: _key(pid) for pid in period_ids}
    found = cache.get_many(list(keys.values()))
    versions = {}
    for pid, key in keys.items():
        if key in found:
            versions[pid] = int(found[key])
        else:
            versions[pid] = period_version(pid)
    return versions
_REPORTS_KEY = "fazhi:reports:version"


def reports_version() -> int:
    """One version for figures that span every period (the 审核 badge); bumped with every period version."""
    version = cache.get(_REPORTS_KEY)
    if version is None:
        cache.add(_REPORTS_KEY, 1, _TTL)
        version = cache.get(_REPORTS_KEY, 1)
    return int(version)


def _incr(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not cached yet: nothing stale can be served
        cache.add(key, 2, _TTL)


def bump_period_version(period_id: int) -> None:
    """Call inside the transaction that changed the period's reports; the bump happens after commit."""

    def bump() -> None:
        _incr(_key(period_id))
        _incr(_REPORTS_KEY)

    transaction.on_commit(bump)
