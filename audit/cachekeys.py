"""What the audit log page is cached under: the newest row of each log and a version the writes bump.

Both logs are append-only (rows are never edited; only ``prune_audit`` deletes, past the retention period), so
the newest ids say when a row was added: one query reads both (each ``MAX(id)`` is one index probe). Ids are
taken when a row is inserted, not when it commits, so an entry whose transaction commits after a younger one's
would not move the newest id; and pruning removes rows without adding any. The version covers both: every
saved entry or event bumps it now and after commit (``audit.apps``), and ``prune_audit`` bumps it after
deleting.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db import connection

from audit.models import SecurityEvent
from fazhi.versions import Version

_VERSION = Version("fazhi:audit:version", 60 * 60 * 24 * 30)
audit_version = _VERSION.read
# Now and once after commit however many entries the transaction writes; a signal receiver.
bump_audit_version = _VERSION.bump_now_and_after_commit


def newest_ids() -> tuple[int, int]:
    """``(newest change entry id, newest security event id)`` in one query (0 for an empty log)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(id) FROM {LogEntry._meta.db_table}), "
                       f"(SELECT MAX(id) FROM {SecurityEvent._meta.db_table})")
        changes, events = cursor.fetchone()
    return changes or 0, events or 0
