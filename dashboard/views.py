"""Leaders' dashboards. Read-only pages for every signed-in role; report details stay in ``reports``.

Each view runs a fixed number of queries (see ``queries``) and can hand back what it shows as .xlsx
(``?export=xlsx``). Filters live in the URL: the period in the path, chapter and unit kind in the query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Subquery, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from dashboard import queries, summaries
from dashboard.export import xlsx_response
from dashboard.forms import GoForm, ItemListForm, ObligationListForm, UnitsForm
from dashboard.lights import LEGEND, Light
from dashboard.links import report_url
from dashboard.queries import STATUS_LABELS, Scope
from fazhi.fragments import cached_part, cached_parts, render_part
from govreport.cachekeys import govreport_version
from govreport.deadlines import pending_deadlines
from reports.cachekeys import REGISTRY_KEY, part_versions, period_key, reports_version, unit_drafts_key
from reports.models import Period, ProgressStatus, Report, ReportState
from tasks.cachekeys import registry_version
from tasks.models import Chapter, Plan, UnitKind, WorkItem

SYNTHETIC_ISSUER_PREFIX = "（模拟）"
VIEWS = {
    "overview": "dashboard:overview",
    "units": "dashboard:units",
    "matrix": "dashboard:matrix",
    "trends": "dashboard:trends",
}


def _today() -> dt.date:
    return timezone.localdate()


def _period(period_id: int) -> Period:
    return get_object_or_404(Period.objects.select_related("plan"), pk=period_id)


def _wants_xlsx(request: HttpRequest) -> bool:
    return request.GET.get("export") == "xlsx"


def _nav(request: HttpRequest, period: Period, view: str, scope: Scope, export: dict | None = None,
         body: tuple[list[object], Callable[[dict], str]] | None = None, deadlines: bool = False) -> dict:
    """What a period page's template needs: ``head`` (title, filters, view tabs; on the overview also the
    government reports' deadline notice) and ``body`` (the page's own part, ``(key parts, render(base))``),
    both cached as rendered HTML and read in one cache round trip. ``deadlines``: the overview's notice.

    The head is the same for every viewer and has no form that posts; it is keyed by the global reports version
    (bumped by every report transition and every period opened, closed or synced: the period lists and
    statuses), the registry version (plans and chapters added or renamed) and, with the notice, the government
    reports' version and the day. ``export`` holds the page's *cleaned* filters, which the export link keeps."""
    base = {"period": period, "plan": period.plan, "scope": scope, "scope_query": urlencode(scope.as_query()),
            "view": view, "legend": LEGEND}
    export_query = urlencode({**scope.as_query(), **{k: str(v) for k, v in (export or {}).items() if v},
                              "export": "xlsx"})
    head_key: list[object] = ["dash-head", period.pk, view, scope.key, export_query, reports_version(),
                              registry_version()]
    deadlines_day = timezone.localdate() if deadlines else None
    if deadlines_day:
        head_key += [govreport_version(), deadlines_day.isoformat()]

    def head() -> str:
        html = render_part("dashboard/_head.html", _head_context(period, view, scope, export_query))
        if deadlines_day:
            html += render_part("govreport/_dashboard_deadlines.html", {"rows": pending_deadlines(deadlines_day)})
        return html

    parts: dict[str, tuple[list[object], Callable[[], str]]] = {"head": (head_key, head)}
    if body is not None:
        body_key, render_body = body
        parts["body"] = (body_key, lambda: render_body(base))
    return {**base, **cached_parts(request, parts)}


def _head_context(period: Period, view: str, scope: Scope, export_query: str) -> dict:
    plan = period.plan
    query = urlencode(scope.as_query())
    periods = list(plan.periods.order_by("due_on", "id").values("id", "name", "due_on"))
    # The next round beside this one: a leader reading the half-year sees when the year-end is due.
    next_period = next((p for p in periods if p["due_on"] > period.due_on), None)
    if next_period:
        next_period["url"] = reverse(VIEWS.get(view, "dashboard:overview"), args=[next_period["id"]])
    return {
        "period": period,
        "plan": plan,
        "scope": scope,
        "scope_query": query,
        "view": view,
        "years": list(Plan.objects.filter(periods__isnull=False).order_by("-year").values_list("year", flat=True)
                      .distinct()),
        "plans": list(Plan.objects.filter(year=plan.year, periods__isnull=False).distinct()
                      .order_by("issuer", "title").values("id", "title")),
        "periods": periods,
        "next_period": next_period,
        "chapters": list(Chapter.objects.filter(plan=plan).order_by("seq")),
        "kinds": UnitKind.choices,
        "legend": LEGEND,
        "tabs": [
            ("overview", "总览", reverse("dashboard:overview", args=[period.pk])),
            ("units", "单位", reverse("dashboard:units", args=[period.pk])),
            ("matrix", "矩阵", reverse("dashboard:matrix", args=[period.pk])),
            ("trends", "趋势", reverse("dashboard:trends", args=[period.pk])),
            ("year", f"{plan.year}年全部", reverse("dashboard:year", args=[plan.year])),
        ],
        "export_query": export_query,
    }


def _has_filings() -> Exists:
    """Whether a period has a filed report: an EXISTS that stops at the first one (obligation → report indexes)."""
    return Exists(Report.objects.filter(obligation__period=OuterRef("pk"), state__in=ReportState.FILED))


def _current_period_id() -> int | None:
    """The current plan (newest year first; synthetic benchmark plans last) and, of its few periods, the latest
    that has filings, else its latest. One query; the EXISTS runs for the current plan's periods only."""
    current_plan = (
        Period.objects.annotate(synthetic=Case(When(plan__issuer__startswith=SYNTHETIC_ISSUER_PREFIX, then=Value(1)),
                                               default=Value(0), output_field=IntegerField()))
        .order_by("synthetic", "-plan__year", "-plan__issued_on", "-plan_id").values("plan_id")[:1]
    )
    return (
        Period.objects.filter(plan_id=Subquery(current_plan)).annotate(filed=_has_filings())
        .order_by("-filed", "-due_on", "-id").values_list("id", flat=True).first()
    )


