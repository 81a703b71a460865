from django.urls import path

from . import desk_views, revocation_views, views

app_name = "clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("baru/", views.client_create, name="create"),
    path("impor/", views.import_start, name="import_start"),
    path("klaper/", views.client_index, name="index"),
    path("wajib-lapor/", desk_views.reporting_desk, name="reporting_desk"),
    path("impor/templat.xlsx", views.import_template, name="import_template"),
    path("impor/<int:pk>/", views.import_detail, name="import_detail"),
    path("impor/<int:pk>/mulai/", views.import_confirm, name="import_confirm"),
    path("<int:pk>/", views.client_detail, name="detail"),
    path("<int:pk>/ubah/", views.client_edit, name="edit"),
    path("<int:pk>/linimasa/", views.client_timeline, name="timeline"),
    path("<int:pk>/riwayat-perubahan/", views.client_history, name="history"),
    path("<int:pk>/kartu-bimbingan/", views.client_card, name="card"),
    path("<int:pk>/kontrak-bimbingan/", views.client_agreement, name="agreement"),
    path("<int:pk>/hapus/", views.client_delete, name="delete"),
    path("<int:pk>/pembimbingan/baru/", views.supervision_create, name="supervision_create"),
    path("<int:pk>/dokumen/baru/", views.document_upload, name="document_upload"),
    path("<int:pk>/residivisme/baru/", views.recidivism_create, name="recidivism_create"),
    path("pembimbingan/<int:pk>/ubah/", views.supervision_edit, name="supervision_edit"),
    path("pembimbingan/<int:pk>/alihkan/", views.supervision_assign, name="supervision_assign"),
    path("pembimbingan/<int:pk>/delegasi/", views.supervision_delegate, name="supervision_delegate"),
    path("pembimbingan/<int:pk>/akhiri/", views.supervision_close, name="supervision_close"),
    path("pembimbingan/<int:pk>/buka-kembali/", views.supervision_reopen, name="supervision_reopen"),
    path("pembimbingan/<int:pk>/kontak/baru/", views.contact_create, name="contact_create"),
    path("pembimbingan/<int:pk>/pelanggaran/baru/", views.violation_create, name="violation_create"),
    path("kontak/<int:pk>/koreksi/", views.contact_correct, name="contact_correct"),
    path("kontak/<int:pk>/hapus/", views.contact_delete, name="contact_delete"),
    path("pelanggaran/<int:pk>/ubah/", views.violation_edit, name="violation_edit"),
    path("pelanggaran/<int:pk>/hapus/", views.violation_delete, name="violation_delete"),
    path("pelanggaran/<int:pk>/pencabutan/", revocation_views.revocation_start, name="revocation_start"),
    path("pencabutan/<int:pk>/", revocation_views.revocation_detail, name="revocation_detail"),
    path("residivisme/<int:pk>/ubah/", views.recidivism_edit, name="recidivism_edit"),
    path("residivisme/<int:pk>/hapus/", views.recidivism_delete, name="recidivism_delete"),
    path("dokumen/<int:pk>/", views.document_download, name="document_download"),
    path("dokumen/<int:pk>/tarik/", views.document_withdraw, name="document_withdraw"),
]
