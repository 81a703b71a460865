import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Client, OffenceCategory, Supervision
from tests.factories import ClientFactory, nik_for


def intake_data(pk, **overrides):
    today = timezone.localdate()
    birth = datetime.date(1988, 3, 4)
    data = {
        "client-full_name": "Sutrisno",
        "client-nik": nik_for(birth, "L", 77),
        "client-nationality": "Indonesia",
        "client-birth_place": "Palembang",
        "client-birth_date": birth.isoformat(),
        "client-sex": "L",
        "client-religion": "islam",
        "client-address": "Jl. Kenanga No. 5",
        "client-register_number": "PLG-2026-0001",
        "client-guarantor_name": "Siti Aminah",
        "client-guarantor_relation": "Istri",
        "supervision-legal_basis": "PB",
        "supervision-decree_number": "PAS-1234.PK.05.06/2026",
        "supervision-decree_date": (today - datetime.timedelta(days=10)).isoformat(),
        "supervision-decree_issuer": "Direktur Jenderal Pemasyarakatan",
        "supervision-offence_article": "Pasal 362 KUHP",
        "supervision-offence_category": OffenceCategory.objects.filter(office=pk.office).first().pk,
        "supervision-sentence": "3 tahun",
        "supervision-start_date": (today - datetime.timedelta(days=5)).isoformat(),
        "supervision-end_date": (today + datetime.timedelta(days=400)).isoformat(),
        "supervision-reporting_interval_days": "30",
        "supervision-officer": pk.pk,
    }
    data.update(overrides)
    return data


def errors_of(response):
    forms = [response.context["client_form"], response.context["supervision_form"]]
    return {key: " ".join(map(str, value)) for form in forms for key, value in form.errors.items()}


@pytest.mark.django_db
def test_officer_registers_a_client_with_a_supervision(login, pk):
    response = login(pk).post(reverse("clients:create"), intake_data(pk))
    client = Client.objects.get(full_name="Sutrisno")
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:detail", args=[client.pk])
    supervision = Supervision.objects.get(client=client)
    assert supervision.officer == pk and supervision.office == pk.office
    assert supervision.next_contact_due == supervision.start_date + datetime.timedelta(days=30)
    assert supervision.stage == "awal"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"client.create", "supervision.create"} <= actions
    assert client.history.count() == 1 and supervision.history.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"client-nik": "12345"}, "nik", "16 angka"),
        ({"client-nik": "16710104038800ab"}, "nik", "16 angka"),
        ({"client-nik": ""}, "nik", "paspor"),
        ({"supervision-end_date": "2020-01-01"}, "end_date", "sesudah tanggal mulai"),
        ({"client-birth_date": "2015-01-01", "client-confirm_nik_mismatch": "on"}, "start_date", "18 tahun"),
        ({"supervision-decree_date": "2099-01-01"}, "decree_date", "masa depan"),
        ({"supervision-legal_basis": "PKS", "supervision-community_service_hours": "300"}, "community_service_hours", "8 sampai 240"),
        ({"supervision-legal_basis": "PKS"}, "community_service_hours", "8 sampai 240"),
        ({"supervision-legal_basis": "PWS", "supervision-end_date": "2099-01-01"}, "end_date", "3 tahun"),
        ({"client-full_name": ""}, "full_name", ""),
    ],
)
def test_intake_refuses_bad_input_with_a_clear_message(login, pk, overrides, field, message):
    response = login(pk).post(reverse("clients:create"), intake_data(pk, **overrides))
    assert response.status_code == 200
    errors = errors_of(response)
    assert field in errors and message in errors[field], errors
    assert not Client.objects.exists()


@pytest.mark.django_db
def test_pks_hours_at_the_limits_are_accepted(login, pk):
    for hours, number in [(8, "A"), (240, "B")]:
        birth = datetime.date(1990, 1, 1 + hours % 27)
        data = intake_data(pk, **{
            "supervision-legal_basis": "PKS", "supervision-community_service_hours": str(hours),
            "client-register_number": number, "client-birth_date": birth.isoformat(),
            "client-nik": nik_for(birth, "L", hours),
        })
        assert login(pk).post(reverse("clients:create"), data).status_code == 302
    assert Supervision.objects.filter(legal_basis="PKS").count() == 2


@pytest.mark.django_db
def test_nik_that_disagrees_with_birth_date_needs_a_confirmation(login, pk):
    data = intake_data(pk, **{"client-birth_date": "1988-03-05"})
    response = login(pk).post(reverse("clients:create"), data)
    assert "NIK menyandikan tanggal lahir 04-03" in response.content.decode()
    assert not Client.objects.exists()
    data["client-confirm_nik_mismatch"] = "on"
    assert login(pk).post(reverse("clients:create"), data).status_code == 302


@pytest.mark.django_db
def test_nik_sex_mismatch_is_flagged(login, pk):
    response = login(pk).post(reverse("clients:create"), intake_data(pk, **{"client-sex": "P"}))
    assert "jenis kelamin yang berbeda" in response.content.decode()


@pytest.mark.django_db
def test_foreigner_without_nik_registers_with_passport(login, pk):
    data = intake_data(pk, **{"client-nik": "", "client-passport_number": "X1234567", "client-nationality": "Malaysia"})
    assert login(pk).post(reverse("clients:create"), data).status_code == 302
    assert Client.objects.get().nik is None


@pytest.mark.django_db
def test_nik_registered_at_another_office_reveals_nothing_and_is_audited(login, pk, other_office):
    elsewhere = ClientFactory(office=other_office, full_name="Rahasia Orang Lain", nik=nik_for(datetime.date(1988, 3, 4), "L", 77))
    response = login(pk).post(reverse("clients:create"), intake_data(pk))
    page = response.content.decode()
    assert "terdaftar di Bapas lain" in page
    assert "Rahasia Orang Lain" not in page and other_office.name not in page and elsewhere.register_number not in page
    entry = AuditEntry.objects.get(action="client.intake_registered_elsewhere")
    assert entry.actor == pk and entry.office == pk.office
    assert Client.objects.count() == 1


@pytest.mark.django_db
def test_nik_already_in_this_office_is_refused(login, pk):
    ClientFactory(office=pk.office, nik=nik_for(datetime.date(1988, 3, 4), "L", 77))
    response = login(pk).post(reverse("clients:create"), intake_data(pk))
    assert "sudah terdaftar sebagai klien kantor ini" in errors_of(response)["nik"]


@pytest.mark.django_db
def test_register_number_is_unique_within_the_office(login, pk):
    ClientFactory(office=pk.office, register_number="PLG-2026-0001")
    response = login(pk).post(reverse("clients:create"), intake_data(pk))
    assert "register_number" in errors_of(response)


@pytest.mark.django_db
def test_intake_cannot_assign_a_pk_of_another_office(login, pk, outsider):
    response = login(pk).post(reverse("clients:create"), intake_data(pk, **{"supervision-officer": outsider.pk}))
    assert "officer" in errors_of(response)


@pytest.mark.django_db
def test_a_client_registered_twice_can_be_deleted_right_after(login, pk, supervisor):
    """Intake records nothing beyond the client and the supervision, so a duplicate found at once can go."""
    from clients.services import client_records_kept

    assert login(pk).post(reverse("clients:create"), intake_data(pk)).status_code == 302
    client = Client.objects.get()
    assert client_records_kept(client) == {}
    response = login(supervisor).post(reverse("clients:delete", args=[client.pk]),
                                      {"reason": "Terdaftar dua kali", "expected_version": client.version})
    assert response.status_code == 302 and not Client.objects.exists()
