"""Screens for plans, chapters and work items. Everyone signed in reads; coordinators edit."""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import coordinator_required
from fazhi.forms import IdField, QueryForm
from fazhi.fragments import cached_part, render_part
from fazhi.listcache import cached_list, field_values, page_key
from fazhi.paging import COUNT_CAP, bounded_page
from tasks import services
from tasks.cachekeys import registry_version
from tasks.excel import export_plan
from tasks.filters import WorkItemFilter
from tasks.forms import ALL_YEARS, ChapterForm, ItemForm, PlanForm, PlanListForm
from tasks.models import AssignmentRole, Chapter, Duty, Plan, Unit, WorkItem

ITEMS_PER_PAGE = 20
PAGE_CACHE_SECONDS = 60 * 60


class IdQuery(QueryForm):
    """The ids the registry pages take from the query string (bounded: "²" or 25 nines are ignored)."""

    chapter = IdField()
    unit = IdField()
    year = forms.IntegerField(required=False, min_value=1900, max_value=2200)


def _form_error(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


# --- Plans --------------------------------------------------------------------------------------------

@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    # Scoped to one year (the current one, else the latest) and paged: the list of every plan ever made grew
    # with each year and jurisdiction. "全部年度" lists them all, 50 a page. The body (filters, counts, rows) is
    # rendered once per registry version, role and query (fazhi.listcache); the years and the default year
    # follow the registry and today's year, both in the key.
    this_year = timezone.localdate().year
    version = registry_version()
    coordinator = request.user.is_coordinator

    def render_body():
        years = list(Plan.objects.order_by("-year").values_list("year", flat=True).distinct())
        default_year = this_year if this_year in years else (years[0] if years else None)
        form = PlanListForm(request.GET or None, years=years, default_year=default_year,
                            initial={"year": str(default_year) if default_year else ALL_YEARS})
        plans = form.filter(Plan.objects.with_counts().defer("source_text"))
        page = bounded_page(plans, request.GET.get("page"), count_cap=COUNT_CAP)
        return render_part("tasks/_plan_list_body.html", {
            "plans": page.object_list, "page": page, "form": form, "user": request.user}), page

    body, page = cached_list(request, (
        "plan-list", version, this_year, "c" if coordinator else "r", bool(request.GET),
        field_values(request.GET, PlanListForm.base_fields), page_key(request.GET.get("page"))), render_body)
    return render(request, "tasks/plan_list.html", {"body": body, "page": page})


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.defer("source_text"), pk=pk)
    # Every item with its lead and responsible units (hundreds of names): rendered once per registry version
    # and role, then served from the cache (README "Dashboards and performance").
    coordinator = request.user.is_coordinator
    key = f"fazhi:plan-page:{plan.pk}:r{registry_version()}:{'c' if coordinator else 'r'}"
    body = cache.get(key)
    if body is None:
        chapters = list(plan.chapters.all())
        items = list(plan.items.with_assignments().order_by("chapter__seq", "seq"))
        by_chapter = {key: list(group) for key, group in groupby(items, key=lambda i: i.chapter_id)}
        sections = [(chapter, by_chapter.get(chapter.pk, [])) for chapter in chapters]
        body = render_to_string("tasks/_plan_detail_body.html", {
            "plan": plan, "sections": sections, "loose_items": by_chapter.get(None, []), "item_count": len(items),
            "user": request.user,
        })
        cache.set(key, body, PAGE_CACHE_SECONDS)
    return render(request, "tasks/plan_detail.html", {"plan": plan, "body": mark_safe(body)})


