"""Edits, contacts, violations, documents, reassignment and closure — each validated, audited,
kept in field history, and safe against two officers editing at once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import ClientDocument, Contact, Violation


def client_post_data(client, **overrides):
    data = {
        "full_name": client.full_name, "nik": client.nik, "nationality": client.nationality,
        "birth_place": client.birth_place, "birth_date": client.birth_date.isoformat(), "sex": client.sex,
        "religion": client.religion, "address": client.address, "register_number": client.register_number,
        "expected_version": client.version,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_edit_client_writes_history_and_audit(login, pk, client_record):
    url = reverse("clients:edit", args=[client_record.pk])
    response = login(pk).post(url, client_post_data(client_record, address="Jl. Baru No. 9"))
    assert response.status_code == 302
    client_record.refresh_from_db()
    assert client_record.address == "Jl. Baru No. 9" and client_record.version == 2
    assert client_record.history.first().history_user == pk
    assert AuditEntry.objects.filter(action="client.update", object_id=str(client_record.pk)).count() == 1
    assert not AuditEntry.objects.filter(action="record.view").exists()  # the save is the write, not a second view


@pytest.mark.django_db
def test_opening_the_edit_form_is_a_view_of_the_clients_file(login, pk, head, client_record):
    """The form shows the whole file's personal data (NIK, address, family), so opening it is recorded as the detail page is."""
    assert login(pk).get(reverse("clients:edit", args=[client_record.pk])).status_code == 200
    entry = AuditEntry.objects.get(action="record.view")
    assert (entry.actor, entry.client_pk, entry.office_id) == (pk, client_record.pk, client_record.office_id)
    assert entry.detail == {"client": client_record.pk, "page": "clients:edit"}
    assert login(head).get(reverse("clients:edit", args=[client_record.pk])).status_code == 403  # a reader is refused, and not recorded
    assert AuditEntry.objects.filter(action="record.view").count() == 1


@pytest.mark.django_db
def test_second_of_two_concurrent_edits_is_refused(login, pk, supervisor, client_record):
    url = reverse("clients:edit", args=[client_record.pk])
    first = client_post_data(client_record, address="Alamat dari PK")
    second = client_post_data(client_record, phone="081234567890")  # opened at the same version
    assert login(pk).post(url, first).status_code == 302
    response = login(supervisor).post(url, second)
    assert response.status_code == 409
    assert "sudah diubah oleh pengguna lain" in response.content.decode()
    client_record.refresh_from_db()
    assert client_record.address == "Alamat dari PK" and client_record.phone == ""


@pytest.mark.django_db
def test_second_of_two_concurrent_supervision_edits_is_refused(login, pk, supervision):
    url = reverse("clients:supervision_edit", args=[supervision.pk])
    form = login(pk).get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(decree_date=supervision.decree_date.isoformat(), start_date=supervision.start_date.isoformat(),
                end_date=supervision.end_date.isoformat())
    assert login(pk).post(url, {**data, "sentence": "3 tahun"}).status_code == 302
    response = login(pk).post(url, {**data, "sentence": "4 tahun"})
    assert response.status_code == 409
    supervision.refresh_from_db()
    assert supervision.sentence == "3 tahun"


