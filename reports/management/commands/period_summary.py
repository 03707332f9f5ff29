from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.documents import build_period_xlsx
from reports.models import Period


class Command(BaseCommand):
    help = "导出一个报送期次的全区汇总表（.xlsx，每项报送任务一行）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", required=True, type=int, help="报送期次 ID")
        parser.add_argument("--output", required=True, help="输出文件路径（.xlsx）")

    def handle(self, *args, period: int, output: str, **options) -> None:
        found = Period.objects.select_related("plan").filter(pk=period).first()
        if found is None:
            raise CommandError(f"找不到 ID 为 {period} 的报送期次。")
        path = Path(output)
        path.write_bytes(build_period_xlsx(found))
        self.stdout.write(f"已生成 {path}（{found.plan} · {found.name}）")
