from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("beban-kerja/", views.caseload_dashboard, name="caseload"),
]