@pytest.mark.django_db
def test_logging_a_contact_moves_the_due_date(login, pk, supervision):
    at = timezone.localtime() - datetime.timedelta(hours=2)
    response = login(pk).post(
        reverse("clients:contact_create", args=[supervision.pk]),
        {"kind": "home_visit", "occurred_at": at.strftime("%Y-%m-%dT%H:%M"), "attended": "on", "notes": "Rumah rapi"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.officer == pk and contact.notes == "Rumah rapi"
    supervision.refresh_from_db()
    assert supervision.last_contact_on == at.date()
    assert supervision.next_contact_due == at.date() + datetime.timedelta(days=30)
    assert AuditEntry.objects.filter(action="contact.create").count() == 1


@pytest.mark.django_db
def test_an_earlier_appointment_sets_the_next_due_date(login, pk, supervision):
    at = timezone.localtime() - datetime.timedelta(hours=2)
    appointment = at.date() + datetime.timedelta(days=7)
    login(pk).post(
        reverse("clients:contact_create", args=[supervision.pk]),
        {"kind": "report_office", "occurred_at": at.strftime("%Y-%m-%dT%H:%M"), "attended": "on",
         "next_appointment": appointment.isoformat()},
    )
    supervision.refresh_from_db()
    assert supervision.next_contact_due == appointment


@pytest.mark.django_db
def test_a_missed_contact_does_not_move_the_due_date(login, pk, supervision):
    due = supervision.next_contact_due
    at = timezone.localtime() - datetime.timedelta(hours=1)
    login(pk).post(reverse("clients:contact_create", args=[supervision.pk]),
                   {"kind": "report_office", "occurred_at": at.strftime("%Y-%m-%dT%H:%M")})
    supervision.refresh_from_db()
    assert Contact.objects.get().attended is False
    assert supervision.next_contact_due == due


@pytest.mark.django_db
@pytest.mark.parametrize(
    "occurred_at, message",
    [
        (lambda: timezone.localtime() + datetime.timedelta(days=2), "masa depan"),
        (lambda: timezone.localtime() - datetime.timedelta(days=400), "sebelum pembimbingan dimulai"),
    ],
)
def test_contact_dates_are_checked(login, pk, supervision, occurred_at, message):
    response = login(pk).post(
        reverse("clients:contact_create", args=[supervision.pk]),
        {"kind": "call", "occurred_at": occurred_at().strftime("%Y-%m-%dT%H:%M"), "attended": "on"},
    )
    assert response.status_code == 200 and message in response.content.decode()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_violation_is_recorded_and_updated(login, pk, supervision):
    client = login(pk)
    response = client.post(
        reverse("clients:violation_create", args=[supervision.pk]),
        {"kind": "missed_reporting", "occurred_on": timezone.localdate().isoformat(), "description": "Tidak datang",
         "action": "revocation_proposal", "status": "in_tpp"},
    )
    assert response.status_code == 302
    violation = Violation.objects.get()
    assert violation.recorded_by == pk and violation.get_action_display().startswith("Usulan pencabutan")
    response = client.post(
        reverse("clients:violation_edit", args=[violation.pk]),
        {"kind": "missed_reporting", "occurred_on": violation.occurred_on.isoformat(), "description": "Tidak datang",
         "action": "revocation_proposal", "status": "resolved", "expected_version": 1},
    )
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == "resolved" and violation.history.count() == 2
    assert list(AuditEntry.objects.filter(action__startswith="violation").values_list("action", flat=True)) == [
        "violation.update", "violation.create"]


@pytest.mark.django_db
def test_violation_date_cannot_be_in_the_future(login, pk, supervision):
    response = login(pk).post(
        reverse("clients:violation_create", args=[supervision.pk]),
        {"kind": "condition_breach", "occurred_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
         "description": "x", "action": "warning", "status": "open"},
    )
    assert "masa depan" in response.content.decode()
    assert not Violation.objects.exists()


@pytest.mark.django_db
def test_document_upload_and_download_through_the_visibility_rule(login, pk, outsider, client_record, settings):
    pdf = SimpleUploadedFile("putusan.pdf", b"%PDF-1.7\n%test document", content_type="application/pdf")
    response = login(pk).post(reverse("clients:document_upload", args=[client_record.pk]), {"kind": "decree", "upload": pdf})
    assert response.status_code == 302
    document = ClientDocument.objects.get()
    stored = document.file.path
    assert stored.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not stored.startswith(str(settings.STATIC_ROOT))
    download = login(pk).get(reverse("clients:document_download", args=[document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert login(outsider).get(reverse("clients:document_download", args=[document.pk])).status_code == 404
    assert {"document.create", "document.view"} <= set(AuditEntry.objects.values_list("action", flat=True))


def uploaded_document(login, user, client_record, name="putusan.pdf", kind="decree"):
    pdf = SimpleUploadedFile(name, b"%PDF-1.7\n%test document", content_type="application/pdf")
    assert login(user).post(reverse("clients:document_upload", args=[client_record.pk]), {"kind": kind, "upload": pdf}).status_code == 302
    return ClientDocument.objects.latest("pk")


@pytest.mark.django_db
def test_a_document_uploaded_by_mistake_is_withdrawn_with_a_reason(login, pk, client_record):
    wrong = uploaded_document(login, pk, client_record, name="putusan-klien-lain.pdf")
    right = uploaded_document(login, pk, client_record, name="putusan.pdf")
    detail = reverse("clients:detail", args=[client_record.pk])
    url = reverse("clients:document_withdraw", args=[wrong.pk])
    assert url in login(pk).get(detail).content.decode()
    page = login(pk).get(url).content.decode()
    assert "putusan-klien-lain.pdf" in page and "data-confirm=" in page

    response = login(pk).post(url, {"reason": "Salah klien"})
    assert response.status_code == 302 and response["Location"].endswith("#dokumen")
    wrong.refresh_from_db()
    assert wrong.withdrawn_by == pk and wrong.withdrawal_reason == "Salah klien" and wrong.withdrawn_at is not None
    assert wrong.file.storage.exists(wrong.file.name)  # kept, served to no one
    page = login(pk).get(detail).content.decode()
    assert "Dokumen putusan-klien-lain.pdf ditarik dari berkas klien." in page
    assert reverse("clients:document_download", args=[wrong.pk]) not in page
    assert reverse("clients:document_download", args=[right.pk]) in page
    assert login(pk).get(reverse("clients:document_download", args=[wrong.pk])).status_code == 404
    assert login(pk).get(reverse("clients:document_download", args=[right.pk])).status_code == 200
    assert login(pk).post(url, {"reason": "Lagi"}).status_code == 404  # withdrawn once
    entry = AuditEntry.objects.get(action="document.withdraw")
    assert entry.detail == {"client": client_record.pk, "file": "putusan-klien-lain.pdf", "kind": "decree",
                            "uploaded_by": pk.pk, "reason": "Salah klien"}


@pytest.mark.django_db
def test_withdrawing_needs_a_reason_and_a_writer_in_scope(login, pk, head, admin_user, outsider_supervisor, client_record):
    document = uploaded_document(login, pk, client_record)
    url = reverse("clients:document_withdraw", args=[document.pk])
    response = login(pk).post(url, {"reason": "  "})
    assert response.status_code == 200 and "Bidang ini tidak boleh kosong" in response.content.decode()
    for reader in (head, admin_user):  # they read the file but do not write it
        assert login(reader).post(url, {"reason": "Salah"}).status_code == 403
        assert url not in login(reader).get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert login(outsider_supervisor).post(url, {"reason": "Salah"}).status_code == 404
    document.refresh_from_db()
    assert document.withdrawn_at is None and not AuditEntry.objects.filter(action="document.withdraw").exists()


@pytest.mark.django_db
def test_a_withdrawn_documents_file_is_deleted_once_its_days_have_passed(login, pk, client_record, settings):
    from bapas.jobs import run_job

    settings.WITHDRAWN_DOCUMENT_DAYS = 30
    old, recent, kept = (uploaded_document(login, pk, client_record, name=name) for name in ("lama.pdf", "baru.pdf", "tetap.pdf"))
    page = login(pk).get(reverse("clients:document_withdraw", args=[old.pk])).content.decode()
    assert "dihapus permanen setelah 30 hari" in page
    for document in (old, recent):
        login(pk).post(reverse("clients:document_withdraw", args=[document.pk]), {"reason": "Salah klien"})
    ClientDocument.objects.filter(pk=old.pk).update(withdrawn_at=timezone.now() - datetime.timedelta(days=30, minutes=1))
    ClientDocument.objects.filter(pk=recent.pk).update(withdrawn_at=timezone.now() - datetime.timedelta(days=29, hours=23))

    assert run_job("clients.purge_withdrawn_documents").counts == {"purged": 1}
    for document in (old, recent, kept):
        document.refresh_from_db()
    assert not old.file.storage.exists(old.file.name) and old.file_purged_at is not None
    assert recent.file.storage.exists(recent.file.name) and recent.file_purged_at is None  # its days have not passed
    assert kept.file.storage.exists(kept.file.name) and kept.file_purged_at is None  # never withdrawn
    entry = AuditEntry.objects.get(action="document.file_purge")
    assert (entry.actor, entry.office, entry.object_id, entry.detail) == (None, client_record.office, str(old.pk),
                                                                         {"file": "lama.pdf", "days": 30})
    assert old.file.name  # the row still says what the file was
    # A second night finds nothing more, and a file someone already removed is no error.
    assert run_job("clients.purge_withdrawn_documents").counts == {"purged": 0}
    ClientDocument.objects.filter(pk=recent.pk).update(withdrawn_at=timezone.now() - datetime.timedelta(days=31))
    recent.file.storage.delete(recent.file.name)
    assert run_job("clients.purge_withdrawn_documents").counts == {"purged": 1}


@pytest.mark.django_db
def test_a_withdrawn_photo_leaves_the_kartu_bimbingan(login, pk, client_record):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    upload = SimpleUploadedFile("foto.png", png, content_type="image/png")
    login(pk).post(reverse("clients:document_upload", args=[client_record.pk]), {"kind": "photo", "upload": upload})
    photo = ClientDocument.objects.get(kind="photo")
    card = reverse("clients:card", args=[client_record.pk]) + "?format=html"
    assert "data:image/png;base64," in login(pk).get(card).content.decode()
    login(pk).post(reverse("clients:document_withdraw", args=[photo.pk]), {"reason": "Foto orang lain"})
    assert "data:image/png;base64," not in login(pk).get(card).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name, content, message",
    [
        ("skrip.pdf", b"#!/bin/sh\necho", "Jenis berkas tidak diizinkan"),
        ("foto.png", b"GIF89a....", "Jenis berkas tidak diizinkan"),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "terlalu besar"),
    ],
)
def test_bad_uploads_are_refused(login, pk, client_record, name, content, message):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = login(pk).post(reverse("clients:document_upload", args=[client_record.pk]), {"kind": "other", "upload": upload})
    assert response.status_code == 200 and message in response.content.decode()
    assert not ClientDocument.objects.exists()


@pytest.mark.django_db
def test_supervisor_reassigns_with_a_reason_kept_in_history(login, supervisor, supervision, pk2):
    response = login(supervisor).post(
        reverse("clients:supervision_assign", args=[supervision.pk]), {"officer": pk2.pk, "reason": "Beban kerja"}
    )
    assert response.status_code == 302
    supervision.refresh_from_db()
    assert supervision.officer == pk2
    assert supervision.history.first().history_change_reason == "Beban kerja"
    entry = AuditEntry.objects.get(action="supervision.assign")
    assert entry.detail["reason"] == "Beban kerja" and entry.detail["to"] == pk2.pk
    # The new PK sees the client now; the old one no longer does.
    assert login(pk2).get(reverse("clients:detail", args=[supervision.client_id])).status_code == 200
    assert login(supervision.history.last().officer).get(
        reverse("clients:detail", args=[supervision.client_id])).status_code == 404


@pytest.mark.django_db
def test_cannot_assign_to_a_pk_of_another_office(login, supervisor, supervision, outsider):
    response = login(supervisor).post(
        reverse("clients:supervision_assign", args=[supervision.pk]), {"officer": outsider.pk, "reason": "x"}
    )
    assert response.status_code == 200 and "officer" in response.context["form"].errors


@pytest.mark.django_db
def test_supervisor_closes_a_supervision_after_confirming(login, supervisor, supervision):
    url = reverse("clients:supervision_close", args=[supervision.pk])
    today = timezone.localdate().isoformat()
    unconfirmed = login(supervisor).post(url, {"closed_on": today, "reason": "completed"})
    assert unconfirmed.status_code == 200
    assert login(supervisor).post(url, {"closed_on": today, "reason": "completed", "confirm": "on"}).status_code == 302
    supervision.refresh_from_db()
    assert supervision.closed_on == timezone.localdate() and supervision.closure_reason == "completed"
    assert supervision.next_contact_due is None
    assert AuditEntry.objects.filter(action="supervision.close").count() == 1
    # A closed supervision leaves the caseload and takes no new contacts.
    assert supervision.client.full_name not in login(supervision.officer).get(reverse("clients:list")).content.decode()
    response = login(supervision.officer).post(
        reverse("clients:contact_create", args=[supervision.pk]),
        {"kind": "call", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "attended": "on"},
    )
    assert "sudah diakhiri" in response.content.decode()


@pytest.mark.django_db
def test_closure_date_before_start_is_refused(login, supervisor, supervision):
    before = (supervision.start_date - datetime.timedelta(days=1)).isoformat()
    response = login(supervisor).post(reverse("clients:supervision_close", args=[supervision.pk]),
                                      {"closed_on": before, "reason": "died", "confirm": "on"})
    assert "sebelum tanggal mulai" in response.content.decode()
    supervision.refresh_from_db()
    assert supervision.closed_on is None


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(pk, client_record):
    from bapas.audit import audit_log

    entry = audit_log(actor=pk, action="client.view", obj=client_record)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.update(action="x")
