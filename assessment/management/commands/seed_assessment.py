"""``seed_assessment``: an assessment of 500 units × 80 items for ``make bench`` (called by ``seed_demo``)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from assessment.seeding import seed_assessment, seeded


class Command(BaseCommand):
    help = "生成大规模模拟考核数据（500 个单位 × 80 个评分项，两个模拟年度），用于性能测试。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=int, default=500)
        parser.add_argument("--items", type=int, default=80)

    def handle(self, *args, units: int, items: int, **options) -> None:
        if seeded():
            self.stdout.write("模拟考核数据已存在，跳过生成。")
            return
        counts = seed_assessment(units=units, items=items)
        with connection.cursor() as cursor:
            # Fresh statistics, or PostgreSQL plans the 40,000-score aggregate as a nested loop.
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"模拟考核数据已生成：{counts['scheme']} 个年度，评分 {counts['score']:,} 条。"))
