"""``make bench-backup``: backup and restore time and peak memory at city and province scale.

For each scale it seeds (or reuses) ``fazhi_backup_<scale>`` on BENCH_PG_URL's server (the demo plus
``seed_demo --scale <scale>``), then measures, each in its own process under ``/usr/bin/time -v`` (wall time
and the peak resident memory of Fazhi's own process):

- portable: ``manage.py backup`` and ``manage.py restore`` into a fresh ``fazhi_restore_bench_<scale>``;
- native (``--native``, needs initdb and pgbackrest): the database copied into a throwaway archived cluster
  (``ops.sandbox``, not timed), then ``manage.py pg_backup`` (pgBackRest full backup) and ``manage.py
  restore_drill --kind pitr`` (restore of that backup plus WAL to a moment, into a scratch cluster, checked).

Prints a table and one JSON line per measurement. Scratch databases and clusters are removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

BASE = Path(__file__).resolve().parent.parent
TIME = "/usr/bin/time"


def _psql(url: str, sql: str) -> str:
    return subprocess.run(["psql", url, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def _server(url: str, db: str) -> str:
    parts = urlparse(url)
    return parts._replace(path=f"/{db}").geturl()


def measured(argv: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run a manage.py command under /usr/bin/time -v; wall seconds and peak RSS (MB) of that process."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        done = subprocess.run([TIME, "-v", "-o", report.name, sys.executable, "manage.py", *argv], cwd=BASE,
                              env=env, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        text = Path(report.name).read_text()
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(argv)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return {"seconds": round(seconds, 1), "peak_mb": round(peak, 1), "output": done.stdout.strip().splitlines()[-1:]}


def ensure_seeded(url: str, scale: str) -> str:
    db = f"fazhi_backup_{scale}"
    if not _psql(_server(url, "postgres"), f"SELECT 1 FROM pg_database WHERE datname = '{db}'"):
        _psql(_server(url, "postgres"), f"CREATE DATABASE {db}")
    env = {**os.environ, "DATABASE_URL": _server(url, db)}
    for argv in (["migrate", "--noinput", "-v0"], ["load_demo"], ["seed_demo", "--scale", scale, "--reuse"]):
        done = subprocess.run([sys.executable, "manage.py", *argv], cwd=BASE, env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return db


def bench_portable(url: str, scale: str, db: str, workdir: Path) -> list[dict]:
    archive = workdir / f"{scale}.tar"
    media = workdir / f"media-{scale}"
    env = {**os.environ, "DATABASE_URL": _server(url, db), "FAZHI_MEDIA_ROOT": str(media)}
    rows = int(_psql(_server(url, db), "SELECT (SELECT count(*) FROM reports_report) + (SELECT count(*) FROM "
                                       "reports_reportevent) + (SELECT count(*) FROM reports_obligation)"))
    out = [{"scale": scale, "kind": "portable", "step": "backup", "main_rows": rows,
            **measured(["backup", "--output", str(archive)], env),
            "archive_mb": round(archive.stat().st_size / 1e6, 1)}]
    target = f"fazhi_restore_bench_{scale}"
    _psql(_server(url, "postgres"), f"DROP DATABASE IF EXISTS {target}")
    _psql(_server(url, "postgres"), f"CREATE DATABASE {target}")
    try:
        restore_env = {**env, "DATABASE_URL": _server(url, target), "FAZHI_MEDIA_ROOT": str(workdir / "restored")}
        out.append({"scale": scale, "kind": "portable", "step": "restore (incl. migrate)", "main_rows": rows,
                    **measured(["restore", str(archive)], restore_env)})
    finally:
        _psql(_server(url, "postgres"), f"DROP DATABASE IF EXISTS {target}")
        archive.unlink(missing_ok=True)
    return out


def bench_native(url: str, scale: str, db: str, workdir: Path, port: int) -> list[dict]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    from ops.sandbox import Sandbox

    box = Sandbox(workdir / f"cluster-{scale}", port)
    box.up(shared_buffers="256MB")
    try:
        box.cluster().sql("CREATE DATABASE fazhi")
        started = time.perf_counter()
        dump = subprocess.Popen(["pg_dump", "-Fc", "-Z0", _server(url, db)], stdout=subprocess.PIPE)
        subprocess.run(["pg_restore", "--no-owner", "-d", box.env()["DATABASE_URL"]], stdin=dump.stdout, check=True)
        dump.wait()
        copy_seconds = round(time.perf_counter() - started, 1)
        env = {**os.environ, **box.env(), "FAZHI_MEDIA_ROOT": str(workdir / f"media-{scale}")}
        size = box.cluster().sql("SELECT pg_size_pretty(pg_database_size('fazhi'))")
        out = [{"scale": scale, "kind": "pgbackrest", "step": "full backup", "db_size": size,
                "copy_in_seconds": copy_seconds, **measured(["pg_backup", "--type", "full"], env)}]
        out.append({"scale": scale, "kind": "pgbackrest", "step": "PITR drill (restore + replay + checks)",
                    **measured(["restore_drill", "--kind", "pitr"], env)})
        return out
    finally:
        box.down()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="backup/restore time and peak memory")
    parser.add_argument("--scales", default="city province")
    parser.add_argument("--native", action="store_true", help="also pgBackRest backup + PITR (throwaway cluster)")
    parser.add_argument("--port", type=int, default=55460)
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    results: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-backup-", dir="/tmp") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o755)
        for scale in args.scales.split():
            db = ensure_seeded(url, scale)
            results += bench_portable(url, scale, db, workdir)
            if args.native:
                results += bench_native(url, scale, db, workdir, args.port)
    print(f"{'scale':<9} {'kind':<11} {'step':<40} {'seconds':>8} {'peak MB':>8}")
    for r in results:
        print(f"{r['scale']:<9} {r['kind']:<11} {r['step']:<40} {r['seconds']:>8} {r['peak_mb']:>8}")
    load = os.getloadavg()
    for r in results:
        print(json.dumps({**r, "load_avg_1m": round(load[0], 1)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
