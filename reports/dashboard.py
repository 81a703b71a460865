"""The supervisor's caseload dashboard: per officer, every figure computed in the database with a
fixed number of aggregate queries, whatever the size of the office."""

from django.db.models import Count, FilteredRelation, Q

from assessments.models import LEVELS
from assessments.plans import approved_plan
from bapas.models import CASEWORKER_ROLES, User
from clients.models import LegalBasis, Supervision
from programs.models import FollowUp

UNASSESSED = ""


def stranded_cases(*, office_id: int) -> list[dict]:
    """Active cases held by someone who is no longer an active PK of the office (deactivated, or given
    another role before that was refused): nobody sees them on "Hari ini", and they are in no row."""
    return list(Supervision.objects.active().filter(office_id=office_id)
                .exclude(officer__is_active=True, officer__role__in=CASEWORKER_ROLES)
                .values("officer", "officer__first_name", "officer__last_name", "officer__username")
                .annotate(n=Count("pk")).order_by("officer__first_name", "officer__username"))


def officer_rows(*, office_id: int, today, only_user=None) -> list[dict]:
    officers = User.objects.filter(office_id=office_id, role__in=CASEWORKER_ROLES, is_active=True)
    if only_user is not None:
        officers = officers.filter(pk=only_user.pk)
    # The officer's active supervisions in this office, joined once: each figure below filters on one
    # column of it, which Django builds and compiles faster than the same condition repeated 15 times.
    officers = officers.alias(open_supervision=FilteredRelation(
        "supervisions", condition=Q(supervisions__closed_on__isnull=True, supervisions__office_id=office_id)))
    counts = {
        "active": Count("open_supervision"),
        "contact_overdue": Count("open_supervision", filter=Q(open_supervision__next_contact_due__lt=today)),
        "assessment_overdue": Count("open_supervision", filter=Q(open_supervision__assessment_due__lt=today)),
        "unassessed": Count("open_supervision", filter=Q(open_supervision__risk_level=UNASSESSED)),
        "no_approved_plan": Count("open_supervision", filter=~approved_plan("open_supervision__")),
    }
    for index, level in enumerate(LEVELS):
        counts[f"risk_{index}"] = Count("open_supervision", filter=Q(open_supervision__risk_level=level))
    for basis in LegalBasis.values:
        counts[f"basis_{basis}"] = Count("open_supervision", filter=Q(open_supervision__legal_basis=basis))
    rows = list(officers.annotate(**counts).order_by("first_name", "username").values("pk", "first_name", "last_name", "username", *counts))
    follow_ups = FollowUp.objects.filter(office_id=office_id, done_on__isnull=True, due_date__lt=today)
    if only_user is not None:
        # One officer's row ("Hari ini") reads only their clients' follow-ups, not the whole office's.
        follow_ups = follow_ups.filter(supervision__officer=only_user)
    overdue_follow_ups = dict(
        follow_ups.values("supervision__officer").annotate(n=Count("pk")).values_list("supervision__officer", "n")
    )
    for row in rows:
        row["name"] = f"{row['first_name']} {row['last_name']}".strip() or row["username"]
        row["follow_ups_overdue"] = overdue_follow_ups.get(row["pk"], 0)
        row["risk"] = [row[f"risk_{index}"] for index in range(len(LEVELS))]
        row["risk_pairs"] = list(zip(LEVELS, row["risk"]))
        row["basis"] = {basis: row[f"basis_{basis}"] for basis in LegalBasis.values}
    return rows


SORTABLE = {"name", "active", "points", "percent_sort", "contact_overdue", "assessment_overdue", "follow_ups_overdue", "no_approved_plan",
            "unassessed"}


def sort_rows(rows: list[dict], key: str) -> list[dict]:
    descending = key.startswith("-")
    field = key.lstrip("-")
    if field not in SORTABLE:
        return rows
    return sorted(rows, key=lambda row: row[field], reverse=descending)


def totals(rows: list[dict]) -> dict:
    keys = ["active", "points", "contact_overdue", "assessment_overdue", "follow_ups_overdue", "no_approved_plan", "unassessed"]
    result = {key: sum(row.get(key, 0) for row in rows) for key in keys}
    result["risk"] = [sum(row["risk"][i] for row in rows) for i in range(len(LEVELS))]
    return result
