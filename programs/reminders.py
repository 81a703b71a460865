"""The programs app's reminder rules: follow-ups due, scheduled sessions not logged, and partner
agreements ending."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.links import link
from bapas.models import Role
from bapas.reminders import Due, office_days, office_notices, offset_q, reminder_rule, staff_by_office, zone_q
from clients.reminders import caseworkers, for_caseworker

from .models import FollowUp, Partner
from .selectors import unlogged_planned


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


@reminder_rule("session_unlogged", gettext_lazy("Sesi terjadwal belum dicatat"))
def session_unlogged(*, today_by_zone, recipient=None):
    """A date on a programme's schedule that has passed with no session logged for it: attendance and
    hours come only from logged sessions. To the programme's own facilitator; a partner's programme
    to the office's Kasi/Kasubsi, who log its sessions. Settled when the session is logged, or when the
    date is taken off the schedule because the session did not take place (the programme's page offers both)."""
    planned = unlogged_planned(today_by_zone=today_by_zone).filter(programme__active=True)
    if recipient is None:
        supervisors = staff_by_office([Role.SUPERVISOR])
    else:  # one person's list: what they facilitate, and for a Kasi their office's partner programmes
        supervisors = {recipient.office_id: [recipient.pk]} if recipient.role == Role.SUPERVISOR else {}
        theirs = Q(programme__facilitator_officer=recipient)
        if supervisors:
            theirs |= Q(programme__facilitator_officer__isnull=True, programme__office_id=recipient.office_id)
        planned = planned.filter(theirs)
    title = _("Sesi %(programme)s %(date)s belum dicatat")
    session_log_url = link("programs:session_log")
    dues = []
    rows = planned.values_list("programme_id", "programme__office_id", "programme__facilitator_officer_id", "programme__name", "date")
    for programme, office, facilitator, name, day in rows.distinct():
        url = f"{session_log_url(programme)}?tanggal={day.isoformat()}"
        for person in ([facilitator] if facilitator else supervisors.get(office, [])):
            dues.append(Due(person, "programs.programme", programme, day, title % {"programme": name, "date": f"{day:%d-%m-%Y}"}, url))
    return dues
