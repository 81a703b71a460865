"""Writes to client files. Each service validates, saves (so field history sees it) and writes
the audit entry. Callers pass the version they edited from; a stale version is refused."""

import datetime
from collections import Counter

from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from bapas.audit import audit_log, audit_log_each
from bapas.concurrency import lock_current
from bapas.days import day_start
from bapas.models import Notification

from .models import (
    NEW_OFFENCE_KINDS,
    REPORTING_KINDS,
    Client,
    ClientDocument,
    ClientTransfer,
    ClosureReason,
    Contact,
    ContactKind,
    OffenceCategory,
    RecidivismEvent,
    Revocation,
    StageRule,
    Supervision,
    TransferStatus,
    Violation,
    ViolationAction,
    ViolationKind,
    ViolationStatus,
)
from .reminders import reporting_check_from
from .signals import (
    recidivism_deleting,
    supervision_changed,
    supervision_closed,
    supervision_opening,
    supervision_reopened,
    violation_saved,
)

DEFAULT_OFFENCE_CATEGORIES = [
    "Narkotika",
    "Pencurian",
    "Penipuan/penggelapan",
    "Kekerasan/penganiayaan",
    "Pembunuhan",
    "Kesusilaan",
    "Korupsi",
    "Perjudian",
    "Lalu lintas",
    "Lainnya",
]


def office_setup_defaults(*, office) -> None:
    """What every new office starts with: the stage rule and the offence categories."""
    StageRule.objects.get_or_create(office=office)
    OffenceCategory.objects.bulk_create(
        [OffenceCategory(office=office, name=name) for name in DEFAULT_OFFENCE_CATEGORIES], ignore_conflicts=True
    )


def _apply_stage_rule(supervision: Supervision) -> None:
    rule, _created = StageRule.objects.get_or_create(office_id=supervision.office_id)
    supervision.middle_stage_from, supervision.final_stage_from = rule.boundaries(
        supervision.start_date, supervision.end_date
    )


def _apply_contact_interval(supervision: Supervision) -> None:
    """The effective interval: the sooner of the wajib-lapor frequency and the risk policy's."""
    policy = supervision.policy_interval_days or supervision.reporting_interval_days
    supervision.contact_interval_days = max(1, min(policy, supervision.reporting_interval_days))


def _refresh_contact_schedule(supervision: Supervision) -> None:
    """Last contact and next contact due follow from the latest attended contact (or the start),
    the effective interval, and an earlier appointment if the officer set one."""
    latest = (
        supervision.contacts.filter(attended=True).order_by("-occurred_at", "-id").only("occurred_at", "next_appointment").first()
    )
    if latest is None:
        supervision.last_contact_on = None
        appointment = None
    else:
        supervision.last_contact_on = timezone.localdate(latest.occurred_at)
        appointment = latest.next_appointment
    if supervision.suspended_on:  # the client is in custody until the revocation's decision: no contact falls due
        supervision.next_contact_due = None
        return
    # Back from custody, the next contact counts from the release, not from the last one before it.
    supervision.next_contact_due = contact_due(base=supervision.contact_base, interval=supervision.contact_interval_days,
                                               appointment=appointment)


def _refresh_reporting_check(supervision: Supervision) -> None:
    """The first day the wajib-lapor rule needs to look at this supervision, from its reports (never,
    while its release is suspended)."""
    if supervision.suspended_on:
        supervision.reporting_check_from = datetime.date.max
        return
    reports = supervision.contacts.filter(kind__in=REPORTING_KINDS).values_list("occurred_at", "attended") if supervision.pk else []
    attended, missed = [], []
    for occurred_at, was_attended in reports:
        (attended if was_attended else missed).append(timezone.localdate(occurred_at))
    supervision.reporting_check_from = reporting_check_from(
        start=supervision.schedule_start, interval=supervision.reporting_interval_days,
        attended_last=max(attended, default=None), missed_logged=missed,
    )


def _save_contact_facts(supervision: Supervision, also: tuple[str, ...] = ()) -> None:
    """After a contact is logged or corrected: the supervision's columns that follow from its contacts
    (saved with the columns named in `also`, set by the caller)."""
    _refresh_contact_schedule(supervision)
    _refresh_reporting_check(supervision)
    supervision.save(update_fields=["last_contact_on", "next_contact_due", "reporting_check_from", "updated_at", *also])


