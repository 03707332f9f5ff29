"""The unit's own year-end report: the liaison writes and submits it by the due date, the office returns or
approves it, reminders chase the units that have not sent it; every persona sees only what it should."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fazhi.limits import LONG_TEXT
from reports import reminders_annual, services, services_annual
from reports.models import (
    AnnualReportDeadline,
    AnnualReportDraft,
    AnnualReportEvent,
    Notice,
    Reminder,
    ReportState,
    default_annual_due_on,
)
from reports.services import ReportError
from tasks.models import AssignmentRole, Duty
from tests.factories import PlanFactory, UnitFactory, UserFactory, WorkItemFactory
from tests.reports.test_annual_document import file

PARTS = {"title": "", "intro": "", "leadership": "局长带头学法。", "problems": "一是队伍不足。",
         "next_year": "一是深化改革。"}


def url(world, unit=None, suffix=""):
    return f"/reports/annual/{(unit or world.unit_a).pk}/2026/{suffix}"


def draft_of(world, unit=None) -> AnnualReportDraft | None:
    return AnnualReportDraft.objects.filter(unit=unit or world.unit_a, year=2026).first()


def submitted(world):
    services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                       expected_version=None)
    return services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)


# ---------------------------------------------------------------------------------------------
# The liaison


def test_the_liaison_writes_its_parts_beside_the_compiled_body_and_submits(world, liaison_a_client):
    file(world, world.a1, world.liaison_a, measures="已审核的举措。")
    page = liaison_a_client.get(url(world)).content.decode()
    assert 'name="leadership"' in page and "已审核的举措。" in page and "只读" in page
    assert "报送截止 2027-03-01" in page
    response = liaison_a_client.post(url(world), {**PARTS, "version": ""})
    assert response.status_code == 302
    draft = draft_of(world)
    assert (draft.leadership, draft.problems, draft.next_year, draft.state) == (
        "局长带头学法。", "一是队伍不足。", "一是深化改革。", ReportState.DRAFT)
    response = liaison_a_client.post(url(world, suffix="submit/"), {"confirm_gaps": "on"})
    draft.refresh_from_db()
    assert draft.state == ReportState.SUBMITTED and draft.submitted_at and not draft.is_late
    page = liaison_a_client.get(response["Location"]).content.decode()
    assert "已报送" in page and 'name="leadership"' not in page and "正在等待法治办审核" in page
    assert list(draft.events.values_list("action", "from_state", "to_state", "actor")) == [
        ("submitted", "draft", "submitted", world.liaison_a.pk)]
    # Submitted: locked for the unit, nothing changes
    assert liaison_a_client.post(url(world), {**PARTS, "leadership": "偷改"}).status_code == 403
    draft.refresh_from_db()
    assert draft.leadership == "局长带头学法。"


def test_submitting_without_the_required_parts_is_refused_and_changes_nothing(world, liaison_a_client):
    liaison_a_client.post(url(world), {**PARTS, "leadership": ""})
    response = liaison_a_client.post(url(world, suffix="submit/"), follow=True)
    assert "报送前请填写：主要负责人履行第一责任人职责情况。" in response.content.decode()
    assert draft_of(world).state == ReportState.DRAFT and not draft_of(world).events.exists()


def test_an_over_long_part_is_refused_with_the_limit_and_the_text_kept(world, liaison_a_client):
    long_text = "长" * (LONG_TEXT + 1)
    response = liaison_a_client.post(url(world), {**PARTS, "problems": long_text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "20000" in page.replace(",", "")
    assert long_text in page  # what was typed is kept
    assert draft_of(world) is None


def test_a_stale_form_is_refused_and_both_texts_are_shown(world, liaison_a_client):
    draft = services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                               expected_version=None)
    old_version = draft.version
    services_annual.save_annual_report(unit=world.unit_a, year=2026, data={**PARTS, "problems": "同事先保存的。"},
                                       user=world.liaison_a, expected_version=old_version)
    response = liaison_a_client.post(url(world), {**PARTS, "problems": "我后保存的。", "version": old_version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已被他人修改并保存" in page and "同事先保存的。" in page and "我后保存的。" in page
    assert draft_of(world).problems == "同事先保存的。"


def test_a_first_submission_after_the_due_date_is_late(world, coordinator):
    services_annual.set_annual_due_date(year=2026, due=timezone.localdate() - dt.timedelta(days=1), user=coordinator)
    assert submitted(world).is_late


def test_a_move_recorded_for_a_given_time_keeps_that_time_and_is_late_only_after_the_due_day(world, coordinator):
    # The demo's past year is sent and approved "in February"; lateness follows the time given, not the clock.
    services_annual.set_annual_due_date(year=2026, due=dt.date(2027, 3, 1), user=coordinator)
    services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                       expected_version=None)
    sent = dt.datetime(2027, 2, 20, 9, 0, tzinfo=timezone.get_default_timezone())
    draft = services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a,
                                                 confirm_gaps=True, now=sent)
    draft = services_annual.approve_annual_report(draft=draft, user=coordinator, now=sent + dt.timedelta(days=2))
    draft.refresh_from_db()
    assert (draft.first_submitted_at, draft.reviewed_at, draft.is_late) == (sent, sent + dt.timedelta(days=2), False)
    assert list(draft.events.values_list("action", "at")) == [("submitted", sent),
                                                               ("approved", sent + dt.timedelta(days=2))]
    services_annual.save_annual_report(unit=world.unit_b, year=2026, data=PARTS, user=world.liaison_b,
                                       expected_version=None)
    after_due_day = dt.datetime(2027, 3, 2, 0, 1, tzinfo=timezone.get_default_timezone())
    assert services_annual.submit_annual_report(unit=world.unit_b, year=2026, user=world.liaison_b, confirm_gaps=True,
                                                now=after_due_day).is_late


# ---------------------------------------------------------------------------------------------
# Other personas


def test_another_units_liaison_gets_404_for_every_url(world, liaison_b_client):
    submitted(world)
    assert liaison_b_client.get(url(world)).status_code == 404
    for suffix in ("", "submit/", "approve/", "return/"):
        assert liaison_b_client.post(url(world, suffix=suffix), {**PARTS, "comment": "x"}).status_code == 404
    assert draft_of(world).state == ReportState.SUBMITTED


def test_the_leader_reads_but_never_writes(world, leader_client):
    submitted(world)
    page = leader_client.get(url(world)).content.decode()
    assert "局长带头学法。" in page and 'name="leadership"' not in page
    assert "/approve/" not in page and "/return/" not in page and "/submit/" not in page
    assert leader_client.post(url(world), PARTS).status_code == 403
    assert leader_client.post(url(world, suffix="approve/")).status_code == 403
    assert leader_client.post(url(world, suffix="return/"), {"comment": "x"}).status_code == 403
    assert draft_of(world).state == ReportState.SUBMITTED
    assert "测试市司法局" in leader_client.get("/reports/annual/?year=2026").content.decode()


def test_an_unsent_draft_is_not_shown_to_the_office(world, coordinator_client, liaison_a_client):
    services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                       expected_version=None)
    page = coordinator_client.get(url(world)).content.decode()
    assert "局长带头学法。" not in page and "报送前仅本单位可见" in page
    assert "局长带头学法。" in liaison_a_client.get(url(world)).content.decode()


def test_the_coordinator_reviews_returns_with_a_comment_and_approves(world, coordinator_client, liaison_a):
    submitted(world)
    page = coordinator_client.get(url(world)).content.decode()
    assert "审核通过" in page and "退回修改" in page and 'name="leadership"' not in page
    assert coordinator_client.post(url(world), PARTS).status_code == 403  # the office no longer edits
    # A return without a comment is refused and changes nothing
    response = coordinator_client.post(url(world, suffix="return/"), {"comment": "  "}, follow=True)
    assert "退回修改时必须填写意见" in response.content.decode()
    assert draft_of(world).state == ReportState.SUBMITTED
    coordinator_client.post(url(world, suffix="return/"), {"comment": "请补充履职情况的具体事例。"})
    draft = draft_of(world)
    assert draft.state == ReportState.RETURNED and draft.review_comment == "请补充履职情况的具体事例。"
    assert Notice.objects.filter(user=liaison_a, title__contains="被退回修改").exists()
    services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)
    coordinator_client.post(url(world, suffix="approve/"), {"comment": "很好"})
    draft.refresh_from_db()
    assert draft.state == ReportState.APPROVED and draft.reviewed_by == world.coordinator
    assert list(AnnualReportDraft.objects.approved(year=2026)) == [draft]
    assert list(AnnualReportDraft.objects.approved(year=2025)) == []
    assert [e.action for e in AnnualReportEvent.objects.filter(draft=draft)] == [
        "submitted", "returned", "submitted", "approved"]
    assert LogEntry.objects.get_for_object(draft).exists()  # the audit log keeps every change


def test_only_the_allowed_moves_happen(world, coordinator):
    services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                       expected_version=None)
    draft = draft_of(world)
    with pytest.raises(ReportError, match="不能审核通过"):
        services_annual.approve_annual_report(draft=draft, user=coordinator)
    with pytest.raises(ReportError, match="不能退回"):
        services_annual.return_annual_report(draft=draft, user=coordinator, comment="x")
    draft = submitted(world)
    with pytest.raises(ReportError, match="不能报送"):
        services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)
    services_annual.approve_annual_report(draft=draft, user=coordinator)
    with pytest.raises(ReportError, match="不能修改"):
        services_annual.save_annual_report(unit=world.unit_a, year=2026, data=PARTS, user=world.liaison_a,
                                           expected_version=None)
    # Reopening an approved report sends it back to the unit, with a comment
    services_annual.return_annual_report(draft=draft, user=coordinator, comment="请按新要求修改")
    assert draft_of(world).state == ReportState.RETURNED
    assert draft_of(world).events.last().action == "reopened"


# ---------------------------------------------------------------------------------------------
# Due date and reminders


def test_the_due_date_defaults_to_1_march_and_the_office_can_move_it(world, coordinator_client, liaison_a_client):
    assert services_annual.due_on(2026) == default_annual_due_on(2026) == dt.date(2027, 3, 1)
    response = coordinator_client.post("/reports/annual/2026/due/", {"due_on": "2027-02-20"}, follow=True)
    assert "已改为 2027-02-20" in response.content.decode()
    assert services_annual.due_on(2026) == dt.date(2027, 2, 20)
    response = coordinator_client.post("/reports/annual/2026/due/", {"due_on": "2030-01-01"}, follow=True)
    assert "应在2026年或2027年内" in response.content.decode()
    response = coordinator_client.post("/reports/annual/2026/due/", {"due_on": "不是日期"}, follow=True)
    assert "日期格式不正确" in response.content.decode()
    assert services_annual.due_on(2026) == dt.date(2027, 2, 20)
    assert liaison_a_client.post("/reports/annual/2026/due/", {"due_on": "2027-01-01"}).status_code == 403


def _sent_on(day: dt.date) -> None:
    """The reminders just sent were sent on ``day`` (the scheduled run is given its day; sent_at is the clock's)."""
    at = dt.datetime.combine(day, dt.time(9), tzinfo=timezone.get_default_timezone())
    Reminder.objects.filter(sent_at__gt=timezone.now() - dt.timedelta(minutes=5)).update(sent_at=at)


def test_reminders_chase_units_that_have_not_sent_their_report(world, settings):
    settings.FAZHI_REMIND_DAYS_BEFORE = 3
    settings.FAZHI_REMIND_OVERDUE_EVERY_DAYS = 7
    due = dt.date(2026, 11, 1)
    services_annual.set_annual_due_date(year=2026, due=due, user=None)
    assert reminders_annual.send_scheduled_annual_reminders(today=due - dt.timedelta(days=4)) == []
    planned = reminders_annual.send_scheduled_annual_reminders(today=due - dt.timedelta(days=3))
    _sent_on(due - dt.timedelta(days=3))
    # units that owe work, not the 配合单位
    assert {(p.unit, p.kind) for p in planned} == {(world.unit_a, "before_due"), (world.unit_b, "before_due")}
    assert reminders_annual.send_scheduled_annual_reminders(today=due - dt.timedelta(days=2)) == []
    notice = Notice.objects.filter(user=world.liaison_a).latest("id")
    assert "2026年度法治政府建设情况报告尚未报送" in notice.title and notice.url == url(world)
    submitted(world)
    overdue = reminders_annual.send_scheduled_annual_reminders(today=due + dt.timedelta(days=1))
    _sent_on(due + dt.timedelta(days=1))
    assert [(p.unit, p.kind) for p in overdue] == [(world.unit_b, "overdue")]
    assert reminders_annual.send_scheduled_annual_reminders(today=due + dt.timedelta(days=2)) == []
    assert len(reminders_annual.send_scheduled_annual_reminders(today=due + dt.timedelta(days=8))) == 1
    assert Reminder.objects.filter(annual_year=2026, unit=world.unit_b).count() == 3
    # far past the due date the scheduled run leaves it to the office
    assert reminders_annual.send_scheduled_annual_reminders(today=due + dt.timedelta(days=200)) == []


def test_the_reminder_command_includes_the_annual_reports(world, capsys):
    AnnualReportDeadline.objects.create(year=2026, due_on=timezone.localdate())
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert f"将发送 到期提醒 → {world.unit_a.name}：2026年度报告" in out


def test_the_office_chases_all_unsent_units_from_the_list(world, coordinator_client, liaison_b,
                                                         django_capture_on_commit_callbacks):
    liaison_b.email = "b@example.cn"
    liaison_b.save()
    submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post("/reports/annual/2026/remind/", follow=True)
    assert "已向 1 个未报送年度报告的单位发送催办" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["b@example.cn"]]
    assert Reminder.objects.get(annual_year=2026).unit == world.unit_b


