"""Correcting an entry of the progress record: with a reason, shown beside it, kept in the history,
and the schedule that follows from the contacts worked out again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import Supervision
from tests.factories import SupervisionFactory
from tests.factories import logged_contact as logged


def form_data(contact, **changes):
    data = {"kind": contact.kind, "occurred_at": timezone.localtime(contact.occurred_at).strftime("%Y-%m-%dT%H:%M"),
            "attended": "on" if contact.attended else "", "notes": contact.notes, "next_appointment": "",
            "expected_version": contact.version, "reason": "Salah tanggal"}
    return {**data, **changes}


def url(contact):
    return reverse("clients:contact_correct", args=[contact.pk])


@pytest.mark.django_db
def test_a_pk_corrects_a_contacts_date_and_the_schedule_follows(login, pk, supervision):
    contact = logged(supervision, 2)
    supervision.refresh_from_db()
    assert supervision.next_contact_due == timezone.localdate() - datetime.timedelta(days=2) + datetime.timedelta(days=30)
    client = login(pk)
    assert url(contact) in client.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    really = timezone.localtime() - datetime.timedelta(days=10)
    response = client.post(url(contact), form_data(contact, occurred_at=really.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 302
    contact.refresh_from_db()
    supervision.refresh_from_db()
    assert contact.version == 2 and contact.officer == pk and timezone.localdate(contact.occurred_at) == really.date()
    assert supervision.last_contact_on == really.date()
    assert supervision.next_contact_due == really.date() + datetime.timedelta(days=30)
    history = list(contact.history.order_by("history_date"))
    assert len(history) == 2 and history[-1].history_change_reason == "Salah tanggal"
    assert timezone.localdate(history[0].occurred_at) == timezone.localdate() - datetime.timedelta(days=2)
    entry = AuditEntry.objects.get(action="contact.correct")
    assert entry.detail["changed"] == ["occurred_at"] and entry.client_pk == supervision.client_id
    page = client.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert "dikoreksi: Salah tanggal" in page


@pytest.mark.django_db
def test_a_second_correction_from_a_stale_page_is_refused(login, pk, supervision):
    contact = logged(supervision, 2)
    client = login(pk)
    assert client.post(url(contact), form_data(contact, notes="Pertama")).status_code == 302
    response = client.post(url(contact), form_data(contact, notes="Kedua"))  # still carries version 1
    assert response.status_code == 409 and "sudah diubah oleh pengguna lain" in response.content.decode()
    contact.refresh_from_db()
    assert contact.notes == "Pertama"


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"reason": ""}, "Bidang ini tidak boleh kosong"),
    ({"occurred_at": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")}, "tidak boleh di masa depan"),
])
def test_bad_corrections_say_why_and_change_nothing(login, pk, supervision, changes, message):
    contact = logged(supervision, 2)
    response = login(pk).post(url(contact), form_data(contact, notes="Baru", **changes))
    assert response.status_code == 200 and message in response.content.decode()
    contact.refresh_from_db()
    assert contact.version == 1 and contact.notes != "Baru"


@pytest.mark.django_db
def test_a_closed_supervisions_contacts_stay_as_they_are(login, pk, supervision):
    contact = logged(supervision, 2)
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=timezone.localdate(), closure_reason="completed")
    client = login(pk)
    assert url(contact) not in client.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    response = client.post(url(contact), form_data(contact, notes="Baru"))
    assert response.status_code == 200 and "sudah diakhiri" in response.content.decode()
    contact.refresh_from_db()
    assert contact.version == 1


@pytest.mark.django_db
def test_who_may_correct(login, pk, pk2, supervisor, head, admin_user, outsider, supervision):
    contact = logged(supervision, 2)
    assert login(supervisor).get(url(contact)).status_code == 200
    for reader in (head, admin_user):
        assert login(reader).get(url(contact)).status_code == 403
        assert url(contact) not in login(reader).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    for stranger in (pk2, outsider):
        assert login(stranger).get(url(contact)).status_code == 404
    foreign = logged(SupervisionFactory(client__office=outsider.office, officer=outsider), 1)
    assert login(pk).post(url(foreign), form_data(foreign, notes="x")).status_code == 404


@pytest.mark.django_db
def test_a_long_reason_is_kept_whole(login, pk, supervisor, pk2, supervision):
    """The form allows 200 characters; the field history must hold them too."""
    reason = ("Tanggal kunjungan rumah tertukar dengan kunjungan ke penjamin; " * 4)[:199] + "."
    contact = logged(supervision, 2)
    assert login(pk).post(url(contact), form_data(contact, notes="Baru", reason=reason)).status_code == 302
    assert contact.history.latest().history_change_reason == reason
    from clients.services import supervision_assign

    supervision_assign(by=supervisor, supervision=supervision, officer=pk2, reason=reason)
    assert supervision.history.latest().history_change_reason == reason
