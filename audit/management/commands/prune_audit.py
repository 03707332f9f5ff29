from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from audit.services import prune_audit


class Command(BaseCommand):
    help = "删除超过保留期（FAZHI_AUDIT_RETENTION_DAYS，至少 184 天）的审计记录。适合每日定时运行。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None,
                            help=f"保留天数，默认 {settings.FAZHI_AUDIT_RETENTION_DAYS}")

    def handle(self, *args, days: int | None = None, **options) -> None:
        try:
            events, entries = prune_audit(retention_days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已删除 {events} 条安全事件、{entries} 条数据变更记录。")
