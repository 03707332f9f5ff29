"""Restore drills (恢复演练): what was restored, how it was checked, how long it took, by whom.

等保 2.0 asks for records of recent restore tests (应核查近期恢复测试记录); the office prints them from
``/ops/drills/``. Rows are written only by ``ops.services.record_drill`` and never edited.
"""

from __future__ import annotations

from django.db import models


class DrillKind(models.TextChoices):
    PORTABLE = "portable", "便携备份恢复"
    PITR = "pitr", "时间点恢复（PostgreSQL）"


class DrillOutcome(models.TextChoices):
    PASSED = "passed", "通过"
    FAILED = "failed", "未通过"


class RestoreDrill(models.Model):
    kind = models.CharField("演练类型", max_length=20, choices=DrillKind.choices)
    outcome = models.CharField("结果", max_length=10, choices=DrillOutcome.choices)
    started_at = models.DateTimeField("开始时间", db_index=True)
    finished_at = models.DateTimeField("结束时间")
    seconds = models.FloatField("用时（秒）")
    backup = models.CharField("所用备份", max_length=500)
    backup_created = models.DateTimeField("备份时间", null=True, blank=True)
    target_time = models.DateTimeField("恢复到的时间点", null=True, blank=True)
    run_by = models.CharField("执行人", max_length=150)
    host = models.CharField("执行主机", max_length=200, blank=True)
    # [{"name": "...", "ok": true, "detail": "..."}], in the order they ran.
    checks = models.JSONField("检查项", default=list)
    error = models.TextField("错误", blank=True)

    class Meta:
        verbose_name = "恢复演练"
        verbose_name_plural = "恢复演练"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.get_outcome_display()}"


class PitrMarker(models.Model):
    """Rows the point-in-time drill writes just before and just after its target moment: the restored
    database must hold the first and not the second."""

    token = models.CharField(max_length=64, db_index=True)
    side = models.CharField(max_length=10)  # "before" / "after"
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "时间点恢复标记"
        verbose_name_plural = "时间点恢复标记"

    def __str__(self) -> str:
        return f"{self.token} {self.side}"
