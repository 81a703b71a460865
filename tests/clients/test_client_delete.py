"""Deleting a client registered by mistake (registered twice, the wrong person): for a Kasi, with a
reason, only while nothing else is recorded about them; what is recorded is listed instead of the
form. Field history and the audit trail keep who they were."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bapas.models import AuditEntry, Notification
from clients.models import Client, ClientDocument, Supervision
from clients.services import client_delete, client_records_kept, document_attach, document_withdraw
from tests.factories import ContactFactory, RecidivismEventFactory

PDF = b"%PDF-1.4 contoh"


def delete_url(client) -> str:
    return reverse("clients:delete", args=[client.pk])


def post_delete(browser, client, reason="Terdaftar dua kali (NIK salah ketik)", version=None):
    return browser.post(delete_url(client), {"reason": reason, "expected_version": client.version if version is None else version})


def nothing_deleted(client) -> bool:
    return Client.objects.filter(pk=client.pk).exists() and not AuditEntry.objects.filter(action="client.delete").exists()


@pytest.mark.django_db
def test_a_client_registered_twice_is_deleted_with_their_supervision(login, pk, supervisor, supervision):
    client = supervision.client
    Notification.objects.create(recipient=pk, kind="contact_overdue", object_type="clients.supervision",
                                object_id=str(supervision.pk), due_date=supervision.start_date, title="Kontak terlambat")
    browser = login(supervisor)
    assert delete_url(client) in browser.get(reverse("clients:detail", args=[client.pk])).content.decode()
    page = browser.get(delete_url(client)).content.decode()
    assert client.register_number in page and 'name="reason"' in page and "data-confirm" in page

    response = post_delete(browser, client)

    assert response.status_code == 302 and response["Location"] == reverse("clients:list")
    assert not Client.objects.filter(pk=client.pk).exists() and not Supervision.objects.filter(pk=supervision.pk).exists()
    entry = AuditEntry.objects.get(action="client.delete")
    assert entry.actor == supervisor and entry.detail["register_number"] == client.register_number
    assert entry.detail["reason"] == "Terdaftar dua kali (NIK salah ketik)"
    assert entry.detail["supervisions"] == [{"legal_basis": "PB", "decree_number": supervision.decree_number,
                                             "start_date": supervision.start_date.isoformat()}]
    assert Client.history.filter(id=client.pk, history_type="-").get().history_change_reason == "Terdaftar dua kali (NIK salah ketik)"
    assert Supervision.history.filter(id=supervision.pk, history_type="-").exists()
    assert not Notification.objects.filter(resolved_at__isnull=True).exists()  # its reminders settled with it
    assert "dihapus" in browser.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_client_with_records_is_not_deleted_and_the_page_says_what_they_are(login, pk, supervisor, supervision):
    client = supervision.client
    ContactFactory.create_batch(2, supervision=supervision)
    RecidivismEventFactory(client=client, supervision=None, recorded_by=pk)
    assert client_records_kept(client) == {"kontak": 2, "peristiwa residivisme": 1}
    browser = login(supervisor)
    page = browser.get(delete_url(client)).content.decode()
    assert 'data-testid="delete-refused"' in page and "2 kontak" in page and 'name="reason"' not in page
    response = post_delete(browser, client)
    assert response.status_code == 200 and 'data-testid="delete-refused"' in response.content.decode()
    assert nothing_deleted(client)
    with pytest.raises(ValidationError, match="2 kontak, 1 peristiwa residivisme"):  # whoever calls the service
        client_delete(by=supervisor, client=client, expected_version=client.version, reason="Dobel")
    assert nothing_deleted(client)


@pytest.mark.django_db
def test_a_withdrawn_document_goes_with_the_client_and_a_kept_one_stops_it(login, pk, supervisor, supervision,
                                                                          django_capture_on_commit_callbacks):
    client = supervision.client
    kept = document_attach(by=pk, client=client, kind="other", upload=SimpleUploadedFile("putusan.pdf", PDF, "application/pdf"))
    assert client_records_kept(client) == {"dokumen klien": 1}
    document_withdraw(by=pk, document=kept, reason="Salah klien")
    assert client_records_kept(client) == {}
    stored = kept.file.name
    assert kept.file.storage.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_delete(login(supervisor), client)
    assert response.status_code == 302
    assert not ClientDocument.objects.exists() and not kept.file.storage.exists(stored)  # its file after the commit
    assert AuditEntry.objects.get(action="client.delete").detail["withdrawn_documents"] == ["putusan.pdf"]


@pytest.mark.django_db
def test_a_reason_is_required_and_a_stale_page_is_refused(login, supervisor, supervision):
    client = supervision.client
    browser = login(supervisor)
    response = post_delete(browser, client, reason=" ")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    opened_at = client.version
    Client.objects.filter(pk=client.pk).update(version=opened_at + 1)
    assert post_delete(browser, client, version=opened_at).status_code == 409
    assert nothing_deleted(client)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk", "head", "admin_user"])
def test_only_a_kasi_deletes_a_client(login, request, supervision, who):
    browser = login(request.getfixturevalue(who))
    assert browser.get(delete_url(supervision.client)).status_code == 403
    assert post_delete(browser, supervision.client).status_code == 403
    assert delete_url(supervision.client) not in browser.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert nothing_deleted(supervision.client)
