"""What the audit page calls the actions this app writes (bapas.audit)."""

from django.utils.translation import gettext_lazy as _

from bapas.audit import register_actions

register_actions("view", {
    "client.view": _("Membuka berkas klien"),
    "client.view_timeline": _("Membuka linimasa klien"),
    "client.view_history": _("Membuka riwayat perubahan klien"),
    "document.view": _("Membuka dokumen klien"),
    "revocation.view": _("Membuka usulan pencabutan"),
})
register_actions("export", {"client.card_print": _("Mencetak kartu bimbingan"),
                            "client.agreement_print": _("Mencetak kontrak bimbingan")})
register_actions("write", {
    "client.create": _("Registrasi klien"),
    "client.import": _("Mengimpor klien dari spreadsheet"),
    "client.update": _("Mengubah data klien"),
    "client.delete": _("Menghapus klien yang salah didaftarkan"),
    "client_transfer.request": _("Mengajukan pemindahan klien dari Bapas lain"),
    "client_transfer.accept": _("Menerima pemindahan klien ke Bapas lain"),
    "client_transfer.refuse": _("Menolak pemindahan klien ke Bapas lain"),
    "client_transfer.withdraw": _("Menarik permintaan pemindahan klien"),
    "client.intake_registered_elsewhere": _("Registrasi klien yang terdaftar di kantor lain"),
    "supervision.create": _("Membuka pembimbingan"),
    "supervision.update": _("Mengubah pembimbingan"),
    "supervision.assign": _("Mengalihkan pembimbingan"),
    "supervision.delegate": _("Mendelegasikan pembimbingan"),
    "supervision.delegations_expired": _("Delegasi berakhir"),
    "supervision.close": _("Mengakhiri pembimbingan"),
    "supervision.reopen": _("Membuka kembali pembimbingan yang salah diakhiri"),
    "contact.create": _("Mencatat kontak"),
    "contact.correct": _("Mengoreksi catatan kontak"),
    "contact.delete": _("Menghapus catatan kontak yang salah dicatat"),
    "violation.create": _("Mencatat pelanggaran"),
    "violation.update": _("Mengubah pelanggaran"),
    "violation.delete": _("Menghapus pelanggaran yang salah dicatat"),
    "revocation.start": _("Memulai usulan pencabutan"),
    "revocation.tpp": _("Mencatat sidang TPP atas usulan pencabutan"),
    "revocation.suspend": _("Mencatat pencabutan sementara"),
    "revocation.send": _("Mencatat pengusulan pencabutan"),
    "revocation.decide": _("Mencatat keputusan pencabutan"),
    "recidivism.create": _("Mencatat peristiwa residivisme"),
    "recidivism.update": _("Mengubah peristiwa residivisme"),
    "recidivism.delete": _("Menghapus peristiwa residivisme yang salah dicatat"),
    "document.create": _("Mengunggah dokumen"),
    "document.withdraw": _("Menarik dokumen yang salah unggah"),
    "document.file_purge": _("Menghapus berkas dokumen yang ditarik"),
})
register_actions("settings", {
    "offence_category.create": _("Menambah kategori tindak pidana"),
    "offence_category.update": _("Mengubah kategori tindak pidana"),
    "stage_rule.update": _("Mengubah aturan tahap"),
})