@transaction.atomic
def supervision_suspension_set(*, supervision: Supervision, suspended_on: datetime.date | None,
                               resumed_on: datetime.date | None = None) -> None:
    """The revocation service suspends a release (the client is back in custody: the contact schedule
    and the wajib-lapor check pause) or lifts the suspension on `resumed_on` (both count again from
    that day: the weeks in custody are no missed reports)."""
    current = Supervision.objects.select_for_update().get(pk=supervision.pk)
    current.suspended_on = suspended_on
    if suspended_on is None:
        current.resumed_on = resumed_on
    _save_contact_facts(current, also=("suspended_on", "resumed_on"))


def contact_due(*, base: datetime.date, interval: int, appointment: datetime.date | None) -> datetime.date:
    """The next contact: one interval after the last attended contact (or the start), or the
    appointment the officer set if that comes sooner."""
    due = base + datetime.timedelta(days=interval)
    if appointment and base <= appointment < due:
        return appointment
    return due


@transaction.atomic
def client_register(*, by, client: Client, supervision: Supervision) -> Client:
    """Intake: the client and their first supervision in one step."""
    client.office_id = by.office_id
    client.full_clean()
    client.save()
    audit_log(actor=by, action="client.create", obj=client)
    supervision.client = client
    supervision_open(by=by, supervision=supervision)
    return client


@transaction.atomic
def client_update(*, by, client: Client, expected_version: int) -> Client:
    lock_current(Client, client.pk, expected_version)
    client.version = expected_version + 1
    client.full_clean()
    client.save()
    audit_log(actor=by, action="client.update", obj=client)
    return client


def _running_beside(client_id: int, *, besides: int | None = None) -> Supervision | None:
    """The client's supervision still running, other than `besides`. The client's row is locked first,
    so two openings (or an opening and a reopening) for one client queue, and the second sees the first."""
    list(Client.objects.select_for_update().filter(pk=client_id).values_list("pk"))
    return Supervision.objects.filter(client_id=client_id, closed_on__isnull=True).exclude(pk=besides).first()


def running_refusal(running: Supervision | None) -> str:
    """Why a new supervision cannot be opened beside `running` ("" when none runs)."""
    if running is None:
        return ""
    return _("Klien ini masih dalam pembimbingan %(basis)s yang berjalan sejak %(start)s. Satu klien hanya punya satu "
             "pembimbingan yang berjalan: Kasi mengakhiri pembimbingan itu dulu, lalu pembimbingan baru dibuka.") % {
        "basis": running.legal_basis, "start": running.start_date.strftime("%d-%m-%Y")}


def deletion_reason(reason: str) -> str:
    """Why a record entered by mistake is deleted: required, whoever calls the service."""
    if not reason.strip():
        raise ValidationError({"reason": _("Sebutkan alasan penghapusan.")})
    return reason.strip()


def client_records_kept(client: Client) -> dict[str, int]:
    """What the client's file holds besides its registration (its supervisions, and documents already
    withdrawn), by kind: {"kontak": 3}. Each is something recorded about the client, so while any
    remains the file is not deleted. Found the way Django's admin finds what a deletion would touch,
    so a record kind another app adds later is counted too."""
    supervisions = list(client.supervisions.all())
    found = NestedObjects(using=router.db_for_write(Client))
    found.collect(supervisions)
    found.collect([client])
    kept = Counter()
    for record in found.protected:
        if isinstance(record, Supervision) or (isinstance(record, ClientDocument) and record.withdrawn_at is not None):
            continue
        kept[str(record._meta.verbose_name)] += 1
    # A supervision another office ran (before the file moved here) is that office's record.
    elsewhere = sum(1 for supervision in supervisions if supervision.office_id != client.office_id)
    if elsewhere:
        kept[_("pembimbingan di Bapas lain")] += elsewhere
    return dict(sorted(kept.items()))


