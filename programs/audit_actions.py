"""What the audit page calls the actions this app writes (bapas.audit)."""

from django.utils.translation import gettext_lazy as _

from bapas.audit import register_actions

register_actions("write", {
    "enrolment.create": _("Mendaftarkan ke program"),
    "enrolment.status": _("Mengubah status keikutsertaan"),
    "programme_session.create": _("Mencatat sesi program"),
    "programme_session.correct": _("Mengoreksi sesi program"),
    "programme_session.delete": _("Menghapus sesi program yang salah dicatat"),
    "programme_schedule.create": _("Menambah jadwal sesi program"),
    "programme_schedule.delete": _("Menghapus jadwal sesi program"),
    "community_service.create": _("Mencatat jam kerja sosial"),
    "community_service.correct": _("Mengoreksi hari kerja sosial"),
    "community_service.delete": _("Menghapus hari kerja sosial yang salah dicatat"),
    "follow_up.done": _("Mencatat tindak lanjut"),
    "follow_up.correct": _("Mengoreksi tindak lanjut yang sudah selesai"),
    "follow_up.unreached": _("Mencatat klien tidak terhubungi"),
})
register_actions("settings", {
    "partner.create": _("Menambah mitra"),
    "partner.update": _("Mengubah mitra"),
    "programme.create": _("Membuat program"),
    "programme.update": _("Mengubah program"),
    "follow_up_plan.update": _("Mengubah jadwal tindak lanjut"),
})
