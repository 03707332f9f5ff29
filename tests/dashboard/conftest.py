"""A small hand-made period whose every dashboard figure is computed by hand in the tests.

Period due 2026-07-10, "today" 2026-08-01. Units A (司法局), B (甲镇), C (第三局).
Chapter 1: item 1 — lead A approved 已完成, responsible B approved 推进中            → green
           item 2 — lead A submitted late 推进中, responsible C never reported      → red (22 days)
Chapter 2: item 3 — lead B submitted 推进中, responsible C returned                 → yellow
           item 4 — deadline 2026-06-30; lead C approved 推进中                      → red (32 days)
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tasks.models import UnitKind
from tests.factories import (
    ChapterFactory,
    ObligationFactory,
    PeriodFactory,
    PlanFactory,
    ReportFactory,
    UnitFactory,
    WorkItemFactory,
)

TODAY = dt.date(2026, 8, 1)
REVIEWED = dt.datetime(2026, 7, 12, 2, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _fresh_cache_and_today(monkeypatch):
    # Test databases reuse ids, so a figure cached by an earlier test must never be served.
    cache.clear()
    monkeypatch.setattr("dashboard.views._today", lambda: TODAY)
    yield
    cache.clear()


def _report(ob, state, progress, *, late=False):
    return ReportFactory(obligation=ob, state=state, progress=progress, is_late=late,
                         reviewed_at=REVIEWED if state == "approved" else None,
                         percent=100 if progress == "completed" else 40)


@pytest.fixture
def dash(unit_a, unit_b):
    unit_c = UnitFactory(name="测试市第三局", short_name="第三局", kind=UnitKind.GOVERNMENT)
    plan = PlanFactory(year=2026, title="2026年测试市法治政府建设工作要点")
    period = PeriodFactory(plan=plan, name="2026年半年报", due_on=dt.date(2026, 7, 10))
    ch1 = ChapterFactory(plan=plan, seq=1, number="一", title="依法全面履行政府职能")
    ch2 = ChapterFactory(plan=plan, seq=2, number="二", title="健全依法行政制度体系")
    item1 = WorkItemFactory(plan=plan, chapter=ch1, seq=1, number="(一)", title="深化放管服改革")
    item2 = WorkItemFactory(plan=plan, chapter=ch1, seq=2, number="(二)", title="优化法治化营商环境")
    item3 = WorkItemFactory(plan=plan, chapter=ch2, seq=3, number="(三)", title="加强规范性文件监督")
    item4 = WorkItemFactory(plan=plan, chapter=ch2, seq=4, number="(四)", title="推进合法性审核全覆盖",
                            deadline=dt.date(2026, 6, 30))

    def ob(item, unit, role):
        return ObligationFactory(period=period, item=item, unit=unit, role=role)

    reports = SimpleNamespace(
        a1=_report(ob(item1, unit_a, "lead"), "approved", "completed"),
        b1=_report(ob(item1, unit_b, "responsible"), "approved", "in_progress"),
        a2=_report(ob(item2, unit_a, "lead"), "submitted", "in_progress", late=True),
        b3=_report(ob(item3, unit_b, "lead"), "submitted", "in_progress"),
        c3=_report(ob(item3, unit_c, "responsible"), "returned", "in_progress"),
        c4=_report(ob(item4, unit_c, "lead"), "approved", "in_progress"),
    )
    missing_c2 = ob(item2, unit_c, "responsible")
    return SimpleNamespace(plan=plan, period=period, chapters=[ch1, ch2], items=[item1, item2, item3, item4],
                           units=SimpleNamespace(a=unit_a, b=unit_b, c=unit_c), reports=reports,
                           missing_c2=missing_c2)
