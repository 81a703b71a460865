"""Office trends over the last twelve months, each series one aggregate query."""

import datetime

from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum, Value
from django.db.models.functions import NullIf, TruncMonth
from django.utils import timezone

from assessments.models import Assessment
from clients.models import ClosureReason, Contact, Supervision, Violation, ViolationAction

MONTHS = 12


def month_starts(today: datetime.date, months: int = MONTHS) -> list[datetime.date]:
    first = today.replace(day=1)
    starts = []
    for back in range(months - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        starts.append(datetime.date(index // 12, index % 12 + 1, 1))
    return starts


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _by_month(queryset, field: str, starts, *, moments: bool = False) -> list[int]:
    since = starts[0]
    if moments:  # a DateTimeField: the first month starts at local midnight
        since = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    counts = dict(queryset.filter(**{f"{field}__gte": since}).annotate(month=TruncMonth(field)).values("month")
                  .annotate(n=Count("pk")).values_list("month", "n"))
    normalised = {(month.date() if isinstance(month, datetime.datetime) else month): n for month, n in counts.items()}
    return [normalised.get(start, 0) for start in starts]


def office_trends(*, office_id: int, today: datetime.date) -> dict:
    starts = month_starts(today)
    supervisions = Supervision.objects.filter(office_id=office_id)
    closures = {
        reason: _by_month(supervisions.filter(closure_reason=reason), "closed_on", starts) for reason in ClosureReason.values
    }
    required = contacts_required(supervisions, starts)
    return {
        "labels": [start.strftime("%m-%Y") for start in starts],
        "intakes": _by_month(supervisions, "start_date", starts),
        "closures": closures,
        "revocation_proposals": _by_month(
            Violation.objects.filter(supervision__office_id=office_id, action=ViolationAction.REVOCATION_PROPOSAL), "occurred_on", starts),
        "contacts_done": _by_month(Contact.objects.filter(supervision__office_id=office_id, attended=True), "occurred_at", starts,
                                   moments=True),
        "contacts_required": required,
        "assessments_done": _by_month(
            Assessment.objects.filter(supervision__office_id=office_id, status="final"), "assessed_on", starts),
    }


def contacts_required(supervisions, starts) -> list[int]:
    """Contacts the policy asked for each month: every supervision running at any time in the month
    contributes 30 / its contact interval. One query with a conditional sum per month. The office
    dashboard and the monthly report both take their figure from here, so they agree."""
    per_case = ExpressionWrapper(Value(30.0) / NullIf(F("contact_interval_days"), 0), output_field=FloatField())
    sums = {}
    for index, start in enumerate(starts):
        end = _next_month(start)
        active = Q(start_date__lt=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)) & Q(end_date__gte=start)
        sums[f"m{index}"] = Sum(per_case, filter=active)
    totals = supervisions.aggregate(**sums)
    return [round(totals[f"m{index}"] or 0) for index in range(len(starts))]


CLOSURE_LABELS = dict(ClosureReason.choices)
