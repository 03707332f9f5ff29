import time
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import RestoreError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的备份恢复数据库和上传文件：先检查整个备份，再在一个事务中写入（目标须为空）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true",
                            help="目标已有数据时先清空（与写入在同一事务中，失败则原数据保留）")

    def handle(self, *args, archive: str, force: bool = False, **options) -> None:
        started = time.perf_counter()
        call_command("migrate", "--noinput", verbosity=0)
        log = self.stdout.write if options["verbosity"] > 1 else None
        try:
            manifest = restore_backup(archive=Path(archive), force=force, log=log)
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        files = manifest["files"]
        files = files["count"] if manifest["format"] >= 2 else len(files)
        self.stdout.write(f"已恢复 {sum(manifest['counts'].values()):,} 条记录、{files:,} 个文件"
                          f"（备份时间 {manifest['created']}，用时 {time.perf_counter() - started:.1f} 秒）。")
