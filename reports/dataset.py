"""A synthetic national dataset for benchmarks: offices across the three zones, officers of every
role, clients with supervisions of every legal basis, contacts, assessments, programmes with
sessions and attendance, follow-ups and recidivism events whose rates rise with risk. Bulk inserts
only (no field history for generated rows); deterministic for a seed.

Scale 1 ≈ 10,000 clients in 10 offices; scale 10 ≈ 100,000 in 94. Every office has one PK per
CASELOAD clients, so an officer's caseload has the same distribution at every scale."""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessments.engine import score
from assessments.models import Assessment, InstrumentVersion, Litmas, LitmasStatus
from assessments.policy import add_months
from bapas.models import Office, Role, TimeZone, User
from clients.models import Client, Contact, LegalBasis, OffenceCategory, RecidivismEvent, StageRule, Supervision
from clients.reminders import reporting_check_from
from clients.services import DEFAULT_OFFENCE_CATEGORIES
from programs.models import Attendance, Enrolment, FollowUp, PlannedSession, Programme, ProgrammeSession, ProgrammeType
from reports.models import DEFAULT_BASIS_POINTS, DEFAULT_RISK_POINTS, WorkloadModel

CASELOAD = 40
BATCH = 5000
CONTACTS_PER_CLIENT = 20
EVENT_RATE = {"Rendah": 0.10, "Sedang": 0.20, "Tinggi": 0.35, "Sangat Tinggi": 0.50, "": 0.2}
INTERVAL_BY_LEVEL = {"Rendah": 30, "Sedang": 15, "Tinggi": 7, "Sangat Tinggi": 3, "": 30}
ZONES = list(TimeZone.values)


def office_plan(scale: float, office_size: int | None) -> list[int]:
    if office_size:
        return [office_size]
    clients = max(1, round(10_000 * scale))
    offices = max(1, min(94, round(10 * scale))) if scale <= 1 else min(94, round(9.4 * scale))
    base, extra = divmod(clients, offices)
    return [base + (1 if index < extra else 0) for index in range(offices)]


def generate(*, scale: float, seed: int = 1, office_size: int | None = None, progress=print) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    rri = InstrumentVersion.objects.get(instrument__code="RRI", version="02")
    krim = InstrumentVersion.objects.get(instrument__code="KRIMINOGENIK", version="02")
    totals: dict[str, int] = {}
    start_code = Office.objects.filter(code__startswith="G").count()
    for index, size in enumerate(office_plan(scale, office_size)):
        with transaction.atomic():
            counts = _office(start_code + index, size, rng, today, rri, krim)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        progress(f"office {index + 1}: {size} clients")
    return totals


def _bulk(model, objects):
    model.objects.bulk_create(objects, batch_size=BATCH)
    return len(objects)


