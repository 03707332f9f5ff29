from django.urls import path

from govreport import views

app_name = "govreport"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("compile/", views.report_compile, name="compile"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/details/", views.report_details, name="details"),
    path("<int:pk>/include/", views.source_include, name="include"),
    path("<int:pk>/approve/", views.report_approve, name="approve"),
    path("<int:pk>/reopen/", views.report_reopen, name="reopen"),
    path("<int:pk>/submissions/add/", views.submission_add, name="submission_add"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/unpublish/", views.report_unpublish, name="unpublish"),
    path("<int:pk>/portal/", views.portal_record, name="portal_record"),
    path("<int:pk>/portal.html", views.portal_html, name="portal_html"),
    path("<int:pk>/export/", views.report_export, name="export"),
    path("sections/<int:pk>/", views.section_detail, name="section"),
    path("sections/<int:pk>/refill/", views.section_refill, name="section_refill"),
    path("sections/<int:pk>/versions/", views.section_versions, name="section_versions"),
    path("governments/", views.government_list, name="governments"),
    path("governments/<int:pk>/edit/", views.government_edit, name="government_edit"),
    path("governments/<int:pk>/template-preview.docx", views.government_template_preview,
         name="government_template_preview"),
]
