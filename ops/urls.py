from django.urls import path

from ops import views

app_name = "ops"

urlpatterns = [
    path("drills/", views.drill_list, name="drill_list"),
    path("drills/<int:pk>/", views.drill_detail, name="drill_detail"),
]
