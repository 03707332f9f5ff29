"""Hostile text into the government report's forms: a form error or a redirect, never a 500, and a refused
post changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from fazhi.limits import LONG_TEXT
from govreport import services
from govreport.models import GovReport, Publication, Section, Submission
from tests.govreport.conftest import YEAR

pytestmark = pytest.mark.django_db

HOSTILE = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\x00", "<script>alert(1)</script>", "{{ 7*7 }}", "'; DROP TABLE x; --", "=1+1", "\u202e反转",
                     "测政呈〔2027〕3号", "测政呈〔99999〕3号", "测政呈〔2027〕999999号", " ", "　"]),
    st.just("长" * (LONG_TEXT + 1)),
)
SETTINGS = settings(max_examples=20, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture
def compiled(gov_world, coordinator):
    return services.compile_report(government=gov_world.government, year=YEAR, user=coordinator)


@SETTINGS
@given(text=HOSTILE)
def test_section_editor(compiled, coordinator_client, text):
    section = Section.objects.filter(report=compiled).first()
    before = (section.text, section.version)
    response = coordinator_client.post(reverse("govreport:section", args=[section.pk]),
                                       {"text": text, "version": section.version})
    assert response.status_code in (302, 400), response.status_code
    section.refresh_from_db()
    if response.status_code == 400:
        assert (section.text, section.version) == before
    else:
        assert section.text == text.replace("\r\n", "\n").strip()


@SETTINGS
@given(doc_number=HOSTILE, title=HOSTILE, recipients=HOSTILE)
def test_report_details(compiled, coordinator_client, doc_number, title, recipients):
    report = GovReport.objects.get(pk=compiled.pk)
    before = (report.doc_number, report.title, report.recipients, report.version)
    response = coordinator_client.post(reverse("govreport:details", args=[report.pk]), {
        "title": title, "doc_number": doc_number, "recipients": recipients, "signature": "测试市人民政府",
        "written_on": "2027-03-20", "version": report.version})
    assert response.status_code in (302, 400), response.status_code
    report.refresh_from_db()
    if response.status_code == 400:
        assert (report.doc_number, report.title, report.recipients, report.version) == before
    else:
        expected = services.parse_doc_number(doc_number) if doc_number.strip() else ""
        assert report.doc_number == expected


# ---------------------------------------------------------------------------------------------
# Submission up (登记报送) and the portal record of the publication: arbitrary text, numbers and dates.

DATES = st.one_of(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)).map(str),
    st.dates().map(str),
    st.sampled_from(["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "2027-02-30", "2027-13-01", "", " ",
                     "0", "-1", "1e9", "99999999999999999999", "２０２７-０３-２０", "2027/03/20", "2027年3月20日",
                     "\x00"]),
    st.text(max_size=20),
)
DOC_NUMBERS = st.one_of(
    st.integers(min_value=1, max_value=999).map(lambda n: f"测政呈〔2027〕{n}号"),
    HOSTILE,
    st.integers(min_value=-10**30, max_value=10**30).map(lambda n: f"测政呈〔2027〕{n}号"),
    st.integers(min_value=-10**6, max_value=10**6).map(lambda n: f"测政呈〔{n}〕3号"),
    st.text(min_size=55, max_size=70).map(lambda t: f"测政呈〔2027〕3号{t}"),
)
RECIPIENTS = st.one_of(st.sampled_from(["中共测试市委员会", "测试市人大常委会", "测试省人民政府"]), HOSTILE,
                       st.text(min_size=95, max_size=110), st.just("中" * 101))
NOTES = st.one_of(HOSTILE, st.text(min_size=195, max_size=210), st.just("注" * 201))
URLS = st.one_of(
    HOSTILE,
    st.sampled_from(["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "http://[::1",
                     "http://999.999.999.999/", "gov.cn/x", "https://例子.中国/报告", "ftp://x", "https://",
                     "https://www.jiangchuan.gov.cn/" + "x" * 280, "https://www.jiangchuan.gov.cn/" + "x" * 300]),
    st.text(max_size=40).map(lambda t: f"https://www.jiangchuan.gov.cn/{t}"),
)


@pytest.fixture
def approved(gov_world, coordinator):
    from tests.govreport.test_publishing import DETAILS, fill_all

    report = services.compile_report(government=gov_world.government, year=YEAR, user=coordinator)
    fill_all(report, coordinator)
    report.refresh_from_db()
    report = services.update_report_details(report=report, data=DETAILS, expected_version=report.version,
                                            user=coordinator)
    return services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="第5次常务会议",
                                   user=coordinator)


@pytest.fixture
def published(approved, coordinator):
    return services.publish_report(report=approved, user=coordinator)


def _submissions(report: GovReport) -> list[tuple]:
    return list(Submission.objects.filter(report=report).order_by("id")
                .values_list("recipient", "doc_number", "submitted_on", "note"))


@settings(SETTINGS, max_examples=50)
@given(recipient=RECIPIENTS, doc_number=DOC_NUMBERS, submitted_on=DATES, note=NOTES)
# Each limit and the date bounds at least once, whatever the generator draws.
@example(recipient="中" * 101, doc_number="测政呈〔2027〕3号", submitted_on="2027-03-25", note="")
@example(recipient="中共测试市委员会", doc_number="测政呈〔2027〕3号" + "号" * 60, submitted_on="2027-03-25", note="")
@example(recipient="中共测试市委员会", doc_number="测政呈〔2027〕3号", submitted_on="2027-03-25", note="注" * 201)
@example(recipient="中共测试市委员会", doc_number="测政呈〔2027〕3号", submitted_on="9999-12-31", note="")
@example(recipient="中共测试市委员会", doc_number="测政呈〔2027〕3号", submitted_on="2027-03-25", note="")
def test_submission_form(approved, coordinator_client, recipient, doc_number, submitted_on, note):
    before = _submissions(approved)
    response = coordinator_client.post(reverse("govreport:submission_add", args=[approved.pk]), {
        "recipient": recipient, "doc_number": doc_number, "submitted_on": submitted_on, "note": note})
    assert response.status_code in (302, 400), response.status_code
    event(f"status {response.status_code}")
    after = _submissions(approved)
    if response.status_code == 400:
        assert after == before  # nothing saved on refusal
        page = response.content.decode()
        assert 'class="errorlist' in page
        if "\x00" not in recipient:  # the form keeps what was typed
            assert f'name="recipient" value="{escape(recipient)}"' in page or not recipient.strip()
        for value, limit, label in ((recipient, 100, "主送机关"), (doc_number, 60, "文号"), (note, 200, "备注")):
            if len(value.strip()) > limit:
                assert f"“{label}”最多 {limit} 个字，现在是 {len(value.strip())} 个字。" in page
        return
    # Saved: exactly one new row, the values as typed (trimmed) and the 文号 normalised.
    assert len(after) == len(before) + 1
    saved = after[-1]
    assert saved[0] == recipient.strip() and len(saved[0]) <= 100
    assert saved[1] == services.parse_doc_number(doc_number)
    assert dt.date(2000, 1, 1) <= saved[2] <= dt.date(2099, 12, 31)
    assert saved[3] == note.strip() and len(saved[3]) <= 200


def _portal(publication: Publication) -> tuple:
    publication.refresh_from_db()
    return publication.portal_url, publication.portal_on


@settings(SETTINGS, max_examples=50)
@given(url=URLS, day=DATES)
@example(url="https://www.jiangchuan.gov.cn/" + "x" * 300, day="2027-03-28")
@example(url="https://www.jiangchuan.gov.cn/fzzf/2027.html", day="9999-12-31")
@example(url="https://www.jiangchuan.gov.cn/fzzf/2027.html", day="2027-03-28")
def test_portal_form(published, coordinator_client, url, day):
    before = _portal(published)
    response = coordinator_client.post(reverse("govreport:portal_record", args=[published.report_id]),
                                       {"portal_url": url, "portal_on": day})
    assert response.status_code in (302, 400), response.status_code
    event(f"status {response.status_code}")
    after = _portal(published)
    if response.status_code == 400:
        assert after == before
        page = response.content.decode()
        assert 'class="errorlist' in page
        if len(url.strip()) > 300:
            assert "“政府网站地址”最多 300 个字" in page
        return
    shown = coordinator_client.get(response["Location"]).content.decode()
    if "已记录政府网站发布地址和日期" in shown:
        assert after[0].startswith(("http://", "https://", "ftp://", "ftps://")) and len(after[0]) <= 300
        assert url.strip() in after[0] or after[0].endswith(url.strip())
        assert dt.date(2000, 1, 1) <= after[1] <= dt.date(2099, 12, 31)
    else:
        assert after == before  # refused by the service: nothing saved, the reason shown
