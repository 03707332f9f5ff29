"""Cache versioning per reporting period.

Dashboards cache what they compute per (plan, period) under a key that includes the period's
version; every report transition bumps the version, so stale figures are never served and no
key has to be deleted by pattern (which Redis and LocMem would do differently).
"""

from __future__ import annotations

from django.db import transaction

from fazhi import versions

_TTL = 60 * 60 * 24 * 7


def _key(period_id: int) -> str:
    return f"fazhi:period:{period_id}:version"


def period_version(period_id: int) -> int:
    return versions.read(_key(period_id), _TTL)


def period_versions(period_ids) -> dict[int, int]:
    """The versions of many periods in one cache round trip (the year overview reads a hundred)."""
    return versions.read_many({pid: _key(pid) for pid in period_ids}, _TTL)
_REPORTS_KEY = "fazhi:reports:version"


def reports_version() -> int:
    """One version for figures that span every period (the 审核 badge); bumped with every period version."""
    return versions.read(_REPORTS_KEY, _TTL)


def _incr(key: str) -> None:
    versions.bump(key, _TTL)


def bump_period_version(period_id: int) -> None:
    """Call inside the transaction that changed the period's reports; the bump happens after commit."""

    def bump() -> None:
        _incr(_key(period_id))
        _incr(_REPORTS_KEY)

    transaction.on_commit(bump)
