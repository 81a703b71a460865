from django.urls import path

from . import views

app_name = "programs"

urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("baru/", views.programme_edit, name="programme_create"),
    path("<int:pk>/", views.programme_detail, name="programme_detail"),
    path("<int:pk>/ubah/", views.programme_edit, name="programme_edit"),
    path("<int:pk>/sesi/baru/", views.session_log, name="session_log"),
    path("sesi/<int:pk>/koreksi/", views.session_correct, name="session_correct"),
    path("sesi/<int:pk>/hapus/", views.session_delete, name="session_delete"),
    path("<int:pk>/jadwal/baru/", views.schedule_add, name="schedule_add"),
    path("jadwal/<int:pk>/hapus/", views.schedule_remove, name="schedule_remove"),
    path("mitra/", views.partner_list, name="partners"),
    path("mitra/baru/", views.partner_edit, name="partner_create"),
    path("mitra/<int:pk>/", views.partner_edit, name="partner_edit"),
    path("pembimbingan/<int:pk>/daftar/", views.enrol, name="enrol"),
    path("pembimbingan/<int:pk>/kerja-sosial/", views.service_days, name="service_days"),
    path("kerja-sosial/<int:pk>/koreksi/", views.service_day_correct, name="service_day_correct"),
    path("kerja-sosial/<int:pk>/hapus/", views.service_day_delete, name="service_day_delete"),
    path("pengaturan/tindak-lanjut/", views.follow_up_plan, name="follow_up_plan"),
    path("tindak-lanjut/", views.follow_up_list, name="follow_ups"),
    path("tindak-lanjut/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
    path("keikutsertaan/<int:pk>/status/", views.enrolment_status, name="enrolment_status"),
]