@coordinator_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已创建“{plan.title}”。下一步：添加章节和工作任务。")
            return redirect("tasks:plan_detail", pk=plan.pk)
    return render(request, "tasks/plan_form.html", {"form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_plan(plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "工作要点已保存。")
            return redirect("tasks:plan_detail", pk=plan.pk)
    return render(request, "tasks/plan_form.html", {"form": form, "plan": plan})


@coordinator_required
@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    if request.method == "POST":
        try:
            services.delete_plan(plan=plan)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("tasks:plan_detail", pk=plan.pk)
        messages.success(request, f"已删除“{plan.title}”。")
        return redirect("tasks:plan_list")
    return render(request, "tasks/confirm_delete.html", {
        "object": plan, "what": "工作要点", "cancel_url": plan.get_absolute_url(),
        "consequence": f"其中的 {plan.chapters.count()} 个章节和 {plan.items.count()} 项工作任务将一并删除。",
    })


@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=pk)
    response = HttpResponse(
        export_plan(plan),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{plan.year}年任务分解表-{plan.pk}.xlsx")
    return response


# --- Chapters -----------------------------------------------------------------------------------------

@coordinator_required
@require_http_methods(["GET", "POST"])
def chapter_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_pk)
    form = ChapterForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            chapter = services.create_chapter(plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已添加章节“{chapter}”。")
            return redirect(f"{plan.get_absolute_url()}#chapter-{chapter.pk}")
    return render(request, "tasks/chapter_form.html", {"form": form, "plan": plan})


@coordinator_required
@require_http_methods(["GET", "POST"])
def chapter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=pk)
    form = ChapterForm(request.POST or None, instance=chapter, plan=chapter.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_chapter(chapter=chapter, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "章节已保存。")
            return redirect(f"{chapter.plan.get_absolute_url()}#chapter-{chapter.pk}")
    return render(request, "tasks/chapter_form.html", {"form": form, "plan": chapter.plan, "chapter": chapter})


@coordinator_required
@require_http_methods(["GET", "POST"])
def chapter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    chapter = get_object_or_404(Chapter.objects.select_related("plan"), pk=pk)
    plan = chapter.plan
    if request.method == "POST":
        try:
            services.delete_chapter(chapter=chapter)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已删除章节“{chapter}”。")
        return redirect("tasks:plan_detail", pk=plan.pk)
    return render(request, "tasks/confirm_delete.html", {
        "object": chapter, "what": "章节", "cancel_url": plan.get_absolute_url(),
        "consequence": "只能删除没有工作任务的章节。",
    })


# --- Items --------------------------------------------------------------------------------------------

@require_GET
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # The item with its units and expanded duties (dozens of unit names) is rendered once per registry version
    # and viewer scope: coordinators see the edit buttons, a unit's own duties are framed ("mine").
    title = WorkItem.objects.filter(pk=pk).values_list("title", flat=True).first()
    if title is None:
        raise Http404("没有这项工作任务。")
    user = request.user
    unit_id = getattr(user, "unit_id", None)

    def render_body() -> str:
        item = get_object_or_404(WorkItem.objects.with_assignments(), pk=pk)
        duties = list(item.duties.select_related("unit"))
        lead = [d for d in duties if d.role == AssignmentRole.LEAD]
        responsible = [d for d in duties if d.role == AssignmentRole.RESPONSIBLE]
        return render_part("tasks/_item_detail_body.html", {
            "item": item,
            "plan": item.plan,
            "lead_duties": lead,
            "responsible_duties": responsible,
            "other_duties": [d for d in duties if d.role == AssignmentRole.OTHER],
            "reporting_count": len(lead) + len(responsible),
            "user": user,
        })

    body = cached_part(request, ("item-page", pk, registry_version(), "c" if user.is_coordinator else "r",
                                 unit_id or "-"), render_body)
    return render(request, "tasks/item_detail.html", {"title": title, "body": body})


@coordinator_required
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan, pk=plan_pk)
    initial = {}
    chapter_pk = IdQuery.read(request.GET)["chapter"]
    if chapter_pk:
        initial["chapter"] = chapter_pk
    form = ItemForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已添加工作任务“{item}”。")
            return redirect("tasks:item_detail", pk=item.pk)
    return render(request, "tasks/item_form.html", {"form": form, "plan": plan})


@coordinator_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(WorkItem.objects.with_assignments(), pk=pk)
    form = ItemForm(request.POST or None, instance=item, plan=item.plan)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        assignments = {role: data.pop(role) for role in AssignmentRole.values}
        try:
            # One transaction: a refused assignment must not leave the item's new text saved on its own.
            with transaction.atomic():
                services.update_item(item=item, **data)
                services.set_item_assignments(item=item, **assignments)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "工作任务已保存，责任单位已同步。")
            return redirect("tasks:item_detail", pk=item.pk)
    return render(request, "tasks/item_form.html", {"form": form, "plan": item.plan, "item": item})


