"""The reports pages whose bodies are cached (issue 15: review queue, notices, 我的待办, report page, report form)
show every change on the very next request, never serve one viewer's body to a viewer of another scope, run
the same queries at 1 and 50 rows, and keep their forms posting with the viewer's own CSRF token.

The versions they are keyed on move when the services write (``reports.cachekeys``), so every change here is
made through a service or a page, exactly as users make it.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from reports import inbox, services, services_annual
from reports.files import validate_upload
from reports.models import Notice
from reports.notices import set_review_notices
from tasks import services as registry
from tasks.models import AssignmentRole
from tests.factories import AssignmentFactory, ObligationFactory, UserFactory, WorkItemFactory
from tests.pages import page_queries as _queries
from tests.reports.conftest import fill

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _html(client: Client, url: str, **query) -> str:
    response = client.get(url, query)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()




def _strict_client(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def _token(html: str) -> str:
    return TOKEN.search(html).group(1)


def _attach(report, user, name="现场照片.png"):
    upload = SimpleUploadedFile(name, PNG, content_type="image/png")
    return services.add_attachment(report=report, upload=upload, kind=validate_upload(upload), user=user)


def _submitted_report(world, obligation=None, user=None, **data):
    user = user or world.liaison_a
    report = fill(services.start_report(obligation=obligation or world.a1, user=user), user, **data)
    return services.submit_report(report=report, user=user)


def _rename_item(item, title: str) -> None:
    registry.update_item(item=item, title=title, body=item.body, chapter=item.chapter, seq=item.seq,
                         number=item.number, deadline=item.deadline)


# --- review queue --------------------------------------------------------------------------------------------

def test_the_review_queue_shows_a_submission_and_drops_a_review_at_once(world, coordinator_client):
    assert "没有待审核的报告" in _html(coordinator_client, "/reports/review/")
    report = _submitted_report(world, measures="开展行政执法专项检查。")
    html = _html(coordinator_client, "/reports/review/")
    assert "开展行政执法专项检查。" in html and "待审核 1 份" in html
    coordinator_client.post(reverse("reports:approve", args=[report.pk]))
    assert "没有待审核的报告" in _html(coordinator_client, "/reports/review/")


def test_the_review_queue_shows_a_renamed_item_and_a_waiting_annual_report(world, coordinator_client):
    _submitted_report(world)
    _html(coordinator_client, "/reports/review/")
    _rename_item(world.item1, "深化政务服务改革（改名）")
    assert "深化政务服务改革（改名）" in _html(coordinator_client, "/reports/review/")
    services_annual.save_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, expected_version=None,
                                       data={"leadership": "局长带头学法。", "problems": "队伍不足。",
                                             "next_year": "深化改革。"})
    services_annual.submit_annual_report(unit=world.unit_a, year=2026, user=world.liaison_a, confirm_gaps=True)
    assert "待审核的单位年度报告" in _html(coordinator_client, "/reports/review/")


def test_the_review_queue_is_keyed_on_the_cleaned_filters(world, coordinator_client):
    _submitted_report(world)
    _submitted_report(world, obligation=world.b1, user=world.liaison_b, measures="乙镇的举措。")
    everything = _html(coordinator_client, "/reports/review/")
    only_b = _html(coordinator_client, "/reports/review/", unit=world.unit_b.pk)
    assert "待审核 2 份" in everything and "待审核 1 份" in only_b and "乙镇的举措。" in only_b
    # A parameter the filters do not know is not part of the key, and never stored in the body.
    junk = _html(coordinator_client, "/reports/review/", unit=world.unit_b.pk, utm='"><b>x</b>')
    assert "待审核 1 份" in junk and "utm" not in junk and "<b>x</b>" not in junk
    # An id that is not a number is ignored, as if absent (fazhi.forms.QueryForm).
    assert "待审核 2 份" in _html(coordinator_client, "/reports/review/", unit="abc")


def test_only_the_legal_office_gets_the_review_queue(world, coordinator_client, leader_client, liaison_a_client):
    _submitted_report(world)
    _html(coordinator_client, "/reports/review/")  # cached for the office
    assert leader_client.get("/reports/review/").status_code == 403
    assert liaison_a_client.get("/reports/review/").status_code == 403


def test_the_review_queue_runs_the_same_queries_at_1_and_50_reports(world, coordinator_client):
    _submitted_report(world)
    cold_one = _queries(coordinator_client, "/reports/review/", cold=True)
    warm = _queries(coordinator_client, "/reports/review/", cold=False)
    for k in range(49):
        item = WorkItemFactory(plan=world.plan, chapter=world.ch1, seq=100 + k)
        ob = ObligationFactory(period=world.period, item=item, unit=world.unit_a)
        _submitted_report(world, obligation=ob)
    assert "待审核 50 份" in _html(coordinator_client, "/reports/review/")
    assert _queries(coordinator_client, "/reports/review/", cold=True) == cold_one
    assert _queries(coordinator_client, "/reports/review/", cold=False) == warm < cold_one


def test_a_second_coordinator_approves_from_the_body_cached_for_the_first(world, coordinator_client):
    report = _submitted_report(world)
    _html(coordinator_client, "/reports/review/")  # the body is now cached, with a placeholder for the token
    other = _strict_client(UserFactory(username="coordinator2", role=Role.COORDINATOR))
    html = _html(other, "/reports/review/")
    response = other.post(reverse("reports:approve", args=[report.pk]),
                          {"csrfmiddlewaretoken": _token(html), "next": "/reports/review/"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "approved"


# --- notices -------------------------------------------------------------------------------------------------

def test_the_notices_page_shows_new_read_and_all_read_notices_at_once(liaison_a, liaison_a_client):
    assert "暂无通知" in _html(liaison_a_client, "/reports/notices/")
    inbox.notify(users=[liaison_a], title="第一条通知")
    inbox.notify(users=[liaison_a], title="第二条通知")
    html = _html(liaison_a_client, "/reports/notices/")
    assert "第一条通知" in html and "未读 2 条" in html and html.count("unread-tag") == 2
    inbox.mark_read(notice=Notice.objects.get(title="第一条通知"))
    assert _html(liaison_a_client, "/reports/notices/").count("unread-tag") == 1
    liaison_a_client.post(reverse("reports:notices_read_all"))
    html = _html(liaison_a_client, "/reports/notices/")
    assert "unread-tag" not in html and "全部标为已读" not in html


def test_the_notices_page_shows_a_new_review_notice_choice(coordinator, coordinator_client):
    assert "审核通知设置：每份报告报送时通知" in _html(coordinator_client, "/reports/notices/")
    set_review_notices(user=coordinator, choice="digest")
    assert "审核通知设置：每个工作日早上汇总通知一次" in _html(coordinator_client, "/reports/notices/")


def test_notices_are_never_served_to_another_user(liaison_a, liaison_b, liaison_a_client, liaison_b_client,
                                                 coordinator_client):
    inbox.notify(users=[liaison_a], title="只给甲的通知")
    assert "只给甲的通知" in _html(liaison_a_client, "/reports/notices/")
    assert "只给甲的通知" not in _html(liaison_b_client, "/reports/notices/")
    html = _html(coordinator_client, "/reports/notices/")
    assert "只给甲的通知" not in html and "审核通知设置" in html
    assert "审核通知设置" not in _html(liaison_a_client, "/reports/notices/")


def test_the_notices_page_runs_the_same_queries_at_1_and_50_notices(liaison_a, liaison_a_client):
    inbox.notify(users=[liaison_a], title="通知")
    cold_one = _queries(liaison_a_client, "/reports/notices/", cold=True)
    warm = _queries(liaison_a_client, "/reports/notices/", cold=False)
    for i in range(49):
        inbox.notify(users=[liaison_a], title=f"通知{i}")
    assert _queries(liaison_a_client, "/reports/notices/", cold=True) == cold_one
    assert _queries(liaison_a_client, "/reports/notices/", cold=False) == warm < cold_one


def test_a_notice_opens_from_the_body_cached_in_another_session(liaison_a, liaison_a_client):
    inbox.notify(users=[liaison_a], title="去看看", url="/reports/")
    _html(liaison_a_client, "/reports/notices/")
    second = _strict_client(liaison_a)  # the same user on another device: another token
    html = _html(second, "/reports/notices/")
    notice = Notice.objects.get(title="去看看")
    response = second.post(reverse("reports:notice_open", args=[notice.pk]), {"csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


# --- 我的待办 ----------------------------------------------------------------------------------------------------

def test_my_todo_shows_each_step_of_a_report_at_once(world, liaison_a_client, coordinator_client):
    assert "开始填报" in _html(liaison_a_client, "/reports/")
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    assert "继续填写" in _html(liaison_a_client, "/reports/")
    services.submit_report(report=fill(report, world.liaison_a), user=world.liaison_a)
    assert "已报送" in _html(liaison_a_client, "/reports/", state="submitted")
    coordinator_client.post(reverse("reports:return", args=[report.pk]), {"comment": "请补充执法数据。"})
    assert "退回意见：请补充执法数据。" in _html(liaison_a_client, "/reports/")


def test_my_todo_shows_a_closed_period_a_renamed_item_and_a_new_annual_due_date(world, liaison_a_client,
                                                                               coordinator):
    assert "深化政务服务改革" in _html(liaison_a_client, "/reports/")
    _rename_item(world.item1, "深化政务服务改革（改名）")
    assert "深化政务服务改革（改名）" in _html(liaison_a_client, "/reports/")
    services_annual.set_annual_due_date(year=2026, due=dt.date(2027, 2, 15), user=coordinator)
    assert "截止 2027-02-15" in _html(liaison_a_client, "/reports/")
    services.close_period(period=world.period, user=coordinator)
    assert "没有待办的报送任务" in _html(liaison_a_client, "/reports/")


def test_my_todo_counts_days_from_today(world, liaison_a_client, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 7, 1))
    assert "还剩 9 天" in _html(liaison_a_client, "/reports/")
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 7, 2))
    assert "还剩 8 天" in _html(liaison_a_client, "/reports/")


def test_my_todo_is_each_units_own(world, liaison_a_client, liaison_b_client):
    a, b = _html(liaison_a_client, "/reports/"), _html(liaison_b_client, "/reports/")
    assert world.unit_a.name in a and world.unit_b.name not in a
    assert world.unit_b.name in b and "规范行政执法行为" not in b  # item 2 is unit A's alone
    services.start_report(obligation=world.a1, user=world.liaison_a)
    assert "继续填写" not in _html(liaison_b_client, "/reports/")


def test_my_todo_filters_are_part_of_the_key(world, liaison_a_client):
    html = _html(liaison_a_client, "/reports/", chapter=world.ch2.pk)
    assert "规范行政执法行为" in html and "深化政务服务改革" not in html
    assert "深化政务服务改革" in _html(liaison_a_client, "/reports/")
    assert "深化政务服务改革" in _html(liaison_a_client, "/reports/", chapter="x²", state="<script>")


def test_my_todo_runs_the_same_queries_at_1_and_50_obligations(world, liaison_b_client):
    cold_one = _queries(liaison_b_client, "/reports/", cold=True)
    warm = _queries(liaison_b_client, "/reports/", cold=False)
    items = [WorkItemFactory(plan=world.plan, chapter=world.ch1, seq=100 + k) for k in range(49)]
    for item in items:
        AssignmentFactory(item=item, unit=world.unit_b, role=AssignmentRole.RESPONSIBLE)
    registry.sync_duties(items=items)  # new duties: obligations in the open period, and the calendar moves
    assert _html(liaison_b_client, "/reports/").count("开始填报") == 50
    assert _queries(liaison_b_client, "/reports/", cold=True) == cold_one
    assert _queries(liaison_b_client, "/reports/", cold=False) == warm < cold_one


def test_a_second_liaison_starts_a_report_from_the_body_cached_for_the_first(world, liaison_a_client):
    _html(liaison_a_client, "/reports/")
    other = _strict_client(UserFactory(username="liaison_a2", role=Role.LIAISON, unit=world.unit_a))
    html = _html(other, "/reports/")
    response = other.post(reverse("reports:start", args=[world.a1.pk]), {"csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 302 and world.a1.report_or_none is not None


# --- the report page -----------------------------------------------------------------------------------------

def test_the_report_page_shows_saves_transitions_and_files_at_once(world, liaison_a_client, coordinator_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    url = reverse("reports:detail", args=[report.pk])
    assert "建立工作台账" in _html(liaison_a_client, url)
    report = fill(report, world.liaison_a, measures="第二稿举措。")
    assert "第二稿举措。" in _html(liaison_a_client, url)
    photo = _attach(report, world.liaison_a)
    assert "现场照片.png" in _html(liaison_a_client, url)
    services.remove_attachment(attachment=photo, user=world.liaison_a)
    assert "现场照片.png" not in _html(liaison_a_client, url)
    services.submit_report(report=report, user=world.liaison_a)
    assert "审核通过" in _html(coordinator_client, url)
    coordinator_client.post(reverse("reports:return", args=[report.pk]), {"comment": "数据不全。"})
    html = _html(coordinator_client, url)
    assert "数据不全。" in html and "审核通过</button>" not in html
    _rename_item(world.item1, "深化政务服务改革（改名）")
    assert "深化政务服务改革（改名）" in _html(coordinator_client, url)


def test_the_report_page_shows_a_renamed_person_in_its_history_at_once(world, coordinator_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    services.submit_report(report=report, user=world.liaison_a)
    url = reverse("reports:detail", args=[report.pk])
    assert world.liaison_a.display_name in _html(coordinator_client, url)
    world.liaison_a.last_name, world.liaison_a.first_name = "欧阳", "新名"
    world.liaison_a.save()
    assert "欧阳新名" in _html(coordinator_client, url)


def test_the_report_page_differs_by_viewer(world, coordinator_client, leader_client, liaison_a_client,
                                           liaison_b_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    _attach(report, world.liaison_a)
    url = reverse("reports:detail", args=[report.pk])
    assert liaison_b_client.get(url).status_code == 404  # another unit's draft: not there, cached or not
    assert f'action="/reports/{report.pk}/submit/"' in _html(liaison_a_client, url)
    services.submit_report(report=report, user=world.liaison_a)
    office = _html(coordinator_client, url)
    assert "审核通过</button>" in office and "现场照片.png" in office
    leader = _html(leader_client, url)
    assert "审核通过</button>" not in leader and "现场照片.png" in leader
    other = _html(liaison_b_client, url)
    assert "现场照片.png" not in other and "佐证材料仅对本单位" in other and "审核通过</button>" not in other
    own = _html(liaison_a_client, url)
    assert "正在等待法治办审核" in own and "现场照片.png" in own


def test_the_report_page_runs_fewer_queries_warm(world, coordinator_client):
    report = _submitted_report(world)
    url = reverse("reports:detail", args=[report.pk])
    assert _queries(coordinator_client, url, cold=False) < _queries(coordinator_client, url, cold=True)


def test_the_office_reviews_from_a_cached_report_page(world, coordinator_client):
    report = _submitted_report(world)
    url = reverse("reports:detail", args=[report.pk])
    _html(coordinator_client, url)
    other = _strict_client(UserFactory(username="coordinator2", role=Role.COORDINATOR))
    html = _html(other, url)
    response = other.post(reverse("reports:return", args=[report.pk]),
                          {"csrfmiddlewaretoken": _token(html), "comment": "请补充。", "next": url})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"


# --- the report form -----------------------------------------------------------------------------------------

def _form_data(report, **changes) -> dict:
    data = {"progress": "in_progress", "percent": "50", "measures": "表单里的举措。", "problems": "",
            "next_steps": "", "delay_reason": "", "version": str(report.version), "action": "save",
            "fig-TOTAL_FORMS": "0", "fig-INITIAL_FORMS": "0", "fig-MIN_NUM_FORMS": "0", "fig-MAX_NUM_FORMS": "20"}
    data.update(changes)
    return data


def test_the_report_form_shows_the_saved_text_and_files_at_once(world, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = reverse("reports:edit", args=[report.pk])
    assert "尚未上传" in _html(liaison_a_client, url)
    assert liaison_a_client.post(url, _form_data(report, measures="保存后的举措。")).status_code == 302
    html = _html(liaison_a_client, url)
    report.refresh_from_db()
    assert "保存后的举措。" in html and f'name="version" value="{report.version}"' in html
    _attach(report, world.liaison_a)
    assert "现场照片.png" in _html(liaison_a_client, url)


def test_a_form_sent_back_with_errors_is_never_cached(world, liaison_a_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    url = reverse("reports:edit", args=[report.pk])
    _html(liaison_a_client, url)
    typed = _form_data(report, measures="打了一半的举措。", progress="delayed", delay_reason="")
    response = liaison_a_client.post(url, typed)
    assert response.status_code == 200 and "打了一半的举措。" in response.content.decode()
    html = _html(liaison_a_client, url)  # the saved report, not what was typed
    assert "打了一半的举措。" not in html and "建立工作台账" in html


def test_a_stale_save_shows_the_other_text_and_the_next_get_the_saved_one(world, liaison_a_client):
    report = fill(services.start_report(obligation=world.a1, user=world.liaison_a), world.liaison_a)
    url = reverse("reports:edit", args=[report.pk])
    _html(liaison_a_client, url)
    old_version = report.version
    fill(report, world.liaison_a, measures="同事先保存的举措。")
    response = liaison_a_client.post(url, _form_data(report, version=str(old_version), measures="我的举措。"))
    page = response.content.decode()
    assert "同事先保存的举措。" in page and "我的举措。" in page
    html = _html(liaison_a_client, url)
    assert "同事先保存的举措。" in html and "我的举措。" not in html


def test_the_report_form_is_only_the_units_own(world, liaison_a_client, liaison_b_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = reverse("reports:edit", args=[report.pk])
    _html(liaison_a_client, url)
    assert liaison_b_client.get(url).status_code == 404


def test_a_second_liaison_saves_through_the_form_cached_for_the_first(world, liaison_a_client):
    report = services.start_report(obligation=world.a1, user=world.liaison_a)
    url = reverse("reports:edit", args=[report.pk])
    _html(liaison_a_client, url)
    other = _strict_client(UserFactory(username="liaison_a2", role=Role.LIAISON, unit=world.unit_a))
    html = _html(other, url)
    response = other.post(url, {**_form_data(report, measures="第二位联络员的举措。"),
                                "csrfmiddlewaretoken": _token(html)})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.measures == "第二位联络员的举措。"


def test_the_report_form_runs_fewer_queries_warm_and_the_same_at_1_and_50_figures(world, liaison_a_client):
    counts = []
    for obligation, n in ((world.a1, 1), (world.a2, 50)):
        report = services.start_report(obligation=obligation, user=world.liaison_a)
        figures = [{"label": f"指标{k}", "value": str(k), "unit": "件"} for k in range(n)]
        fill(report, world.liaison_a, figures=figures)
        url = reverse("reports:edit", args=[report.pk])
        counts.append((_queries(liaison_a_client, url, cold=True), _queries(liaison_a_client, url, cold=False)))
    assert counts[0] == counts[1] and counts[0][1] < counts[0][0]


def test_unit_versions_are_not_shared_between_units(world):
    from reports.cachekeys import part_versions, unit_reports_key

    before_a, before_b = part_versions(unit_reports_key(world.unit_a.pk), unit_reports_key(world.unit_b.pk))
    services.start_report(obligation=world.a1, user=world.liaison_a)
    after_a, after_b = part_versions(unit_reports_key(world.unit_a.pk), unit_reports_key(world.unit_b.pk))
    assert after_a != before_a and after_b == before_b


def test_a_version_lost_from_the_cache_restarts_at_a_new_value(world):
    from reports.cachekeys import CALENDAR_KEY, part_versions

    first, = part_versions(CALENDAR_KEY)
    cache.delete(CALENDAR_KEY)
    again, = part_versions(CALENDAR_KEY)
    assert again != first


def test_the_registry_key_named_here_is_the_one_tasks_bumps():
    from reports.cachekeys import REGISTRY_KEY
    from tasks import cachekeys

    assert cachekeys._VERSION.key == REGISTRY_KEY


