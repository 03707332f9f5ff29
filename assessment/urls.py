from django.urls import path

from assessment import views, views_manage

app_name = "assessment"

urlpatterns = [
    path("", views_manage.index, name="index"),
    path("<int:year>/", views_manage.scheme_detail, name="scheme"),
    path("<int:year>/move/", views_manage.scheme_move, name="move_submit"),
    path("<int:year>/settings/", views_manage.scheme_settings, name="settings"),
    path("<int:year>/members/", views_manage.members, name="members"),
    path("<int:year>/indicators/new/", views_manage.indicator_edit, name="indicator_new"),
    path("<int:year>/indicators/<int:pk>/", views_manage.indicator_edit, name="indicator_edit"),
    path("<int:year>/indicators/<int:pk>/delete/", views_manage.indicator_delete, name="indicator_delete"),
    path("<int:year>/scheme.xlsx", views_manage.scheme_xlsx, name="scheme_xlsx"),
    path("<int:year>/import/", views_manage.scheme_import, name="import_submit"),
    path("<int:year>/results.xlsx", views_manage.results_xlsx, name="results_xlsx"),
    path("<int:year>/notice.docx", views_manage.notice_docx, name="notice_docx"),
    path("<int:year>/self/", views.self_list, name="self_list"),
    path("<int:year>/self/submit/", views.self_submit, name="self_submit"),
    path("<int:year>/self/<int:pk>/", views.self_edit, name="self_edit"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("<int:year>/score/", views.score_queue, name="score_queue"),
    path("<int:year>/score/<int:pk>/", views.score_item, name="score_item"),
    path("<int:year>/review/", views.review, name="review"),
    path("<int:year>/units/<int:pk>/", views.unit_detail, name="unit"),
    path("<int:year>/units/<int:pk>/objection/", views.objection_raise, name="objection_submit"),
    path("<int:year>/objections/", views.objections, name="objections"),
    path("<int:year>/results/", views.results, name="results"),
]
