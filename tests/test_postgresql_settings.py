"""Database settings Fazhi's speed depends on."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_jit_is_off_for_the_database_not_only_this_connection():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI runs the suite on PostgreSQL too)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
                       "WHERE d.datname = current_database() AND s.setrole = 0")
        settings = [item for row in cursor.fetchall() for item in (row[0] or [])]
    assert "jit=off" in settings
