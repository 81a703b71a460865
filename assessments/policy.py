"""The office's supervision-intensity policy (data, versioned) and how it lands on a supervision."""

import datetime

from django.db import transaction

from clients.services import supervision_set_intensity

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
