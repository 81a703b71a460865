from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan dan dasbor")

    def ready(self):
        from django.db.models.signals import post_save

        from assessments.litmas import register_load_reader
        from bapas.models import Office
        from bapas.reminders import register_today_section
        from clients.assignment import register_assignment_advisor

        from . import audit_actions, services  # noqa: F401 — register the audit labels and the monthly job
        from .workload import assignment_advice, officer_load, own_load

        register_assignment_advisor(assignment_advice)
        register_load_reader(lambda office_id: officer_load(office_id=office_id))
        register_today_section("reports/today_load.html", own_load)
        post_save.connect(_office_created, sender=Office, dispatch_uid="reports_workload_defaults")


def _office_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .workload import workload_model

        workload_model(instance.pk)
