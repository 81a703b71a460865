"""Post-programme and post-supervision follow-ups: scheduled at the office's offsets, recorded by
officers, retried when the client is not reached, never silently dropped."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.policy import add_months
from bapas.audit import audit_log
from bapas.concurrency import lock_current
from clients.models import NO_OUTCOME_CLOSURES, RecidivismEvent
from clients.services import recidivism_record

from .models import (
    DEFAULT_FOLLOW_UP_MONTHS,
    OPEN_STATUSES,
    SITUATION_FIELDS,
    Enrolment,
    EnrolmentStatus,
    FollowUp,
    FollowUpAnchor,
    FollowUpPlan,
)

SCHEDULED_ON = {EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED}


def office_months(office_id: int) -> list[int]:
    plan, _created = FollowUpPlan.objects.get_or_create(office_id=office_id, defaults={"months": DEFAULT_FOLLOW_UP_MONTHS})
    return sorted(set(plan.months))


def _schedule(rows: list[FollowUp]) -> int:
    # The unique constraints make a second call a no-op, whatever happened in between.
    before = FollowUp.objects.filter(supervision_id=rows[0].supervision_id).count() if rows else 0
    FollowUp.objects.bulk_create(rows, ignore_conflicts=True)
    return FollowUp.objects.filter(supervision_id=rows[0].supervision_id).count() - before if rows else 0


def schedule_after_enrolment(enrolment) -> int:
    if enrolment.status not in SCHEDULED_ON or enrolment.ended_on is None:
        return 0
    months = office_months(enrolment.supervision.office_id)
    return _schedule([
        FollowUp(supervision_id=enrolment.supervision_id, office_id=enrolment.supervision.office_id, enrolment=enrolment,
                 anchor=FollowUpAnchor.PROGRAMME_END,
                 offset_months=m, due_date=add_months(enrolment.ended_on, m))
        for m in months
    ])


def schedule_after_supervision(supervision) -> int:
    if supervision.closed_on is None or supervision.closure_reason in NO_OUTCOME_CLOSURES:
        return 0
    months = office_months(supervision.office_id)
    return _schedule([
        FollowUp(supervision=supervision, office_id=supervision.office_id, anchor=FollowUpAnchor.SUPERVISION_END, offset_months=m,
                 due_date=add_months(supervision.closed_on, m))
        for m in months
    ])


def on_supervision_closed(sender, supervision, **kwargs):
    schedule_after_supervision(supervision)


def on_supervision_reopened(sender, supervision, **kwargs):
    """The closure was a mistake: the follow-ups it scheduled that are not done go (field history keeps
    them); one already done stays, the record of a contact that took place."""
    FollowUp.objects.filter(supervision=supervision, anchor=FollowUpAnchor.SUPERVISION_END, done_on__isnull=True).delete()


def on_client_transferring(sender, client, transfer, **kwargs):
    """The client's file moves to another office: what the sending office still had going for them
    ends. Open enrolments in its programmes are cancelled, and its follow-ups not yet done go (field
    history keeps them); the office taking over plans its own. Returns what ended, for the audit
    entry of the acceptance."""
    reason = _("Klien dipindahkan ke %(office)s") % {"office": transfer.to_office.name}
    mine = {"supervision__client": client, "supervision__office_id": transfer.from_office_id}
    ended = {"enrolments_cancelled": [], "follow_ups_removed": []}
    for enrolment in Enrolment.objects.select_for_update().filter(status__in=OPEN_STATUSES, **mine):
        enrolment.status, enrolment.status_reason, enrolment.ended_on = EnrolmentStatus.CANCELLED, reason, timezone.localdate()
        enrolment.row_version += 1
        enrolment._change_reason = reason
        enrolment.save(update_fields=["status", "status_reason", "ended_on", "row_version"])
        ended["enrolments_cancelled"].append(enrolment.pk)
    for follow_up in FollowUp.objects.select_for_update().filter(done_on__isnull=True, **mine):
        ended["follow_ups_removed"].append(follow_up.pk)
        follow_up._change_reason = reason
        follow_up.delete()
    return ended


def on_recidivism_deleting(sender, event, reason, **kwargs):
    """An event recorded by mistake is being deleted: a follow-up that learned of it found no new
    offence after all (its field history keeps what it said, with the reason)."""
    for follow_up in FollowUp.objects.select_for_update().filter(recidivism_event=event):
        follow_up.new_offence, follow_up.recidivism_event = False, None
        follow_up.row_version += 1
        follow_up._change_reason = reason
        follow_up.save(update_fields=["new_offence", "recidivism_event", "row_version"])


@transaction.atomic
def follow_up_record(*, by, follow_up: FollowUp, reached: bool, data: dict, expected_version: int) -> FollowUp:
    current = lock_current(FollowUp, follow_up.pk, expected_version, field="row_version")
    if current.done_on is not None:
        raise ValidationError(_("Tindak lanjut ini sudah selesai."))
    on = data["on"]
    if on > timezone.localdate():
        raise ValidationError(_("Tanggal tindak lanjut tidak boleh di masa depan."))
    current.attempts += 1
    current.last_attempt_on = on
    current.method = data["method"]
    note = data.get("notes", "").strip()
    if note:  # each attempt adds a dated line; earlier attempts stay readable
        current.notes = f"{current.notes}\n{on:%d-%m-%Y}: {note}".strip()
    if reached:
        current.done_on = on
        for field in (*SITUATION_FIELDS, "new_offence"):
            setattr(current, field, data[field])
        if data["new_offence"]:
            current.recidivism_event = recidivism_record(by=by, event=RecidivismEvent(
                client_id=current.supervision.client_id, kind=data["event_kind"], event_date=data["event_date"],
                source=data["event_source"], description=_("Diketahui saat tindak lanjut %(date)s.") % {"date": on.strftime("%d-%m-%Y")},
            ))
    current.recorded_by = by
    current.row_version += 1
    current.save()
    audit_log(actor=by, action="follow_up." + ("done" if reached else "unreached"), obj=current,
              office=current.supervision.office, detail={"client": current.supervision.client_id,
                                                         "new_offence": bool(data.get("new_offence")) if reached else None})
    return current


@transaction.atomic
def follow_up_correct(*, by, follow_up: FollowUp, data: dict, reason: str, expected_version: int) -> FollowUp:
    """Corrects what a done follow-up recorded: its date, how it was made, the client's situation (the
    outcome figures count these). A new offence recorded by mistake is undone by deleting its event on
    the client's page; one learned of later is recorded there too."""
    current = lock_current(FollowUp, follow_up.pk, expected_version, field="row_version")
    if current.done_on is None:
        raise ValidationError(_("Tindak lanjut ini belum selesai; catat hasilnya, bukan koreksinya."))
    if data["on"] > timezone.localdate():
        raise ValidationError({"on": _("Tanggal tindak lanjut tidak boleh di masa depan.")})
    values = {"done_on": data["on"], **{field: data[field] for field in ("method", *SITUATION_FIELDS)}}
    changed = [field for field, value in values.items() if getattr(current, field) != value]
    if not changed:
        raise ValidationError(_("Tidak ada yang diubah."))
    for field, value in values.items():
        setattr(current, field, value)
    if "done_on" in changed:
        current.last_attempt_on = current.done_on  # it was done at its last attempt
    current.row_version += 1
    current._change_reason = reason.strip()
    current.save()
    audit_log(actor=by, action="follow_up.correct", obj=current, office=current.supervision.office,
              detail={"client": current.supervision.client_id, "changed": changed, "reason": reason.strip()})
    return current


def days_overdue(follow_up, today: datetime.date | None = None) -> int:
    return max(0, ((today or timezone.localdate()) - follow_up.due_date).days)
