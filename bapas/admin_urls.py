from django.urls import path

from . import views

app_name = "bapas"

urlpatterns = [
    path("", views.settings_home, name="settings"),
    path("kantor/", views.office_edit, name="office_edit"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
]
