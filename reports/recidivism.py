"""Recidivism analytics from an office's own records: the cohort (one row per person and index
date), rates at fixed windows with Wilson intervals, Kaplan–Meier survival, and the RRI's AUC
(Hanley–McNeil interval) and calibration. The statistics work on cohort rows only, so every figure
can be recomputed from the exported CSV."""

import bisect
import csv
import datetime
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils.translation import gettext_lazy

from assessments.models import LEVELS, Assessment
from assessments.policy import add_months
from clients.models import NO_OUTCOME_CLOSURES, RecidivismEvent, RecidivismKind, Supervision
from programs.models import Enrolment, EnrolmentStatus, FollowUp

WINDOWS = (12, 24, 36)
# The events and groupings the cohort is counted by, with what the page shows for each; the CSV
# keeps the codes. The codes are the keys: one list, so a grouping cannot lack its label.
EVENT_LABELS = {"any": gettext_lazy("Peristiwa apa pun"), **dict(RecidivismKind.choices)}
GROUPING_LABELS = {
    "all": gettext_lazy("Semua"), "cohort_year": gettext_lazy("Tahun kohort"), "cohort_quarter": gettext_lazy("Triwulan kohort"),
    "index_kind": gettext_lazy("Jenis titik indeks"), "risk_level": gettext_lazy("Tingkat risiko (RRI)"),
    "legal_basis": gettext_lazy("Dasar hukum"), "programme_status": gettext_lazy("Status program"),
}
EVENT_KINDS = list(EVENT_LABELS)
GROUPINGS = tuple(GROUPING_LABELS)
KM_GROUPINGS = ("all", "risk_level", "programme_status")
DAYS_PER_MONTH = 30.4375
MIN_GROUP = 10
Z = 1.959963984540054  # the 97.5th percentile of the standard normal

_GROUP_LABELS = {
    "all": {"all": gettext_lazy("Semua")},
    "index_kind": {"supervision_end": gettext_lazy("Akhir pembimbingan"), "programme_end": gettext_lazy("Akhir program")},
    "risk_level": {"-": gettext_lazy("Belum diasesmen")},
    "programme_status": {"not_enrolled": gettext_lazy("Tidak ikut program"), **dict(EnrolmentStatus.choices)},
}


def group_label(grouping: str, group: str) -> str:
    """What the page shows for one group of a grouping (a year or a legal basis shows as itself)."""
    return str(_GROUP_LABELS.get(grouping, {}).get(group, group))


CSV_COLUMNS = [
    "person_id", "index_date", "index_kind", "follow_up_end", "rri_score", "rri_level", "legal_basis", "programme_status",
    "first_event_date", "first_event_kind", "first_rearrest_date", "first_charge_date", "first_reconviction_date",
    "first_reincarceration_date", "first_revocation_date",
]
KIND_COLUMNS = {
    "rearrest": "first_rearrest_date", "new_charge": "first_charge_date", "reconviction": "first_reconviction_date",
    "reincarceration": "first_reincarceration_date", "technical_revocation": "first_revocation_date",
}


@dataclass
class CohortRow:
    person_id: str
    index_date: datetime.date
    index_kind: str
    follow_up_end: datetime.date
    rri_score: int | None
    rri_level: str
    legal_basis: str
    programme_status: str
    first_event: dict[str, datetime.date | None] = field(default_factory=dict)  # kind (and "any") → date
    first_event_kind: str = ""

    def event_date(self, kind: str) -> datetime.date | None:
        return self.first_event.get(kind)

    def group(self, grouping: str) -> str:
        if grouping == "all":
            return "all"
        if grouping == "cohort_year":
            return str(self.index_date.year)
        if grouping == "cohort_quarter":
            return f"{self.index_date.year}-Q{(self.index_date.month - 1) // 3 + 1}"
        return getattr(self, "rri_level" if grouping == "risk_level" else grouping) or "-"


# ---------------------------------------------------------------- the cohort from the database