# ---------------------------------------------------------------------------------------------
# The office's list


def test_the_list_shows_owed_approved_and_state_per_unit(world, coordinator_client):
    file(world, world.a1, world.liaison_a)
    submitted(world)
    page = coordinator_client.get("/reports/annual/?year=2026").content.decode()
    assert "共 2 个单位：已审核 0，待审核 1，未报送 1" in page
    assert world.helper.name not in page  # 配合单位 owe no report
    assert coordinator_client.get("/reports/annual/?year=abc").status_code == 200  # bad input: the default year
    assert coordinator_client.get("/reports/annual/?year=99999999999999999999").status_code == 200


def _units_owing(n: int, year: int):
    plan = PlanFactory(year=year, title=f"{year}年要点{n}")
    item = WorkItemFactory(plan=plan, seq=1, title="任务")
    for _ in range(n):
        unit = UnitFactory()
        Duty.objects.create(item=item, unit=unit, role=AssignmentRole.LEAD)
        AnnualReportDraft.objects.create(unit=unit, year=year, state=ReportState.SUBMITTED,
                                         submitted_at=timezone.now())
    return plan


def _queries(client, path: str) -> int:
    client.get(path)  # warm: the signed-in user is cached from the second request on
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_at_1_and_50_units(db, coordinator_client):
    _units_owing(1, 2024)
    _units_owing(50, 2025)
    one = _queries(coordinator_client, "/reports/annual/?year=2024")
    fifty = _queries(coordinator_client, "/reports/annual/?year=2025")
    assert one == fifty
    assert coordinator_client.get("/reports/annual/?year=2025").content.decode().count(">已报送<") == 50


