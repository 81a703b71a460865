from django.urls import path

from . import settings_views, views

app_name = "reports"

urlpatterns = [
    path("beban-kerja/", views.caseload_dashboard, name="caseload"),
    path("beban-kerja/<int:pk>/alihkan/", views.caseload_reassign, name="reassign"),
    path("kantor/", views.head_dashboard, name="office"),
    path("wilayah/", views.regional_recap, name="regional"),
    path("residivisme/", views.recidivism_analytics, name="recidivism"),
    path("residivisme/kohort.csv", views.recidivism_cohort_csv, name="recidivism_csv"),
    path("bulanan/", views.monthly_reports, name="monthly"),
    path("bulanan/<int:pk>/", views.monthly_detail, name="monthly_detail"),
    path("bulanan/<int:pk>/unduh/<str:fmt>/", views.monthly_download, name="monthly_download"),
    path("pengaturan/beban-kerja/", settings_views.workload_settings, name="workload_settings"),
    path("pengaturan/susunan-laporan-bulanan/", settings_views.report_layout_settings, name="layout_settings"),
]
