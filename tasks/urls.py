from django.urls import path

from tasks import views, views_registry
from tasks.importing import views as import_views

app_name = "tasks"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/export.xlsx", views.plan_export, name="plan_export"),
    path("<int:plan_pk>/chapters/new/", views.chapter_create, name="chapter_create"),
    path("chapters/<int:pk>/edit/", views.chapter_edit, name="chapter_edit"),
    path("chapters/<int:pk>/delete/", views.chapter_delete, name="chapter_delete"),
    path("<int:plan_pk>/items/new/", views.item_create, name="item_create"),
    path("items/", views.item_search, name="item_search"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("mine/", views.my_unit_items, name="my_unit_items"),
    path("units/", views_registry.unit_list, name="unit_list"),
    path("units/new/", views_registry.unit_create, name="unit_create"),
    path("units/<int:pk>/", views_registry.unit_edit, name="unit_edit"),
    path("units/<int:pk>/aliases/", views_registry.unit_alias_add, name="unit_alias_add"),
    path("aliases/<int:pk>/delete/", views_registry.alias_delete, name="alias_delete"),
    path("groups/", views_registry.group_list, name="group_list"),
    path("groups/new/", views_registry.group_create, name="group_create"),
    path("groups/<int:pk>/", views_registry.group_edit, name="group_edit"),
    path("groups/<int:pk>/aliases/", views_registry.group_alias_add, name="group_alias_add"),
]
