"""Measures from Fazhi's own data, read for all units in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.measures import NONE_OWED, NOT_DUE_YET, computed_score, read_measures
from assessment.rules import Rule, RuleKind
from reports import services as reports
from reports.models import Obligation, PeriodKind


def _filed(ob, user, day: dt.date):
    report = reports.start_report(obligation=ob, user=user)
    report = reports.save_report(report=report, data={"measures": "已完成。", "progress": "in_progress", "percent": 50},
                                 figures=None, user=user, expected_version=report.version)
    return reports.submit_report(report=report, user=user, now=_aware(day))


def _aware(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone())


@pytest.fixture
def filed(small_plan, coordinator, liaison_a, liaison_b, unit_a, unit_b):
    """Half-year due 1 July: unit A files on time, unit B late and gets it returned once. Year-end period due
    10 Dec: unit A on time. The units' own annual report (due 1 March 2027): unit A sends it in February."""
    half = reports.open_period(plan=small_plan, name="半年报", due_on=dt.date(2026, 7, 1), user=coordinator)
    year_end = reports.open_period(plan=small_plan, name="年终报告", due_on=dt.date(2026, 12, 10), user=coordinator,
                                   kind=PeriodKind.YEAR_END)
    for ob in Obligation.objects.filter(period=half).select_related("unit"):
        user = liaison_a if ob.unit == unit_a else liaison_b
        report = _filed(ob, user, dt.date(2026, 6, 20) if ob.unit == unit_a else dt.date(2026, 7, 5))
        if ob.unit == unit_b:
            reports.return_report(report=report, user=coordinator, comment="请补充数据。")
    for ob in Obligation.objects.filter(period=year_end, unit=unit_a):
        _filed(ob, liaison_a, dt.date(2026, 12, 1))
    from reports.services_annual import save_annual_report, submit_annual_report

    save_annual_report(unit=unit_a, year=2026, user=liaison_a, expected_version=None, data={
        "title": "2026年度法治政府建设情况报告", "intro": "本年度工作情况。", "leadership": "主要负责人履职情况。",
        "problems": "存在的不足。", "next_year": "下一年度安排。"})
    submit_annual_report(unit=unit_a, year=2026, user=liaison_a, confirm_gaps=True)
    return half, year_end


def test_measures_per_unit_in_three_queries(filed, unit_a, unit_b):
    with CaptureQueriesContext(connection) as ctx:
        got = read_measures(2026, dt.date(2027, 3, 2))
    assert len(ctx.captured_queries) == 5
    a_owed = Obligation.objects.filter(unit=unit_a).count()
    assert got["on_time_rate"][unit_a.pk].value == D(1) and got["on_time_rate"][unit_a.pk].owed == a_owed
    b = got["on_time_rate"][unit_b.pk]
    assert b.value < D(1)
    assert got["returned"][unit_b.pk].value >= 1 and got["returned"][unit_a.pk].value == 0
    assert got["annual_report"][unit_a.pk].value == 0  # sent before the due date
    assert got["annual_report"][unit_b.pk].value == 1  # never sent


def test_periods_not_yet_due_are_not_owed_yet_but_are_not_no_task(filed, unit_a, unit_b):
    got = read_measures(2026, dt.date(2026, 6, 1))
    on_time, annual = got["on_time_rate"][unit_a.pk], got["annual_report"][unit_b.pk]
    assert (on_time.owed, on_time.later) == (0, Obligation.objects.filter(unit=unit_a).count())
    assert (annual.owed, annual.later) == (0, 1)  # unit B has not sent its year-end report; not due yet
    score, text = computed_score(Rule(RuleKind.RATE, D(3)), "on_time_rate", on_time)
    assert score == D(3) and text.startswith(NOT_DUE_YET) and "截至今日" in text and NONE_OWED not in text


def test_lead_tasks_whose_deadlines_have_not_passed_are_not_due_yet(small_plan, unit_a):
    from tests.factories import UnitFactory

    helper = UnitFactory(name="测试市档案馆")
    got = read_measures(2026, dt.date(2026, 6, 1))  # every item's deadline is 31 Dec
    reading = got["lead_overdue"][unit_a.pk]
    assert (reading.owed, reading.later) == (0, 1)
    score, text = computed_score(Rule(RuleKind.PER_OCCURRENCE, D(2), D(1), D(2)), "lead_overdue", reading)
    assert (score, text) == (D(2), "暂无到期任务（截至今日；1 项尚未到期，得分暂按满分计）")
    assert helper.pk not in got["lead_overdue"]  # leads nothing: truly no such task
    assert computed_score(Rule(RuleKind.PER_OCCURRENCE, D(2), D(1), D(2)), "lead_overdue", None)[1] == NONE_OWED


def test_a_year_end_report_sent_before_its_due_date_is_on_time_already(filed, unit_a, unit_b):
    got = read_measures(2026, dt.date(2026, 12, 20))  # before 1 March 2027; unit A has sent it, B has not
    assert (got["annual_report"][unit_a.pk].owed, got["annual_report"][unit_a.pk].value) == (1, 0)
    assert (got["annual_report"][unit_b.pk].owed, got["annual_report"][unit_b.pk].later) == (0, 1)


def test_lead_tasks_not_done_by_their_deadline(small_plan, unit_a, unit_b):
    got = read_measures(2026, dt.date(2027, 1, 15))  # every item's deadline (31 Dec) has passed, nothing done
    assert got["lead_overdue"][unit_a.pk].value == 1 and got["lead_overdue"][unit_b.pk].value == 1


def test_a_unit_that_owes_nothing_gets_full_marks():
    assert computed_score(Rule(RuleKind.RATE, D(3)), "on_time_rate", None) == (D(3), NONE_OWED)
    assert computed_score(Rule(RuleKind.PER_OCCURRENCE, D(2), D("0.5"), D(2)), "returned", None) == (D(2), NONE_OWED)
