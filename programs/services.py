"""Writes for programmes: partners, programmes, enrolments and one-step session logging, correction and deletion."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from assessments.policy import add_months
from bapas.audit import audit_log
from bapas.concurrency import lock_current
from clients.models import LegalBasis, Supervision
from clients.services import deletion_reason

from .followups import schedule_after_enrolment
from .models import (
    MAX_SERVICE_HOURS_PER_DAY,
    OPEN_STATUSES,
    SERVICE_WINDOW_MONTHS,
    Attendance,
    AttendanceStatus,
    CommunityServiceDay,
    Enrolment,
    EnrolmentStatus,
    Partner,
    PlannedSession,
    Programme,
    ProgrammeSession,
)
from .selectors import unrecorded_participants

# Which moves between statuses make sense; a closed enrolment is not reopened here.
STATUS_MOVES = {
    EnrolmentStatus.REFERRED: {EnrolmentStatus.ACTIVE, EnrolmentStatus.CANCELLED},
    EnrolmentStatus.ACTIVE: {EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED, EnrolmentStatus.CANCELLED},
}
NEEDS_REASON = {EnrolmentStatus.DROPPED, EnrolmentStatus.CANCELLED}


@transaction.atomic
def partner_save(*, by, partner: Partner, created: bool) -> Partner:
    partner.full_clean()
    partner.save()
    audit_log(actor=by, action="partner." + ("create" if created else "update"), obj=partner, office=partner.office)
    return partner


@transaction.atomic
def programme_save(*, by, programme: Programme, created: bool) -> Programme:
    programme.full_clean()
    programme.save()
    audit_log(actor=by, action="programme." + ("create" if created else "update"), obj=programme, office=programme.office)
    return programme


@transaction.atomic
def enrol(*, by, enrolment: Enrolment) -> Enrolment:
    supervision = enrolment.supervision
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan sudah diakhiri."))
    if enrolment.programme.office_id != supervision.office_id:
        raise ValidationError(_("Program ini milik kantor lain."))
    programme = Programme.objects.select_for_update().get(pk=enrolment.programme_id)  # two officers, one last place
    open_enrolments = Enrolment.objects.filter(programme=programme, status__in=OPEN_STATUSES)
    if open_enrolments.filter(supervision=supervision).exists():
        raise ValidationError(_("Klien sudah terdaftar pada program ini."))
    if programme.capacity is not None and open_enrolments.count() >= programme.capacity:
        raise ValidationError(_("Program sudah penuh (%(n)s peserta).") % {"n": programme.capacity})
    enrolment.created_by = by
    enrolment.status = EnrolmentStatus.ACTIVE if enrolment.start_date else EnrolmentStatus.REFERRED
    enrolment.full_clean()
    enrolment.save()
    audit_log(actor=by, action="enrolment.create", obj=enrolment, office=supervision.office,
              detail={"client": supervision.client_id, "programme": enrolment.programme_id})
    return enrolment


@transaction.atomic
def enrolment_set_status(*, by, enrolment: Enrolment, status: str, reason: str, on, expected_version: int) -> Enrolment:
    current = lock_current(Enrolment, enrolment.pk, expected_version, field="row_version")
    if status not in STATUS_MOVES.get(current.status, set()):
        raise ValidationError(_("Status %(old)s tidak dapat diubah menjadi %(new)s.") % {
            "old": current.get_status_display(), "new": EnrolmentStatus(status).label})
    if status in NEEDS_REASON and not reason.strip():
        raise ValidationError(_("Sebutkan alasannya."))
    if on > timezone.localdate():
        raise ValidationError(_("Tanggal tidak boleh di masa depan."))
    current.status, current.status_reason = status, reason.strip()
    if status == EnrolmentStatus.ACTIVE:
        current.start_date = current.start_date or on
    else:
        current.ended_on = on
    current.row_version += 1
    current.full_clean()
    current.save()
    audit_log(actor=by, action="enrolment.status", obj=current, office=current.supervision.office,
              detail={"client": current.supervision.client_id, "status": status, "reason": current.status_reason})
    schedule_after_enrolment(current)
    return current


@transaction.atomic
def session_log(*, by, session: ProgrammeSession, attendance: dict[int, str]) -> ProgrammeSession:
    """One step: the session and attendance for every enrolled client, then the hours of each
    enrolment recomputed in one UPDATE."""
    programme = session.programme
    open_ids = set(Enrolment.objects.filter(programme=programme, status__in=OPEN_STATUSES).values_list("id", flat=True))
    unknown = set(attendance) - open_ids
    if unknown:
        raise ValidationError(_("Kehadiran hanya untuk peserta terdaftar program ini."))
    session.recorded_by = by
    session.full_clean()
    session.save()
    Attendance.objects.bulk_create([Attendance(session=session, enrolment_id=enrolment_id, status=status)
                                    for enrolment_id, status in attendance.items()])
    present = [enrolment_id for enrolment_id, status in attendance.items() if status == AttendanceStatus.PRESENT]
    # Referred clients who attend have started.
    Enrolment.objects.filter(id__in=present, status=EnrolmentStatus.REFERRED).update(
        status=EnrolmentStatus.ACTIVE, start_date=session.date)
    refresh_hours(enrolment_ids=list(attendance))
    audit_log(actor=by, action="programme_session.create", obj=session, office=programme.office, detail={
        "programme": programme.pk, "hours": str(session.duration_hours),
        "present": len(present), "absent_or_excused": len(attendance) - len(present)})
    return session


@transaction.atomic
def session_correct(*, by, session: ProgrammeSession, expected_version: int, attendance: dict[int, str | None], reason: str,
                    changed: list[str]) -> ProgrammeSession:
    """Corrects a logged session and the attendance marks it recorded: a mark changed, a mark taken off
    (None: the participant was recorded by mistake), or the mark of a participant it left out who was
    enrolled on its (corrected) day added; every participant's hours are worked out again (the duration
    may have changed too). The audit entry keeps each mark's old and new value (none for an added or a
    removed one), as sessions and attendance have no field history of their own.

    A removed mark leaves the enrolment's status and start date as they are, even when this session's
    attendance is what started it: nothing records where a start date came from (it may have been
    entered at the referral), and the PK can still set the status on the enrolment."""
    lock_current(ProgrammeSession, session.pk, expected_version)
    recorded = {mark.enrolment_id: mark for mark in Attendance.objects.select_for_update().filter(session=session)}
    added = {enrolment_id: status for enrolment_id, status in attendance.items() if enrolment_id not in recorded and status}
    removed = [enrolment_id for enrolment_id, status in attendance.items() if enrolment_id in recorded and status is None]
    if set(added) - set(unrecorded_participants(session).values_list("id", flat=True)):
        raise ValidationError(_("Kehadiran hanya untuk peserta yang tercatat pada sesi ini atau terdaftar pada tanggalnya."))
    # Taking every mark off would leave a session of nobody. (One logged before a group had any
    # participants has no marks to take off, and may still have its date or hours corrected.)
    if removed and len(removed) == len(recorded) and not added:
        raise ValidationError(_("Sedikitnya satu peserta harus tetap tercatat pada sesi ini."))
    session.version = expected_version + 1
    session.correction_reason = reason
    session.full_clean()
    session.save()
    marks = {enrolment_id: (recorded[enrolment_id].status, status) for enrolment_id, status in attendance.items()
             if enrolment_id in recorded and recorded[enrolment_id].status != status}
    restated = [recorded[enrolment_id] for enrolment_id, (_old, status) in marks.items() if status is not None]
    for mark in restated:
        mark.status = marks[mark.enrolment_id][1]
    Attendance.objects.bulk_update(restated, ["status"])
    Attendance.objects.filter(pk__in=[recorded[enrolment_id].pk for enrolment_id in removed]).delete()
    Attendance.objects.bulk_create([Attendance(session=session, enrolment_id=enrolment_id, status=status)
                                    for enrolment_id, status in added.items()])
    marks.update({enrolment_id: (None, status) for enrolment_id, status in added.items()})
    now_present = [enrolment_id for enrolment_id, (_old, status) in marks.items() if status == AttendanceStatus.PRESENT]
    Enrolment.objects.filter(id__in=now_present, status=EnrolmentStatus.REFERRED).update(
        status=EnrolmentStatus.ACTIVE, start_date=session.date)
    # A participant added to an earlier session than the one their start was dated by started then.
    Enrolment.objects.filter(id__in=now_present, start_date__gt=session.date).update(start_date=session.date)
    refresh_hours(enrolment_ids=[*recorded, *added])
    audit_log(actor=by, action="programme_session.correct", obj=session, office=session.programme.office, detail={
        "programme": session.programme_id, "changed": changed, "reason": reason,
        "attendance": {str(enrolment_id): list(change) for enrolment_id, change in marks.items()}})
    return session


@transaction.atomic
def session_delete(*, by, session: ProgrammeSession, expected_version: int, reason: str) -> None:
    """Deletes a session logged by mistake (on the wrong programme, or one that never took place) and
    the attendance it recorded; the hours of everyone it marked are worked out again. Nothing else
    keeps what was deleted, so its one audit entry holds all of it: the session, the reason and each
    participant's mark.

    The enrolments' status and start date stay as they are, for the reason a removed mark leaves them
    in session_correct."""
    reason = deletion_reason(reason)
    current = lock_current(ProgrammeSession, session.pk, expected_version)
    marks = dict(Attendance.objects.filter(session=current).values_list("enrolment_id", "status"))
    # Written while the row still exists, so the entry names the session it was about.
    audit_log(actor=by, action="programme_session.delete", obj=current, office=current.programme.office, detail={
        "programme": current.programme_id, "date": current.date.isoformat(), "duration_hours": str(current.duration_hours),
        "topic": current.topic, "facilitator": current.facilitator, "notes": current.notes, "recorded_by": current.recorded_by_id,
        "reason": reason, "attendance": {str(enrolment_id): status for enrolment_id, status in marks.items()}})
    current.delete()  # its attendance goes with it (on_delete=CASCADE)
    refresh_hours(enrolment_ids=list(marks))


@transaction.atomic
def schedule_add(*, by, programme: Programme, planned: PlannedSession, weeks: int = 1) -> list[PlannedSession]:
    """Puts a date on the programme's schedule, or the same weekday and time for `weeks` weeks running."""
    dates = [planned.date + datetime.timedelta(weeks=week) for week in range(weeks)]
    rows = PlannedSession.objects.bulk_create([
        PlannedSession(programme=programme, date=day, starts_at=planned.starts_at, place=planned.place, topic=planned.topic,
                       created_by=by)
        for day in dates
    ])
    audit_log(actor=by, action="programme_schedule.create", obj=programme, office=programme.office, detail={
        "dates": [day.isoformat() for day in dates], "starts_at": _hour(planned.starts_at), "place": planned.place})
    return rows


