"""Demo: last year complete, ending in the government's report, published on /public/.

Everything goes through the services, as in real use: the periods are opened, every lead and
responsible unit files, the office approves, the periods close; every unit that owes work submits its own
year-end report before the due date and the office approves it; then the report is compiled, its
文号, 主送 and 成文日期 filled in, approved at a 常务会议, submitted up and published.
Idempotent: nothing happens when the year's report already exists.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from govreport import services
from govreport.models import GovReport, Part
from reports import models as report_models
from reports import services as report_services
from reports.demo import _content, _liaison
from reports.models import PeriodKind, PeriodScope
from tasks.models import AssignmentRole, Duty, Plan, Unit, UnitKind

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
    several units and the "owed but not filed" warnings, while the demo loads quickly), and every other unit
    on its first item, so that no unit's own approved year-end report is without a body."""
    every = list(period.obligations.select_related("item", "unit").order_by("item__seq", "unit__order"))
    obligations = [ob for n, ob in enumerate(every) if ob.is_lead or n % 12 == 0]
    filing = {ob.unit_id for ob in obligations}
    for ob in every:
        if ob.unit_id not in filing:
            obligations.append(ob)
            filing.add(ob.unit_id)
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


# The units' own year-end reports: what a liaison writes in the free parts, by kind of unit. Several variants
# per kind, so that the government report's merged 存在的不足 and 下一年度安排 read as forty units' words, not one
# sentence forty times. {name} is the unit, {n} and {m} small counts that differ between units.
UNIT_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    UnitKind.GOVERNMENT: {
        "leadership": (
            "{name}主要负责人履行推进法治建设第一责任人职责，全年主持召开党组会议专题研究法治建设{n}次，"
            "将法治建设列入部门年度工作要点和班子成员述职内容。\n"
            "主要负责人带头参加集体学法，本部门重大执法决定、规范性文件和重要合同均经法制审核后集体讨论决定。",
            "{name}成立由主要负责人任组长的法治建设领导小组，明确分管领导和法规科室职责，"
            "全年听取行政执法和行政复议应诉工作汇报{n}次。\n"
            "主要负责人带头出庭应诉{m}次，在年终述职中专题报告履行法治建设职责情况。",
            "{name}主要负责人把法治建设与业务工作同部署、同检查、同考核，全年组织班子集体学法{n}次，"
            "并为本系统干部讲授法治专题课{m}次。\n"
            "对重大行政处罚和行政许可事项，主要负责人坚持听取法制审核意见后签批。",
        ),
        "problems": (
            "执法人员专业化水平与工作要求还有差距，部分一线人员对新修订法律法规掌握不够及时。",
            "案卷评查中发现个别案件说理不够充分，行政裁量权基准的适用还不够统一。",
            "普法宣传针对性不强，面向企业和群众的普法形式仍偏传统，效果评估不够。",
            "信息化手段运用不足，执法数据在部门之间共享不够，事中事后监管还有短板。",
        ),
        "next_year": (
            "制定年度执法人员培训计划，组织专题培训不少于{m}次，实现执法人员轮训全覆盖。",
            "开展执法案卷自查和交叉评查，细化行政裁量权基准并向社会公布。",
            "结合行业特点落实“谁执法谁普法”责任，推动普法进企业、进社区。",
            "推进执法数据归集共享，全面推行“双随机、一公开”监管和非现场监管。",
        ),
    },
    UnitKind.TOWN: {
        "leadership": (
            "{name}党政主要负责人认真履行法治建设第一责任人职责，全年召开党政联席会议专题研究法治建设{n}次，"
            "将法治建设成效纳入村（社区）年度考核。\n"
            "主要负责人带头开展会前学法，重大行政决策事项均经法律顾问审核后提交集体讨论。",
            "{name}主要负责人牵头推进综合行政执法改革，全年主持召开专题会议{n}次，"
            "协调解决执法力量下沉中的人员、场地和经费问题。\n"
            "主要负责人每季度接待群众来访，带头化解涉法涉诉矛盾纠纷{m}件。",
        ),
        "problems": (
            "综合行政执法改革后承接的执法事项较多，执法力量和专业能力还不相适应。",
            "村（社区）法律顾问作用发挥不够均衡，基层矛盾纠纷源头化解能力有待提升。",
        ),
        "next_year": (
            "加强综合执法队伍建设，组织承接事项专项培训，统一执法程序和文书。",
            "深化“援法议事”活动，推动村（社区）法律顾问每月驻点服务不少于{m}次。",
        ),
    },
    UnitKind.PARTY: {
        "leadership": (
            "{name}主要负责人落实党政主要负责人履行推进法治建设第一责任人职责规定，"
            "全年主持部务会议专题研究法治工作{n}次，督促本系统规范性文件备案审查和合法性审核工作。",
        ),
        "problems": ("干部运用法治思维和法治方式推动工作的能力还需提高，学法用法的制度化水平不高。",),
        "next_year": ("把习近平法治思想纳入干部教育培训必修内容，完善领导干部年度述法制度。",),
    },
    UnitKind.PARK: {
        "leadership": (
            "{name}党工委、管委会主要负责人牵头推进依法治区，全年召开专题会议{n}次，"
            "将法治化营商环境建设列入园区重点任务清单。\n"
            "主要负责人带头开展涉企检查“综合查一次”，重大招商合同坚持法律顾问全程参与审查。",
        ),
        "problems": ("涉企执法事项分散在多个部门，联合检查的统筹协调机制还不完善。",),
        "next_year": ("推行涉企行政检查计划统筹，扩大“综合查一次”覆盖面，减少对企业正常经营的干扰。",),
    },
    UnitKind.JUDICIAL: {
        "leadership": (
            "{name}主要负责人支持和推动法治政府建设，全年参加府院联动联席会议{n}次，"
            "通报行政诉讼案件情况并提出司法建议{m}份。",
        ),
        "problems": ("行政诉讼中反映出的程序瑕疵问题仍较集中，司法建议的跟踪落实机制有待健全。",),
        "next_year": ("发布年度行政审判白皮书，常态化组织行政机关负责人旁听庭审。",),
    },
    UnitKind.OTHER: {
        "leadership": ("{name}主要负责人重视法治建设，全年专题研究相关工作{n}次，推动各项任务按期落实。",),
        "problems": ("参与法治政府建设的工作机制还不够健全，与有关部门的信息沟通不够及时。",),
        "next_year": ("健全与牵头部门的工作对接机制，按时报送工作进展。",),
    },
}


