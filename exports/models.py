"""Files the app builds for a user off the request: annual reports, period summaries, audit exports.

A user asks for a file; an ``ExportJob`` is queued, built by the worker (or at once when the
deployment has none), stored through the storage API and handed out only to the user who asked.
States change only through ``exports.services``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse


class ExportKind(models.TextChoices):
    ANNUAL_DOCX = "annual_docx", "年度法治政府建设情况报告（Word）"
    PERIOD_XLSX = "period_xlsx", "报送期次汇总表（Excel）"
    AUDIT_XLSX = "audit_xlsx", "审计记录（Excel）"
    GOV_REPORT_DOCX = "gov_report_docx", "政府年度法治政府建设情况报告（Word）"


class ExportState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "生成失败"


def export_upload_to(job: ExportJob, filename: str) -> str:
    # A random stored name: the display name (with the unit's name in it) stays in the database only.
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"exports/{job.created_at:%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class ExportJobQuerySet(models.QuerySet):
    def for_user(self, user) -> ExportJobQuerySet:
        return self.filter(requested_by=user)

    def pending(self) -> ExportJobQuerySet:
        return self.filter(state__in=[ExportState.QUEUED, ExportState.RUNNING])


class ExportJob(models.Model):
    kind = models.CharField("类型", max_length=20, choices=ExportKind.choices)
    params = models.JSONField("参数", default=dict)
    title = models.CharField("文件名", max_length=200)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.CASCADE,
                                     related_name="export_jobs")
    state = models.CharField("状态", max_length=20, choices=ExportState.choices, default=ExportState.QUEUED)
    file = models.FileField("文件", upload_to=export_upload_to, blank=True, max_length=200)
    size = models.PositiveBigIntegerField("大小（字节）", null=True, blank=True)
    error = models.CharField("失败原因", max_length=300, blank=True)
    created_at = models.DateTimeField("申请时间", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = "导出文件"
        verbose_name_plural = "导出文件"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="exports_job_user_recent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="done") | ~models.Q(file=""), name="exports_job_done_has_file",
                violation_error_message="已完成的导出必须有文件。",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exports:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.state in (ExportState.QUEUED, ExportState.RUNNING)
