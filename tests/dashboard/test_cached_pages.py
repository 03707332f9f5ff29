"""The dashboard pages are served from rendered parts cached under the versions of what they show
(``dashboard.views``): every kind of change shows on the very next request, viewers with different scope never
get each other's part, and the pages run the same queries at 1 and 50 items, fewer once warm."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from reports.cachekeys import period_version
from tasks.models import Chapter, Plan, Unit
from tests.dashboard.conftest import TODAY
from tests.dashboard.test_query_counts import _period_with
from tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db

PERIOD_PAGES = ["overview", "units", "matrix", "items"]


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # masked afresh on every request


def _url(page: str, period, query: str = "") -> str:
    return reverse(f"dashboard:{page}", args=[period.pk]) + (f"?{query}" if query else "")


# --- (1) each kind of change appears on the very next request ---------------------------------------------

def test_a_transition_shows_at_once_on_every_period_page(leader_client, dash, coordinator,
                                                         django_capture_on_commit_callbacks):
    overview, units = _url("overview", dash.period), _url("units", dash.period)
    matrix, red = _url("matrix", dash.period), _url("items", dash.period, "light=red")
    year = reverse("dashboard:year", args=[2026])
    assert 'status=approved">3<' in _html(leader_client, overview)
    assert "优化法治化营商环境" in _html(leader_client, red)  # item 2: red (late lead report, C never filed)
    assert "↺</a>" in _html(leader_client, matrix)  # C's returned report on item 3
    before_units, before_year = _html(leader_client, units), _html(leader_client, year)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_report(report=dash.reports.b3, user=coordinator)

    assert 'status=approved">4<' in _html(leader_client, overview)
    assert _html(leader_client, units) != before_units  # B's approved count
    assert _html(leader_client, year) != before_year  # the plan's filing and light figures


def test_a_return_shows_in_the_matrix_and_the_item_lists(leader_client, dash, coordinator,
                                                        django_capture_on_commit_callbacks):
    matrix, yellow = _url("matrix", dash.period), _url("items", dash.period, "light=yellow")
    assert _html(leader_client, matrix).count("↺</a>") == 1
    assert "加强规范性文件监督" in _html(leader_client, yellow)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_report(report=dash.reports.b3, user=coordinator, comment="请补充。")
    assert _html(leader_client, matrix).count("↺</a>") == 2
    assert 'status=returned&amp;unit=' in _html(leader_client, _url("units", dash.period))


def test_the_next_day_moves_lights_and_days_overdue(leader_client, dash, monkeypatch):
    url = _url("overview", dash.period)
    assert "32 天" in _html(leader_client, url)  # item 4: deadline 2026-06-30, today 2026-08-01
    monkeypatch.setattr("dashboard.views._today", lambda: TODAY + dt.timedelta(days=1))
    assert "33 天" in _html(leader_client, url)


def test_a_renamed_plan_or_chapter_shows_in_the_head_at_once(leader_client, dash):
    url = _url("units", dash.period)
    assert dash.plan.title in _html(leader_client, url)
    plan = Plan.objects.get(pk=dash.plan.pk)
    plan.title = "2026年测试市法治政府建设工作要点（修订）"
    plan.save()
    chapter = Chapter.objects.get(pk=dash.chapters[0].pk)
    chapter.title = "依法全面履行政府职能（修订）"
    chapter.save()
    html = _html(leader_client, url)
    assert "工作要点（修订）" in html
    assert "依法全面履行政府职能（修订）" in html


def test_a_renamed_unit_shows_at_once_on_every_period_page_and_the_year(leader_client, dash):
    pages = [_url("overview", dash.period), _url("units", dash.period), _url("matrix", dash.period),
             _url("items", dash.period, "light=red")]
    for url in pages:
        assert "第三局" in _html(leader_client, url)
    unit = Unit.objects.get(pk=dash.units.c.pk)
    unit.name, unit.short_name = "测试市第三行政局", "三行政局"
    unit.save()
    for url in pages:
        html = _html(leader_client, url)
        assert "三行政局" in html and "第三局" not in html, url


def test_a_new_or_closed_period_shows_in_the_head_at_once(leader_client, dash, coordinator,
                                                         django_capture_on_commit_callbacks):
    url = _url("overview", dash.period)
    html = _html(leader_client, url)
    assert "2026年年终报告" not in html
    with django_capture_on_commit_callbacks(execute=True):
        services.open_period(plan=dash.plan, name="2026年年终报告", due_on=dt.date(2026, 12, 10), user=coordinator)
    html = _html(leader_client, url)
    assert "2026年年终报告" in html  # in the period selector and as the next period
    with django_capture_on_commit_callbacks(execute=True):
        services.close_period(period=dash.period, user=coordinator)
    assert "已关闭" in _html(leader_client, url)


def test_the_government_report_deadline_notice_follows_the_report(leader_client, dash, coordinator, monkeypatch):
    from govreport.services import compile_report
    from tasks.models import Government

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2027, 2, 1))
    government = Government.objects.create(name="测试市人民政府")
    Plan.objects.filter(pk=dash.plan.pk).update(government=government, status="issued")
    Plan.objects.get(pk=dash.plan.pk).save()  # through the ORM, as every registry edit
    url = _url("overview", dash.period)
    assert "当前：尚未汇编" in _html(leader_client, url)
    compile_report(government=government, year=2026, user=coordinator)
    assert "当前：起草中" in _html(leader_client, url)


def test_the_export_link_keeps_only_cleaned_filters(leader_client, dash):
    html = _html(leader_client, _url("items", dash.period, "light=red&junk=%3Cx%3E"))
    assert "light=red&amp;export=xlsx" in html
    assert "junk" not in html


# --- (2) viewers with different scope never get each other's part; access still applies ---------------------

def test_liaisons_of_two_units_get_their_own_matrix(liaison_a_client, liaison_b_client, leader_client, dash):
    url = _url("matrix", dash.period)
    a_html, b_html = _html(liaison_a_client, url), _html(liaison_b_client, url)
    assert dash.reports.a1.measures in a_html and dash.reports.a1.measures not in b_html
    assert dash.reports.b1.measures in b_html and dash.reports.b1.measures not in a_html
    leader_html = _html(leader_client, url)
    assert dash.reports.a1.measures in leader_html and dash.reports.b1.measures in leader_html
    # And again from the cache, each viewer their own.
    assert dash.reports.b1.measures not in _html(liaison_a_client, url)


def test_a_draft_save_moves_the_units_own_matrix_but_not_the_figures_everyone_sees(
        liaison_a, liaison_a_client, leader_client, dash, django_capture_on_commit_callbacks):
    matrix, overview = _url("matrix", dash.period), _url("overview", dash.period)
    obligation = ObligationFactory(period=dash.period, item=dash.items[2], unit=dash.units.a, role="responsible")
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.start_report(obligation=obligation, user=liaison_a)
    assert "草稿" in _html(liaison_a_client, matrix) and " · 55%" not in _html(liaison_a_client, matrix)
    leader_overview, version = _html(leader_client, overview), period_version(dash.period.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(report=draft, data={"percent": 55, "measures": "召开专题会议。"}, figures=None,
                             user=liaison_a, expected_version=draft.version)
    assert " · 55%" in _html(liaison_a_client, matrix)  # the unit sees its own save at once
    # Drafts are private and dashboards count filed reports: the office's figures stay cached.
    assert period_version(dash.period.pk) == version
    assert _without_token(_html(leader_client, overview)) == _without_token(leader_overview)


def test_a_returned_reports_save_moves_the_figures(leader_client, dash, django_capture_on_commit_callbacks):
    returned = dash.reports.c3  # returned reports are filed: their progress counts on the dashboards
    version = period_version(dash.period.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_report(report=returned, data={"progress": "delayed", "delay_reason": "资金未到位。"},
                             figures=None, user=None, expected_version=returned.version)
    assert period_version(dash.period.pk) > version


@pytest.mark.parametrize("page", PERIOD_PAGES)
def test_cached_pages_still_need_a_session_and_an_existing_period(client, leader_client, dash, page):
    assert leader_client.get(_url(page, dash.period)).status_code == 200  # the parts are cached now
    response = client.get(_url(page, dash.period))
    assert response.status_code == 302 and "/login" in response["Location"]
    assert leader_client.get(reverse(f"dashboard:{page}", args=[dash.period.pk + 999])).status_code == 404


def test_an_unknown_year_is_still_404_after_a_known_one_was_cached(leader_client, dash):
    assert leader_client.get(reverse("dashboard:year", args=[2026])).status_code == 200
    assert leader_client.get(reverse("dashboard:year", args=[2031])).status_code == 404


# --- (3) the same queries at 1 and 50 items with a cold cache, fewer once warm ----------------------------

def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", [*PERIOD_PAGES, "year"])
def test_cold_pages_are_flat_and_warm_pages_cost_less(leader_client, page):
    small, large = _period_with(1), _period_with(50)
    cold, warm = [], []
    for period in (small, large):
        url = reverse("dashboard:year", args=[2026]) if page == "year" else _url(page, period)
        leader_client.get(reverse("dashboard:year", args=[2025]))  # the signed-in user is cached
        cache.clear()
        cold.append(_queries(leader_client, url))
        warm.append(_queries(leader_client, url))
    assert cold[0] == cold[1]
    assert warm[0] == warm[1]
    assert warm[0] < cold[0]
