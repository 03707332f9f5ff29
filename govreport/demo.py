"""Demo: last year complete, ending in the government's report, published on /public/.

Everything goes through the services, as in real use: the periods are opened, every lead and
responsible unit files, the office approves, the periods close; then the report is compiled, its
文号, 主送 and 成文日期 filled in, approved at a 常务会议, submitted up and published.
Idempotent: nothing happens when the year's report already exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from govreport import services
from govreport.models import GovReport, Part
from reports import models as report_models
from reports import services as report_services
from reports.demo import _content, _liaison
from reports.models import PeriodKind, PeriodScope
from tasks.models import Plan, Unit

RECIPIENTS = ["中共江川市委员会", "江川市人民代表大会常务委员会", "江东省人民政府"]
LEADERSHIP_TEXT = (
    "市政府主要负责人认真履行推进法治建设第一责任人职责，全年主持召开市政府常务会议专题研究法治政府建设工作4次，"
    "带头开展会前学法，对重大行政决策、规范性文件和重大合同坚持先经合法性审查再提交会议讨论。\n"
    "市政府分管负责人定期听取行政执法监督、行政复议应诉工作汇报，带头出庭应诉，推动各部门主要负责人落实述法制度。"
)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 15), tzinfo=timezone.get_default_timezone())


def _file_period(period, by_unit: dict[int, User], coordinator: User, submitted_on: dt.date, offset: int) -> int:
    """Every lead unit files; of the responsible units one in twelve does (enough to show merged text from
    several units and the "owed but not filed" warnings, while the demo loads quickly)."""
    obligations = [ob for n, ob in enumerate(period.obligations.select_related("item", "unit")
                                             .order_by("item__seq", "unit__order"))
                   if ob.is_lead or n % 12 == 0]
    for n, ob in enumerate(obligations):
        user = _liaison(ob.unit, by_unit)
        data = _content(ob, n + offset)
        figures = data.pop("figures")
        if period.kind == PeriodKind.YEAR_END:
            data["progress"], data["percent"] = "completed", 100
            data["measures"] = str(data["measures"]).replace("上半年", "全年")
        report = report_services.start_report(obligation=ob, user=user)
        report = report_services.save_report(report=report, data=data, figures=figures, user=user,
                                             expected_version=report.version)
        report = report_services.submit_report(report=report, user=user, now=_at(submitted_on, 9 + n % 8))
        report_services.approve_report(report=report, user=coordinator)
    return len(obligations)


def _leadership(plan: Plan, coordinator: User, by_unit: dict[int, User]) -> None:
    """The government office writes the 第一责任人 paragraph in its own year-end report, submits it and the
    office approves it (reports.services_annual), so the compiler finds it where it will in real use."""
    from reports import services_annual

    government = plan.government
    office = Unit.objects.filter(name="市政府办公室").first()
    if office is None:
        return
    if government.leadership_unit_id is None:
        services.update_government(government=government, data={"leadership_unit": office}, user=coordinator)
    liaison = _liaison(office, by_unit)
    try:
        services_annual.save_annual_report(unit=office, year=plan.year, user=liaison, expected_version=None, data={
            "leadership": LEADERSHIP_TEXT,
            "problems": "统筹推进法治政府建设的督促检查还不够经常，部分部门落实第一责任人职责的记录不够完整。",
            "next_year": "健全党政主要负责人履职记录制度，年底前完成对各部门的法治督察全覆盖。",
        })
        services_annual.submit_annual_report(unit=office, year=plan.year, user=liaison)
        draft = report_models.AnnualReportDraft.objects.get(unit=office, year=plan.year)
        services_annual.approve_annual_report(draft=draft, user=coordinator)
    except ValidationError:
        pass  # the office owes nothing this year: the legal office writes the paragraph into the section


@transaction.atomic
def load_demo_government_report(*, plan: Plan, coordinator: User) -> list[str]:
    government = plan.government
    if government is None or GovReport.objects.filter(government=government, year=plan.year).exists():
        return []
    year = plan.year
    services.update_government(government=government, data={
        "red_header": government.name, "doc_prefix": "江政呈", "recipients": "\n".join(RECIPIENTS),
    }, user=coordinator)
    by_unit = {u.unit_id: u for u in User.objects.filter(role=Role.LIAISON).order_by("id")}
    # One closed year-end round is what the report needs; this year's demo already shows a half-year round.
    year_end = report_services.open_period(plan=plan, name=f"{year}年年终报告", kind=PeriodKind.YEAR_END,
                                           due_on=dt.date(year, 12, 10), scope=PeriodScope.ALL, user=coordinator)
    filed = _file_period(year_end, by_unit, coordinator, dt.date(year, 12, 5), 0)
    report_services.close_period(period=year_end, user=coordinator)
    _leadership(plan, coordinator, by_unit)

    report = services.compile_report(government=government, year=year, user=coordinator)
    leadership = report.sections.get(part=Part.LEADERSHIP)
    if services.compiling.has_marker(leadership.text):
        services.save_section(section=leadership, text=LEADERSHIP_TEXT, expected_version=leadership.version,
                              user=coordinator)
    today = timezone.localdate()
    approved_on = min(dt.date(year + 1, 3, 20), today)
    written_on = min(dt.date(year + 1, 3, 24), today)
    report = services.update_report_details(report=report, data={
        "title": report.title, "doc_number": f"江政呈〔{year + 1}〕8号", "signer": "",
        "recipients": "\n".join(RECIPIENTS), "signature": government.name, "written_on": written_on,
        "cc": "市委依法治市办", "printer": "江川市人民政府办公室", "printed_on": written_on,
    }, expected_version=report.version, user=coordinator)
    report = services.approve_report(report=report, approved_on=approved_on, meeting="市政府第36次常务会议",
                                     user=coordinator)
    for n, recipient in enumerate(RECIPIENTS, start=8):
        services.record_submission(report=report, recipient=recipient, doc_number=f"江政呈〔{year + 1}〕{n}号",
                                   submitted_on=written_on, user=coordinator)
    published = min(_at(dt.date(year + 1, 3, 28), 10), timezone.now())
    services.publish_report(report=report, user=coordinator, now=published)
    return [f"{year}年度完整演示（{filed} 份年终报告已审核，政府年度报告已公开）"]
