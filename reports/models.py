"""Progress reporting: periods, the obligations they create, the reports units file, and chasing.

A period (e.g. 2025年半年报) turns every duty of its plan into an obligation: one unit owes one
report on one item. A report moves through its states only via ``reports.services``.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, FilteredRelation, Prefetch, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from fazhi import limits
from tasks.models import AssignmentRole, Plan, Unit, WorkItem


class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", "半年报"
    YEAR_END = "year_end", "年终报告"
    OTHER = "other", "其他"


class PeriodStatus(models.TextChoices):
    OPEN = "open", "填报中"
    CLOSED = "closed", "已关闭"


class PeriodScope(models.TextChoices):
    ALL = "all", "全部牵头和责任单位"
    LEAD_ONLY = "lead_only", "仅牵头单位"


class Period(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="工作要点", on_delete=models.CASCADE, related_name="periods")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=PeriodKind.choices, default=PeriodKind.HALF_YEAR)
    due_on = models.DateField("报送截止日期")
    scope = models.CharField("报送范围", max_length=20, choices=PeriodScope.choices, default=PeriodScope.ALL)
    status = models.CharField("状态", max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN)
    opened_at = models.DateTimeField("开启时间", auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="开启人", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="关闭人", on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "报送期次"
        verbose_name_plural = "报送期次"
        ordering = ["plan", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="reports_period_unique_name_per_plan",
                                    violation_error_message="本工作要点已有同名的报送期次。"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def open(self) -> ObligationQuerySet:
        """Obligations still owed: period open, and no report yet or one in draft / returned."""
        return self.filter(period__status=PeriodStatus.OPEN).filter(
            Q(report__isnull=True) | Q(report__state__in=ReportState.OPEN)
        )

    def with_visible_report(self, user) -> ObligationQuerySet:
        """Join the obligation's report as ``seen`` only where ``user`` may read it (``Report.visibility_q``):
        to anyone outside the unit an obligation with only a draft has no report, i.e. is "not filed"."""
        return self.annotate(
            seen=FilteredRelation("report", condition=Report.visibility_q(user, "report__", obligation=""))
        )

    def overdue(self, today: dt.date) -> ObligationQuerySet:
        return self.open().filter(period__due_on__lt=today)

    def in_open_periods(self, unit: Unit) -> ObligationQuerySet:
        """The unit's obligations in periods still being filed (我的待办 lists and counts these)."""
        return self.filter(unit=unit, period__status=PeriodStatus.OPEN)

    def todo_summary(self, unit: Unit) -> dict[str, int]:
        """One aggregate for 我的待办's summary line: owed, not started, drafts, submitted, returned, approved."""
        return self.in_open_periods(unit).order_by().aggregate(
            total=Count("id"),
            **{key: Count("id", filter=q) for key, (_label, q) in TODO_STATES.items() if key not in ("todo", "all")},
        )

    def todo_list(self, unit: Unit, *, state: str = "todo", chapter_id: int | None = None) -> ObligationQuerySet:
        """我的待办's rows: by period (earliest due first), returned reports first within a period, then by item."""
        qs = self.in_open_periods(unit).filter(TODO_STATES[state][1])
        if chapter_id:
            qs = qs.filter(item__chapter_id=chapter_id)
        returned_first = Case(When(report__state=ReportState.RETURNED, then=Value(0)), default=Value(1))
        return qs.select_related("period__plan", "item__chapter", "report").order_by(
            "period__due_on", "period_id", returned_first, "item__seq", "id"
        )

    def for_todo(self, unit: Unit) -> ObligationQuerySet:
        """The liaison's 我的待办: the unit's open obligations, returned reports first, then by due date."""
        returned_first = Case(When(report__state=ReportState.RETURNED, then=Value(0)), default=Value(1))
        return (
            self.filter(unit=unit)
            .open()
            .select_related("period", "item__chapter", "report")
            .order_by(returned_first, "period__due_on", "item__seq", "id")
        )


