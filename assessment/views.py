"""The assessment's flow screens: self-assessment, the scorer's queue, review, results and objections."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from assessment import access, services
from assessment.cachekeys import results_version, results_version_of
from assessment.forms import AnswerForm, CategoryFilterForm, ObjectionForm, ScoreForm, SelfAssessmentForm
from assessment.measures import MEASURES, NONE_OWED, computed_score, read_measures
from assessment.models import (
    CategoryMembership,
    Indicator,
    Objection,
    ObjectionState,
    SchemeState,
    Score,
    SelfAssessment,
    SelfState,
)
from assessment.results import results_for
from assessment.rules import RULE_TEXTS, RuleKind, pts, rule_text, score_from_count
from fazhi.fragments import cached_part, render_part
from fazhi.versions import read_all
from reports.cachekeys import reports_version
from tasks.cachekeys import REGISTRY, registry_version


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _form_error(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def _path(i: Indicator) -> str:
    parts = [i.title]
    parent = i.parent
    while parent is not None:
        parts.insert(0, parent.title)
        parent = parent.parent
    return " › ".join(parts)


def _items_for(membership: CategoryMembership):
    return Indicator.objects.filter(scheme=membership.scheme_id, level=3, categories=membership.category_id)\
        .select_related("parent__parent", "scoring_unit").order_by("parent__parent__order", "parent__order",
                                                                   "order", "id")


# ---- self-assessment (the unit) ----

@require_GET
def self_list(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    membership = access.own_membership(request.user, scheme)
    if membership is None:
        raise Http404("本单位不参加本年度考核。")
    claims = {sa.indicator_id: sa for sa in membership.self_assessments.prefetch_related("evidence")}
    items = list(_items_for(membership))
    readings = read_measures(scheme.year, timezone.localdate(), [membership.unit_id]) if any(
        i.measure for i in items) else {}
    rows = []
    for item in items:
        computed = None
        if item.measure:
            computed = computed_score(item.rule, item.measure, readings[item.measure].get(membership.unit_id))
        rows.append({"item": item, "claim": claims.get(item.pk), "computed": computed})
    required = [r for r in rows if not r["item"].measure and not r["item"].is_extra]
    done = sum(1 for r in required if r["claim"])
    return render(request, "assessment/self_list.html", {
        **access.nav_context(request.user, scheme, "self"), "membership": membership, "rows": rows, "done": done,
        "required": len(required),
        "editable": scheme.state == SchemeState.SELF and membership.self_state == SelfState.DRAFT,
    })


def _own_item(request: HttpRequest, year: int, pk: int):
    scheme = access.get_scheme_for_user(request.user, year)
    membership = access.own_membership(request.user, scheme)
    if membership is None:
        raise Http404("本单位不参加本年度考核。")
    item = _items_for(membership).filter(pk=pk).first()
    if item is None:
        raise Http404("没有找到该评分项。")
    return scheme, membership, item


def self_edit(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    """One form per item: score, explanation, linked reports, new files and files to remove, saved together.
    A refused save shows the page again with everything typed kept (files must be chosen again: browsers
    never refill a file input) and nothing saved."""
    scheme, membership, item = _own_item(request, year, pk)
    claim = SelfAssessment.objects.filter(membership=membership, indicator=item).prefetch_related(
        "evidence", "reports").first()
    editable = scheme.state == SchemeState.SELF and membership.self_state == SelfState.DRAFT
    kwargs = {"unit_id": membership.unit_id, "year": scheme.year, "item": item, "claim": claim}
    status = 200
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            uploads = form.cleaned_data["files"]
            try:
                services.save_self_assessment(
                    membership=membership, indicator=item, claimed=form.cleaned_data["claimed"],
                    explanation=form.cleaned_data["explanation"], reports=list(form.cleaned_data["reports"]),
                    uploads=uploads, remove=list(form.cleaned_data.get("remove") or []), user=request.user)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                added = f"，上传佐证材料 {len(uploads)} 个" if uploads else ""
                messages.success(request, f"已保存“{item.title}”的自评{added}。")
                return redirect("assessment:self_edit", year, pk)
        if request.FILES and not form.has_error("files"):
            form.add_error("files", "本次没有保存，请重新选择要上传的文件。")
        status = 400
    else:
        initial = {"claimed": pts(claim.claimed), "explanation": claim.explanation,
                   "reports": list(claim.reports.all())} if claim else {}
        form = SelfAssessmentForm(initial=initial, **kwargs)
    return render(request, "assessment/self_edit.html", {
        "scheme": scheme, "membership": membership, "item": item, "path": _path(item), "claim": claim,
        "form": form, "rule": rule_text(item.rule), "editable": editable,
    }, status=status)


@require_POST
def self_submit(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    membership = access.own_membership(request.user, scheme)
    if membership is None:
        raise Http404("本单位不参加本年度考核。")
    try:
        services.submit_self_assessment(membership=membership, user=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, "本单位自评已提交。")
    return redirect("assessment:self_list", year)


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence = access.get_evidence_for_user(request.user, pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                        content_type=evidence.content_type)


@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = access.get_evidence_for_user(request.user, pk, write=True)
    sa = evidence.self_assessment
    try:
        services.remove_evidence(evidence=evidence)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    else:
        messages.success(request, "佐证材料已删除。")
    return redirect("assessment:self_edit", sa.membership.scheme.year, sa.indicator_id)


# ---- scoring (granted accounts) ----

@require_GET
def score_queue(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    items = list(access.scored_items(request.user, scheme).select_related("parent__parent", "scoring_unit"))
    if not items and not access.reads_all(request.user):
        raise Http404("您没有本年度的评分任务。")
    members = dict(CategoryMembership.objects.filter(scheme=scheme).values("category_id").annotate(n=Count("id"))
                   .values_list("category_id", "n"))
    owed = {item.pk: 0 for item in items}
    through = Indicator.categories.through.objects.filter(indicator__in=items)
    for indicator_id, category_id in through.values_list("indicator_id", "category_id"):
        owed[indicator_id] += members.get(category_id, 0)
    scored = dict(Score.objects.filter(indicator__in=items).values("indicator_id").annotate(n=Count("id"))
                  .values_list("indicator_id", "n"))
    rows = [{"item": i, "path": _path(i), "owed": owed[i.pk], "scored": scored.get(i.pk, 0)} for i in items]
    return render(request, "assessment/score_queue.html", {**access.nav_context(request.user, scheme, "score"),
                                                           "rows": rows})


def score_item(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    item = access.get_item_to_score(request.user, scheme, pk)
    memberships = list(CategoryMembership.objects.filter(scheme=scheme, category__indicators=item)
                       .select_related("unit", "category").order_by("category__order", "unit__order", "unit__name"))
    claims = {sa.membership_id: sa for sa in SelfAssessment.objects.filter(indicator=item).prefetch_related(
        "evidence", Prefetch("reports", queryset=_report_qs()))}
    scores = {s.membership_id: s for s in Score.objects.filter(indicator=item)}
    readings = read_measures(scheme.year, timezone.localdate())[item.measure] if item.measure else {}
    open_ = scheme.state in SchemeState.scores_open()
    bound = None
    status = 200
    if request.method == "POST":
        if not open_:
            messages.error(request, "考核结果已锁定，不能再修改评分。" if scheme.is_stored else "当前阶段不能评分。")
            return redirect("assessment:score_item", year, pk)
        by_id = {m.pk: m for m in memberships}
        membership = by_id.get(_int(request.POST.get("membership")))
        if membership is None:
            raise Http404("没有找到该单位。")
        form = ScoreForm(request.POST, prefix=f"m{membership.pk}")
        if _save_score(request, form, membership, item, as_office=False):
            return redirect(reverse("assessment:score_item", args=[year, pk]) + f"#m{membership.pk}")
        bound, status = (membership.pk, form), 400
    rows = []
    for m in memberships:
        computed = computed_score(item.rule, item.measure, readings.get(m.unit_id)) if item.measure else None
        s = scores.get(m.pk)
        form = bound[1] if bound and bound[0] == m.pk else ScoreForm(prefix=f"m{m.pk}", initial={
            "score": s.score if s else (computed[0] if computed else None), "reason": s.reason if s else "",
            "vetoed": s.vetoed if s else False})
        rows.append({"m": m, "claim": claims.get(m.pk), "score": s, "computed": computed, "form": form})
    return render(request, "assessment/score_item.html", {
        "scheme": scheme, "item": item, "path": _path(item), "rule": rule_text(item.rule), "rows": rows,
        "open": open_, "measure": MEASURES.get(item.measure), "none_owed": NONE_OWED,
    }, status=status)


def _report_qs():
    from reports.models import Report

    return Report.objects.select_related("obligation__period", "obligation__item")


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _save_score(request: HttpRequest, form: ScoreForm, membership: CategoryMembership, item: Indicator, *,
                as_office: bool) -> bool:
    if not form.is_valid():
        return False
    score = form.cleaned_data["score"]
    occurrences = form.cleaned_data["occurrences"]
    if occurrences is not None and item.rule_kind in (RuleKind.FIXED, RuleKind.PER_OCCURRENCE):
        score = score_from_count(item.rule, occurrences)
    elif occurrences is not None:
        form.add_error("occurrences", "该评分项不按次数扣分，请直接填写得分。")
        return False
    if score is None:
        score = Decimal(0)
    try:
        services.record_score(membership=membership, indicator=item, score=score,
                              reason=form.cleaned_data["reason"], vetoed=form.cleaned_data["vetoed"],
                              user=request.user, as_office=as_office)
    except ValidationError as exc:
        _form_error(form, exc)
        return False
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, f"已保存{membership.unit.name}“{item.title}”的得分 {pts(score)} 分。")
    return True


# ---- review (the legal office), unit breakdown, objections ----

def _category_choice(request: HttpRequest, scheme, default: int | None = None):
    form = CategoryFilterForm(request.GET)
    categories = list(scheme.categories.all())
    wanted = form.cleaned_data["category"] if form.is_valid() and form.cleaned_data["category"] else default
    chosen = next((c for c in categories if c.pk == wanted), None)
    return categories, chosen or (categories[0] if categories else None)


def _category_param(request: HttpRequest) -> int | None:
    """The cleaned ``?category=`` (what ``_category_choice`` reads), for cache keys."""
    form = CategoryFilterForm(request.GET)
    return form.cleaned_data["category"] if form.is_valid() else None


def _viewer_nav(request: HttpRequest, scheme, tab: str) -> tuple[dict, list[object]]:
    """The tab bar's context and what of it depends on the viewer (role, own membership, scorer grants): the
    part of a cache key that keeps one viewer's tabs from another."""
    nav = access.nav_context(request.user, scheme, tab)
    user = request.user
    role = "coordinator" if user.is_coordinator else "leader" if user.is_leader else "liaison"
    own = nav["own"]
    return {**nav, "user": user}, [role, own.pk if own else "-", own.category_id if own else "-", nav["scores"]]


