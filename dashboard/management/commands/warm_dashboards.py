"""``warm_dashboards``: compute today's cached dashboard figures ahead of the first visitor.

Lights depend on the day, so every cached figure is keyed by the date and the first request after
midnight would pay for the whole year overview. Run this from cron shortly after midnight.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from dashboard import queries, summaries
from reports.models import Period, PeriodStatus


class Command(BaseCommand):
    help = "预先计算当天的驾驶舱缓存（年度总览和各填报中期次的总览）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="只预热该年度（默认：所有有开启期次的年度）")

    def handle(self, *args, year: int | None, **options) -> None:
        today = timezone.localdate()
        started = time.perf_counter()
        years = [year] if year else sorted(set(Period.objects.values_list("plan__year", flat=True)), reverse=True)
        plans = 0
        for y in years:
            plans += len(summaries.year_overview(y, today))
        periods = Period.objects.filter(status=PeriodStatus.OPEN).select_related("plan")
        if year:
            periods = periods.filter(plan__year=year)
        for period in periods:
            summaries.overview(period, today, queries.EVERYTHING)
        self.stdout.write(f"已预热 {len(years)} 个年度、{plans} 个工作要点、{periods.count()} 个填报中期次，"
                          f"用时 {time.perf_counter() - started:.1f} 秒。")
