"""One version for everything the registry pages render (plans, chapters, items, assignments, units, groups,
aliases, duties), so whole rendered pages can be cached under it (the plan page, 本单位任务).

Bumped after commit by ``tasks.apps`` on every save or delete of those models (the services, the admin and
the importer all save through the ORM) and by ``sync_duties``, whose bulk writes send no signals. Registry
edits are rare next to page views, so one global version is simpler than one per plan and costs little.
"""

from __future__ import annotations

from django.db import transaction

from fazhi import versions

_KEY = "fazhi:registry:version"
_TTL = 60 * 60 * 24 * 30


def registry_version() -> int:
    # fazhi.versions starts a new count from the clock: after a flush or eviction no number repeats, so a copy
    # kept outside the cache under an old number (the import preview's per-process registry,
    # tasks.importing.resolve) can never pass for the current one.
    return versions.read(_KEY, _TTL)


def _bump() -> None:
    versions.bump(_KEY, _TTL)


def bump_registry_version(*args, **kwargs) -> None:
    """Now (so the writing request itself sees its change) and after commit (so no request that ran in between
    keeps a page rendered from the old rows under the new version). Usable as a signal receiver; a transaction
    that saves many rows (an import) schedules one bump after commit."""
    _bump()
    connection = transaction.get_connection()
    if not (connection.in_atomic_block and any(entry[1] is _bump for entry in connection.run_on_commit)):
        transaction.on_commit(_bump)
