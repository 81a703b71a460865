"""The daftar lapor diri: a client who comes to report is found and marked present in one click,
once a day; the day's register lists who came; scope, read-only roles, suspended releases, past
days, and a query count that does not grow with the register."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Contact
from tests.factories import ContactFactory, SupervisionFactory

URL = reverse("clients:reporting_desk")
TODAY = timezone.localdate


@pytest.mark.django_db
def test_a_client_found_at_the_desk_is_marked_present_once(login, pk, supervision):
    client = login(pk)
    supervision.client.full_name, supervision.client.register_number = "Budi Santoso", "PB.01/2026"
    supervision.client.save()
    page = client.get(URL, {"q": "budi"}).content.decode()
    assert 'data-testid="present"' in page and "PB.01/2026" in page
    response = client.post(URL, {"supervision": supervision.pk, "q": "budi"}, follow=True)
    page = response.content.decode()
    assert "Budi Santoso hadir wajib lapor pukul" in page
    contact = Contact.objects.get()
    assert (contact.kind, contact.attended, contact.officer, contact.occurred_at.date() <= TODAY()) == ("report_office", True, pk, True)
    supervision.refresh_from_db()
    assert supervision.last_contact_on == TODAY() and supervision.next_contact_due == TODAY() + datetime.timedelta(days=30)
    assert AuditEntry.objects.filter(action="contact.create", actor=pk).count() == 1
    assert 'data-testid="register"' in page and "1 klien wajib lapor" in page
    # Found again, the client shows as reported; a second record (a double click, a second desk) is refused.
    assert "sudah lapor" in client.get(URL, {"q": "PB.01"}).content.decode()
    again = client.post(URL, {"supervision": supervision.pk, "q": "budi"}, follow=True).content.decode()
    assert "sudah wajib lapor hari ini pukul" in again and Contact.objects.count() == 1


@pytest.mark.django_db
def test_outside_the_scope_is_not_found_and_readers_cannot_record(login, pk, pk2, head, outsider_supervisor, supervision):
    other = SupervisionFactory(client__office=pk.office, officer=pk2, client__full_name="Budi Lain")
    assert "Budi Lain" not in login(pk).get(URL, {"q": "Budi"}).content.decode()
    assert login(pk).post(URL, {"supervision": other.pk}).status_code == 404
    assert login(outsider_supervisor).post(URL, {"supervision": supervision.pk}).status_code == 404
    assert login(pk).post(URL, {"supervision": "x"}).status_code == 404
    assert login(head).post(URL, {"supervision": supervision.pk}).status_code == 403
    assert 'data-testid="desk"' not in login(head).get(URL).content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_a_suspended_release_takes_no_report(login, pk, supervision):
    supervision.suspended_on = TODAY() - datetime.timedelta(days=3)
    supervision.save()
    page = login(pk).post(URL, {"supervision": supervision.pk}, follow=True).content.decode()
    assert "sedang dicabut sementara" in page and not Contact.objects.exists()


@pytest.mark.django_db
def test_a_past_day_is_read_only_and_a_day_to_come_is_today(login, pk, supervision):
    ContactFactory(supervision=supervision, kind="report_office", occurred_at=timezone.now() - datetime.timedelta(days=1))
    ContactFactory(supervision=supervision, kind="home_visit", occurred_at=timezone.now() - datetime.timedelta(days=1))
    yesterday = (TODAY() - datetime.timedelta(days=1)).isoformat()
    page = login(pk).get(URL, {"tanggal": yesterday}).content.decode()
    assert "1 klien wajib lapor" in page and 'data-testid="desk"' not in page  # the home visit is not in the register
    tomorrow = login(pk).get(URL, {"tanggal": (TODAY() + datetime.timedelta(days=1)).isoformat()})
    assert tomorrow.context["day"] == TODAY() and 'data-testid="desk"' in tomorrow.content.decode()
    assert login(pk).get(URL, {"tanggal": "kemarin"}).context["day"] == TODAY()


@pytest.mark.django_db
def test_the_desk_lists_who_is_due_and_not_yet_reported(login, pk):
    due = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Andi Jatuh Tempo",
                             next_contact_due=TODAY() - datetime.timedelta(days=2))
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Belum Waktunya",
                       next_contact_due=TODAY() + datetime.timedelta(days=5))
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Sedang Ditahan",
                       next_contact_due=TODAY() - datetime.timedelta(days=9), suspended_on=TODAY() - datetime.timedelta(days=20))
    page = login(pk).get(URL).content.decode()
    assert "Andi Jatuh Tempo" in page and "Belum Waktunya" not in page and "Sedang Ditahan" not in page
    assert "belum lapor hari ini: 1 klien" in page
    login(pk).post(URL, {"supervision": due.pk})
    assert 'data-testid="expected"' not in login(pk).get(URL).content.decode()  # reported: nobody left to expect


@pytest.mark.django_db
def test_the_register_costs_the_same_queries_for_3_or_30_reports(login, supervisor, pk, pk2):
    def count():
        client = login(supervisor)
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": "Klien"}).status_code == 200
            assert client.get(URL).status_code == 200  # the clients due, without a search
        return len(queries)

    def add(n):
        for i in range(n):
            officer = pk if i % 2 else pk2
            ContactFactory(supervision=SupervisionFactory(client__office=pk.office, officer=officer), kind="report_office",
                           occurred_at=timezone.now() - datetime.timedelta(minutes=i))
            SupervisionFactory(client__office=pk.office, officer=officer, next_contact_due=TODAY())

    add(3)
    few = count()
    add(27)
    assert count() == few
