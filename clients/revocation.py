"""Revocation (pencabutan) of a conditional release, step by step as DOMAIN.md describes it: the PK's
report and berita acara, the sidang TPP, the Kabapas's temporary suspension, the proposal sent upward,
and the decision. A court's sentence (pidana bersyarat, pengawasan, kerja sosial) has no suspension:
after the TPP the PK's consideration goes to the jaksa, and the judge decides. Each step records its
document's date and number, in order, by the role whose act it is. A revocation closes the
supervision; a refusal at any point lets it run on."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.audit import audit_log
from bapas.concurrency import lock_current
from bapas.models import Role

from .models import (
    ClosureReason,
    RecidivismEvent,
    RecidivismKind,
    Revocation,
    RevocationStage,
    Violation,
    ViolationKind,
    ViolationStatus,
)
from .services import supervision_close, supervision_suspension_set


def _audit(by, action, revocation, **detail):
    audit_log(actor=by, action=action, obj=revocation, office=revocation.supervision.office,
              detail={"client": revocation.supervision.client_id, "stage": revocation.stage, **detail})


def _check_day(day: datetime.date, after: datetime.date | None, field: str, after_what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("Tanggal tidak boleh di masa depan.")})
    if after is not None and day < after:
        raise ValidationError({field: _("Tanggal tidak boleh sebelum %(what)s (%(day)s).") % {
            "what": after_what, "day": f"{after:%d-%m-%Y}"}})


def _require(by, roles, revocation: Revocation) -> None:
    if by.role not in roles or by.office_id != revocation.supervision.office_id:
        raise ValidationError(_("Langkah ini bukan wewenang peran Anda."))


def _locked(revocation: Revocation, expected_version: int, stage: str) -> Revocation:
    current = lock_current(Revocation, revocation.pk, expected_version)
    if current.stage != stage:
        raise ValidationError(_("Usulan ini sudah pada tahap lain: %(stage)s.") % {"stage": current.stage_label})
    return current


def _save(current: Revocation, stage: str) -> Revocation:
    current.stage = stage
    current.version += 1
    current.save()
    return current


@transaction.atomic
def revocation_start(*, by, violation: Violation, report_number: str, report_date: datetime.date) -> Revocation:
    """The PK (or the Kasi) reports the violation with a berita acara: the case goes to the TPP."""
    violation = Violation.objects.select_for_update().select_related("supervision__office").get(pk=violation.pk)
    if violation.supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan ini sudah diakhiri."))
    if Revocation.objects.filter(violation=violation).exists():
        raise ValidationError(_("Pelanggaran ini sudah punya usulan pencabutan."))
    _check_day(report_date, violation.occurred_on, "report_date", _("tanggal pelanggaran"))
    revocation = Revocation.objects.create(violation=violation, supervision=violation.supervision, report_number=report_number.strip(),
                                           report_date=report_date, created_by=by)
    violation.status = ViolationStatus.IN_TPP
    violation.version += 1
    violation.save(update_fields=["status", "version"])
    _audit(by, "revocation.start", revocation, report_number=revocation.report_number)
    return revocation


@transaction.atomic
def revocation_tpp(*, by, revocation: Revocation, tpp_date, tpp_number: str, recommends: bool, notes: str,
                   expected_version: int) -> Revocation:
    """The Kasi records the sidang TPP: it recommends the revocation to the Kabapas, or it does not
    (the violation is dealt with otherwise, and supervision runs on)."""
    _require(by, {Role.SUPERVISOR}, revocation)
    current = _locked(revocation, expected_version, RevocationStage.REPORTED)
    _check_day(tpp_date, current.report_date, "tpp_date", _("berita acara"))
    current.tpp_date, current.tpp_number, current.notes = tpp_date, tpp_number.strip(), notes.strip()
    if not recommends:
        return _finish(by, current, revoked=False, action="revocation.tpp")
    _save(current, RevocationStage.TPP_RECOMMENDED)
    _audit(by, "revocation.tpp", current, tpp_number=current.tpp_number, recommends=True)
    return current


@transaction.atomic
def revocation_suspend(*, by, revocation: Revocation, suspended_on, suspension_number: str, expected_version: int) -> Revocation:
    """The Kabapas suspends the release for now (recorded by the Kabapas, or by the Kasi on their behalf)."""
    _require(by, {Role.HEAD, Role.SUPERVISOR}, revocation)
    current = _locked(revocation, expected_version, RevocationStage.TPP_RECOMMENDED)
    if current.by_court:
        raise ValidationError(_("Putusan pengadilan tidak dicabut sementara oleh Kabapas: kirim surat pertimbangan ke jaksa."))
    _check_day(suspended_on, current.tpp_date, "suspended_on", _("sidang TPP"))
    current.suspended_on, current.suspension_number = suspended_on, suspension_number.strip()
    _save(current, RevocationStage.SUSPENDED)
    # The client is back in custody: no contact falls due and no wajib lapor is missed while the decision is awaited.
    supervision_suspension_set(supervision=current.supervision, suspended_on=suspended_on)
    _audit(by, "revocation.suspend", current, suspension_number=current.suspension_number)
    return current


@transaction.atomic
def revocation_send(*, by, revocation: Revocation, sent_on, sent_letter_number: str, sent_to: str, expected_version: int) -> Revocation:
    """A release's proposal goes up to the Kanwil or the Ditjen after the suspension; a court
    sentence's consideration goes to the jaksa straight after the TPP."""
    _require(by, {Role.SUPERVISOR, Role.HEAD}, revocation)
    if revocation.by_court:
        current = _locked(revocation, expected_version, RevocationStage.TPP_RECOMMENDED)
        _check_day(sent_on, current.tpp_date, "sent_on", _("sidang TPP"))
    else:
        current = _locked(revocation, expected_version, RevocationStage.SUSPENDED)
        _check_day(sent_on, current.suspended_on, "sent_on", _("pencabutan sementara"))
    current.sent_on, current.sent_letter_number, current.sent_to = sent_on, sent_letter_number.strip(), sent_to.strip()
    _save(current, RevocationStage.SENT)
    _audit(by, "revocation.send", current, letter=current.sent_letter_number)
    return current