@transaction.atomic
def client_delete(*, by, client: Client, expected_version: int, reason: str) -> None:
    """Deletes a client registered by mistake (registered twice, or the wrong person), with their
    supervisions, once nothing else is recorded about them. Field history keeps the rows, the audit
    entry who they were; a document withdrawn from the file goes too, and its stored file after the commit."""
    reason = deletion_reason(reason)
    current = lock_current(Client, client.pk, expected_version)
    kept = client_records_kept(current)
    if kept:
        raise ValidationError(_("Berkas klien ini masih berisi catatan (%(records)s); hapus dulu catatan yang salah dicatat.") % {
            "records": ", ".join(f"{count} {kind}" for kind, count in kept.items())})
    supervisions = list(current.supervisions.all())
    withdrawn = list(current.documents.all())
    audit_log(actor=by, action="client.delete", obj=current, detail={
        "register_number": current.register_number, "full_name": current.full_name, "reason": reason,
        "supervisions": [{"legal_basis": s.legal_basis, "decree_number": s.decree_number, "start_date": s.start_date.isoformat()}
                         for s in supervisions],
        "withdrawn_documents": [document.original_name for document in withdrawn]})
    # Reminders about its supervisions would lead to a page that is gone: settled now, not at the next sweep.
    Notification.objects.filter(object_type="clients.supervision", object_id__in=[str(s.pk) for s in supervisions],
                                resolved_at__isnull=True).update(resolved_at=timezone.now())
    for record in [*withdrawn, *supervisions, current]:
        record._change_reason = reason
        record.delete()
    for document in withdrawn:
        transaction.on_commit(lambda file=document.file: file.storage.delete(file.name))


@transaction.atomic
def supervision_open(*, by, supervision: Supervision) -> Supervision:
    refusal = running_refusal(_running_beside(supervision.client_id))
    if refusal:
        raise ValidationError(refusal)
    supervision.office_id = supervision.client.office_id
    # Apps above this one (assessments: provisional intensity, first assessment due) set their fields.
    supervision_opening.send(sender=Supervision, supervision=supervision)
    _apply_contact_interval(supervision)
    _apply_stage_rule(supervision)
    supervision.full_clean()
    supervision.next_contact_due = supervision.start_date + datetime.timedelta(days=supervision.contact_interval_days)
    _refresh_reporting_check(supervision)
    supervision.save()
    # A file transferred here waits for this (clients.transfers): the Kasi's to-do is done.
    ClientTransfer.objects.filter(client_id=supervision.client_id, to_office_id=supervision.office_id, status=TransferStatus.ACCEPTED,
                                  opened_supervision__isnull=True).update(opened_supervision=supervision)
    audit_log(actor=by, action="supervision.create", obj=supervision, detail={"client": supervision.client_id})
    return supervision


def _date_stage_decision(supervision: Supervision, stored: Supervision) -> None:
    """The stage decision's day: the TPP date given; today for a new decision given none, or given
    the previous decision's date unchanged; none without a decision."""
    if not supervision.stage_override:
        supervision.stage_override_on = None
    elif supervision.stage_override != stored.stage_override and supervision.stage_override_on in (None, stored.stage_override_on):
        supervision.stage_override_on = timezone.localdate()
    elif supervision.stage_override_on is None:
        supervision.stage_override_on = stored.stage_override_on or timezone.localdate()


@transaction.atomic
def supervision_update(*, by, supervision: Supervision, expected_version: int) -> Supervision:
    """An edit of the supervision's record. Its dates and its stage decide when the next assessment is
    due, so assessments works that out again (supervision_changed)."""
    stored = lock_current(Supervision, supervision.pk, expected_version)
    supervision.version = expected_version + 1
    _date_stage_decision(supervision, stored)
    _apply_contact_interval(supervision)
    _apply_stage_rule(supervision)
    supervision.full_clean()
    _refresh_contact_schedule(supervision)
    _refresh_reporting_check(supervision)
    supervision.save()
    audit_log(actor=by, action="supervision.update", obj=supervision)
    supervision_changed.send(sender=Supervision, supervision=supervision)
    return supervision


