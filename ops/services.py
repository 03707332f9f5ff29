"""Writes of the ops app: the record of a restore drill."""

from __future__ import annotations

import contextlib
import socket

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from ops.drill import DrillResult
from ops.models import DrillOutcome, RestoreDrill


@transaction.atomic
def record_drill(*, result: DrillResult, run_by: str, actor: User | None = None) -> RestoreDrill:
    """Keep the drill's outcome; the audit log gets the new row with its actor (django-auditlog)."""
    checks = [{"name": c.name, "ok": c.ok, "detail": c.detail[:1000]} for c in result.checks]
    with set_actor(actor) if actor is not None else contextlib.nullcontext():
        return RestoreDrill.objects.create(
            kind=result.kind,
            outcome=DrillOutcome.PASSED if result.passed else DrillOutcome.FAILED,
            started_at=result.started_at,
            finished_at=timezone.now(),
            seconds=round(result.seconds, 1),
            backup=result.backup[:500],
            backup_created=result.backup_created,
            target_time=result.target_time,
            run_by=run_by[:150],
            host=socket.gethostname()[:200],
            checks=checks,
            error=result.error[:5000],
        )

