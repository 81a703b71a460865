"""What the audit page calls the actions this app writes (bapas.audit)."""

from django.utils.translation import gettext_lazy as _

from bapas.audit import register_actions

register_actions("export", {
    "monthly_report.generate": _("Membuat laporan bulanan"),
    "monthly_report.download": _("Mengunduh laporan bulanan"),
    "recidivism.cohort_export": _("Mengekspor data kohort residivisme"),
})
register_actions("settings", {"workload.update": _("Mengubah bobot beban kerja"),
                              "report_layout.publish": _("Mengubah susunan laporan bulanan")})
