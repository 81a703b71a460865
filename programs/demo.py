"""Demo partners and programmes of every type, with enrolments, sessions and attendance."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from bapas.demo import demo_seeder
from bapas.models import Office, Role, User
from clients.models import Supervision

from .models import (
    Attendance,
    AttendanceStatus,
    Delivery,
    Enrolment,
    EnrolmentStatus,
    Partner,
    PlannedSession,
    Programme,
    ProgrammeSession,
)
from .services import refresh_hours

PARTNERS = [
    ("Griya Abhipraya {city}", "griya_abhipraya"), ("BLK Kota {city}", "blk"), ("BNN Kota {city}", "bnn"),
    ("Pokmas Lipas Kelurahan Demo", "pokmas_lipas"), ("Dinas Sosial Kota {city}", "dinsos"),
]
PROGRAMMES = [
    # name, type, delivery, partner index or None (officer), needs, sessions, hours, capacity
    ("Konseling individu", "konseling", Delivery.INDIVIDUAL, None, ["Sikap Anti-Sosial", "Hubungan Sosial"], 8, "8", None),
    ("Pelatihan las dan bengkel", "keterampilan", Delivery.GROUP, 1, ["Pendidikan dan Pekerjaan"], 20, "80", 15),
    ("Mediasi keluarga", "mediasi_keluarga", Delivery.INDIVIDUAL, None, ["Keluarga dan Pernikahan"], 4, "6", None),
    ("Pembinaan keagamaan", "kepribadian_agama", Delivery.GROUP, 3, ["Waktu Luang", "Sikap Anti-Sosial"], 12, "18", 30),
    ("Penyuluhan kesadaran hukum", "kepribadian_hukum", Delivery.GROUP, None, ["Sikap Anti-Sosial"], 4, "8", 40),
    ("Edukasi kesehatan", "kepribadian_kesehatan", Delivery.GROUP, 4, ["Napza dan Alkohol"], 4, "6", 40),
    ("Magang kerja mitra", "kemandirian_kerja", Delivery.GROUP, 0, ["Pendidikan dan Pekerjaan", "Manajemen Keuangan"], 12, "96", 10),
    ("Kewirausahaan dan pengelolaan uang", "kemandirian_usaha", Delivery.GROUP, 0, ["Manajemen Keuangan"], 6, "18", 20),
    ("Rehabilitasi rawat jalan", "rehabilitasi_napza", Delivery.GROUP, 2, ["Napza dan Alkohol"], 16, "32", 20),
]


@demo_seeder(order=30, name="programs")
def seed(*, password: str, rng_seed: int = 2028) -> dict:
    counts = {"programmes created": 0, "enrolments created": 0, "sessions created": 0}
    for office in Office.objects.filter(code__in=["PLG", "MKS"]):
        if office.programmes.exists():
            continue
        rng = random.Random(rng_seed + office.pk)
        _office(office, rng, counts)
    return counts


def _office(office, rng, counts):
    today = timezone.localdate()
    partners = [
        Partner.objects.create(office=office, name=name.format(city=office.city), kind=kind, contact_person="Narahubung",
                               agreement_number=f"MoU/{office.code}/{index + 1}/2025",
                               agreement_start=today - datetime.timedelta(days=400),
                               agreement_end=today + datetime.timedelta(days=30 if index == 0 else 400))
        for index, (name, kind) in enumerate(PARTNERS)
    ]
    officers = list(User.objects.filter(office=office, role__in=[Role.PK, Role.APK]).order_by("pk"))
    supervisions = list(Supervision.objects.filter(office=office, closed_on__isnull=True).order_by("pk"))
    author = officers[0]
    for name, kind, delivery, partner, needs, sessions, hours, capacity in PROGRAMMES:
        programme = Programme.objects.create(
            office=office, name=name, programme_type=kind, delivery=delivery, need_domains=needs,
            facilitator_partner=partners[partner] if partner is not None else None,
            facilitator_officer=officers[len(name) % len(officers)] if partner is None else None,
            planned_sessions=sessions, planned_hours=Decimal(hours), capacity=capacity,
        )
        counts["programmes created"] += 1
        members = rng.sample(supervisions, min(len(supervisions), capacity or 6))
        enrolments = Enrolment.objects.bulk_create([
            Enrolment(programme=programme, supervision=s, referral_date=today - datetime.timedelta(days=90),
                      start_date=today - datetime.timedelta(days=80), status=EnrolmentStatus.ACTIVE, created_by=author)
            for s in members
        ])
        counts["enrolments created"] += len(enrolments)
        per_session = Decimal(hours) / sessions
        # A group meets together; an individual programme's session is one participant's.
        meetings = [[e] for e in enrolments] if delivery == Delivery.INDIVIDUAL else [enrolments]
        for week in range(min(sessions, 6)):
            for present in meetings:
                session = ProgrammeSession.objects.create(
                    programme=programme, date=today - datetime.timedelta(days=77 - week * 7),
                    duration_hours=per_session.quantize(Decimal("0.1")),
                    topic=f"Pertemuan {week + 1}", facilitator=str(programme.facilitator_officer or programme.facilitator_partner),
                    recorded_by=author,
                )
                Attendance.objects.bulk_create([
                    Attendance(session=session, enrolment=e, status=rng.choices(
                        [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED], [80, 12, 8])[0])
                    for e in present
                ])
                counts["sessions created"] += 1
        refresh_hours(enrolment_ids=[e.pk for e in enrolments])
        if delivery == Delivery.GROUP:  # the next four meetings, a week apart, on the schedule
            PlannedSession.objects.bulk_create([
                PlannedSession(programme=programme, date=today + datetime.timedelta(days=3 + 7 * week), starts_at=datetime.time(9),
                               place="Aula Bapas", topic=f"Pertemuan {min(sessions, 6) + week + 1}", created_by=author)
                for week in range(4)
            ])
