"""One version for everything the registry pages render (plans, chapters, items, assignments, units, groups,
aliases, duties), so whole rendered pages can be cached under it (the plan page, 本单位任务).

Bumped after commit by ``tasks.apps`` on every save or delete of those models (the services, the admin and
the importer all save through the ORM) and by ``sync_duties``, whose bulk writes send no signals. Registry
edits are rare next to page views, so one global version is simpler than one per plan and costs little.
"""

from __future__ import annotations

from fazhi.versions import Version

# fazhi.versions starts a new count from the clock: after a flush or eviction no number repeats, so a copy
# kept outside the cache under an old number (the import preview's per-process registry,
# tasks.importing.resolve) can never pass for the current one.
REGISTRY = _VERSION = Version("fazhi:registry:version", 60 * 60 * 24 * 30)
registry_version = _VERSION.read
# Now (so the writing request itself sees its change) and once after commit; usable as a signal receiver; a
# transaction that saves many rows (an import) schedules one bump after commit.
bump_registry_version = _VERSION.bump_now_and_after_commit
