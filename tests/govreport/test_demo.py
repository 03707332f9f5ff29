"""load_demo gives last year complete, ending in the published government report."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from govreport import compiling
from govreport.models import GovReport, Part, Publication, ReportState
from reports import services_annual
from reports.annual import unit_annual
from reports.models import AnnualReportDraft, PeriodStatus, Report
from tasks.models import AssignmentRole, Duty, Plan, Unit

pytestmark = pytest.mark.django_db


def _annual_card(html: str) -> str:
    """The 我的待办 card of the unit's own year-end report (the page also lists this year's overdue rounds)."""
    start = html.rindex('<div class="card">', 0, html.index("年度法治政府建设情况报告"))
    return html[start:html.index("</div>", start)]


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
    # Every unit that owed work sent its own year-end report before the due day, and the office approved it.
    owing = set(Duty.objects.filter(item__plan=plan).exclude(role=AssignmentRole.OTHER)
                .values_list("unit_id", flat=True))
    drafts = AnnualReportDraft.objects.filter(year=year).select_related("unit")
    assert len(owing) > 30 and {d.unit_id for d in drafts} == owing
    deadline = services_annual.deadline_of(year)
    for draft in drafts:
        assert draft.state == "approved" and not draft.is_late, draft.unit.name
        assert draft.first_submitted_at < deadline and draft.reviewed_at >= draft.submitted_at
        assert draft.leadership and draft.problems and draft.next_year
        assert unit_annual(draft.unit, year, draft=draft).has_text, draft.unit.name  # never an empty body
    # Written per unit: no two units share a 第一责任人 paragraph.
    assert len({d.leadership for d in drafts}) == len(owing)
    # So no liaison opens 我的待办 on an overdue report: the card is this year's (the one being prepared, not yet
    # due), and last year's own page reads 已审核.
    for username in ("liaison_sfj", "liaison_town"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        card = _annual_card(client.get(reverse("reports:todo")).content.decode())
        assert f"{year + 1}年度法治政府建设情况报告" in card and "已逾期" not in card
        unit_pk = User.objects.get(username=username).unit_id
        mine = client.get(reverse("reports:annual_edit", args=[unit_pk, year])).content.decode()
        assert f"关于{year}年度法治政府建设情况的报告" in mine and "已审核" in mine and "已逾期" not in mine
    # The units' own problems and plans reach the government report, merged per unit.
    problems = report.sections.get(part=Part.PROBLEMS).text
    town = Unit.objects.get(name="临江镇")
    # Sentences several units wrote alike are printed once ("（另有 N 个单位同）"): each of the town's is there.
    for sentence in AnnualReportDraft.objects.get(unit=town, year=year).problems.split("。"):
        assert sentence.strip() in problems

    # The 第一责任人 part came from the government office's own approved report, untouched by the office.
    leadership = report.sections.get(part=Part.LEADERSHIP)
    assert leadership.text.startswith("市政府主要负责人认真履行推进法治建设第一责任人职责")
    assert list(leadership.versions.values_list("action", flat=True)) == ["compiled"]

    publication = Publication.objects.get(report=report)
    assert publication.docx and publication.published_at.date() <= dt.date(year + 1, 3, 31)
    anonymous = Client()
    assert report.title in anonymous.get("/public/").content.decode()
    assert anonymous.get(f"/public/{publication.pk}/report.docx").status_code == 200
