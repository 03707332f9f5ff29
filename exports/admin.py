from django.contrib import admin

from exports.models import ExportJob
from fazhi.admin import BoundedInitialMixin


@admin.register(ExportJob)
class ExportJobAdmin(BoundedInitialMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "state", "requested_by", "created_at", "finished_at", "size"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "requested_by__username"]
    readonly_fields = [f.name for f in ExportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
