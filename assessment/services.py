"""Every write of the assessment. Views, the importer, the demo and commands call these functions.

Each change to a scheme's state goes through ``_move`` and its table of allowed moves. Scores, overrides,
locks and publication are recorded by django-auditlog (the models are registered in audit/apps.py), so
the audit page shows who changed what, from which address. A refused write raises ``ValidationError``
(Chinese) or ``AssessmentRefused`` before anything is saved.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessment.cachekeys import SCHEMES, bump_results_version
from assessment.measures import MEASURES, computed_score, read_measures, rule_fits
from assessment.models import (
    Category,
    CategoryMembership,
    Evidence,
    Indicator,
    Objection,
    ObjectionState,
    Result,
    Scheme,
    SchemeState,
    Score,
    ScorerGrant,
    SelfAssessment,
    SelfState,
)
from assessment.results import leaves_by_category, live_results
from assessment.rules import Node, RuleKind, pts, q2, score_bounds, score_problem, tree_problems
from fazhi import limits
from reports.files import MAX_FILES_PER_REPORT, validate_upload
from reports.models import Report
from tasks.models import Unit


class AssessmentRefused(PermissionDenied):
    pass


_MOVES: dict[str, set[str]] = {
    SchemeState.DRAFT: {SchemeState.SELF},
    SchemeState.SELF: {SchemeState.SCORING, SchemeState.DRAFT},
    SchemeState.SCORING: {SchemeState.REVIEW},
    SchemeState.REVIEW: {SchemeState.LOCKED, SchemeState.SCORING},
    SchemeState.LOCKED: {SchemeState.PUBLISHED, SchemeState.REVIEW},
    SchemeState.PUBLISHED: set(),
}
MOVE_LABELS = {
    SchemeState.SELF: "开始自评", SchemeState.SCORING: "进入评分", SchemeState.REVIEW: "进入复核",
    SchemeState.LOCKED: "锁定结果", SchemeState.PUBLISHED: "公示结果", SchemeState.DRAFT: "退回编制",
}


def allowed_moves(scheme: Scheme) -> list[tuple[str, str]]:
    back = {(SchemeState.SELF, SchemeState.DRAFT), (SchemeState.REVIEW, SchemeState.SCORING),
            (SchemeState.LOCKED, SchemeState.REVIEW)}
    moves = sorted(_MOVES[scheme.state], key=lambda s: (scheme.state, s) in back)
    labels = {**MOVE_LABELS}
    labels_back = {SchemeState.SCORING: "退回评分", SchemeState.REVIEW: "解除锁定"}
    return [(s, labels_back[s] if (scheme.state, s) in back and s in labels_back else labels[s]) for s in moves]


def _move(scheme: Scheme, state: str, today: dt.date | None = None) -> None:
    if state not in _MOVES[SchemeState(scheme.state)]:
        raise ValidationError(f"考核方案当前为“{scheme.get_state_display()}”，不能转为“{SchemeState(state).label}”。")
    scheme.state = state
    now = timezone.now()
    fields = ["state"]
    if state == SchemeState.SELF:
        scheme.opened_at, fields = now, [*fields, "opened_at"]
    elif state == SchemeState.LOCKED:
        scheme.locked_at, fields = now, [*fields, "locked_at"]
    elif state == SchemeState.REVIEW and scheme.locked_at:
        scheme.locked_at, fields = None, [*fields, "locked_at"]
    elif state == SchemeState.PUBLISHED:
        scheme.published_on, fields = today or timezone.localdate(), [*fields, "published_on"]
    scheme.save(update_fields=fields)


# ---- schemes, categories, members, indicators ----

def _check_editable(scheme: Scheme) -> None:
    if scheme.state != SchemeState.DRAFT:
        raise ValidationError("考核方案已开始自评，指标、类别和参加单位不能再修改；如需修改请先退回编制。")


@transaction.atomic
def create_scheme(*, year: int, name: str, **settings_: object) -> Scheme:
    limits.check_length(name, limits.TITLE, "方案名称", field="name")
    if Scheme.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year} 年度已有考核方案。"})
    scheme = Scheme(year=year, name=name, **settings_)
    scheme.full_clean()
    scheme.save()
    SCHEMES.bump_now_and_after_commit()
    return scheme


@transaction.atomic
def update_scheme_settings(*, scheme: Scheme, **fields: object) -> Scheme:
    if scheme.is_stored:
        raise ValidationError("结果已锁定，规则不能再修改；如需修改请先解除锁定。")
    for name, value in fields.items():
        setattr(scheme, name, value)
    limits.check_length(scheme.name, limits.TITLE, "方案名称", field="name")
    scheme.full_clean()
    scheme.save()
    bump_results_version(scheme.pk)  # thresholds, cap and bonus limit decide grades
    return scheme


@transaction.atomic
def copy_scheme(*, source: Scheme, year: int, name: str) -> Scheme:
    """Start a year from a copy of another scheme: rules, categories, members, indicators and scorers."""
    scheme = create_scheme(
        year=year, name=name, excellent_threshold=source.excellent_threshold,
        good_threshold=source.good_threshold, pass_threshold=source.pass_threshold,
        excellent_cap_percent=source.excellent_cap_percent, objection_days=source.objection_days,
        bonus_limit=source.bonus_limit)
    categories = {}
    for c in source.categories.all():
        categories[c.pk] = Category.objects.create(scheme=scheme, name=c.name, declared_total=c.declared_total,
                                                   order=c.order)
    CategoryMembership.objects.bulk_create([
        CategoryMembership(scheme=scheme, category=categories[m.category_id], unit_id=m.unit_id)
        for m in source.memberships.filter(unit__is_active=True)
    ])
    copies: dict[int, Indicator] = {}
    for old in source.indicators.order_by("level", "order", "id").prefetch_related("categories", "grants"):
        new = Indicator.objects.create(
            scheme=scheme, parent=copies[old.parent_id] if old.parent_id else None, level=old.level,
            order=old.order, title=old.title, points=old.points, content=old.content, standard=old.standard,
            rule_kind=old.rule_kind, deduction=old.deduction, deduction_cap=old.deduction_cap, measure=old.measure,
            scoring_unit_id=old.scoring_unit_id, evidence=old.evidence)
        new.categories.set([categories[c.pk] for c in old.categories.all()])
        ScorerGrant.objects.bulk_create([ScorerGrant(indicator=new, user_id=g.user_id) for g in old.grants.all()])
        copies[old.pk] = new
    SCHEMES.bump_now_and_after_commit()  # members and grants went in after create_scheme's bump
    return scheme


@transaction.atomic
def add_category(*, scheme: Scheme, name: str, declared_total: Decimal = Decimal(100), order: int = 0) -> Category:
    _check_editable(scheme)
    limits.check_length(name, limits.NAME, "类别名称", field="name")
    if scheme.categories.filter(name=name).exists():
        raise ValidationError({"name": "本方案已有同名的考核类别。"})
    category = Category(scheme=scheme, name=name, declared_total=declared_total, order=order)
    category.full_clean()
    category.save()
    bump_results_version(scheme.pk)  # the category tabs of the review and results pages
    return category


@transaction.atomic
def set_memberships(*, scheme: Scheme, assignments: dict[int, Category | None]) -> int:
    """Put units into categories (None: not assessed). Returns how many changed."""
    _check_editable(scheme)
    current = {m.unit_id: m for m in scheme.memberships.all()}
    changed = 0
    for unit_id, category in assignments.items():
        if category is not None and category.scheme_id != scheme.pk:
            raise ValidationError("考核类别不属于本方案。")
        have = current.get(unit_id)
        if category is None:
            if have:
                have.delete()
                changed += 1
        elif have is None:
            CategoryMembership.objects.create(scheme=scheme, category=category, unit_id=unit_id)
            changed += 1
        elif have.category_id != category.pk:
            have.category = category
            have.save(update_fields=["category"])
            changed += 1
    bump_results_version(scheme.pk)
    return changed


def _indicator_problems(*, level: int, parent: Indicator | None, rule_kind: str, measure: str,
                        deduction: Decimal, deduction_cap: Decimal | None, points: Decimal) -> dict[str, str]:
    errors: dict[str, str] = {}
    if level == 1 and parent is not None:
        errors["parent"] = "一级指标没有上级指标。"
    if level > 1 and (parent is None or parent.level != level - 1):
        errors["parent"] = "上级指标必须是上一层级的指标。"
    if level == 3:
        if not rule_kind:
            errors["rule_kind"] = "评分项必须选择计分规则。"
        if rule_kind in (RuleKind.FIXED, RuleKind.PER_OCCURRENCE) and deduction <= 0:
            errors["deduction"] = "按次或定额扣分的评分项必须填写扣分分值。"
        if measure and measure not in MEASURES:
            errors["measure"] = "没有这项平台数据。"
        elif measure and not rule_fits(measure, rule_kind):
            errors["measure"] = "该平台数据与计分规则不匹配：比例数据用“按比例得分”，次数数据用定额或按次扣分。"
        if rule_kind != RuleKind.VETO and points <= 0:
            errors["points"] = "评分项分值必须大于 0。"
    elif rule_kind or measure:
        errors["rule_kind"] = "只有评分项设置计分规则和平台数据。"
    return errors


@transaction.atomic
def save_indicator(*, scheme: Scheme, indicator: Indicator | None = None, parent: Indicator | None, level: int,
                   title: str, points: Decimal, order: int = 0, content: str = "", standard: str = "",
                   rule_kind: str = "", deduction: Decimal = Decimal(0), deduction_cap: Decimal | None = None,
                   measure: str = "", scoring_unit: Unit | None = None, evidence: str = "",
                   categories: list[Category] | None = None, scorers: list[User] | None = None) -> Indicator:
    _check_editable(scheme)
    limits.check_lengths({
        "title": (title, limits.TITLE, "指标名称"), "content": (content, limits.LONG_TEXT, "考核内容"),
        "standard": (standard, limits.LONG_TEXT, "评分标准"), "evidence": (evidence, limits.TITLE, "佐证材料要求"),
    })
    if parent is not None and parent.scheme_id != scheme.pk:
        raise ValidationError({"parent": "上级指标不属于本方案。"})
    errors = _indicator_problems(level=level, parent=parent, rule_kind=rule_kind, measure=measure,
                                 deduction=deduction, deduction_cap=deduction_cap, points=points)
    if errors:
        raise ValidationError(errors)
    if level < 3:
        rule_kind, measure, deduction, deduction_cap = "", "", Decimal(0), None
    indicator = indicator or Indicator(scheme=scheme)
    for name, value in dict(parent=parent, level=level, title=title, points=points, order=order, content=content,
                            standard=standard, rule_kind=rule_kind, deduction=deduction,
                            deduction_cap=deduction_cap, measure=measure, scoring_unit=scoring_unit,
                            evidence=evidence).items():
        setattr(indicator, name, value)
    indicator.full_clean(exclude=["categories"])
    indicator.save()
    if categories is not None:
        if any(c.scheme_id != scheme.pk for c in categories):
            raise ValidationError({"categories": "适用单位类别不属于本方案。"})
        indicator.categories.set(categories if level == 3 else [])
    if scorers is not None and level == 3:
        ScorerGrant.objects.filter(indicator=indicator).exclude(user__in=scorers).delete()
        have = set(ScorerGrant.objects.filter(indicator=indicator).values_list("user_id", flat=True))
        ScorerGrant.objects.bulk_create([ScorerGrant(indicator=indicator, user=u) for u in scorers if u.pk not in have])
    bump_results_version(scheme.pk)
    return indicator


@transaction.atomic
def delete_indicator(*, indicator: Indicator) -> None:
    _check_editable(indicator.scheme)
    bump_results_version(indicator.scheme_id)
    indicator.delete()


@transaction.atomic
def grant_scorer(*, indicator: Indicator, user: User) -> ScorerGrant:
    if not user.is_active:
        raise ValidationError("停用的账号不能评分。")
    grant, _ = ScorerGrant.objects.get_or_create(indicator=indicator, user=user)
    SCHEMES.bump_now_and_after_commit()  # the user's 评分 tab
    return grant


def scheme_tree(scheme: Scheme) -> list[Indicator]:
    """The level-1 indicators with ``kids`` filled down to the items (two queries)."""
    nodes = list(scheme.indicators.order_by("level", "order", "id").prefetch_related("categories")
                 .select_related("scoring_unit"))
    by_id = {n.pk: n for n in nodes}
    for n in nodes:
        n.kids = []
    roots = []
    for n in nodes:
        (by_id[n.parent_id].kids if n.parent_id else roots).append(n)
    return roots


def scheme_problems(scheme: Scheme) -> list[str]:
    """Why the scheme cannot be opened for scoring; empty when its points add up."""
    def node(i: Indicator) -> Node:
        return Node(key=i.title, points=i.points, kind=i.rule_kind,
                    categories=frozenset(c.name for c in i.categories.all()), children=[node(k) for k in i.kids])

    problems = tree_problems([node(r) for r in scheme_tree(scheme)],
                             {c.name: c.declared_total for c in scheme.categories.all()})
    for i in scheme.indicators.filter(level__lt=3, children__isnull=True):
        problems.append(f"“{i.title}”下面还没有评分项。")
    if not scheme.memberships.exists():
        problems.append("还没有指定参加考核的单位。")
    return problems


@transaction.atomic
def move_scheme(*, scheme: Scheme, to: str, user: User, today: dt.date | None = None) -> Scheme:
    moved = _move_scheme(scheme=scheme, to=to, today=today)
    # The caller's instance (often cached on memberships) sees the new state too.
    for name in ("state", "opened_at", "locked_at", "published_on"):
        setattr(scheme, name, getattr(moved, name))
    return moved


def _move_scheme(*, scheme: Scheme, to: str, today: dt.date | None) -> Scheme:
    """Move the scheme through its flow. Opening needs points that add up; locking needs every item scored.

    ``today`` dates a publication (the demo publishes last year's results on their real date)."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    bump_results_version(scheme.pk)  # stored or live, and the 未评项 column, follow the state
    if to == SchemeState.SELF:
        problems = scheme_problems(scheme)
        if problems:
            raise ValidationError(["分值不一致或方案不完整，不能开始考核：", *problems])
    if to == SchemeState.LOCKED:
        _move(scheme, to)
        store_results(scheme=scheme)
        return scheme
    if to == SchemeState.REVIEW and scheme.state == SchemeState.LOCKED:
        Result.objects.filter(membership__scheme=scheme).delete()
    _move(scheme, to, today)
    return scheme


@transaction.atomic
def store_results(*, scheme: Scheme) -> int:
    """Compute every result once and store it; data-bound items without a score get their computed score."""
    results = live_results(scheme)
    unscored = [r for r in results if r.missing > 0]
    if unscored:
        names = "、".join(r.unit.name for r in unscored[:5])
        more = "等" if len(unscored) > 5 else ""
        raise ValidationError(f"还有 {len(unscored)} 个单位有评分项未评分（{names}{more}），不能锁定。")
    _fill_computed(scheme)
    bump_results_version(scheme.pk)
    Result.objects.filter(membership__scheme=scheme).delete()
    Result.objects.bulk_create([
        Result(membership_id=r.membership_id, base=r.base, converted=r.converted, bonus=r.bonus, total=r.total,
               vetoed=r.vetoed, rank=r.rank, grade=r.grade)
        for r in results
    ])
    return len(results)


def _fill_computed(scheme: Scheme) -> None:
    """Store the computed score of every data-bound item nobody scored, so locked results stand on rows."""
    leaves, applies = leaves_by_category(scheme)
    bound = {pk: i for pk, i in leaves.items() if i.measure}
    if not bound:
        return
    scored = set(Score.objects.filter(membership__scheme=scheme, indicator_id__in=bound)
                 .values_list("membership_id", "indicator_id"))
    readings = read_measures(scheme.year, timezone.localdate())
    rows = []
    for m in scheme.memberships.all():
        for pk in applies.get(m.category_id, []):
            if pk in bound and (m.pk, pk) not in scored:
                item = bound[pk]
                value, text = computed_score(item.rule, item.measure, readings[item.measure].get(m.unit_id))
                rows.append(Score(membership=m, indicator_id=pk, score=value, computed=value,
                                  reason=f"平台数据：{text}"))
    Score.objects.bulk_create(rows)


# ---- self-assessment ----

def _applies(indicator: Indicator, membership: CategoryMembership) -> bool:
    return indicator.level == 3 and indicator.categories.filter(pk=membership.category_id).exists()


def _check_self_open(membership: CategoryMembership) -> None:
    state = Scheme.objects.values_list("state", flat=True).get(pk=membership.scheme_id)  # never a stale copy
    if state != SchemeState.SELF:
        raise ValidationError("自评阶段已结束，不能再修改。" if state != SchemeState.DRAFT else "考核尚未开始自评。")
    if membership.self_state == SelfState.SUBMITTED:
        raise ValidationError("本单位自评已提交，不能再修改。")


@transaction.atomic
def save_self_assessment(*, membership: CategoryMembership, indicator: Indicator, claimed: Decimal,
                         explanation: str, reports: list[Report] | None = None, user: User,
                         uploads: list | tuple = (), remove: list[Evidence] | tuple = ()) -> SelfAssessment:
    """A unit's claim on one item with everything the page sends at once: score, explanation, linked reports,
    new evidence files and files to remove. Every check (files included) runs before anything is written,
    so a refused save leaves the claim and its evidence as they were."""
    _check_self_open(membership)
    if not _applies(indicator, membership):
        raise ValidationError("该评分项不适用于本单位。")
    limits.check_length(explanation, limits.SHORT_TEXT, "自评说明", field="explanation")
    low, high = score_bounds(indicator.rule)
    errors: dict[str, list[str]] = {}
    if claimed != q2(claimed):
        errors["claimed"] = ["分数最多保留两位小数。"]
    elif claimed > high or claimed < low:
        errors["claimed"] = [f"自评得分应在 {pts(low)} 至 {pts(high)} 分之间。"]
    if reports and any(r.obligation.unit_id != membership.unit_id for r in reports):
        errors["reports"] = ["只能关联本单位的进展报告。"]
    existing = SelfAssessment.objects.filter(membership=membership, indicator=indicator).first()
    if any(e.self_assessment_id != getattr(existing, "pk", None) for e in remove):
        errors["remove"] = ["只能删除本评分项的佐证材料。"]
    kinds, file_errors = [], []
    for upload in uploads:
        try:
            kinds.append(validate_upload(upload))
        except ValidationError as exc:
            file_errors.extend(exc.messages)
    kept = (existing.evidence.count() if existing else 0) - len({e.pk for e in remove})
    if not file_errors and kept + len(uploads) > MAX_FILES_PER_REPORT:
        file_errors.append(f"每个评分项最多上传 {MAX_FILES_PER_REPORT} 个佐证材料，"
                           f"已有 {kept} 个，本次选择了 {len(uploads)} 个。")
    if file_errors:
        errors["files"] = file_errors
    if errors:
        raise ValidationError(errors)
    sa, _ = SelfAssessment.objects.update_or_create(
        membership=membership, indicator=indicator,
        defaults={"claimed": claimed, "explanation": explanation, "updated_by": user})
    if reports is not None:
        sa.reports.set(reports)
    for evidence in remove:
        _delete_evidence(evidence)
    for upload, content_type in zip(uploads, kinds, strict=True):
        _store_evidence(sa, upload, content_type, user)
    return sa


def _store_evidence(sa: SelfAssessment, upload, content_type: str, user: User) -> Evidence:
    upload.seek(0)
    name = (upload.name or "file")[-limits.TITLE:]
    return Evidence.objects.create(self_assessment=sa, file=upload, original_name=name, size=upload.size,
                                   content_type=content_type, uploaded_by=user)


def _delete_evidence(evidence: Evidence) -> None:
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_evidence(*, self_assessment: SelfAssessment, upload, user: User) -> Evidence:
    _check_self_open(self_assessment.membership)
    if self_assessment.evidence.count() >= MAX_FILES_PER_REPORT:
        raise ValidationError(f"每个评分项最多上传 {MAX_FILES_PER_REPORT} 个佐证材料。")
    return _store_evidence(self_assessment, upload, validate_upload(upload), user)


@transaction.atomic
def remove_evidence(*, evidence: Evidence) -> None:
    _check_self_open(evidence.self_assessment.membership)
    _delete_evidence(evidence)


@transaction.atomic
def submit_self_assessment(*, membership: CategoryMembership, user: User) -> CategoryMembership:
    membership = (CategoryMembership.objects.select_for_update(of=("self",)).select_related("scheme")
                  .get(pk=membership.pk))
    _check_self_open(membership)
    # An item left empty is 未自评, never a claim of full marks: submission is refused, naming the items.
    missing = list(Indicator.objects.filter(scheme=membership.scheme_id, level=3, categories=membership.category_id)
                   .exclude(rule_kind__in=RuleKind.extras()).exclude(measure__gt="")
                   .exclude(self_assessments__membership=membership)
                   .order_by("parent__parent__order", "parent__order", "order", "id").values_list("title", flat=True))
    if missing:
        names = "、".join(f"“{t}”" for t in missing[:10]) + ("等" if len(missing) > 10 else "")
        raise ValidationError(f"还有 {len(missing)} 个评分项未自评，不能提交：{names}。")
    membership.self_state = SelfState.SUBMITTED
    membership.submitted_at = timezone.now()
    membership.save(update_fields=["self_state", "submitted_at"])
    SCHEMES.bump_now_and_after_commit()  # the unit's standing: its self-assessment is no longer editable
    return membership


# ---- scores ----

def can_score(user: User, indicator: Indicator) -> bool:
    return user.is_active and ScorerGrant.objects.filter(indicator=indicator, user=user).exists()


@transaction.atomic
def record_score(*, membership: CategoryMembership, indicator: Indicator, score: Decimal, reason: str,
                 user: User, vetoed: bool = False, as_office: bool = False,
                 computed: Decimal | None = None) -> Score:
    """One unit's score on one item, by a granted scorer (or the legal office adjusting in review).

    Refused, with nothing saved: above the item's points, below zero (or the bonus floor), below full
    marks without a reason, a computed score changed without a reason, a locked or not-yet-open scheme.
    """
    scheme = Scheme.objects.select_for_update().get(pk=membership.scheme_id)
    if scheme.is_stored:
        raise ValidationError("考核结果已锁定，不能再修改评分。")
    if as_office:
        if not user.is_coordinator:
            raise AssessmentRefused("只有法治办可以复核调整评分。")
        if scheme.state not in SchemeState.office_adjusts():
            raise ValidationError("当前阶段不能复核调整评分。")
    else:
        if not can_score(user, indicator):
            raise AssessmentRefused("您没有该评分项的评分权限。")
        if scheme.state not in SchemeState.scores_open():
            raise ValidationError("当前阶段不能评分。" if scheme.state != SchemeState.REVIEW
                                  else "评分已结束，进入法治办复核阶段。")
    if not _applies(indicator, membership):
        raise ValidationError("该评分项不适用于该单位。")
    limits.check_length(reason, limits.SHORT_TEXT, "扣分理由", field="reason")
    reason = reason.strip()
    if indicator.rule_kind == RuleKind.VETO:
        score = Decimal(0)
        if vetoed and not reason:
            raise ValidationError({"reason": "一票否决必须写明理由。"})
    else:
        vetoed = False
        problem = score_problem(indicator.rule, score, reason)
        if problem:
            raise ValidationError({"score": problem})
    if indicator.measure and computed is None:
        reading = read_measures(scheme.year, timezone.localdate(), [membership.unit_id])[indicator.measure]
        computed, _ = computed_score(indicator.rule, indicator.measure, reading.get(membership.unit_id))
    is_override = computed is not None and score != computed
    if is_override and not reason:
        raise ValidationError({"reason": "改动平台数据计算的得分必须填写理由。"})
    existing = Score.objects.filter(membership=membership, indicator=indicator).first()
    if as_office and existing is not None and existing.score != score and not reason:
        raise ValidationError({"reason": "复核调整得分必须填写理由。"})
    bump_results_version(scheme.pk)
    obj, _ = Score.objects.update_or_create(
        membership=membership, indicator=indicator,
        defaults={"score": score, "reason": reason, "vetoed": vetoed, "computed": computed,
                  "is_override": is_override, "by_office": as_office, "scorer": user})
    return obj


# ---- objections ----

def objection_deadline(scheme: Scheme) -> dt.date | None:
    if scheme.published_on is None:
        return None
    return scheme.published_on + dt.timedelta(days=scheme.objection_days)


def objections_open(scheme: Scheme, today: dt.date | None = None) -> bool:
    """Within the objection window: from publication to publication + N calendar days, inclusive."""
    deadline = objection_deadline(scheme)
    return scheme.state == SchemeState.PUBLISHED and deadline is not None and \
        (today or timezone.localdate()) <= deadline


@transaction.atomic
def raise_objection(*, membership: CategoryMembership, text: str, indicator: Indicator | None, user: User,
                    today: dt.date | None = None) -> Objection:
    if not (user.is_liaison and user.unit_id == membership.unit_id):
        raise AssessmentRefused("只能对本单位的考核结果提出异议。")
    if not objections_open(membership.scheme, today):
        raise ValidationError("不在异议期内，不能提出异议。")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "请填写异议内容。"})
    limits.check_length(text, limits.SHORT_TEXT, "异议内容", field="text")
    if indicator is not None and not _applies(indicator, membership):
        raise ValidationError({"indicator": "该评分项不适用于本单位。"})
    objection = Objection.objects.create(membership=membership, indicator=indicator, text=text, raised_by=user)
    SCHEMES.bump_now_and_after_commit()  # the office's count of open objections
    return objection


