from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program bimbingan")

    def ready(self):
        from bapas.reminders import register_today_section
        from clients.models import Client, RecidivismEvent, Supervision
        from clients.signals import client_transferring, recidivism_deleting, supervision_closed, supervision_reopened

        from . import audit_actions, demo, detail_panels, reminders  # noqa: F401 — these register themselves
        from .followups import on_client_transferring, on_recidivism_deleting, on_supervision_closed, on_supervision_reopened
        from .selectors import my_clients_schedule

        supervision_closed.connect(on_supervision_closed, sender=Supervision, dispatch_uid="programs_follow_ups")
        supervision_reopened.connect(on_supervision_reopened, sender=Supervision, dispatch_uid="programs_follow_ups_taken_back")
        recidivism_deleting.connect(on_recidivism_deleting, sender=RecidivismEvent, dispatch_uid="programs_follow_up_unlinked")
        client_transferring.connect(on_client_transferring, sender=Client, dispatch_uid="programs_transferred_away")
        detail_panels.register()
        detail_panels.register_timeline()
        detail_panels.register_history()
        detail_panels.register_plan_programmes()
        register_today_section("programs/today_schedule.html", lambda request: {"meetings": my_clients_schedule(request.user)})
