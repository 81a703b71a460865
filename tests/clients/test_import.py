"""Importing an office's existing clients from a spreadsheet: the template, the check that uses the
registration form's own rules, the supervisor's confirmation, the import through the registration
service, and bad files refused with a reason."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bapas.models import AuditEntry
from clients import imports
from clients.jobs import pending_imports
from clients.models import Client, ClientImport, ImportStatus, Supervision
from tests.clients.helpers import BIRTH, row, sheet
from tests.factories import SupervisionFactory, nik_for


def upload(client, content: bytes, name="klien.xlsx"):
    return client.post(reverse("clients:import_start"), {"upload": SimpleUploadedFile(name, content)})


def uploaded(client, content, name="klien.xlsx") -> ClientImport:
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ClientImport.objects.latest("pk")
    assert response["Location"] == reverse("clients:import_detail", args=[batch.pk])
    return imports.work(batch)  # what the worker does with the task the page enqueued


@pytest.mark.django_db
def test_the_template_has_every_column_of_the_registration_form(login, supervisor):
    response = login(supervisor).get(reverse("clients:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    headings = [cell.value for cell in book["Klien"][1]]
    assert "Nama lengkap *" in headings and "NIK" in headings and "PK *" in headings and "Dasar hukum *" in headings
    guide = {line[0]: line[1] for line in book["Petunjuk"].iter_rows(values_only=True)}
    assert "PB = PB — Pembebasan Bersyarat" in guide["Dasar hukum *"]


@pytest.mark.django_db
def test_rows_are_checked_first_then_the_good_ones_imported_on_confirmation(login, supervisor, pk):
    client = login(supervisor)
    rows = [row(pk, 1), row(pk, 2, NIK="12345"), row(pk, 3, **{"Tanggal berakhir (ekspirasi)": BIRTH}),
            row(pk, 4, PK="tidak.ada"), row(pk, 5, **{"Nomor register klien": "IMP-1"})]
    batch = uploaded(client, sheet(rows))
    assert (batch.status, batch.total_rows, batch.valid_rows, batch.error_rows) == (ImportStatus.CHECKED, 5, 1, 4)
    assert batch.done_rows == 0  # a finished step leaves nothing for the next to skip
    assert [number for number, _problems in batch.errors] == [3, 4, 5, 6]  # sheet rows: the headings are row 1
    page = client.get(reverse("clients:import_detail", args=[batch.pk])).content.decode()
    assert "Impor 1 klien" in page and "NIK" in page and "sama dengan baris 2" in page
    assert not Client.objects.filter(full_name__startswith="Klien Impor").exists()  # the check imports nothing

    assert client.post(reverse("clients:import_confirm", args=[batch.pk])).status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING
    batch = imports.work(batch)
    assert (batch.status, batch.imported_rows, batch.error_rows) == (ImportStatus.DONE, 1, 4)
    imported = Supervision.objects.select_related("client").get(client__full_name="Klien Impor 1")
    assert imported.officer == pk and imported.client.office == pk.office and imported.legal_basis == "PB"
    assert imported.client.birth_date == BIRTH and imported.next_contact_due is not None
    assert AuditEntry.objects.filter(action="client.create", client_pk=imported.client_id, actor=supervisor).exists()
    assert imported.client.history.earliest().history_user == supervisor  # the change history names who imported
    assert imported.history.earliest().history_user == supervisor
    assert AuditEntry.objects.get(action="client.import").detail["imported"] == 1
    # Confirming again imports nothing twice.
    client.post(reverse("clients:import_confirm", args=[batch.pk]))
    assert Client.objects.filter(full_name__startswith="Klien Impor").count() == 1


@pytest.mark.django_db
def test_a_csv_with_semicolons_and_labels_in_english_works_too(login, supervisor, pk):
    values = row(pk, 7)
    english = {"Nama lengkap": "Full name", "Jenis kelamin": "Sex"}
    headings = [english.get(heading, heading) for heading in values]
    cells = [v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else str(v) for v in values.values()]
    text = ";".join(headings) + "\n" + ";".join(cells) + "\n"
    batch = uploaded(login(supervisor), text.encode("utf-8-sig"), name="klien.csv")
    assert (batch.valid_rows, batch.errors) == (1, [])


@pytest.mark.django_db
def test_a_client_already_registered_is_refused_by_the_rule_of_the_form(login, supervisor, pk):
    existing = SupervisionFactory(client__office=pk.office, officer=pk).client
    batch = uploaded(login(supervisor), sheet([row(pk, 8, NIK=existing.nik)]))
    assert batch.valid_rows == 0 and "sudah terdaftar" in str(batch.errors)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), [
    ("klien.pdf", b"%PDF-1.4 ...", "Jenis berkas tidak diizinkan"),
    ("klien.xlsx", b"bukan zip", "Jenis berkas tidak diizinkan"),
    ("klien.csv", b"\x00\x01\x02", "Jenis berkas tidak diizinkan"),
])
def test_a_wrong_file_is_refused_on_the_page(login, supervisor, name, content, message):
    response = upload(login(supervisor), content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ClientImport.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(login, supervisor, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = upload(login(supervisor), b"PK\x03\x04" + b"0" * 2000)
    assert "terlalu besar" in response.content.decode() and not ClientImport.objects.exists()


@pytest.mark.django_db
def test_an_unreadable_or_empty_sheet_fails_with_a_reason(login, supervisor):
    batch = uploaded(login(supervisor), b"PK\x03\x04 rusak")
    assert batch.status == ImportStatus.FAILED and "tidak dapat dibaca" in batch.failure
    assert "tidak dapat dibaca" in login(supervisor).get(reverse("clients:import_detail", args=[batch.pk])).content.decode()


@pytest.mark.django_db
def test_a_step_that_never_reached_a_worker_is_done_by_the_catch_up_job(login, supervisor, pk):
    upload(login(supervisor), sheet([row(pk, 9)]))  # the task is "lost": nothing runs it here
    batch = ClientImport.objects.get()
    ClientImport.objects.filter(pk=batch.pk).update(requested_at=timezone.now() - datetime.timedelta(minutes=11))
    assert pending_imports() == {"imports": 1}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED and batch.valid_rows == 1
    assert pending_imports() == {"imports": 0}  # a step is done once
    assert imports.work(batch).status == ImportStatus.CHECKED  # and a worker arriving late does nothing


@pytest.mark.django_db
def test_only_the_offices_supervisor_imports(login, supervisor, pk, head, admin_user, outsider_supervisor):
    batch = uploaded(login(supervisor), sheet([row(pk, 10)]))
    for other in (pk, head, admin_user):
        browser = login(other)
        for url in (reverse("clients:import_start"), reverse("clients:import_template"),
                    reverse("clients:import_detail", args=[batch.pk])):
            assert browser.get(url).status_code == 403
    assert login(outsider_supervisor).get(reverse("clients:import_detail", args=[batch.pk])).status_code == 404
    assert login(outsider_supervisor).post(reverse("clients:import_confirm", args=[batch.pk])).status_code == 404
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CHECKED


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_both_steps_run_on_a_real_worker(login, supervisor, pk):
    import time

    from celery.contrib.testing.worker import start_worker

    from bapas.celery import app

    def wait_for(batch, status):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and ClientImport.objects.get(pk=batch.pk).status != status:
            time.sleep(0.3)
        batch.refresh_from_db()
        return batch.status

    client = login(supervisor)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        upload(client, sheet([row(pk, 11), row(pk, 12)]))
        batch = ClientImport.objects.get()
        assert wait_for(batch, ImportStatus.CHECKED) == ImportStatus.CHECKED and batch.valid_rows == 2
        client.post(reverse("clients:import_confirm", args=[batch.pk]))
        assert wait_for(batch, ImportStatus.DONE) == ImportStatus.DONE
    assert batch.imported_rows == 2 and Client.objects.filter(full_name__startswith="Klien Impor").count() == 2


@pytest.mark.django_db
def test_an_unknown_heading_is_named(login, supervisor, pk):
    batch = uploaded(login(supervisor), sheet([{**row(pk, 13), "Nama ibu": "Siti"}]))
    assert batch.valid_rows == 1 and batch.errors == [[1, ["Kolom tidak dikenal, diabaikan: Nama ibu."]]]


@pytest.mark.django_db
def test_a_running_step_is_never_taken_for_one_not_begun(supervisor):
    batch = ClientImport.objects.create(office=supervisor.office, created_by=supervisor, original_name="besar.xlsx",
                                        status=ImportStatus.IMPORTING, progress=1,
                                        requested_at=timezone.now() - datetime.timedelta(hours=1))
    imports._advance(batch, 10, 5000)  # 0.2 %: still shown as begun
    batch.refresh_from_db()
    assert batch.progress == 1 and imports.stalled_steps() == []


@pytest.mark.django_db
def test_the_nik_confirmation_has_a_short_heading_and_is_read(login, supervisor, pk):
    response = login(supervisor).get(reverse("clients:import_template"))
    headings = [cell.value for cell in load_workbook(io.BytesIO(response.content))["Klien"][1]]
    assert "NIK sudah dicocokkan dengan KTP" in headings
    odd = nik_for(datetime.date(1985, 1, 2), "L", 77)  # a NIK whose birth date is not the row's
    refused = uploaded(login(supervisor), sheet([row(pk, 14, NIK=odd)]))
    assert refused.valid_rows == 0
    confirmed = uploaded(login(supervisor), sheet([row(pk, 14, NIK=odd, **{"NIK sudah dicocokkan dengan KTP": "ya"})]))
    assert confirmed.valid_rows == 1


class WorkerKilled(BaseException):
    """The worker process ends in the middle of a row (killed, machine restarted)."""


@pytest.mark.django_db
def test_a_step_whose_worker_stopped_part_way_carries_on_after_the_last_row(login, supervisor, pk, monkeypatch):
    batch = uploaded(login(supervisor), sheet([row(pk, 21), row(pk, 22), row(pk, 23)]))
    login(supervisor).post(reverse("clients:import_confirm", args=[batch.pk]))
    registered = imports.client_register
    calls = []

    def killed_in_the_second_row(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise WorkerKilled
        return registered(**kwargs)

    monkeypatch.setattr(imports, "client_register", killed_in_the_second_row)
    with pytest.raises(WorkerKilled):
        imports.work(ClientImport.objects.get(pk=batch.pk))
    monkeypatch.setattr(imports, "client_register", registered)
    batch.refresh_from_db()
    assert (batch.status, batch.done_rows, batch.imported_rows) == (ImportStatus.IMPORTING, 1, 1)
    assert pending_imports() == {"imports": 0}  # not silent long enough to be taken for gone
    ClientImport.objects.filter(pk=batch.pk).update(progressed_at=timezone.now() - datetime.timedelta(minutes=16))
    assert pending_imports() == {"imports": 1}
    batch.refresh_from_db()
    assert (batch.status, batch.imported_rows, batch.error_rows, batch.errors) == (ImportStatus.DONE, 3, 0, [])
    assert Client.objects.filter(full_name__startswith="Klien Impor").count() == 3
