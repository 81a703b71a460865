"""The Kanwil's recap: one row of figures per office of its region (for a national account, of every
region), from grouped counts (a fixed number of queries however many offices). Figures only: no
client is named."""

import datetime

from django.db.models import Count, Q

from assessments.models import LITMAS_OPEN, Litmas
from bapas.models import CASEWORKER_ROLES, Office, Role, User
from bapas.reminders import today_by_zone, zone_q
from clients.models import NEW_OFFENCE_KINDS, REVOCATION_CLOSED, RecidivismEvent, Revocation, Supervision, Violation, ViolationStatus

HIGH_RISK = ("Tinggi", "Sangat Tinggi")
RECIDIVISM_WINDOW_DAYS = 365

# What is counted per office; the shares (per officer, per cent) are worked out from these.
COUNTED = ["active", "officers", "contact_overdue", "unassessed", "high_risk", "litmas_overdue", "violations_open",
           "revocations_open", "new_offences_12m"]


def region_offices(user):
    """A Kanwil account's: its region's offices. A national account's: every office, by region."""
    if not user.reads_recap:
        return Office.objects.none()
    if user.role == Role.NATIONAL:
        return Office.objects.order_by("region", "name")
    return Office.objects.filter(region=user.region).order_by("name")


def office_rows(offices, now: datetime.datetime | None = None) -> list[dict]:
    """Per office: its caseload, what is slipping, and its clients' new offences in the last year."""
    today = today_by_zone(now)
    ids = [office.pk for office in offices]
    by_office = {pk: {} for pk in ids}

    def merge(rows, key="office"):
        for row in rows:
            by_office[row.pop(key)].update(row)

    merge(Supervision.objects.active().filter(office_id__in=ids).values("office").annotate(
        active=Count("pk"), contact_overdue=Count("pk", filter=zone_q(today, "next_contact_due", "lt")),
        unassessed=Count("pk", filter=Q(risk_level="")), high_risk=Count("pk", filter=Q(risk_level__in=HIGH_RISK))).order_by())
    merge(User.objects.filter(office_id__in=ids, role__in=CASEWORKER_ROLES, is_active=True).values("office")
          .annotate(officers=Count("pk")).order_by())
    merge(Litmas.objects.filter(zone_q(today, "due_on", "lt"), office_id__in=ids, status__in=LITMAS_OPEN).values("office")
          .annotate(litmas_overdue=Count("pk")).order_by())
    merge(Violation.objects.filter(supervision__office_id__in=ids).exclude(status=ViolationStatus.RESOLVED)
          .values("supervision__office").annotate(violations_open=Count("pk")).order_by(), key="supervision__office")
    merge(Revocation.objects.filter(supervision__office_id__in=ids).exclude(stage__in=REVOCATION_CLOSED)
          .values("supervision__office").annotate(revocations_open=Count("pk")).order_by(), key="supervision__office")
    since = min(today.values()) - datetime.timedelta(days=RECIDIVISM_WINDOW_DAYS)
    merge(RecidivismEvent.objects.filter(client__office_id__in=ids, kind__in=NEW_OFFENCE_KINDS, event_date__gte=since)
          .values("client__office").annotate(new_offences_12m=Count("client", distinct=True)).order_by(), key="client__office")
    return [_row(office, by_office[office.pk]) for office in offices]


def _shares(row: dict) -> dict:
    active, officers = row["active"], row["officers"]
    row["per_officer"] = round(active / officers) if officers else None
    row["contact_overdue_pct"] = round(100 * row["contact_overdue"] / active) if active else None
    row["high_risk_pct"] = round(100 * row["high_risk"] / active) if active else None
    return row


def _row(office, figures: dict) -> dict:
    return _shares({"office": office, **{column: figures.get(column, 0) for column in COUNTED}})


def totals(rows: list[dict]) -> dict:
    return _shares({column: sum(row[column] for row in rows) for column in COUNTED})


def by_region(rows: list[dict]) -> list[tuple[str, dict]]:
    """Each region's subtotal, for the national view (offices without a region together, last)."""
    regions: dict[str, list[dict]] = {}
    for row in rows:
        regions.setdefault(row["office"].region, []).append(row)
    return [(region, totals(members)) for region, members in sorted(regions.items(), key=lambda item: (not item[0], item[0]))]
