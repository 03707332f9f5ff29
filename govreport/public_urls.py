from django.urls import path

from govreport import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<int:pk>/", public_views.public_detail, name="detail"),
    path("<int:pk>/report.docx", public_views.public_docx, name="docx"),
]