def _office(number: int, size: int, rng, today, rri, krim) -> dict:
    code = f"G{number + 1:03d}"
    # Three offices a Kanwil, so the first region holds the same three offices at every scale.
    region = f"Kanwil Sintetis {number // 3 + 1}"
    office = Office.objects.create(code=code, name=f"Bapas Sintetis {code}", city=f"Kota {code}", time_zone=ZONES[number % 3],
                                   region=region)
    if number % 3 == 0:
        User.objects.get_or_create(username=f"kanwil{number // 3 + 1}", defaults={"role": Role.REGIONAL, "region": region, "password": "!"})
    StageRule.objects.get_or_create(office=office)
    OffenceCategory.objects.bulk_create([OffenceCategory(office=office, name=n) for n in DEFAULT_OFFENCE_CATEGORIES], ignore_conflicts=True)
    WorkloadModel.objects.get_or_create(office=office, defaults={"risk_points": DEFAULT_RISK_POINTS, "basis_points": DEFAULT_BASIS_POINTS})
    categories = list(OffenceCategory.objects.filter(office=office))
    rule = StageRule.objects.get(office=office)
    staff = [User(username=f"{code.lower()}.pk{i}", office=office, role=Role.PK, first_name=f"PK {i}", password="!")
             for i in range(max(1, math.ceil(size / CASELOAD)))]
    staff += [User(username=f"{code.lower()}.{role}", office=office, role=role, password="!")
              for role in (Role.SUPERVISOR, Role.HEAD, Role.ADMIN)]
    User.objects.bulk_create(staff)
    officers = list(User.objects.filter(office=office, role=Role.PK).order_by("pk"))
    region = f"{91 + number % 9}{number:04d}"[:6].ljust(6, "0")
    clients = []
    for i in range(size):
        sex = "P" if rng.random() < 0.12 else "L"
        birth = datetime.date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28))
        day = birth.day + (40 if sex == "P" else 0)
        clients.append(Client(office=office, register_number=f"{code}-{i + 1:06d}", full_name=f"Klien {code} {i + 1}",
                              nik=f"{region}{day:02d}{birth.month:02d}{birth.year % 100:02d}{i % 10000:04d}"[:16] if i < 10000 else None,
                              passport_number="" if i < 10000 else f"X{code}{i}", nationality="Indonesia" if i < 10000 else "Lainnya",
                              birth_place="Kota", birth_date=birth, sex=sex, religion="islam", address="Jl. Sintetis"))
    _bulk(Client, clients)
    supervisions, closed = [], []
    bases = list(LegalBasis.values)
    for i, client in enumerate(clients):
        officer = officers[i % len(officers)]
        start = today - datetime.timedelta(days=rng.randint(10, 700))
        end = start + datetime.timedelta(days=rng.randint(200, 1000))
        supervisions.append(_supervision(client, office, officer, start, max(end, today + datetime.timedelta(days=5)), rng, bases,
                                         categories, rule))
        if rng.random() < 0.3:
            old_start = start - datetime.timedelta(days=rng.randint(800, 1500))
            old_end = old_start + datetime.timedelta(days=rng.randint(200, 600))
            old = _supervision(client, office, officer, old_start, old_end, rng, bases, categories, rule)
            old.closed_on, old.closure_reason, old.next_contact_due = old_end, "completed", None
            closed.append(old)
    _bulk(Supervision, supervisions + closed)
    assessments = []
    for supervision in supervisions + closed:
        if rng.random() < 0.85:
            assessments.append(_assessment(supervision, rri, rng, today))
            if rng.random() < 0.6:
                assessments.append(_assessment(supervision, krim, rng, today))
    _bulk(Assessment, assessments)
    levels = {a.supervision_id: a.final_level for a in assessments if a.version_id == rri.pk}
    for supervision in supervisions:
        level = levels.get(supervision.pk, "")
        supervision.risk_level = level
        supervision.policy_interval_days = INTERVAL_BY_LEVEL[level]
        supervision.contact_interval_days = min(INTERVAL_BY_LEVEL[level], supervision.reporting_interval_days)
    contacts = _contacts(supervisions + closed, rng, today)
    Supervision.objects.bulk_update(supervisions, ["risk_level", "policy_interval_days", "contact_interval_days", "last_contact_on",
                                                   "next_contact_due", "assessment_due", "reporting_check_from"], batch_size=BATCH)
    counts = {"offices": 1, "users": len(staff), "clients": len(clients), "supervisions": len(supervisions) + len(closed),
              "assessments": len(assessments), "contacts": contacts}
    counts["litmas"] = _litmas(office, supervisions + closed, rng, today)
    counts.update(_programmes(office, officers, supervisions, rng, today))
    counts.update(_after(closed, levels, rng, today))
    return counts


INTEGRATION = {"PB": "pb", "CB": "cb", "CMB": "cmb", "AS": "as"}


