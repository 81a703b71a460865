from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BapasConfig(AppConfig):
    name = "bapas"
    verbose_name = _("Organisasi")

    def ready(self):
        from . import housekeeping, mail, reminders  # noqa: F401 — register the sweep, digest, outbox and tidying jobs

        # After migrate, not in ready(): the tables may not exist yet when ready() runs.
        post_migrate.connect(_sync_after_migrate, dispatch_uid="bapas_sync_schedules")


def _sync_after_migrate(sender, app_config=None, **kwargs):
    # post_migrate fires once per app; the last app to migrate is enough.
    if app_config is not None and app_config.label == "bapas":
        from .jobs import sync_schedules

        sync_schedules()
