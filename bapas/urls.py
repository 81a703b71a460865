from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("bahasa/", views.set_language, name="set_language"),
    path("klien/", include("clients.urls")),
    path("asesmen/", include("assessments.urls")),
    path("litmas/", include("assessments.litmas_urls")),
    path("program/", include("programs.urls")),
    path("laporan/", include("reports.urls")),
    path("", include("bapas.app_urls")),
    path("pengaturan/klien/", include("clients.settings_urls")),
    path("pengaturan/asesmen/", include("assessments.settings_urls")),
    path("django-admin/", admin.site.urls),
]
