from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Klien")

    def ready(self):
        from bapas.forms import register_caseworker_release_check
        from bapas.models import Office

        from . import audit_actions, demo, detail_panels, jobs, reminders  # noqa: F401 — these register themselves
        from .assignment import cases_still_assigned

        register_caseworker_release_check(cases_still_assigned)
        post_save.connect(_office_created, sender=Office, dispatch_uid="clients_office_defaults")
        detail_panels.register()
        detail_panels.register_timeline()
        detail_panels.register_history()


def _office_created(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        from .services import office_setup_defaults

        office_setup_defaults(office=instance)
