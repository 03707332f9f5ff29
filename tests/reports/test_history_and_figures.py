"""The version history names what happened in the office's words and includes the key figures, which have one
record (Report.figures_text) shared with the change log."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from reports import services
from reports.diffing import version_diffs
from reports.models import Report, ReportFigure
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

COURT = [{"label": "出庭率", "value": "95", "unit": "%"}]
COURT_FULL = [{"label": "出庭率", "value": "100", "unit": "%"}, {"label": "办件量", "value": "7900", "unit": "件"}]


def _cycle(world):
    liaison, coordinator = world.liaison_a, world.coordinator
    report = services.start_report(obligation=world.a1, user=liaison)
    report = fill(report, liaison, figures=COURT)
    report = services.submit_report(report=report, user=liaison)
    report = services.return_report(report=report, user=coordinator, comment="请补充办件量")
    report = fill(report, liaison, figures=COURT_FULL)
    return services.submit_report(report=report, user=liaison)


def test_versions_are_labelled_by_what_happened_and_the_liaisons_fix_is_not_called_a_return(world):
    report = _cycle(world)
    labels = [v["label"] for v in reversed(version_diffs(report))]
    assert labels == ["创建草稿", "保存草稿", "报送", "法治办退回修改", "按退回意见修改", "重新报送"]


def test_key_figure_changes_appear_in_the_version_history(world, liaison_a_client):
    report = _cycle(world)
    report.refresh_from_db()
    assert report.figures_text == "出庭率 100%；办件量 7900件"
    fix = next(v for v in version_diffs(report) if v["label"] == "按退回意见修改")
    figures = next(c for c in fix["changes"] if c["label"] == "关键数据")
    new = "".join(s.text for s in figures["segments"] if s.op != "delete")
    old = "".join(s.text for s in figures["segments"] if s.op != "insert")
    assert (old, new) == ("出庭率 95%", "出庭率 100%；办件量 7900件")
    html = liaison_a_client.get(f"/reports/{report.pk}/history/").content.decode()
    assert "<h3>关键数据</h3>" in html and "按退回意见修改" in html and "法治办退回修改" in html


def test_the_change_log_records_each_figure_change_once_and_nothing_for_unchanged_figures(world):
    liaison = world.liaison_a
    report = fill(services.start_report(obligation=world.a1, user=liaison), liaison, figures=COURT)
    report_type = ContentType.objects.get_for_model(Report)
    figure_type = ContentType.objects.get_for_model(ReportFigure)
    ids = list(ReportFigure.objects.filter(report=report).values_list("id", flat=True))

    report = fill(report, liaison, figures=COURT, measures="只改文字，数据不变。")
    assert list(ReportFigure.objects.filter(report=report).values_list("id", flat=True)) == ids  # rows untouched
    fill(report, liaison, figures=COURT_FULL)

    entries = LogEntry.objects.filter(content_type=figure_type).order_by("timestamp", "id")
    assert [(e.action, e.changes_dict.get("value")) for e in entries] == [
        (LogEntry.Action.CREATE, [None, "95.00"]), (LogEntry.Action.UPDATE, ["95.00", "100.00"]),
        (LogEntry.Action.CREATE, [None, "7900.00"])]
    # The derived line on the report is for the version history only: the change log does not repeat it.
    assert not any("figures_text" in e.changes_dict for e in LogEntry.objects.filter(content_type=report_type))


def test_a_new_period_prefilled_from_the_last_report_carries_its_figures_text(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a, figures=COURT)
    assert report.figures_text == "出庭率 95%"
    assert services.figures_text(list(report.figures.all())) == report.figures_text