def build_cohort(*, office_id: int, as_of: datetime.date) -> list[CohortRow]:
    """Index dates: each supervision's end and each programme's end (completed or dropped out). A
    supervision moved to another Bapas did not end the client's guidance, and one ended by death
    leaves no one at risk: neither is an index date."""
    supervisions = list(Supervision.objects.filter(office_id=office_id, closed_on__isnull=False, closed_on__lte=as_of)
                        .exclude(closure_reason__in=NO_OUTCOME_CLOSURES).values("pk", "client_id", "closed_on", "legal_basis"))
    enrolments = list(Enrolment.objects.filter(supervision__office_id=office_id,
                                               status__in=[EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED],
                                               ended_on__isnull=False, ended_on__lte=as_of)
                      .values("pk", "supervision_id", "supervision__client_id", "supervision__legal_basis", "ended_on", "status"))
    client_ids = {s["client_id"] for s in supervisions} | {e["supervision__client_id"] for e in enrolments}
    enrolment_status = _programme_status_by_supervision(office_id)
    assessments = _rri_by_client(client_ids)
    events = _events_by_client(client_ids)
    known = _follow_up_knowledge(client_ids, as_of)
    indexes = [(s["client_id"], s["closed_on"], "supervision_end", s["legal_basis"], enrolment_status.get(s["pk"], "not_enrolled"))
               for s in supervisions]
    indexes += [(e["supervision__client_id"], e["ended_on"], "programme_end", e["supervision__legal_basis"], e["status"])
                for e in enrolments]
    indexes.sort(key=lambda item: (item[0], item[1], item[2]))
    pseudonyms: dict[int, str] = {}
    rows = []
    for client_id, index_date, kind, basis, status in indexes:
        pseudonyms.setdefault(client_id, f"P{len(pseudonyms) + 1:05d}")
        score, level = _rri_at(assessments.get(client_id, []), index_date)
        last_event = max((day for day, _kind in events.get(client_id, []) if day <= as_of), default=None)
        row = CohortRow(person_id=pseudonyms[client_id], index_date=index_date, index_kind=kind,
                        follow_up_end=_follow_up_end(known.get(client_id), last_event, index_date, as_of),
                        rri_score=score, rri_level=level, legal_basis=basis, programme_status=status)
        _first_events(row, events.get(client_id, []), as_of)
        rows.append(row)
    return rows


def _programme_status_by_supervision(office_id) -> dict[int, str]:
    result: dict[int, str] = {}
    for supervision_id, status in Enrolment.objects.filter(supervision__office_id=office_id).values_list("supervision_id", "status"):
        if status == EnrolmentStatus.COMPLETED or (status == EnrolmentStatus.DROPPED and result.get(supervision_id) != "completed"):
            result[supervision_id] = status
    return result


