"""The office's supervision-intensity policy (data, versioned) and how it lands on a supervision."""

import datetime

from django.db import transaction
from django.db.models import Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from bapas.audit import audit_log
from bapas.versions import newest_version, next_version_number
from clients.models import Contact, Supervision, Violation
from clients.services import contact_due, supervision_set_intensity

from .models import Assessment, AssessmentStatus, IntensityPolicy

# Shipped defaults (RNR practice: more contact for higher risk); every office can edit its own.
DEFAULT_RULES = {
    "Rendah": {"contacts_per_month": 1, "home_visits_per_quarter": 1, "reassessment_months": 6, "programme_hours": 0},
    "Sedang": {"contacts_per_month": 2, "home_visits_per_quarter": 1, "reassessment_months": 6, "programme_hours": 100},
    "Tinggi": {"contacts_per_month": 4, "home_visits_per_quarter": 2, "reassessment_months": 6, "programme_hours": 200},
    "Sangat Tinggi": {"contacts_per_month": 8, "home_visits_per_quarter": 3, "reassessment_months": 6, "programme_hours": 300},
}
DAYS_PER_MONTH = 30


def current_policy(office_id: int) -> IntensityPolicy:
    return newest_version(IntensityPolicy, office_id, {"rules": DEFAULT_RULES})


