"""Office trends over the last twelve months, each series one aggregate query."""

import datetime

from django.db.models import Count, F, FloatField, Func, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, NullIf, TruncMonth

from assessments.models import Assessment
from bapas.days import day_start
from clients.models import ClosureReason, Contact, Revocation, Supervision, Violation, ViolationAction

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
        since = day_start(since)
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
    required = contacts_required(supervisions, starts, until=today)
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


class DaysBetween(Func):
    """Days from the second date to the first, as a float (so that dividing by a whole number of days
    does not round). PostgreSQL subtracts dates into days; SQLite keeps dates as text and subtracts
    their Julian day numbers."""

    arity = 2
    arg_joiner = " - "
    template = "CAST((%(expressions)s) AS double precision)"
    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(",
                           **extra_context)


def contacts_required(supervisions, starts, *, until: datetime.date | None = None) -> list[int]:
    """Contacts the policy asked for each month, one query with a sum per month (and one for the days
    in custody). A supervision owes 30 / its contact interval for a whole month, and its share of that
    for the days it ran: a client taken on on the 28th owes a few days' worth, not a month's. With
    `until` (today, on the dashboard), days after it are not owed yet. The office dashboard and the
    monthly report both take their figure from here, so they agree."""
    sums, custody, shares = {}, {}, {}
    for index, start in enumerate(starts):
        end = min(_next_month(start) - datetime.timedelta(days=1), until or datetime.date.max)
        if end < start:  # a month not begun owes nothing yet
            continue
        # Days of the month the supervision ran (none when it did not run then: the difference is
        # negative), each owing 1 / interval of a contact; a whole month owes 30 / interval.
        sums[f"m{index}"] = Sum(_days_run(start, end) / NullIf(F("contact_interval_days"), 0))
        custody[f"m{index}"] = Sum(_days_in_custody(start, end) / NullIf(F("supervision__contact_interval_days"), 0))
        shares[f"m{index}"] = 30 / (_next_month(start) - start).days
    totals = supervisions.aggregate(**sums) if sums else {}
    # A suspended release owes nothing while the client is back in custody (clients.revocation): those
    # days come off, in one more query over the few cases with a suspension.
    suspended = Revocation.objects.filter(supervision__in=supervisions, suspended_on__isnull=False)
    away = suspended.aggregate(**custody) if custody else {}
    return [round(((totals.get(key) or 0) - (away.get(key) or 0)) * shares.get(key, 0))
            for key in (f"m{index}" for index in range(len(starts)))]


def _days_run(start: datetime.date, end: datetime.date):
    """The days from `start` to `end` (both counted) a supervision ran: from its start until it closed
    or its period ended."""
    return Greatest(DaysBetween(Least(Value(end), _last_day()), _first_day(start)) + 1, Value(0.0))


def _days_in_custody(start: datetime.date, end: datetime.date):
    """Of the days a revocation case's supervision ran from `start` to `end`, those from its suspension
    until the day before the decision (the release resumes, or closes, on the decision's day); a
    suspension still awaiting its decision runs on."""
    from_day = Greatest(_first_day(start, "supervision__"), F("suspended_on"))
    through_end = DaysBetween(Least(Value(end), _last_day("supervision__")), from_day) + 1
    until_decision = DaysBetween(Coalesce("decided_on", Value(datetime.date.max)), from_day)
    return Greatest(Least(through_end, until_decision), Value(0.0))


def _first_day(start: datetime.date, prefix: str = ""):
    """`prefix` reaches the supervision from a related row."""
    return Greatest(F(f"{prefix}start_date"), Value(start))


def _last_day(prefix: str = ""):
    return Least(Coalesce(f"{prefix}closed_on", f"{prefix}end_date"), F(f"{prefix}end_date"))


CLOSURE_LABELS = dict(ClosureReason.choices)
