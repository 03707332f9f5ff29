"""The 4月1日 deadline on the dashboard, until the report is published."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from govreport import services
from govreport.deadlines import pending_deadlines
from govreport.models import Section
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def test_dashboard_shows_last_years_deadline_until_published(gov_world, coordinator, leader_client):
    w = gov_world
    last_year = timezone.localdate().year - 1
    plan = PlanFactory(year=last_year, government=w.government, doc_number=f"测政办〔{last_year}〕1号")
    url = reverse("dashboard:overview", args=[w.year_end.pk])
    page = leader_client.get(url).content.decode()
    expected = f"{last_year}年度法治政府建设情况报告（测试市人民政府）：须于 <strong>{last_year + 1}年4月1日</strong>"
    assert expected in page
    assert "尚未汇编" in page

    from tasks import services as task_services

    chapter = task_services.create_chapter(plan=plan, title="章")
    task_services.create_item(plan=plan, chapter=chapter, title="项", body="", lead=[w.unit_a], responsible=[])
    report = services.compile_report(government=w.government, year=last_year, user=coordinator)
    Section.objects.filter(report=report).update(text="内容。", has_gap=False)
    report.refresh_from_db()
    report.doc_number = f"测政呈〔{last_year + 1}〕1号"
    report.recipients, report.written_on = "上级", dt.date.today()
    report.save()
    services.approve_report(report=report, approved_on=dt.date.today(), meeting="会", user=coordinator)
    assert "已审议通过" in leader_client.get(url).content.decode()
    services.publish_report(report=report, user=coordinator)
    assert "法治政府建设情况报告（测试市人民政府）：须于" not in leader_client.get(url).content.decode()


def test_overdue_is_said_so(gov_world):
    PlanFactory(year=2030, government=gov_world.government, doc_number="测政办〔2030〕1号")
    rows = pending_deadlines(dt.date(2031, 4, 3))
    assert [(r["government"].name, r["days_left"]) for r in rows] == [("测试市人民政府", -2)]