def _litmas(office, supervisions, rng, today) -> int:
    """One Litmas a supervision: the integration report before a release on PB/CB/CMB/AS, else a
    guidance report at the start. Decided at a TPP three weeks after the request, unless requested
    in the last 45 days (then still in draft, or awaiting the TPP)."""
    rows, numbers = [], {}
    for supervision in sorted(supervisions, key=lambda s: s.start_date):
        kind = INTEGRATION.get(supervision.legal_basis, "guidance")
        requested = supervision.start_date - datetime.timedelta(days=rng.randint(20, 60) if kind != "guidance" else 0)
        numbers[requested.year] = number = numbers.get(requested.year, 0) + 1
        litmas = Litmas(office=office, client_id=supervision.client_id, supervision=supervision, kind=kind, year=requested.year,
                        number=number, register_number=office.litmas_register_number(number, requested.year),
                        officer_id=supervision.officer_id, requested_by="Lapas Sintetis", requested_on=requested,
                        due_on=requested + datetime.timedelta(days=30), created_by_id=supervision.officer_id,
                        client_history="Riwayat.", family="Keluarga.", offence="Tindak pidana.", conclusion="Kesimpulan.",
                        recommendation="Rekomendasi.")
        if (today - requested).days > 45:
            litmas.status, litmas.tpp_date = LitmasStatus.APPROVED, requested + datetime.timedelta(days=21)
            litmas.tpp_number = f"TPP/{number}/{requested.year}"
        elif rng.random() < 0.3:
            litmas.status = LitmasStatus.SUBMITTED
        rows.append(litmas)
    return _bulk(Litmas, rows)


def _supervision(client, office, officer, start, end, rng, bases, categories, rule):
    basis = rng.choice(bases)
    supervision = Supervision(
        client=client, office=office, officer=officer, legal_basis=basis, decree_number="SK/SINTETIS", decree_date=start,
        decree_issuer="Pengadilan", offence_article="Pasal", offence_category=rng.choice(categories), sentence="1 tahun",
        start_date=start, end_date=end, reporting_interval_days=rng.choice([30, 30, 14, 7]),
        community_service_hours=rng.choice([40, 120, 240]) if basis == LegalBasis.PKS else None,
        assessment_due=add_months(start, 6),
    )
    supervision.middle_stage_from, supervision.final_stage_from = rule.boundaries(start, end)
    return supervision


OPTION_WEIGHTS = [60, 25, 10, 5]


def _assessment(supervision, version, rng, today):
    answers = {}
    for item in version.definition["items"]:
        if item.get("scored"):
            options = sorted(item["options"], key=lambda option: option["points"])
            answers[item["code"]] = {"option": rng.choices(options, OPTION_WEIGHTS[: len(options)])[0]["code"]}
    result = score(version.definition, answers)
    assessed_on = min(today, supervision.start_date + datetime.timedelta(days=rng.randint(5, 40)))
    return Assessment(supervision=supervision, version=version, kind="initial", status="final", assessed_on=assessed_on,
                      assessor_id=supervision.officer_id, answers=answers, total=result.total, computed_level=result.level,
                      final_level=result.level, domain_scores={n: {"score": d.score, "level": d.level, "max": d.max_score}
                                                               for n, d in result.domains.items()})


def _contacts(supervisions, rng, today) -> int:
    made, batch = 0, []
    for supervision in supervisions:
        stop = supervision.closed_on or today
        span = max(1, (stop - supervision.start_date).days)
        days = sorted(rng.randint(0, span)
                      for _ in range(CONTACTS_PER_CLIENT if supervision.closed_on is None else CONTACTS_PER_CLIENT // 2))
        last, reported, missed = None, None, []
        for offset in days:
            day = supervision.start_date + datetime.timedelta(days=offset)
            if day > today:
                continue
            attended = rng.random() > 0.08
            kind = rng.choice(["report_office", "report_office", "home_visit", "call"])
            batch.append(Contact(supervision=supervision, kind=kind,
                                 occurred_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10))),
                                 attended=attended, officer_id=supervision.officer_id))
            last = day if attended else last
            if kind == "report_office" and attended:
                reported = day
            elif kind == "report_office":
                missed.append(day)
        if supervision.closed_on is None:
            supervision.last_contact_on = last
            supervision.next_contact_due = (last or supervision.start_date) + datetime.timedelta(days=supervision.contact_interval_days)
            supervision.reporting_check_from = reporting_check_from(
                start=supervision.start_date, interval=supervision.reporting_interval_days, attended_last=reported, missed_logged=missed)
        if len(batch) >= BATCH:
            made += _bulk(Contact, batch)
            batch = []
    return made + _bulk(Contact, batch)


