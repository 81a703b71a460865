"""The clients app's reminder rules: contacts overdue and supervisions ending soon."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bapas.links import link
from bapas.models import Role
from bapas.reminders import Due, office_days, office_notices, offset_q, reminder_rule, staff_by_office, zone_q

from .models import (
    REPORTING_KINDS,
    ClientTransfer,
    Contact,
    Revocation,
    RevocationStage,
    Stage,
    Supervision,
    TransferStatus,
    Violation,
    ViolationKind,
    ViolationStatus,
    counted_from,
    revocation_stage_label,
)
from .selectors import assigned


def for_caseworker(cases, recipient, today_by_zone, path=""):
    """With a recipient, keeps to the cases their reminders concern: their own, and those delegated to
    them while the delegation runs (selectors.assigned, the rule their caseload list follows)."""
    if recipient is None:
        return cases
    return cases.filter(assigned(recipient, path, min(today_by_zone.values())))


def caseworkers(officer: int, delegate: int | None, until, today_by_zone, recipient=None) -> list[int]:
    """Who hears of a case's reminder: its PK and, while a delegation runs, the PK covering for them
    (the absent PK still sees it when back). For one person's list, that person."""
    if recipient is not None:
        return [recipient.pk]
    if delegate and until and until >= min(today_by_zone.values()):
        return [officer, delegate]
    return [officer]


def _active(recipient, today_by_zone):
    return for_caseworker(Supervision.objects.active(), recipient, today_by_zone)


@reminder_rule("contact_overdue", gettext_lazy("Kontak terlambat"), action=(gettext_lazy("Catat kontak"), "clients:contact_create"))
def contact_overdue(*, today_by_zone, recipient=None):
    rows = (
        _active(recipient, today_by_zone).filter(zone_q(today_by_zone, "next_contact_due", "lt"))
        .values_list("pk", "officer_id", "delegate_id", "delegated_until", "next_contact_due", "client_id", "client__full_name")
    )
    title, url = _("Kontak terlambat sejak %(date)s: %(name)s"), link("clients:detail")
    return [
        Due(person, "clients.supervision", pk, due, title % {"date": due.strftime("%d-%m-%Y"), "name": name}, url(client))
        for pk, officer, delegate, until, due, client, name in rows
        for person in caseworkers(officer, delegate, until, today_by_zone, recipient)
    ]


@reminder_rule("supervision_ending", gettext_lazy("Pembimbingan segera berakhir"), settles=False)
def supervision_ending(*, today_by_zone, recipient=None):
    rows = (
        _active(recipient, today_by_zone)
        .filter(zone_q(today_by_zone, "end_date", "gte")
                & offset_q(today_by_zone, "end_date", "lte", office_days(recipient, "ending_notice_days")))
        .values_list("pk", "officer_id", "delegate_id", "delegated_until", "end_date", "client_id", "client__full_name")
    )
    title, url = _("Pembimbingan berakhir %(date)s: %(name)s"), link("clients:detail")
    return [
        Due(person, "clients.supervision", pk, end, title % {"date": end.strftime("%d-%m-%Y"), "name": name}, url(client))
        for pk, officer, delegate, until, end, client, name in rows
        for person in caseworkers(officer, delegate, until, today_by_zone, recipient)
    ]


REVOCATION_RUN = 3  # missing wajib lapor three times in a row is a ground to revoke PB
LOOKBACK_DAYS = 400


