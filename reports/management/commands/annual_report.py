from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fazhi.officialdoc import build_docx
from reports.annual import official_document, unit_annual
from tasks.models import Alias, Unit


class Command(BaseCommand):
    help = "生成单位年度法治政府建设情况报告（.docx，GB/T 9704 公文格式）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--unit", required=True, help="单位名称（全称、简称或别名）")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, help="输出文件路径（.docx）")

    def handle(self, *args, unit: str, year: int, output: str, **options) -> None:
        found = (Unit.objects.filter(name=unit).first() or Unit.objects.filter(short_name=unit).first()
                 or getattr(Alias.objects.filter(name=unit, unit__isnull=False).select_related("unit").first(),
                            "unit", None))
        if found is None:
            raise CommandError(f"找不到单位“{unit}”。")
        path = Path(output)
        content = unit_annual(found, year)
        path.write_bytes(build_docx(official_document(content)))
        self.stdout.write(f"已生成 {path}（{found.name}，{year}年：承担工作任务{content.owed}项，"
                          f"已审核年终报告{len(content.approved)}项）")
        for warning in content.warnings:
            self.stdout.write(f"注意：{warning}")
