from django.urls import path

from exports import views

app_name = "exports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/retry/", views.retry, name="request_retry"),
    path("annual/<int:unit_pk>/<int:year>/", views.request_annual, name="request_annual"),
    path("periods/<int:period_pk>/", views.request_period_summary, name="request_period_summary"),
    path("audit/", views.request_audit, name="request_audit"),
]
