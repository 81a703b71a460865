"""The office's supervision-intensity policy (data, versioned) and how it lands on a supervision."""

import datetime

from django.db import transaction
from django.db.models import OuterRef, Subquery

from bapas.audit import audit_log
from clients.models import Contact, Supervision
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
    policy = IntensityPolicy.objects.filter(office_id=office_id).order_by("-number").first()
    if policy is None:
        policy, _created = IntensityPolicy.objects.get_or_create(office_id=office_id, number=1, defaults={"rules": DEFAULT_RULES})
    return policy


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


def provisional_intensity(supervision, policy: IntensityPolicy) -> dict:
    """Before the first risk assessment: the provisional contact rate and the first assessment due."""
    return {
        "policy_interval_days": interval_days(policy.provisional_contacts_per_month),
        "risk_level": "",
        "assessment_due": supervision.start_date + datetime.timedelta(days=policy.first_assessment_days),
    }


@transaction.atomic
def intensity_apply(*, supervision) -> None:
    """Writes risk level, contact interval and the next assessment due onto the supervision."""
    policy = current_policy(supervision.office_id)
    latest = latest_risk_assessment(supervision)
    if latest is None:
        supervision_set_intensity(supervision=supervision, **provisional_intensity(supervision, policy))
        return
    rule = policy.rule_for(latest.final_level)
    supervision_set_intensity(
        supervision=supervision,
        policy_interval_days=interval_days(rule["contacts_per_month"]),
        risk_level=latest.final_level,
        assessment_due=add_months(latest.assessed_on, rule["reassessment_months"]),
    )


def on_supervision_opening(sender, supervision, **kwargs):
    """A new supervision starts on the provisional policy; clients saves it."""
    for field, value in provisional_intensity(supervision, current_policy(supervision.office_id)).items():
        setattr(supervision, field, value)


RULE_FIELDS = ["contacts_per_month", "home_visits_per_quarter", "reassessment_months", "programme_hours"]


@transaction.atomic
def policy_publish(*, by, office_id: int, rules: dict, provisional_contacts_per_month: int, first_assessment_days: int) -> tuple[IntensityPolicy, int]:
    """Saves a new version of the office's policy and moves every active supervision onto it."""
    previous = current_policy(office_id)
    policy = IntensityPolicy.objects.create(
        office_id=office_id, number=previous.number + 1, rules=rules, created_by=by,
        provisional_contacts_per_month=provisional_contacts_per_month, first_assessment_days=first_assessment_days,
    )
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
    rows = (
        Supervision.objects.filter(office_id=office_id, closed_on__isnull=True)
        .annotate(latest_level=Subquery(latest.values("final_level")[:1]), latest_on=Subquery(latest.values("assessed_on")[:1]),
                  appointment=Subquery(appointment.values("next_appointment")[:1]))
        .only("id", "start_date", "reporting_interval_days", "last_contact_on", "suspended_on", "resumed_on")
    )
    changed = []
    for supervision in rows.iterator(chunk_size=2000):
        if supervision.latest_level:
            rule = policy.rule_for(supervision.latest_level)
            supervision.policy_interval_days = interval_days(rule["contacts_per_month"])
            supervision.risk_level = supervision.latest_level
            supervision.assessment_due = add_months(supervision.latest_on, rule["reassessment_months"])
        else:
            for field, value in provisional_intensity(supervision, policy).items():
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
