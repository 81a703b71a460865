"""What the audit page calls the actions this app writes (bapas.audit)."""

from django.utils.translation import gettext_lazy as _

from bapas.audit import register_actions

register_actions("view", {"assessment.view": _("Membuka hasil asesmen")})
register_actions("write", {
    "assessment.create": _("Memulai asesmen"),
    "assessment.update": _("Mengisi asesmen"),
    "assessment.finalise": _("Menyelesaikan asesmen"),
    "assessment.override_approved": _("Menyetujui penyesuaian tingkat risiko"),
    "assessment.override_rejected": _("Menolak penyesuaian tingkat risiko"),
    "case_plan.goal_add": _("Menambah tujuan rencana pembimbingan"),
    "case_plan.goal_status": _("Mengubah status tujuan"),
    "case_plan.submit": _("Mengajukan rencana pembimbingan"),
    "case_plan.approve": _("Menyetujui rencana pembimbingan"),
})
register_actions("settings", {
    "intensity_policy.publish": _("Menerbitkan kebijakan intensitas"),
    "instrument.load": _("Memuat instrumen asesmen"),
})
