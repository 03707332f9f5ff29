from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("lockouts/", views.lockout_list, name="lockout_list"),
    path("lockouts/clear/", views.lockout_clear, name="lockout_clear"),
]
