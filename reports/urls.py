from django.urls import path

from reports import views, views_annual, views_manage

app_name = "reports"

urlpatterns = [
    path("", views.todo, name="todo"),
    path("obligations/<int:obligation_pk>/start/", views.start, name="start"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/return/", views.return_, name="return"),
    path("attachments/<int:pk>/", views.download_attachment, name="attachment"),
    path("attachments/<int:pk>/view/", views.view_attachment, name="attachment_view"),
    path("attachments/<int:pk>/delete/", views.delete_attachment, name="attachment_delete"),
    path("review/", views.review_queue, name="review_queue"),
    path("items/<int:item_pk>/", views.item_reports, name="item_reports"),
    path("plans/<int:plan_pk>/periods/", views_manage.periods, name="periods"),
    path("periods/<int:pk>/close/", views_manage.close, name="period_close"),
    path("periods/<int:pk>/reopen/", views_manage.reopen, name="period_reopen"),
    path("reminders/", views_manage.reminders, name="reminders"),
    path("notices/", views_manage.notices, name="notices"),
    path("notices/<int:pk>/open/", views_manage.open_notice, name="notice_open"),
    path("notices/read-all/", views_manage.read_all_notices, name="notices_read_all"),
    path("notices/settings/", views_manage.notice_settings, name="notice_settings"),
    path("annual/", views_annual.annual_list, name="annual_list"),
    path("annual/mine/", views_annual.my_annual, name="annual_mine"),
    path("annual/<int:year>/due/", views_annual.annual_due, name="annual_due"),
    path("annual/<int:year>/remind/", views_annual.annual_remind, name="annual_send_reminders"),
    path("annual/<int:unit_pk>/<int:year>/", views_annual.annual_edit, name="annual_edit"),
    path("annual/<int:unit_pk>/<int:year>/submit/", views_annual.annual_submit, name="annual_submit"),
    path("annual/<int:unit_pk>/<int:year>/approve/", views_annual.annual_approve, name="annual_approve"),
    path("annual/<int:unit_pk>/<int:year>/return/", views_annual.annual_return, name="annual_return"),
]