class Obligation(models.Model):
    """One unit owes one report on one item in one period."""


    period = models.ForeignKey(Period, verbose_name="报送期次", on_delete=models.CASCADE,
                               related_name="obligations")
    item = models.ForeignKey(WorkItem, verbose_name="工作任务", on_delete=models.CASCADE,
                             related_name="obligations")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="obligations")
    role = models.CharField("角色", max_length=20, choices=AssignmentRole.choices)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        verbose_name = "报送任务"
        verbose_name_plural = "报送任务"
        ordering = ["period", "item__seq", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["period", "item", "unit"],
                                    name="reports_obligation_unique_per_period"),
        ]
        indexes = [
            models.Index(fields=["unit", "period"], name="reports_obligation_unit_idx"),
            models.Index(fields=["item", "period"], name="reports_obligation_item_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.item} · {self.unit}"

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD

    @property
    def report_or_none(self) -> Report | None:
        try:
            return self.report
        except Report.DoesNotExist:
            return None

    def days_left(self, today: dt.date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.period.due_on - today).days


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已审核"

    # The state groups, declared once; services, access rules, dashboards and documents ask here.
    # The unit may still change the report (and owes it: it is "open" while its period is).
    EDITABLE = enum.nonmember(("draft", "returned"))
    # Sent at least once: the legal office and other units may read it; counted as 已报送.
    FILED = enum.nonmember(("submitted", "returned", "approved"))
    # What the report says stands (the office has it and did not send it back): "已完成" counts from here.
    STANDING = enum.nonmember(("submitted", "approved"))
    # Still owed by the unit (with no report at all): what 我的待办 lists and 催办 chases while the period is open.
    OPEN = enum.nonmember(("draft", "returned"))


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    IN_PROGRESS = "in_progress", "推进中"
    COMPLETED = "completed", "已完成"
    DELAYED = "delayed", "未能按期完成"


# 我的待办's state filter: key → (label, condition on an obligation). "todo" (the default) is what still needs the
# liaison: not started, drafts and returned reports.
TODO_STATES: dict[str, tuple[str, Q]] = {
    "todo": ("待办（未开始、草稿、退回修改）",
             Q(report__isnull=True) | Q(report__state__in=[ReportState.DRAFT, ReportState.RETURNED])),
    "all": ("全部", Q()),
    "not_started": ("未开始", Q(report__isnull=True)),
    "draft": ("草稿", Q(report__state=ReportState.DRAFT)),
    "returned": ("退回修改", Q(report__state=ReportState.RETURNED)),
    "submitted": ("已报送待审核", Q(report__state=ReportState.SUBMITTED)),
    "approved": ("已审核", Q(report__state=ReportState.APPROVED)),
}


class ReportQuerySet(models.QuerySet["Report"]):
    def with_context(self) -> ReportQuerySet:
        return self.select_related(
            "obligation__period__plan", "obligation__item__chapter", "obligation__unit", "updated_by", "reviewed_by"
        )

    def review_queue(self) -> ReportQuerySet:
        """Submitted reports waiting for the legal office, the longest-waiting first."""
        return (
            self.filter(state=ReportState.SUBMITTED)
            # Only what the queue shows: every extra join costs planning time on each request.
            .select_related("obligation__period", "obligation__item", "obligation__unit")
            # The evidence files are links on each card (and their number): one query for the page, only the
            # columns a link needs. The queue itself is read in submitted_at order off reports_report_queue_idx.
            .prefetch_related("figures", Prefetch(
                "attachments",
                queryset=Attachment.objects.only("id", "report_id", "original_name", "content_type", "size")
                .order_by("uploaded_at", "id"),
            ))
            .order_by("submitted_at", "id")
        )

    def visible_to(self, user) -> ReportQuerySet:
        """The one read rule for reports (see ``Report.visibility_q``); ``user=None`` is anyone outside the unit."""
        return self.filter(Report.visibility_q(user))

    def latest_per_unit(self, *, item: WorkItem, user) -> list[dict]:
        """Each unit owing work on ``item`` with its latest report the user may read; lead units first.

        Three queries whatever the number of units: the duties, the reports, their figures.
        """
        from tasks.models import ROLE_PRECEDENCE, Duty

        reports = (
            self.visible_to(user)
            .filter(obligation__item=item)
            .with_context()
            .prefetch_related("figures")
            .order_by("-obligation__period__due_on", "-id")
        )
        latest: dict[int, Report] = {}
        for report in reports:
            latest.setdefault(report.obligation.unit_id, report)
        entries = [
            {"unit": duty.unit, "role": duty.role, "role_label": duty.get_role_display(), "is_lead": duty.is_lead,
             "report": latest.get(duty.unit_id)}
            for duty in Duty.objects.filter(item=item).select_related("unit")
            if duty.role != AssignmentRole.OTHER or duty.unit_id in latest
        ]
        entries.sort(key=lambda e: (ROLE_PRECEDENCE[e["role"]], e["unit"].order, e["unit"].name))
        return entries


class Report(models.Model):
    obligation = models.OneToOneField(Obligation, verbose_name="报送任务", on_delete=models.CASCADE,
                                      related_name="report")
    state = models.CharField("报送状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    progress = models.CharField("推进状态", max_length=20, choices=ProgressStatus.choices,
                                default=ProgressStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    # Text fields carry their limit (fazhi.limits) as max_length: forms enforce it, reports.services checks it.
    measures = models.TextField("工作举措与成效", blank=True, max_length=limits.LONG_TEXT)
    problems = models.TextField("存在问题", blank=True, max_length=limits.LONG_TEXT)
    next_steps = models.TextField("下一步计划", blank=True, max_length=limits.LONG_TEXT)
    delay_reason = models.TextField("未能按期完成原因", blank=True, max_length=limits.SHORT_TEXT)
    # The key figures as one line ("出庭率 100%；办件量 7900件"), rewritten by reports.services whenever the figure
    # rows change, so each saved version (simple-history) carries the figures it had and the version history can
    # compare them. The change log keeps the rows themselves (one entry per figure), not this derived line.
    figures_text = models.TextField("关键数据", blank=True, editable=False)
    is_late = models.BooleanField("逾期报送", default=False)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    # Lateness is judged on the first submission: a report returned for changes after an on-time
    # submission is not late when it comes back.
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    review_comment = models.TextField("审核意见", blank=True, max_length=limits.SHORT_TEXT)
    # Bumped on every save so that a second person's stale form is refused, not silently applied.
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["obligation"], name="reports_progress_unique_per_period"),
            models.CheckConstraint(name="reports_report_percent_range", condition=Q(percent__lte=100)),
            models.CheckConstraint(
                name="reports_report_delay_needs_reason",
                condition=~Q(progress="delayed") | ~Q(delay_reason=""),
                violation_error_message="推进状态为“未能按期完成”时必须填写原因。",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "submitted_at"], name="reports_report_queue_idx"),
        ]

    def __str__(self) -> str:
        return str(self.obligation)

    @staticmethod
    def visibility_q(user, prefix: str = "", *, obligation: str | None = None) -> Q:
        """The one read rule, as a condition a query can carry through joins: a report is readable once
        filed (sent at least once); a draft only by the liaisons of its own unit.

        ``prefix`` reaches the report from the model queried (``"report__"`` from Obligation);
        ``obligation`` reaches its obligation (by default through the report; ``""`` from Obligation itself,
        as a FilteredRelation condition may not go deeper than its relation).
        """
        through = f"{prefix}obligation__" if obligation is None else obligation
        readable = Q(**{f"{prefix}state__in": ReportState.FILED})
        if getattr(user, "is_liaison", False) and getattr(user, "unit_id", None) is not None:
            readable |= Q(**{f"{through}unit_id": user.unit_id})
        return readable