@transaction.atomic
def supervision_set_intensity(
    *, supervision: Supervision, policy_interval_days: int, risk_level: str, assessment_due: datetime.date | None
) -> Supervision:
    """Called by the assessments app with what its intensity policy sets for this supervision."""
    supervision = Supervision.objects.select_for_update().get(pk=supervision.pk)
    supervision.policy_interval_days = policy_interval_days
    _apply_contact_interval(supervision)
    supervision.risk_level = risk_level
    supervision.assessment_due = assessment_due
    _refresh_contact_schedule(supervision)
    supervision.save(update_fields=[
        "policy_interval_days", "contact_interval_days", "risk_level", "assessment_due", "last_contact_on", "next_contact_due",
        "updated_at"])
    return supervision


@transaction.atomic
def supervision_assign(*, by, supervision: Supervision, officer, reason: str) -> Supervision:
    if officer.office_id != supervision.office_id or not officer.is_caseworker or not officer.is_active:
        raise ValidationError(_("PK yang dipilih bukan PK aktif di kantor ini."))
    previous = supervision.officer
    supervision.officer = officer
    supervision.version += 1
    supervision._change_reason = reason
    supervision.save()
    audit_log(
        actor=by,
        action="supervision.assign",
        obj=supervision,
        detail={"from": previous.pk, "to": officer.pk, "reason": reason},
    )
    return supervision


@transaction.atomic
def supervisions_reassign(*, by, source, moves: list[tuple[int, object]], reason: str) -> int:
    """Moves many of one PK's active cases at once (the PK leaves, or carries too much): one locked
    read, one bulk update with its field-history rows, one audit entry per case. `moves` pairs a
    supervision's id with its new PK. A case closed or moved by someone else in the meantime is left
    as it is; the count of cases moved is returned."""
    for officer in {officer.pk: officer for supervision_id, officer in moves}.values():
        if officer.office_id != source.office_id or not officer.is_caseworker or not officer.is_active or officer.pk == source.pk:
            raise ValidationError(_("PK yang dipilih bukan PK aktif di kantor ini."))
    to = dict(moves)
    cases = list(Supervision.objects.select_for_update(of=("self",)).select_related("client")
                 .filter(pk__in=to, officer=source, office_id=source.office_id, closed_on__isnull=True).order_by("pk"))
    now = timezone.now()
    for supervision in cases:
        supervision.officer = to[supervision.pk]
        supervision.version += 1
        supervision.updated_at = now
    bulk_update_with_history(cases, Supervision, ["officer", "version", "updated_at"], default_user=by,
                             default_change_reason=reason, default_date=now)
    audit_log_each(actor=by, action="supervision.assign", office=source.office, entries=[
        (supervision, {"client": supervision.client_id, "from": source.pk, "to": supervision.officer_id, "reason": reason,
                       "bulk": True})
        for supervision in cases])
    return len(cases)


@transaction.atomic
def supervision_delegate(*, by, supervision: Supervision, delegate, until: datetime.date | None) -> Supervision:
    """Lets another PK of the office work the case until a date (leave, training); None ends it."""
    if delegate is not None and (delegate.office_id != supervision.office_id or not delegate.is_caseworker):
        raise ValidationError(_("PK yang dipilih bukan PK aktif di kantor ini."))
    supervision.delegate = delegate
    supervision.delegated_until = until if delegate is not None else None
    supervision.version += 1
    supervision.save()
    audit_log(actor=by, action="supervision.delegate", obj=supervision, detail={
        "delegate": delegate.pk if delegate else None, "until": until.isoformat() if until and delegate else None})
    return supervision


@transaction.atomic
def supervision_close(*, by, supervision: Supervision, closed_on: datetime.date, reason: str) -> Supervision:
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri."))
    if closed_on < supervision.start_date:
        raise ValidationError({"closed_on": _("Tanggal pengakhiran tidak boleh sebelum tanggal mulai.")})
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("Tanggal pengakhiran tidak boleh di masa depan.")})
    supervision.closed_on = closed_on
    supervision.closure_reason = reason
    supervision.next_contact_due = None
    supervision.version += 1
    supervision.save()
    audit_log(actor=by, action="supervision.close", obj=supervision, detail={"reason": reason})
    supervision_closed.send(sender=Supervision, supervision=supervision)
    return supervision


