"""Moving a client's file between offices. A client of Bapas Makassar moves to Palembang: Palembang's
Kasi asks for the file by NIK, Makassar's Kasi decides. Accepted, the client is Palembang's under its
register number, the supervision that ran in Makassar ends as transferred (no post-supervision
follow-ups), Makassar's open enrolments and follow-ups end, and Makassar's records stay Makassar's.
Refused, nothing moves. Nobody else decides, and nobody outside the two offices sees the request."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry, Notification, Role
from bapas.reminders import due_for, sweep
from clients.models import Client, ClientTransfer, ClosureReason, Revocation, RevocationStage, Supervision, TransferStatus
from programs.models import Enrolment, EnrolmentStatus, FollowUp, FollowUpAnchor, Programme
from tests.factories import SupervisionFactory, UserFactory, ViolationFactory

TODAY = timezone.localdate


@pytest.fixture
def held(other_office):
    """A client under parole supervision in Makassar."""
    return SupervisionFactory(client__office=other_office, client__full_name="Andi Saputra",
                              start_date=TODAY() - datetime.timedelta(days=60), end_date=TODAY() + datetime.timedelta(days=300))


@pytest.fixture
def holder_kasi(outsider_supervisor):
    return outsider_supervisor  # Kasi of Makassar


def ask(client, held, number="PLG-2026-0101", reason="Klien pindah domisili ke Palembang."):
    return client.post(reverse("clients:transfer_request"), {"nik": held.client.nik, "register_number": number, "reason": reason})


def requested(supervisor, held) -> ClientTransfer:
    from clients.transfers import transfer_request

    return transfer_request(by=supervisor, nik=held.client.nik, register_number="PLG-2026-0101", reason="Pindah domisili")


def detail(transfer) -> str:
    return reverse("clients:transfer_detail", args=[transfer.pk])


@pytest.mark.django_db
def test_the_kasi_asks_for_the_file_from_the_intake_page(login, supervisor, held):
    client = login(supervisor)
    intake = client.post(reverse("clients:create"), {"client-nik": held.client.nik}).content.decode()
    assert 'data-testid="registered-elsewhere"' in intake
    assert f'{reverse("clients:transfer_request")}?nik={held.client.nik}' in intake
    assert client.get(reverse("clients:transfer_request"), {"nik": held.client.nik}).context["form"]["nik"].value() == held.client.nik

    response = ask(client, held)

    transfer = ClientTransfer.objects.get()
    assert response.status_code == 302 and response.url == detail(transfer)
    assert (transfer.from_office, transfer.to_office, transfer.status) == (held.office, supervisor.office, TransferStatus.REQUESTED)
    page = client.get(detail(transfer)).content.decode()
    # Until the file is here, the asking office sees the NIK (masked), not who the holding office has on file.
    assert "Andi Saputra" not in page and held.client.masked_nik in page and "Bapas Kelas I Makassar" in page
    entry = AuditEntry.objects.get(action="client_transfer.request")
    assert entry.office == supervisor.office and entry.detail["register_number"] == "PLG-2026-0101"


@pytest.mark.django_db
@pytest.mark.parametrize(("nik", "number", "field", "message"), [
    ("3174011205900001", "PLG-1", "nik", "Tidak ada klien dengan NIK ini"),
    ("12345", "PLG-1", "nik", "16"),
    (None, "", "register_number", ""),
])
def test_a_request_is_refused_with_a_message(login, supervisor, held, nik, number, field, message):
    response = login(supervisor).post(reverse("clients:transfer_request"),
                                      {"nik": nik or held.client.nik, "register_number": number, "reason": "Pindah"})
    assert response.status_code == 200 and message in " ".join(response.context["form"].errors[field])
    assert not ClientTransfer.objects.exists()


@pytest.mark.django_db
def test_a_client_of_this_office_a_register_number_in_use_and_a_second_request_are_refused(login, supervisor, office, held):
    own = SupervisionFactory(client__office=office)
    client = login(supervisor)
    assert "sudah terdaftar di kantor ini" in ask(client, own).content.decode()
    assert "sudah dipakai di kantor ini" in ask(client, held, number=own.client.register_number).content.decode()
    assert ask(client, held).status_code == 302
    third = UserFactory(role=Role.SUPERVISOR, office=SupervisionFactory().office)
    assert "menunggu keputusan" in ask(login(third), held).content.decode()
    assert ClientTransfer.objects.count() == 1


@pytest.mark.django_db
def test_only_a_kasi_asks_and_only_the_two_offices_see_the_request(login, pk, head, supervisor, held, holder_kasi):
    for user in (pk, head):
        assert login(user).post(reverse("clients:transfer_request"), {"nik": held.client.nik, "register_number": "X",
                                                                      "reason": "x"}).status_code == 403
    assert login(pk).get(reverse("clients:transfers")).status_code == 403
    transfer = requested(supervisor, held)
    stranger = UserFactory(role=Role.SUPERVISOR, office=SupervisionFactory().office)
    assert login(stranger).get(detail(transfer)).status_code == 404
    assert login(stranger).post(detail(transfer), {"accept": "1"}).status_code == 404
    assert "transfer-row" not in login(stranger).get(reverse("clients:transfers")).content.decode()
    # The asking office follows it but does not decide; the holding office's Kabapas reads it only.
    assert login(supervisor).post(detail(transfer), {"accept": "1"}).status_code == 403
    holder_head = UserFactory(role=Role.HEAD, office=held.office)
    assert login(holder_head).get(detail(transfer)).status_code == 200
    assert login(holder_head).post(detail(transfer), {"accept": "1"}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.REQUESTED


@pytest.mark.django_db
def test_the_holding_kasi_is_told_and_accepting_moves_the_file(login, supervisor, held, holder_kasi):
    programme = Programme.objects.create(office=held.office, name="Konseling", programme_type="konseling", planned_sessions=4)
    enrolment = Enrolment.objects.create(programme=programme, supervision=held, referral_date=TODAY(), created_by=holder_kasi)
    follow_up = FollowUp.objects.create(supervision=held, office=held.office, anchor=FollowUpAnchor.SUPERVISION_END, offset_months=3,
                                        due_date=TODAY() + datetime.timedelta(days=30))
    transfer = requested(supervisor, held)
    # Makassar's Kasi hears of it: on Hari ini, and in the bell at the sweep.
    assert [due.url for due in due_for(holder_kasi)["client_transfer_requested"]] == [detail(transfer)]
    sweep()
    assert Notification.objects.filter(recipient=holder_kasi, kind="client_transfer_requested").exists()
    client = login(holder_kasi)
    listed = client.get(reverse("clients:transfers")).content.decode()
    assert "Andi Saputra" in listed and "Putuskan" in listed
    page = client.get(detail(transfer)).content.decode()
    assert 'data-testid="transfer-running"' in page and "Andi Saputra" in page
    assert AuditEntry.objects.filter(action="record.view", actor=holder_kasi, detail__client=held.client_id).exists()

    response = client.post(detail(transfer), {"accept": "1", "note": "Berkas fisik dikirim dengan surat."})

    assert response.status_code == 302
    moved = Client.objects.get(pk=held.client_id)
    assert (moved.office, moved.register_number) == (supervisor.office, "PLG-2026-0101")
    held.refresh_from_db()
    assert (held.closed_on, held.closure_reason, held.office) == (TODAY(), ClosureReason.TRANSFERRED, transfer.from_office)
    # Guidance goes on in Palembang: no follow-up after this supervision's end, and Makassar's open work ends.
    assert not FollowUp.objects.filter(supervision=held, done_on__isnull=True).exists()
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.CANCELLED and "Palembang" in enrolment.status_reason
    assert moved.history.first().history_change_reason == "Dipindahkan ke Bapas Kelas I Palembang"
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by, transfer.decision_note) == (
        TransferStatus.ACCEPTED, holder_kasi, "Berkas fisik dikirim dengan surat.")
    entry = AuditEntry.objects.get(action="client_transfer.accept")
    assert entry.office == held.office and (entry.detail["supervision_ended"], entry.detail["enrolments_cancelled"],
                                            entry.detail["follow_ups_removed"]) == (held.pk, [enrolment.pk], [follow_up.pk])
    # The file is Palembang's now: Makassar no longer opens it; Palembang's Kasi does, and opens the supervision.
    assert client.get(reverse("clients:detail", args=[moved.pk])).status_code == 404
    palembang = login(supervisor)
    assert palembang.get(reverse("clients:detail", args=[moved.pk])).status_code == 200
    answered = palembang.get(detail(transfer)).content.decode()
    assert reverse("clients:supervision_create", args=[moved.pk]) in answered
    assert [(due.title, due.object_id) for due in due_for(supervisor)["client_transfer_accepted"]] == [
        ("Pemindahan Andi Saputra dari Bapas Kelas I Makassar diterima: buka pembimbingannya", moved.pk)]
    # Settled for Makassar's Kasi: nothing left to decide.
    assert due_for(holder_kasi)["client_transfer_requested"] == []
    # Makassar cannot undo it by reopening its supervision, nor Palembang delete the client with it.
    client = login(holder_kasi)
    reopened = client.post(reverse("clients:supervision_reopen", args=[held.pk]), {"reason": "Salah", "expected_version": held.version})
    assert reopened.status_code == 200 and "sudah dipindahkan ke Bapas lain" in reopened.content.decode()
    assert Supervision.objects.get(pk=held.pk).closed_on == TODAY()
    deleting = login(supervisor).get(reverse("clients:delete", args=[moved.pk])).content.decode()
    assert "1 pembimbingan di Bapas lain" in deleting and 'name="reason"' not in deleting
    # Decided once.
    client = login(holder_kasi)
    assert client.post(detail(transfer), {"accept": "0", "note": "x"}).status_code == 403


@pytest.mark.django_db
def test_refusing_needs_a_reason_and_moves_nothing(login, supervisor, held, holder_kasi):
    transfer = requested(supervisor, held)
    client = login(holder_kasi)
    response = client.post(detail(transfer), {"accept": "0", "note": " "})
    assert response.status_code == 200 and response.context["form"].errors["note"]
    assert client.post(detail(transfer), {"accept": "0", "note": "Klien masih tinggal di Makassar."}).status_code == 302
    transfer.refresh_from_db()
    held.refresh_from_db()
    assert transfer.status == TransferStatus.REFUSED and held.closed_on is None
    assert Client.objects.get(pk=held.client_id).office == held.office
    assert [due.title for due in due_for(supervisor)["client_transfer_refused"]] == [
        "Pemindahan klien register PLG-2026-0101 ditolak Bapas Kelas I Makassar"]
    # Answered, it may be asked again.
    assert ask(login(supervisor), held, reason="Putusan baru PN Palembang").status_code == 302


@pytest.mark.django_db
def test_a_revocation_under_way_is_finished_where_it_began(login, supervisor, held, holder_kasi):
    violation = ViolationFactory(supervision=held)
    Revocation.objects.create(supervision=held, violation=violation, stage=RevocationStage.REPORTED, report_date=TODAY(),
                              report_number="BA-1", created_by=holder_kasi)
    transfer = requested(supervisor, held)
    client = login(holder_kasi)
    page = client.get(detail(transfer)).content.decode()
    assert 'data-testid="delete-refused"' in page and "pencabutan" in page
    response = client.post(detail(transfer), {"accept": "1", "note": ""})
    assert response.status_code == 200 and "pencabutan" in response.content.decode()
    assert Client.objects.get(pk=held.client_id).office == held.office
    assert Supervision.objects.get(pk=held.pk).closed_on is None


@pytest.mark.django_db
def test_a_register_number_taken_meanwhile_is_refused_at_acceptance(login, supervisor, office, held, holder_kasi):
    transfer = requested(supervisor, held)
    SupervisionFactory(client__office=office, client__register_number="PLG-2026-0101")
    response = login(holder_kasi).post(detail(transfer), {"accept": "1", "note": ""})
    assert response.status_code == 200 and "sudah dipakai" in response.content.decode()
    assert Client.objects.get(pk=held.client_id).office == held.office


@pytest.mark.django_db
@pytest.mark.parametrize(("reason", "scheduled"), [
    (ClosureReason.COMPLETED, True), (ClosureReason.TRANSFERRED, False), (ClosureReason.DIED, False)])
def test_follow_ups_after_the_end_only_when_guidance_ended_here(supervisor, held, reason, scheduled):
    """Moved to another Bapas, the client is still under guidance there; after death there is no one to follow up."""
    from clients.services import supervision_close

    supervision_close(by=supervisor, supervision=held, closed_on=TODAY(), reason=reason)
    assert FollowUp.objects.filter(supervision=held).exists() is scheduled


@pytest.mark.django_db
def test_the_transfer_list_costs_the_same_however_many_requests(login, supervisor, office, holder_kasi):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("clients:transfers")).status_code == 200
        return len(queries)

    def asked(n):
        for _ in range(n):
            requested(supervisor, SupervisionFactory(client__office=holder_kasi.office))
            ClientTransfer.objects.filter(status=TransferStatus.REQUESTED).update(status=TransferStatus.REFUSED)

    asked(1)
    few = count()
    asked(12)
    # Some asked of this office too, which the list shows by the client's name.
    for _ in range(3):
        ClientTransfer.objects.create(client=SupervisionFactory(client__office=office).client, from_office=office,
                                      to_office=holder_kasi.office, register_number="M-1", reason="Pindah", requested_by=holder_kasi)
    assert count() == few


@pytest.mark.django_db
def test_the_receiving_office_opens_the_supervision_under_the_decree_it_came_with(login, supervisor, pk, held, holder_kasi):
    from clients.transfers import transfer_decide

    transfer_decide(by=holder_kasi, transfer=requested(supervisor, held), accept=True, note="")
    client = login(supervisor)
    url = reverse("clients:supervision_create", args=[held.client_id])
    page = client.get(url)
    assert 'data-testid="continued-from"' in page.content.decode() and held.decree_number in page.content.decode()
    form = page.context["form"]
    assert {field: form[field].value() for field in ("legal_basis", "decree_number", "end_date", "start_date")} == {
        "legal_basis": "PB", "decree_number": held.decree_number, "end_date": held.end_date, "start_date": TODAY()}
    category = form["offence_category"].value()
    assert category is not None and form.fields["offence_category"].queryset.get(pk=category).name == held.offence_category.name

    data = {name: ("" if value is None else value) for name, value in
            ((field.name, field.value()) for field in form) if name != "officer"}
    data["officer"] = pk.pk
    assert client.post(url, data).status_code == 302
    opened = Supervision.objects.get(client_id=held.client_id, office=supervisor.office)
    assert ClientTransfer.objects.get().opened_supervision == opened
    assert due_for(supervisor)["client_transfer_accepted"] == []  # the Kasi's to-do is done
    assert (opened.decree_number, opened.start_date, opened.end_date, opened.officer) == (held.decree_number, TODAY(), held.end_date, pk)
    # Opened: the next supervision here is a new one.
    Supervision.objects.filter(pk=opened.pk).update(closed_on=TODAY(), closure_reason="completed")
    assert 'data-testid="continued-from"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_asking_kasi_withdraws_a_request_still_waiting(login, supervisor, head, held, holder_kasi):
    transfer = requested(supervisor, held)
    withdraw = reverse("clients:transfer_withdraw", args=[transfer.pk])
    assert withdraw in login(supervisor).get(detail(transfer)).content.decode()
    assert withdraw not in login(holder_kasi).get(detail(transfer)).content.decode()
    for user in (holder_kasi, head):  # the holding office answers it; the asking office's Kabapas reads it
        assert login(user).post(withdraw).status_code == 403
    assert login(supervisor).get(withdraw).status_code == 405

    assert login(supervisor).post(withdraw).status_code == 302

    transfer.refresh_from_db()
    assert (transfer.status, transfer.decided_by) == (TransferStatus.WITHDRAWN, supervisor)
    assert AuditEntry.objects.get(action="client_transfer.withdraw").office == supervisor.office
    # Nothing left for the holding Kasi to decide, nothing to tell the asking one; it may be asked again.
    assert due_for(holder_kasi)["client_transfer_requested"] == []
    assert due_for(supervisor)["client_transfer_refused"] == due_for(supervisor)["client_transfer_accepted"] == []
    assert login(holder_kasi).post(detail(transfer), {"accept": "1", "note": ""}).status_code == 403
    assert Client.objects.get(pk=held.client_id).office == held.office
    assert ask(login(supervisor), held).status_code == 302


@pytest.mark.django_db
def test_the_clients_page_at_the_holding_office_says_a_transfer_is_asked_for(login, supervisor, held, holder_kasi):
    page_url = reverse("clients:detail", args=[held.client_id])
    assert 'data-testid="transfer-pending"' not in login(held.officer).get(page_url).content.decode()
    transfer = requested(supervisor, held)
    for_pk = login(held.officer).get(page_url).content.decode()
    assert 'data-testid="transfer-pending"' in for_pk and detail(transfer) not in for_pk
    assert detail(transfer) in login(holder_kasi).get(page_url).content.decode()
