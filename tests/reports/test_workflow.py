"""The report workflow: 草稿 → 已报送 → 已审核, or → 退回修改 with a comment → 已报送 again."""

from __future__ import annotations

import pytest

from reports import services
from reports.models import Notice, ReportAction, ReportEvent, ReportState
from tests.reports.conftest import fill


def test_a_report_goes_from_draft_through_return_and_resubmission_to_approved(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    assert report.state == ReportState.DRAFT
    report = fill(report, world.liaison_a)
    report = services.submit_report(report=report, user=world.liaison_a)
    assert report.state == ReportState.SUBMITTED and report.submitted_at is not None

    report = services.return_report(report=report, user=world.coordinator, comment="请补充执法案卷数量。")
    assert report.state == ReportState.RETURNED
    assert report.review_comment == "请补充执法案卷数量。"
    assert report.reviewed_by == world.coordinator

    report = fill(report, world.liaison_a, measures="补充：评查执法案卷120件。")
    report = services.submit_report(report=report, user=world.liaison_a)
    report = services.approve_report(report=report, user=world.coordinator)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    events = list(ReportEvent.objects.filter(report=report).values_list("action", "from_state", "to_state", "actor"))
    assert events == [
        (ReportAction.CREATED, "", "draft", world.liaison_a.id),
        (ReportAction.SAVED, "draft", "draft", world.liaison_a.id),
        (ReportAction.SUBMITTED, "draft", "submitted", world.liaison_a.id),
        (ReportAction.RETURNED, "submitted", "returned", world.coordinator.id),
        (ReportAction.SAVED, "returned", "returned", world.liaison_a.id),
        (ReportAction.SUBMITTED, "returned", "submitted", world.liaison_a.id),
        (ReportAction.APPROVED, "submitted", "approved", world.coordinator.id),
    ]
    assert ReportEvent.objects.get(report=report, action="returned").comment == "请补充执法案卷数量。"


def test_returning_needs_a_comment_and_changes_nothing_without_one(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    report = services.submit_report(report=report, user=world.liaison_a)
    with pytest.raises(services.ReportError, match="必须填写意见"):
        services.return_report(report=report, user=world.coordinator, comment="   ")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not ReportEvent.objects.filter(action="returned").exists()


def test_return_and_approval_notify_the_units_liaisons(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    services.return_report(report=report, user=world.coordinator, comment="数据不完整")
    notice = Notice.objects.get(user=world.liaison_a)
    assert "退回" in notice.title and notice.body == "数据不完整"
    assert not Notice.objects.filter(user=world.liaison_b).exists()


def test_a_submission_needs_measures(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    with pytest.raises(services.ReportError, match="工作举措与成效"):
        services.submit_report(report=report, user=world.liaison_a)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_delayed_status_needs_a_reason(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    with pytest.raises(services.ReportError, match="必须填写原因"):
        fill(report, world.liaison_a, progress="delayed", delay_reason="")
    report = fill(report, world.liaison_a, progress="delayed", delay_reason="上级政策调整")
    assert report.delay_reason == "上级政策调整"


def test_submitted_and_approved_reports_cannot_be_saved_or_resubmitted(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    report = services.submit_report(report=report, user=world.liaison_a)
    with pytest.raises(services.ReportError):
        fill(report, world.liaison_a, measures="偷偷改")
    with pytest.raises(services.ReportError):
        services.submit_report(report=report, user=world.liaison_a)
    services.approve_report(report=report, user=world.coordinator)
    with pytest.raises(services.ReportError):
        services.return_report(report=report, user=world.coordinator, comment="再改")
    report.refresh_from_db()
    assert report.measures == "建立工作台账，开展专项检查。"


def test_only_coordinators_review(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    report = services.submit_report(report=report, user=world.liaison_a)
    for user in (world.liaison_a, world.leader):
        with pytest.raises(services.PermissionDenied):
            services.approve_report(report=report, user=user)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_closed_period_stops_filing(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    services.close_period(period=world.period, user=world.coordinator)
    with pytest.raises(services.ReportError, match="已关闭"):
        fill(report, world.liaison_a)
    with pytest.raises(services.ReportError, match="已关闭"):
        services.start_report(obligation=world.b1, user=world.liaison_b)
    services.reopen_period(period=world.period, user=world.coordinator)
    assert fill(report, world.liaison_a).version == report.version + 1


def test_every_save_keeps_a_historical_version_of_the_text(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    report = fill(report, world.liaison_a, measures="第一稿")
    report = fill(report, world.liaison_a, measures="第二稿")
    texts = list(report.history.order_by("history_date").values_list("measures", flat=True))
    assert texts[-2:] == ["第一稿", "第二稿"]


def test_figures_are_replaced_in_order_and_blank_rows_ignored(world):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    report = fill(report, world.liaison_a, figures=[
        {"label": "出庭率", "value": "100", "unit": "%"}, {"label": "", "value": "", "unit": ""},
        {"label": "办件量", "value": "7900", "unit": "件"},
    ])
    figures = [(f.label, int(f.value), f.unit) for f in report.figures.all()]
    assert figures == [("出庭率", 100, "%"), ("办件量", 7900, "件")]
    with pytest.raises(services.ReportError, match="同时填写"):
        fill(report, world.liaison_a, figures=[{"label": "出庭率", "value": ""}])
    assert report.figures.count() == 2


def test_history_records_the_acting_user_even_outside_a_request(world):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    services.approve_report(report=report, user=world.coordinator)
    users = list(report.history.order_by("history_date", "history_id").values_list("history_user", flat=True))
    assert users == [world.liaison_a.id, world.liaison_a.id, world.liaison_a.id, world.coordinator.id]
