from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import F

from accounts.models import User
from accounts.permissions import may_manage_account
from audit.models import EventKind
from audit.services import record_event
from fazhi.admin import BoundedInitialMixin


@admin.register(User)
class UserAdmin(BoundedInitialMixin, BaseUserAdmin):
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

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are deactivated, never deleted: the audit log, reports and reviews keep their actor.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The same rule as the coordinators' screens: nobody changes an account with more power than theirs.
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage_account(request.user, obj))

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            # As in accounts.services.set_user_active: old sessions never come back.
            User.objects.filter(pk=obj.pk).update(session_epoch=F("session_epoch") + 1)
        changed = "、".join(name for name in form.changed_data if name != "password") or "密码"
        record_event(
            kind=EventKind.ACCOUNT_CHANGED if change else EventKind.ACCOUNT_CREATED,
            request=request,
            detail=f"后台{'修改' if change else '创建'}了账号 {obj.get_username()}（{changed}）",
        )
