"""Key figures reach the change log: each one is saved and deleted on its own (never bulk_create), so the
audit shows who changed 出庭率 from 95 to 100 and when."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from reports import services
from reports.models import ReportFigure
from tests.reports.conftest import fill


def _entries():
    ct = ContentType.objects.get_for_model(ReportFigure)
    return list(LogEntry.objects.filter(content_type=ct).order_by("id"))


def test_saved_changed_and_removed_figures_are_each_in_the_change_log(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
                  figures=[{"label": "出庭率", "value": "95", "unit": "%"}, {"label": "办件量", "value": "7900"}])
    created = _entries()
    assert [e.action for e in created] == [LogEntry.Action.CREATE] * 2
    assert "95" in created[0].changes_display_dict.get("数值", [""])[-1] or "95" in str(created[0].changes)
    report = fill(report, world.liaison_a, figures=[{"label": "出庭率", "value": "100", "unit": "%"}])
    later = _entries()[2:]
    assert [e.action for e in later] == [LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
    assert later[0].changes_dict["value"] == ["95.00", "100.00"] or later[0].changes_dict["value"][1] == "100"
    assert list(report.figures.values_list("label", "value")) == [("出庭率", 100)]


def test_figures_carried_over_from_the_previous_period_are_logged_too(world):
    from reports.services import open_period

    first = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a,
                 figures=[{"label": "出庭率", "value": "95", "unit": "%"}])
    services.submit_report(report=first, user=world.liaison_a)
    import datetime as dt

    later = open_period(plan=world.plan, name="年终", due_on=dt.date(2026, 12, 31), user=world.coordinator)
    services.start_report(obligation=later.obligations.get(item=world.item1, unit=world.unit_a), user=world.liaison_a)
    assert ReportFigure.objects.count() == 2
    assert len([e for e in _entries() if e.action == LogEntry.Action.CREATE]) == 2
