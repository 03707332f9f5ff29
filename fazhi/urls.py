from django.contrib import admin
from django.urls import include, path

from fazhi import views

admin.site.site_header = "法治政府建设工作管理平台 · 后台"
admin.site.site_title = "法治政府建设 · 后台"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("plans/", include("tasks.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("audit/", include("audit.urls")),
    path("exports/", include("exports.urls")),
    path("assessment/", include("assessment.urls")),
    path("admin/", admin.site.urls),
]
