"""Behind pgbouncer in transaction pooling a server connection belongs to a client only for one transaction, so
nothing may outlive a transaction on the server; ``DATABASE_PGBOUNCER=1`` turns off the one thing Django keeps
there, server-side cursors (``.iterator()`` outside a transaction uses a ``WITH HOLD`` cursor).

The settings test always runs. The pooling tests run through a real pgbouncer: ``.ci/pgbouncer-tests`` (a CI
step) starts one with the deployed configuration and runs this module and the report, dashboard, session,
audit and backup tests through it."""

from __future__ import annotations

import os
import runpy

import psycopg2
import pytest
from django.db import DatabaseError, connection

from tasks.models import Unit
from tests.factories import UnitFactory

through_pgbouncer = pytest.mark.skipif(
    os.environ.get("DATABASE_PGBOUNCER") != "1" or connection.vendor != "postgresql",
    reason="needs PostgreSQL behind pgbouncer (.ci/pgbouncer-tests)",
)


def test_the_pgbouncer_switch_turns_off_server_side_cursors_on_every_alias(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://app@127.0.0.1:6432/fazhi")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://app@127.0.0.1:6432/fazhi_replica")
    monkeypatch.setenv("DATABASE_PGBOUNCER", "1")
    built = runpy.run_module("fazhi.settings")
    assert {alias: db.get("DISABLE_SERVER_SIDE_CURSORS") for alias, db in built["DATABASES"].items()} == {
        "default": True, "replica": True}
    monkeypatch.delenv("DATABASE_PGBOUNCER")
    assert not runpy.run_module("fazhi.settings")["DATABASES"]["default"].get("DISABLE_SERVER_SIDE_CURSORS")


def _iterate_while_another_client_takes_the_server_connection() -> list[str]:
    """Read units one at a time outside a transaction; after the first, another client opens a transaction.

    pgbouncer hands out the most recently released server connection first, so the other client gets the one
    our first read used, and our next read runs on a different server connection."""
    rows = Unit.objects.order_by("name").values_list("name", flat=True).iterator(chunk_size=1)
    names = [next(rows)]
    params = connection.get_connection_params()
    other = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT 1")  # psycopg2 opened a transaction: the server connection stays with it
            names.extend(rows)
    finally:
        other.rollback()
        other.close()
    return names


@through_pgbouncer
@pytest.mark.django_db(transaction=True)
def test_iterating_outside_a_transaction_survives_pooling():
    assert connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] is True
    for n in range(4):
        UnitFactory(name=f"池化测试单位{n}")
    assert connection.get_autocommit()
    assert _iterate_while_another_client_takes_the_server_connection() == [f"池化测试单位{n}" for n in range(4)]


@through_pgbouncer
@pytest.mark.django_db(transaction=True)
def test_with_server_side_cursors_the_same_iteration_breaks(monkeypatch):
    # The control: proves the test above runs through transaction pooling and that the setting is what saves it.
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", False)
    for n in range(4):
        UnitFactory(name=f"池化测试单位{n}")
    # The FETCH fails, then closing the cursor fails too, with psycopg2's own error (outside Django's wrapper).
    with pytest.raises((DatabaseError, psycopg2.Error), match="does not exist"):
        _iterate_while_another_client_takes_the_server_connection()
