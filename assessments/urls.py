from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("sidang-tpp/", views.tpp_agenda, name="tpp_agenda"),
    path("pembimbingan/<int:pk>/mulai/", views.assessment_start, name="start"),
    path("pembimbingan/<int:pk>/rencana/", views.case_plan, name="plan"),
    path("pembimbingan/<int:pk>/rencana/tindakan/", views.case_plan_action, name="plan_action"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/isi/", views.assessment_edit, name="edit"),
    path("<int:pk>/hapus-draf/", views.assessment_discard, name="discard"),
    path("<int:pk>/skor/", views.assessment_live_score, name="score"),
    path("<int:pk>/penyesuaian/", views.override_decide, name="override"),
    path("<int:pk>/koreksi/", views.assessment_correct, name="correct"),
]
