"""``assessment_results --year YYYY --json [--draft]``: one JSON array of the year's results."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from assessment.models import Scheme, SchemeState
from assessment.results import live_results, stored_results


class Command(BaseCommand):
    help = "输出某年度考核结果（JSON 数组：unit、kind、score、rank、grade）。默认只输出已公示的结果。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（目前唯一的格式）。")
        parser.add_argument("--draft", action="store_true", help="输出当前状态（未公示、未锁定时实时计算）。")

    def handle(self, *args: Any, year: int, draft: bool, **options: Any) -> None:
        scheme = Scheme.objects.filter(year=year).first()
        if scheme is None:
            self._fail(f"{year} 年度没有考核方案。")
        if draft:
            rows = stored_results(scheme) if scheme.is_stored else live_results(scheme)
        elif scheme.state != SchemeState.PUBLISHED:
            self._fail(f"{year} 年度考核结果尚未公示（当前：{scheme.get_state_display()}）；查看当前状态请加 --draft。")
        else:
            rows = stored_results(scheme)
        if not rows:
            self._fail(f"{year} 年度考核没有任何单位的结果。")
        data = [{"unit": r.unit.name, "kind": r.category.name, "score": float(r.total), "rank": r.rank,
                 "grade": r.grade_label} for r in rows]
        self.stdout.write(json.dumps(data, ensure_ascii=False))

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)
