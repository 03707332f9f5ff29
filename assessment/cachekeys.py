"""Cache versioning per assessment scheme (the style of ``reports/cachekeys.py``).

The results page caches its ranking table under a key that includes the scheme's version; every write
that can change a result (a score, a review adjustment, a lock or unlock, an answered objection, the
members, the indicators, the grading rules) bumps it after commit, so a stale ranking is never served
and no key has to be deleted by pattern.
"""

from __future__ import annotations

from django.db import transaction

from fazhi import versions

_TTL = 60 * 60 * 24 * 7


def _key(scheme_id: int) -> str:
    return f"fazhi:assessment:{scheme_id}:version"


def results_version(scheme_id: int) -> int:
    return versions.read(_key(scheme_id), _TTL)


def results_version_of(scheme_id: int) -> versions.Version:
    """The scheme's results version as a ``Version``, to read with others in one round trip (``read_all``)."""
    return versions.Version(_key(scheme_id), _TTL)


# Which schemes exist (year, name, state, dates), which units take part and how far their self-assessment is,
# who scores what, and how many objections wait: what every viewer's standing is built from
# (``assessment.access.standing``). Every results bump moves it too; the services that change only these
# (a new or copied scheme, a grant, a submitted self-assessment, a raised objection) bump it themselves.
SCHEMES = versions.Version("fazhi:assessment:schemes:version", _TTL)


def bump_results_version(scheme_id: int) -> None:
    """Call inside the transaction that changed what the scheme's results are made of; bumps after commit."""

    def bump() -> None:
        versions.bump(_key(scheme_id), _TTL)

    transaction.on_commit(bump)
    SCHEMES.bump_now_and_after_commit()
