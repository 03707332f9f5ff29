"""The report list and the report page are served from rendered parts cached under ``govreport.cachekeys``
(bumped by every save of a report, section, submission, publication or government): every change shows on the
very next request, the office and readers never get each other's part, and the forms inside still post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govreport import services
from govreport.models import GovReport, Publication
from tests.govreport.conftest import YEAR
from tests.govreport.test_publishing import DETAILS
from tests.govreport.test_query_counts import _report_with
from tests.pages import csrf_token

pytestmark = pytest.mark.django_db


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _detail(report) -> str:
    return reverse("govreport:detail", args=[report.pk])


LIST = "/govreport/"


# --- (1) every kind of change shows on the very next request ------------------------------------------------

def test_a_saved_section_shows_at_once(ready, coordinator, leader_client):
    url = _detail(ready.report)
    section = ready.report.sections.order_by("order").first()
    assert "导语的正文。" in _html(leader_client, url)
    services.save_section(section=section, text="改写后的导语。", expected_version=section.version, user=coordinator)
    html = _html(leader_client, url)
    assert "改写后的导语。" in html and "导语的正文。" not in html


def test_new_details_show_at_once_for_readers_and_in_the_office_form(ready, coordinator, coordinator_client,
                                                                    leader_client):
    url = _detail(ready.report)
    assert "测政呈〔2027〕3号" in _html(leader_client, url)
    assert "测政呈〔2027〕3号" in _html(coordinator_client, url)
    report = GovReport.objects.get(pk=ready.report.pk)
    services.update_report_details(report=report, data={**DETAILS, "doc_number": "测政呈〔2027〕9号"},
                                   expected_version=report.version, user=coordinator)
    assert "测政呈〔2027〕9号" in _html(leader_client, url)
    coordinator_html = _html(coordinator_client, url)
    assert "测政呈〔2027〕9号" in coordinator_html
    # The form carries the new version, so saving from the page just served is not refused as stale.
    assert f'name="version" value="{report.version + 1}"' in coordinator_html


def test_approval_submission_publication_and_withdrawal_show_at_once(
        ready, coordinator, coordinator_client, leader_client, django_capture_on_commit_callbacks):
    url = _detail(ready.report)
    assert "起草中" in _html(leader_client, url) and "起草中" in _html(leader_client, LIST)
    report = services.approve_report(report=ready.report, approved_on=dt.date(2027, 3, 20),
                                     meeting="市政府第5次常务会议", user=coordinator)
    assert "市政府第5次常务会议" in _html(leader_client, url)
    assert "已审议通过" in _html(leader_client, LIST)
    assert "报送（0）" in _html(coordinator_client, url)
    services.record_submission(report=report, recipient="中共测试市委员会", doc_number="测政呈〔2027〕3号",
                               submitted_on=dt.date(2027, 3, 26), user=coordinator)
    assert "报送（1）" in _html(coordinator_client, url)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publication = services.publish_report(report=report, user=coordinator)
    html = _html(coordinator_client, url)
    assert "公开页面" in html and "Word 生成中" in html
    for callback in callbacks:  # the .docx is built off the request: its update() bumps the version too
        callback()
    assert Publication.objects.get(pk=publication.pk).docx
    html = _html(coordinator_client, url)
    assert "Word 生成中" not in html and reverse("public:docx", args=[publication.pk]) in html
    assert "已公开" in _html(leader_client, LIST)

    services.record_portal(publication=publication, url="https://www.example.gov.cn/fzzf/2027.html",
                           published_on=dt.date(2027, 3, 28), user=coordinator)
    assert "https://www.example.gov.cn/fzzf/2027.html" in _html(leader_client, url)
    services.unpublish_report(report=GovReport.objects.get(pk=report.pk), user=coordinator)
    assert "撤回" in _html(leader_client, url) and "已撤回公开" in _html(leader_client, LIST)


def test_a_renamed_government_and_the_next_day_show_at_once(ready, coordinator, leader_client, monkeypatch):
    url = _detail(ready.report)
    assert "已逾期" not in _html(leader_client, url)  # due 2027-04-01
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2027, 4, 2))
    assert "已逾期" in _html(leader_client, url)
    assert "测试市人民政府（更名）" not in _html(leader_client, LIST)
    services.update_government(government=ready.government, data={"name": "测试市人民政府（更名）"}, user=coordinator)
    assert "测试市人民政府（更名）" in _html(leader_client, LIST)


def test_a_renamed_person_shows_at_once(ready, coordinator, leader_client):
    url = _detail(ready.report)
    assert coordinator.display_name in _html(leader_client, url)
    coordinator.last_name, coordinator.first_name = "新", "名字"
    coordinator.save()
    assert coordinator.display_name in _html(leader_client, url)
    assert coordinator.display_name in _html(leader_client, LIST)


# --- (2) the office and readers never get each other's part; access still applies --------------------------

def test_readers_never_get_the_offices_forms_from_the_cache(ready, coordinator_client, leader_client,
                                                            liaison_a_client):
    url = _detail(ready.report)
    assert "登记审议通过" in _html(coordinator_client, url)
    assert "按各单位报告汇编" in _html(coordinator_client, LIST)
    for client in (leader_client, liaison_a_client):
        assert "登记审议通过" not in _html(client, url)
        assert "按各单位报告汇编" not in _html(client, LIST)
    assert "登记审议通过" in _html(coordinator_client, url)


def test_cached_pages_still_need_a_session_and_an_existing_report(ready, coordinator_client):
    url = _detail(ready.report)
    assert coordinator_client.get(url).status_code == 200
    for page in (url, LIST):
        response = Client().get(page)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert coordinator_client.get(reverse("govreport:detail", args=[ready.report.pk + 999])).status_code == 404


# --- (3) flat with a cold cache, fewer queries warm ----------------------------------------------------------

def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["coordinator_client", "leader_client"])
def test_report_page_and_list_are_flat_cold_and_cheaper_warm(request, who):
    client = request.getfixturevalue(who)
    small, _ = _report_with(1, "甲")
    large, _ = _report_with(50, "乙")
    client.get(LIST)  # the signed-in user is cached
    cold, warm = [], []
    for url in (_detail(small), _detail(large)):
        cache.clear()
        client.get("/no-such-page/")
        cold.append(_queries(client, url))
        warm.append(_queries(client, url))
    assert cold[0] == cold[1] and warm[0] == warm[1] and warm[0] < cold[0]
    cache.clear()
    client.get("/no-such-page/")
    assert _queries(client, LIST) > _queries(client, LIST)


# --- (4) forms inside the cached parts still post ------------------------------------------------------------

def test_forms_in_the_cached_page_post_with_each_viewers_own_token(ready, coordinator):
    from tests.factories import UserFactory

    other = UserFactory(username="coordinator_two", role=coordinator.role)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(coordinator)
    second.force_login(other)
    url = _detail(ready.report)
    first_html, second_html = _html(first, url), _html(second, url)  # the second from the cache
    assert csrf_token(first_html) != csrf_token(second_html)
    response = second.post(reverse("govreport:approve", args=[ready.report.pk]),
                           {"approved_on": "2027-03-20", "meeting": "市政府第5次常务会议",
                            "csrfmiddlewaretoken": csrf_token(second_html)})
    assert response.status_code == 302
    assert GovReport.objects.get(pk=ready.report.pk).state == "approved"
    compile_form = _html(first, LIST)
    assert first.post(reverse("govreport:compile"), {"government": ready.government.pk, "year": YEAR,
                                                     "csrfmiddlewaretoken": csrf_token(compile_form)}
                       ).status_code == 302
