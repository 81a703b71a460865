from django.urls import path

from . import settings_views

app_name = "clients_settings"

urlpatterns = [
    path("kategori-tindak-pidana/", settings_views.offence_categories, name="offence_categories"),
    path("kategori-tindak-pidana/<int:pk>/", settings_views.offence_category_edit, name="offence_category_edit"),
    path("aturan-tahap/", settings_views.stage_rule, name="stage_rule"),
]
