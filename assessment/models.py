"""The year-end assessment (考核): schemes, their indicator trees, self-assessment, scores and results.

A scheme is one year's 考核细则. It has categories of units (有执法职能部门, 乡镇街道, …), each with a
declared total, and a tree of indicators: 一级指标 → 二级指标 → scoring items. Only scoring items
(leaves) carry a rule, a scorer unit and the categories they apply to. Which unit is in which category
is kept per scheme (``CategoryMembership``), because unit kinds cannot tell enforcement departments apart.

Flow (``SchemeState``; every move through ``assessment.services._move``): 编制中 → 自评中 → 评分中 →
复核中 → 已锁定 → 已公示. At lock the results are computed once and stored in ``Result``; pages and the
command read the stored rows and never recompute a locked year.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from assessment.rules import Grade, Rule, RuleKind
from fazhi import limits
from tasks.models import Unit

POINTS = {"max_digits": 6, "decimal_places": 2}


class SchemeState(models.TextChoices):
    DRAFT = "draft", "编制中"
    SELF = "self", "自评中"
    SCORING = "scoring", "评分中"
    REVIEW = "review", "复核中"
    LOCKED = "locked", "已锁定"
    PUBLISHED = "published", "已公示"

    @classmethod
    def scores_open(cls) -> tuple[str, ...]:
        """States in which a granted scorer may score."""
        return (cls.SELF, cls.SCORING)

    @classmethod
    def office_adjusts(cls) -> tuple[str, ...]:
        return (cls.SCORING, cls.REVIEW)

    @classmethod
    def stored(cls) -> tuple[str, ...]:
        """States whose results are stored rows, not computed."""
        return (cls.LOCKED, cls.PUBLISHED)


class SchemeQuerySet(models.QuerySet["Scheme"]):
    def visible_to(self, user) -> SchemeQuerySet:
        """The legal office sees schemes being drafted; everybody else once they are open."""
        if getattr(user, "is_coordinator", False):
            return self
        return self.exclude(state=SchemeState.DRAFT)


class Scheme(models.Model):
    year = models.PositiveSmallIntegerField("年度", unique=True)
    name = models.CharField("方案名称", max_length=limits.TITLE)
    state = models.CharField("状态", max_length=20, choices=SchemeState.choices, default=SchemeState.DRAFT)
    excellent_threshold = models.DecimalField("优秀分数线", default=90, **POINTS)
    good_threshold = models.DecimalField("良好分数线", default=80, **POINTS)
    pass_threshold = models.DecimalField("合格分数线", default=60, **POINTS)
    excellent_cap_percent = models.PositiveSmallIntegerField("优秀比例上限（%）", default=30)
    objection_days = models.PositiveSmallIntegerField("异议期（自然日）", default=5)
    bonus_limit = models.DecimalField("附加项上下限（分）", default=3, **POINTS)
    opened_at = models.DateTimeField("开始自评时间", null=True, blank=True)
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(name="assessment_scheme_year_in_range",
                                   condition=Q(year__gte=2000) & Q(year__lte=2100)),
            models.CheckConstraint(
                name="assessment_scheme_thresholds_ordered",
                condition=Q(pass_threshold__gte=0) & Q(good_threshold__gte=F("pass_threshold"))
                & Q(excellent_threshold__gte=F("good_threshold")) & Q(excellent_threshold__lte=100),
                violation_error_message="分数线须满足 0 ≤ 合格 ≤ 良好 ≤ 优秀 ≤ 100。",
            ),
            models.CheckConstraint(name="assessment_scheme_cap_percent",
                                   condition=Q(excellent_cap_percent__lte=100),
                                   violation_error_message="优秀比例上限不能超过 100%。"),
            models.CheckConstraint(name="assessment_scheme_objection_days",
                                   condition=Q(objection_days__gte=1) & Q(objection_days__lte=60),
                                   violation_error_message="异议期应为 1 至 60 天。"),
            models.CheckConstraint(name="assessment_scheme_bonus_limit",
                                   condition=Q(bonus_limit__gte=0) & Q(bonus_limit__lte=100),
                                   violation_error_message="附加项上下限应为 0 至 100 分。"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def thresholds(self):
        from assessment.rules import Thresholds

        return Thresholds(self.excellent_threshold, self.good_threshold, self.pass_threshold,
                          self.excellent_cap_percent)

    @property
    def is_stored(self) -> bool:
        return self.state in SchemeState.stored()


class Category(models.Model):
    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="categories")
    name = models.CharField("类别名称", max_length=limits.NAME)
    declared_total = models.DecimalField("满分", default=100, **POINTS)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "考核类别"
        verbose_name_plural = "考核类别"
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="assessment_category_unique_name",
                                    violation_error_message="本方案已有同名的考核类别。"),
            models.CheckConstraint(name="assessment_category_total_positive", condition=Q(declared_total__gt=0),
                                   violation_error_message="类别满分必须大于 0。"),
        ]

    def __str__(self) -> str:
        return self.name


class SelfState(models.TextChoices):
    DRAFT = "draft", "自评填报中"
    SUBMITTED = "submitted", "自评已提交"


class CategoryMembership(models.Model):
    """One unit assessed in one category of one scheme, and where its self-assessment stands."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="memberships")
    category = models.ForeignKey(Category, verbose_name="考核类别", on_delete=models.CASCADE,
                                 related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    self_state = models.CharField("自评状态", max_length=20, choices=SelfState.choices, default=SelfState.DRAFT)
    submitted_at = models.DateTimeField("自评提交时间", null=True, blank=True)

    class Meta:
        verbose_name = "参加考核单位"
        verbose_name_plural = "参加考核单位"
        ordering = ["category__order", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit"], name="assessment_membership_one_category",
                                    violation_error_message="该单位在本方案中已属于一个考核类别。"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.category}"


class Indicator(models.Model):
    """A node of the tree. Level 1 and 2 carry only points; level 3 (scoring items) carry the rule."""

    scheme = models.ForeignKey(Scheme, verbose_name="考核方案", on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey("self", verbose_name="上级指标", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="children")
    level = models.PositiveSmallIntegerField("层级", choices=[(1, "一级指标"), (2, "二级指标"), (3, "评分项")])
    order = models.PositiveSmallIntegerField("排序", default=0)
    title = models.CharField("指标名称", max_length=limits.TITLE)
    points = models.DecimalField("分值", **POINTS)
    content = models.TextField("考核内容", blank=True)
    standard = models.TextField("评分标准", blank=True)
    rule_kind = models.CharField("计分规则", max_length=20, choices=RuleKind.choices, blank=True)
    deduction = models.DecimalField("每次（项）扣分", default=0, **POINTS)
    deduction_cap = models.DecimalField("累计扣分上限", null=True, blank=True, **POINTS)
    measure = models.CharField("平台数据", max_length=30, blank=True)
    scoring_unit = models.ForeignKey(Unit, verbose_name="评分责任单位", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    evidence = models.CharField("佐证材料要求", max_length=limits.TITLE, blank=True)
    categories = models.ManyToManyField(Category, verbose_name="适用单位类别", related_name="indicators", blank=True)

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme", "level", "order", "id"]
        constraints = [
            models.CheckConstraint(name="assessment_indicator_level_parent",
                                   condition=(Q(level=1) & Q(parent__isnull=True))
                                   | (Q(level__in=[2, 3]) & Q(parent__isnull=False)),
                                   violation_error_message="一级指标没有上级，其他指标必须有上级。"),
            models.CheckConstraint(name="assessment_indicator_points_not_negative", condition=Q(points__gte=0),
                                   violation_error_message="分值不能为负数。"),
            models.CheckConstraint(name="assessment_indicator_rule_on_items_only",
                                   condition=(Q(level=3) & ~Q(rule_kind="")) | (Q(level__in=[1, 2]) & Q(rule_kind="")),
                                   violation_error_message="只有评分项设置计分规则，且必须设置。"),
            models.CheckConstraint(name="assessment_indicator_deduction_not_negative",
                                   condition=Q(deduction__gte=0) & (Q(deduction_cap__isnull=True)
                                                                    | Q(deduction_cap__gte=0)),
                                   violation_error_message="扣分不能为负数。"),
        ]
        indexes = [models.Index(fields=["scheme", "level"], name="assessment_indicator_level_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def rule(self) -> Rule:
        return Rule(self.rule_kind, self.points, self.deduction, self.deduction_cap)

    @property
    def is_extra(self) -> bool:
        return self.rule_kind in RuleKind.extras()


class ScorerGrant(models.Model):
    """Scoring is a permission of a named account for a named item, not of every liaison of the scorer unit."""

    indicator = models.ForeignKey(Indicator, verbose_name="评分项", on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", on_delete=models.CASCADE,
                             related_name="assessment_grants")

    class Meta:
        verbose_name = "评分权限"
        verbose_name_plural = "评分权限"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "user"], name="assessment_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.indicator}"


class SelfAssessment(models.Model):
    """A unit's claim on one scoring item: the score it thinks it earned, why, and its evidence."""

    membership = models.ForeignKey(CategoryMembership, verbose_name="参加考核单位", on_delete=models.CASCADE,
                                   related_name="self_assessments")
    indicator = models.ForeignKey(Indicator, verbose_name="评分项", on_delete=models.CASCADE,
                                  related_name="self_assessments")
    claimed = models.DecimalField("自评得分", **POINTS)
    explanation = models.TextField("自评说明", blank=True)
    reports = models.ManyToManyField("reports.Report", verbose_name="关联进展报告", blank=True, related_name="+")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "自评"
        verbose_name_plural = "自评"
        constraints = [
            models.UniqueConstraint(fields=["membership", "indicator"], name="assessment_self_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.unit} · {self.indicator}"


def evidence_storage_name(instance: Evidence, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"assessment/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    self_assessment = models.ForeignKey(SelfAssessment, verbose_name="自评", on_delete=models.CASCADE,
                                        related_name="evidence")
    file = models.FileField("文件", upload_to=evidence_storage_name, max_length=200)
    original_name = models.CharField("原文件名", max_length=limits.TITLE)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "考核佐证材料"
        verbose_name_plural = "考核佐证材料"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Score(models.Model):
    """The score of one unit on one item. ``computed`` is what Fazhi's data gave when one applies."""

    membership = models.ForeignKey(CategoryMembership, verbose_name="参加考核单位", on_delete=models.CASCADE,
                                   related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name="评分项", on_delete=models.CASCADE, related_name="scores")
    score = models.DecimalField("得分", **POINTS)
    computed = models.DecimalField("平台数据计算得分", null=True, blank=True, **POINTS)
    is_override = models.BooleanField("改动了计算得分", default=False)
    vetoed = models.BooleanField("触发一票否决", default=False)
    reason = models.TextField("扣分理由", blank=True)
    by_office = models.BooleanField("法治办复核调整", default=False)
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评分人", on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    scored_at = models.DateTimeField("评分时间", auto_now=True)

    class Meta:
        verbose_name = "评分"
        verbose_name_plural = "评分"
        constraints = [
            models.UniqueConstraint(fields=["membership", "indicator"], name="assessment_score_unique"),
            models.CheckConstraint(name="assessment_score_override_has_reason",
                                   condition=Q(is_override=False) | ~Q(reason=""),
                                   violation_error_message="改动平台计算得分必须填写理由。"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.unit} · {self.indicator}: {self.score}"


class ObjectionState(models.TextChoices):
    OPEN = "open", "待答复"
    UPHELD = "upheld", "异议成立，已调整"
    REJECTED = "rejected", "异议不成立"


class Objection(models.Model):
    membership = models.ForeignKey(CategoryMembership, verbose_name="单位", on_delete=models.CASCADE,
                                   related_name="objections")
    indicator = models.ForeignKey(Indicator, verbose_name="涉及评分项", on_delete=models.CASCADE, null=True,
                                  blank=True, related_name="+")
    text = models.TextField("异议内容")
    state = models.CharField("状态", max_length=20, choices=ObjectionState.choices, default=ObjectionState.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "考核异议"
        verbose_name_plural = "考核异议"
        ordering = ["raised_at", "id"]
        constraints = [
            models.CheckConstraint(name="assessment_objection_answered",
                                   condition=Q(state="open") | ~Q(answer=""),
                                   violation_error_message="答复异议必须填写答复内容。"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.unit} 的异议"


class ResultQuerySet(models.QuerySet["Result"]):
    def ranked(self) -> ResultQuerySet:
        return self.order_by(
            "membership__category__order", "membership__category_id", "rank", "membership__unit__order",
            "membership__unit__name")


class Result(models.Model):
    """A unit's result as locked: stored once at lock (and when an upheld objection changes it)."""

    membership = models.OneToOneField(CategoryMembership, verbose_name="单位", on_delete=models.CASCADE,
                                      related_name="result")
    base = models.DecimalField("基础得分", **POINTS)
    converted = models.DecimalField("折算得分", **POINTS)
    bonus = models.DecimalField("附加项得分", **POINTS)
    total = models.DecimalField("总分", **POINTS)
    vetoed = models.BooleanField("一票否决", default=False)
    rank = models.PositiveSmallIntegerField("名次")
    grade = models.CharField("等次", max_length=20, choices=Grade.choices)
    stored_at = models.DateTimeField("计算时间", auto_now=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        constraints = [
            models.CheckConstraint(name="assessment_result_veto_fails",
                                   condition=Q(vetoed=False) | Q(grade="fail"),
                                   violation_error_message="一票否决的单位等次必须为不合格。"),
            models.CheckConstraint(name="assessment_result_rank_positive", condition=Q(rank__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.membership.unit}: {self.total}"