@transaction.atomic
def schedule_remove(*, by, planned: PlannedSession) -> None:
    """Takes a date off the schedule (cancelled or moved); the audit entry keeps what it was."""
    audit_log(actor=by, action="programme_schedule.delete", obj=planned.programme, office=planned.programme.office, detail={
        "date": planned.date.isoformat(), "starts_at": _hour(planned.starts_at), "place": planned.place, "topic": planned.topic})
    planned.delete()


def _hour(time: datetime.time | None) -> str:
    return f"{time:%H:%M}" if time else ""


def refresh_hours(*, enrolment_ids: list[int]) -> None:
    attended = (
        Attendance.objects.filter(enrolment=OuterRef("pk"), status=AttendanceStatus.PRESENT)
        .values("enrolment")
        .annotate(total=Sum("session__duration_hours"))
        .values("total")
    )
    Enrolment.objects.filter(id__in=enrolment_ids).update(
        hours_attended=Coalesce(Subquery(attended), Value(Decimal("0")), output_field=DecimalField(max_digits=7, decimal_places=1))
    )


def service_deadline(supervision) -> datetime.date:
    """Community service is done within six months (KUHP 2023 Pasal 85), and never after the
    supervision's own end."""
    return min(add_months(supervision.start_date, SERVICE_WINDOW_MONTHS), supervision.end_date)


