from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "unit__kind"]
    search_fields = ["username", "first_name", "last_name", "unit__name", "phone"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("法治平台", {"fields": ("role", "unit", "phone", "must_change_password", "password_changed_at")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("法治平台", {"fields": ("role", "unit", "last_name", "first_name")}),
    )
