"""``seed_demo --scale small|city|province``: synthetic jurisdictions, plans and reports for benchmarks."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from dashboard.seeding import SCALES, seed, seed_activity, synthetic_jurisdictions
from reports.models import Report


class Command(BaseCommand):
    help = "生成大规模模拟数据（与 load_demo 的演示数据互不干扰），用于驾驶舱性能测试。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--reuse", action="store_true",
                            help="已有同等规模的模拟数据时不再生成（供 make bench 使用）。")

    def handle(self, *args, scale: str, reuse: bool, **options) -> None:
        wanted = SCALES[scale]
        have = synthetic_jurisdictions()
        # The assessment's own seeding (500 units × 80 items), by name: dashboard does not import assessment.
        call_command("seed_assessment", stdout=self.stdout)
        if reuse and have >= wanted.jurisdictions:
            self.stdout.write(f"已有 {have} 个模拟辖区（需要 {wanted.jurisdictions} 个），跳过生成。")
            self._activity(SCALES[scale])
            return
        if reuse and have:
            wanted = type(wanted)(jurisdictions=wanted.jurisdictions - have, years=wanted.years, items=wanted.items)
        started = time.perf_counter()
        counts = seed(wanted, log=lambda line: self.stdout.write(line) if options["verbosity"] > 1 else None)
        with connection.cursor() as cursor:
            # Fresh statistics on both PostgreSQL and SQLite, so the planner drives dashboard queries from the
            # period's obligations instead of, say, every approved report of every year.
            cursor.execute("ANALYZE")
        self._activity(SCALES[scale])
        elapsed = time.perf_counter() - started
        self.stdout.write(", ".join(f"{name} {n:,}" for name, n in counts.items()))
        self.stdout.write(self.style.SUCCESS(
            f"模拟数据已生成：{scale}，新增报告 {counts['report']:,} 份，用时 {elapsed:.1f} 秒；"
            f"数据库中共有报告 {Report.objects.count():,} 份。"
        ))

    def _activity(self, scale) -> None:
        """The tables that grow with use: added for jurisdictions that lack them (also on --reuse)."""
        counts = seed_activity(scale)
        if counts:
            with connection.cursor() as cursor:
                for table in ("auditlog_logentry", "audit_securityevent", "reports_notice", "exports_exportjob"):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            self.stdout.write("活动记录：" + ", ".join(f"{name} {n:,}" for name, n in counts.items()))
