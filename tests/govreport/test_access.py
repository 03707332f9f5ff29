"""Who may do what: the office edits, leaders and liaisons read, the public sees only what is published."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from govreport import services
from govreport.models import GovReport, Part, Publication, ReportState, Section
from tests.govreport.conftest import YEAR
from tests.test_csrf_and_methods import _sample_path, _walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(gov_world, coordinator):
    w = gov_world
    w.file(w.year_end, w.items[0], w.unit_a, "司法局组织专题学习。")
    return services.compile_report(government=w.government, year=YEAR, user=coordinator)


@pytest.mark.parametrize("persona", ["leader_client", "liaison_a_client", "liaison_b_client"])
def test_leaders_and_liaisons_read_the_report_and_its_sections(request, report, persona):
    client = request.getfixturevalue(persona)
    page = client.get(reverse("govreport:detail", args=[report.pk])).content.decode()
    assert report.title in page and "（一）深入学习贯彻习近平法治思想" in page
    assert f'action="/govreport/{report.pk}/approve/"' not in page
    section = report.sections.get(item__seq=1)
    page = client.get(reverse("govreport:section", args=[section.pk])).content.decode()
    assert "司法局组织专题学习。" in page and "<textarea" not in page and "按来源重新生成" not in page


@pytest.mark.parametrize("persona", ["leader_client", "liaison_a_client"])
def test_leaders_and_liaisons_cannot_change_anything(request, report, persona):
    client = request.getfixturevalue(persona)
    section = report.sections.get(item__seq=1)
    before = (section.text, section.version)
    posts = [
        (reverse("govreport:section", args=[section.pk]), {"text": "篡改", "version": section.version}),
        (reverse("govreport:section_refill", args=[section.pk]), {"version": section.version}),
        (reverse("govreport:details", args=[report.pk]), {"title": "篡改", "version": report.version}),
        (reverse("govreport:approve", args=[report.pk]), {"approved_on": "2027-03-20", "meeting": "会"}),
        (reverse("govreport:publish", args=[report.pk]), {}),
        (reverse("govreport:include", args=[report.pk]), {"source": 1, "include": "on", "section": section.pk}),
        (reverse("govreport:compile"), {"government": report.government_id, "year": YEAR}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert client.get(reverse("govreport:section_refill", args=[section.pk])).status_code == 403
    section.refresh_from_db()
    report.refresh_from_db()
    assert (section.text, section.version) == before and report.state == ReportState.DRAFT
    assert report.title != "篡改"


def test_anonymous_sees_only_published_reports(report, coordinator):
    client = Client()
    assert client.get(reverse("govreport:detail", args=[report.pk])).status_code == 302
    other = GovReport.objects.create(government=report.government, year=YEAR - 1, title="另一份报告",
                                     state=ReportState.APPROVED, approved_on=dt.date(2026, 3, 1))
    withdrawn = Publication.objects.create(report=other, title="已撤回的报告", government_name="测试市人民政府",
                                           year=YEAR - 1, content={}, published_at="2026-03-02T00:00:00Z",
                                           withdrawn_at="2026-03-03T00:00:00Z")
    assert client.get(f"/public/{withdrawn.pk}/").status_code == 404
    assert "已撤回的报告" not in client.get("/public/").content.decode()


PUBLIC = re.compile(r"^/(public/|accounts/login/|healthz$|readyz$|favicon\.ico$)")
# Django's own password-reset views (django.contrib.auth.urls) are login-exempt too: they belong to logging in.
LOGIN_RELATED = re.compile(r"^/accounts/(password_reset/|reset/)")


def test_every_url_needs_login_except_public_pages_login_and_health(report, coordinator):
    Section.objects.filter(report=report).update(text="内容。", has_gap=False)
    report.doc_number, report.recipients, report.written_on = "测政呈〔2027〕3号", "上级", dt.date(2027, 3, 20)
    report.save()
    services.approve_report(report=report, approved_on=dt.date(2027, 3, 20), meeting="会", user=coordinator)
    publication = services.publish_report(report=report, user=coordinator)
    client = Client()
    open_urls = []
    for name, route, _pattern in _walk(get_resolver()):
        if name.startswith("admin:") or "(?P" in route or "\\" in route:
            continue
        path = _sample_path(re.sub(r"<int:[^>]+>", str(publication.pk), route))
        response = client.get(path)
        redirected_to_login = response.status_code == 302 and "/accounts/login/" in response["Location"]
        if not redirected_to_login:
            open_urls.append(path)
    others = [p for p in open_urls if not (PUBLIC.match(p) or LOGIN_RELATED.match(p))]
    assert open_urls and not others, others
    assert {f"/public/{publication.pk}/", "/public/", "/healthz", "/accounts/login/"} <= set(open_urls)
    assert Client().get("/admin/").status_code == 302


def test_public_filter_is_bounded(report):
    client = Client()
    assert client.get("/public/?year=99999999999999999999").status_code == 200
    assert client.get("/public/?government=" + "x" * 5000).status_code == 200
    assert Part.PREFACE