class ReportFigure(models.Model):
    """A key figure quoted in the report, e.g. 出庭率 100 %, 办件 7900 件."""

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="figures")
    label = models.CharField("指标", max_length=100)
    # Never wider than the database keeps exactly (fazhi.limits); reports.services.figure_value enforces it.
    value = models.DecimalField("数值", max_digits=limits.FIGURE_MAX_DIGITS, decimal_places=limits.FIGURE_DECIMALS)
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "关键数据"
        verbose_name_plural = "关键数据"
        ordering = ["report", "order", "id"]

    def __str__(self) -> str:
        return f"{self.label} {self.value}{self.unit}"


def attachment_storage_name(instance: Attachment, filename: str) -> str:
    # Random names: never guessable, never overwriting; the user's name is kept in original_name.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_storage_name, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）")
    content_type = models.CharField("类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def opens_in_browser(self) -> bool:
        """Offer 查看 for PDF and images; the view itself checks the file's first bytes before showing it."""
        return self.content_type in ("application/pdf", "image/png", "image/jpeg")


class ReportAction(models.TextChoices):
    CREATED = "created", "创建"
    SAVED = "saved", "保存"
    SUBMITTED = "submitted", "报送"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "审核通过"
    # Only a unit's year-end report (AnnualReportEvent) is reopened: the office sends an approved one back.
    REOPENED = "reopened", "重新打开"


class ReportEvent(models.Model):
    """Who moved a report from which state to which, and when."""

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=ReportAction.choices)
    from_state = models.CharField("原状态", max_length=20, choices=ReportState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "报告流转记录"
        verbose_name_plural = "报告流转记录"
        ordering = ["report", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    MANUAL = "manual", "人工催办"
    BEFORE_DUE = "before_due", "到期提醒"
    OVERDUE = "overdue", "逾期催办"


class Reminder(models.Model):
    """One reminder sent to one unit, listing its open obligations."""

    kind = models.CharField("类型", max_length=20, choices=ReminderKind.choices)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(Period, verbose_name="报送期次", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="reminders")
    # Set on a reminder about the unit's own year-end report (see reports.reminders_annual), not a period.
    annual_year = models.PositiveSmallIntegerField("年度报告年度", null=True, blank=True)
    obligations = models.ManyToManyField(Obligation, verbose_name="涉及报送任务", related_name="reminders")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发送人（空为定时任务）",
                                on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)
    recipients = models.TextField("收件人", blank=True)
    message = models.TextField("内容", blank=True)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit} · {self.sent_at:%Y-%m-%d}"


