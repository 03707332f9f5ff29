"""A government with one plan of three items, reports filed through the real services.

- item 1 (chapter 一): unit A leads, unit B is responsible (through the group 各区镇).
- item 2 (chapter 一): unit B leads.
- item 3 (chapter 二): 公安局 leads.
``make_world`` files nothing; each test files what it needs with ``file``.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from accounts.models import Role
from govreport import services
from govreport.models import GovReport
from reports import services as report_services
from reports.models import PeriodKind, PeriodScope
from tasks.models import Government, Unit
from tests.factories import UserFactory

YEAR = 2026


@pytest.fixture
def gov_world(small_plan, coordinator, liaison_a, liaison_b, unit_a, unit_b):
    government = Government.objects.create(name="测试市人民政府", red_header="测试市人民政府",
                                           doc_prefix="测政呈", recipients="中共测试市委员会\n测试市人大常委会",
                                           leadership_unit=unit_a)
    small_plan.government = government
    small_plan.save()
    police = Unit.objects.get(name="测试市公安局")
    liaison_police = UserFactory(username="liaison_police", role=Role.LIAISON, unit=police)
    items = list(small_plan.items.order_by("seq"))
    half = report_services.open_period(plan=small_plan, name=f"{YEAR}年半年报", kind=PeriodKind.HALF_YEAR,
                                       due_on=dt.date(YEAR, 7, 10), scope=PeriodScope.ALL, user=coordinator)
    year_end = report_services.open_period(plan=small_plan, name=f"{YEAR}年年终报告", kind=PeriodKind.YEAR_END,
                                           due_on=dt.date(YEAR, 12, 10), scope=PeriodScope.ALL, user=coordinator)
    users = {unit_a.pk: liaison_a, unit_b.pk: liaison_b, police.pk: liaison_police}

    def file(period, item, unit, measures, *, state="approved", figures=(), problems="", next_steps=""):
        ob = period.obligations.get(item=item, unit=unit)
        user = users[unit.pk]
        report = report_services.start_report(obligation=ob, user=user)
        report = report_services.save_report(
            report=report, user=user, expected_version=report.version,
            data={"progress": "in_progress", "percent": 60, "measures": measures, "problems": problems,
                  "next_steps": next_steps},
            figures=[{"label": label, "value": value, "unit": u} for label, value, u in figures])
        if state == "draft":
            return report
        report = report_services.submit_report(report=report, user=user,
                                               now=dt.datetime(YEAR, 7, 1, 9, tzinfo=dt.UTC))
        if state == "approved":
            report = report_services.approve_report(report=report, user=coordinator)
        elif state == "returned":
            report = report_services.return_report(report=report, user=coordinator, comment="请补充数据。")
        return report

    return SimpleNamespace(government=government, plan=small_plan, items=items, half=half, year_end=year_end,
                           unit_a=unit_a, unit_b=unit_b, police=police, file=file, coordinator=coordinator)


DETAILS = {"title": "测试市人民政府关于2026年度法治政府建设情况的报告", "doc_number": "测政呈〔2027〕3号",
           "signer": "", "recipients": "中共测试市委员会\n测试市人大常委会", "signature": "测试市人民政府",
           "written_on": "2027-03-25", "cc": "市委依法治市办", "printer": "测试市人民政府办公室",
           "printed_on": "2027-03-25"}


def fill_all(report: GovReport, user, *, skip: str = "") -> None:
    for section in report.sections.all():
        text = "" if section.part == skip else f"{section.heading}的正文。"
        services.save_section(section=section, text=text, expected_version=section.version, user=user)


def finished_report(w, coordinator, text: str = "司法局组织专题学习。") -> GovReport:
    """A unit's year-end filing, the report compiled from it, every section written and the details filled."""
    w.file(w.year_end, w.items[0], w.unit_a, text)
    report = services.compile_report(government=w.government, year=YEAR, user=coordinator)
    fill_all(report, coordinator)
    report.refresh_from_db()
    services.update_report_details(report=report, data=DETAILS, expected_version=report.version, user=coordinator)
    return GovReport.objects.get(pk=report.pk)


@pytest.fixture
def ready(gov_world, coordinator):
    gov_world.report = finished_report(gov_world, coordinator)
    return gov_world
