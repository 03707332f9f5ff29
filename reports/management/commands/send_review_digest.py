"""Daily digest of submitted reports for coordinators who chose it (run by the reminders timer)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.notices import send_review_digest


class Command(BaseCommand):
    help = "给选择“每日汇总”的法治办工作人员发送待审核报告汇总通知（可重复运行，不会重复发送）。"

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_review_digest()
        self.stdout.write(f"已发送 {sent} 条审核汇总通知。")
