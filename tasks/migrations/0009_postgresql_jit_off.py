"""PostgreSQL: JIT compilation off for this database.

Every query Fazhi runs is short (an indexed page, a bounded list, a dashboard figure); PostgreSQL's JIT
compiles a plan once its estimated cost passes ``jit_above_cost``, which the dashboard queries over a
million reports do, and then spends 30–40 ms compiling a query that runs in 20 ms (EXPLAIN ANALYZE of the
year view at province scale: JIT 38 ms of 65 ms). Set on the database, not the connection, because
pgbouncer in transaction pooling drops connection ``options``. Needs the database's owner; without that
privilege the migration says so and changes nothing (README "Deployment": set ``jit = off`` by hand).
"""

from django.db import migrations

JIT_OFF = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'jit is left as it is: only the owner of the database can set it (README Deployment)';
END $$;
"""
JIT_DEFAULT = """
DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


def jit_off(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # a plain cursor: no parameters, so "%I" stays as is
            cursor.execute(JIT_OFF)
            cursor.execute("SET jit = off")  # this connection too: the database setting applies to new ones


def jit_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(JIT_DEFAULT)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0008_plan_year_index")]
    operations = [migrations.RunPython(jit_off, jit_default, elidable=False)]
