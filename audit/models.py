"""Security events (安全审计): sign-ins, failures, lockouts and every refused access.

Data changes (old → new) are recorded by django-auditlog in its own LogEntry table; this model
holds what auditlog does not see. Rows are written only by ``audit.services`` and never edited.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class EventKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKED_OUT = "locked_out", "账号锁定"
    UNLOCKED = "unlocked", "解除锁定"
    SESSION_EXPIRED = "session_expired", "会话超时"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    ACCOUNT_CREATED = "account_created", "创建账号"
    ACCOUNT_CHANGED = "account_changed", "修改账号"
    ACCOUNT_ACTIVATED = "account_activated", "启用账号"
    ACCOUNT_DEACTIVATED = "account_deactivated", "停用账号"
    DENIED = "denied", "越权访问被拒绝"
    NOT_FOUND = "not_found", "访问不存在或无权查看的对象"


class SecurityEvent(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=EventKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    # Kept as text too: the account may be deleted later, or may never have existed (a failed login).
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    method = models.CharField("请求方法", max_length=10, blank=True)
    path = models.CharField("访问路径", max_length=500, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    detail = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "安全事件"
        verbose_name_plural = "安全事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_event_kind_idx"),
            models.Index(fields=["username", "at"], name="audit_event_username_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
