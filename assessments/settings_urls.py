from django.urls import path

from . import settings_views

app_name = "assessments_settings"

urlpatterns = [
    path("kebijakan-intensitas/", settings_views.intensity_policy, name="policy"),
    path("instrumen/", settings_views.instruments, name="instruments"),
]
