"""Django admin for the registry. Saves that touch assignments or members go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from fazhi.admin import BoundedInitialMixin
from tasks import services
from tasks.models import Alias, Assignment, Chapter, DocumentImport, Duty, Plan, PlanStatus, Unit, UnitGroup, WorkItem


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name"]


@admin.register(Unit)
class UnitAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "is_active", "order"]
    list_filter = ["kind", "is_active"]
    list_editable = ["order"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [AliasInline]
    actions = ["deactivate", "activate"]

    def _set_active(self, request: HttpRequest, queryset: QuerySet[Unit], active: bool) -> None:
        for unit in queryset:
            services.update_unit(unit=unit, name=unit.name, short_name=unit.short_name, kind=unit.kind,
                                 order=unit.order, is_active=active)
        self.message_user(request, f"已更新 {queryset.count()} 个单位，相关任务的责任单位已同步。")

    @admin.action(description="停用所选单位（同步单位集合展开的任务）")
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        self._set_active(request, queryset, False)

    @admin.action(description="启用所选单位（同步单位集合展开的任务）")
    def activate(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        self._set_active(request, queryset, True)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            services.update_unit(unit=obj, name=obj.name, short_name=obj.short_name, kind=obj.kind,
                                 order=obj.order, is_active=obj.is_active)
        else:
            super().save_model(request, obj, form, change)


@admin.register(UnitGroup)
class UnitGroupAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["name", "description", "member_count", "order"]
    search_fields = ["name", "description", "aliases__name", "members__name"]
    filter_horizontal = ["members"]
    inlines = [AliasInline]

    @admin.display(description="成员数")
    def member_count(self, obj: UnitGroup) -> int:
        return obj.members.count()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        members = list(form.cleaned_data.pop("members", []))  # saved below, by the service
        super().save_related(request, form, formsets, change)
        # The service updates the duties of every live item that names the group.
        services.set_group_members(group=form.instance, units=members)


@admin.register(Alias)
class AliasAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "group"]
    search_fields = ["name", "unit__name", "group__name"]
    autocomplete_fields = ["unit", "group"]


class ChapterInline(admin.TabularInline):
    model = Chapter
    extra = 0
    fields = ["seq", "number", "title"]


@admin.register(Plan)
class PlanAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["title", "year", "doc_number", "status", "issued_on"]
    list_filter = ["year", "status"]
    search_fields = ["title", "doc_number", "issuer"]
    date_hierarchy = "issued_on"
    inlines = [ChapterInline]
    readonly_fields = ["created_at", "updated_at", "created_by"]
    actions = ["archive", "delete_through_service"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting must check for reports first
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Plan | None = None) -> bool:
        return False

    @admin.action(description="归档所选工作要点")
    def archive(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        for plan in queryset:
            services.update_plan(plan=plan, title=plan.title, year=plan.year, issuer=plan.issuer,
                                 doc_number=plan.doc_number, issued_on=plan.issued_on,
                                 status=PlanStatus.ARCHIVED)
        self.message_user(request, f"已归档 {queryset.count()} 份工作要点。")

    @admin.action(description="删除所选工作要点（已有报送任务的不会删除）")
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet[Plan]) -> None:
        for plan in queryset:
            try:
                services.delete_plan(plan=plan)
            except ValidationError as exc:
                self.message_user(request, f"{plan}：{' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"已删除：{plan}")


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 1
    fields = ["role", "unit", "group", "written_as", "order"]
    autocomplete_fields = ["unit", "group"]


class DutyInline(admin.TabularInline):
    model = Duty
    extra = 0
    can_delete = False
    fields = ["unit", "role"]
    readonly_fields = ["unit", "role"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkItem)
class WorkItemAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "chapter", "deadline"]
    list_filter = ["plan__year", "plan"]
    search_fields = ["title", "body", "assignments__unit__name", "assignments__group__name"]
    list_select_related = ["plan", "chapter"]
    inlines = [AssignmentInline, DutyInline]
    actions = ["delete_through_service"]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: WorkItem | None = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Assignments edited inline: rebuild the expanded duties and obligations.
        services.sync_duties(items=[form.instance])

    @admin.action(description="删除所选工作任务（已有报送任务的不会删除）")
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet[WorkItem]) -> None:
        for item in queryset:
            try:
                services.delete_item(item=item)
            except ValidationError as exc:
                self.message_user(request, f"{item}：{' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, f"已删除：{item}")


@admin.register(Chapter)
class ChapterAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["__str__", "plan", "seq"]
    list_filter = ["plan"]
    search_fields = ["title"]


@admin.register(Duty)
class DutyAdmin(BoundedInitialMixin, admin.ModelAdmin):
    """Read-only: duties are derived from assignments by ``sync_duties``."""

    list_display = ["item", "unit", "role"]
    list_filter = ["role", "item__plan"]
    search_fields = ["unit__name", "item__title"]
    list_select_related = ["item", "unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DocumentImport)
class DocumentImportAdmin(BoundedInitialMixin, admin.ModelAdmin):
    """Read-only: imports are made and confirmed on the import screens, through the import services."""

    list_display = ["__str__", "source", "owner", "status", "plan", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["filename", "owner__username"]
    readonly_fields = ["owner", "source", "filename", "data", "mapping", "status", "plan", "created_at", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