def current_period_id() -> int | None:
    """Where the dashboard opens: a year-end round with nothing filed yet would show an empty page while the
    half-year's figures exist. Cached under the global reports version (bumped by every report transition and
    every period opened, closed or synced) and the registry version (plans added, renamed or deleted), so a
    request costs one or two cache reads and the query runs once after a change."""
    key = f"fazhi:dash:current-period:r{reports_version()}:g{registry_version()}"
    period_id = cache.get(key)
    if period_id is None:
        period_id = _current_period_id() or 0
        cache.set(key, period_id, summaries.CACHE_SECONDS)
    return period_id or None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    period_id = current_period_id()
    if period_id is None:
        return render(request, "dashboard/empty.html")
    return redirect("dashboard:overview", period_id=period_id)


@require_GET
def go(request: HttpRequest) -> HttpResponse:
    """Target of the filter form: picks the period from year / plan / period and keeps the other filters."""
    query = GoForm.read(request.GET)
    view = query["view"] or "overview"
    periods = Period.objects.all()
    year, plan_id, period_id = query["year"], query["plan"], query["period"]
    if view == "year" and year:
        return redirect("dashboard:year", year=year)
    candidates = []
    if period_id and plan_id:
        candidates.append(periods.filter(pk=period_id, plan_id=plan_id))
    # A plan or a year chosen without a period opens, as the home page does, the latest period with filings.
    if plan_id:
        candidates.append(periods.filter(plan_id=plan_id).annotate(filed=_has_filings())
                          .order_by("-filed", "-due_on", "-id"))
    if year:
        candidates.append(periods.filter(plan__year=year).annotate(filed=_has_filings())
                          .order_by("-plan__issued_on", "-plan_id", "-filed", "-due_on", "-id"))
    period = next((p for p in (c.first() for c in candidates) if p is not None), None)
    if period is None:
        return redirect("dashboard:home")
    scope = Scope.from_query(request.GET)
    # A chapter of another plan would silently empty the page: drop it when the plan changed.
    if scope.chapter and not Chapter.objects.filter(pk=scope.chapter, plan_id=period.plan_id).exists():
        scope = Scope(kind=scope.kind)
    url = reverse(VIEWS.get(view, "dashboard:overview"), args=[period.pk])
    query = urlencode(scope.as_query())
    return redirect(f"{url}?{query}" if query else url)


