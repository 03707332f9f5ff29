"""The pages ``make bench-http`` measures through gunicorn: one row per page, easy to extend.

Each row is ``Page(name, persona, url)`` where ``url(ctx)`` builds the address from a ``BenchContext``
(the synthetic plan, period, report, … the bench found in the database) and returns ``None`` when the
page does not exist on this checkout (its URL name is not registered yet): such rows print "missing".

Adding a page is one line in ``PAGES``. The government report and assessment pages are listed at the end;
a row whose URL name does not resolve on a checkout (or whose object is not in the data) prints "missing".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

LIAISON, COORDINATOR, LEADER, ANONYMOUS = "liaison", "coordinator", "leader", "anonymous"
PERSONAS = {LIAISON: "sim_liaison_001", COORDINATOR: "sim_coordinator", LEADER: "sim_leader"}
BENCH_IMPORT_FILENAME = "bench-http.xlsx"


@dataclass
class BenchContext:
    """The objects page addresses are built from; every field is an id of synthetic data."""

    year: int
    plan: int
    period: int
    item: int
    unit: int
    report: int  # a submitted report of the current year (the review queue's kind)
    draft: int  # the liaison's own editable report (draft or returned) in an open period
    import_draft: int | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url: Callable[[BenchContext], str | None]
    # Pages measured alone but not under wrk (writes): POSTed by the driver with the form it reads first.
    write: bool = False


def _r(name: str, *args: object, query: str = "") -> str | None:
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def _named(*names: str, args: Callable[[BenchContext], tuple] = lambda c: ()) -> Callable[[BenchContext], str | None]:
    """The first of ``names`` that resolves on this checkout (for pages other branches are adding)."""
    def build(ctx: BenchContext) -> str | None:
        for name in names:
            for candidate in (args(ctx), ()):
                url = _r(name, *candidate)
                if url is not None:
                    return url
        return None
    return build


PAGES: list[Page] = [
    Page("login page (no session)", ANONYMOUS, lambda c: _r("login")),
    Page("notices (signed in, trivial)", LEADER, lambda c: _r("reports:notices")),
    Page("notices (coordinator, many)", COORDINATOR, lambda c: _r("reports:notices")),
    Page("dashboard overview", LEADER, lambda c: _r("dashboard:overview", c.period)),
    Page("dashboard units", LEADER, lambda c: _r("dashboard:units", c.period)),
    Page("dashboard matrix", LEADER, lambda c: _r("dashboard:matrix", c.period)),
    Page("dashboard item list (red)", LEADER, lambda c: _r("dashboard:items", c.period, query="light=red")),
    Page("year view", LEADER, lambda c: _r("dashboard:year", c.year)),
    Page("plan list", COORDINATOR, lambda c: _r("tasks:plan_list")),
    Page("plan page", COORDINATOR, lambda c: _r("tasks:plan_detail", c.plan)),
    Page("item search", COORDINATOR, lambda c: _r("tasks:item_search")),
    Page("item page", COORDINATOR, lambda c: _r("tasks:item_detail", c.item)),
    Page("本单位任务 (liaison)", LIAISON, lambda c: _r("tasks:my_unit_items")),
    Page("我的待办 (liaison)", LIAISON, lambda c: _r("reports:todo")),
    Page("review queue", COORDINATOR, lambda c: _r("reports:review_queue")),
    Page("report page", COORDINATOR, lambda c: _r("reports:detail", c.report)),
    Page("report edit form", LIAISON, lambda c: _r("reports:edit", c.draft)),
    Page("report save (POST)", LIAISON, lambda c: _r("reports:edit", c.draft), write=True),
    Page("audit log (last 30 days)", COORDINATOR, lambda c: _r("audit:log")),
    Page("exports (我的导出)", COORDINATOR, lambda c: _r("exports:list")),
    Page("import preview", COORDINATOR,
         lambda c: _r("tasks:import_preview", c.import_draft) if c.import_draft else None),
    # --- Pages of other branches: measured once their URL names exist (the hook for new pages). ---
    Page("government reports (list)", COORDINATOR, lambda c: _r("govreport:list")),
    Page("government report", COORDINATOR,
         lambda c: _r("govreport:detail", c.extra["govreport"]) if c.extra.get("govreport") else None),
    Page("assessment (index)", COORDINATOR, lambda c: _r("assessment:index")),
    # The assessment at 500 units × 80 items (seed_assessment): the published year's results and ranking as a
    # leader reads them, and the year under review (live scores) as the office works on it.
    Page("assessment results (published)", LEADER,
         lambda c: _r("assessment:results", c.extra["assessed"]) if c.extra.get("assessed") else None),
    Page("assessment review (live)", COORDINATOR,
         lambda c: _r("assessment:review", c.extra["reviewing"]) if c.extra.get("reviewing") else None),
]


def build_context() -> BenchContext:
    """Find (or make, for the liaison's draft and the import preview) the objects the pages need."""
    from accounts.models import User
    from dashboard.seeding import synthetic_plans
    from reports import services
    from reports.models import Obligation, Period, PeriodStatus, Report, ReportState

    year = timezone.localdate().year
    plan = synthetic_plans().filter(year=year).order_by("id").first()
    if plan is None:
        raise SystemExit("没有模拟数据：请先运行 seed_demo。")
    period = Period.objects.filter(plan=plan).order_by("-due_on").first()
    liaison = User.objects.get(username=PERSONAS[LIAISON])
    item = plan.items.order_by("seq").first()
    report = (Report.objects.filter(obligation__period=period, state=ReportState.SUBMITTED)
              .order_by("id").values_list("id", flat=True).first())
    editable = (Report.objects.filter(obligation__unit=liaison.unit, obligation__period__status=PeriodStatus.OPEN,
                                      state__in=[ReportState.DRAFT, ReportState.RETURNED])
                .order_by("id").values_list("id", flat=True).first())
    if editable is None:
        obligation = (Obligation.objects.filter(unit=liaison.unit, period__status=PeriodStatus.OPEN,
                                                report__isnull=True).order_by("id").first())
        if obligation is None:
            raise SystemExit("模拟联络员没有可编辑的报告。")
        editable = services.start_report(obligation=obligation, user=liaison).pk
    return BenchContext(year=year, plan=plan.pk, period=period.pk, item=item.pk, unit=liaison.unit_id,
                        report=report, draft=editable, import_draft=_import_draft(plan), extra=_extra())


def _extra() -> dict[str, Any]:
    """Ids for pages of optional apps (present when their branch is merged)."""
    from django.apps import apps

    extra: dict[str, Any] = {}
    if apps.is_installed("govreport"):
        extra["govreport"] = (apps.get_model("govreport", "GovReport").objects.order_by("-id")
                              .values_list("id", flat=True).first() or _compiled_govreport())
    if apps.is_installed("assessment"):
        schemes = apps.get_model("assessment", "Scheme").objects
        extra["assessed"] = schemes.filter(state="published").order_by("-year").values_list("year", flat=True).first()
        extra["reviewing"] = schemes.filter(state="review").order_by("-year").values_list("year", flat=True).first()
    return extra


def _compiled_govreport() -> int | None:
    """The synthetic government's report for this year, compiled once by the coordinator (kept, reused)."""
    from accounts.models import User
    from dashboard.seeding import synthetic_plans
    from govreport.services import compile_report
    from tasks.models import Government

    plan = synthetic_plans().filter(year=timezone.localdate().year).order_by("id").first()
    if plan is None:
        return None
    if plan.government_id is None:
        # The synthetic jurisdictions predate governments: give the first one its government (seed data, as
        # the seeder writes it), so its plans of every year belong to one reporting government.
        name = plan.issuer.removesuffix("办公室")[:100]
        government, _ = Government.objects.get_or_create(name=name, defaults={"doc_prefix": "模政呈"})
        synthetic_plans().filter(issuer=plan.issuer).update(government=government)
        plan.refresh_from_db()
    coordinator = User.objects.get(username=PERSONAS[COORDINATOR])
    return compile_report(government=plan.government, year=plan.year, user=coordinator).pk


def _import_draft(plan) -> int | None:
    """A 44-item task table naming the plan's units, started as an import by the coordinator (kept, reused)."""
    from accounts.models import User
    from fazhi import xlsx
    from tasks.importing.excel import read_task_table
    from tasks.importing.services import start_import
    from tasks.models import DocumentImport, ImportStatus

    coordinator = User.objects.get(username=PERSONAS[COORDINATOR])
    existing = (DocumentImport.objects.filter(filename=BENCH_IMPORT_FILENAME, owner=coordinator,
                                              status=ImportStatus.PENDING)
                .order_by("-id").values_list("id", flat=True).first())
    if existing:
        return existing
    workbook = xlsx.new_workbook()
    sheet = workbook.active
    xlsx.append_row(sheet, ["序号", "章节", "工作任务", "具体内容", "牵头单位", "责任单位", "完成时限"])
    for item in plan.items.select_related("chapter").prefetch_related("assignments__unit", "assignments__group"):
        names = {role: "、".join((a.unit.name if a.unit else a.group.name) for a in item.assignments.all()
                                if a.role == role) for role in ("lead", "responsible")}
        xlsx.append_row(sheet, [item.seq, item.chapter.title if item.chapter else "", item.title, item.body,
                                names["lead"], names["responsible"],
                                item.deadline.isoformat() if item.deadline else ""])
    draft = read_task_table(xlsx.to_bytes(workbook)).draft
    draft.title, draft.year = f"{plan.year + 1}年（导入测试）法治政府建设工作要点", plan.year + 1
    return start_import(user=coordinator, source="xlsx", filename=BENCH_IMPORT_FILENAME, draft=draft).pk
