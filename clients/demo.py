"""Demo data: two offices, officers of every role, a few hundred clients with history.
Deterministic, and safe to run again (it only adds what is missing)."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from bapas.demo import demo_seeder
from bapas.models import Office, Role, TimeZone, User

from .models import (
    REPORTING_KINDS,
    Client,
    Contact,
    ContactKind,
    Education,
    LegalBasis,
    MaritalStatus,
    OffenceCategory,
    Religion,
    Revocation,
    RevocationStage,
    Sex,
    StageRule,
    Supervision,
    Violation,
    ViolationAction,
    ViolationKind,
    ViolationStatus,
)
from .reminders import reporting_check_from

OFFICES = [
    {
        "code": "PLG", "name": "Bapas Kelas I Palembang", "city": "Palembang", "time_zone": TimeZone.WIB,
        "region": "Kanwil Sumatera Selatan", "nik_region": "167101", "provinsi": "Sumatera Selatan",
        "kecamatan": ["Ilir Barat I", "Ilir Timur II", "Seberang Ulu I", "Kemuning", "Sukarami"],
        "prison": ["Lapas Kelas I Palembang", "Rutan Kelas I Palembang", "Lapas Perempuan Palembang"],
        "courts": "Pengadilan Negeri Palembang",
    },
    {
        "code": "MKS", "name": "Bapas Kelas I Makassar", "city": "Makassar", "time_zone": TimeZone.WITA,
        "region": "Kanwil Sulawesi Selatan", "nik_region": "737101", "provinsi": "Sulawesi Selatan",
        "kecamatan": ["Mariso", "Mamajang", "Tamalate", "Rappocini", "Panakkukang"],
        "prison": ["Lapas Kelas I Makassar", "Rutan Kelas I Makassar"],
        "courts": "Pengadilan Negeri Makassar",
    },
]

USERS = [
    # username, office, role, first name, last name
    ("demo.pk", "PLG", Role.PK, "Rina", "Marlina"),
    ("demo.pk2", "PLG", Role.PK, "Ahmad", "Fauzi"),
    ("demo.apk", "PLG", Role.APK, "Dedi", "Kurniawan"),
    ("demo.supervisor", "PLG", Role.SUPERVISOR, "Siti", "Rahmawati"),
    ("demo.head", "PLG", Role.HEAD, "Bambang", "Sutrisno"),
    ("demo.admin", "PLG", Role.ADMIN, "Yuni", "Astuti"),
    ("demo.pk.other", "MKS", Role.PK, "Andi", "Pratama"),
    ("demo.supervisor.other", "MKS", Role.SUPERVISOR, "Nurhayati", "Syam"),
]

MALE = ["Agus", "Budi", "Joko", "Hendra", "Rudi", "Slamet", "Yusuf", "Irfan", "Dodi", "Wahyu", "Bayu", "Andi", "Rizky", "Fajar", "Sugeng",
        "Eko", "Taufik", "Ilham"]
FEMALE = ["Sri", "Dewi", "Ratna", "Wati", "Lestari", "Fitri", "Yanti", "Nur", "Indah", "Maya"]
FAMILY = ["Saputra", "Wijaya", "Santoso", "Hidayat", "Siregar", "Nasution", "Lubis", "Harahap", "Pratama", "Setiawan", "Gunawan", "Halim",
          "Daeng", "Syahputra", ""]
ARTICLES = {
    "Narkotika": "Pasal 112 ayat (1) UU 35/2009",
    "Pencurian": "Pasal 362 KUHP",
    "Penipuan/penggelapan": "Pasal 378 KUHP",
    "Kekerasan/penganiayaan": "Pasal 351 KUHP",
    "Perjudian": "Pasal 303 KUHP",
    "Lalu lintas": "Pasal 310 UU 22/2009",
}
BASIS_WEIGHTS = [(LegalBasis.PB, 45), (LegalBasis.CB, 12), (LegalBasis.CMB, 6), (LegalBasis.AS, 8),
                 (LegalBasis.PBS, 6), (LegalBasis.PWS, 13), (LegalBasis.PKS, 10)]
NOTES = [
    "Klien datang tepat waktu, kondisi sehat, bekerja sebagai buruh harian.",
    "Klien menyampaikan kesulitan mencari pekerjaan; disarankan mengikuti pelatihan keterampilan.",
    "Kunjungan rumah: keluarga mendukung, penjamin hadir.",
    "Klien mengikuti kegiatan keagamaan di lingkungan rumah.",
    "Klien melapor melalui video call karena sakit.",
    "Diberikan konseling singkat tentang pengelolaan emosi.",
]

CLIENTS_PER_OFFICE = {"PLG": 240, "MKS": 60}


@demo_seeder(order=10, name="clients")
@transaction.atomic
def seed(*, password: str, rng_seed: int = 2026) -> dict:
    rng = random.Random(rng_seed)
    offices = {spec["code"]: _office(spec) for spec in OFFICES}
    users = {}
    for username, code, role, first, last in USERS:
        users[username] = _user(username, offices[code], role, first, last, password, rng)
    # A Kanwil account reads its region's offices (here PLG) as figures; it belongs to no office.
    kanwil = _user("demo.kanwil", None, Role.REGIONAL, "Hendra", "Gunawan", password, rng)
    if kanwil.region != OFFICES[0]["region"]:
        kanwil.region = OFFICES[0]["region"]
        kanwil.save(update_fields=["region"])
    created = 0
    for spec in OFFICES:
        office = offices[spec["code"]]
        if office.clients.exists():
            continue
        officers = [u for u in users.values() if u.office_id == office.pk and u.is_caseworker]
        created += _clients(office, spec, officers, CLIENTS_PER_OFFICE[spec["code"]], rng)
    return {"offices": len(offices), "users": len(users), "clients_created": created}


def _office(spec) -> Office:
    office, _created = Office.objects.get_or_create(
        code=spec["code"],
        defaults={
            "name": spec["name"], "city": spec["city"], "time_zone": spec["time_zone"], "region": spec["region"],
            "letterhead_ministry": "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA",
            "letterhead_directorate": spec["region"].upper(),
            "letterhead_address": f"Jl. Demo No. 1, {spec['city']}",
            "letterhead_phone": "(0711) 000000" if spec["code"] == "PLG" else "(0411) 000000",
        },
    )
    return office


def _user(username, office, role, first, last, password, rng) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "office": office, "role": role, "first_name": first, "last_name": last,
            "nip": (f"19{rng.randint(70, 95)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
                    f"20{rng.randint(10, 20)}0{rng.randint(1, 2)}1{rng.randint(100, 999)}"),
            "jabatan": str(Role(role).label), "pangkat": "Penata (III/c)", "email": f"{username}@example.org",
        },
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _clients(office, spec, officers, count, rng) -> int:
    today = timezone.localdate()
    categories = {c.name: c for c in OffenceCategory.objects.filter(office=office, name__in=ARTICLES)}
    rule = StageRule.objects.get(office=office)
    bases, weights = zip(*BASIS_WEIGHTS)
    clients, supervisions = [], []
    for i in range(count):
        sex = Sex.FEMALE if rng.random() < 0.12 else Sex.MALE
        first = rng.choice(FEMALE if sex == Sex.FEMALE else MALE)
        family = rng.choice(FAMILY)
        birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
        day = birth.day + (40 if sex == Sex.FEMALE else 0)
        nik = f"{spec['nik_region']}{day:02d}{birth.month:02d}{birth.year % 100:02d}{i + 1:04d}"
        clients.append(Client(
            office=office, register_number=f"{spec['code']}-{2024 + i % 3}-{i + 1:04d}",
            full_name=f"{first} {family}".strip(), nik=nik, birth_place=spec["city"], birth_date=birth, sex=sex,
            religion=rng.choice([Religion.ISLAM] * 8 + [Religion.KRISTEN, Religion.KATOLIK, Religion.BUDDHA]),
            education=rng.choice(list(Education.values)), marital_status=rng.choice(list(MaritalStatus.values)),
            occupation=rng.choice(["Buruh", "Pedagang", "Ojek daring", "Tidak bekerja", "Petani", "Karyawan swasta"]),
            address=f"Jl. {rng.choice(['Merdeka', 'Sudirman', 'Kenanga', 'Melati', 'Cendana'])} No. {rng.randint(1, 200)}",
            rt=f"{rng.randint(1, 20):03d}", rw=f"{rng.randint(1, 10):03d}", kelurahan="Demo",
            kecamatan=rng.choice(spec["kecamatan"]), kabupaten_kota=f"Kota {spec['city']}", provinsi=spec["provinsi"],
            phone=f"08{rng.randint(1000000000, 9999999999)}", origin_institution=rng.choice(spec["prison"]),
            guarantor_name=f"{rng.choice(FEMALE + MALE)} {family}".strip(),
            guarantor_relation=rng.choice(["Ibu", "Ayah", "Istri", "Suami", "Kakak", "Paman"]),
            guarantor_phone=f"08{rng.randint(1000000000, 9999999999)}", guarantor_address="Alamat sama dengan klien",
        ))
    Client.objects.bulk_create(clients)
    for client in clients:
        basis = rng.choices(bases, weights)[0]
        start = today - datetime.timedelta(days=rng.randint(10, 500))
        length = {LegalBasis.CMB: 180, LegalBasis.PKS: 150, LegalBasis.PWS: rng.randint(180, 1000)}.get(basis, rng.randint(240, 900))
        end = start + datetime.timedelta(days=length)
        category = rng.choice(list(categories.values()))
        interval = rng.choice([30, 30, 30, 14, 7])
        supervision = Supervision(
            client=client, office=office, legal_basis=basis, decree_number=f"PAS-{rng.randint(1000, 9999)}.PK.05.06/{start.year}",
            decree_date=start - datetime.timedelta(days=rng.randint(3, 20)),
            decree_issuer=(spec["courts"] if basis in {LegalBasis.PBS, LegalBasis.PWS, LegalBasis.PKS}
                           else "Direktur Jenderal Pemasyarakatan"),
            offence_article=ARTICLES[category.name], offence_category=category,
            sentence=f"{rng.randint(1, 6)} tahun {rng.randint(0, 11)} bulan", start_date=start, end_date=end,
            general_conditions="Tidak melakukan tindak pidana; wajib lapor sesuai jadwal.",
            reporting_interval_days=interval, contact_interval_days=interval,
            community_service_hours=rng.choice([40, 80, 120, 240]) if basis == LegalBasis.PKS else None,
            officer=officers[len(supervisions) % len(officers)],
        )
        supervision.middle_stage_from, supervision.final_stage_from = rule.boundaries(start, end)
        if end < today:
            supervision.closed_on, supervision.closure_reason = end, "completed"
        supervisions.append(supervision)
    Supervision.objects.bulk_create(supervisions)
    contacts = []
    for supervision in supervisions:
        _history(supervision, contacts, rng, today)
    Contact.objects.bulk_create(contacts)
    Supervision.objects.bulk_update(supervisions, ["last_contact_on", "next_contact_due", "reporting_check_from"])
    return len(clients)


def _history(supervision, contacts, rng, today):
    """A contact roughly every interval from the start, with the odd missed report."""
    day = supervision.start_date
    stop = min(supervision.closed_on or today, today)
    last_attended, reported, missed = None, None, []
    while day <= stop:
        kind = rng.choices(
            [ContactKind.REPORT_OFFICE, ContactKind.REPORT_REMOTE, ContactKind.HOME_VISIT, ContactKind.CALL],
            [60, 10, 15, 15],
        )[0]
        attended = rng.random() > 0.08
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 15), rng.choice([0, 15, 30, 45]))))
        if at > timezone.now():
            break
        contacts.append(Contact(supervision=supervision, kind=kind, occurred_at=at, attended=attended,
                                notes=rng.choice(NOTES) if attended else "Klien tidak datang tanpa keterangan.",
                                officer=supervision.officer))
        if attended:
            last_attended = day
        if kind in REPORTING_KINDS and attended:
            reported = day
        elif kind in REPORTING_KINDS:
            missed.append(day)
        day += datetime.timedelta(days=supervision.contact_interval_days + rng.randint(-3, 6))
    supervision.last_contact_on = last_attended
    if supervision.closed_on is None:
        supervision.next_contact_due = ((last_attended or supervision.start_date)
                                        + datetime.timedelta(days=supervision.contact_interval_days))
        supervision.reporting_check_from = reporting_check_from(
            start=supervision.start_date, interval=supervision.reporting_interval_days, attended_last=reported, missed_logged=missed)


# The demo's revocation cases, both waiting for the Kabapas after the TPP recommended them: a parole
# (the temporary suspension comes next) and a court's pidana pengawasan (the letter to the jaksa).
DEMO_REVOCATIONS = [
    (LegalBasis.PB, ViolationKind.MISSED_REPORTING, "Tidak wajib lapor tiga kali berturut-turut (contoh).", "01"),
    (LegalBasis.PWS, ViolationKind.CONDITION_BREACH, "Melanggar syarat khusus putusan: tidak mengikuti rehabilitasi (contoh).", "02"),
]


@demo_seeder(order=12, name="revocations")
def seed_revocation(*, password: str, rng_seed: int = 2026) -> dict:
    """Revocation cases in PLG waiting for the Kabapas, so the head's Hari ini and the Kanwil's recap
    show them and both paths can be followed. Only when the office has none."""
    office = Office.objects.get(code="PLG")
    if Revocation.objects.filter(supervision__office=office).exists():
        return {"revocations created": 0}
    today = timezone.localdate()
    made = 0
    for basis, kind, description, number in DEMO_REVOCATIONS:
        supervision = (Supervision.objects.filter(office=office, closed_on__isnull=True, legal_basis=basis,
                                                  start_date__lte=today - datetime.timedelta(days=60)).order_by("pk").first())
        if supervision is None:
            continue
        violation = Violation.objects.create(
            supervision=supervision, kind=kind, occurred_on=today - datetime.timedelta(days=21), description=description,
            action=ViolationAction.REVOCATION_PROPOSAL, status=ViolationStatus.IN_TPP, recorded_by=supervision.officer)
        Revocation.objects.create(
            violation=violation, supervision=supervision, stage=RevocationStage.TPP_RECOMMENDED, report_number=f"BA/{number}/DEMO",
            report_date=today - datetime.timedelta(days=14), tpp_date=today - datetime.timedelta(days=7),
            tpp_number=f"TPP/{number}/DEMO", created_by=supervision.officer)
        made += 1
    return {"revocations created": made}
