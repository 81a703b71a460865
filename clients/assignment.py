"""Advice shown when a supervisor (re)assigns a case. The workload model lives in the reports app,
which registers the advisor in its AppConfig.ready(), so this app never imports it."""

from django.utils.translation import gettext as _

from .models import Supervision

_advisor = None


def register_assignment_advisor(func) -> None:
    global _advisor
    _advisor = func


def advice_for(supervision) -> dict | None:
    return _advisor(supervision) if _advisor is not None else None


def cases_still_assigned(user) -> str | None:
    """Before an admin deactivates a PK or gives them another role: their active cases would be left
    with nobody to see them on Hari ini."""
    count = Supervision.objects.active().filter(officer_id=user.pk).count()
    if not count:
        return None
    return _("%(name)s masih memegang %(n)d kasus aktif. Minta Kasi/Kasubsi mengalihkannya lebih dulu "
             "(Beban kerja → alihkan).") % {"name": user, "n": count}
