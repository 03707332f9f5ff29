"""Security events are read-only everywhere, the admin included (auditlog's LogEntry admin already is)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from audit.models import SecurityEvent
from fazhi.admin import BoundedInitialMixin


@admin.register(SecurityEvent)
class SecurityEventAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["at", "kind", "username", "ip_address", "path"]
    list_filter = ["kind", "at"]
    search_fields = ["username", "ip_address", "path", "detail"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: SecurityEvent | None = None) -> bool:
        return False
