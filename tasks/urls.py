from django.urls import path

from tasks import views
from tasks.importing import views as import_views

app_name = "tasks"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
