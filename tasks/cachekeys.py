"""One version for everything the registry pages render (plans, chapters, items, assignments, units, groups,
aliases, duties), so whole rendered pages can be cached under it (the plan page, 本单位任务).

Bumped after commit by ``tasks.apps`` on every save or delete of those models (the services, the admin and
the importer all save through the ORM) and by ``sync_duties``, whose bulk writes send no signals. Registry
edits are rare next to page views, so one global version is simpler than one per plan and costs little.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

_KEY = "fazhi:registry:version"
_TTL = 60 * 60 * 24 * 30


def _first_version() -> int:
    # A new count starts at a random number, not at 1: after a cache flush (or the key's eviction) the versions
    # never repeat ones an earlier count handed out, so a copy kept outside the cache under an old number (the
    # import preview's per-process registry, tasks.importing.resolve) can never pass for the current one.
    return secrets.randbelow(2**52) + 1


def registry_version() -> int:
    version = cache.get(_KEY)
    if version is None:
        first = _first_version()
        cache.add(_KEY, first, _TTL)
        version = cache.get(_KEY, first)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(_KEY)
    except ValueError:
        cache.add(_KEY, _first_version(), _TTL)


def bump_registry_version(*args, **kwargs) -> None:
    """Now (so the writing request itself sees its change) and after commit (so no request that ran in between
    keeps a page rendered from the old rows under the new version). Usable as a signal receiver; a transaction
    that saves many rows (an import) schedules one bump after commit."""
    _bump()
    connection = transaction.get_connection()
    if not (connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit)):
        transaction.on_commit(_bump)
