"""The annual work points (工作要点): units, unit groups, plans, chapters, items and who owes what.

An item's assignments keep what the document wrote (a unit or a collective name such as
"各区镇"), while its duties are the expanded set of units that owe reports on it. Duties are
derived data, rebuilt only by ``tasks.services.sync_duties`` so that a group's membership
change reaches every item that is not archived.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from fazhi import limits

# The largest values the columns hold on PostgreSQL (smallint seq, integer order). Django checks them there
# only; as field validators every ModelForm (screens and admin) refuses the same value on SQLite too.
SEQ_MAX = 32767
ORDER_MAX = 2147483647


class UnitKind(models.TextChoices):
    PARTY = "party", "党委部门"
    GOVERNMENT = "government", "政府部门"
    TOWN = "town", "镇（街道）"
    PARK = "park", "开发区（园区）"
    JUDICIAL = "judicial", "司法机关"
    OTHER = "other", "其他"


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    kind = models.CharField("单位类别", max_length=20, choices=UnitKind.choices, default=UnitKind.GOVERNMENT)
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveIntegerField("排序", default=0, validators=[MaxValueValidator(ORDER_MAX)])

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(name="tasks_unit_name_not_blank", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return self.name


class UnitGroup(models.Model):
    """A collective name as documents write it ("市政府各有关部门", "各区镇") that expands to units."""

    name = models.CharField("集合名称", max_length=100, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    members = models.ManyToManyField(Unit, verbose_name="成员单位", related_name="unit_groups", blank=True)
    order = models.PositiveIntegerField("排序", default=0, validators=[MaxValueValidator(ORDER_MAX)])

    class Meta:
        verbose_name = "单位集合"
        verbose_name_plural = "单位集合"
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(name="tasks_unitgroup_name_not_blank", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return self.name


class Alias(models.Model):
    """Another name for a unit or a group (e.g. "市政府办" for "市政府办公室"), used when reading documents."""

    name = models.CharField("别名", max_length=100, unique=True)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, null=True, blank=True,
                             related_name="aliases")
    group = models.ForeignKey(UnitGroup, verbose_name="单位集合", on_delete=models.CASCADE, null=True,
                              blank=True, related_name="aliases")

    class Meta:
        verbose_name = "别名"
        verbose_name_plural = "别名"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="tasks_alias_targets_one",
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                violation_error_message="别名必须且只能指向一个单位或一个单位集合。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GovernmentQuerySet(models.QuerySet["Government"]):
    def with_leadership_unit(self) -> GovernmentQuerySet:
        return self.select_related("leadership_unit", "parent")


def government_template_name(instance: Government, filename: str) -> str:
    # A random name: the stored file is never guessed and never overwrites another office's template.
    import uuid

    return f"govtemplates/{uuid.uuid4().hex}.docx"


class Government(models.Model):
    """A government that reports (区/市/镇人民政府): the jurisdiction its plans belong to.

    Plain on purpose, with a parent, so city → district → town can be built on it later.
    """

    name = models.CharField("政府名称", max_length=100, unique=True)
    red_header = models.CharField("发文机关标志", max_length=100, blank=True,
                                  help_text="红头文字，如“江川市人民政府”；空则用政府名称")
    doc_prefix = models.CharField("文号机关代字", max_length=20, blank=True, help_text="如“江政呈”")
    recipients = models.TextField("常用主送机关", blank=True, max_length=1000,
                                  help_text="每行一个，如市委、市人大常委会、上一级人民政府")
    leadership_unit = models.ForeignKey(Unit, verbose_name="第一责任人履职情况撰写单位", on_delete=models.SET_NULL,
                                        null=True, blank=True, related_name="+")
    parent = models.ForeignKey("self", verbose_name="上级政府", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children")
    template = models.FileField("版头模板（Word）", upload_to=government_template_name, blank=True, max_length=200)
    template_name = models.CharField("模板原文件名", max_length=200, blank=True)

    objects = GovernmentQuerySet.as_manager()

    class Meta:
        verbose_name = "人民政府"
        verbose_name_plural = "人民政府"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(name="tasks_government_name_not_blank", condition=~Q(name="")),
            models.CheckConstraint(name="tasks_government_not_own_parent", condition=~Q(parent=models.F("pk"))),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def header_text(self) -> str:
        return self.red_header or self.name

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]


def government_name_for_issuer(issuer: str) -> str:
    """The government that reports for a plan issued by ``issuer``.

    "太仓市人民政府办公室" → "太仓市人民政府"; an issuer without "人民政府" (a party office, a
    committee) is kept as it is; no issuer at all gives "本级人民政府", which the office renames.
    """
    issuer = issuer.strip()
    marker = "人民政府"
    if marker in issuer:
        return issuer[: issuer.index(marker) + len(marker)]
    return issuer or "本级人民政府"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"
    ARCHIVED = "archived", "已归档"


class PlanQuerySet(models.QuerySet["Plan"]):
    def with_counts(self) -> PlanQuerySet:
        """Plans with their chapter and item counts, in one query for the plan list."""
        chapters = Chapter.objects.filter(plan=models.OuterRef("pk")).values("plan").annotate(
            n=models.Count("pk")).values("n")
        items = WorkItem.objects.filter(plan=models.OuterRef("pk")).values("plan").annotate(
            n=models.Count("pk")).values("n")
        return self.annotate(
            chapter_count=Coalesce(models.Subquery(chapters), 0),
            item_count=Coalesce(models.Subquery(items), 0),
        )


class Plan(models.Model):
    title = models.CharField("标题", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    issuer = models.CharField("印发机关", max_length=100, blank=True)
    government = models.ForeignKey(Government, verbose_name="所属政府", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="plans")
    doc_number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    source_text = models.TextField("原文", blank=True, max_length=limits.DOCUMENT_TEXT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "年度工作要点"
        verbose_name_plural = "年度工作要点"
        ordering = ["-year", "-issued_on", "-id"]
        # The item search lists items newest year first: with this index PostgreSQL walks plans in that order
        # and stops after one page of items instead of sorting every item of every year.
        indexes = [models.Index(fields=["-year", "id"], name="tasks_plan_year_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "doc_number"],
                condition=~Q(doc_number=""),
                name="tasks_plan_unique_doc_number_per_year",
                violation_error_message="同一年度已有相同文号的工作要点。",
            ),
            models.CheckConstraint(
                name="tasks_plan_year_in_range", condition=Q(year__gte=2000) & Q(year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:plan_detail", args=[self.pk])

    @property
    def default_deadline(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def is_archived(self) -> bool:
        return self.status == PlanStatus.ARCHIVED


class Chapter(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="工作要点", on_delete=models.CASCADE, related_name="chapters")
    seq = models.PositiveSmallIntegerField("序号", validators=[MaxValueValidator(SEQ_MAX)])
    number = models.CharField("编号", max_length=10, help_text="如“一”")
    title = models.CharField("章节标题", max_length=200)

    class Meta:
        verbose_name = "章节"
        verbose_name_plural = "章节"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="tasks_chapter_unique_seq_per_plan",
                                    violation_error_message="本工作要点中已有相同序号的章节。"),
            models.CheckConstraint(name="tasks_chapter_seq_positive", condition=Q(seq__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.number}、{self.title}" if self.number else self.title


class WorkItemQuerySet(models.QuerySet["WorkItem"]):
    def with_assignments(self) -> WorkItemQuerySet:
        """Items with chapter, plan and assignments (units and groups) loaded in a fixed number of queries."""
        return self.select_related("plan", "chapter").prefetch_related(
            models.Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("unit", "group").order_by("order", "id"),
            )
        )

    def for_unit(self, unit: Unit) -> WorkItemQuerySet:
        """Items the unit owes work on: named directly or through a group (via the expanded duties)."""
        return self.filter(duties__unit=unit).distinct()


class WorkItem(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="工作要点", on_delete=models.CASCADE, related_name="items")
    chapter = models.ForeignKey(Chapter, verbose_name="章节", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="items")
    seq = models.PositiveSmallIntegerField("序号", help_text="(四) 的序号为 4", validators=[MaxValueValidator(SEQ_MAX)])
    number = models.CharField("编号（原文）", max_length=20, blank=True, help_text="如“(四)”")
    title = models.CharField("工作任务", max_length=300)
    body = models.TextField("具体内容", blank=True, max_length=limits.LONG_TEXT)
    deadline = models.DateField("完成时限")
    # The headings between the chapter and the item in a document numbered 二、>（一）>1.>（1）, joined by " › ".
    section = models.CharField("所属小节", max_length=200, blank=True,
                               help_text="章与任务之间的小节标题，如“（一）健全决策机制 › 1.重大行政决策”")

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        verbose_name = "工作任务"
        verbose_name_plural = "工作任务"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="tasks_workitem_unique_seq_per_plan",
                                    violation_error_message="本工作要点中已有相同序号的工作任务。"),
            models.CheckConstraint(name="tasks_workitem_seq_positive", condition=Q(seq__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.number}{self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("tasks:item_detail", args=[self.pk])

    def assignments_by_role(self, role: str) -> list[Assignment]:
        # Reads the prefetched list when there is one, so list pages stay at a fixed query count.
        return [a for a in self.assignments.all() if a.role == role]

    @property
    def lead_assignments(self) -> list[Assignment]:
        return self.assignments_by_role(AssignmentRole.LEAD)

    @property
    def responsible_assignments(self) -> list[Assignment]:
        return self.assignments_by_role(AssignmentRole.RESPONSIBLE)

    @property
    def other_assignments(self) -> list[Assignment]:
        return self.assignments_by_role(AssignmentRole.OTHER)


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    RESPONSIBLE = "responsible", "责任单位"
    OTHER = "other", "配合单位"


# A unit named in several roles on one item owes work in the strongest one.
ROLE_PRECEDENCE = {AssignmentRole.LEAD: 0, AssignmentRole.RESPONSIBLE: 1, AssignmentRole.OTHER: 2}


class Assignment(models.Model):
    """What the document wrote: one unit or one collective name, in one role, on one item."""

    item = models.ForeignKey(WorkItem, verbose_name="工作任务", on_delete=models.CASCADE,
                             related_name="assignments")
    role = models.CharField("角色", max_length=20, choices=AssignmentRole.choices)
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="assignments")
    group = models.ForeignKey(UnitGroup, verbose_name="单位集合", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="assignments")
    written_as = models.CharField("原文写法", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "任务分工"
        verbose_name_plural = "任务分工"
        ordering = ["item", "order", "id"]
        constraints = [
            models.CheckConstraint(
                name="tasks_assignment_targets_one",
                condition=(Q(unit__isnull=False) & Q(group__isnull=True))
                | (Q(unit__isnull=True) & Q(group__isnull=False)),
                violation_error_message="分工必须且只能指向一个单位或一个单位集合。",
            ),
            models.UniqueConstraint(fields=["item", "role", "unit"], condition=Q(unit__isnull=False),
                                    name="tasks_assignment_unique_unit_per_role"),
            models.UniqueConstraint(fields=["item", "role", "group"], condition=Q(group__isnull=False),
                                    name="tasks_assignment_unique_group_per_role"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def target(self) -> Unit | UnitGroup:
        return self.unit if self.unit_id else self.group  # type: ignore[return-value]

    @property
    def label(self) -> str:
        """The name to show: as the document wrote it when that differs from the registry name."""
        return self.written_as or self.target.name

    @property
    def is_group(self) -> bool:
        return self.group_id is not None


class Duty(models.Model):
    """Derived: one unit that owes work on one item, with its strongest role. See ``sync_duties``."""

    item = models.ForeignKey(WorkItem, verbose_name="工作任务", on_delete=models.CASCADE, related_name="duties")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="duties")
    role = models.CharField("角色", max_length=20, choices=AssignmentRole.choices)

    class Meta:
        verbose_name = "单位任务"
        verbose_name_plural = "单位任务"
        ordering = ["item", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="tasks_duty_unique_unit_per_item"),
        ]
        indexes = [models.Index(fields=["unit", "item"], name="tasks_duty_unit_item_idx")]

    def __str__(self) -> str:
        return f"{self.item} · {self.unit}"

    @property
    def is_lead(self) -> bool:
        return self.role == AssignmentRole.LEAD


class ImportSource(models.TextChoices):
    DOCX = "docx", "Word 文档"
    XLSX = "xlsx", "Excel 任务分解表"
    TXT = "txt", "文本文件"
    PDF = "pdf", "PDF 文件"
    PASTE = "paste", "粘贴文本"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已导入"
    DISCARDED = "discarded", "已放弃"


class DocumentImport(models.Model):
    """An import waiting in preview: the parsed draft and the user's decisions, kept server-side.

    ``data`` is ``PlanDraft.as_json()`` (edited in place by the preview), ``mapping`` maps each
    unknown unit name to a ``NameChoice``. State changes go through ``tasks.importing.services``.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.CASCADE,
                              related_name="document_imports")
    source = models.CharField("来源", max_length=10, choices=ImportSource.choices)
    filename = models.CharField("文件名", max_length=255, blank=True)
    data = models.JSONField("解析结果", default=dict)
    mapping = models.JSONField("单位对应", default=dict, blank=True)
    status = models.CharField("状态", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    plan = models.ForeignKey(Plan, verbose_name="导入结果", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "文档导入"
        verbose_name_plural = "文档导入"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "status"], name="tasks_docimport_owner_idx")]

    def __str__(self) -> str:
        return self.filename or self.get_source_display()
