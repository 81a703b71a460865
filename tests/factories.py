import datetime

import factory
from django.utils import timezone

from bapas.models import Office, Role, User
from clients.models import (
    Client,
    Contact,
    ContactKind,
    LegalBasis,
    OffenceCategory,
    RecidivismEvent,
    RecidivismKind,
    Supervision,
    Violation,
)


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"O{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Bapas {o.code}")
    city = "Palembang"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Petugas{n}")
    office = factory.SubFactory(OfficeFactory)
    role = Role.PK
    password = factory.django.Password("Rahasia-Panjang-1")


def nik_for(birth_date: datetime.date, sex: str, serial: int) -> str:
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"167101{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}{serial % 10000:04d}"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    office = factory.SubFactory(OfficeFactory)
    register_number = factory.Sequence(lambda n: f"REG-{n:05d}")
    full_name = factory.Sequence(lambda n: f"Klien Nomor {n}")
    birth_place = "Palembang"
    birth_date = datetime.date(1990, 5, 12)
    sex = "L"
    nik = factory.LazyAttributeSequence(lambda o, n: nik_for(o.birth_date, o.sex, n + 1))
    religion = "islam"
    address = "Jl. Merdeka No. 1"


class SupervisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supervision

    client = factory.SubFactory(ClientFactory)
    office = factory.SelfAttribute("client.office")
    officer = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..office"))
    legal_basis = LegalBasis.PB
    decree_number = factory.Sequence(lambda n: f"PAS-{n}.PK.05.06/2026")
    decree_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=40))
    decree_issuer = "Direktur Jenderal Pemasyarakatan"
    offence_article = "Pasal 362 KUHP"
    offence_category = factory.LazyAttribute(lambda o: OffenceCategory.objects.filter(office=o.office).first())
    sentence = "2 tahun"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=365))
    reporting_interval_days = 30
    contact_interval_days = 30
    middle_stage_from = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=120))
    final_stage_from = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=240))
    next_contact_due = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=30))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    supervision = factory.SubFactory(SupervisionFactory)
    kind = ContactKind.REPORT_OFFICE
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    attended = True
    notes = "Hadir tepat waktu."
    officer = factory.SelfAttribute("supervision.officer")


class ViolationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Violation

    supervision = factory.SubFactory(SupervisionFactory)
    kind = "missed_reporting"
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=2))
    description = "Tidak datang wajib lapor."
    action = "warning"
    recorded_by = factory.SelfAttribute("supervision.officer")


class RecidivismEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecidivismEvent

    client = factory.SubFactory(ClientFactory)
    kind = RecidivismKind.REARREST
    event_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    source = "Polres"
    recorded_by = factory.SubFactory(UserFactory, office=factory.SelfAttribute("..client.office"))


def logged_contact(supervision, days_ago: int, **extra) -> Contact:
    """A contact logged through the service `days_ago` days back, so the supervision's schedule follows it."""
    from clients.services import contact_log

    when = timezone.now() - datetime.timedelta(days=days_ago)
    return contact_log(by=supervision.officer, contact=ContactFactory.build(supervision=supervision, occurred_at=when, **extra))
