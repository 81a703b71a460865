"""The clients app's reminder rules: contacts overdue and supervisions ending soon."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.reminders import Due, reminder_rule, zone_q

from .models import Supervision

ENDING_WITHIN_DAYS = 30


def _active(recipient):
    supervisions = Supervision.objects.active()
    if recipient is not None:
        supervisions = supervisions.filter(officer=recipient)
    return supervisions


@reminder_rule("contact_overdue", gettext_lazy("Kontak terlambat"))
def contact_overdue(*, today_by_zone, recipient=None):
    rows = (
        _active(recipient).filter(zone_q(today_by_zone, "next_contact_due", "lt"))
        .values_list("pk", "officer_id", "next_contact_due", "client_id", "client__full_name")
    )
    return [
        Due(officer, "clients.supervision", pk, due, _("Kontak terlambat sejak %(date)s: %(name)s") % {
            "date": due.strftime("%d-%m-%Y"), "name": name}, reverse("clients:detail", args=[client]))
        for pk, officer, due, client, name in rows
    ]


@reminder_rule("supervision_ending", gettext_lazy("Pembimbingan segera berakhir"))
def supervision_ending(*, today_by_zone, recipient=None):
    rows = (
        _active(recipient)
        .filter(zone_q(today_by_zone, "end_date", "gte") & zone_q(today_by_zone, "end_date", "lte", days=ENDING_WITHIN_DAYS))
        .values_list("pk", "officer_id", "end_date", "client_id", "client__full_name")
    )
    return [
        Due(officer, "clients.supervision", pk, end, _("Pembimbingan berakhir %(date)s: %(name)s") % {
            "date": end.strftime("%d-%m-%Y"), "name": name}, reverse("clients:detail", args=[client]))
        for pk, officer, end, client, name in rows
    ]