class Notice(models.Model):
    """An in-app message for one user (reminders, returns, approvals)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE,
                             related_name="notices")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="reports_notice_unread_idx")]

    def __str__(self) -> str:
        return self.title


class ReviewNoticeChoice(models.TextChoices):
    EACH = "each", "每份报告报送时通知"
    DIGEST = "digest", "每个工作日早上汇总通知一次"
    NONE = "none", "不接收"


class NoticePreference(models.Model):
    """How a coordinator hears about reports waiting for review; no row means the default (each report)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                                related_name="notice_preference")
    review_notices = models.CharField("报告待审核通知", max_length=10, choices=ReviewNoticeChoice.choices,
                                      default=ReviewNoticeChoice.EACH)
    digest_sent_at = models.DateTimeField("上次汇总时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知设置"
        verbose_name_plural = "通知设置"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_review_notices_display()}"


def default_annual_due_on(year: int) -> dt.date:
    """Departments report on year ``year`` to their government by 1 March of the next year (督察工作规定 2019)."""
    return dt.date(year + 1, 3, 1)


class AnnualReportDeadline(models.Model):
    """The due date of the units' own year-end reports for one year, where the office moved it from 1 March."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    due_on = models.DateField("报送截止日期")
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "年度报告截止日期"
        verbose_name_plural = "年度报告截止日期"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年度报告 {self.due_on:%Y-%m-%d}"

    @classmethod
    def due_on_for(cls, year: int) -> dt.date:
        row = cls.objects.filter(year=year).values_list("due_on", flat=True).first()
        return row or default_annual_due_on(year)


class AnnualReportDraftQuerySet(models.QuerySet["AnnualReportDraft"]):
    def approved(self, *, year: int) -> AnnualReportDraftQuerySet:
        """The units' year-end reports the legal office accepted: the only ones the government report uses."""
        return self.filter(year=year, state=ReportState.APPROVED).select_related("unit")

    def review_queue(self) -> AnnualReportDraftQuerySet:
        """Units' year-end reports waiting for the legal office, the longest-waiting first."""
        return self.filter(state=ReportState.SUBMITTED).select_related("unit").order_by("submitted_at", "id")

    def visible_to(self, user) -> AnnualReportDraftQuerySet:
        """As for progress reports: a unit's draft is its own until first submitted; then every role reads it."""
        if getattr(user, "is_liaison", False):
            return self.filter(~Q(state=ReportState.DRAFT) | Q(unit_id=user.unit_id))
        return self.exclude(state=ReportState.DRAFT)


class AnnualReportDraft(models.Model):
    """A unit's own 法治政府建设情况报告 for one year: its free parts, and where it stands in review.

    The body (measures per item) is compiled from the unit's approved progress reports and is not
    stored here; the liaison writes the free parts and submits; the legal office returns or approves.
    """

    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="annual_drafts")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200, blank=True)
    intro = models.TextField("导语", blank=True, max_length=limits.LONG_TEXT)
    leadership = models.TextField("第一责任人履职情况", blank=True, max_length=limits.LONG_TEXT)
    problems = models.TextField("存在问题", blank=True, max_length=limits.LONG_TEXT)
    next_year = models.TextField("下一年度工作打算", blank=True, max_length=limits.LONG_TEXT)
    state = models.CharField("报送状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次报送时间", null=True, blank=True)
    is_late = models.BooleanField("逾期报送", default=False)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    review_comment = models.TextField("审核意见", blank=True, max_length=limits.SHORT_TEXT)
    # Bumped on every save so that a second person's stale form is refused, not silently applied.
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = AnnualReportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = "单位年度报告"
        verbose_name_plural = "单位年度报告"
        ordering = ["-year", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reports_annualdraft_unique_unit_year",
                                    violation_error_message="该单位本年度已有报告草稿。"),
            models.CheckConstraint(
                name="reports_annualdraft_sent_has_time",
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                violation_error_message="已报送的年度报告必须有报送时间。",
            ),
        ]
        indexes = [models.Index(fields=["year", "state"], name="reports_annualdraft_state_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}年度报告"

    @property
    def is_editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)


class AnnualReportEvent(models.Model):
    """Who moved a unit's year-end report from which state to which, and when."""

    draft = models.ForeignKey(AnnualReportDraft, verbose_name="年度报告", on_delete=models.CASCADE,
                              related_name="events")
    action = models.CharField("操作", max_length=20, choices=ReportAction.choices)
    from_state = models.CharField("原状态", max_length=20, choices=ReportState.choices, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=ReportState.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "年度报告流转记录"
        verbose_name_plural = "年度报告流转记录"
        ordering = ["draft", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
