"""Deleting a contact logged by mistake (on the wrong client, or one that never happened): shown and
asked first, with a reason; the schedule that follows from the contacts is worked out again without
it; field history and the audit trail keep what it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Contact, Supervision
from tests.factories import SupervisionFactory
from tests.factories import logged_contact as logged


def delete_url(contact) -> str:
    return reverse("clients:contact_delete", args=[contact.pk])


def post_delete(client, contact, reason="Dicatat pada klien yang salah", version=None):
    return client.post(delete_url(contact), {"reason": reason, "expected_version": contact.version if version is None else version})


def kept(contact) -> bool:
    """Still there, with nothing audited as deleted."""
    return Contact.objects.filter(pk=contact.pk).exists() and not AuditEntry.objects.filter(action="contact.delete").exists()


@pytest.mark.django_db
def test_a_contact_logged_on_the_wrong_client_is_deleted_and_the_schedule_follows(login, pk, supervision):
    earlier = logged(supervision, 20)
    wrong = logged(supervision, 2, notes="Kunjungan rumah (klien lain)")
    supervision.refresh_from_db()
    assert supervision.last_contact_on == timezone.localdate() - datetime.timedelta(days=2)
    client = login(pk)
    correction = client.get(reverse("clients:contact_correct", args=[wrong.pk])).content.decode()
    assert delete_url(wrong) in correction
    page = client.get(delete_url(wrong))
    assert "Kunjungan rumah (klien lain)" in page.content.decode() and "data-confirm" in page.content.decode()

    response = post_delete(client, wrong)

    assert response.status_code == 302 and response["Location"].endswith("#riwayat")
    assert not Contact.objects.filter(pk=wrong.pk).exists()
    supervision.refresh_from_db()
    assert supervision.last_contact_on == timezone.localdate(earlier.occurred_at)  # as if it had never been logged
    assert supervision.next_contact_due == timezone.localdate(earlier.occurred_at) + datetime.timedelta(days=30)
    entry = AuditEntry.objects.get(action="contact.delete")
    assert entry.actor == pk and entry.client_pk == supervision.client_id and entry.object_id == str(wrong.pk)
    assert entry.detail["notes"] == "Kunjungan rumah (klien lain)" and entry.detail["reason"] == "Dicatat pada klien yang salah"
    assert entry.detail["kind"] == wrong.kind and entry.detail["attended"] is True
    deleted = Contact.history.filter(id=wrong.pk).order_by("-history_date").first()
    assert deleted.history_type == "-" and deleted.history_change_reason == "Dicatat pada klien yang salah"
    detail = client.get(response["Location"]).content.decode()
    assert "Catatan kontak dihapus." in detail and "Kunjungan rumah (klien lain)" not in detail
    history = client.get(reverse("clients:history", args=[supervision.client_id])).content.decode()
    assert "dihapus" in history and "(Dicatat pada klien yang salah)" in history


@pytest.mark.django_db
def test_a_reason_is_required(login, pk, supervision):
    contact = logged(supervision, 2)
    response = post_delete(login(pk), contact, reason="   ")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert kept(contact)


@pytest.mark.django_db
def test_a_contact_corrected_since_the_page_opened_is_not_deleted(login, pk, supervision):
    contact = logged(supervision, 2)
    opened_at = contact.version
    Contact.objects.filter(pk=contact.pk).update(version=opened_at + 1)  # someone corrected it meanwhile
    response = post_delete(login(pk), contact, version=opened_at)
    assert response.status_code == 409
    assert kept(contact)


@pytest.mark.django_db
def test_a_contact_of_an_ended_supervision_is_not_deleted(login, pk, supervision):
    contact = logged(supervision, 2)
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=timezone.localdate(), closure_reason="completed")
    response = post_delete(login(pk), contact)
    assert response.status_code == 200 and "sudah diakhiri" in response.content.decode()
    assert kept(contact)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "admin_user"])
def test_readers_of_the_file_cannot_delete(login, request, pk, supervision, who):
    contact = logged(supervision, 2)
    assert post_delete(login(request.getfixturevalue(who)), contact).status_code == 403
    assert kept(contact)


@pytest.mark.django_db
def test_a_colleagues_client_contact_is_404(login, pk, pk2, supervision):
    contact = logged(supervision, 2)
    assert login(pk2).get(delete_url(contact)).status_code == 404
    assert post_delete(login(pk2), contact).status_code == 404
    assert kept(contact)


@pytest.mark.django_db
def test_the_desk_report_of_the_wrong_client_is_deleted_and_the_right_one_logged(login, pk, supervision):
    """The desk's everyday mistake: the wrong name picked. Deleting it lets the right client report today."""
    from clients.services import office_report_log

    other = SupervisionFactory(client__office=pk.office, officer=pk)
    wrong = office_report_log(by=pk, supervision=supervision)
    assert post_delete(login(pk), wrong, reason="Salah pilih klien di meja lapor").status_code == 302
    office_report_log(by=pk, supervision=other)
    office_report_log(by=pk, supervision=supervision)  # and the first client can still report today
    assert Contact.objects.filter(supervision=supervision).count() == 1
