"""The programs app's reminder rules: follow-ups due, and partner agreements ending."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.links import link
from bapas.models import Role
from bapas.reminders import Due, office_days, office_notices, offset_q, reminder_rule, zone_q
from clients.reminders import caseworkers, for_caseworker

from .models import FollowUp, Partner


@reminder_rule("follow_up_due", gettext_lazy("Tindak lanjut jatuh tempo"), action=(gettext_lazy("Catat"), "programs:follow_up_edit"))
def follow_up_due(*, today_by_zone, recipient=None):
    follow_ups = for_caseworker(FollowUp.objects.filter(done_on__isnull=True).filter(
        zone_q(today_by_zone, "due_date", "lte", office="supervision__office")), recipient, today_by_zone, path="supervision__")
    rows = follow_ups.values_list("pk", "supervision__officer_id", "supervision__delegate_id", "supervision__delegated_until",
                                  "due_date", "supervision__client__full_name")
    title, url = _("Tindak lanjut jatuh tempo %(date)s: %(name)s"), link("programs:follow_up_edit")
    return [
        Due(person, "programs.followup", pk, due, title % {"date": due.strftime("%d-%m-%Y"), "name": name}, url(pk))
        for pk, officer, delegate, until, due, name in rows
        for person in caseworkers(officer, delegate, until, today_by_zone, recipient)
    ]


@reminder_rule("agreement_expiring", gettext_lazy("Perjanjian mitra segera berakhir"), settles=False)
def agreement_expiring(*, today_by_zone, recipient=None):
    """For the office's admins and supervisors, one notice per agreement end date."""
    partners, by_office = office_notices(Partner.objects.filter(active=True), [Role.ADMIN, Role.SUPERVISOR], recipient, "office_id")
    if partners is None:
        return []
    partners = partners.filter(zone_q(today_by_zone, "agreement_end", "gte")
                               & offset_q(today_by_zone, "agreement_end", "lte", office_days(recipient, "agreement_notice_days")))
    title, url = _("Perjanjian dengan %(name)s berakhir %(date)s"), reverse("programs:partners")
    return [
        Due(manager, "programs.partner", pk, end, title % {"name": name, "date": end.strftime("%d-%m-%Y")}, url)
        for pk, office, end, name in partners.values_list("pk", "office_id", "agreement_end", "name")
        for manager in by_office.get(office, [])
    ]