# A supervision ended by mistake (the wrong client, date or reason) is noticed within weeks: by its PK,
# whose caseload lost the client, or at the next caseload review. Later, the closure has been acted on
# (reports, follow-ups) and stands as the record; a supervision that must go on is opened anew.
REOPEN_DAYS = 30


def reopen_refusal(supervision: Supervision, *, another_running: bool, today: datetime.date) -> str:
    """Why the supervision cannot be reopened ("" when it can). `another_running`: the client has
    another supervision still running, beside which this one would make two."""
    if supervision.closed_on is None:
        return _("Pembimbingan ini masih berjalan.")
    if supervision.closure_reason == ClosureReason.TRANSFERRED and supervision.office_id != supervision.client.office_id:
        return _("Berkas klien ini sudah dipindahkan ke Bapas lain; pembimbingan di sini tidak dapat dibuka kembali.")
    if supervision.closure_reason == ClosureReason.REVOKED:
        return _("Pembimbingan yang diakhiri karena pencabutan tidak dapat dibuka kembali: pencabutan punya proses dan catatannya sendiri.")
    if (today - supervision.closed_on).days > REOPEN_DAYS:
        return _("Pembimbingan ini diakhiri lebih dari %(days)s hari yang lalu dan tidak dapat dibuka kembali; "
                 "bila klien masih harus dibimbing, buka pembimbingan baru.") % {"days": REOPEN_DAYS}
    if another_running:
        return _("Klien ini sudah punya pembimbingan lain yang berjalan; pembimbingan ini tidak dapat dibuka kembali.")
    return ""


@transaction.atomic
def supervision_reopen(*, by, supervision: Supervision, expected_version: int, reason: str) -> Supervision:
    """Undoes a closure made by mistake: the supervision runs again, its next contact worked out from
    its contacts as after one logged (and from today, if it stood closed for days), and programs takes
    back the follow-ups the closure scheduled (supervision_reopened). Field history keeps the closure;
    the audit entry says what it was and why."""
    another_running = _running_beside(supervision.client_id, besides=supervision.pk) is not None
    current = lock_current(Supervision, supervision.pk, expected_version)
    refusal = reopen_refusal(current, another_running=another_running, today=timezone.localdate())
    if refusal:
        raise ValidationError(refusal)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Tuliskan alasan membuka kembali pembimbingan ini.")})
    closed_on, closure_reason = current.closed_on, current.closure_reason
    current.closed_on, current.closure_reason = None, ""
    if closed_on < timezone.localdate():
        # Nothing was asked of the client while the supervision stood closed: its contacts and wajib
        # lapor count again from today, so those days are no missed reports (as after a suspension).
        current.resumed_on = timezone.localdate()
    current.version += 1
    current._change_reason = reason
    _save_contact_facts(current, also=("closed_on", "closure_reason", "resumed_on", "version"))
    audit_log(actor=by, action="supervision.reopen", obj=current, detail={
        "closed_on": closed_on.isoformat(), "closure_reason": closure_reason, "reason": reason})
    supervision_reopened.send(sender=Supervision, supervision=current)
    return current


@transaction.atomic
def contact_log(*, by, contact: Contact) -> Contact:
    supervision = Supervision.objects.select_for_update().get(pk=contact.supervision_id)
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri; kontak baru tidak dapat dicatat."))
    contact.officer = by
    contact.full_clean()
    contact.save()
    _save_contact_facts(supervision)
    audit_log(
        actor=by,
        action="contact.create",
        obj=contact,
        office=supervision.office,
        detail={"client": supervision.client_id, "kind": contact.kind, "attended": contact.attended},
    )
    return contact


