from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("<int:pk>/", views.report_detail, name="detail"),
]
