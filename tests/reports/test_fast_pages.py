"""What made the pages fast must not change what they show (issue 15, README "Dashboards and performance").

- The signed-in user comes from the cache, yet a deactivated account, a new password or a new role takes
  effect on the very next request.
- Growing lists are paged and counted up to a cap; filters survive the page links; the audit log opens on the
  last 30 days and still searches all time; the plan list opens on this year.
- Cached rendered pages (plan page, 本单位任务, year overview) change as soon as the data under them does.
- Pages of the bench table run the same queries at 1 and 50 rows (with a cold cache where a page caches).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as accounts_services
from accounts.backends import user_key
from accounts.models import Role
from fazhi.paging import bounded_page, capped_count
from reports import services as report_services
from reports.inbox import notify, unread_count
from reports.models import Notice
from tasks import services
from tasks.models import Plan
from tests.factories import PlanFactory, UnitFactory, UserFactory
from tests.pages import page_queries as _queries
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db




# --- the cached signed-in user -------------------------------------------------------------------------------

def test_a_deactivated_account_is_refused_on_its_next_request(liaison_a, liaison_a_client, coordinator):
    assert liaison_a_client.get("/reports/notices/").status_code == 200
    assert cache.get(user_key(liaison_a.pk)) is not None  # served from the cache from now on
    accounts_services.set_user_active(actor=coordinator, user=liaison_a, active=False)
    response = liaison_a_client.get("/reports/notices/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_password_reset_ends_the_cached_session(liaison_a, liaison_a_client, coordinator):
    assert liaison_a_client.get("/reports/notices/").status_code == 200
    accounts_services.reset_password(actor=coordinator, user=liaison_a)
    assert liaison_a_client.get("/reports/notices/").status_code == 302


def test_a_new_role_shows_on_the_next_request(liaison_a, liaison_a_client):
    assert "我的待办" in liaison_a_client.get("/reports/notices/").content.decode()
    liaison_a.role = Role.LEADER
    liaison_a.save()
    assert "我的待办" not in liaison_a_client.get("/reports/notices/").content.decode()


def test_a_renamed_unit_shows_in_the_nav_at_once(unit_a, liaison_a_client):
    liaison_a_client.get("/reports/notices/")
    services.update_unit(unit=unit_a, name=unit_a.name, short_name="改名后的局", kind=unit_a.kind,
                         order=unit_a.order, is_active=True)
    assert "改名后的局" in liaison_a_client.get("/reports/notices/").content.decode()


def test_the_signed_in_page_reads_no_user_row_once_cached(leader, leader_client):
    url = "/reports/notices/"
    leader_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        leader_client.get(url)
    assert not [q for q in ctx.captured_queries if 'FROM "accounts_user"' in q["sql"]]


# --- the notice badge ----------------------------------------------------------------------------------------

def test_the_badge_count_follows_new_and_read_notices(liaison_a, liaison_a_client):
    assert "条未读通知" not in liaison_a_client.get("/reports/notices/").content.decode()
    notify(users=[liaison_a], title="第一条")
    notify(users=[liaison_a], title="第二条")
    assert '>2<span class="sr-only">条未读通知</span>' in liaison_a_client.get("/reports/notices/").content.decode()
    notice = Notice.objects.filter(user=liaison_a).first()
    liaison_a_client.post(reverse("reports:notice_open", args=[notice.pk]))
    assert unread_count(liaison_a) == 1
    liaison_a_client.post(reverse("reports:notices_read_all"))
    assert "条未读通知" not in liaison_a_client.get("/reports/notices/").content.decode()


# --- bounded paging ------------------------------------------------------------------------------------------

def test_bounded_pages_count_up_to_the_cap_and_never_go_deeper_than_the_limit(liaison_a):
    for i in range(12):
        notify(users=[liaison_a], title=f"通知{i:02d}")
    notices = Notice.objects.filter(user=liaison_a)
    assert capped_count(notices, 10) == (10, True) and capped_count(notices, 20) == (12, False)
    page = bounded_page(notices, "2", per_page=5, max_pages=2, count_cap=10)
    assert page.count_label == "10+" and page.number == 2 and not page.has_next and page.has_previous
    deep = bounded_page(notices, "999999", per_page=5, max_pages=2)
    assert deep.number == 2 and deep.beyond_limit and len(deep) == 5
    assert bounded_page(notices, "junk", per_page=5).number == 1


def _submitted(world, n):
    from tests.factories import ObligationFactory, ReportFactory

    for _ in range(n):
        ob = ObligationFactory(period=world.period, item=world.item1, unit=UnitFactory())
        ReportFactory(obligation=ob, state="submitted")


def test_the_review_queue_keeps_its_filter_on_the_next_page(world, coordinator_client):
    from tests.factories import ObligationFactory, ReportFactory, WorkItemFactory

    _submitted(world, 3)  # 3 waiting reports of other units, 55 of unit A (on items of their own)
    for k in range(55):
        item = WorkItemFactory(plan=world.plan, chapter=world.ch1, seq=100 + k)
        ReportFactory(obligation=ObligationFactory(period=world.period, item=item, unit=world.unit_a),
                      state="submitted")
    html = coordinator_client.get("/reports/review/", {"unit": world.unit_a.pk}).content.decode()
    assert "待审核 55 份" in html and html.count('class="card review-item"') == 50
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"unit={world.unit_a.pk}" in link
    second = coordinator_client.get("/reports/review/" + link).content.decode()
    assert second.count('class="card review-item"') == 5


def test_the_review_queue_asks_for_a_period_when_many_are_open(world, coordinator_client, coordinator):
    from reports.filters import OPEN_PERIODS_LISTED

    for k in range(OPEN_PERIODS_LISTED):
        plan = PlanFactory(title=f"另一辖区工作要点{k}")
        report_services.open_period(plan=plan, name=f"期次{k}", kind="half_year", due_on=dt.date(2026, 7, 10),
                                    scope="all", user=coordinator)
    def unit_select(html: str) -> str:
        return re.search(r'<select id="id_unit".*?</select>', html).group(0)

    html = coordinator_client.get("/reports/review/").content.decode()
    assert "先选择报送期次" in html and world.unit_a.name not in unit_select(html)
    html = coordinator_client.get("/reports/review/", {"period": world.period.pk}).content.decode()
    assert world.unit_a.name in unit_select(html) and "依法全面履行政府职能" in html


# --- audit ---------------------------------------------------------------------------------------------------

def test_the_audit_log_opens_on_the_last_30_days_and_still_searches_all_time(coordinator_client):
    old, recent = UnitFactory(name="四十天前新增的单位"), UnitFactory(name="昨天新增的单位")
    LogEntry.objects.filter(object_repr=old.name).update(timestamp=timezone.now() - dt.timedelta(days=40))
    LogEntry.objects.filter(object_repr=recent.name).update(timestamp=timezone.now() - dt.timedelta(days=1))
    html = coordinator_client.get("/audit/").content.decode()
    assert recent.name in html and old.name not in html and "最近 30 天" in html
    html = coordinator_client.get("/audit/", {"source": "changes", "date_from": ""}).content.decode()
    assert recent.name in html and old.name in html


def test_the_audit_page_names_changed_foreign_keys_with_the_same_queries_at_1_and_50(world, coordinator_client):
    def entries(n: int) -> int:
        LogEntry.objects.all().delete()
        for k in range(n):  # each save logs a changed foreign key (the updated_by user) to be named
            report = report_services.start_report(obligation=_new_obligation(world, 100 * n + k),
                                                  user=world.liaison_a)
            del report
        return _queries(coordinator_client, "/audit/?source=changes")

    assert entries(1) == entries(50)
    html = coordinator_client.get("/audit/?source=changes").content.decode()
    assert "Deleted" not in html


def _new_obligation(world, k):
    from reports.models import Obligation
    from tests.factories import WorkItemFactory

    item = WorkItemFactory(plan=world.plan, chapter=world.ch1, seq=200 + k)
    return Obligation.objects.create(period=world.period, item=item, unit=world.unit_a, role="lead")


# --- plan list -----------------------------------------------------------------------------------------------

def test_the_plan_list_opens_on_this_year_and_searches_every_year(coordinator_client):
    year = timezone.localdate().year
    PlanFactory(title="今年的工作要点", year=year)
    PlanFactory(title="往年的工作要点", year=year - 3, issuer="（测试）某区政府")
    html = coordinator_client.get("/plans/").content.decode()
    assert "今年的工作要点" in html and "往年的工作要点" not in html
    html = coordinator_client.get("/plans/", {"year": "all"}).content.decode()
    assert "今年的工作要点" in html and "往年的工作要点" in html
    html = coordinator_client.get("/plans/", {"year": "all", "q": "某区"}).content.decode()
    assert "今年的工作要点" not in html and "往年的工作要点" in html


def test_the_plan_list_pages_keep_the_year(coordinator_client):
    year = timezone.localdate().year
    for k in range(53):
        PlanFactory(title=f"要点{k:02d}", year=year - 1)
    html = coordinator_client.get("/plans/", {"year": year - 1}).content.decode()
    assert "共 53 份" in html
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    second = coordinator_client.get("/plans/" + link).content.decode()
    assert second.count("<strong>要点") == 3


# --- cached rendered pages follow the data -------------------------------------------------------------------

def test_the_plan_page_shows_an_edit_at_once(coordinator_client, small_plan, unit_b):
    url = reverse("tasks:plan_detail", args=[small_plan.pk])
    assert "推进基层法治建设" in coordinator_client.get(url).content.decode()
    item = small_plan.items.get(title="推进基层法治建设")
    services.update_item(item=item, title="推进基层依法治理", body=item.body, chapter=item.chapter, seq=item.seq,
                         number=item.number, deadline=item.deadline)
    html = coordinator_client.get(url).content.decode()
    assert "推进基层依法治理" in html and "推进基层法治建设" not in html
    services.update_unit(unit=unit_b, name="测试市乙镇人民政府", short_name="乙镇", kind=unit_b.kind,
                         order=unit_b.order, is_active=True)
    assert "测试市乙镇人民政府" in coordinator_client.get(url).content.decode()


def test_the_plan_page_differs_by_role(coordinator_client, leader_client, small_plan):
    url = reverse("tasks:plan_detail", args=[small_plan.pk])
    assert "添加工作任务" in coordinator_client.get(url).content.decode()
    assert "添加工作任务" not in leader_client.get(url).content.decode()


def test_my_unit_items_shows_a_new_duty_at_once_and_other_years_on_their_tab(liaison_b_client, small_plan, unit_b):
    url = reverse("tasks:my_unit_items")
    assert "规范执法检查" not in liaison_b_client.get(url).content.decode()
    item = small_plan.items.get(title="规范执法检查")
    services.set_item_assignments(item=item, lead=[a.target for a in item.lead_assignments],
                                  responsible=[unit_b], other=[])
    assert "规范执法检查" in liaison_b_client.get(url).content.decode()
    old = PlanFactory(title="往年要点", year=small_plan.year - 1)
    services.create_item(plan=old, title="往年的任务", lead=[unit_b], responsible=[])
    assert "往年的任务" not in liaison_b_client.get(url).content.decode()
    assert "往年的任务" in liaison_b_client.get(url, {"year": small_plan.year - 1}).content.decode()


# --- query counts at 1 and 50 rows, cold cache ----------------------------------------------------------------

def _plan_of(n: int, unit, group) -> Plan:
    plan = PlanFactory()
    chapter = services.create_chapter(plan=plan, title="第一章")
    for i in range(n):
        services.create_item(plan=plan, chapter=chapter, title=f"任务{i}", lead=[unit], responsible=[group])
    return plan


def test_the_plan_page_rendered_cold_runs_the_same_queries_at_1_and_50_items(coordinator_client, unit_a, unit_b):
    from tests.factories import UnitGroupFactory

    group = UnitGroupFactory(name="各区镇", members=[unit_b])
    small, large = _plan_of(1, unit_a, group), _plan_of(50, unit_a, group)
    one = _queries(coordinator_client, reverse("tasks:plan_detail", args=[small.pk]), cold=True)
    fifty = _queries(coordinator_client, reverse("tasks:plan_detail", args=[large.pk]), cold=True)
    assert one == fifty


def test_the_report_page_runs_the_same_queries_with_1_and_50_figures(world, liaison_a, coordinator_client):
    counts = []
    for obligation, n in ((world.a1, 1), (world.a2, 50)):
        report = report_services.start_report(obligation=obligation, user=liaison_a)
        figures = [{"label": f"指标{k}", "value": str(k), "unit": "件"} for k in range(n)]
        report = report_services.save_report(report=report, data={"progress": "in_progress", "percent": 50,
                                                                  "measures": "举措"},
                                             figures=figures, user=liaison_a, expected_version=report.version)
        report_services.submit_report(report=report, user=liaison_a)
        counts.append(_queries(coordinator_client, reverse("reports:detail", args=[report.pk])))
        assert "指标0" in coordinator_client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert counts[0] == counts[1]


def test_the_year_overview_renders_a_transition_at_once(world, leader_client, liaison_a):
    url = reverse("dashboard:year", args=[world.plan.year])
    before = leader_client.get(url).content.decode()
    report = fill(report_services.start_report(obligation=world.a1, user=liaison_a), liaison_a)
    report_services.submit_report(report=report, user=liaison_a)
    after = leader_client.get(url).content.decode()
    assert before != after


def test_a_second_coordinator_is_not_served_the_first_ones_user(coordinator_client, coordinator):
    other = UserFactory(username="coordinator2", role=Role.COORDINATOR, last_name="孙", first_name="协调")
    client = Client()
    client.force_login(other)
    coordinator_client.get("/reports/notices/")
    assert "孙协调" in client.get("/reports/notices/").content.decode()
    assert "王协调" in coordinator_client.get("/reports/notices/").content.decode()
