"""A client's change history: each change's values before and after, who made it, when and why,
from the field history of every app's records of the client."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.services import client_update, contact_log, supervision_assign
from tests.factories import ContactFactory, SupervisionFactory


def url(client):
    return reverse("clients:history", args=[client.pk])


def page_of(browser, client) -> str:
    response = browser.get(url(client))
    assert response.status_code == 200
    return response.content.decode()


def changed_address(by, client, address):
    client.refresh_from_db()
    client.address = address
    client_update(by=by, client=client, expected_version=client.version)


def entries(page: str) -> list[str]:
    return page.split('data-testid="history-entry"')[1:]


@pytest.mark.django_db
def test_a_change_shows_its_values_before_and_after_and_who_made_it(login, pk, supervision):
    client = supervision.client
    changed_address(pk, client, "Jl. Sudirman No. 9")
    page = page_of(login(pk), client)
    assert "Data klien" in page and "<del>Jl. Merdeka No. 1</del>" in page and "Jl. Sudirman No. 9" in page
    assert url(client) in login(pk).get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert AuditEntry.objects.filter(action="client.view_history", client_pk=client.pk, actor=pk).exists()


@pytest.mark.django_db
def test_a_change_made_on_a_page_names_who_made_it(login, pk, supervision):
    contact = contact_log(by=pk, contact=ContactFactory.build(supervision=supervision, notes="Lama",
                                                              occurred_at=timezone.now() - datetime.timedelta(days=1)))
    browser = login(pk)
    response = browser.post(reverse("clients:contact_correct", args=[contact.pk]), {
        "kind": contact.kind, "occurred_at": timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "attended": "on", "notes": "Baru", "expected_version": 1, "reason": "Catatan tertukar"})
    assert response.status_code == 302
    newest = entries(page_of(browser, supervision.client))[0]
    assert str(pk) in newest and "Catatan tertukar" in newest and "<del>Lama</del>" in newest and "Baru" in newest


@pytest.mark.django_db
def test_a_reassignment_shows_the_pks_and_the_reason_and_worked_out_dates_stay_out(login, pk, pk2, supervisor, supervision):
    contact_log(by=pk, contact=ContactFactory.build(supervision=supervision, occurred_at=timezone.now() - datetime.timedelta(days=1)))
    supervision_assign(by=supervisor, supervision=supervision, officer=pk2, reason="PK pindah tugas")
    page = page_of(login(supervisor), supervision.client)
    assert "PK pindah tugas" in page and f"<del>{pk}</del>" in page and str(pk2) in page
    # Logging the contact moved the next contact date on the supervision: not anyone's edit.
    assert "Kontak berikutnya" not in page and page.count("Pembimbingan PB") == 2  # made, reassigned


@pytest.mark.django_db
def test_the_nik_stays_masked_for_those_who_see_it_masked(login, pk, head, supervision):
    client = supervision.client
    old_nik = client.nik
    client.refresh_from_db()
    client.nik = old_nik[:-4] + "9999"
    client_update(by=pk, client=client, expected_version=client.version)
    assert old_nik in page_of(login(pk), client)
    for_head = page_of(login(head), client)
    assert old_nik not in for_head and client.nik not in for_head and old_nik[:4] + "********" in for_head


@pytest.mark.django_db
def test_other_apps_records_are_in_it_too(login, pk, supervision):
    from decimal import Decimal

    from programs.models import Enrolment, Programme
    from programs.services import enrol, enrolment_set_status

    programme = Programme.objects.create(office=pk.office, name="Konseling", programme_type="konseling", facilitator_officer=pk,
                                         planned_sessions=4, planned_hours=Decimal("8"))
    enrolment = enrol(by=pk, enrolment=Enrolment(programme=programme, supervision=supervision, referral_date=timezone.localdate()))
    enrolment_set_status(by=pk, enrolment=enrolment, status="cancelled", reason="Pindah kota", on=timezone.localdate(),
                         expected_version=Enrolment.objects.get(pk=enrolment.pk).row_version)
    page = page_of(login(pk), supervision.client)
    assert "Keikutsertaan program" in page and "Dirujuk" in page and "Pindah kota" in page


@pytest.mark.django_db
def test_only_who_sees_the_client_sees_its_history(login, pk2, outsider, supervisor, admin_user, supervision):
    for stranger in (pk2, outsider):
        assert login(stranger).get(url(supervision.client)).status_code == 404
    for office_role in (supervisor, admin_user):
        assert login(office_role).get(url(supervision.client)).status_code == 200


@pytest.mark.django_db
def test_query_count_does_not_grow_with_changes(login, pk, supervision):
    browser = login(pk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            page_of(browser, supervision.client)
        return len(queries)

    changed_address(pk, supervision.client, "Jl. A")
    few = count()
    for number in range(15):
        changed_address(pk, supervision.client, f"Jl. B {number}")
        contact_log(by=pk, contact=ContactFactory.build(supervision=supervision,
                                                        occurred_at=timezone.now() - datetime.timedelta(days=number + 1)))
    SupervisionFactory(client=supervision.client, office=supervision.office, officer=pk,
                       closed_on=timezone.localdate(), closure_reason="completed")
    assert count() == few