def test_the_units_page_runs_the_same_queries_at_1_and_50_items(db, coordinator_client):
    unit = UnitFactory(name="测试市计数局")
    liaison = UserFactory(username="count-liaison", role="liaison", unit=unit)
    for year, n in ((2024, 1), (2025, 50)):
        plan = PlanFactory(year=year, title=f"{year}年要点")
        for seq in range(1, n + 1):
            item = WorkItemFactory(plan=plan, seq=seq, title=f"任务{seq}")
            Duty.objects.create(item=item, unit=unit, role=AssignmentRole.LEAD)
        period = services.open_period(plan=plan, name=f"{year}年年终报告", kind="year_end",
                                      due_on=dt.date(year, 12, 20), user=None)
        for obligation in period.obligations.all():
            report = services.start_report(obligation=obligation, user=liaison)
            report = services.save_report(report=report, data={"measures": f"举措{obligation.item.seq}"},
                                          figures=[{"label": "件数", "value": "1"}], user=liaison,
                                          expected_version=report.version)
            services.submit_report(report=report, user=liaison)
            services.approve_report(report=report, user=None)
    one = _queries(coordinator_client, f"/reports/annual/{unit.pk}/2024/")
    fifty = _queries(coordinator_client, f"/reports/annual/{unit.pk}/2025/")
    assert one == fifty


