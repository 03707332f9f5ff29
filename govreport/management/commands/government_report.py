"""Write a government's year report as Word: ``government_report --year 2027 [--government NAME] --output F.docx``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govreport import compiling, services
from govreport.documents import report_docx
from govreport.models import GovReport
from tasks.models import Government, Plan, PlanStatus


class Command(BaseCommand):
    help = "生成政府年度法治政府建设情况报告（Word）；没有草稿时先按各单位报告汇编。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="报告年度，如 2027")
        parser.add_argument("--government", default="", help="政府名称（只有一个政府有该年度工作要点时可省略）")
        parser.add_argument("--output", required=True, help="输出的 .docx 文件")

    def handle(self, *args: Any, year: int, government: str, output: str, **options: Any) -> None:
        plans = Plan.objects.filter(year=year).exclude(status=PlanStatus.DRAFT)
        if government:
            match = Government.objects.filter(name=government).first()
            if match is None:
                raise CommandError(f"没有名为“{government}”的政府。")
            plans = plans.filter(government=match)
        governments = list(Government.objects.filter(pk__in=plans.values("government")).order_by("name"))
        if not governments:
            who = f"（{government}）" if government else ""
            raise CommandError(f"{year}年没有已印发的工作要点{who}，无法生成年度报告。")
        if len(governments) > 1:
            names = "、".join(g.name for g in governments)
            raise CommandError(f"{year}年有多个政府的工作要点（{names}），请用 --government 指定。")
        target = governments[0]
        report = GovReport.objects.filter(government=target, year=year).first()
        if report is None:
            try:
                report = services.compile_report(government=target, year=year, user=None)
            except services.GovReportError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        content = report_docx(report)
        Path(output).write_bytes(content)
        counted = compiling.counts(compiling.gather(target, year, included=report.included_reports))
        parts = len({s.part for s in report.sections.all() if s.text.strip()})
        self.stdout.write(f"{target.name}{year}年度报告：{parts} 个部分，{counted.items} 项工作，"
                          f"{counted.with_sources} 项有来源，{counted.without_sources} 项无来源；已写入 {output}")
