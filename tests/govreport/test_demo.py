"""load_demo gives last year complete, ending in the published government report."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from govreport import compiling
from govreport.models import GovReport, Part, Publication, ReportState
from reports.models import PeriodStatus, Report
from tasks.models import Plan

pytestmark = pytest.mark.django_db


def test_last_year_is_complete_and_its_report_is_published(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    year = dt.date.today().year - 1
    plan = Plan.objects.get(year=year)
    assert set(plan.periods.values_list("status", flat=True)) == {PeriodStatus.CLOSED}
    filed = Report.objects.filter(obligation__period__plan=plan)
    assert filed.count() > 50 and set(filed.values_list("state", flat=True)) == {"approved"}

    report = GovReport.objects.get(government=plan.government, year=year)
    assert report.state == ReportState.PUBLISHED
    assert report.doc_number == f"江政呈〔{year + 1}〕8号" and report.written_on is not None
    assert report.recipient_list == ["中共江川市委员会", "江川市人民代表大会常务委员会", "江东省人民政府"]
    assert report.submissions.count() == 3
    counted = compiling.counts(compiling.gather(plan.government, year))
    assert (counted.items, counted.without_sources) == (30, 0)
    assert not report.sections.filter(has_gap=True).exists()
    # The 第一责任人 part came from the government office's own approved report, untouched by the office.
    leadership = report.sections.get(part=Part.LEADERSHIP)
    assert leadership.text.startswith("市政府主要负责人认真履行推进法治建设第一责任人职责")
    assert list(leadership.versions.values_list("action", flat=True)) == ["compiled"]

    publication = Publication.objects.get(report=report)
    assert publication.docx and publication.published_at.date() <= dt.date(year + 1, 3, 31)
    anonymous = Client()
    assert report.title in anonymous.get("/public/").content.decode()
    assert anonymous.get(f"/public/{publication.pk}/report.docx").status_code == 200
