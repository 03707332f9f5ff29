from django.conf import settings
from django.core.management.base import BaseCommand

from exports.services import prune_exports


class Command(BaseCommand):
    help = "Delete generated export files (and their jobs) older than FAZHI_EXPORT_KEEP_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None,
                            help=f"keep this many days (default {settings.FAZHI_EXPORT_KEEP_DAYS})")

    def handle(self, *args, days: int | None, **options) -> None:
        if days is not None and days < 0:
            self.stderr.write("--days 不能为负数。")
            raise SystemExit(2)
        count = prune_exports(keep_days=days)
        self.stdout.write(f"已清除 {count} 个导出文件。")