def test_the_liaisons_todo_and_the_review_queue_show_the_annual_report(world, liaison_a_client, coordinator_client,
                                                                      liaison_b_client):
    todo = liaison_a_client.get("/reports/").content.decode()
    assert "本单位2026年度法治政府建设情况报告" in todo and "未开始" in todo and "截止 2027-03-01" in todo
    assert "本单位年度报告" not in coordinator_client.get("/reports/review/").content.decode()
    assert "待审核的单位年度报告" not in coordinator_client.get("/reports/review/").content.decode()
    submitted(world)
    queue = coordinator_client.get("/reports/review/").content.decode()
    assert "待审核的单位年度报告（1）" in queue and f'href="{url(world)}"' in queue
    services_annual.return_annual_report(draft=draft_of(world), user=world.coordinator, comment="请补充事例")
    todo = liaison_a_client.get("/reports/").content.decode()
    assert "退回修改" in todo and "退回意见：请补充事例" in todo
    assert "请补充事例" not in liaison_b_client.get("/reports/").content.decode()


def test_two_first_saves_from_two_forms_conflict_too(world, liaison_a_client):
    form_version = '<input type="hidden" name="version" value="1"'
    assert form_version in liaison_a_client.get(url(world)).content.decode()
    assert liaison_a_client.post(url(world), {**PARTS, "problems": "先存的。", "version": 1}).status_code == 302
    response = liaison_a_client.post(url(world), {**PARTS, "problems": "后存的。", "version": 1})
    assert response.status_code == 200 and "已被他人修改并保存" in response.content.decode()
    assert draft_of(world).problems == "先存的。"


