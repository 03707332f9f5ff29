"""The government's own 法治政府建设情况报告: one per government and year, in sections, versioned.

A report is compiled from the units' approved year-end reports (``govreport.compiling``), edited
section by section by the legal office (every save a ``SectionVersion``), approved (常务会议),
submitted to each recipient (``Submission``) and published (``Publication``, a frozen copy that the
public pages show). States change only through ``govreport.services``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fazhi.limits import LONG_TEXT, SHORT_TEXT
from tasks.models import Chapter, Government, WorkItem

DOC_NUMBER_MAX = 60
LIST_TEXT = SHORT_TEXT  # a few lines of organ names


class ReportState(models.TextChoices):
    DRAFT = "draft", "起草中"
    APPROVED = "approved", "已审议通过"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤回公开"

    @classmethod
    def editable(cls) -> tuple[str, ...]:
        return (cls.DRAFT,)

    @classmethod
    def final(cls) -> tuple[str, ...]:
        """Approved by the government: the text is fixed, it can go up and out."""
        return (cls.APPROVED, cls.PUBLISHED, cls.WITHDRAWN)


class Part(models.TextChoices):
    """The parts the 2019 督察工作规定 asks for, in the order the report prints them."""

    PREFACE = "preface", "导语"
    MEASURES = "measures", "主要举措和成效"
    LEADERSHIP = "leadership", "党政主要负责人履行推进法治建设第一责任人职责情况"
    PROBLEMS = "problems", "存在的不足和原因"
    NEXT_YEAR = "next_year", "下一年度主要安排"
    OTHER = "other", "其他需要报告的事项"

    @classmethod
    def required(cls) -> tuple[str, ...]:
        return (cls.PREFACE, cls.MEASURES, cls.LEADERSHIP, cls.PROBLEMS, cls.NEXT_YEAR)


PART_ORDER = {part: n for n, part in enumerate(Part.values)}


def deadline_for(year: int) -> dt.date:
    """A government reports on year N by 1 April of N + 1 (督察工作规定 第二十五条)."""
    return dt.date(year + 1, 4, 1)


class GovReportQuerySet(models.QuerySet["GovReport"]):
    def with_government(self) -> GovReportQuerySet:
        return self.select_related("government", "government__leadership_unit", "updated_by")

    def awaiting_publication(self) -> GovReportQuerySet:
        return self.exclude(state=ReportState.PUBLISHED)


class GovReport(models.Model):
    government = models.ForeignKey(Government, verbose_name="政府", on_delete=models.PROTECT,
                                   related_name="reports")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=DOC_NUMBER_MAX, blank=True)
    signer = models.CharField("签发人", max_length=50, blank=True)
    recipients = models.TextField("主送机关", blank=True, max_length=LIST_TEXT,
                                  help_text="每行一个")
    signature = models.CharField("落款（发文机关署名）", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    cc = models.TextField("抄送机关", blank=True, max_length=LIST_TEXT, help_text="每行一个")
    printer = models.CharField("印发机关", max_length=100, blank=True)
    printed_on = models.DateField("印发日期", null=True, blank=True)
    approved_on = models.DateField("审议通过日期", null=True, blank=True)
    approved_at_meeting = models.CharField("审议会议", max_length=100, blank=True,
                                           help_text="如“市政府第12次常务会议”")
    included_reports = models.JSONField("特意采用的未审核报告", default=list, blank=True)
    compiled_at = models.DateTimeField("汇编时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    # Bumped on every change of the report's own fields so that a stale metadata form is refused.
    version = models.PositiveIntegerField("版本", default=1)

    objects = GovReportQuerySet.as_manager()

    class Meta:
        verbose_name = "政府法治政府建设情况报告"
        verbose_name_plural = "政府法治政府建设情况报告"
        ordering = ["-year", "government__name"]
        constraints = [
            models.UniqueConstraint(fields=["government", "year"], name="govreport_unique_per_government_year",
                                    violation_error_message="该政府本年度已有报告。"),
            models.CheckConstraint(name="govreport_year_in_range", condition=Q(year__gte=2000) & Q(year__lte=2100)),
            models.CheckConstraint(
                name="govreport_final_has_approval",
                condition=Q(state="draft") | Q(approved_on__isnull=False),
                violation_error_message="审议通过后才能报送或公开。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("govreport:detail", args=[self.pk])

    @property
    def deadline(self) -> dt.date:
        return deadline_for(self.year)

    @property
    def is_editable(self) -> bool:
        return self.state in ReportState.editable()

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def cc_list(self) -> list[str]:
        return [line.strip() for line in self.cc.splitlines() if line.strip()]


class SectionQuerySet(models.QuerySet["Section"]):
    def in_order(self) -> SectionQuerySet:
        return self.order_by("order", "id")


class Section(models.Model):
    """One part of the report, or one item subsection of 主要举措和成效."""

    report = models.ForeignKey(GovReport, verbose_name="报告", on_delete=models.CASCADE, related_name="sections")
    part = models.CharField("部分", max_length=20, choices=Part.choices)
    order = models.PositiveIntegerField("顺序")
    item = models.ForeignKey(WorkItem, verbose_name="工作任务", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    chapter = models.ForeignKey(Chapter, verbose_name="章节", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+")
    # Kept as text so that a later edit of the plan does not rewrite an approved report.
    chapter_title = models.CharField("章节标题", max_length=200, blank=True)
    heading = models.CharField("标题", max_length=300)
    text = models.TextField("正文", blank=True, max_length=LONG_TEXT)
    has_gap = models.BooleanField("有待补充内容", default=False)
    version = models.PositiveIntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="最后修改人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "报告章节"
        verbose_name_plural = "报告章节"
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="govreport_section_unique_order"),
            models.UniqueConstraint(fields=["report", "item"], condition=Q(item__isnull=False),
                                    name="govreport_section_unique_item"),
            models.UniqueConstraint(fields=["report", "part"], condition=~Q(part="measures"),
                                    name="govreport_section_one_per_part"),
        ]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("govreport:section", args=[self.pk])

    @property
    def is_item(self) -> bool:
        return self.part == Part.MEASURES


class VersionAction(models.TextChoices):
    COMPILED = "compiled", "汇编生成"
    EDITED = "edited", "人工修改"
    REFILLED = "refilled", "按来源重新生成"


class SectionVersion(models.Model):
    section = models.ForeignKey(Section, verbose_name="章节", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    action = models.CharField("方式", max_length=20, choices=VersionAction.choices)
    text = models.TextField("正文", max_length=LONG_TEXT)
    saved_at = models.DateTimeField("保存时间", auto_now_add=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="保存人", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "章节版本"
        verbose_name_plural = "章节版本"
        ordering = ["section", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="govreport_version_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.section} v{self.number}"


class Submission(models.Model):
    """The approved report sent up to one recipient, with its own 主送, 文号 and date."""

    report = models.ForeignKey(GovReport, verbose_name="报告", on_delete=models.CASCADE, related_name="submissions")
    recipient = models.CharField("主送机关", max_length=100)
    doc_number = models.CharField("文号", max_length=DOC_NUMBER_MAX)
    submitted_on = models.DateField("报送日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["report", "submitted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="govreport_submission_one_per_recipient",
                                    violation_error_message="已登记向该机关的报送。"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.doc_number}"


def publication_docx_name(instance: Publication, filename: str) -> str:
    # Permanent storage, apart from the 7-day generated files under exports/.
    return f"published/{instance.report.year}/{uuid.uuid4().hex}.docx"


class PublicationQuerySet(models.QuerySet["Publication"]):
    def public(self) -> PublicationQuerySet:
        """What anyone may read without logging in: published and not withdrawn."""
        return self.filter(withdrawn_at__isnull=True).select_related("report__government")


class Publication(models.Model):
    """A published, frozen copy of the report: what the public pages and the portal export show."""

    report = models.ForeignKey(GovReport, verbose_name="报告", on_delete=models.CASCADE,
                               related_name="publications")
    title = models.CharField("标题", max_length=200)
    government_name = models.CharField("政府", max_length=100)
    year = models.PositiveSmallIntegerField("年度")
    doc_number = models.CharField("文号", max_length=DOC_NUMBER_MAX, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    content = models.JSONField("内容", default=dict)
    docx = models.FileField("Word 文件", upload_to=publication_docx_name, blank=True, max_length=200)
    published_at = models.DateTimeField("公开时间")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="公开人", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    portal_url = models.URLField("政府网站地址", blank=True, max_length=300)
    portal_on = models.DateField("网站发布日期", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤回人", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = "公开记录"
        verbose_name_plural = "公开记录"
        ordering = ["-year", "government_name", "-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=Q(withdrawn_at__isnull=True),
                                    name="govreport_one_live_publication"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:detail", args=[self.pk])

