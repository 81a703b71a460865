"""Litmas (Penelitian Kemasyarakatan): the office's register of social inquiry reports and the path
of each from request to sidang TPP: registered and assigned to a PK, written part by part, submitted
with the client's assessment results as they stand, then approved by the TPP or returned for another draft."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.audit import audit_log
from bapas.concurrency import lock_current
from bapas.models import CASEWORKER_ROLES, Office

from .models import LITMAS_OPEN, LITMAS_SECTIONS, Assessment, AssessmentStatus, Litmas, LitmasStatus
from .plans import stored_top_needs

SECTION_FIELDS = [name for name, _required in LITMAS_SECTIONS]
REQUEST_FIELDS = ["kind", "supervision", "officer", "requested_by", "request_letter", "requested_on", "due_on"]


# Each PK's load, for the Kasi choosing who writes a Litmas. The workload model lives in the reports
# app, which registers the reader in its AppConfig.ready(), so this app never imports it.
_load_reader = None


def register_load_reader(func) -> None:
    """func(office_id) -> {officer id: {"percent", "litmas", ...}}"""
    global _load_reader
    _load_reader = func


def officer_loads(office_id: int) -> dict[int, dict]:
    return _load_reader(office_id) if _load_reader is not None else {}


def _audit(by, action, litmas, **detail):
    audit_log(actor=by, action=action, obj=litmas, office=litmas.office,
              detail={"client": litmas.client_id, "register": litmas.register_number, **detail})


def _saved(by, current: Litmas, action: str, **detail) -> Litmas:
    """A change saved under the next row version, with its audit entry."""
    current.row_version += 1
    current.save()
    _audit(by, action, current, **detail)
    return current


def _check_request(litmas: Litmas) -> None:
    errors = {}
    if litmas.officer.office_id != litmas.office_id or litmas.officer.role not in CASEWORKER_ROLES or not litmas.officer.is_active:
        errors["officer"] = _("Pilih PK aktif kantor ini.")
    if litmas.supervision is not None and litmas.supervision.client_id != litmas.client_id:
        errors["supervision"] = _("Pembimbingan itu bukan milik klien ini.")
    if litmas.requested_on and litmas.requested_on > timezone.localdate():
        errors["requested_on"] = _("Tanggal permintaan tidak boleh di masa depan.")
    if litmas.requested_on and litmas.due_on and litmas.due_on < litmas.requested_on:
        errors["due_on"] = _("Batas waktu harus sama dengan atau sesudah tanggal permintaan.")
    if errors:
        raise ValidationError(errors)


def litmas_still_open(user) -> str | None:
    """Before an admin deactivates a PK or gives them another role: the Litmas they are writing would
    be left with nobody to finish it."""
    count = Litmas.objects.filter(officer_id=user.pk, status__in=LITMAS_OPEN).count()
    if not count:
        return None
    return _("%(name)s masih menyusun %(n)d Litmas. Minta Kasi/Kasubsi memberikannya kepada PK lain lebih dulu "
             "(Litmas → Ubah permintaan).") % {"name": user, "n": count}


@transaction.atomic
def litmas_register(*, by, client, data: dict) -> Litmas:
    """Enters a requested Litmas in the office's register under the next number of the year."""
    litmas = Litmas(office_id=client.office_id, client=client, created_by=by, **{f: data.get(f) for f in REQUEST_FIELDS})
    _check_request(litmas)
    # The office row is the register's lock: two registrations at once cannot take the same number.
    office = Office.objects.select_for_update().get(pk=client.office_id)
    litmas.year = timezone.localdate().year
    last = Litmas.objects.filter(office=office, year=litmas.year).aggregate(last=Max("number"))["last"] or 0
    litmas.number = last + 1
    litmas.register_number = office.litmas_register_number(litmas.number, litmas.year)
    litmas.save()
    _audit(by, "litmas.register", litmas, officer=litmas.officer_id, due_on=litmas.due_on.isoformat())
    return litmas


def _locked(litmas: Litmas, expected_version: int, *statuses) -> Litmas:
    current = lock_current(Litmas, litmas.pk, expected_version, field="row_version")
    if current.status not in statuses:
        raise ValidationError(_("Litmas ini sudah %(status)s; perubahan ini tidak dapat dilakukan.") % {
            "status": current.get_status_display().lower()})
    return current


def may_write(user, litmas: Litmas) -> bool:
    """The PK who writes it, or the office's supervisor."""
    return user.pk == litmas.officer_id or (user.is_supervisor and user.office_id == litmas.office_id)


def _may_write(by, litmas: Litmas) -> None:
    if not may_write(by, litmas):
        raise ValidationError(_("Hanya PK penyusun atau Kasi/Kasubsi yang dapat mengubah Litmas ini."))


@transaction.atomic
def litmas_request_update(*, by, litmas: Litmas, data: dict, expected_version: int) -> Litmas:
    """The supervisor corrects the request or hands the Litmas to another PK, before the TPP decides."""
    _require_office_supervisor(by, litmas)
    current = _locked(litmas, expected_version, *LITMAS_OPEN)
    changed = {f: str(data.get(f)) for f in REQUEST_FIELDS if getattr(current, f) != data.get(f)}
    for field in REQUEST_FIELDS:
        setattr(current, field, data.get(field))
    _check_request(current)
    return _saved(by, current, "litmas.request_update", changed=changed)