def test_the_chasing_history_names_the_annual_report(world, coordinator_client):
    reminders_annual.remind_unsent_annual(year=2026, user=world.coordinator)
    assert "2026年度单位报告" in coordinator_client.get("/reports/reminders/").content.decode()


# ---------------------------------------------------------------------------------------------
# Which year the pages open on


def test_the_year_being_prepared_is_the_oldest_plan_year_whose_report_is_not_yet_due():
    from reports.views_annual import default_year

    years = [(2026, dt.date(2027, 3, 1)), (2025, dt.date(2026, 3, 1))]
    assert default_year(years, dt.date(2026, 11, 30)) == 2026  # 2025's report was due in March
    assert default_year(years, dt.date(2026, 2, 20)) == 2025  # 2025's report is still being written
    assert default_year(years, dt.date(2026, 3, 1)) == 2025  # due today: still open
    assert default_year(years, dt.date(2027, 4, 1)) == 2026  # everything past: the newest plan year
    assert default_year([], dt.date(2026, 11, 30)) == 2026


@pytest.fixture
def november_2026(world, monkeypatch):
    PlanFactory(title="2025年测试市法治政府建设工作要点", year=2025)
    monkeypatch.setattr("reports.views_annual.timezone.localdate", lambda *a: dt.date(2026, 11, 30))
    return world


def test_in_november_the_office_and_the_leader_land_on_this_years_reports(november_2026, coordinator_client,
                                                                          leader_client):
    for client in (coordinator_client, leader_client):
        page = client.get("/reports/annual/").content.decode()
        assert "<h1>2026年度各单位法治政府建设情况报告</h1>" in page
        assert '<option value="2026" selected>' in page and '<option value="2025">' in page


def test_in_november_the_liaison_lands_on_this_years_report(november_2026, liaison_a_client):
    response = liaison_a_client.get("/reports/annual/mine/")
    assert response.url == f"/reports/annual/{november_2026.unit_a.pk}/2026/"
    assert "2026年度" in liaison_a_client.get(response.url).content.decode()


def test_before_the_due_date_of_last_years_report_the_pages_stay_on_last_year(november_2026, liaison_a_client,
                                                                               coordinator_client):
    AnnualReportDeadline.objects.create(year=2025, due_on=dt.date(2026, 12, 15))  # the office moved it
    assert liaison_a_client.get("/reports/annual/mine/").url == f"/reports/annual/{november_2026.unit_a.pk}/2025/"
    assert "<h1>2025年度各单位" in coordinator_client.get("/reports/annual/").content.decode()
