from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Asesmen")

    def ready(self):
        from bapas.forms import register_caseworker_release_check
        from clients.filters import register_caseload_filter
        from clients.models import Supervision, Violation
        from clients.signals import supervision_changed, supervision_opening, violation_saved

        from . import audit_actions, demo, detail_panels, reminders  # noqa: F401 — these register themselves
        from .litmas import litmas_still_open
        from .plans import caseload_plan_filter
        from .policy import on_supervision_changed, on_supervision_opening, on_violation_saved

        supervision_opening.connect(on_supervision_opening, sender=Supervision, dispatch_uid="assessments_intensity")
        violation_saved.connect(on_violation_saved, sender=Violation, dispatch_uid="assessments_reassessment_on_violation")
        supervision_changed.connect(on_supervision_changed, sender=Supervision, dispatch_uid="assessments_reassessment_on_edit")
        post_migrate.connect(_load_shipped, sender=self, dispatch_uid="assessments_load_shipped")
        detail_panels.register()
        detail_panels.register_timeline()
        detail_panels.register_history()
        register_caseload_filter("no_approved_plan", caseload_plan_filter)
        register_caseworker_release_check(litmas_still_open)


def _load_shipped(sender, apps=None, **kwargs):
    """After migrate, so a migrated database always holds the shipped instruments. Skipped when the
    migration state has no instrument table (e.g. after `migrate assessments zero`)."""
    from .definitions import load_shipped_definitions

    try:
        if apps is not None:
            apps.get_model("assessments", "InstrumentVersion")
    except LookupError:
        return
    load_shipped_definitions()
