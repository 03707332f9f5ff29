"""A notice's title is cut to its column where the notice is built: an item title at its 300-character limit
must not block approving, returning or chasing (PostgreSQL refused the varchar(200) overflow with a 500)."""

from __future__ import annotations

import datetime as dt

from reports import reminders, services
from reports.models import Notice
from tests.reports.conftest import fill

LONG_TITLE = "推进" * 150  # 300 characters: WorkItem.title's limit


def _long_item_report(world):
    world.item1.title = LONG_TITLE
    world.item1.save()
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    return services.submit_report(report=report, user=world.liaison_a)


def test_approving_a_report_on_an_item_with_a_300_character_title(world, coordinator_client):
    report = _long_item_report(world)
    response = coordinator_client.post(f"/reports/{report.pk}/approve/", {"comment": "好"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "approved"
    notice = Notice.objects.get(user=world.liaison_a)
    assert len(notice.title) == 200
    assert notice.title.startswith("报告已审核通过：") and notice.title.endswith("…")


def test_returning_it_and_chasing_the_unit(world):
    report = _long_item_report(world)
    services.return_report(report=report, user=world.coordinator, comment="请补充")
    reminders.remind_unit(unit=world.unit_a, user=world.coordinator, today=dt.date(2026, 7, 1))
    titles = list(Notice.objects.filter(user=world.liaison_a).values_list("title", flat=True))
    assert len(titles) == 2 and all(len(t) <= 200 for t in titles)
    assert any(t.startswith("报告被退回修改：") and t.endswith("…") for t in titles)


def test_a_title_that_fits_is_kept_whole():
    assert services.notice_title("短") == "短"
    assert services.notice_title("字" * 200) == "字" * 200
    assert services.notice_title("字" * 201) == "字" * 199 + "…"


def test_the_units_notices_name_the_period_as_the_office_does(world, coordinator_client):
    # The same item is owed in the half-year and the year-end period: the title says which report it is.
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    services.return_report(report=report, user=world.coordinator, comment="请补充")
    title = Notice.objects.filter(user=world.liaison_a).latest("id").title
    assert title == f"报告被退回修改：{world.period.name} · {world.a1.item}"
