import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from ops.evidence import mirror_files
from ops.pgtools import PgToolError, latest_backup, pgbackrest


class Command(BaseCommand):
    help = ("PostgreSQL 原生备份（pgBackRest）：全量/差异/增量物理备份，WAL 持续归档配合可做时间点恢复；"
            "随后把上传文件增量镜像到第二处（--files-to）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--type", choices=["full", "diff", "incr"], default="full")
        parser.add_argument("--files-to", help="上传文件镜像目录（本地存储时使用；对象存储请用桶版本控制和跨站复制）")

    def handle(self, *args, type: str, files_to: str | None, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("pg_backup 只用于 PostgreSQL；SQLite 请用 manage.py backup。")
        started = time.perf_counter()
        try:
            pgbackrest(f"--type={type}", "backup", what="pgBackRest 备份")
            backup = latest_backup()
        except PgToolError as exc:
            raise CommandError(str(exc)) from exc
        size = backup["info"]["repository"].get("delta") or backup["info"]["repository"].get("size") or 0
        self.stdout.write(f"数据库备份完成：{settings.FAZHI_PGBACKREST_STANZA} / {backup['label']}（{backup['type']}，"
                          f"仓库中 {size / 1e6:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒）")
        if files_to:
            t0 = time.perf_counter()
            try:
                result = mirror_files(dest=Path(files_to))
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"文件镜像：新复制 {result.copied} 个（{result.bytes / 1e6:.1f} MB），"
                              f"已有 {result.present} 个，用时 {time.perf_counter() - t0:.1f} 秒")
            if result.missing:
                self.stderr.write(f"警告：{result.missing} 个文件在存储中缺失。")