@transaction.atomic
def revocation_decide(*, by, revocation: Revocation, decided_on, decision_number: str, revoked: bool,
                      expected_version: int) -> Revocation:
    """The decision from above, or the court's, recorded by the Kasi: revoked (the supervision ends) or not."""
    _require(by, {Role.SUPERVISOR}, revocation)
    current = _locked(revocation, expected_version, RevocationStage.SENT)
    _check_day(decided_on, current.sent_on, "decided_on", _("pengusulan"))
    current.decided_on, current.decision_number = decided_on, decision_number.strip()
    return _finish(by, current, revoked=revoked, action="revocation.decide")


def _finish(by, current: Revocation, *, revoked: bool, action: str) -> Revocation:
    """Ends the case. Revoked: the supervision closes on the decision's day with the reason "revoked",
    and a breach of conditions counts as a technical revocation among the recidivism events (a new
    offence has its own event already). Not revoked after a suspension: the contact schedule resumes.
    Either way the violation is settled."""
    _save(current, RevocationStage.REVOKED if revoked else RevocationStage.NOT_REVOKED)
    violation = current.violation
    violation.status = ViolationStatus.RESOLVED
    violation.version += 1
    violation.save(update_fields=["status", "version"])
    if revoked:
        supervision_close(by=by, supervision=current.supervision, closed_on=current.decided_on, reason=ClosureReason.REVOKED)
        if violation.kind != ViolationKind.NEW_OFFENCE:
            RecidivismEvent.objects.create(
                client_id=current.supervision.client_id, supervision=current.supervision, kind=RecidivismKind.TECHNICAL_REVOCATION,
                event_date=current.decided_on, source=_("Keputusan pencabutan %(number)s") % {"number": current.decision_number},
                description=violation.description[:500], verified=True, violation=violation, recorded_by=by)
    elif current.suspended_on:  # the suspension is lifted
        supervision_suspension_set(supervision=current.supervision, suspended_on=None, resumed_on=current.decided_on)
    _audit(by, action, current, revoked=revoked)
    return current
