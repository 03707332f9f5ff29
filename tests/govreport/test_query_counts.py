"""Pages of the government report run the same number of queries at 1 and at 50 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govreport.models import GovReport, Part, Publication, Section
from reports.models import PeriodKind
from tasks.models import Government
from tests.factories import (
    ObligationFactory,
    PeriodFactory,
    PlanFactory,
    ReportFactory,
    UnitFactory,
    WorkItemFactory,
)

pytestmark = pytest.mark.django_db


def _count(fn) -> int:
    fn()  # warm: the signed-in user is cached from the second request on
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def _report_with(n: int, suffix: str) -> tuple[GovReport, Section]:
    government = Government.objects.create(name=f"测试{suffix}人民政府")
    plan = PlanFactory(year=2026, government=government)
    period = PeriodFactory(plan=plan, kind=PeriodKind.YEAR_END, name=f"年终{suffix}")
    report = GovReport.objects.create(government=government, year=2026, title=f"报告{suffix}")
    Section.objects.create(report=report, part=Part.PREFACE, order=0, heading="导语", text="导语。")
    first = None
    for i in range(n):
        item = WorkItemFactory(plan=plan)
        section = Section.objects.create(report=report, part=Part.MEASURES, order=10 + i, item=item,
                                         chapter=item.chapter, chapter_title=item.chapter.title, heading=item.title,
                                         text=f"第{i}项。")
        first = first or section
    # The first item has n units' reports beside it.
    for _ in range(n):
        ReportFactory(obligation=ObligationFactory(period=period, item=first.item, unit=UnitFactory()),
                      state="approved")
    for part in (Part.LEADERSHIP, Part.PROBLEMS, Part.NEXT_YEAR):
        Section.objects.create(report=report, part=part, order=100_000 + len(part), heading=part.label, text="x")
    return report, first


@pytest.mark.parametrize("who", ["coordinator_client", "leader_client"])
def test_report_page_and_section_editor_are_flat(request, who):
    client = request.getfixturevalue(who)
    small, small_section = _report_with(1, "甲")
    large, large_section = _report_with(50, "乙")
    assert _count(lambda: client.get(reverse("govreport:detail", args=[small.pk]))) == _count(
        lambda: client.get(reverse("govreport:detail", args=[large.pk])))
    assert _count(lambda: client.get(reverse("govreport:section", args=[small_section.pk]))) == _count(
        lambda: client.get(reverse("govreport:section", args=[large_section.pk])))
    assert _count(lambda: client.get(reverse("govreport:list"))) > 0


def _publications(n: int, start: int) -> None:
    government = Government.objects.create(name=f"公开{start}人民政府")
    for i in range(n):
        report = GovReport.objects.create(government=government, year=2000 + start + i, title=f"报告{i}",
                                          state="published", approved_on=dt.date(2026, 3, 1))
        Publication.objects.create(report=report, title=f"报告{start}-{i}", government_name=government.name,
                                   year=report.year, content={"title": "t", "issuer_mark": "m", "doc_number": "",
                                                              "recipients": [], "blocks": [], "signature": "s",
                                                              "written_on": ""},
                                   published_at="2026-03-02T00:00:00Z")


def test_public_list_is_flat():
    client = Client()
    _publications(1, 0)
    one = _count(lambda: client.get("/public/"))
    _publications(49, 10)
    assert _count(lambda: client.get("/public/")) == one
    publication = Publication.objects.first()
    assert _count(lambda: client.get(f"/public/{publication.pk}/")) == 1


def test_a_warm_report_page_reads_no_table_and_a_renamed_government_shows_at_once(coordinator_client):
    report, _ = _report_with(1, "甲")
    url = reverse("govreport:detail", args=[report.pk])
    signed_in = _count_404(coordinator_client)
    assert _count(lambda: coordinator_client.get(url)) == signed_in  # the report row and its body from the cache
    government = Government.objects.get(pk=report.government_id)
    government.name = "测试甲市人民政府（更名）"
    government.save()
    assert "测试甲市人民政府（更名）2026年度报告" in coordinator_client.get(url).content.decode()


def _count_404(client: Client) -> int:
    client.get("/no-such-page/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/no-such-page/").status_code == 404
    return len(ctx.captured_queries)