@transaction.atomic
def answer_objection(*, objection: Objection, answer: str, upheld: bool, user: User,
                     new_score: Decimal | None = None) -> Objection:
    """The office answers. An upheld objection may change the item's score; the results are then stored again."""
    if not user.is_coordinator:
        raise AssessmentRefused("只有法治办可以答复异议。")
    objection = Objection.objects.select_for_update(of=("self",)).select_related("membership__scheme", "indicator").get(
        pk=objection.pk)
    if objection.state != ObjectionState.OPEN:
        raise ValidationError("该异议已答复。")
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": "请填写答复内容。"})
    limits.check_length(answer, limits.SHORT_TEXT, "答复", field="answer")
    if new_score is not None:
        if not upheld or objection.indicator is None:
            raise ValidationError({"new_score": "只有成立且指明评分项的异议可以调整得分。"})
        problem = score_problem(objection.indicator.rule, new_score, answer)
        if problem:
            raise ValidationError({"new_score": problem})
        bump_results_version(objection.membership.scheme_id)
        Score.objects.update_or_create(
            membership=objection.membership, indicator=objection.indicator,
            defaults={"score": new_score, "reason": f"异议成立：{answer}"[: limits.SHORT_TEXT], "by_office": True,
                      "scorer": user, "is_override": False, "vetoed": False})
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.REJECTED
    objection.answer, objection.answered_by, objection.answered_at = answer, user, timezone.now()
    objection.save()
    SCHEMES.bump_now_and_after_commit()  # the office's count of open objections
    if new_score is not None:
        store_results(scheme=objection.membership.scheme)
    return objection
