"""Spreadsheet formula injection: every workbook Fazhi writes, filled with text that starts like a formula,
holds that text as text (no formula cell anywhere), and no module writes a workbook except through
``fazhi.xlsx``."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from auditlog.context import set_actor
from django.core.cache import cache
from openpyxl import load_workbook

from audit.exporting import build_audit_xlsx
from audit.models import EventKind, SecurityEvent
from fazhi import xlsx
from reports import services as report_services
from reports.documents import build_period_xlsx
from tasks import services as task_services
from tasks.excel import export_plan
from tests.factories import PlanFactory, UnitFactory

pytestmark = pytest.mark.django_db

HOSTILE = ["=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0", "-1+1", "@SUM(A1:A9)", '=HYPERLINK("http://x","点此")']
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Dashboards cache per period id and version; test databases reuse ids.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hostile_world(coordinator, leader, liaison_a, unit_a):
    """Every text a workbook shows, typed by a hostile user: plan, chapter, item, unit, figure, audit entries."""
    unit_a.name, unit_a.short_name = HOSTILE[3], HOSTILE[3]
    with set_actor(coordinator):
        unit_a.save()
    other = UnitFactory(name=HOSTILE[2], short_name=HOSTILE[2])
    plan = PlanFactory(title=HOSTILE[0], year=2026)
    chapter = task_services.create_chapter(plan=plan, title=HOSTILE[1])
    item = task_services.create_item(plan=plan, chapter=chapter, title=HOSTILE[4], body=HOSTILE[0],
                                     lead=[unit_a], responsible=[other], deadline=dt.date(2020, 1, 1))
    period = report_services.open_period(plan=plan, name="半年报", user=coordinator,
                                         due_on=dt.date.today() - dt.timedelta(days=1))
    obligation = period.obligations.get(unit=unit_a)
    report = report_services.start_report(obligation=obligation, user=liaison_a)
    report = report_services.save_report(
        report=report, user=liaison_a, expected_version=report.version,
        data={"progress": "in_progress", "percent": 40, "measures": HOSTILE[0]},
        figures=[{"label": HOSTILE[0], "value": "12", "unit": HOSTILE[3]}],
    )
    report_services.submit_report(report=report, user=liaison_a)
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, username=HOSTILE[0], detail=HOSTILE[1],
                                 user_agent=HOSTILE[3])
    return {"plan": plan, "period": period, "item": item}


def _texts(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data))
    return {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def _assert_text_only(name: str, data: bytes, expected: list[str]) -> None:
    assert xlsx.formula_cells(data) == [], f"{name}: formula cells"
    texts = _texts(data)
    joined = "\n".join(texts)
    for text in expected:
        assert text in joined, f"{name}: {text!r} missing"


def test_every_workbook_builder_keeps_hostile_text_as_text(hostile_world, leader_client):
    period, plan, item = hostile_world["period"], hostile_world["plan"], hostile_world["item"]
    built = {
        "task table": (export_plan(plan), [HOSTILE[0], HOSTILE[1], HOSTILE[4], HOSTILE[3], HOSTILE[2]]),
        "period summary": (build_period_xlsx(period), [HOSTILE[0], HOSTILE[1], HOSTILE[4], HOSTILE[3]]),
        "audit changes": (build_audit_xlsx({}), [HOSTILE[3]]),
        "audit security": (build_audit_xlsx({"source": "security"}), [HOSTILE[0], HOSTILE[1], HOSTILE[3]]),
    }
    dashboard = {
        "overview": ([HOSTILE[1]], ""), "units": ([HOSTILE[3], HOSTILE[2]], "units/"),
        "matrix": ([HOSTILE[3], HOSTILE[4]], "matrix/"), "trends": ([], "trends/"),
        "items": ([HOSTILE[4], HOSTILE[1], HOSTILE[3]], "items/"),
        "obligations": ([HOSTILE[4], HOSTILE[3], HOSTILE[2]], "obligations/"),
    }
    for name, (expected, suffix) in dashboard.items():
        response = leader_client.get(f"/dashboard/period/{period.pk}/{suffix}", {"export": "xlsx"})
        assert response.status_code == 200, name
        built[f"dashboard {name}"] = (response.content, expected)
    response = leader_client.get(f"/dashboard/year/{plan.year}/", {"export": "xlsx"})
    built["dashboard year"] = (response.content, [HOSTILE[0]])
    for name, (data, expected) in built.items():
        _assert_text_only(name, data, expected)
    assert item.title == HOSTILE[4]


# Creating a workbook, appending to or addressing a sheet's cells, or assigning a cell's value directly.
WRITES_A_WORKBOOK = re.compile(r"\bWorkbook\(|\b(?:ws|sheet|worksheet)\.(?:append|cell)\(|\.value = ")


def test_no_module_writes_a_workbook_except_through_the_helper():
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith((".venv/", "tests/", "fazhi/xlsx.py")) or "/migrations/" in rel:
            continue
        source = path.read_text(encoding="utf-8")
        if "openpyxl" in source and WRITES_A_WORKBOOK.search(source):
            offenders.append(rel)
    assert offenders == []
