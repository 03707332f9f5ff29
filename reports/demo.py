"""Demo reporting data: a half-year period filed through the real services, and an open year-end period.

Called by ``load_demo`` after the plan and the users exist. Everything goes through
``reports.services`` so the demo has the same events, versions and lateness as real use.
Idempotent: if the half-year period already exists nothing is changed.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse

from accounts.models import Role, User
from reports import inbox, services
from reports.models import Obligation, Period, PeriodKind, PeriodScope, Report, ReportState
from tasks.models import Plan, Unit

SURNAMES = (
    "刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)

FIGURES = [
    ("开展专项检查", "次"), ("培训人次", "人次"), ("办结事项", "件"), ("覆盖率", "%"), ("发放宣传资料", "份"),
    ("审查规范性文件", "件"), ("评查执法案卷", "卷"), ("化解矛盾纠纷", "起"),
]
RETURN_COMMENTS = [
    "请补充具体工作数据，如检查次数、覆盖范围等。",
    "工作举措写得较笼统，请结合本单位实际补充典型做法。",
    "“存在问题”未填写，请补充后重新报送。",
]


def _liaison(unit: Unit, by_unit: dict[int, User]) -> User:
    """The unit's liaison; units without a demo login get one whose password nobody knows."""
    if unit.pk not in by_unit:
        surname = SURNAMES[unit.pk % len(SURNAMES)]
        user = User(username=f"demo_liaison_{unit.pk}", role=Role.LIAISON, unit=unit, last_name=surname,
                    first_name="联络员")
        user.set_unusable_password()  # hashing a random password per unit would only slow the demo down
        user.save()
        by_unit[unit.pk] = user
    return by_unit[unit.pk]


# Units' next steps vary as real ones do; a few repeat word for word on purpose, as boilerplate does, which
# the government report's compiler prints once (govreport.compiling._dedupe_sentences).
NEXT_STEPS = [
    "进一步完善工作机制，加强督促检查，确保年底前全面完成任务。",
    "下一步，{name}将对照年度目标查漏补缺，把{label}等指标纳入季度调度。",
    "总结推广基层好的做法，年内形成可复制的经验材料。",
    "{name}将加强与牵头单位的沟通对接，按时报送工作进展和佐证材料。",
    "进一步完善工作机制，加强督促检查，确保年底前全面完成任务。",
    "针对上半年发现的薄弱环节开展专项整改，明确整改时限和责任人。",
    "加大培训力度，提升一线工作人员依法履职能力。",
]


def _content(ob: Obligation, n: int) -> dict[str, object]:
    name = ob.unit.short_name or ob.unit.name
    label, unit = FIGURES[n % len(FIGURES)]
    value = 100 if unit == "%" else 12 + (n * 37) % 480
    return {
        "progress": "completed" if n % 5 == 0 else "in_progress",
        "percent": 100 if n % 5 == 0 else 40 + (n * 7) % 50,
        "measures": (f"围绕“{ob.item.title}”，{name}制定年度工作方案，明确分管领导和责任科室，"
                     "建立工作台账，按月调度推进。\n"
                     f"上半年{label}{value}{unit}，相关工作纳入年度考核。"),
        "problems": "基层工作力量相对薄弱，部分工作推进不够平衡。" if n % 3 else "",
        "next_steps": NEXT_STEPS[n % len(NEXT_STEPS)].format(name=name, label=label),
        "figures": [{"label": label, "value": value, "unit": unit}],
    }


def _aware(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=timezone.get_default_timezone())


@transaction.atomic
def load_demo_reports(*, plan: Plan, coordinator: User) -> list[str]:
    half_name = f"{plan.year}年半年报"
    if Period.objects.filter(plan=plan, name=half_name).exists():
        return []
    due = dt.date(plan.year, 7, 10)
    # The half-year round asks the lead units only (a common practice, and it keeps the demo quick to load);
    # the year-end round asks every lead and responsible unit.
    half = services.open_period(plan=plan, name=half_name, kind=PeriodKind.HALF_YEAR, due_on=due,
                                scope=PeriodScope.LEAD_ONLY, user=coordinator)
    by_unit = {u.unit_id: u for u in User.objects.filter(role=Role.LIAISON).order_by("id")}
    obligations = list(half.obligations.select_related("item", "unit").order_by("item__seq", "unit__order"))
    for n, ob in enumerate(obligations):
        bucket = n % 10
        if bucket == 9:
            continue  # not started: shows up as overdue and in the chasing list
        user = _liaison(ob.unit, by_unit)
        data = _content(ob, n)
        figures = data.pop("figures")
        report = services.start_report(obligation=ob, user=user)
        report = services.save_report(report=report, data=data, figures=figures, user=user,
                                      expected_version=report.version)
        if bucket == 8:
            continue  # a draft
        submitted_on = due + dt.timedelta(days=5) if bucket == 6 else due - dt.timedelta(days=1 + n % 6)
        report = services.submit_report(report=report, user=user, now=_aware(submitted_on, 9 + n % 8))
        if bucket <= 3 or bucket == 6:
            services.approve_report(report=report, user=coordinator)
        elif bucket == 7:
            services.return_report(report=report, user=coordinator, comment=RETURN_COMMENTS[n % len(RETURN_COMMENTS)])
    year_end = services.open_period(plan=plan, name=f"{plan.year}年年终报告", kind=PeriodKind.YEAR_END,
                                    due_on=dt.date(plan.year, 12, 10), scope=PeriodScope.ALL, user=coordinator)
    # A few units have already started their year-end drafts (pre-filled from the half-year report).
    for n, ob in enumerate(year_end.obligations.select_related("unit").order_by("item__seq", "unit__order")):
        if n % 6 == 0:
            services.start_report(obligation=ob, user=_liaison(ob.unit, by_unit))
    return [f"报送期次“{half.name}”（{len(obligations)} 项报送任务，含已审核、待审核、退回、逾期、草稿、未填报）",
            f"报送期次“{year_end.name}”"]


# The few notices a fresh demo user keeps unread: enough to show the badge and the notices page at work.
DEMO_UNREAD = 3


@transaction.atomic
def settle_demo_notices(*, keep: int = DEMO_UNREAD) -> int:
    """The demo files a year and a half of history in one go, and every step sent its notice "now": the
    coordinator would open the demo to 157 unread notices. Read, through the inbox service, everything except
    the newest ``keep`` notices per user that still ask something of that user: a report waiting for review
    (coordinators) or a report returned for changes (liaisons). Returns how many were marked read."""
    def detail_urls(state: str) -> set[str]:
        return {reverse("reports:detail", args=[pk])
                for pk in Report.objects.filter(state=state).values_list("pk", flat=True)}

    waiting, returned = detail_urls(ReportState.SUBMITTED), detail_urls(ReportState.RETURNED)
    marked = 0
    for user in User.objects.filter(notices__read_at__isnull=True).distinct().order_by("pk"):
        wanted = waiting if user.is_coordinator else returned if user.is_liaison else set()
        kept = list(user.notices.filter(read_at__isnull=True, url__in=wanted)
                    .order_by("-created_at", "-id").values_list("pk", flat=True)[:keep])
        marked += inbox.mark_all_read(user=user, keep=kept)
    return marked
