"""Cache versions: a number per kind of data that the services bump after every change, so cached figures
and page parts stored under the old number are never read again and no key is deleted by pattern.

A version starts from the clock (microseconds), not from 1: a version key that expired or was evicted by
Redis under memory pressure must never come back as a number it already had, or a part cached under that
old number (and still alive) would be served as current. Each bump adds one; no service bumps a million times
a second, so a restarted version is always beyond every number its predecessor reached.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction


def _seed() -> int:
    return time.time_ns() // 1000


def read(key: str, ttl: int) -> int:
    version = cache.get(key)
    if version is None:
        cache.add(key, _seed(), ttl)
        version = cache.get(key)
        if version is None:  # the cache dropped it at once (or is a dummy): a fresh number, never a stale one
            return _seed()
    return int(version)


def read_many(keys: dict[object, str], ttl: int) -> dict[object, int]:
    """The versions of many keys in one cache round trip (missing ones are started as in ``read``)."""
    found = cache.get_many(list(keys.values()))
    return {name: int(found[key]) if key in found else read(key, ttl) for name, key in keys.items()}


def read_all(*versions: Version) -> list[int]:
    """Several named versions a page key carries, in one cache round trip (missing ones started as in ``read``)."""
    found = cache.get_many([v.key for v in versions])
    return [int(found[v.key]) if v.key in found else read(v.key, v.ttl) for v in versions]


def bump(key: str, ttl: int) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not cached: start afresh, beyond any number it had before
        cache.add(key, _seed(), ttl)


class Version:
    """One named version that signal receivers and services bump: ``read()``, and ``bump_now_and_after_commit``
    (now, so the writing request sees its change; and once after the transaction commits, so a request that
    read the old rows in between cannot keep a part under the newest number)."""

    def __init__(self, key: str, ttl: int) -> None:
        self.key, self.ttl = key, ttl
        self._bump = lambda: bump(key, ttl)  # one object: a transaction schedules it once however many rows

    def read(self) -> int:
        return read(self.key, self.ttl)

    def bump_now_and_after_commit(self, *args: object, **kwargs: object) -> None:
        """Usable as a signal receiver (its arguments are ignored)."""
        self._bump()
        connection = transaction.get_connection()
        if not (connection.in_atomic_block and any(entry[1] is self._bump for entry in connection.run_on_commit)):
            transaction.on_commit(self._bump)
