"""A small plan the reporting tests work on: unit A leads two items, unit B is responsible on one."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from reports import services
from tasks.models import AssignmentRole
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, ChapterFactory, PlanFactory, UnitFactory, WorkItemFactory


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db, unit_a, unit_b, coordinator, liaison_a, liaison_b, leader):
    plan = PlanFactory(title="2026年测试市法治政府建设工作要点", year=2026)
    ch1 = ChapterFactory(plan=plan, seq=1, number="一", title="依法全面履行政府职能")
    ch2 = ChapterFactory(plan=plan, seq=2, number="二", title="严格规范公正文明执法")
    item1 = WorkItemFactory(plan=plan, chapter=ch1, seq=1, number="(一)", title="深化政务服务改革")
    item2 = WorkItemFactory(plan=plan, chapter=ch2, seq=2, number="(二)", title="规范行政执法行为")
    helper = UnitFactory(name="测试市财政局", short_name="财政局")
    AssignmentFactory(item=item1, unit=unit_a, role=AssignmentRole.LEAD, order=0)
    AssignmentFactory(item=item1, unit=unit_b, role=AssignmentRole.RESPONSIBLE, order=1)
    AssignmentFactory(item=item1, unit=helper, role=AssignmentRole.OTHER, order=2)
    AssignmentFactory(item=item2, unit=unit_a, role=AssignmentRole.LEAD, order=0)
    sync_duties(items=[item1, item2])
    period = services.open_period(plan=plan, name="2026年半年报", kind="half_year",
                                  due_on=dt.date(2026, 7, 10), scope="all", user=coordinator)
    ob = {(o.item_id, o.unit_id): o for o in period.obligations.all()}
    return SimpleNamespace(
        plan=plan, ch1=ch1, ch2=ch2, item1=item1, item2=item2, helper=helper, period=period,
        a1=ob[(item1.id, unit_a.id)], b1=ob[(item1.id, unit_b.id)], a2=ob[(item2.id, unit_a.id)],
        unit_a=unit_a, unit_b=unit_b, coordinator=coordinator, liaison_a=liaison_a, liaison_b=liaison_b,
        leader=leader,
    )


def fill(report, user, **data):
    """Save some content on a report through the service, as the form would."""
    base = {"progress": "in_progress", "percent": 50, "measures": "建立工作台账，开展专项检查。"}
    base.update(data)
    figures = base.pop("figures", None)
    return services.save_report(report=report, data=base, figures=figures, user=user,
                                expected_version=report.version)
