"""Schemes: list, create or copy, edit the tree, categories and members, move through the flow, files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from assessment import access, documents, services, workbook
from assessment.forms import (
    CategoryForm,
    IndicatorForm,
    MembershipForm,
    MoveForm,
    SchemeCreateForm,
    SchemeImportForm,
    SchemeSettingsForm,
)
from assessment.models import Indicator, Scheme, SchemeState
from assessment.rules import RULE_TEXTS, rule_text
from assessment.views import _form_error
from fazhi.fragments import CSRF_PLACEHOLDER, cached_part, render_part
from tasks.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def index(request: HttpRequest) -> HttpResponse:
    viewer = access.standing(request.user)
    schemes = list(viewer.schemes)
    manage = access.can_manage(request.user)
    form = None
    if manage and request.method == "POST":
        form = SchemeCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["copy_from"]:
                    scheme = services.copy_scheme(source=data["copy_from"], year=data["year"], name=data["name"])
                else:
                    scheme = services.create_scheme(year=data["year"], name=data["name"])
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"已创建{scheme.year}年度考核方案。")
                return redirect("assessment:scheme", scheme.year)
    elif request.method == "POST":
        raise PermissionDenied("只有法治办工作人员可以创建考核方案。")
    # The viewer's own links: the unit's memberships, the scorer's grants (from the cached standing).
    own, scored = set(viewer.own), set(viewer.scored)

    def body(bound: SchemeCreateForm | None = None) -> str:
        rows = [{"s": s, "own": s.pk in own, "scores": s.pk in scored} for s in schemes]
        return render_part("assessment/_index_body.html",
                           {"rows": rows, "form": bound or (SchemeCreateForm() if manage else None)})

    if form is not None:  # a refused form, as typed, with its errors: not cached
        return render(request, "assessment/index.html", {"body": mark_safe(
            body(form).replace(CSRF_PLACEHOLDER, get_token(request)))}, status=400)  # rendered by templates
    # The rows and the office's form (its copy choices are the schemes) are what the schemes' rows say: the key
    # names each scheme's id, year, name and state, and the viewer's own links.
    key = ["assessment-index", manage, sorted(own), sorted(scored),
           [(s.pk, s.year, s.name, s.state) for s in schemes]]
    return render(request, "assessment/index.html", {"body": cached_part(request, key, body)})


@require_GET
def scheme_detail(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    manage = access.can_manage(request.user)
    tree = services.scheme_tree(scheme)
    categories = list(scheme.categories.all())
    counts = {c.pk: 0 for c in categories}
    for category_id in scheme.memberships.values_list("category_id", flat=True):
        counts[category_id] += 1
    for c in categories:
        c.member_count = counts[c.pk]
    leaves = [leaf for root in tree for mid in root.kids for leaf in mid.kids]
    for leaf in leaves:
        leaf.rule_label = rule_text(leaf.rule)
    return render(request, "assessment/scheme.html", {
        "scheme": scheme, "tree": tree, "categories": categories, "manage": manage, "rules": RULE_TEXTS,
        "problems": services.scheme_problems(scheme) if manage and scheme.state == SchemeState.DRAFT else [],
        "moves": services.allowed_moves(scheme) if manage else [], "item_count": len(leaves),
        "own": access.own_membership(request.user, scheme),
        "scores": access.scored_items(request.user, scheme).exists(),
        "reads_all": access.reads_all(request.user), "import_form": SchemeImportForm() if manage else None,
    })


@require_POST
def scheme_move(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "无效的操作。")
        return redirect("assessment:scheme", year)
    try:
        services.move_scheme(scheme=scheme, to=form.cleaned_data["to"], user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        scheme.refresh_from_db()
        messages.success(request, f"考核方案已转为“{scheme.get_state_display()}”。")
    return redirect("assessment:scheme", year)


def scheme_settings(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    form = SchemeSettingsForm(instance=scheme)
    if request.method == "POST":
        form = SchemeSettingsForm(request.POST, instance=Scheme.objects.get(pk=scheme.pk))
        if form.is_valid():
            try:
                services.update_scheme_settings(scheme=Scheme.objects.get(pk=scheme.pk), **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "考核规则已保存。")
                return redirect("assessment:scheme", year)
    return render(request, "assessment/settings.html", {"scheme": scheme, "form": form},
                  status=400 if request.method == "POST" else 200)


def members(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    units = list(Unit.objects.active().order_by("order", "name"))
    current = dict(scheme.memberships.values_list("unit_id", "category_id"))
    category_form = CategoryForm()
    form = MembershipForm(scheme=scheme, units=units, current=current)
    status = 200
    if request.method == "POST":
        status = 400
        if request.POST.get("action") == "category":
            category_form = CategoryForm(request.POST)
            if category_form.is_valid():
                try:
                    services.add_category(scheme=scheme, **category_form.cleaned_data)
                except ValidationError as exc:
                    _form_error(category_form, exc)
                else:
                    messages.success(request, "考核类别已添加。")
                    return redirect("assessment:members", year)
        else:
            form = MembershipForm(request.POST, scheme=scheme, units=units, current=current)
            if form.is_valid():
                try:
                    changed = services.set_memberships(
                        scheme=scheme, assignments=form.assignments({c.pk: c for c in scheme.categories.all()}))
                except ValidationError as exc:
                    _form_error(form, exc)
                else:
                    messages.success(request, f"参加考核单位已保存（{changed} 处变动）。")
                    return redirect("assessment:members", year)
    return render(request, "assessment/members.html", {
        "scheme": scheme, "form": form, "category_form": category_form, "categories": scheme.categories.all(),
        "editable": scheme.state == SchemeState.DRAFT,
    }, status=status)


def indicator_edit(request: HttpRequest, year: int, pk: int | None = None) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    indicator = get_object_or_404(Indicator, scheme=scheme, pk=pk) if pk else None
    initial = {}
    if indicator is not None:
        initial = {f: getattr(indicator, f) for f in ("level", "parent", "title", "points", "order", "content",
                                                      "standard", "rule_kind", "deduction", "deduction_cap",
                                                      "measure", "scoring_unit", "evidence")}
        initial["categories"] = list(indicator.categories.all())
        initial["scorers"] = [g.user for g in indicator.grants.select_related("user")]
    else:
        parent = scheme.indicators.filter(pk=_int(request.GET.get("parent"))).first()
        if parent is not None:
            initial = {"parent": parent, "level": parent.level + 1}
    form = IndicatorForm(initial=initial, scheme=scheme)
    if request.method == "POST":
        form = IndicatorForm(request.POST, scheme=scheme)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["categories"] = list(data["categories"])
            data["scorers"] = list(data["scorers"])
            if data["deduction"] is None:
                data["deduction"] = 0
            try:
                saved = services.save_indicator(scheme=scheme, indicator=indicator, **data)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"指标“{saved.title}”已保存。")
                return redirect("assessment:scheme", year)
    return render(request, "assessment/indicator_form.html", {
        "scheme": scheme, "indicator": indicator, "form": form, "editable": scheme.state == SchemeState.DRAFT,
    }, status=400 if request.method == "POST" else 200)


@require_POST
def indicator_delete(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    indicator = get_object_or_404(Indicator, scheme=scheme, pk=pk)
    try:
        services.delete_indicator(indicator=indicator)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, f"指标“{indicator.title}”及其下级已删除。")
    return redirect("assessment:scheme", year)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


# ---- files ----

@require_GET
def scheme_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    response = HttpResponse(workbook.scheme_workbook(scheme), content_type=XLSX)
    response["Content-Disposition"] = _attachment(f"{scheme.year}年度考核细则.xlsx")
    return response


@require_POST
def scheme_import(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_to_manage(request.user, year)
    form = SchemeImportForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            count = workbook.import_scheme(scheme=scheme, data=form.cleaned_data["file"].read())
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已从工作簿导入 {count} 个评分项，原有指标已替换。")
            return redirect("assessment:scheme", year)
    else:
        errors = [e for errs in form.errors.values() for e in errs]
    return render(request, "assessment/import_errors.html", {"scheme": scheme, "errors": errors}, status=400)


@require_GET
def results_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    if not (scheme.state == SchemeState.PUBLISHED or access.reads_all(request.user)):
        raise Http404("考核结果尚未公示。")
    response = HttpResponse(workbook.results_workbook(scheme, detail=access.reads_all(request.user)),
                            content_type=XLSX)
    response["Content-Disposition"] = _attachment(f"{scheme.year}年度考核结果.xlsx")
    return response


@require_GET
def notice_docx(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    if not scheme.is_stored or not (scheme.state == SchemeState.PUBLISHED or access.reads_all(request.user)):
        raise Http404("考核结果尚未锁定，不能生成通报。")
    response = HttpResponse(documents.notice_docx(scheme), content_type=DOCX)
    response["Content-Disposition"] = _attachment(f"关于{scheme.year}年度法治政府建设考核结果的通报.docx")
    return response


def _attachment(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)