def service_summary(supervision) -> dict:
    done = supervision.service_days.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    ordered = Decimal(supervision.community_service_hours or 0)
    return {"ordered": ordered, "done": done, "left": max(Decimal("0"), ordered - done),
            "deadline": service_deadline(supervision)}


def service_day_refusal(supervision: Supervision) -> str:
    """Why the work days of this supervision cannot be logged, corrected or deleted now ("" when they can)."""
    if supervision.closed_on is not None:
        return _("Pembimbingan ini sudah diakhiri; hari kerjanya tidak dapat diubah.")
    return ""


def _refuse_service_day(supervision: Supervision, day: CommunityServiceDay) -> None:
    """The limits a work day must keep, with the other days logged on the supervision (a corrected
    day's own earlier hours are not counted against it)."""
    if supervision.legal_basis != LegalBasis.PKS:
        raise ValidationError(_("Jam kerja sosial hanya dicatat untuk pidana kerja sosial (PKS)."))
    if refusal := service_day_refusal(supervision):
        raise ValidationError(refusal)
    deadline = service_deadline(supervision)
    if day.date > timezone.localdate():
        raise ValidationError({"date": _("Tanggal tidak boleh di masa depan.")})
    if day.date < supervision.start_date:
        raise ValidationError({"date": _("Tanggal sebelum pidana kerja sosial dimulai.")})
    if day.date > deadline:
        raise ValidationError({"date": _("Lewat batas waktu pelaksanaan (%(date)s).") % {"date": f"{deadline:%d-%m-%Y}"}})
    others = supervision.service_days.exclude(pk=day.pk)
    that_day = others.filter(date=day.date).aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if that_day + day.hours > MAX_SERVICE_HOURS_PER_DAY:
        raise ValidationError({"hours": _("Paling banyak 8 jam sehari; pada tanggal ini sudah %(done)s jam.") % {
            "done": number_format(that_day, 1)}})
    left = Decimal(supervision.community_service_hours or 0) - (others.aggregate(total=Sum("hours"))["total"] or Decimal("0"))
    if day.hours > left:
        raise ValidationError({"hours": _("Melebihi jam yang diputuskan; sisa %(left)s jam.") % {
            "left": number_format(max(Decimal("0"), left), 1)}})