def _unit_texts(unit: Unit, n: int) -> dict[str, str]:
    texts = UNIT_TEXTS.get(unit.kind, UNIT_TEXTS[UnitKind.OTHER])
    counts = {"name": unit.name, "n": 3 + n % 4, "m": 2 + n % 3}
    return {part: variants[n % len(variants)].format(**counts) for part, variants in texts.items()}


def _unit_reports(plan: Plan, coordinator: User, by_unit: dict[int, User]) -> int:
    """Every unit that owes work writes its free parts, submits before the due date and is approved through
    reports.services_annual, as in real use: no liaison opens 我的待办 on last year's report as overdue, and
    the compiler finds the 第一责任人 paragraph (the government office's) and the units' problems and plans."""
    from reports import services_annual

    government = plan.government
    office = Unit.objects.filter(name="市政府办公室").first()
    if office is not None and government.leadership_unit_id is None:
        services.update_government(government=government, data={"leadership_unit": office}, user=coordinator)
    year = plan.year
    # Lead and responsible units owe a report (配合单位 do not), as reports.annual counts them.
    owed = Duty.objects.filter(item__plan=plan).exclude(role=AssignmentRole.OTHER).values("unit_id")
    owing = list(Unit.objects.filter(pk__in=owed).order_by("order", "name"))
    due = services_annual.due_on(year)
    now = timezone.now()
    for n, unit in enumerate(owing):
        liaison = _liaison(unit, by_unit)
        data = _unit_texts(unit, n)
        if office is not None and unit.pk == office.pk:
            data["leadership"] = LEADERSHIP_TEXT
            data["problems"] = "统筹推进法治政府建设的督促检查还不够经常，部分部门落实第一责任人职责的记录不够完整。"
            data["next_year"] = "健全党政主要负责人履职记录制度，年底前完成对各部门的法治督察全覆盖。"
        services_annual.save_annual_report(unit=unit, year=year, user=liaison, expected_version=None, data=data)
        # Sent over the fortnight before the due day, approved two or three days later; never in the future
        # when the demo is loaded early in the year.
        sent = min(_at(due - dt.timedelta(days=20 - n % 14), 9 + n % 8), now)
        services_annual.submit_annual_report(unit=unit, year=year, user=liaison, now=sent,
                                             confirm_gaps=True)
        draft = report_models.AnnualReportDraft.objects.get(unit=unit, year=year)
        services_annual.approve_annual_report(draft=draft, user=coordinator,
                                              now=min(sent + dt.timedelta(days=2 + n % 2, hours=2), now))
    return len(owing)


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
    units = _unit_reports(plan, coordinator, by_unit)

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
    return [f"{year}年度完整演示（{filed} 份年终报告、{units} 个单位年度报告已审核，政府年度报告已公开）"]