@coordinator_required
@require_http_methods(["GET", "POST"])
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(WorkItem.objects.select_related("plan"), pk=pk)
    if request.method == "POST":
        try:
            services.delete_item(item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("tasks:item_detail", pk=item.pk)
        messages.success(request, f"已删除工作任务“{item}”。")
        return redirect("tasks:plan_detail", pk=item.plan_id)
    return render(request, "tasks/confirm_delete.html", {
        "object": item, "what": "工作任务", "cancel_url": item.get_absolute_url(),
        "consequence": "其分工和展开的责任单位将一并删除。",
    })


@require_GET
def item_search(request: HttpRequest) -> HttpResponse:
    # Invalid values are reported on the form and ignored, so a stale shared link still shows results. The body
    # (filters with their option lists, count, rows) is rendered once per registry version and query.
    def render_body():
        filterset = WorkItemFilter(request.GET, queryset=WorkItem.objects.with_assignments())
        page = bounded_page(filterset.qs.order_by("-plan__year", "plan_id", "seq"), request.GET.get("page"),
                            per_page=ITEMS_PER_PAGE, count_cap=COUNT_CAP)
        return render_part("tasks/_item_search_body.html", {"filter": filterset, "page": page}), page

    body, page = cached_list(request, (
        "item-search", registry_version(), field_values(request.GET, WorkItemFilter.base_filters),
        page_key(request.GET.get("page"))), render_body)
    return render(request, "tasks/item_search.html", {"body": body, "page": page})


@require_GET
def my_unit_items(request: HttpRequest) -> HttpResponse:
    """本单位任务: every item the unit owes work on, directly or through a group, newest plan first."""
    unit = request.user.unit if request.user.is_liaison else None
    unit_pk = IdQuery.read(request.GET)["unit"]
    if unit is None and unit_pk:
        unit = Unit.objects.filter(pk=unit_pk).first()
    context: dict = {"unit": unit, "units": Unit.objects.active() if not request.user.is_liaison else None}
    if unit is not None:
        # One year at a time (the current one, else the latest), each rendered once per registry version: the
        # unit's items of every year were hundreds of rows with all their units on every visit.
        years = cache.get_or_set(f"fazhi:unit-years:{unit.pk}:r{registry_version()}", lambda: list(
            Plan.objects.filter(items__duties__unit=unit).order_by("-year").values_list("year", flat=True)
            .distinct()), PAGE_CACHE_SECONDS)
        asked = IdQuery.read(request.GET)["year"]
        this_year = timezone.localdate().year
        year = asked if asked in years else (this_year if this_year in years or not years else years[0])
        key = f"fazhi:unit-items:{unit.pk}:{year}:r{registry_version()}"
        body = cache.get(key)
        if body is None:
            role = Duty.objects.filter(item=OuterRef("pk"), unit=unit).values("role")[:1]
            items = list(
                WorkItem.objects.with_assignments().filter(duties__unit=unit, plan__year=year)
                .annotate(unit_role=Subquery(role)).order_by("plan_id", "seq")
            )
            plans = [(plan, list(group)) for plan, group in groupby(items, key=lambda i: i.plan)]
            body = render_to_string("tasks/_my_unit_items_body.html", {
                "unit": unit, "plans": plans, "item_count": len(items), "year": year,
                "lead_count": sum(1 for i in items if i.unit_role == AssignmentRole.LEAD),
            })
            cache.set(key, body, PAGE_CACHE_SECONDS)
        context.update(years=years, year=year, body=mark_safe(body))
    return render(request, "tasks/my_unit_items.html", context)