def _programmes(office, officers, supervisions, rng, today) -> dict:
    programmes = Programme.objects.bulk_create([
        Programme(office=office, name=f"{label} {office.code}", programme_type=code, facilitator_officer=officers[i % len(officers)],
                  need_domains=[], planned_sessions=30, planned_hours=Decimal("60"))
        for i, (code, label) in enumerate(ProgrammeType.choices[:9])
    ])
    enrolments = []
    for supervision in supervisions:
        if rng.random() < 0.3:
            enrolments.append(Enrolment(programme=rng.choice(programmes), supervision=supervision, referral_date=supervision.start_date,
                                        start_date=supervision.start_date, status="active", created_by_id=supervision.officer_id))
    _bulk(Enrolment, enrolments)
    by_programme: dict[int, list] = {}
    for enrolment in enrolments:
        by_programme.setdefault(enrolment.programme_id, []).append(enrolment)
    sessions, attendance = [], []
    for programme in programmes:
        for week in range(30):
            sessions.append(ProgrammeSession(programme=programme, date=today - datetime.timedelta(days=7 * week + 1),
                                             duration_hours=Decimal("2"), topic="Sesi", facilitator="PK",
                                             recorded_by_id=programme.facilitator_officer_id))
    _bulk(ProgrammeSession, sessions)
    # The schedule the sessions kept, four weeks ahead, and one date of the first programme that passed
    # with no session logged (the reminder's case).
    planned = [PlannedSession(programme_id=s.programme_id, date=s.date, starts_at=datetime.time(9), place="Aula",
                              created_by_id=s.recorded_by_id) for s in sessions]
    planned += [PlannedSession(programme=programme, date=today + datetime.timedelta(days=6 + 7 * week), starts_at=datetime.time(9),
                               place="Aula", created_by_id=programme.facilitator_officer_id)
                for programme in programmes for week in range(4)]
    planned.append(PlannedSession(programme=programmes[0], date=today - datetime.timedelta(days=3), place="Aula",
                                  created_by_id=programmes[0].facilitator_officer_id))
    _bulk(PlannedSession, planned)
    for session in sessions:
        for enrolment in by_programme.get(session.programme_id, []):
            attendance.append(Attendance(session=session, enrolment=enrolment, status="present" if rng.random() < 0.8 else "absent"))
    _bulk(Attendance, attendance)
    return {"enrolments": len(enrolments), "sessions": len(sessions), "attendance": len(attendance)}


def _after(closed, levels, rng, today) -> dict:
    follow_ups, events = [], []
    for supervision in closed:
        for months in (3, 6, 12, 24):
            due = add_months(supervision.closed_on, months)
            done = due + datetime.timedelta(days=rng.randint(0, 20)) if due < today and rng.random() < 0.7 else None
            follow_ups.append(FollowUp(supervision=supervision, office_id=supervision.office_id, anchor="supervision_end",
                                       offset_months=months, due_date=due, done_on=done if done and done <= today else None))
        if rng.random() < EVENT_RATE[levels.get(supervision.pk, "")]:
            day = supervision.closed_on + datetime.timedelta(days=rng.randint(10, 720))
            if day <= today:
                events.append(RecidivismEvent(client_id=supervision.client_id, kind=rng.choice(["rearrest", "new_charge", "reconviction"]),
                                              event_date=day, source="sintetis", recorded_by_id=supervision.officer_id))
    return {"follow_ups": _bulk(FollowUp, follow_ups), "events": _bulk(RecidivismEvent, events)}
