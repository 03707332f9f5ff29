"""Hostile text into the government report's forms: a form error or a redirect, never a 500, and a refused
post changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.limits import LONG_TEXT
from govreport import services
from govreport.models import GovReport, Section
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