@transaction.atomic
def office_report_log(*, by, supervision: Supervision, notes: str = "") -> Contact:
    """The daftar lapor diri: the client came to the office to report, now. Once a day: a second
    record of the same day is refused (two staff at the desk, or a double click), and a release
    suspended by the Kabapas takes no report (the client is in custody)."""
    locked = Supervision.objects.select_for_update().get(pk=supervision.pk)
    if locked.suspended_on:
        raise ValidationError(_("Pembebasan klien ini sedang dicabut sementara; wajib lapor tidak dicatat."))
    now = timezone.now()
    earlier = (locked.contacts.filter(kind=ContactKind.REPORT_OFFICE, attended=True, occurred_at__gte=day_start(timezone.localdate(now)))
               .order_by("occurred_at").values_list("occurred_at", flat=True).first())
    if earlier is not None:
        raise ValidationError(_("Klien ini sudah wajib lapor hari ini pukul %(time)s.") % {
            "time": timezone.localtime(earlier).strftime("%H:%M")})
    contact = Contact(supervision=locked, kind=ContactKind.REPORT_OFFICE, occurred_at=now, attended=True,
                      notes=notes.strip() or _("Wajib lapor di kantor (daftar lapor diri)."))
    return contact_log(by=by, contact=contact)


@transaction.atomic
def contact_correct(*, by, contact: Contact, expected_version: int, reason: str, changed: list[str]) -> Contact:
    """Corrects a logged contact (wrong date, kind, attendance or notes). The author stays the
    author; the schedule that follows from the contacts is worked out again."""
    lock_current(Contact, contact.pk, expected_version)
    supervision = Supervision.objects.select_for_update().get(pk=contact.supervision_id)
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri; catatan kontaknya tidak dapat dikoreksi."))
    contact.version = expected_version + 1
    contact.correction_reason = reason
    contact._change_reason = reason
    contact.full_clean()
    contact.save()
    _save_contact_facts(supervision)
    audit_log(actor=by, action="contact.correct", obj=contact, office=supervision.office,
              detail={"client": supervision.client_id, "changed": changed, "reason": reason})
    return contact


@transaction.atomic
def contact_delete(*, by, contact: Contact, expected_version: int, reason: str) -> None:
    """Deletes a contact logged by mistake: on the wrong client (picked from a long list), or one that
    never happened. A correction would leave it in that client's record, counting as their contact
    and report. The schedule that follows from the contacts is worked out again. Field history keeps
    the deleted row, and the audit entry all of it with the reason."""
    reason = deletion_reason(reason)
    current = lock_current(Contact, contact.pk, expected_version)
    supervision = Supervision.objects.select_for_update().get(pk=current.supervision_id)
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri; catatan kontaknya tidak dapat dihapus."))
    audit_log(actor=by, action="contact.delete", obj=current, office=supervision.office, detail={
        "client": supervision.client_id, "kind": current.kind, "occurred_at": current.occurred_at.isoformat(),
        "attended": current.attended, "notes": current.notes, "officer": current.officer_id,
        "next_appointment": current.next_appointment.isoformat() if current.next_appointment else None, "reason": reason})
    current._change_reason = reason
    current.delete()
    _save_contact_facts(supervision)


@transaction.atomic
def violation_record(*, by, violation: Violation) -> Violation:
    violation.recorded_by = by
    violation.full_clean()
    violation.save()
    violation_saved.send(sender=Violation, violation=violation)
    audit_log(
        actor=by,
        action="violation.create",
        obj=violation,
        office=violation.supervision.office,
        detail={"client": violation.supervision.client_id, "kind": violation.kind, "action": violation.action},
    )
    return violation


@transaction.atomic
def violation_update(*, by, violation: Violation, expected_version: int) -> Violation:
    lock_current(Violation, violation.pk, expected_version)
    violation.version = expected_version + 1
    violation.full_clean()
    violation.save()
    violation_saved.send(sender=Violation, violation=violation)
    audit_log(
        actor=by, action="violation.update", obj=violation, office=violation.supervision.office,
        detail={"status": violation.status},
    )
    return violation


def violation_delete_refusal(violation: Violation) -> str:
    """Why a violation cannot be deleted ("" when it can): one a revocation or a recidivism event rests
    on goes with that process, not alone."""
    if Revocation.objects.filter(violation=violation).exists():
        return _("Pelanggaran ini menjadi dasar usulan pencabutan dan tidak dapat dihapus; perbaiki melalui proses pencabutan.")
    if RecidivismEvent.objects.filter(violation=violation).exists():
        return _("Pelanggaran ini dicatat dari peristiwa residivisme dan tidak dapat dihapus sendiri; bila peristiwa itu salah "
                 "dicatat, hapus peristiwanya: pelanggaran ini ikut terhapus.")
    return ""


