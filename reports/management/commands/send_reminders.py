from __future__ import annotations

from django.core.management.base import BaseCommand

from reports.reminders import send_scheduled_reminders
from reports.reminders_annual import send_scheduled_annual_reminders


class Command(BaseCommand):
    help = "发送到期提醒和逾期催办（可由 cron 每天多次调用，同一提醒不会重复发送）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出将要发送的提醒，不发送")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        planned = send_scheduled_reminders(dry_run=dry_run)
        verb = "将发送" if dry_run else "已发送"
        for entry in planned:
            kind = "逾期催办" if entry.kind == "overdue" else "到期提醒"
            self.stdout.write(f"{verb} {kind} → {entry.unit.name}：{len(entry.obligations)} 项")
            for ob in entry.obligations:
                self.stdout.write(f"    {ob.period.name} · {ob.item}")
        self.stdout.write(f"{verb} {len(planned)} 个单位的提醒。")
        annual = send_scheduled_annual_reminders(dry_run=dry_run)
        for entry in annual:
            kind = "逾期催办" if entry.kind == "overdue" else "到期提醒"
            self.stdout.write(f"{verb} {kind} → {entry.unit.name}：{entry.year}年度报告（截止 {entry.due:%Y-%m-%d}）")
        if annual:
            self.stdout.write(f"{verb} {len(annual)} 个单位的年度报告提醒。")
