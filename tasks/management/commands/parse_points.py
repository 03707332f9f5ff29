"""`manage.py parse_points FILE [--json]`: read a work-point document and print what was found.

Touches no database table (``requires_system_checks`` and migrations are not needed), so it runs on
a fresh checkout. With ``--json`` it prints exactly one JSON object: the contract in
``tasks/parsing/types.py``. A file that cannot be read exits with status 1 and one line on stderr.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tasks.parsing import UnreadableDocument, parse_document


class Command(BaseCommand):
    help = "读取工作要点文件（.txt/.docx/.xlsx/.pdf），输出解析结果；--json 输出 JSON。不读写数据库。"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="文件路径（.txt / .docx / .xlsx / .pdf），“-” 表示从标准输入读取")
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")

    def execute(self, *args, **options):
        # One line on stderr and a non-zero exit, without Django's "CommandError:" prefix or a traceback.
        try:
            return super().execute(*args, **options)
        except CommandError as error:
            sys.stderr.write(f"{error}\n")
            sys.exit(1)

    def handle(self, *args, **options) -> None:
        name = options["file"]
        try:
            data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(f"找不到文件：{name}") from exc
        except IsADirectoryError as exc:
            raise CommandError(f"这是一个目录，不是文件：{name}") from exc
        except OSError as exc:
            raise CommandError(f"无法读取文件：{name}（{exc.strerror}）") from exc
        try:
            document = parse_document(data, filename=None if name == "-" else name)
        except UnreadableDocument as exc:
            raise CommandError(str(exc).replace("\n", " ")) from exc
        if options["json"]:
            self.stdout.write(json.dumps(document.as_json(), ensure_ascii=False))
            return
        self.stdout.write(self._summary(document))

    def _summary(self, document) -> str:
        lines = [
            f"标题：{document.title or '（未识别）'}",
            f"印发机关：{document.issuer or '（未识别）'}",
            f"年度：{document.year or '（未识别）'}",
            f"文号：{document.doc_number or '（未识别）'}",
            f"印发日期：{document.issued_on.isoformat() if document.issued_on else '（未识别）'}",
            f"章节 {len(document.chapters)} 个，工作任务 {len(document.items)} 项，提示 {len(document.warnings)} 条",
            "",
        ]
        chapters = {c.number: c.title for c in document.chapters}
        current = object()
        for item in document.items:
            if item.chapter != current:
                current = item.chapter
                if item.chapter is not None:
                    lines.append(f"{item.chapter}、{chapters.get(item.chapter, '')}")
            lines.append(f"  {item.seq:>3}. {item.number} {item.title}")
            for label, names in (("牵头", item.lead_units), ("责任", item.responsible_units),
                                 ("配合", item.other_units)):
                if names:
                    lines.append(f"       {label}：{'、'.join(names)}")
        if document.warnings:
            lines.append("")
            lines.append("提示：")
            for warning in document.warnings:
                prefix = f"第{warning.seq}项 " if warning.seq is not None else ""
                lines.append(f"  - {prefix}{warning.message}")
        return "\n".join(lines)
