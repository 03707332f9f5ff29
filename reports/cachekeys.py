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


def period_key(period_id: int) -> str:
    """The cache key of the period's version (for ``part_versions``, to read it with others at once)."""
    return _key(period_id)


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

    # The all-reports version also moves now, so the writing request's redirect already sees its change (the
    # review queue); the period version only after commit (dashboards keep figures that were committed).
    _incr(_REPORTS_KEY)
    transaction.on_commit(bump)


# --- Versions for cached page parts (fazhi.fragments) -------------------------------------------------------
# Counters of fazhi.versions (started from the clock, so a lost one never repeats a number). Bumped now *and*
# after commit: the writing request (and the next one, e.g. after a redirect) sees its change at once, and a
# request that read the old rows between the first bump and the commit cannot keep its part under the newest
# version.

_PART_TTL = 60 * 60 * 24 * 30


def part_versions(*keys: str) -> tuple[int, ...]:
    """The versions under ``keys`` in one cache round trip (missing ones are started)."""
    found = versions.read_many(dict(enumerate(keys)), _PART_TTL)
    return tuple(found[i] for i in range(len(keys)))


def _bump_parts(keys: tuple[str, ...]) -> None:
    for key in keys:
        versions.bump(key, _PART_TTL)


def bump_now_and_after_commit(*keys: str) -> None:
    if not keys:
        return
    _bump_parts(keys)
    transaction.on_commit(lambda: _bump_parts(keys))


def unit_reports_key(unit_id: int) -> str:
    """A unit's report states: every start and transition of the unit's reports (我的待办 shows each report's
    state, lateness and return comment, none of which a plain save changes)."""
    return f"fazhi:unit:{unit_id}:reports:version"


def unit_drafts_key(unit_id: int) -> str:
    """Everything a unit's own people see of its reports, drafts included: every write, saves too (the
    liaison's own dashboard matrix shows its drafts' progress)."""
    return f"fazhi:unit:{unit_id}:drafts:version"


def report_files_key(report_id: int) -> str:
    """A report's evidence files (added and removed without a new report version)."""
    return f"fazhi:report:{report_id}:files:version"


def notices_key(user_id: int) -> str:
    """A user's notices and notice setting (the notices page); bumped by ``reports.inbox``."""
    return f"fazhi:notices:{user_id}:version"


# The filing calendar: periods opened, closed, reopened or re-synced (which obligations exist and are open).
CALENDAR_KEY = "fazhi:calendar:version"
# Every unit's year-end report and the annual due dates (我的待办, the review queue's waiting list).
ANNUAL_KEY = "fazhi:annual:version"
# Counters kept elsewhere that a part's key may name too, read in the same round trip.
REPORTS_KEY = _REPORTS_KEY
REGISTRY_KEY = "fazhi:registry:version"  # tasks.cachekeys (a test checks the two agree)
