"""A throwaway PostgreSQL cluster with continuous WAL archiving, for tests, CI and ``make bench-backup``.

    python -m ops.sandbox up /tmp/fazhi-pitr [--port 55432]     # prints the environment to use
    python -m ops.sandbox down /tmp/fazhi-pitr

It never touches the machine's main cluster (5432): ``initdb`` into ``ROOT/data``, its own port and socket
directory, ``archive_mode=on`` with pgBackRest's ``archive-push`` into ``ROOT/repo`` — the "second location"
(on a real server another disk, host or S3 bucket; see deploy/pgbackrest.conf.example). When run as root the
cluster belongs to the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
from pathlib import Path

STANZA = "fazhi"


class Sandbox:
    def __init__(self, root: Path, port: int = 55432) -> None:
        self.root = Path(root)
        self.port = port
        self.user = "postgres" if os.getuid() == 0 else ""
        self.data = self.root / "data"
        self.repo = self.root / "repo"
        self.sock = self.root / "sock"
        self.conf = self.root / "pgbackrest.conf"

    def env(self, dbname: str = "fazhi") -> dict[str, str]:
        return {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.port}/{dbname}",
            "FAZHI_PGBACKREST_CONFIG": str(self.conf),
            "FAZHI_PGBACKREST_STANZA": STANZA,
            "FAZHI_PG_RUN_AS": self.user,
            "FAZHI_DRILL_PORT": str(self.port + 1),
            "FAZHI_DRILL_DIR": str(self.root),
        }

    def cluster(self):
        from ops.pgtools import Cluster

        return Cluster(data=self.data, port=self.port, socket_dir=self.sock, log=self.root / "pg.log",
                       user=self.user or None)

    def _pgbackrest(self, *args: str) -> str:
        from ops.pgtools import pgbackrest

        return pgbackrest(*args, config=str(self.conf), stanza=STANZA, user=self.user)

    def up(self, *, shared_buffers: str = "128MB") -> None:
        from ops.pgtools import run

        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        if self.user:
            shutil.chown(self.root, self.user)
        for sub in ("repo", "sock", "log", "lock", "spool"):
            run(["mkdir", "-p", "-m", "700", str(self.root / sub)], what="创建目录", user=self.user)
        self.conf.write_text(
            "[global]\n"
            f"repo1-path={self.repo}\nrepo1-retention-full=2\n"
            f"log-path={self.root / 'log'}\nlock-path={self.root / 'lock'}\nspool-path={self.root / 'spool'}\n"
            "log-level-console=warn\nlog-level-file=info\n"
            "process-max=2\ncompress-type=lz4\nstart-fast=y\n\n"
            f"[{STANZA}]\npg1-path={self.data}\npg1-port={self.port}\npg1-socket-path={self.sock}\n",
            encoding="utf-8")
        if self.user:
            shutil.chown(self.conf, self.user)
        cluster = self.cluster()
        cluster.initdb(
            "wal_level = replica\narchive_mode = on\n"
            f"archive_command = 'pgbackrest --config={self.conf} --stanza={STANZA} archive-push %p'\n"
            # A closed WAL segment is archived at once; an idle-but-written one within a minute, so a
            # point-in-time recovery loses at most the last minute.
            "archive_timeout = 60\nmax_wal_size = 2GB\n"
            f"shared_buffers = {shared_buffers}\nmaintenance_work_mem = 256MB\n")
        cluster.start()
        self._pgbackrest("stanza-create")
        self._pgbackrest("check")

    def down(self) -> None:
        if self.data.exists():
            from ops.pgtools import PgToolError

            with contextlib.suppress(PgToolError):
                self.cluster().stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("root")
    parser.add_argument("--port", type=int, default=55432)
    args = parser.parse_args(argv)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    django.setup()
    box = Sandbox(Path(args.root), args.port)
    if args.action == "up":
        box.up()
        box.cluster().sql("CREATE DATABASE fazhi")
        for key, value in box.env().items():
            print(f"export {key}={value}")
    else:
        box.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
