"""Send dashboard reads to the read replica when one is configured (DATABASE_REPLICA_URL).

Only the dashboard reads from the replica: it tolerates a second of replication lag, while a
liaison who just saved a report must see it on the next page, so everything else reads the primary.
Writes always go to the primary. ``DashboardReplicaMiddleware`` turns replica reads on for GET
requests to the dashboard; other code can opt in with the ``replica_reads()`` context manager.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("fazhi_use_replica", default=False)

REPLICA = "replica"
# Never read from a copy that may lag: a session or account just written must be found at once.
PRIMARY_ONLY_APPS = {"sessions", "auth", "accounts", "axes", "audit", "auditlog", "contenttypes", "admin"}
# URL namespaces whose GET pages read from the replica.
REPLICA_NAMESPACES = {"dashboard"}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_db() -> str:
    return REPLICA if replica_configured() else "default"


def keep_for(seconds: int) -> int:
    """How long to cache what this request computed: while it reads a replica that may lag behind the version
    just read from the cache, only ``FAZHI_REPLICA_CACHE_SECONDS`` (a figure or part built from the replica's
    older rows under a new version must not stand for the full hour)."""
    if _use_replica.get() and replica_configured():
        return min(seconds, settings.FAZHI_REPLICA_CACHE_SECONDS)
    return seconds


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within the block, reads of any model go to the replica (if configured)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if not replica_configured():
            return None
        if _use_replica.get() and model._meta.app_label not in PRIMARY_ONLY_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Both aliases are the same data (one is a copy of the other).
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool:
        # Never the replica (a copy of the primary); the restore drill's scratch database is migrated.
        return db != REPLICA


class DashboardReplicaMiddleware:
    """GET requests to dashboard pages read report and task data from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_token", None)
            if token is not None:
                _use_replica.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        match = request.resolver_match
        if (
            replica_configured()
            and request.method in ("GET", "HEAD")
            and match is not None
            and REPLICA_NAMESPACES.intersection(match.namespaces)
        ):
            request._replica_token = _use_replica.set(True)
        return None