def interval_days(contacts_per_month: int) -> int:
    return max(1, DAYS_PER_MONTH // max(1, contacts_per_month))


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


def latest_risk_assessment(supervision) -> Assessment | None:
    """The newest final assessment with an instrument whose purpose is risk (RRI)."""
    return (
        Assessment.objects.filter(
            supervision=supervision, status=AssessmentStatus.FINAL, version__definition__purpose="risk"
        )
        .order_by("-assessed_on", "-id")
        .first()
    )


def reassessment_due(supervision, policy: IntensityPolicy, *, regular: datetime.date, since: datetime.date | None,
                     first_violation: datetime.date | None) -> datetime.date:
    """The regular date, or sooner: the policy's days after the first event since the last assessment
    (a violation, or the day tahap lanjutan or akhir begins: by the dates, or by a TPP decision, which
    sets the stage instead of them). RNR reassesses on events, not only on the clock."""
    if supervision.stage_override:
        stage_changes = (supervision.stage_override_on,)
    else:
        stage_changes = (supervision.middle_stage_from, supervision.final_stage_from)
    events = [day for day in (first_violation, *stage_changes) if day is not None and (since is None or day > since)]
    if not events:
        return regular
    return min(regular, min(events) + datetime.timedelta(days=policy.event_reassessment_days))


def provisional_intensity(supervision, policy: IntensityPolicy, first_violation: datetime.date | None = None) -> dict:
    """Before the first risk assessment: the provisional contact rate and the first assessment due."""
    regular = supervision.start_date + datetime.timedelta(days=policy.first_assessment_days)
    return {
        "policy_interval_days": interval_days(policy.provisional_contacts_per_month),
        "risk_level": "",
        "assessment_due": reassessment_due(supervision, policy, regular=regular, since=None, first_violation=first_violation),
    }


def _first_violation(supervision, since: datetime.date | None) -> datetime.date | None:
    violations = Violation.objects.filter(supervision=supervision)
    if since is not None:
        violations = violations.filter(occurred_on__gt=since)
    return violations.aggregate(first=Min("occurred_on"))["first"]


@transaction.atomic
def intensity_apply(*, supervision) -> None:
    """Writes risk level, contact interval and the next assessment due onto the supervision."""
    policy = current_policy(supervision.office_id)
    latest = latest_risk_assessment(supervision)
    since = latest.assessed_on if latest else None
    first_violation = _first_violation(supervision, since)
    if latest is None:
        supervision_set_intensity(supervision=supervision, **provisional_intensity(supervision, policy, first_violation))
        return
    rule = policy.rule_for(latest.final_level)
    supervision_set_intensity(
        supervision=supervision,
        policy_interval_days=interval_days(rule["contacts_per_month"]),
        risk_level=latest.final_level,
        assessment_due=reassessment_due(supervision, policy, regular=add_months(since, rule["reassessment_months"]),
                                        since=since, first_violation=first_violation),
    )


def on_supervision_opening(sender, supervision, **kwargs):
    """A new supervision starts on the provisional policy; clients saves it."""
    for field, value in provisional_intensity(supervision, current_policy(supervision.office_id)).items():
        setattr(supervision, field, value)


def on_violation_saved(sender, violation, **kwargs):
    """A violation recorded, or its date corrected: the reassessment it calls for moves the date due."""
    intensity_apply(supervision=violation.supervision)


def on_supervision_changed(sender, supervision, **kwargs):
    """A supervision's dates or stage edited: the first assessment, or the reassessment a new stage calls for, moves."""
    intensity_apply(supervision=supervision)


RULE_FIELDS = ["contacts_per_month", "home_visits_per_quarter", "reassessment_months", "programme_hours"]
# The policy's settings beside its rules by level; each version holds its own.
SETTING_FIELDS = ["provisional_contacts_per_month", "first_assessment_days", "event_reassessment_days", "home_visit_notice_days"]


@transaction.atomic
def policy_publish(*, by, office_id: int, rules: dict, expected_number: int | None, **settings: int) -> tuple[IntensityPolicy, int]:
    """Saves a new version of the office's policy (its rules and SETTING_FIELDS) and moves every
    active supervision onto it; refused when the policy is no longer at the version the admin opened."""
    number = next_version_number(IntensityPolicy, office_id, expected_number, {"rules": DEFAULT_RULES})
    policy = IntensityPolicy.objects.create(office_id=office_id, number=number, rules=rules, created_by=by,
                                            **{field: settings[field] for field in SETTING_FIELDS})
    moved = reapply_office(office_id=office_id, policy=policy)
    audit_log(actor=by, action="intensity_policy.publish", obj=policy, office=policy.office,
              detail={"number": policy.number, "rules": rules, "supervisions_updated": moved})
    return policy, moved


def reapply_office(*, office_id: int, policy: IntensityPolicy) -> int:
    """Set-based: one read of the office's active supervisions with their latest risk assessment and
    appointment, then bulk updates — not one service call per client."""
    latest = Assessment.objects.filter(
        supervision=OuterRef("pk"), status=AssessmentStatus.FINAL, version__definition__purpose="risk"
    ).order_by("-assessed_on", "-id")
    appointment = Contact.objects.filter(supervision=OuterRef("pk"), attended=True).order_by("-occurred_at", "-id")
    # The first violation since the latest assessment (since the start, before any): it brings the reassessment forward.
    violation = (Violation.objects.filter(supervision=OuterRef("pk"),
                                          occurred_on__gt=Coalesce(OuterRef("latest_on"), Value(datetime.date.min)))
                 .order_by("occurred_on"))
    rows = (
        Supervision.objects.filter(office_id=office_id, closed_on__isnull=True)
        .annotate(latest_level=Subquery(latest.values("final_level")[:1]), latest_on=Subquery(latest.values("assessed_on")[:1]),
                  appointment=Subquery(appointment.values("next_appointment")[:1]))
        .annotate(first_violation=Subquery(violation.values("occurred_on")[:1]))
        .only("id", "start_date", "reporting_interval_days", "last_contact_on", "suspended_on", "resumed_on",
              "middle_stage_from", "final_stage_from", "stage_override", "stage_override_on")
    )
    changed = []
    for supervision in rows.iterator(chunk_size=2000):
        if supervision.latest_level:
            rule = policy.rule_for(supervision.latest_level)
            supervision.policy_interval_days = interval_days(rule["contacts_per_month"])
            supervision.risk_level = supervision.latest_level
            supervision.assessment_due = reassessment_due(
                supervision, policy, regular=add_months(supervision.latest_on, rule["reassessment_months"]),
                since=supervision.latest_on, first_violation=supervision.first_violation)
        else:
            for field, value in provisional_intensity(supervision, policy, supervision.first_violation).items():
                setattr(supervision, field, value)
        supervision.contact_interval_days = max(1, min(supervision.policy_interval_days, supervision.reporting_interval_days))
        # A suspended release has no contact due (clients.services._refresh_contact_schedule says the same).
        supervision.next_contact_due = None if supervision.suspended_on else contact_due(
            base=supervision.contact_base, interval=supervision.contact_interval_days,
            appointment=supervision.appointment if supervision.last_contact_on else None,
        )
        changed.append(supervision)
    Supervision.objects.bulk_update(
        changed, ["policy_interval_days", "risk_level", "assessment_due", "contact_interval_days", "next_contact_due"],
        batch_size=1000,
    )
    return len(changed)