@require_GET
def review(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    if not access.reads_all(request.user):
        raise PermissionDenied("只有法治办和领导可以查看复核表。")
    nav, viewer = _viewer_nav(request, scheme, "review")
    manage = access.can_manage(request.user)

    def body() -> str:
        categories, category = _category_choice(request, scheme)
        return render_part("assessment/_review_body.html", {
            **nav, "categories": categories, "category": category,
            "matrix": _review_matrix(scheme, category) if category is not None else "",
            "moves": services.allowed_moves(scheme) if manage else [],  # forms: the viewer's token goes in
        })

    # The whole body under the scheme's results version (scores, adjustments, members, indicators, categories,
    # the state and its moves) and the registry version (unit names), per category and kind of viewer.
    content = cached_part(request, ["assessment-review", scheme.pk, *read_all(results_version_of(scheme.pk), REGISTRY),
                                    _category_param(request), *viewer], body,
                          timeout=_STORED_TTL if scheme.is_stored else _LIVE_TTL)
    return render(request, "assessment/review.html", {"scheme": scheme, "body": content})


def unit_detail(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    membership = access.get_membership_for_user(request.user, scheme, pk)
    breakdown = access.can_see_breakdown(request.user, membership)
    items = list(_items_for(membership))
    claims = {sa.indicator_id: sa for sa in membership.self_assessments.prefetch_related("evidence")}
    scores = {s.indicator_id: s for s in membership.scores.select_related("scorer")} if breakdown else {}
    readings = read_measures(scheme.year, timezone.localdate(), [membership.unit_id]) if breakdown and any(
        i.measure for i in items) else {}
    adjust = access.can_manage(request.user) and scheme.state in SchemeState.office_adjusts()
    bound = None
    status = 200
    if request.method == "POST":
        if not adjust:
            raise PermissionDenied("当前不能复核调整评分。")
        item = next((i for i in items if i.pk == _int(request.POST.get("item"))), None)
        if item is None:
            raise Http404("没有找到该评分项。")
        form = ScoreForm(request.POST, prefix=f"i{item.pk}")
        if _save_score(request, form, membership, item, as_office=True):
            return redirect(reverse("assessment:unit", args=[year, pk]) + f"#i{item.pk}")
        bound, status = (item.pk, form), 400
    rows = []
    for item in items:
        s = scores.get(item.pk)
        computed = computed_score(item.rule, item.measure, readings[item.measure].get(membership.unit_id)) \
            if breakdown and item.measure else None
        form = None
        if adjust:
            form = bound[1] if bound and bound[0] == item.pk else ScoreForm(prefix=f"i{item.pk}", initial={
                "score": s.score if s else None, "reason": s.reason if s else "", "vetoed": s.vetoed if s else False})
        rows.append({"item": item, "path": _path(item), "claim": claims.get(item.pk), "score": s,
                     "computed": computed, "form": form, "rule": rule_text(item.rule)})
    result = None
    if breakdown:
        result = next((r for r in results_for(scheme, membership.category) if r.membership_id == membership.pk), None)
    own = request.user.is_liaison and request.user.unit_id == membership.unit_id
    objection_form = None
    if own and services.objections_open(scheme):
        objection_form = ObjectionForm(items=_items_for(membership))
    return render(request, "assessment/unit.html", {
        "scheme": scheme, "membership": membership, "rows": rows, "breakdown": breakdown, "result": result,
        "objections": membership.objections.select_related("indicator"), "objection_form": objection_form,
        "deadline": services.objection_deadline(scheme), "adjust": adjust,
    }, status=status)


@require_POST
def objection_raise(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    membership = access.get_membership_for_user(request.user, scheme, pk)
    form = ObjectionForm(request.POST, items=_items_for(membership))
    if form.is_valid():
        try:
            services.raise_objection(membership=membership, text=form.cleaned_data["text"],
                                     indicator=form.cleaned_data["indicator"], user=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(_errors(exc)))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "异议已提交，法治办将在核实后答复。")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("assessment:unit", year, pk)


def objections(request: HttpRequest, year: int) -> HttpResponse:
    scheme = access.get_scheme_for_user(request.user, year)
    if not access.reads_all(request.user):
        raise PermissionDenied("只有法治办和领导可以查看全部异议。")
    items = Objection.objects.filter(membership__scheme=scheme).select_related(
        "membership__unit", "indicator", "raised_by", "answered_by")
    bound = None
    status = 200
    if request.method == "POST":
        if not access.can_manage(request.user):
            raise PermissionDenied("只有法治办可以答复异议。")
        objection = items.filter(pk=_int(request.POST.get("objection"))).first()
        if objection is None:
            raise Http404("没有找到该异议。")
        form = AnswerForm(request.POST, prefix=f"o{objection.pk}")
        if form.is_valid():
            try:
                services.answer_objection(objection=objection, answer=form.cleaned_data["answer"],
                                          upheld=form.cleaned_data["upheld"],
                                          new_score=form.cleaned_data["new_score"], user=request.user)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "异议已答复。")
                return redirect("assessment:objections", year)
        bound, status = (objection.pk, form), 400
    rows = []
    for o in items:
        form = None
        if o.state == ObjectionState.OPEN and access.can_manage(request.user):
            form = bound[1] if bound and bound[0] == o.pk else AnswerForm(prefix=f"o{o.pk}")
        rows.append({"o": o, "form": form})
    return render(request, "assessment/objections.html", {**access.nav_context(request.user, scheme, "objections"),
                                                           "rows": rows}, status=status)


# ---- results ----

@require_GET
def results(request: HttpRequest, year: int) -> HttpResponse:
    """Results and ranking of one category at a time (tabs): what a leader reads on a phone, and ranks are per
    category anyway. The body is cached as rendered HTML (and, inside it, the ranking table: ``_ranking_table``)."""
    scheme = access.get_scheme_for_user(request.user, year)
    published = scheme.state == SchemeState.PUBLISHED
    nav, viewer = _viewer_nav(request, scheme, "results")
    if not (published or access.reads_all(request.user)):
        return render(request, "assessment/results_pending.html", {**nav, "membership": nav["own"]})
    reads_all = access.reads_all(request.user)
    own_unit = request.user.unit_id if request.user.is_liaison else None
    # Raised objections do not change results (only answers do): their count comes with the viewer's standing.
    open_objections = access.standing(request.user).open_objections.get(scheme.pk, 0) if reads_all else 0

    def body() -> str:
        categories, category = _category_choice(request, scheme,
                                                default=nav["own"].category_id if nav["own"] else None)
        return render_part("assessment/_results_body.html", {
            **nav, "categories": categories, "category": category, "stored": scheme.is_stored,
            "table": _ranking_table(scheme, category, reads_all=reads_all, own_unit=own_unit) if category else "",
            "published": published, "rules": RULE_TEXTS, "reads_all": reads_all,
            "deadline": services.objection_deadline(scheme), "open_objections": open_objections,
        })

    content = cached_part(request, ["assessment-results", *_ranking_versions(scheme), _category_param(request),
                                    "all" if reads_all else f"u{own_unit or 0}", open_objections, *viewer], body,
                          timeout=_STORED_TTL if scheme.is_stored else _LIVE_TTL)
    return render(request, "assessment/results.html", {"scheme": scheme, "body": content})


def _ranking_versions(scheme) -> list[object]:
    """What a ranking is made of: the scheme's results version and the registry version (unit names); a live
    ranking also reads Fazhi's own data (data-bound items not yet scored): the reports version and the day."""
    parts: list[object] = [scheme.pk, *read_all(results_version_of(scheme.pk), REGISTRY)]
    if not scheme.is_stored:
        parts += [reports_version(), timezone.localdate().isoformat()]
    return parts


# Live rankings also read Fazhi's own data (data-bound items not yet scored), which changes without the
# scheme's version: their key carries the reports version and the date, the registry version covers unit names
# and task deadlines, and a short life bounds anything else. Stored rankings change only through the services
# that bump.
_LIVE_TTL = 60 * 10
_STORED_TTL = 60 * 60


def _review_cells(scores: list[Score | None]) -> str:
    """One row's cells (red: not scored; blue: adjusted by the office; * overrode the measure), joined in
    Python rather than a template loop: the matrix has 13,000 of them."""
    cells = []
    for s in scores:
        if s is None:
            cells.append('<td class="num cell-missing">—</td>')
        else:
            cells.append(format_html('<td class="num{}">{}{}</td>', " cell-office" if s.by_office else "",
                                     "否决" if s.vetoed else pts(s.score), "*" if s.is_override else ""))
    return mark_safe("".join(cells))


def _review_matrix(scheme, category) -> str:
    """The category's units × items matrix as rendered HTML (a few hundred units × 80 items: 13,000 cells),
    cached under the scheme's results version, which every score, adjustment and membership change bumps."""
    key = f"fazhi:assessment:review:{scheme.pk}:{results_version(scheme.pk)}:g{registry_version()}:{category.pk}"
    matrix = cache.get(key)
    if matrix is not None:
        return mark_safe(matrix)
    items = list(Indicator.objects.filter(scheme=scheme, level=3, categories=category).order_by(
        "parent__parent__order", "parent__order", "order", "id"))
    members = list(CategoryMembership.objects.filter(category=category).select_related("unit").order_by(
        "unit__order", "unit__name"))
    scores = {(s.membership_id, s.indicator_id): s for s in Score.objects.filter(membership__category=category)
              .only("membership_id", "indicator_id", "score", "vetoed", "is_override", "by_office")}
    unit_url = reverse("assessment:unit", args=[scheme.year, 1])[:-2]
    rows = [{"url": f"{unit_url}{m.pk}/", "name": m.unit.short_name or m.unit.name,
             "cells": _review_cells([scores.get((m.pk, i.pk)) for i in items])} for m in members]
    matrix = render_to_string("assessment/_review_matrix.html", {"items": items, "rows": rows})
    cache.set(key, matrix, _STORED_TTL if scheme.is_stored else _LIVE_TTL)
    return mark_safe(matrix)


def _ranking_table(scheme, category, *, reads_all: bool, own_unit: int | None) -> str:
    """The category's ranking as rendered HTML, cached per scheme version, category and kind of reader (the
    office and leaders see every link and the detail columns; a liaison sees its own row linked)."""
    viewer = "all" if reads_all else f"u{own_unit or 0}"
    key = "fazhi:assessment:ranking:" + ":".join(str(p) for p in [*_ranking_versions(scheme), category.pk, viewer])
    table = cache.get(key)
    if table is not None:
        return mark_safe(table)
    unit_url = reverse("assessment:unit", args=[scheme.year, 1])[:-2]
    rows = []
    for r in results_for(scheme, category):
        linked = reads_all or r.unit.pk == own_unit
        rows.append({
            # Text, not numbers: the template then skips number localisation 500 times.
            "rank": str(r.rank), "name": r.unit.name, "url": f"{unit_url}{r.membership_id}/" if linked else "",
            "total": str(r.total), "grade": r.grade, "grade_label": r.grade_label, "vetoed": r.vetoed,
            "own": r.unit.pk == own_unit, "detail": f"{r.base} / {r.converted} / {r.bonus}", "missing": str(r.missing),
            "pending": r.pending,
        })
    pending = sum(1 for r in rows if r["pending"])
    table = render_to_string("assessment/_results_table.html", {
        "category": category, "rows": rows, "reads_all": reads_all, "stored": scheme.is_stored, "pending": pending})
    cache.set(key, table, _STORED_TTL if scheme.is_stored else _LIVE_TTL)
    return mark_safe(table)
