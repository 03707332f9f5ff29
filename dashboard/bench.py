"""``make bench``: seed (or reuse) each scale in its own databases and measure every page.

    python -m dashboard.bench [--scales "small city province"] [--dbs "sqlite postgresql"]

SQLite databases are ``bench-<scale>.sqlite3`` in the checkout; PostgreSQL databases are
``fazhi_bench_<scale>`` on ``BENCH_PG_URL`` (default postgres://postgres@127.0.0.1:5432). SQLite is
benched at small and city only unless ``--sqlite-province`` is given (seeding 1M rows into SQLite
takes long and says nothing new). Ends with one JSON object per line per measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _run(args: list[str], env: dict[str, str], capture: bool = False) -> str:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True,
                            stdout=subprocess.PIPE if capture else None, text=True)
    return result.stdout or ""


def _ensure_pg_database(base: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{base}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", default="small city province")
    parser.add_argument("--dbs", default="sqlite postgresql")
    parser.add_argument("--repeat", default="30")
    parser.add_argument("--sqlite-province", action="store_true")
    opts = parser.parse_args()
    pg_base = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    lines: list[str] = []
    for db in opts.dbs.split():
        for scale in opts.scales.split():
            if db == "sqlite" and scale == "province" and not opts.sqlite_province:
                print("== sqlite/province skipped (see README: seeding 1M rows into SQLite is not worth it)")
                continue
            env = dict(os.environ)
            if db == "sqlite":
                env["DATABASE_URL"] = f"sqlite:///{ROOT / f'bench-{scale}.sqlite3'}"
            else:
                _ensure_pg_database(pg_base, f"fazhi_bench_{scale}")
                env["DATABASE_URL"] = f"{pg_base}/fazhi_bench_{scale}"
            print(f"== {db}/{scale}: migrate, seed (reusing existing data), measure", flush=True)
            _run(["migrate", "--noinput", "-v0"], env)
            started = time.perf_counter()
            _run(["seed_demo", "--scale", scale, "--reuse"], env)
            print(f"   seed step: {time.perf_counter() - started:.1f} s", flush=True)
            out = _run(["bench_pages", "--scale", scale, "--repeat", opts.repeat], env, capture=True)
            for line in out.splitlines():
                if line.startswith("{"):
                    row = json.loads(line)
                    lines.append(line)
                    if "median_ms" in row:
                        print(f"   {row['page']:<28} median {row['median_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms"
                              f"  queries {row['queries']}", flush=True)
                    else:
                        print(f"   {row['page']:<28} missing: {row['missing']}", flush=True)
    print()
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
