import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ops.portable import create_backup


class Command(BaseCommand):
    help = "便携备份：逐表流式写出全部数据（JSON Lines）和全部上传文件到一个 .tar，末尾写清单（行数、校验值）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="输出文件，默认 FAZHI_BACKUP_DIR/fazhi-时间.tar")
        parser.add_argument("--keep", type=int, default=0,
                            help="成功后只保留 FAZHI_BACKUP_DIR 中最新的 N 个 fazhi-*.tar（默认全部保留）")

    def handle(self, *args, output: str | None = None, keep: int = 0, **options) -> None:
        if keep < 0:
            raise CommandError("--keep 不能为负数。")
        path = Path(output) if output else settings.FAZHI_BACKUP_DIR / f"fazhi-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 1 else None
        manifest = create_backup(output=path, log=log)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已备份 {rows:,} 条记录、{manifest['files']['count']:,} 个文件 → {path}"
                          f"（{path.stat().st_size / 1e6:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒）")
        if keep:
            archives = sorted(settings.FAZHI_BACKUP_DIR.glob("fazhi-*.tar"), key=lambda p: p.stat().st_mtime)
            for old in archives[:-keep]:
                old.unlink()
                self.stdout.write(f"已删除旧备份 {old.name}")
        missing = manifest["missing_files"]
        if missing["count"]:
            self.stderr.write(f"警告：{missing['count']} 个文件在存储中缺失：{missing['first'][:5]}")
