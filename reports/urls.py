from django.urls import path

from . import settings_views, views

app_name = "reports"

urlpatterns = [
    path("beban-kerja/", views.caseload_dashboard, name="caseload"),
    path("kantor/", views.head_dashboard, name="office"),
    path("pengaturan/beban-kerja/", settings_views.workload_settings, name="workload_settings"),
]