def missed_reporting_dates(*, start, interval, grace, attended_last, missed_logged, today) -> list:
    """The dates of the current run of missed wajib lapor, oldest first.

    Logged misses after the last attended report count; after the last report event (attended or
    missed, or the start), every scheduled date whose grace has passed with no report counts too.
    Other kinds of contact neither count nor break the run. `start` is the schedule's (a release
    resumed after a suspension starts again): nothing before it counts."""
    after = [day for day in sorted(missed_logged) if day >= start and (attended_last is None or day > attended_last)]
    base = max(day for day in [start, attended_last, *after] if day is not None)
    elapsed = (today - base).days - grace
    implied = [base + datetime.timedelta(days=interval * k) for k in range(1, (elapsed - 1) // interval + 1)] if elapsed >= 1 else []
    return after + implied


def reporting_check_from(*, start, interval, attended_last, missed_logged) -> datetime.date:
    """The first day on which missed_reporting_dates() could find a run of REVOCATION_RUN, given the
    reports logged so far; stored on the supervision so the rule reads only those whose day has come.

    It errs early, never late: the office's grace is left out (it only delays a run, and an office
    can change it), and one day is taken off for a report's date seen from another time zone. The
    rule's look-back leaves out logged misses over LOOKBACK_DAYS old; without them it counts from an
    older base, and three dates from there (at most three months) are long past."""
    after = sorted(day for day in missed_logged if day >= start and (attended_last is None or day > attended_last))
    if len(after) >= REVOCATION_RUN:
        return start - datetime.timedelta(days=1)
    base = max(day for day in [start, attended_last, *after] if day is not None)
    # Each scheduled date after the base counts once a day (and the grace) has passed it.
    first = base + datetime.timedelta(days=interval * (REVOCATION_RUN - len(after)) + 1)
    return first - datetime.timedelta(days=1)


def _evidence(dates) -> str:
    """The missed dates as evidence: all of a run of three, else the three that made it a ground and
    the latest ("…" between). A client gone for months has dozens, which would bury the list and
    overflow a notice's title."""
    shown = [day.strftime("%d-%m-%Y") for day in dates]
    if len(shown) <= REVOCATION_RUN + 1:
        return ", ".join(shown)
    return ", ".join(shown[:REVOCATION_RUN]) + " … " + shown[-1]


@reminder_rule("wajib_lapor_missed", gettext_lazy("Wajib lapor terlewat 3 kali berturut-turut"),
               action=(gettext_lazy("Catat pelanggaran"), "clients:violation_create"))
def wajib_lapor_missed(*, today_by_zone, recipient=None):
    """For the office's supervisors: clients whose current run of missed wajib lapor reached three,
    with the dates as evidence. The third date keys the notice, so a run is reported once. A run is
    handled once a missed-reporting violation dated within it is on record (a warning, or a
    revocation proposal to the TPP); a later run is reported afresh."""
    # Every legal basis reports; the ground is written for PB, but a run of misses matters whatever the basis.
    # Only supervisions whose check day has come can have a run: their reports are all that is read.
    supervisions, supervisors = office_notices(Supervision.objects.active().filter(
        Q(reporting_check_from__isnull=True) | zone_q(today_by_zone, "reporting_check_from", "lte")),
        [Role.SUPERVISOR], recipient, "office_id")
    if supervisions is None:
        return []
    reports = Contact.objects.filter(supervision__in=supervisions, kind__in=REPORTING_KINDS)
    attended = dict(reports.filter(attended=True)
                    .values("supervision_id").annotate(last=Max("occurred_at")).values_list("supervision_id", "last"))
    since = min(today_by_zone.values()) - datetime.timedelta(days=LOOKBACK_DAYS)
    missed: dict[int, list] = {}
    for supervision_id, occurred_at in (reports.filter(attended=False, occurred_at__date__gte=since)
                                        .values_list("supervision_id", "occurred_at")):
        missed.setdefault(supervision_id, []).append(occurred_at)
    acted = dict(Violation.objects.filter(supervision__in=supervisions, kind=ViolationKind.MISSED_REPORTING)
                 .values("supervision_id").annotate(last=Max("occurred_on")).values_list("supervision_id", "last"))
    template, url = (_("Dasar pencabutan: %(name)s tidak wajib lapor %(n)s kali berturut-turut (%(dates)s)"),
                     link("clients:detail", "#riwayat"))
    dues = []
    rows = supervisions.values_list("pk", "office_id", "office__time_zone", "office__reporting_grace_days", "start_date",
                                    "resumed_on", "reporting_interval_days", "client_id", "client__full_name")
    for pk, office, zone, grace, start, resumed, interval, client, name in rows:
        tz = ZoneInfo(zone)
        last = attended.get(pk)
        dates = missed_reporting_dates(
            start=counted_from(start, resumed), interval=interval, grace=grace, today=today_by_zone[zone],
            attended_last=timezone.localdate(last, timezone=tz) if last else None,
            missed_logged=[timezone.localdate(moment, timezone=tz) for moment in missed.get(pk, [])],
        )
        if len(dates) < REVOCATION_RUN or (pk in acted and acted[pk] >= dates[0]):
            continue
        evidence = _evidence(dates)
        title = template % {"name": name, "n": len(dates), "dates": evidence}
        for supervisor in supervisors.get(office, []):
            dues.append(Due(supervisor, "clients.supervision", pk, dates[REVOCATION_RUN - 1], title, url(client)))
    return dues


@reminder_rule("new_offence", gettext_lazy("Tindak pidana baru selama pembimbingan"))
def new_offence(*, today_by_zone, recipient=None):
    """For the office's supervisors: a new offence recorded on an active supervision, still open."""
    violations, supervisors = office_notices(
        Violation.objects.filter(kind=ViolationKind.NEW_OFFENCE, status__in=[ViolationStatus.OPEN, ViolationStatus.IN_TPP],
                                 supervision__closed_on__isnull=True), [Role.SUPERVISOR], recipient, "supervision__office_id")
    if violations is None:
        return []
    rows = violations.values_list("pk", "supervision__office_id", "occurred_on", "supervision__client_id",
                                  "supervision__client__full_name", "description")
    title, url = _("Tindak pidana baru (%(date)s): %(name)s — %(text)s"), link("clients:violation_edit")
    return [
        Due(supervisor, "clients.violation", pk, day, title % {"date": day.strftime("%d-%m-%Y"), "name": name, "text": text[:120]}, url(pk))
        for pk, office, day, client, name, text in rows
        for supervisor in supervisors.get(office, [])
    ]


# Whose act each open stage of a revocation waits for (clients.revocation_views.STEPS; a court sentence's
# letter to the jaksa, like a release's suspension, goes out over the Kabapas's signature), and the column
# holding the last step's date: the notice's date, so each step makes one notice and the next settles it.
REVOCATION_WAITS_FOR = {
    RevocationStage.REPORTED: (Role.SUPERVISOR, "report_date"),
    RevocationStage.TPP_RECOMMENDED: (Role.HEAD, "tpp_date"),
    RevocationStage.SUSPENDED: (Role.SUPERVISOR, "suspended_on"),
    RevocationStage.SENT: (Role.SUPERVISOR, "sent_on"),
}


@reminder_rule("revocation_next_step", gettext_lazy("Usulan pencabutan menunggu langkah berikutnya"))
def revocation_next_step(*, today_by_zone, recipient=None):
    """For the Kasi/Kasubsi, or the Kabapas for the temporary suspension: a revocation case waiting for their step."""
    stages = [stage for stage, (role, _day) in REVOCATION_WAITS_FOR.items() if recipient is None or recipient.role == role]
    if not stages:
        return []
    cases = Revocation.objects.filter(stage__in=stages)
    if recipient is not None:
        cases = cases.filter(supervision__office_id=recipient.office_id)
    # Only the roles these stages wait for: one person's Hari ini asks for their own role alone.
    staff = {role: staff_by_office([role], recipient) for role in {REVOCATION_WAITS_FOR[stage][0] for stage in stages}}
    rows = cases.values("pk", "stage", "supervision__office_id", "supervision__client__full_name", "supervision__legal_basis",
                        *[column for _role, column in REVOCATION_WAITS_FOR.values()])
    title, url = _("Usulan pencabutan: %(name)s — %(stage)s"), link("clients:revocation_detail")
    dues = []
    for row in rows:
        role, column = REVOCATION_WAITS_FOR[row["stage"]]
        stage = revocation_stage_label(row["stage"], row["supervision__legal_basis"])
        text = title % {"name": row["supervision__client__full_name"], "stage": stage}
        dues.extend(Due(person, "clients.revocation", row["pk"], row[column], text, url(row["pk"]))
                    for person in staff[role].get(row["supervision__office_id"], []))
    return dues


@reminder_rule("stage_change", gettext_lazy("Pergantian tahap pembimbingan"), settles=False)
def stage_change(*, today_by_zone, recipient=None):
    """A supervision entering tahap lanjutan or akhir by its dates (within the office's notice days),
    unless a TPP decision set the stage explicitly. The boundary date keys the notice: one per change."""
    supervisions = _active(recipient, today_by_zone).filter(stage_override="")
    notice_days = office_days(recipient, "stage_notice_days")
    title, url = _("%(name)s memasuki %(stage)s sejak %(date)s"), link("clients:detail")
    dues = []
    for field, stage in (("middle_stage_from", Stage.MIDDLE), ("final_stage_from", Stage.FINAL)):
        entering = supervisions.filter(
            zone_q(today_by_zone, field, "lte") & offset_q(today_by_zone, field, "gt", notice_days, sign=-1)
        ).values_list("pk", "officer_id", "delegate_id", "delegated_until", field, "client_id", "client__full_name")
        label = Stage(stage).label.lower()
        dues += [
            Due(person, "clients.supervision", pk, day, title % {"name": name, "stage": label, "date": day.strftime("%d-%m-%Y")},
                url(client))
            for pk, officer, delegate, until, day, client, name in entering
            for person in caseworkers(officer, delegate, until, today_by_zone, recipient)
        ]
    return dues


def _transfer_notices(transfers, recipient, *, kasi_of: str, dated: str, about: str, title: str, view: str) -> list[Due]:
    """One notice per transfer to each Kasi/Kasubsi of the office on its `kasi_of` side ("from" or
    "to"), dated by the `dated` column in that office's zone, about the transfer itself or, with
    `about="client_id"`, the client (linking to `view` of it). The title may name the client, the
    other office and the register number asked for."""
    transfers, supervisors = office_notices(transfers, [Role.SUPERVISOR], recipient, f"{kasi_of}_office_id")
    if transfers is None:
        return []
    other = "to" if kasi_of == "from" else "from"
    rows = transfers.values_list(about, f"{kasi_of}_office_id", f"{kasi_of}_office__time_zone", dated, f"{other}_office__name",
                                 "client__full_name", "register_number")
    object_type, url = ("clients.client" if about == "client_id" else "clients.clienttransfer"), link(view)
    return [
        Due(supervisor, object_type, subject, timezone.localdate(day, ZoneInfo(zone)),
            title % {"name": name, "office": other_office, "number": number}, url(subject))
        for subject, office, zone, day, other_office, name, number in rows
        for supervisor in supervisors.get(office, [])
    ]


@reminder_rule("client_transfer_requested", gettext_lazy("Permintaan pemindahan klien menunggu keputusan"),
               action=(gettext_lazy("Putuskan"), "clients:transfer_detail"))
def client_transfer_requested(*, today_by_zone, recipient=None):
    """For the Kasi/Kasubsi of the office holding a client's file: another office asks for it. Settled by the answer."""
    return _transfer_notices(ClientTransfer.objects.filter(status=TransferStatus.REQUESTED), recipient, kasi_of="from",
                             dated="requested_at", about="pk", title=_("Permintaan pemindahan %(name)s ke %(office)s"),
                             view="clients:transfer_detail")


@reminder_rule("client_transfer_accepted", gettext_lazy("Klien pindahan menunggu pembimbingan dibuka"),
               action=(gettext_lazy("Buka pembimbingan"), "clients:supervision_create"))
def client_transfer_accepted(*, today_by_zone, recipient=None):
    """For the Kasi/Kasubsi of the office a client's file moved to: open the supervision the client
    goes on under, until the office has opened one (supervision_open records it on the transfer)."""
    return _transfer_notices(ClientTransfer.objects.filter(status=TransferStatus.ACCEPTED, opened_supervision__isnull=True),
                             recipient, kasi_of="to", dated="decided_at", about="client_id",
                             title=_("Pemindahan %(name)s dari %(office)s diterima: buka pembimbingannya"), view="clients:detail")


TRANSFER_REFUSAL_DAYS = 14  # how long a refusal stays on the asking Kasi's list


@reminder_rule("client_transfer_refused", gettext_lazy("Permintaan pemindahan klien ditolak"), settles=False)
def client_transfer_refused(*, today_by_zone, recipient=None):
    """For the Kasi/Kasubsi of the office that asked for a client's file: the holding office refused,
    for two weeks, with its reason on the request's page."""
    since = min(today_by_zone.values()) - datetime.timedelta(days=TRANSFER_REFUSAL_DAYS)
    return _transfer_notices(ClientTransfer.objects.filter(status=TransferStatus.REFUSED, decided_at__date__gte=since), recipient,
                             kasi_of="to", dated="decided_at", about="pk",
                             title=_("Pemindahan klien register %(number)s ditolak %(office)s"), view="clients:transfer_detail")
