from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops.backup import RestoreError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的 .tar.gz 恢复数据库和上传文件（目标数据库须为空，或使用 --force 先清空）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--force", action="store_true", help="先清空目标数据库中的现有数据")

    def handle(self, *args, archive: str, force: bool = False, **options) -> None:
        call_command("migrate", "--noinput", verbosity=0)
        try:
            manifest = restore_backup(archive=Path(archive), force=force)
        except RestoreError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已恢复 {sum(manifest['counts'].values())} 条记录、{len(manifest['files'])} 个文件"
                          f"（备份时间 {manifest['created']}）。")