def recidivism_delete_refusal(event: RecidivismEvent) -> str:
    """Why an event cannot be deleted ("" when it can): the violation recorded for it went to a revocation."""
    if event.violation_id and Revocation.objects.filter(violation_id=event.violation_id).exists():
        return _("Pelanggaran yang dicatat untuk peristiwa ini menjadi dasar usulan pencabutan, jadi peristiwa ini tidak dapat dihapus; "
                 "perbaiki melalui proses pencabutan.")
    return ""


@transaction.atomic
def violation_delete(*, by, violation: Violation, expected_version: int, reason: str) -> None:
    """Deletes a violation recorded by mistake: on the wrong client, or one that did not happen. Left
    in, it would count toward the client's reassessment and the office's figures, and a missed-report
    one would answer a wajib-lapor ground that still stands. The reassessment date is worked out again
    (violation_saved). Field history keeps the deleted row, and the audit entry all of it with the reason."""
    reason = deletion_reason(reason)
    current = lock_current(Violation, violation.pk, expected_version)
    refusal = violation_delete_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    supervision = current.supervision
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri; pelanggarannya tidak dapat dihapus."))
    audit_log(actor=by, action="violation.delete", obj=current, office=supervision.office, detail={
        "client": supervision.client_id, "kind": current.kind, "occurred_on": current.occurred_on.isoformat(),
        "description": current.description, "action": current.action, "action_notes": current.action_notes,
        "status": current.status, "recorded_by": current.recorded_by_id, "reason": reason})
    current._change_reason = reason
    current.delete()
    violation_saved.send(sender=Violation, violation=current)


def _supervision_on(*, client_id: int, day: datetime.date) -> Supervision | None:
    """The client's supervision running on that day (the latest started, should two overlap)."""
    return (
        Supervision.objects.filter(client_id=client_id, start_date__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day))
        .order_by("-start_date", "-pk")
        .first()
    )


@transaction.atomic
def recidivism_record(*, by, event: RecidivismEvent) -> RecidivismEvent:
    """Records the event; a new offence during a running supervision also opens a violation on it."""
    event.recorded_by = by
    if event.supervision_id is None and event.event_date:
        event.supervision = _supervision_on(client_id=event.client_id, day=event.event_date)
    event.full_clean()
    supervision = event.supervision
    if supervision is not None and supervision.closed_on is None and event.kind in NEW_OFFENCE_KINDS:
        event.violation = violation_record(by=by, violation=Violation(
            supervision=supervision,
            kind=ViolationKind.NEW_OFFENCE,
            occurred_on=event.event_date,
            description=" ".join(filter(None, [
                _("Tindak pidana baru: %(kind)s (sumber: %(source)s).")
                % {"kind": event.get_kind_display(), "source": event.source},
                event.description,
            ])),
            action=ViolationAction.OTHER,
            status=ViolationStatus.OPEN,
        ))
    event.save()  # once, so field history holds one row with the link in it
    audit_log(
        actor=by,
        action="recidivism.create",
        obj=event,
        office=event.client.office,
        detail={"client": event.client_id, "kind": event.kind, "violation": event.violation_id},
    )
    return event


@transaction.atomic
def recidivism_update(*, by, event: RecidivismEvent, expected_version: int) -> RecidivismEvent:
    """Corrects or verifies an event. A violation opened for it stays; the officer handles it there."""
    lock_current(RecidivismEvent, event.pk, expected_version)
    event.version = expected_version + 1
    event.supervision = _supervision_on(client_id=event.client_id, day=event.event_date) if event.event_date else None
    event.full_clean()
    event.save()
    audit_log(
        actor=by, action="recidivism.update", obj=event, office=event.client.office,
        detail={"client": event.client_id, "kind": event.kind, "verified": event.verified},
    )
    return event


