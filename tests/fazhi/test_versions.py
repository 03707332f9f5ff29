"""Cache versions never come back as a number they had: parts cached under an old number stay unread."""

from __future__ import annotations

from django.core.cache import cache

from fazhi import versions


def test_a_version_counts_up_by_one_per_bump():
    first = versions.read("fazhi:test:v", 60)
    versions.bump("fazhi:test:v", 60)
    versions.bump("fazhi:test:v", 60)
    assert versions.read("fazhi:test:v", 60) == first + 2


def test_a_version_that_expired_or_was_evicted_restarts_beyond_every_number_it_reached():
    start = versions.read("fazhi:test:w", 60)
    for _ in range(5):  # each bump takes far more than the microsecond a restarted version is ahead per bump
        versions.bump("fazhi:test:w", 60)
    reached = versions.read("fazhi:test:w", 60)
    cache.delete("fazhi:test:w")  # as Redis does under memory pressure, or at the end of the TTL
    assert versions.read("fazhi:test:w", 60) > reached > start


def test_a_bump_of_a_missing_version_starts_it_beyond_the_old_numbers():
    old = versions.read("fazhi:test:x", 60)
    cache.delete("fazhi:test:x")
    versions.bump("fazhi:test:x", 60)
    assert versions.read("fazhi:test:x", 60) > old


def test_many_versions_are_read_at_once_and_missing_ones_started():
    known = versions.read("fazhi:test:a", 60)
    found = versions.read_many({"a": "fazhi:test:a", "b": "fazhi:test:b"}, 60)
    assert found["a"] == known and found["b"] == versions.read("fazhi:test:b", 60)


def test_a_named_version_bumps_now_and_once_after_commit_however_many_rows_a_transaction_writes(
        db, django_capture_on_commit_callbacks):
    from django.db import transaction

    version = versions.Version("fazhi:test:named", 60)
    start = version.read()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(3):
            version.bump_now_and_after_commit("sender", instance=None)  # as a signal receiver
        assert version.read() == start + 3  # the writing request sees its change at once
    assert len(callbacks) == 1 and version.read() == start + 4
