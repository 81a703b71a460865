from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program bimbingan")

    def ready(self):
        from . import demo, detail_panels  # noqa: F401 — demo registers its seeder

        detail_panels.register()
