"""Opening a period creates the obligations; later assignments join open periods."""

from __future__ import annotations

import datetime as dt

import pytest

from reports import services
from reports.models import Obligation, PeriodStatus
from tasks.models import AssignmentRole
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, UnitFactory, UnitGroupFactory
from tests.reports.conftest import fill


def test_opening_a_period_creates_one_obligation_per_lead_and_responsible_unit(world):
    rows = set(world.period.obligations.values_list("item__seq", "unit__name", "role"))
    assert rows == {
        (1, world.unit_a.name, "lead"), (1, world.unit_b.name, "responsible"), (2, world.unit_a.name, "lead"),
    }
    assert not Obligation.objects.filter(unit=world.helper).exists()  # 配合单位 owe no report


def test_a_lead_only_period_asks_only_lead_units(world):
    period = services.open_period(plan=world.plan, name="重点任务专报", kind="other",
                                  due_on=dt.date(2026, 9, 30), scope="lead_only", user=world.coordinator)
    assert set(period.obligations.values_list("unit", flat=True)) == {world.unit_a.id}


def test_groups_are_expanded_and_later_assignments_reach_open_periods(world):
    town1, town2 = UnitFactory(name="测试市乙镇"), UnitFactory(name="测试市丙镇")
    group = UnitGroupFactory(name="各区镇", members=[town1, town2])
    AssignmentFactory(item=world.item2, group=group, unit=None, role=AssignmentRole.RESPONSIBLE)
    sync_duties(items=[world.item2])
    units = set(world.period.obligations.filter(item=world.item2).values_list("unit__name", flat=True))
    assert units == {world.unit_a.name, "测试市乙镇", "测试市丙镇"}


def test_period_names_are_unique_per_plan(world):
    with pytest.raises(services.ReportError, match="已有名为"):
        services.open_period(plan=world.plan, name="2026年半年报", kind="half_year",
                             due_on=dt.date(2026, 7, 10), scope="all", user=world.coordinator)


def test_closing_and_reopening_record_who_and_when(world):
    period = services.close_period(period=world.period, user=world.coordinator)
    assert period.status == PeriodStatus.CLOSED and period.closed_by == world.coordinator
    assert period.closed_at is not None
    with pytest.raises(services.ReportError):
        services.close_period(period=period, user=world.coordinator)
    period = services.reopen_period(period=period, user=world.coordinator)
    assert period.status == PeriodStatus.OPEN and period.closed_at is None


def test_transitions_bump_the_period_cache_version_and_starting_a_draft_does_not(world,
                                                                                  django_capture_on_commit_callbacks):
    from reports.cachekeys import period_version

    before = period_version(world.period.id)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.start_report(obligation=world.a1, user=world.liaison_a)
    assert period_version(world.period.id) == before  # a draft is the unit's own: no dashboard figure moves
    report = fill(report, world.liaison_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_report(report=report, user=world.liaison_a)
    assert period_version(world.period.id) == before + 1