@transaction.atomic
def service_day_log(*, by, day: CommunityServiceDay) -> CommunityServiceDay:
    # Lock the supervision so two officers logging the same client cannot pass the limits together.
    _refuse_service_day(Supervision.objects.select_for_update().get(pk=day.supervision_id), day)
    day.recorded_by = by
    day.full_clean()
    day.save()
    audit_log(actor=by, action="community_service.create", obj=day, office=day.supervision.office,
              detail={"client": day.supervision.client_id, "hours": str(day.hours), "date": day.date.isoformat()})
    return day


@transaction.atomic
def service_day_correct(*, by, day: CommunityServiceDay, expected_version: int, reason: str, changed: list[str]) -> CommunityServiceDay:
    """Corrects a work day logged wrongly (its date, hours, place, supervisor or work), within the same
    limits as logging it. The hours done and left follow from the days, so they are right at once;
    field history keeps what the day said, the audit entry which fields changed and why."""
    if not changed:
        raise ValidationError(_("Tidak ada yang diubah."))
    lock_current(CommunityServiceDay, day.pk, expected_version)
    supervision = Supervision.objects.select_for_update().get(pk=day.supervision_id)
    _refuse_service_day(supervision, day)
    day.version = expected_version + 1
    day.correction_reason = reason
    day._change_reason = reason
    day.full_clean()
    day.save()
    audit_log(actor=by, action="community_service.correct", obj=day, office=supervision.office,
              detail={"client": supervision.client_id, "changed": changed, "reason": reason})
    return day


@transaction.atomic
def service_day_delete(*, by, day: CommunityServiceDay, expected_version: int, reason: str) -> None:
    """Deletes a work day logged by mistake: on the wrong client, or a day not worked. Its hours stop
    counting as done. Field history keeps the row, the audit entry all of it with the reason."""
    reason = deletion_reason(reason)
    current = lock_current(CommunityServiceDay, day.pk, expected_version)
    supervision = Supervision.objects.select_for_update().get(pk=current.supervision_id)
    if refusal := service_day_refusal(supervision):
        raise ValidationError(refusal)
    audit_log(actor=by, action="community_service.delete", obj=current, office=supervision.office, detail={
        "client": supervision.client_id, "date": current.date.isoformat(), "hours": str(current.hours), "place": current.place,
        "site_supervisor": current.site_supervisor, "activity": current.activity, "recorded_by": current.recorded_by_id,
        "reason": reason})
    current._change_reason = reason
    current.delete()
