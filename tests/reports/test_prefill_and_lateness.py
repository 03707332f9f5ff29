"""A new period's draft starts from the unit's previous report; late submissions are marked."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from reports import services
from tests.reports.conftest import fill

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_new_periods_draft_is_prefilled_from_the_units_previous_report_on_the_item(world):
    first = services.start_report(obligation=world.a1, user=world.liaison_a)
    fill(first, world.liaison_a, measures="上半年举措", problems="人手不足", next_steps="下半年计划",
         progress="in_progress", percent=60, figures=[{"label": "办件量", "value": "3900", "unit": "件"}])
    year_end = services.open_period(plan=world.plan, name="2026年年终报告", kind="year_end",
                                    due_on=dt.date(2026, 12, 10), scope="all", user=world.coordinator)
    ob = year_end.obligations.get(item=world.item1, unit=world.unit_a)
    draft = services.start_report(obligation=ob, user=world.liaison_a)
    assert (draft.measures, draft.problems, draft.next_steps) == ("上半年举措", "人手不足", "下半年计划")
    assert draft.percent == 60
    assert [(f.label, int(f.value), f.unit) for f in draft.figures.all()] == [("办件量", 3900, "件")]
    assert draft.state == "draft" and draft.version == 1
    assert "预填" in draft.events.get().comment
    # the other unit's draft on the same item starts empty
    other = services.start_report(obligation=year_end.obligations.get(item=world.item1, unit=world.unit_b),
                                  user=world.liaison_b)
    assert other.measures == "" and other.figures.count() == 0


def test_starting_twice_returns_the_same_draft(world):
    one = services.start_report(obligation=world.a1, user=world.liaison_a)
    two = services.start_report(obligation=world.a1, user=world.liaison_a)
    assert one.pk == two.pk


def _submit_at(world, obligation, user, when):
    report = fill(services.start_report(obligation=obligation, user=user), user)
    return services.submit_report(report=report, user=user, now=when)


def test_a_report_submitted_on_the_due_day_in_shanghai_is_on_time(world):
    report = _submit_at(world, world.a1, world.liaison_a, dt.datetime(2026, 7, 10, 23, 59, tzinfo=SHANGHAI))
    assert report.is_late is False


def test_a_report_submitted_after_the_due_day_is_late(world):
    # 16:30 UTC on the 10th is already 00:30 on the 11th in Shanghai
    report = _submit_at(world, world.a1, world.liaison_a, dt.datetime(2026, 7, 10, 16, 30, tzinfo=dt.UTC))
    assert report.is_late is True


def test_a_resubmission_after_return_keeps_the_first_submissions_lateness(world):
    report = _submit_at(world, world.a1, world.liaison_a, dt.datetime(2026, 7, 9, 10, 0, tzinfo=SHANGHAI))
    services.return_report(report=report, user=world.coordinator, comment="补充数据")
    report.refresh_from_db()
    report = services.submit_report(report=report, user=world.liaison_a,
                                    now=dt.datetime(2026, 7, 20, 10, 0, tzinfo=SHANGHAI))
    assert report.is_late is False
    assert report.submitted_at.astimezone(SHANGHAI).day == 20
