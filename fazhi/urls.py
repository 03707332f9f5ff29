from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_q import models as q_models

from fazhi import views

admin.site.site_header = "法治政府建设工作管理平台 · 后台"
admin.site.site_title = "法治政府建设 · 后台"
# django-q2's admin lets a superuser schedule any importable function (func=os.system) for the worker to run:
# code execution from a browser. Schedules are set in code and deploy/ only. Unregistered here, after every
# app's admin module has been imported.
for _model in (q_models.Schedule, q_models.Task, q_models.Success, q_models.Failure, q_models.OrmQ):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    # Only the two auth views Fazhi uses: Django's password reset by e-mail and its password change (which
    # records no security event and skips the password date) are not exposed; accounts:password_change is.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", include("tasks.urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("audit/", include("audit.urls")),
    path("exports/", include("exports.urls")),
    path("ops/", include("ops.urls")),
    path("govreport/", include("govreport.urls")),
    path("public/", include("govreport.public_urls")),
    path("assessment/", include("assessment.urls")),
    path("admin/", admin.site.urls),
]
