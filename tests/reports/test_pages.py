"""我的待办, the review queue, the item page, notices and history: content, order and query counts."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from reports.models import Notice, Obligation
from tasks.models import AssignmentRole
from tasks.services import sync_duties
from tests.factories import AssignmentFactory, ChapterFactory, PlanFactory, WorkItemFactory
from tests.reports.conftest import fill


def _plan_with_items(unit, n: int, coordinator):
    plan = PlanFactory()
    chapter = ChapterFactory(plan=plan, seq=1)
    items = [WorkItemFactory(plan=plan, chapter=chapter, seq=i + 1) for i in range(n)]
    for item in items:
        AssignmentFactory(item=item, unit=unit, role=AssignmentRole.LEAD)
    sync_duties(items=items)
    return services.open_period(plan=plan, name="半年报", kind="half_year", due_on=dt.date(2026, 7, 10),
                                scope="all", user=coordinator)


def _count(client, url):
    # Both measurements start cold: the nav's 审核 badge is cached until the next report transition.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _todo_rows(unit, n, liaison, coordinator):
    period = _plan_with_items(unit, n, coordinator)
    obligations = list(period.obligations.all())
    # a mix of states: returned, draft and not started
    first = fill(services.start_report(obligation=obligations[0], user=liaison), liaison)
    services.submit_report(report=first, user=liaison)
    services.return_report(report=first, user=coordinator, comment="补充")
    if n > 1:
        services.start_report(obligation=obligations[1], user=liaison)


def test_my_todo_runs_the_same_queries_at_1_and_50_rows(unit_a, liaison_a_client, liaison_a, coordinator):
    _todo_rows(unit_a, 1, liaison_a, coordinator)
    one, response = _count(liaison_a_client, "/reports/")
    assert response.content.decode().count("<li class=\"todo-row") == 1
    _todo_rows(unit_a, 49, liaison_a, coordinator)
    fifty, response = _count(liaison_a_client, "/reports/")
    assert response.content.decode().count("<li class=\"todo-row") == 50
    assert one == fifty <= 9  # session, user, chapters, rows, summary, annual report card (2), notice badge


def _queue_rows(unit, n, liaison, coordinator):
    period = _plan_with_items(unit, n, coordinator)
    for ob in period.obligations.all():
        report = fill(services.start_report(obligation=ob, user=liaison), liaison,
                      problems="力量不足。", next_steps="加强培训。",
                      figures=[{"label": "办件量", "value": "10", "unit": "件"}])
        for name in ("纪要.pdf", "台账.pdf"):  # the card links every file: prefetched, not read per card
            services.add_attachment(report=report, upload=SimpleUploadedFile(name, b"%PDF-1.4\n"),
                                    kind="application/pdf", user=liaison)
        services.submit_report(report=report, user=liaison)


def test_the_review_queue_runs_the_same_queries_at_1_and_50_rows(unit_a, liaison_a, coordinator, coordinator_client):
    _queue_rows(unit_a, 1, liaison_a, coordinator)
    one, response = _count(coordinator_client, "/reports/review/")
    assert response.content.decode().count('class="card review-item"') == 1
    _queue_rows(unit_a, 49, liaison_a, coordinator)
    fifty, response = _count(coordinator_client, "/reports/review/")
    html = response.content.decode()
    assert html.count('class="card review-item"') == 50
    assert html.count("纪要.pdf</a>") == 50 and html.count(">存在问题</h3>") == 50
    assert html.count(">下一步计划</h3>") == 50
    assert one == fifty <= 13  # … the page's rows, figures and evidence files (one prefetch each)


def test_todo_lists_returned_reports_first_with_days_left(world, liaison_a_client, liaison_a):
    report = fill(services.start_report(obligation=world.a2, user=liaison_a), liaison_a)
    services.submit_report(report=report, user=liaison_a)
    services.return_report(report=report, user=world.coordinator, comment="请补充数据")
    html = liaison_a_client.get("/reports/").content.decode()
    assert html.index("规范行政执法行为") < html.index("深化政务服务改革")
    assert "退回意见：请补充数据" in html
    assert "逾期" in html or "天" in html


def test_todo_shows_only_the_own_units_open_obligations(world, liaison_b_client):
    html = liaison_b_client.get("/reports/").content.decode()
    assert "深化政务服务改革" in html and "规范行政执法行为" not in html


def test_the_queue_is_oldest_first_and_filters_by_unit_chapter_and_period(world, coordinator_client):
    for ob, user in ((world.b1, world.liaison_b), (world.a2, world.liaison_a)):
        services.submit_report(report=fill(services.start_report(obligation=ob, user=user), user), user=user)
    html = coordinator_client.get("/reports/review/").content.decode()
    assert html.index(world.unit_b.name) < html.index("规范行政执法行为")
    html = coordinator_client.get(f"/reports/review/?unit={world.unit_a.pk}").content.decode()
    assert "规范行政执法行为" in html and "深化政务服务改革</a>" not in html
    html = coordinator_client.get(f"/reports/review/?chapter={world.ch1.pk}").content.decode()
    assert "深化政务服务改革</a>" in html and "规范行政执法行为</a>" not in html
    assert "待审核 2 份" in coordinator_client.get(f"/reports/review/?period={world.period.pk}").content.decode()


def test_the_queue_offers_open_periods_and_the_chapters_of_plans_being_reported_on(world, coordinator_client):
    other_plan = PlanFactory(title="2025年往年工作要点", year=2025)
    ChapterFactory(plan=other_plan, seq=1, number="一", title="往年章节不应出现")
    old = services.open_period(plan=other_plan, name="2025年年终报告", kind="year_end",
                               due_on=dt.date(2025, 12, 10), scope="all", user=world.coordinator)
    services.close_period(period=old, user=world.coordinator)

    html = coordinator_client.get("/reports/review/").content.decode()
    assert "依法全面履行政府职能" in html and "往年章节不应出现" not in html
    assert "2026年半年报" in html and "2025年年终报告" not in html

    html = coordinator_client.get(f"/reports/review/?period={old.pk}").content.decode()
    assert "2025年年终报告" in html and "往年章节不应出现" in html and "依法全面履行政府职能" not in html


def test_the_item_page_shows_every_units_latest_report_lead_first(world, client, liaison_a, liaison_b):
    services.submit_report(report=fill(services.start_report(obligation=world.b1, user=liaison_b), liaison_b,
                                       measures="乙镇的举措"), user=liaison_b)
    services.submit_report(report=fill(services.start_report(obligation=world.a1, user=liaison_a), liaison_a,
                                       measures="司法局的举措"), user=liaison_a)
    client.force_login(world.leader)
    html = client.get(f"/reports/items/{world.item1.pk}/").content.decode()
    assert html.index("司法局的举措") < html.index("乙镇的举措")
    assert html.index(world.unit_a.name) < html.index(world.unit_b.name)


def test_the_item_section_shows_units_that_have_not_reported(world, coordinator_client):
    html = coordinator_client.get(f"/reports/items/{world.item1.pk}/").content.decode()
    assert html.count("尚未报送") == 2


def test_the_item_section_runs_a_fixed_number_of_queries(world, django_assert_num_queries):
    from reports.models import Report

    for ob, user in ((world.a1, world.liaison_a), (world.b1, world.liaison_b)):
        services.submit_report(report=fill(services.start_report(obligation=ob, user=user), user), user=user)
    with django_assert_num_queries(3):
        entries = Report.objects.latest_per_unit(item=world.item1, user=world.coordinator)
        assert [e["unit"] for e in entries] == [world.unit_a, world.unit_b]


def test_notices_show_an_unread_count_and_opening_one_marks_it_read(world, liaison_a_client, liaison_a):
    Notice.objects.create(user=liaison_a, title="报告被退回修改", body="请补充", url="/reports/")
    html = liaison_a_client.get("/reports/notices/").content.decode()
    assert '>1<span class="sr-only">条未读通知</span>' in html and "报告被退回修改" in html
    notice = Notice.objects.get()
    assert liaison_a_client.post(f"/reports/notices/{notice.pk}/open/")["Location"] == "/reports/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert '条未读通知' not in liaison_a_client.get("/reports/notices/").content.decode()


def test_a_user_cannot_open_someone_elses_notice(world, liaison_b_client, liaison_a):
    notice = Notice.objects.create(user=liaison_a, title="x")
    assert liaison_b_client.post(f"/reports/notices/{notice.pk}/open/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_history_page_shows_the_difference_between_versions(world, liaison_a, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=liaison_a)
    report = fill(report, liaison_a, measures="开展执法检查3次。")
    fill(report, liaison_a, measures="开展执法检查5次。")
    html = liaison_a_client.get(f"/reports/{report.pk}/history/").content.decode()
    assert "<del>3</del><ins>5</ins>" in html
    assert "工作举措与成效" in html


def test_the_detail_page_shows_the_event_timeline(world, liaison_a, coordinator_client):
    report = fill(services.start_report(obligation=world.a1, user=liaison_a), liaison_a)
    services.submit_report(report=report, user=liaison_a)
    services.return_report(report=report, user=world.coordinator, comment="请补充案卷评查数据")
    html = coordinator_client.get(f"/reports/{report.pk}/").content.decode()
    assert "已报送 → 退回修改" in html and "请补充案卷评查数据" in html


def test_period_management_opens_closes_and_counts(world, coordinator_client, liaison_a):
    fill(services.start_report(obligation=world.a1, user=liaison_a), liaison_a)
    html = coordinator_client.get(f"/reports/plans/{world.plan.pk}/periods/").content.decode()
    assert "2026年半年报" in html and "填报中" in html
    data = {"name": "2026年年终报告", "kind": "year_end", "due_on": "2026-12-10", "scope": "lead_only"}
    response = coordinator_client.post(f"/reports/plans/{world.plan.pk}/periods/", data)
    html = response.content.decode()
    assert response.status_code == 200 and not Obligation.objects.filter(period__name="2026年年终报告").exists()
    assert "将为 <strong>1</strong> 家单位生成\n      <strong>2</strong> 项报送任务（仅牵头单位" in html
    assert 'name="confirm" value="1"' in html and 'value="2026年年终报告"' in html
    response = coordinator_client.post(f"/reports/plans/{world.plan.pk}/periods/", {**data, "confirm": "1"})
    assert response.status_code == 302
    assert Obligation.objects.filter(period__name="2026年年终报告").count() == 2
    response = coordinator_client.post(f"/reports/plans/{world.plan.pk}/periods/", {
        "name": "2026年年终报告", "kind": "year_end", "due_on": "不是日期", "scope": "all"})
    html = response.content.decode()
    assert "请填写正确的日期" in html and 'value="2026年年终报告"' in html
    coordinator_client.post(f"/reports/periods/{world.period.pk}/close/")
    world.period.refresh_from_db()
    assert world.period.status == "closed"


def test_only_coordinators_manage_periods(world, liaison_a_client, leader_client):
    for client in (liaison_a_client, leader_client):
        assert client.post(f"/reports/periods/{world.period.pk}/close/").status_code == 403
        assert client.post(f"/reports/plans/{world.plan.pk}/periods/", {
            "name": "偷开", "kind": "other", "due_on": "2026-12-10", "scope": "all", "confirm": "1"}).status_code == 403
    world.period.refresh_from_db()
    assert world.period.status == "open" and world.plan.periods.count() == 1
