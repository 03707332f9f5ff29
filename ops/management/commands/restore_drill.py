import datetime as dt
import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from ops.drill import run_pitr_drill, run_portable_drill
from ops.services import record_drill


class Command(BaseCommand):
    help = ("恢复演练：把最新备份恢复到临时数据库并逐项检查，记录用时和结果（审计日志、/ops/drills/ 打印页）。"
            "--kind pitr 在 PostgreSQL 上做时间点恢复演练。未通过时退出码非零。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=["portable", "pitr"], default="portable")
        parser.add_argument("--archive", help="便携备份文件（默认 FAZHI_BACKUP_DIR 中最新的 .tar）")
        parser.add_argument("--target-time", help="时间点恢复到的时刻，如 '2026-11-30 14:05'（本地时间，默认：演练自己"
                                                  "写入前后两个标记，恢复到两者之间）")
        parser.add_argument("--user", help="执行演练的 Fazhi 用户名（记入审计日志）；默认操作系统用户")

    def handle(self, *args, kind: str, archive: str | None, target_time: str | None, user: str | None,
               **options) -> None:
        actor = None
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"没有用户 {user}。")
        run_by = actor.get_username() if actor else f"{getpass.getuser()}（系统）"
        log = self.stdout.write if options["verbosity"] > 1 else None
        if kind == "pitr":
            target = None
            if target_time:
                target = parse_datetime(target_time.strip().replace("T", " ") + ("" if target_time.count(":") > 1
                                                                                   else ":00"))
                if target is None:
                    raise CommandError("--target-time 格式应为 'YYYY-MM-DD HH:MM'。")
                if timezone.is_naive(target):
                    target = timezone.make_aware(target)
                if target > timezone.now() - dt.timedelta(minutes=1):
                    raise CommandError("--target-time 须早于一分钟前（之后的 WAL 可能尚未归档）。")
            result = run_pitr_drill(target_time=target, log=log)
        else:
            result = run_portable_drill(archive_path=Path(archive) if archive else None, log=log)
        drill = record_drill(result=result, run_by=run_by, actor=actor)
        for check in result.checks:
            self.stdout.write(f"  {'✓' if check.ok else '✗'} {check.name}：{check.detail}")
        if result.error:
            self.stdout.write(f"  ✗ 错误：{result.error}")
        summary = (f"恢复演练（{drill.get_kind_display()}）{drill.get_outcome_display()}，用时 {drill.seconds:.1f} 秒；"
                   f"备份 {drill.backup}；记录 #{drill.pk}")
        if not result.passed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