@transaction.atomic
def recidivism_delete(*, by, event: RecidivismEvent, expected_version: int, reason: str) -> None:
    """Deletes an event recorded by mistake: on the wrong client (a namesake in a police list), or one
    that did not happen (a new offence ticked by mistake at a follow-up). Left in, it would count in
    the recidivism figures for good. The violation recorded for it alone goes with it (and the
    reassessment it brought forward), and a follow-up that learned of it is recorded as one that found
    no new offence (recidivism_deleting). A revocation on that violation is refused, and nothing
    changes. Field history keeps the rows, the audit entry what they held."""
    reason = deletion_reason(reason)
    current = lock_current(RecidivismEvent, event.pk, expected_version)
    refusal = recidivism_delete_refusal(current)
    if refusal:
        raise ValidationError(refusal)
    violation = current.violation
    audit_log(actor=by, action="recidivism.delete", obj=current, office=current.client.office, detail={
        "client": current.client_id, "kind": current.kind, "event_date": current.event_date.isoformat(),
        "source": current.source, "description": current.description, "verified": current.verified,
        "recorded_by": current.recorded_by_id, "violation": current.violation_id, "reason": reason})
    recidivism_deleting.send(sender=RecidivismEvent, event=current, reason=reason)
    try:
        current._change_reason = reason
        current.delete()
        if violation is not None:
            violation._change_reason = reason
            violation.delete()
    except ProtectedError as error:
        records = sorted({str(record._meta.verbose_name) for record in error.protected_objects})
        raise ValidationError(_("Peristiwa ini tidak dapat dihapus karena menjadi dasar %(records)s.") % {
            "records": ", ".join(records)}) from None
    if violation is not None:
        violation_saved.send(sender=Violation, violation=violation)


@transaction.atomic
def document_attach(*, by, client: Client, kind: str, upload) -> ClientDocument:
    document = ClientDocument(
        client=client,
        kind=kind,
        original_name=upload.name[:255],
        content_type=upload.content_type,
        size=upload.size,
        uploaded_by=by,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    audit_log(actor=by, action="document.create", obj=document, office=client.office, detail={"client": client.pk})
    return document


@transaction.atomic
def document_withdraw(*, by, document: ClientDocument, reason: str) -> ClientDocument:
    """Takes a document uploaded by mistake out of the client's file. The stored file stays, served to
    no one, until the nightly purge deletes it after WITHDRAWN_DOCUMENT_DAYS: a record is not destroyed
    from a page, and the audit entry says what was withdrawn."""
    current = ClientDocument.objects.select_for_update().get(pk=document.pk)
    if current.withdrawn_at is not None:
        raise ValidationError(_("Dokumen ini sudah ditarik."))
    current.withdrawn_at, current.withdrawn_by, current.withdrawal_reason = timezone.now(), by, reason.strip()
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_log(actor=by, action="document.withdraw", obj=current, office=current.client.office, detail={
        "client": current.client_id, "file": current.original_name, "kind": current.kind, "uploaded_by": current.uploaded_by_id,
        "reason": current.withdrawal_reason})
    return current


@transaction.atomic
def offence_category_save(*, by, category: OffenceCategory, created: bool) -> OffenceCategory:
    category.full_clean()
    category.save()
    audit_log(actor=by, action="offence_category.create" if created else "offence_category.update", obj=category,
              office=category.office, detail={"name": category.name, "active": category.active})
    return category


@transaction.atomic
def stage_rule_update(*, by, rule: StageRule) -> int:
    """Saves the office's stage rule and moves every active supervision's stage boundaries with it."""
    rule.full_clean()
    rule.save()
    supervisions = list(
        Supervision.objects.filter(office_id=rule.office_id, closed_on__isnull=True).only("id", "start_date", "end_date")
    )
    for supervision in supervisions:
        supervision.middle_stage_from, supervision.final_stage_from = rule.boundaries(supervision.start_date, supervision.end_date)
    Supervision.objects.bulk_update(supervisions, ["middle_stage_from", "final_stage_from"], batch_size=1000)
    # bulk_update bypasses field history, so the audit row carries the change.
    audit_log(actor=by, action="stage_rule.update", obj=rule, office=rule.office, detail={
        "middle_from_percent": rule.middle_from_percent, "final_from_percent": rule.final_from_percent,
        "supervisions_updated": len(supervisions)})
    return len(supervisions)