def _rri_by_client(client_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    rows = (Assessment.objects.filter(supervision__client_id__in=client_ids, status="final", version__definition__purpose="risk")
            .order_by("assessed_on", "pk").values_list("supervision__client_id", "assessed_on", "total", "final_level"))
    for client_id, day, total, level in rows:
        result.setdefault(client_id, []).append((day, total, level))
    return result


def _rri_at(assessments, index_date):
    before = [item for item in assessments if item[0] <= index_date]
    return (before[-1][1], before[-1][2]) if before else (None, "")


def _events_by_client(client_ids) -> dict[int, list]:
    result: dict[int, list] = {}
    for client_id, day, kind in RecidivismEvent.objects.filter(client_id__in=client_ids).order_by("event_date", "pk").values_list(
            "client_id", "event_date", "kind"):
        result.setdefault(client_id, []).append((day, kind))
    return result


def _first_events(row: CohortRow, events, as_of) -> None:
    after = [(day, kind) for day, kind in events if row.index_date < day <= as_of]
    row.first_event = {kind: next((day for day, k in after if k == kind), None) for kind in RecidivismKind.values}
    row.first_event["any"] = after[0][0] if after else None
    row.first_event_kind = after[0][1] if after else ""


def _follow_up_knowledge(client_ids, as_of) -> dict[int, tuple]:
    """Per client: the latest follow-up done, and whether anything still follows them."""
    done = dict(FollowUp.objects.filter(supervision__client_id__in=client_ids, done_on__lte=as_of)
                .values("supervision__client_id").annotate(last=Max("done_on")).values_list("supervision__client_id", "last"))
    # Sets, so no ordering: the models' default ordering would only add a sort.
    followed = set(FollowUp.objects.filter(supervision__client_id__in=client_ids, done_on__isnull=True).order_by()
                   .values_list("supervision__client_id", flat=True))
    followed |= set(Supervision.objects.filter(client_id__in=client_ids, closed_on__isnull=True).order_by()
                    .values_list("client_id", flat=True))
    return {client_id: (done.get(client_id), client_id in followed) for client_id in client_ids}


def _follow_up_end(knowledge, last_event, index_date, as_of) -> datetime.date:
    """The last date the office knows the person's status: today while still followed, else the
    latest follow-up or recorded event (a record check), never before the index date."""
    last_done, still_followed = knowledge or (None, False)
    if still_followed:
        return as_of
    return max(day for day in (index_date, last_done, last_event) if day is not None)


# ---------------------------------------------------------------- statistics on cohort rows

def wilson(events: int, n: int) -> tuple[float | None, float | None]:
    if n == 0:
        return None, None
    p = events / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return centre - half, centre + half


def _had_by(row: CohortRow, kind: str, end: datetime.date) -> bool:
    day = row.event_date(kind)
    return day is not None and day <= end


def _event_in_window(row: CohortRow, kind: str, months: int) -> bool:
    return _had_by(row, kind, add_months(row.index_date, months))


def _window_complete(row: CohortRow, months: int) -> bool:
    return add_months(row.index_date, months) <= row.follow_up_end


def rates(rows: list[CohortRow], windows=WINDOWS, kinds=EVENT_KINDS, groupings=GROUPINGS) -> list[dict]:
    """Counting only people whose whole window has passed or who had the event inside it. A page
    showing one window, event and grouping asks for that one only."""
    result = []
    # Each person's groups once, and their window end once per window: not once per kind and grouping.
    # People are tallied by their combination of groups, of which an office has far fewer than people.
    keys = [tuple(row.group(grouping) for grouping in groupings) for row in rows]
    for months in windows:
        ends = [add_months(row.index_date, months) for row in rows]
        for kind in kinds:
            tally = Counter()
            for row, row_keys, end in zip(rows, keys, ends):
                had = _had_by(row, kind, end)
                if had or end <= row.follow_up_end:  # the event inside the window, or the window complete
                    tally[row_keys, had] += 1
            for position, grouping in enumerate(groupings):
                groups: dict[str, list[int]] = {}
                for (row_keys, had), people in tally.items():
                    counts = groups.setdefault(row_keys[position], [0, 0])
                    counts[0] += people
                    counts[1] += people if had else 0
                for group, (n, events) in sorted(groups.items()):
                    low, high = wilson(events, n)
                    result.append({"window_months": months, "event": kind, "group_by": grouping, "group": group, "n": n,
                                   "events": events, "rate": events / n, "ci_low": low, "ci_high": high})
    return result


def kaplan_meier(times_events: list[tuple[int, bool]]) -> list[tuple[int, float, int]]:
    """[(day, survival just after that day, number at risk just before it)] at each event day."""
    steps, survival = [], 1.0
    at_risk = len(times_events)
    by_day: dict[int, list[int]] = {}
    for time, event in times_events:
        by_day.setdefault(time, [0, 0])[0 if event else 1] += 1
    for day in sorted(by_day):
        events, censored = by_day[day]
        if events:
            survival *= 1 - events / at_risk
            steps.append((day, survival, at_risk))
        at_risk -= events + censored
    return steps


def survival_at(times_events, day: int) -> tuple[float, int]:
    """S(day) and the number still at risk at that day (time ≥ day)."""
    return survival_on(times_events, [day])[0]


def survival_on(times_events, days: list[int]) -> list[tuple[float, int]]:
    """survival_at for several days from one estimate: the curve is computed once, the days looked up."""
    steps = kaplan_meier(times_events)
    step_days = [step[0] for step in steps]
    times = sorted(time for time, _event in times_events)
    result = []
    for day in days:
        passed = bisect.bisect_right(step_days, day)
        survival = steps[passed - 1][1] if passed else 1.0
        result.append((survival, len(times) - bisect.bisect_left(times, day)))
    return result


def _time_and_event(row: CohortRow, kind: str) -> tuple[int, bool]:
    day = row.event_date(kind)
    if day is not None and day <= row.follow_up_end:
        return (day - row.index_date).days, True
    return (row.follow_up_end - row.index_date).days, False


def km_curves(rows: list[CohortRow], months=range(0, 37, 3), kinds=EVENT_KINDS) -> list[dict]:
    result = []
    days = [round(month * DAYS_PER_MONTH) for month in months]
    keys = {grouping: [row.group(grouping) for row in rows] for grouping in KM_GROUPINGS}
    for kind in kinds:
        times_events = [_time_and_event(row, kind) for row in rows]
        for grouping in KM_GROUPINGS:
            groups: dict[str, list] = {}
            for group, time_event in zip(keys[grouping], times_events):
                groups.setdefault(group, []).append(time_event)
            for group, data in sorted(groups.items()):
                points = [{"month": month, "survival": survival, "at_risk": at_risk}
                          for month, (survival, at_risk) in zip(months, survival_on(data, days))]
                result.append({"event": kind, "group_by": grouping, "group": group, "points": points})
    return result


def auc_hanley_mcneil(scores_positive: list[float], scores_negative: list[float]) -> tuple[float, float, float] | None:
    n1, n2 = len(scores_positive), len(scores_negative)
    if not n1 or not n2:
        return None
    wins = sum(1.0 if p > q else 0.5 if p == q else 0.0 for p in scores_positive for q in scores_negative)
    auc = wins / (n1 * n2)
    q1, q2 = auc / (2 - auc), 2 * auc * auc / (1 + auc)
    se = math.sqrt((auc * (1 - auc) + (n1 - 1) * (q1 - auc * auc) + (n2 - 1) * (q2 - auc * auc)) / (n1 * n2))
    return auc, max(0.0, auc - Z * se), min(1.0, auc + Z * se)


def validity(rows: list[CohortRow]) -> tuple[list[dict], list[dict]]:
    """AUC of the RRI score against any event within 12 and 24 months, and the observed rate per
    RRI level — people with a score and a complete window (or the event inside it) only."""
    aucs, calibration = [], []
    for months in (12, 24):
        eligible = [row for row in rows if row.rri_score is not None
                    and (_event_in_window(row, "any", months) or _window_complete(row, months))]
        positive = [row.rri_score for row in eligible if _event_in_window(row, "any", months)]
        negative = [row.rri_score for row in eligible if not _event_in_window(row, "any", months)]
        computed = auc_hanley_mcneil(positive, negative)
        aucs.append({"window_months": months, "n": len(eligible), "events": len(positive),
                     "auc": computed[0] if computed else None, "ci_low": computed[1] if computed else None,
                     "ci_high": computed[2] if computed else None})
        for level in LEVELS:
            group = [row for row in eligible if row.rri_level == level]
            events = sum(1 for row in group if _event_in_window(row, "any", months))
            calibration.append({"window_months": months, "level": level, "n": len(group), "events": events,
                                "rate": events / len(group) if group else None})
    return aucs, calibration


def statistics(rows: list[CohortRow]) -> dict:
    aucs, calibration = validity(rows)
    return {"rates": rates(rows), "km": km_curves(rows), "auc": aucs, "calibration": calibration}


# ---------------------------------------------------------------- CSV, both ways

def write_cohort_csv(rows: list[CohortRow], stream) -> None:
    writer = csv.writer(stream)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow([
            row.person_id, row.index_date.isoformat(), row.index_kind, row.follow_up_end.isoformat(),
            "" if row.rri_score is None else row.rri_score, row.rri_level, row.legal_basis, row.programme_status,
            _iso(row.first_event.get("any")), row.first_event_kind,
            *[_iso(row.first_event.get(kind)) for kind in KIND_COLUMNS],
        ])


def read_cohort_csv(stream) -> list[CohortRow]:
    rows = []
    for record in csv.DictReader(stream):
        row = CohortRow(
            person_id=record["person_id"], index_date=_date(record["index_date"]), index_kind=record["index_kind"],
            follow_up_end=_date(record["follow_up_end"]), rri_score=int(record["rri_score"]) if record["rri_score"] else None,
            rri_level=record["rri_level"], legal_basis=record["legal_basis"], programme_status=record["programme_status"],
            first_event_kind=record["first_event_kind"],
        )
        row.first_event = {kind: _date(record[column]) for kind, column in KIND_COLUMNS.items()}
        row.first_event["any"] = _date(record["first_event_date"])
        rows.append(row)
    return rows


def _iso(day):
    return day.isoformat() if day else ""


def _date(text):
    return datetime.date.fromisoformat(text) if text else None