@transaction.atomic
def litmas_save_draft(*, by, litmas: Litmas, sections: dict, expected_version: int) -> Litmas:
    _may_write(by, litmas)
    current = _locked(litmas, expected_version, LitmasStatus.DRAFT)
    changed = [f for f in SECTION_FIELDS if getattr(current, f) != sections.get(f, "")]
    for field in SECTION_FIELDS:
        setattr(current, field, sections.get(field, ""))
    return _saved(by, current, "litmas.edit", sections=changed)


def missing_sections(litmas: Litmas) -> list[str]:
    """The parts that must be written before the report goes to the TPP, by their names."""
    return [str(Litmas._meta.get_field(name).verbose_name) for name, required in LITMAS_SECTIONS
            if required and not getattr(litmas, name).strip()]


def assessment_summary(client) -> list[dict]:
    """The newest final result of each instrument the client was assessed with, and for a needs
    instrument its top needs: what the Litmas reports as the assessment's outcome."""
    latest = {}
    finals = (Assessment.objects.filter(supervision__client=client, status=AssessmentStatus.FINAL)
              .select_related("version__instrument").order_by("-assessed_on", "-id")[:20])
    for assessment in finals:
        code = assessment.version.instrument.code
        if code in latest:
            continue
        entry = {"instrument": code, "name": assessment.version.instrument.name, "version": assessment.version.version,
                 "assessed_on": assessment.assessed_on.isoformat(), "level": assessment.final_level,
                 "total": assessment.total, "needs": []}
        if assessment.domain_scores:
            entry["needs"] = [{"domain": name, "level": domain.level} for name, domain in stored_top_needs(assessment)]
        latest[code] = entry
    return sorted(latest.values(), key=lambda entry: entry["instrument"])


@transaction.atomic
def litmas_submit(*, by, litmas: Litmas, expected_version: int) -> Litmas:
    _may_write(by, litmas)
    current = _locked(litmas, expected_version, LitmasStatus.DRAFT)
    if missing := missing_sections(current):
        raise ValidationError(_("Lengkapi dulu: %(parts)s.") % {"parts": ", ".join(missing)})
    current.status, current.submitted_at = LitmasStatus.SUBMITTED, timezone.now()
    current.assessment_summary = assessment_summary(current.client)
    return _saved(by, current, "litmas.submit")


def _require_office_supervisor(by, litmas: Litmas) -> None:
    if not by.is_supervisor or by.office_id != litmas.office_id:
        raise ValidationError(_("Hanya Kasi/Kasubsi kantor ini yang dapat melakukan ini."))


@transaction.atomic
def litmas_approve(*, by, litmas: Litmas, tpp_date, tpp_number: str, note: str, expected_version: int) -> Litmas:
    _require_office_supervisor(by, litmas)
    current = _locked(litmas, expected_version, LitmasStatus.SUBMITTED)
    if tpp_date > timezone.localdate():
        raise ValidationError({"tpp_date": _("Tanggal sidang TPP tidak boleh di masa depan.")})
    if tpp_date < timezone.localdate(current.submitted_at):
        raise ValidationError({"tpp_date": _("Sidang TPP tidak mungkin sebelum Litmas diajukan.")})
    current.status, current.tpp_date, current.tpp_number = LitmasStatus.APPROVED, tpp_date, tpp_number.strip()
    current.return_note, current.decided_by, current.decided_at = note.strip(), by, timezone.now()
    return _saved(by, current, "litmas.approve", tpp_date=tpp_date.isoformat(), tpp_number=current.tpp_number)


@transaction.atomic
def litmas_return(*, by, litmas: Litmas, note: str, expected_version: int) -> Litmas:
    """The TPP sends the report back: a new draft, with what the panel asked for."""
    _require_office_supervisor(by, litmas)
    current = _locked(litmas, expected_version, LitmasStatus.SUBMITTED)
    if not note.strip():
        raise ValidationError({"note": _("Tuliskan apa yang diminta sidang TPP.")})
    current.status, current.return_note, current.submitted_at = LitmasStatus.DRAFT, note.strip(), None
    current.decided_by, current.decided_at = by, timezone.now()
    return _saved(by, current, "litmas.return", note=current.return_note)


@transaction.atomic
def litmas_cancel(*, by, litmas: Litmas, reason: str, expected_version: int) -> Litmas:
    """A request withdrawn or entered by mistake: the number stays in the register, marked cancelled."""
    _require_office_supervisor(by, litmas)
    current = _locked(litmas, expected_version, *LITMAS_OPEN)
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan pembatalan.")})
    current.status, current.cancel_reason = LitmasStatus.CANCELLED, reason.strip()
    # When it stopped being anyone's work: the monthly report counts the Litmas open at a month's end by it.
    current.decided_by, current.decided_at = by, timezone.now()
    return _saved(by, current, "litmas.cancel", reason=current.cancel_reason)
