"""The unit registry: units with their aliases, and the groups that collective names expand to."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import coordinator_required
from tasks import services
from tasks.forms import AliasForm, GroupForm, UnitForm
from tasks.models import Alias, Unit, UnitGroup, UnitKind

COORDINATORS_ONLY = "只有法治办工作人员可以执行此操作。"


def _form_error(form, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


@require_GET
def unit_list(request: HttpRequest) -> HttpResponse:
    # No name is longer than 200 characters and none holds NUL; such patterns could only fail, and the
    # databases refuse them (SQLite: "pattern too complex", PostgreSQL: NUL in a literal) with a 500.
    q = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    kind = request.GET.get("kind", "")
    units = Unit.objects.prefetch_related(
        Prefetch("aliases", queryset=Alias.objects.order_by("name")),
        Prefetch("unit_groups", queryset=UnitGroup.objects.order_by("order", "name")),
    ).annotate(duty_count=Count("duties")).order_by("order", "name")  # GROUP BY drops Meta.ordering
    if q:
        aliased = Alias.objects.filter(name__icontains=q, unit__isnull=False).values("unit_id")
        units = units.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(pk__in=aliased))
    if kind in UnitKind.values:
        units = units.filter(kind=kind)
    return render(request, "tasks/unit_list.html", {
        "units": units, "q": q, "kind": kind, "kinds": UnitKind.choices,
    })


@coordinator_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(**form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已添加单位“{unit}”。")
            return redirect("tasks:unit_edit", pk=unit.pk)
    return render(request, "tasks/unit_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone may look at a unit; only coordinators may save it (checked before any write)."""
    unit = get_object_or_404(Unit, pk=pk)
    can_edit = request.user.is_coordinator
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(COORDINATORS_ONLY)
        form = UnitForm(request.POST, instance=unit)
        if form.is_valid():
            try:
                services.update_unit(unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "单位已保存。")
                return redirect("tasks:unit_edit", pk=unit.pk)
    else:
        form = UnitForm(instance=unit)
    unit = Unit.objects.prefetch_related("aliases", "unit_groups").get(pk=unit.pk)
    return render(request, "tasks/unit_form.html", {
        "form": form, "unit": unit, "can_edit": can_edit, "alias_form": AliasForm(),
    })


@coordinator_required
@require_POST
def unit_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=pk)
    return _add_alias(request, unit=unit, redirect_to=("tasks:unit_edit", unit.pk))


@coordinator_required
@require_POST
def group_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(UnitGroup, pk=pk)
    return _add_alias(request, group=group, redirect_to=("tasks:group_edit", group.pk))


def _add_alias(request: HttpRequest, *, redirect_to: tuple[str, int], unit: Unit | None = None,
               group: UnitGroup | None = None) -> HttpResponse:
    form = AliasForm(request.POST)
    if form.is_valid():
        try:
            alias = services.add_alias(name=form.cleaned_data["name"], unit=unit, group=group)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"已添加别名“{alias}”。")
    else:
        # The form's own reason (too long, NUL, empty): "please fill in" alone misled on a 101-character name.
        messages.error(request, "别名有误：" + " ".join(form.errors.get("name", ["请填写别名。"])))
    return redirect(*redirect_to)


@coordinator_required
@require_POST
def alias_delete(request: HttpRequest, pk: int) -> HttpResponse:
    alias = get_object_or_404(Alias, pk=pk)
    target = ("tasks:unit_edit", alias.unit_id) if alias.unit_id else ("tasks:group_edit", alias.group_id)
    services.remove_alias(alias=alias)
    messages.success(request, f"已删除别名“{alias.name}”。")
    return redirect(*target)


@require_GET
def group_list(request: HttpRequest) -> HttpResponse:
    groups = UnitGroup.objects.prefetch_related(
        "aliases", Prefetch("members", queryset=Unit.objects.order_by("order", "name"))
    ).annotate(item_count=Count("assignments__item", distinct=True)).order_by("order", "name")
    return render(request, "tasks/group_list.html", {"groups": groups})


@coordinator_required
@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(**form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, f"已添加单位集合“{group}”。")
            return redirect("tasks:group_edit", pk=group.pk)
    return render(request, "tasks/group_form.html", {"form": form, "can_edit": True})


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(UnitGroup, pk=pk)
    can_edit = request.user.is_coordinator
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(COORDINATORS_ONLY)
        form = GroupForm(request.POST, instance=group)
        if form.is_valid():
            data = dict(form.cleaned_data)
            members = data.pop("members")
            try:
                # One transaction: a refused membership change must not leave the new name saved on its own.
                with transaction.atomic():
                    services.update_group(group=group, **data)
                    services.set_group_members(group=group, units=members)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "单位集合已保存，引用它的未归档任务的责任单位已同步更新。")
                return redirect("tasks:group_edit", pk=group.pk)
    else:
        form = GroupForm(instance=group)
    group = UnitGroup.objects.prefetch_related("aliases", "members").get(pk=group.pk)
    return render(request, "tasks/group_form.html", {
        "form": form, "group": group, "can_edit": can_edit, "alias_form": AliasForm(),
    })
