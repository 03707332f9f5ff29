"""Run by tests/test_sqlite_concurrency.py in a subprocess, against a SQLite *file* (the test database is in
memory and cannot be shared with threads the way a deployment's file is).

Eight threads approve or return the same submitted report at the same moment, then eight liaison threads
submit eight different reports while a coordinator approves others. Prints one JSON line: the errors that
were not the workflow's own refusals, and the events recorded.
"""

from __future__ import annotations

import json
import os
import sys
import threading

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

call_command("migrate", verbosity=0)

from accounts.models import Role  # noqa: E402
from reports.models import ReportEvent  # noqa: E402
from reports.services import ReportError, approve_report, return_report, submit_report  # noqa: E402
from tests.factories import ReportFactory, UnitFactory, UserFactory  # noqa: E402

coordinator = UserFactory(username="c", role=Role.COORDINATOR)
unit = UnitFactory(name="并发测试单位")
liaison = UserFactory(username="l", role=Role.LIAISON, unit=unit)
contested = ReportFactory(state="submitted", obligation__unit=unit)
drafts = [ReportFactory(state="draft", submitted_at=None, obligation__unit=unit) for _ in range(4)]
to_approve = [ReportFactory(state="submitted", obligation__unit=unit) for _ in range(4)]
connection.close()

barrier = threading.Barrier(8)
unexpected: list[str] = []
refused: list[str] = []


def run(action) -> None:
    try:
        barrier.wait()
        action()
    except ReportError as exc:  # the workflow's own "already approved" refusal
        refused.append(str(exc))
    except Exception as exc:
        unexpected.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def contest(i: int):
    if i % 2:
        return lambda: approve_report(report=contested, user=coordinator)
    return lambda: return_report(report=contested, user=coordinator, comment="请补充材料。")


threads = [threading.Thread(target=run, args=(contest(i),)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
contested_events = ReportEvent.objects.filter(report=contested).exclude(action="submitted").count()

barrier = threading.Barrier(8)
mixed = [lambda r=r: submit_report(report=r, user=liaison) for r in drafts] + [
    lambda r=r: approve_report(report=r, user=coordinator) for r in to_approve
]
threads = [threading.Thread(target=run, args=(action,)) for action in mixed]
for t in threads:
    t.start()
for t in threads:
    t.join()

print(json.dumps({
    "unexpected": unexpected,
    "refused": len(refused),
    "contested_events": contested_events,
    "mixed_events": ReportEvent.objects.filter(report__in=[*drafts, *to_approve]).count(),
}, ensure_ascii=False))
sys.stdout.flush()
