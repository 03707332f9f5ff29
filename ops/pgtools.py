"""PostgreSQL's own tools, driven from Python: pgBackRest (backups, WAL archive, point-in-time restore) and
throwaway clusters (``initdb`` + ``pg_ctl`` on a port of their own) for drills, tests and CI.

Why pgBackRest (Debian's package) rather than ``pg_dump`` + hand-written WAL copying: point-in-time recovery
needs a *physical* base backup plus every WAL segment after it, which ``pg_dump`` cannot provide. pgBackRest
does both ends: parallel, compressed, checksummed full/differential backups, ``archive-push`` as the
``archive_command`` (every segment checked and stored, to a directory, another host or S3-compatible storage),
retention, ``verify``, and a restore that writes the recovery settings for a target time. Hand-written
``cp``/``aws s3 cp`` archive commands are the classic way to lose WAL silently.

Every command may need to run as the cluster's owner (``FAZHI_PG_RUN_AS``, e.g. ``postgres`` when Fazhi's
command is started by root); ``runuser`` does that.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


class PgToolError(Exception):
    """A PostgreSQL or pgBackRest command failed; the message says which and why (Chinese first)."""


def bindir() -> Path:
    if settings.FAZHI_PG_BINDIR:
        return Path(settings.FAZHI_PG_BINDIR)
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        return Path(pg_ctl).parent
    raise PgToolError("找不到 PostgreSQL 程序（pg_ctl）。请安装 PostgreSQL 服务器或设置 FAZHI_PG_BINDIR。")


def as_owner(argv: list[str], user: str | None = None) -> list[str]:
    user = settings.FAZHI_PG_RUN_AS if user is None else user
    if user and user != _current_user():
        return ["runuser", "-u", user, "--", *argv]
    return argv


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def run(argv: list[str], *, what: str, user: str | None = None, timeout: int = 3600) -> str:
    try:
        done = subprocess.run(as_owner(argv, user), capture_output=True, text=True, timeout=timeout, check=False)
    except FileNotFoundError as exc:
        raise PgToolError(f"{what}失败：找不到程序 {argv[0]}。") from exc
    except subprocess.TimeoutExpired as exc:
        raise PgToolError(f"{what}超时（{timeout} 秒）。") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip()[-1500:]
        raise PgToolError(f"{what}失败（退出码 {done.returncode}）：{detail}")
    return done.stdout


# --- pgBackRest ----------------------------------------------------------------------------------------

def pgbackrest(*args: str, config: str | None = None, stanza: str | None = None, what: str = "pgBackRest",
               user: str | None = None, timeout: int = 3600) -> str:
    config = settings.FAZHI_PGBACKREST_CONFIG if config is None else config
    argv = ["pgbackrest"]
    if config:
        argv.append(f"--config={config}")
    argv.append(f"--stanza={stanza or settings.FAZHI_PGBACKREST_STANZA}")
    return run([*argv, *args], what=what, user=user, timeout=timeout)


def backup_info(**kwargs) -> dict:
    """pgBackRest's ``info`` for the stanza: backups (label, type, times, sizes) and the WAL range."""
    data = json.loads(pgbackrest("info", "--output=json", what="读取备份信息", **kwargs))
    if not data:
        raise PgToolError("pgBackRest 没有这个备份配置（stanza）。")
    return data[0]


def latest_backup(**kwargs) -> dict:
    info = backup_info(**kwargs)
    backups = info.get("backup") or []
    if not backups:
        raise PgToolError(f"pgBackRest 仓库中还没有备份（stanza {info.get('name')}）。请先运行 manage.py pg_backup。")
    return backups[-1]


# --- clusters ------------------------------------------------------------------------------------------

@dataclass
class Cluster:
    """A PostgreSQL data directory we start and stop ourselves, listening on 127.0.0.1:port and a socket
    in ``socket_dir``. Never the machine's main cluster."""

    data: Path
    port: int
    socket_dir: Path
    log: Path
    user: str | None = None

    def _ctl(self, *args: str, what: str, timeout: int = 600) -> str:
        return run([str(bindir() / "pg_ctl"), "-D", str(self.data), *args], what=what, user=self.user,
                   timeout=timeout)

    def initdb(self, extra_conf: str = "") -> None:
        run([str(bindir() / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"], what="初始化数据库集群", user=self.user)
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.socket_dir}'\n{extra_conf}\n")

    def start(self, *options: str, timeout: int = 600) -> None:
        opts = " ".join([f"-p {self.port}", f"-c unix_socket_directories={self.socket_dir}", *options])
        try:
            self._ctl("-l", str(self.log), "-w", "-t", str(timeout), "-o", opts, "start", what="启动数据库集群",
                      timeout=timeout + 30)
        except PgToolError as exc:
            raise PgToolError(f"{exc}\n{self.log_tail()}") from exc

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("-m", mode, "-w", "stop", what="停止数据库集群")

    def sql(self, statement: str, dbname: str = "postgres") -> str:
        return run([str(bindir() / "psql"), "-h", str(self.socket_dir), "-p", str(self.port), "-U", "postgres",
                    "-d", dbname, "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", statement],
                   what="执行 SQL", user=self.user, timeout=600).strip()

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def wait_until_promoted(self, timeout: int = 900) -> None:
        """After a point-in-time restore the server first accepts read-only connections while it replays;
        it is ours once recovery has reached the target and promoted."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not (self.data / "postmaster.pid").exists():
                raise PgToolError("恢复的数据库集群已停止（通常是恢复目标时间早于备份或晚于已归档的 WAL）："
                                  + self.log_tail())
            try:
                if self.sql("SELECT pg_is_in_recovery()") == "f":
                    return
            except PgToolError:
                pass
            time.sleep(0.5)
        raise PgToolError("等待时间点恢复完成超时。" + self.log_tail())

    def log_tail(self, lines: int = 8) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