def _body_key(kind: str, period: Period, today: dt.date, scope: Scope, *parts: object) -> list[object]:
    """A period page's body is what the period's reports show on a given day (lights change at midnight),
    with the registry's names: keyed by the period version, which every report transition and period change
    bumps, and the registry version (a renamed unit, item or chapter)."""
    period_v, registry_v = part_versions(period_key(period.pk), REGISTRY_KEY)
    return [f"dash-{kind}", period.pk, period_v, registry_v, today.isoformat(), scope.key, *parts]


@require_GET
def overview(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    today = _today()
    if _wants_xlsx(request):
        data = summaries.overview(period, today, scope)
        return xlsx_response(f"{period.plan.title}-{period.name}-总览", [
            ("状态", ["状态", "事项数", "占比%", "规则"],
             [(x["label"], x["count"], x["share"], x["rule"]) for x in data["lights"]]),
            ("分章完成", ["章节", "事项", "已完成", "推进中", "尚未报送", "逾期或滞后", "完成率%"],
             [(c["label"], c["total"], c["green"], c["yellow"], c["grey"], c["red"], c["done_pct"])
              for c in data["chapters"]]),
            ("报送", ["指标", "数值"], [
                ("应报", data["ob"]["n_owed"]), ("已报送", data["ob"]["n_filed"]),
                ("按时报送", data["ob"]["n_on_time"]), ("报送率%", data["filed_rate"]),
                ("按时报送率%", data["on_time_rate"]),
            ]),
            ("红灯清单", ["事项", "牵头单位", "原因", "逾期天数"],
             [(r["label"], "、".join(r["leads"]), r["reason"], r["days"]) for r in data["red_list"]]),
        ])
    def body(base: dict) -> str:
        data = summaries.overview(period, today, scope)
        chart = {
            "lights": [{"name": x["label"], "value": x["count"], "light": x["light"]} for x in data["lights"]],
            "chapters": [{"name": c["label"], "done": c["done_pct"]} for c in data["chapters"]],
        }
        approved = [dict(a, url=report_url(a["report_id"])) for a in data["approved"]]
        return render_part("dashboard/_overview_body.html", {
            **base, "data": data, "chart": chart, "approved": approved, "today": today})

    # The same figures for every viewer (report links go to reports:detail, which checks access).
    return render(request, "dashboard/overview.html",
                  _nav(request, period, "overview", scope, body=(_body_key("overview", period, today, scope), body),
                       deadlines=True))


@require_GET
def units(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    sort = UnitsForm.read(request.GET)["sort"] or "rank"
    columns = ["owed", "filed", "on_time", "approved", "returned", "completed"]
    today = _today()
    if _wants_xlsx(request):
        rows = summaries.units(period, today, scope, sort, columns)
        return xlsx_response(f"{period.plan.title}-{period.name}-单位", [(
            "单位", ["排名", "单位", "类别", *[STATUS_LABELS[c] for c in columns], "报送率%", "按时报送率%"],
            [(r["rank"], r["name"], r["kind"], *[c["value"] for c in r["cells"]], r["filed_rate"], r["on_time_rate"])
             for r in rows],
        )])
    def body(base: dict) -> str:
        return render_part("dashboard/_units_body.html", {
            **base, "rows": summaries.units(period, today, scope, sort, columns),
            "columns": [{"status": c, "label": STATUS_LABELS[c]} for c in columns],
            "sort": sort, "ranking_text": queries.RANKING_TEXT,
            "obligations_url": reverse("dashboard:obligations", args=[period.pk]),
        })

    return render(request, "dashboard/units.html", _nav(
        request, period, "units", scope, {"sort": sort if sort != "rank" else ""},
        body=(_body_key("units", period, today, scope, sort), body)))


@require_GET
def matrix(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    today = _today()
    user = request.user
    own_unit = user.unit_id if getattr(user, "is_liaison", False) else None
    if _wants_xlsx(request):
        items, grid = _matrix_grid(period, today, scope, user)
        names = dict(Light.choices)
        return xlsx_response(f"{period.plan.title}-{period.name}-矩阵", [(
            "矩阵", ["单位", *[f"{i['number']}{i['title']}" for i in items]],
            [(r["name"], *[("" if c is None else ("★" if c["lead"] else "") + names[c["light"]]) for c in r["cells"]])
             for r in grid],
        )])
    def body(base: dict) -> str:
        items, grid = _matrix_grid(period, today, scope, user)
        return render_part("dashboard/_matrix_body.html", {
            **base, "items": items, "grid": grid, "n_units": len(grid), "n_items": len(items)})

    # The matrix (thousands of cells) is rendered once per period version; liaisons get their own copy
    # because their tooltips carry their own unit's summaries only, and their own drafts (whose saves leave
    # the period version alone: reports.services._move) under the unit's drafts version.
    viewer = (own_unit, part_versions(unit_drafts_key(own_unit))[0]) if own_unit else "all"
    return render(request, "dashboard/matrix.html", _nav(
        request, period, "matrix", scope, body=(_body_key("matrix", period, today, scope, viewer), body)))


def _matrix_grid(period: Period, today: dt.date, scope: Scope, user) -> tuple[list, list]:
    """The matrix; a cell shows a report only where ``user`` may read it (the cache key follows the same
    split: each liaison's unit, or everyone else). A liaison reads other units' states, not their text."""
    own_unit = user.unit_id if getattr(user, "is_liaison", False) else None
    items = WorkItem.objects.filter(plan_id=period.plan_id).order_by("seq")
    if scope.chapter:
        items = items.filter(chapter_id=scope.chapter)
    items = list(items.values("id", "number", "title"))
    cells = {(c["unit_id"], c["item_id"]): c for c in queries.matrix_cells(period, today, scope, user=user)}
    unit_rows = list(queries.period_obligations(period, scope).order_by("unit__order", "unit__name")
                     .values_list("unit_id", "unit__name", "unit__short_name").distinct())
    states = dict(ReportState.choices)
    progress = dict(ProgressStatus.choices)
    grid = []
    for unit_id, name, short in unit_rows:  # arranging fetched cells for display, not aggregating
        row = []
        for item in items:
            c = cells.get((unit_id, item["id"]))
            if c is None:
                row.append(None)
                continue
            tip = [f"{short or name} · {item['number']}{item['title'][:24]}"]
            if c["seen__id"]:
                tip.append(f"{states.get(c['seen__state'], '')} · {progress.get(c['seen__progress'], '')}"
                           f" · {c['seen__percent']}%")
                if c["seen__is_late"]:
                    tip.append("逾期报送")
                if c["summary"] and (own_unit is None or own_unit == unit_id):
                    tip.append(c["summary"])
            else:
                tip.append("未填报")
            row.append({
                "light": c["light"], "lead": c["role"] == "lead", "tip": "\n".join(tip),
                "url": report_url(c["seen__id"]), "returned": c["seen__state"] == ReportState.RETURNED,
            })
        grid.append({"unit_id": unit_id, "name": short or name, "cells": row})
    return items, grid


@require_GET
def trends(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    data = summaries.trends(period, _today())
    if _wants_xlsx(request):
        return xlsx_response(f"{period.plan.title}-{period.name}-趋势", [
            ("按周", ["周起始日", "新报送", "累计报送", "累计报送率%", "新完成", "累计完成", "累计完成率%"],
             [(w["week"], w["filed"], w["filed_cum"], w["filed_pct"], w["done"], w["done_cum"], w["done_pct"])
              for w in data["weeks"]]),
            ("历年同期", ["年度", "应报", "报送率%", "按时报送率%", "完成率%"],
             [(y["year"], y["owed"], y["filed_pct"], y["on_time_pct"], y["completed_pct"]) for y in data["years"]]),
        ])
    chart = {
        "weeks": [w["week"].isoformat() for w in data["weeks"]],
        "filed_pct": [w["filed_pct"] for w in data["weeks"]],
        "done_pct": [w["done_pct"] for w in data["weeks"]],
        "years": [str(y["year"]) for y in data["years"]],
        "year_filed": [y["filed_pct"] for y in data["years"]],
        "year_on_time": [y["on_time_pct"] for y in data["years"]],
        "year_done": [y["completed_pct"] for y in data["years"]],
    }
    return render(request, "dashboard/trends.html", {
        **_nav(request, period, "trends", scope), "data": data, "chart": chart,
    })


@require_GET
def year(request: HttpRequest, year: int) -> HttpResponse:
    today = _today()
    if _wants_xlsx(request):
        cards = summaries.year_overview(year, today)
        if not cards and not Plan.objects.filter(year=year).exists():
            raise Http404("该年度没有工作要点。")
        return xlsx_response(f"{year}年全部工作要点", [(
            "全部工作要点", ["印发机关", "工作要点", "期次", "事项", "已完成", "推进中", "尚未报送", "逾期或滞后",
                       "报送率%", "按时报送率%"],
            [(c["issuer"], c["plan"], c["period"], c["items_total"], c["lights"]["green"], c["lights"]["yellow"],
              c["lights"]["grey"], c["lights"]["red"], c["filed_pct"], c["on_time_pct"]) for c in cards],
        )])

    def body() -> str:
        prepared = summaries.year_periods(year)
        # The rendered rows and totals are cached under every period's version: after a transition in one plan
        # the others' cards come from the cache and only the rows are rendered again.
        key = summaries.year_digest(year, today, prepared)
        page = cache.get(key)
        if page is None:
            cards = summaries.year_overview(year, today, prepared)
            page = {"rows": render_to_string("dashboard/_year_rows.html", {"cards": cards}),
                    "totals": summaries.year_totals(cards), "plan_count": len(cards)}
            cache.set(key, page, summaries.CACHE_SECONDS)
        if not page["plan_count"] and not Plan.objects.filter(year=year).exists():
            raise Http404("该年度没有工作要点。")
        years = list(Plan.objects.filter(periods__isnull=False).order_by("-year").values_list("year", flat=True)
                     .distinct())
        return render_part("dashboard/_year_body.html", {
            "year": year, "rows": mark_safe(page["rows"]), "totals": page["totals"],  # rendered by the template
            "plan_count": page["plan_count"], "years": years, "legend": LEGEND, "today": today,
            "export_query": urlencode({"export": "xlsx"}),
        })

    # The whole body under the global reports version (every transition, every period opened or closed: the
    # year's cards and the year selector) and the registry version (plans added, renamed or deleted): one cache
    # read when nothing changed, the per-plan cards above when something did.
    content = cached_part(request, ["dash-year", year, today.isoformat(), reports_version(), registry_version()],
                          body)
    return render(request, "dashboard/year.html", {"year": year, "body": content})


def _page_key(raw: str | None) -> str:
    """What ``Paginator.get_page`` makes of ``?page=``: a number, else page 1; past the end (or below 1), the
    last page. Bounded, so odd values cannot mint unbounded cache keys."""
    try:
        number = int(raw or 1)
    except (TypeError, ValueError):
        return "1"
    return str(number) if 1 <= number <= 1000 else "last"


@require_GET
def item_list(request: HttpRequest, period_id: int) -> HttpResponse:
    """Drill-down: the items behind a light count (optionally one chapter)."""
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    today = _today()
    light = ItemListForm.read(request.GET)["light"] or ""
    page_key = _page_key(request.GET.get("page"))

    def rows_of(listed: list) -> list[dict]:
        leads = queries.lead_units(period, [i.pk for i in listed])
        names = dict(Light.choices)
        return [{"item": i, "leads": leads.get(i.pk, []), "light_label": names[i.light]} for i in listed]

    def items():
        qs = queries.items_for_dashboard(period, today, scope).select_related("chapter").order_by("seq")
        return qs.filter(light=light) if light else qs

    if _wants_xlsx(request):
        rows = rows_of(list(items()))
        names = dict(Light.choices)
        return xlsx_response(f"{period.plan.title}-{period.name}-事项", [(
            "事项", ["编号", "事项", "章节", "牵头单位", "状态", "应报", "已报送", "完成时限"],
            [(r["item"].number, r["item"].title, str(r["item"].chapter or ""), "、".join(r["leads"]),
              names[r["item"].light], r["item"].n_owed, r["item"].n_filed, r["item"].deadline) for r in rows],
        )])
    def body(base: dict) -> str:
        page = Paginator(items(), 100).get_page(request.GET.get("page"))
        return render_part("dashboard/_item_list_body.html", {
            **base, "rows": rows_of(list(page.object_list)), "page": page, "light": light,
            "light_label": dict(Light.choices).get(light, "全部"),
            "filter_query": urlencode({**scope.as_query(), **({"light": light} if light else {})}),
        })

    return render(request, "dashboard/item_list.html", _nav(
        request, period, "overview", scope, {"light": light},
        body=(_body_key("items", period, today, scope, light, page_key), body)))


@require_GET
def obligation_list(request: HttpRequest, period_id: int) -> HttpResponse:
    """Drill-down: the obligations behind a unit-view or overview figure."""
    period = _period(period_id)
    scope = Scope.from_query(request.GET)
    query = ObligationListForm.read(request.GET)
    status = query["status"] if query["status"] in STATUS_LABELS else "owed"
    unit, item = query["unit"], query["item"]
    qs = queries.obligation_list(period, scope, status=status, unit=unit, item=item, today=_today(),
                                 user=request.user)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    if _wants_xlsx(request):
        rows = [{"ob": ob, "report": getattr(ob, "seen", None)} for ob in qs]
        return xlsx_response(f"{period.plan.title}-{period.name}-{STATUS_LABELS[status]}", [(
            "报送任务", ["事项", "单位", "角色", "报送状态", "推进状态", "报送时间", "逾期报送"],
            [(str(r["ob"].item), r["ob"].unit.name, r["ob"].get_role_display(),
              r["report"].get_state_display() if r["report"] else "未填报",
              r["report"].get_progress_display() if r["report"] else "",
              timezone.localtime(r["report"].submitted_at).strftime("%Y-%m-%d %H:%M")
              if r["report"] and r["report"].submitted_at else "",
              "是" if r["report"] and r["report"].is_late else "") for r in rows],
        )])
    rows = []
    for ob in page.object_list:
        report = getattr(ob, "seen", None)  # unset when the obligation has no report the user may read
        rows.append({"ob": ob, "report": report, "url": report_url(report.pk if report else None)})
    keep = {**scope.as_query(), "status": status}
    if unit:
        keep["unit"] = str(unit)
    if item:
        keep["item"] = str(item)
    return render(request, "dashboard/obligation_list.html", {
        **_nav(request, period, "units", scope, {"status": status, "unit": unit, "item": item}), "rows": rows,
        "page": page, "status": status,
        "status_label": STATUS_LABELS[status], "filter_query": urlencode(keep),
    })
