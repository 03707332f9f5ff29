"""Import benchmark: `python -m tasks.importing.bench` prints JSON lines with median and p95 in ms.

It builds a throw-away test database, then times, for a 30-item plan: reading the Excel task table,
rendering the preview page, and ``import_plan`` (plan, chapters, items, assignments, duties). Used by
`make bench-import`; never by tests (speed is not asserted).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable


def _stats(name: str, timings: list[float], **extra) -> dict:
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {"page": name, **extra, "median_ms": round(statistics.median(timings), 2), "p95_ms": round(p95, 2)}


def _time(func: Callable[[], object], repeat: int) -> list[float]:
    func()  # warm-up
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        from accounts.models import Role, User
        from fazhi import xlsx
        from tasks.importing.excel import read_task_table
        from tasks.importing.services import import_plan, start_import
        from tasks.models import Unit, UnitGroup

        units = [Unit.objects.create(name=f"测试市第{n}局", order=n) for n in range(1, 41)]
        group = UnitGroup.objects.create(name="市政府各有关部门")
        group.members.set(units[:30])
        user = User.objects.create_user("bench", password="x", role=Role.COORDINATOR)

        workbook = xlsx.new_workbook()
        sheet = workbook.active
        xlsx.append_row(sheet, ["序号", "章节", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"])
        for seq in range(1, 31):
            xlsx.append_row(sheet, [seq, f"{'一二三四五六七八'[(seq - 1) // 4]}、第{(seq - 1) // 4 + 1}方面工作",
                                    f"推进第{seq}项工作", "健全制度机制，完善工作流程。" * 3,
                                    "、".join(u.name for u in units[seq % 10: seq % 10 + 3]), "市政府各有关部门",
                                    "2026-12-31"])
        content = xlsx.to_bytes(workbook)
        draft = read_task_table(content).draft
        draft.title, draft.year = "2026年测试市法治政府建设工作要点", 2026

        results = [_stats("excel_read", _time(lambda: read_task_table(content), 20), items=30)]

        document_import = start_import(user=user, source="xlsx", filename="bench.xlsx", draft=draft)
        client = Client()
        client.force_login(user)
        url = reverse("tasks:import_preview", args=[document_import.pk])
        results.append(_stats("import_preview", _time(lambda: client.get(url, HTTP_HOST="127.0.0.1"), 20), items=30))

        def import_and_roll_back() -> None:
            with transaction.atomic():
                import_plan(draft=draft, mapping={}, user=user)
                transaction.set_rollback(True)

        results.append(_stats("import_plan", _time(import_and_roll_back, 10), items=30))
        for line in results:
            print(json.dumps(line, ensure_ascii=False))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
