"""Writes for assessments: drafts, finalisation (scored by the engine), overrides, corrections."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bapas.audit import audit_log
from bapas.concurrency import lock_current

from .engine import ScoringError, score
from .models import Assessment, AssessmentStatus, OverrideStatus
from .policy import intensity_apply


def _locked(assessment: Assessment, expected_version: int) -> Assessment:
    current = lock_current(Assessment, assessment.pk, expected_version, field="row_version")
    if current.is_final:
        raise ValidationError(_("Asesmen final tidak dapat diubah; buat asesmen koreksi."))
    return current


def clean_answers(definition: dict, raw: dict) -> dict:
    """Keeps only known items, in the stored form the engine reads."""
    answers = {}
    for item in definition["items"]:
        entry = raw.get(item["code"]) or {}
        note = (entry.get("note") or "").strip()
        if item.get("scored"):
            option = entry.get("option") or None
            if option or note:
                answers[item["code"]] = {"option": option, "note": note}
        elif entry.get("checked") or note:
            answers[item["code"]] = {"checked": bool(entry.get("checked")), "note": note}
    return answers


@transaction.atomic
def assessment_start(*, by, supervision, version, kind: str, corrects: Assessment | None = None) -> Assessment:
    if supervision.closed_on is not None:
        raise ValidationError(_("Pembimbingan sudah diakhiri."))
    assessment = Assessment.objects.create(
        supervision=supervision, version=version, kind=kind, assessed_on=timezone.localdate(), assessor=by,
        corrects=corrects, answers=dict(corrects.answers) if corrects else {},
        responsivity=list(corrects.responsivity) if corrects else [],
        responsivity_notes=corrects.responsivity_notes if corrects else "",
    )
    audit_log(actor=by, action="assessment.create", obj=assessment, office=supervision.office,
              detail={"client": supervision.client_id, "instrument": str(version), "corrects": corrects.pk if corrects else None})
    return assessment


@transaction.atomic
def assessment_save_draft(*, by, assessment: Assessment, answers: dict, responsivity: list, notes: str,
                          assessed_on, expected_version: int) -> Assessment:
    current = _locked(assessment, expected_version)
    current.answers = clean_answers(current.definition, answers)
    current.responsivity, current.responsivity_notes, current.assessed_on = responsivity, notes, assessed_on
    current.row_version += 1
    current.save()
    audit_log(actor=by, action="assessment.update", obj=current, office=current.supervision.office,
              detail={"client": current.supervision.client_id})
    return current


@transaction.atomic
def assessment_discard(*, by, assessment: Assessment, expected_version: int) -> None:
    """Deletes a draft started by mistake (the wrong client or instrument) or no longer wanted. A draft
    sets nothing (intensity and the case plan follow final assessments), so nothing else changes; a
    final assessment is never deleted (_locked refuses it). The audit entry keeps its answers."""
    current = _locked(assessment, expected_version)
    audit_log(actor=by, action="assessment.discard", obj=current, office=current.supervision.office, detail={
        "client": current.supervision.client_id, "instrument": str(current.version), "kind": current.kind,
        "corrects": current.corrects_id, "answers": current.answers})
    current.delete()


@transaction.atomic
def assessment_finalise(*, by, assessment: Assessment, expected_version: int, override_level: str = "",
                        override_reason: str = "") -> Assessment:
    current = _locked(assessment, expected_version)
    try:
        result = score(current.definition, current.answers, sex=current.supervision.client.sex)
    except ScoringError as error:
        raise ValidationError(_("Belum lengkap: %(error)s") % {"error": error}) from error
    if override_level and override_level not in current.definition["levels"]:
        raise ValidationError(_("Tingkat penyesuaian tidak dikenal."))
    if override_level and override_level != result.level and not override_reason.strip():
        raise ValidationError(_("Penyesuaian tingkat memerlukan alasan."))
    current.total, current.computed_level, current.final_level = result.total, result.level, result.level
    current.domain_scores = {name: {"score": d.score, "level": d.level, "max": d.max_score} for name, d in result.domains.items()}
    current.flags = result.flags
    if override_level and override_level != result.level:
        current.override_level, current.override_reason = override_level, override_reason.strip()
        current.override_status = OverrideStatus.PENDING
    current.status, current.finalised_at = AssessmentStatus.FINAL, timezone.now()
    current.row_version += 1
    current.save()
    audit_log(actor=by, action="assessment.finalise", obj=current, office=current.supervision.office, detail={
        "client": current.supervision.client_id, "total": result.total, "level": result.level,
        "override_requested": current.override_level or None})
    intensity_apply(supervision=current.supervision)
    return current


@transaction.atomic
def override_decide(*, by, assessment: Assessment, approve: bool) -> Assessment:
    if not by.is_supervisor or by.office_id != assessment.supervision.office_id:
        raise ValidationError(_("Hanya Kasi/Kasubsi kantor ini yang dapat memutuskan penyesuaian."))
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if current.override_status != OverrideStatus.PENDING:
        raise ValidationError(_("Tidak ada penyesuaian yang menunggu keputusan."))
    current.override_status = OverrideStatus.APPROVED if approve else OverrideStatus.REJECTED
    current.final_level = current.override_level if approve else current.computed_level
    current.override_decided_by, current.override_decided_at = by, timezone.now()
    current.row_version += 1
    current.save()
    audit_log(actor=by, action="assessment.override_" + ("approved" if approve else "rejected"), obj=current,
              office=current.supervision.office, detail={"client": current.supervision.client_id, "final_level": current.final_level})
    intensity_apply(supervision=current.supervision)
    return current
