"""What the audit page calls the actions this app writes (bapas.audit)."""

from django.utils.translation import gettext_lazy as _

from bapas.audit import register_actions

register_actions("view", {"assessment.view": _("Membuka hasil asesmen"), "case_plan.view": _("Membuka rencana pembimbingan"),
                          "litmas.view": _("Membuka Litmas")})
register_actions("export", {"litmas.print": _("Mencetak Litmas"), "litmas.export": _("Mengekspor register Litmas")})
register_actions("write", {
    "assessment.create": _("Memulai asesmen"),
    "assessment.update": _("Mengisi asesmen"),
    "assessment.finalise": _("Menyelesaikan asesmen"),
    "assessment.discard": _("Menghapus draf asesmen"),
    "assessment.override_approved": _("Menyetujui penyesuaian tingkat risiko"),
    "assessment.override_rejected": _("Menolak penyesuaian tingkat risiko"),
    "case_plan.goal_add": _("Menambah tujuan rencana pembimbingan"),
    "case_plan.goal_status": _("Mengubah status tujuan"),
    "case_plan.submit": _("Mengajukan rencana pembimbingan"),
    "case_plan.approve": _("Menyetujui rencana pembimbingan"),
    "litmas.register": _("Mendaftarkan Litmas"),
    "litmas.request_update": _("Mengubah permintaan Litmas"),
    "litmas.edit": _("Menulis Litmas"),
    "litmas.submit": _("Mengajukan Litmas ke sidang TPP"),
    "litmas.approve": _("Mencatat persetujuan TPP atas Litmas"),
    "litmas.return": _("Mengembalikan Litmas kepada PK"),
    "litmas.cancel": _("Membatalkan Litmas"),
})
register_actions("settings", {
    "intensity_policy.publish": _("Menerbitkan kebijakan intensitas"),
    "instrument.load": _("Memuat instrumen asesmen"),
})
