"""Workload points per officer, computed in the database, against each officer's capacity."""

from collections import Counter
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from assessments.models import LEVELS, LITMAS_OPEN, Litmas
from bapas.models import CASEWORKER_ROLES, User
from clients.models import Supervision

from .dashboard import UNASSESSED
from .models import DEFAULT_BASIS_POINTS, DEFAULT_RISK_POINTS, OfficerCapacity, WorkloadModel


def workload_model(office_id: int) -> WorkloadModel:
    model, _created = WorkloadModel.objects.get_or_create(
        office_id=office_id, defaults={"risk_points": DEFAULT_RISK_POINTS, "basis_points": DEFAULT_BASIS_POINTS})
    return model


def points_expression(model: WorkloadModel, prefix: str = "supervisions__"):
    """Points of one active case as SQL: risk points plus legal-basis points."""
    risk = Case(*[When(**{f"{prefix}risk_level": level}, then=Value(int(points))) for level, points in model.risk_points.items()],
                default=Value(int(model.risk_points.get("", 0))), output_field=IntegerField())
    basis = Case(*[When(**{f"{prefix}legal_basis": code}, then=Value(int(points))) for code, points in model.basis_points.items()],
                 default=Value(0), output_field=IntegerField())
    return risk + basis


def open_litmas_count(officer_ref):
    """The Litmas an officer is writing (in draft or awaiting the TPP), as a subquery on the officer's row:
    a second join beside the supervisions' would multiply the sum of the cases' points."""
    counted = (Litmas.objects.filter(officer=officer_ref, status__in=LITMAS_OPEN).order_by()
               .values("officer").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


TENTH = Decimal("0.1")


def officer_load(*, office_id: int, officers=None) -> dict[int, dict]:
    """{officer id: {"points", "litmas", "capacity_points", "percent"}} in two queries: the points of
    their active cases plus those of the Litmas they are writing."""
    model = workload_model(office_id)
    officers = officers if officers is not None else User.objects.filter(office_id=office_id, role__in=CASEWORKER_ROLES, is_active=True)
    active = Q(supervisions__closed_on__isnull=True, supervisions__office_id=office_id)
    rows = officers.annotate(points=Sum(points_expression(model), filter=active), litmas_open=open_litmas_count(OuterRef("pk")))
    counted = {pk: (points or 0, litmas) for pk, points, litmas in rows.values_list("pk", "points", "litmas_open")}
    capacities = {c.officer_id: c for c in OfficerCapacity.objects.filter(officer_id__in=list(counted))}
    return {officer_id: _load(model.load_points(points, litmas), capacities.get(officer_id) or OfficerCapacity(officer_id=officer_id),
                              model, litmas=litmas)
            for officer_id, (points, litmas) in counted.items()}


def _capacity_points(capacity: OfficerCapacity, model: WorkloadModel) -> Decimal:
    return capacity.available_hours / model.hours_per_point


def _load(points: int, capacity: OfficerCapacity, model: WorkloadModel, litmas: int = 0) -> dict:
    capacity_points = _capacity_points(capacity, model)
    return {
        "points": points,
        "litmas": litmas,
        "capacity_points": capacity_points.quantize(TENTH),
        "percent": round(100 * points / capacity_points) if capacity_points else None,
    }


def capacities(officers, model: WorkloadModel) -> dict[int, Decimal]:
    """Each officer's capacity in points, as the pages show it (to a tenth), in one query: for the
    monthly report, which counts their points at the month's end itself."""
    stored = {c.officer_id: c for c in OfficerCapacity.objects.filter(officer__in=officers)}
    return {officer.pk: _capacity_points(stored.get(officer.pk) or OfficerCapacity(officer_id=officer.pk), model).quantize(TENTH)
            for officer in officers}


def case_points(model: WorkloadModel, supervision) -> int:
    return _points(model, supervision.risk_level, supervision.legal_basis)


def _points(model: WorkloadModel, risk_level: str, legal_basis: str) -> int:
    risk = model.risk_points.get(risk_level, model.risk_points.get("", 0))
    return int(risk) + int(model.basis_points.get(legal_basis, 0))


def assignment_advice(supervision) -> dict:
    """For the reassignment page: every PK's load now and after taking this case, least loaded first."""
    model = workload_model(supervision.office_id)
    officers = list(User.objects.filter(office_id=supervision.office_id, role__in=CASEWORKER_ROLES, is_active=True)
                    .exclude(pk=supervision.officer_id).order_by("first_name", "username"))
    load = officer_load(office_id=supervision.office_id, officers=User.objects.filter(pk__in=[o.pk for o in officers]))
    weight = case_points(model, supervision)
    rows = []
    for officer in officers:
        figures = load[officer.pk]
        after = figures["points"] + weight
        capacity = figures["capacity_points"]
        rows.append({"officer": officer, **figures,
                     "after_percent": round(100 * after / capacity) if capacity else None})
    rows.sort(key=lambda row: (row["after_percent"] is None, row["after_percent"] or 0))
    return {"rows": rows, "case_points": weight, "suggested": rows[0]["officer"] if rows else None}


def active_cases(officer):
    """The officer's running supervisions in their own office: what their load is made of."""
    return Supervision.objects.active().filter(officer=officer, office_id=officer.office_id)


def own_load(request) -> dict:
    """For a PK's "Hari ini": their load against capacity and their caseload by risk level, from one
    count of their active cases by risk level and legal basis (the same figures as their dashboard row)."""
    user = request.user
    if not user.is_caseworker or user.office_id is None:
        return {}
    model = workload_model(user.office_id)
    cases = active_cases(user).values_list("risk_level", "legal_basis").annotate(n=Count("pk")).order_by()
    by_risk, points = Counter(), 0
    for risk_level, legal_basis, n in cases:
        by_risk[risk_level] += n
        points += n * _points(model, risk_level, legal_basis)
    litmas = Litmas.objects.filter(officer=user, status__in=LITMAS_OPEN).count()
    capacity = OfficerCapacity.objects.filter(officer=user).first() or OfficerCapacity(officer=user)
    row = {"active": sum(by_risk.values()), "unassessed": by_risk[UNASSESSED],
           "risk_pairs": [(level, by_risk[level]) for level in LEVELS]}
    return {"row": row, "load": _load(model.load_points(points, litmas), capacity, model, litmas=litmas)}


NO_AREA = "-"  # clients whose kecamatan is not filled in ("" stands for every case)


def cases_by_area(source) -> dict[str, int]:
    """A PK's active cases counted by their client's kecamatan (NO_AREA where it is not filled in)."""
    counted = active_cases(source).values_list("client__kecamatan").annotate(n=Count("pk")).order_by()
    return {area or NO_AREA: n for area, n in counted}


def spread_plan(*, source, targets: list, count: int | None = None, area: str = "", load: dict | None = None) -> dict:
    """How to share out `count` of a PK's active cases (all when None) among `targets`: the cases
    started most recently go first, since those clients have built the least with their PK; each goes
    to whichever target would then carry the lowest share of their capacity (a target without
    capacity set takes cases only when no other can). Returns the moves and each target's load
    before and after. `load` is officer_load's answer when the caller has it already."""
    model = workload_model(source.office_id)
    cases = active_cases(source)
    if area:
        cases = cases.filter(client__kecamatan="" if area == NO_AREA else area)
    cases = list(cases.select_related("client").order_by("-start_date", "-pk")
                 .only("pk", "start_date", "risk_level", "legal_basis", "client__full_name")[:count])
    if load is None:
        load = officer_load(office_id=source.office_id, officers=User.objects.filter(pk__in=[t.pk for t in targets]))
    points = {t.pk: load[t.pk]["points"] for t in targets}
    capacity = {t.pk: load[t.pk]["capacity_points"] for t in targets}
    received = Counter()

    def share_after(target, weight):
        return (points[target.pk] + weight) / capacity[target.pk] if capacity[target.pk] else float("inf")

    moves = []
    for supervision in cases:
        weight = case_points(model, supervision)
        target = min(targets, key=lambda t: (share_after(t, weight), received[t.pk], t.first_name, t.username))
        points[target.pk] += weight
        received[target.pk] += 1
        moves.append((supervision, target))
    rows = [{"officer": t, "before": load[t.pk]["percent"], "cases": received[t.pk],
             "after": round(100 * points[t.pk] / capacity[t.pk]) if capacity[t.pk] else None} for t in targets]
    return {"moves": moves, "rows": rows}
