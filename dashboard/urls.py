from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("go/", views.go, name="go"),
    path("year/<int:year>/", views.year, name="year"),
    path("period/<int:period_id>/", views.overview, name="overview"),
    path("period/<int:period_id>/units/", views.units, name="units"),
    path("period/<int:period_id>/matrix/", views.matrix, name="matrix"),
    path("period/<int:period_id>/trends/", views.trends, name="trends"),
    path("period/<int:period_id>/items/", views.item_list, name="items"),
    path("period/<int:period_id>/obligations/", views.obligation_list, name="obligations"),
]
