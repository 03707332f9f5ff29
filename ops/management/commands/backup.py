from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from ops.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库（Django fixture，自然键）和全部上传文件到一个 .tar.gz。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", help="输出文件，默认 backups/fazhi-时间.tar.gz")

    def handle(self, *args, output: str | None = None, **options) -> None:
        path = Path(output or f"backups/fazhi-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz")
        manifest = create_backup(output=path)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"已备份 {rows} 条记录、{len(manifest['files'])} 个文件 → {path}")
        if manifest["missing_files"]:
            missing = manifest["missing_files"]
            self.stderr.write(f"警告：{len(missing)} 个文件在存储中缺失：{missing[:5]}")
