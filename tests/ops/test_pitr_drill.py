"""The point-in-time restore drill, for real and through the commands operators run, at small scale: a
throwaway PostgreSQL cluster (its own port, never the main one) with WAL archived by pgBackRest into a
second directory holds synthetic small-scale data; `pg_backup` takes the base backup and `restore_drill
--kind pitr` restores to a moment between two marker rows into a second scratch cluster. A drill that
cannot restore exits non-zero and is recorded as failed. (The portable drill runs in both passes of the suite:
test_restore_drill.py, into a real scratch database.)

Marked `pitr`: CI runs it once, in `.ci/drills`; on a developer machine it runs with a PostgreSQL
DATABASE_URL (`pytest -m pitr tests/ops`). It needs initdb and pgbackrest, and fails in CI without them."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from ops.sandbox import Sandbox

HAVE_TOOLS = bool(shutil.which("pgbackrest")) and bool(list(Path("/usr/lib/postgresql").glob("*/bin/initdb")))

pytestmark = [
    pytest.mark.pitr,
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="point-in-time recovery is PostgreSQL's; runs in the PostgreSQL pass"),
]


def _free_port(start: int = 55450) -> int:
    for port in range(start, start + 200, 2):
        with socket.socket() as a, socket.socket() as b:
            try:
                a.bind(("127.0.0.1", port))
                b.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair")


@pytest.fixture(scope="module")
def sandbox():
    if not HAVE_TOOLS:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL's initdb and pgbackrest for the point-in-time drill")
        pytest.skip("initdb or pgbackrest not installed")
    root = Path(tempfile.mkdtemp(prefix="fazhi-pitr-test-", dir="/tmp"))
    root.chmod(0o755)  # the cluster's owner (postgres, when the suite runs as root) must reach its directory
    box = Sandbox(root / "cluster", _free_port())
    try:
        box.up()
        box.cluster().sql("CREATE DATABASE fazhi")
        media = root / "media"
        media.mkdir()
        env = {**os.environ, **box.env(), "FAZHI_MEDIA_ROOT": str(media), "FAZHI_BACKUP_DIR": str(root / "b")}
        _manage(env, "migrate", "--noinput", "-v0")
        # Synthetic reports (one jurisdiction, ≈ 10,000 reports) written in bulk: independent of the demo's
        # own workflow code, so this test is about backups only.
        _manage(env, "seed_demo", "--scale", "small")
        _manage(env, "pg_backup", "--files-to", str(root / "evidence"))
        yield box, env
    finally:
        box.down()
        shutil.rmtree(root, ignore_errors=True)


def _manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, text=True,
                          capture_output=True, timeout=900, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _last_drill(box: Sandbox) -> dict:
    row = box.cluster().sql("SELECT row_to_json(d) FROM (SELECT outcome, kind, checks, error, target_time "
                            "FROM ops_restoredrill ORDER BY id DESC LIMIT 1) d", dbname="fazhi")
    return json.loads(row)


def test_the_drill_restores_to_a_moment_between_two_markers(sandbox):
    box, env = sandbox
    done = _manage(env, "restore_drill", "--kind", "pitr", "-v2")
    assert "✓ 目标时间点之前的数据已恢复" in done.stdout
    assert "✓ 目标时间点之后的数据未恢复" in done.stdout
    assert "恢复演练（时间点恢复（PostgreSQL））通过" in done.stdout
    drill = _last_drill(box)
    assert drill["outcome"] == "passed" and drill["kind"] == "pitr" and drill["target_time"]
    assert {c["name"] for c in drill["checks"]} >= {"目标时间点之前的数据已恢复", "目标时间点之后的数据未恢复",
                                                    "数据库结构为当前版本", "抽样读回报告"}
    # The scratch cluster is gone: nothing listens on the drill's port, no directory is left behind.
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", int(env["FAZHI_DRILL_PORT"]))) != 0
    assert not list(box.root.glob("fazhi_pitr_drill_*"))
    # The live database was only written to by the drill itself (two markers and its record).
    assert box.cluster().sql("SELECT count(*) FROM ops_pitrmarker", dbname="fazhi") == "2"


def test_a_drill_that_cannot_restore_fails_and_is_recorded_as_failed(sandbox):
    box, env = sandbox
    done = _manage(env, "restore_drill", "--kind", "pitr", "--target-time", "2020-01-01 08:00", check=False)
    assert done.returncode != 0
    assert "未通过" in done.stderr
    drill = _last_drill(box)
    assert drill["outcome"] == "failed" and "pgBackRest 时间点恢复失败" in drill["error"]
