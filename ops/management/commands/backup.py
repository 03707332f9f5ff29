import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from ops.portable import create_backup


class Command(BaseCommand):
    help = "便携备份：逐表流式写出全部数据（JSON Lines）和全部上传文件到一个 .tar，末尾写清单（行数、校验值）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="输出文件，默认 FAZHI_BACKUP_DIR/fazhi-时间.tar")

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output) if output else settings.FAZHI_BACKUP_DIR / f"fazhi-{timezone.localtime():%Y%m%d-%H%M%S}.tar"
        started = time.perf_counter()
        log = self.stdout.write if options["verbosity"] > 1 else None
        manifest = create_backup(output=path, log=log)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已备份 {rows:,} 条记录、{manifest['files']['count']:,} 个文件 → {path}"
                          f"（{path.stat().st_size / 1e6:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒）")
        missing = manifest["missing_files"]
        if missing["count"]:
            self.stderr.write(f"警告：{missing['count']} 个文件在存储中缺失：{missing['first'][:5]}")
