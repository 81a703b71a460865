"""The Litmas register: a request numbered in the office's register, written by its PK, submitted
with the client's assessment results, decided at the sidang TPP, printed — with access rules,
reminders and query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Litmas, LitmasStatus
from bapas.models import AuditEntry, Role
from bapas.reminders import due_for, sweep
from tests.assessments.helpers import form_data, rri_version
from tests.factories import ClientFactory, SupervisionFactory, UserFactory

from .helpers import RRI, answers_reaching

TODAY = timezone.localdate
WRITTEN = {
    "client_history": "Lahir di Palembang, anak kedua dari empat bersaudara.",
    "family": "Tinggal bersama istri dan dua anak.",
    "offence": "Pencurian sepeda motor pada 2024.",
    "conclusion": "Klien menyesali perbuatannya dan keluarga siap menjamin.",
    "recommendation": "Dapat diberikan Pembebasan Bersyarat.",
}


def request_data(officer, supervision=None, **changes):
    data = {"kind": "pb", "supervision": supervision.pk if supervision else "", "officer": officer.pk,
            "requested_by": "Lapas Kelas I Palembang", "request_letter": "W6.PAS.12/2026",
            "requested_on": TODAY().isoformat(), "due_on": (TODAY() + datetime.timedelta(days=14)).isoformat()}
    data.update(changes)
    return data


def register(login, user, client, officer, **changes):
    return login(user).post(reverse("litmas:create", args=[client.pk]), request_data(officer, **changes))


def sections(row_version, action="save", **changes):
    return {**WRITTEN, "row_version": row_version, "action": action, **changes}


@pytest.fixture
def litmas(login, supervisor, pk, client_record, supervision):
    register(login, supervisor, client_record, pk, supervision=supervision)
    return Litmas.objects.get()


def submitted(login, pk, litmas):
    login(pk).post(reverse("litmas:detail", args=[litmas.pk]), sections(litmas.row_version, action="submit"))
    litmas.refresh_from_db()
    assert litmas.status == LitmasStatus.SUBMITTED
    return litmas


# ---------------------------------------------------------------- the register

@pytest.mark.django_db
def test_supervisor_registers_litmas_under_the_next_number_of_the_office(login, supervisor, pk, client_record, supervision, other_office):
    response = register(login, supervisor, client_record, pk, supervision=supervision)
    first = Litmas.objects.get()
    assert response["Location"] == reverse("litmas:detail", args=[first.pk])
    year = TODAY().year
    assert (first.number, first.register_number, first.officer, first.status) == (1, f"0001/LITMAS/PLG/{year}", pk, "draft")
    # The office's own format applies to what is registered after it changes; each office counts on its own.
    supervisor.office.litmas_number_format = "W6.PAS.{kantor}-PK.01.05.02-{nomor}/{tahun}"
    supervisor.office.save()
    register(login, supervisor, client_record, pk)
    other_client = ClientFactory(office=other_office)
    other_supervisor = UserFactory(office=other_office, role=Role.SUPERVISOR)
    other_pk = UserFactory(office=other_office, role=Role.PK)
    register(login, other_supervisor, other_client, other_pk)
    assert list(Litmas.objects.filter(office=supervisor.office).values_list("number", "register_number").order_by("number")) == [
        (1, f"0001/LITMAS/PLG/{year}"), (2, f"W6.PAS.PLG-PK.01.05.02-0002/{year}")]
    assert Litmas.objects.get(office=other_office).number == 1
    entry = AuditEntry.objects.get(action="litmas.register", object_id=str(first.pk))
    assert entry.client_pk == client_record.pk and entry.actor == supervisor


@pytest.mark.django_db
def test_registration_refuses_dates_out_of_order_and_a_pk_of_another_office(login, supervisor, pk, client_record, outsider):
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = register(login, supervisor, client_record, pk, due_on=(TODAY() - datetime.timedelta(days=1)).isoformat())
    assert response.status_code == 200 and "sesudah tanggal permintaan" in response.content.decode()
    response = register(login, supervisor, client_record, pk, requested_on=tomorrow, due_on=tomorrow)
    assert "tidak boleh di masa depan" in response.content.decode()
    response = register(login, supervisor, client_record, outsider)
    assert response.context["form"].errors["officer"]
    other_clients_supervision = SupervisionFactory(client__office=pk.office, officer=pk)
    response = register(login, supervisor, client_record, pk, supervision=other_clients_supervision)
    assert response.context["form"].errors["supervision"]
    assert not Litmas.objects.exists()


@pytest.mark.django_db
def test_the_kasi_sees_each_pks_load_when_choosing_who_writes(login, supervisor, pk, pk2, litmas, client_record):
    page = login(supervisor).get(reverse("litmas:create", args=[client_record.pk])).content.decode()
    assert f"{pk} — beban" in page and "1 Litmas disusun" in page and "0 Litmas disusun" in page


@pytest.mark.django_db
def test_a_pk_registers_only_their_own_litmas(login, pk, pk2, client_record):
    form = login(pk).get(reverse("litmas:create", args=[client_record.pk])).context["form"]
    assert list(form.fields["officer"].queryset) == [pk] and form["officer"].value() == pk.pk
    assert register(login, pk, client_record, pk2).context["form"].errors["officer"]
    register(login, pk, client_record, pk)
    assert Litmas.objects.get().officer == pk


@pytest.mark.django_db
def test_head_and_admin_read_but_cannot_register(login, head, admin_user, pk, client_record):
    for reader in (head, admin_user):
        assert login(reader).get(reverse("litmas:create", args=[client_record.pk])).status_code == 403
        assert register(login, reader, client_record, pk).status_code == 403
    assert not Litmas.objects.exists()


# ---------------------------------------------------------------- writing and submitting

@pytest.mark.django_db
def test_pk_writes_a_draft_and_a_stale_form_keeps_the_text(login, pk, supervisor, litmas):
    url = reverse("litmas:detail", args=[litmas.pk])
    response = login(pk).post(url, sections(1, family="Tinggal bersama ibu."))
    assert response.status_code == 302
    litmas.refresh_from_db()
    assert litmas.family == "Tinggal bersama ibu." and litmas.row_version == 2 and litmas.status == "draft"
    stale = login(supervisor).post(url, sections(1, family="Versi Kasi"))
    assert stale.status_code == 409 and "Versi Kasi" in stale.content.decode()
    litmas.refresh_from_db()
    assert litmas.family == "Tinggal bersama ibu."
    assert AuditEntry.objects.filter(action="litmas.edit", actor=pk).exists()


@pytest.mark.django_db
def test_submission_needs_the_required_parts_and_keeps_the_draft(login, pk, litmas):
    url = reverse("litmas:detail", args=[litmas.pk])
    response = login(pk).post(url, sections(1, action="submit", offence="", conclusion=""), follow=True)
    litmas.refresh_from_db()
    assert litmas.status == "draft" and litmas.family == WRITTEN["family"]  # the draft is saved
    page = response.content.decode()
    assert "belum dapat diajukan" in page and "latar belakang dan kronologi tindak pidana" in page and "kesimpulan" in page
    login(pk).post(url, sections(litmas.row_version, action="submit"))
    litmas.refresh_from_db()
    assert litmas.status == "submitted" and litmas.submitted_at is not None
    # Submitted, the report is no longer the PK's to change.
    login(pk).post(url, sections(litmas.row_version, family="Diubah sesudah diajukan"))
    litmas.refresh_from_db()
    assert litmas.family == WRITTEN["family"]


@pytest.mark.django_db
def test_submission_freezes_the_assessment_results_the_tpp_reads(login, pk, litmas, supervision):
    client = login(pk)
    client.post(reverse("assessments:start", args=[supervision.pk]), {"version": rri_version().pk, "kind": "initial"})
    assessment = Assessment.objects.get()
    client.post(reverse("assessments:edit", args=[assessment.pk]), form_data(RRI, answers_reaching(RRI, 13), 1, action="finalise"))
    page = client.get(reverse("litmas:detail", args=[litmas.pk])).content.decode()
    assert "Tinggi" in page
    litmas = submitted(login, pk, litmas)
    assert [(r["instrument"], r["level"], r["total"]) for r in litmas.assessment_summary] == [("RRI", "Tinggi", 13)]
    # A later reassessment does not change what the submitted report says.
    Assessment.objects.update(final_level="Sedang", total=8)
    assert "Tinggi" in client.get(reverse("litmas:print", args=[litmas.pk]), {"format": "html"}).content.decode()


# ---------------------------------------------------------------- the TPP's decision

@pytest.mark.django_db
def test_supervisor_records_the_tpp_approval(login, pk, supervisor, litmas):
    litmas = submitted(login, pk, litmas)
    url = reverse("litmas:decide", args=[litmas.pk])
    base = {"row_version": litmas.row_version, "decision": "approve", "tpp_number": "TPP/11/2026"}
    assert login(pk).post(url, {**base, "tpp_date": TODAY().isoformat()}).status_code == 403
    login(supervisor).post(url, {**base, "tpp_date": ""})
    future = (TODAY() + datetime.timedelta(days=2)).isoformat()
    response = login(supervisor).post(url, {**base, "tpp_date": future}, follow=True)
    assert "tidak boleh di masa depan" in response.content.decode()
    litmas.refresh_from_db()
    assert litmas.status == "submitted"
    login(supervisor).post(url, {**base, "tpp_date": TODAY().isoformat()})
    litmas.refresh_from_db()
    assert (litmas.status, litmas.tpp_number, litmas.decided_by) == ("approved", "TPP/11/2026", supervisor)
    assert AuditEntry.objects.filter(action="litmas.approve", detail__tpp_number="TPP/11/2026").exists()
    page = login(pk).get(reverse("litmas:detail", args=[litmas.pk])).content.decode()
    assert "Disetujui sidang TPP" in page and "Simpan draf" not in page


@pytest.mark.django_db
def test_tpp_returns_the_litmas_with_a_note_and_the_pk_writes_again(login, pk, supervisor, litmas):
    litmas = submitted(login, pk, litmas)
    url = reverse("litmas:decide", args=[litmas.pk])
    login(supervisor).post(url, {"row_version": litmas.row_version, "decision": "return", "note": ""})
    litmas.refresh_from_db()
    assert litmas.status == "submitted"  # a return says what the panel wants
    login(supervisor).post(url, {"row_version": litmas.row_version, "decision": "return", "note": "Lengkapi tanggapan korban."})
    litmas.refresh_from_db()
    assert litmas.status == "draft" and litmas.return_note == "Lengkapi tanggapan korban."
    page = login(pk).get(reverse("litmas:detail", args=[litmas.pk])).content.decode()
    assert "Lengkapi tanggapan korban." in page and "Simpan draf" in page


@pytest.mark.django_db
def test_a_stale_decision_is_refused(login, pk, supervisor, litmas):
    litmas = submitted(login, pk, litmas)
    response = login(supervisor).post(reverse("litmas:decide", args=[litmas.pk]), {
        "row_version": litmas.row_version - 1, "decision": "approve", "tpp_date": TODAY().isoformat(), "tpp_number": "1"}, follow=True)
    assert "sudah diubah oleh pengguna lain" in response.content.decode()
    litmas.refresh_from_db()
    assert litmas.status == "submitted"


@pytest.mark.django_db
def test_cancelling_keeps_the_number_in_the_register(login, supervisor, pk, litmas, client_record):
    url = reverse("litmas:decide", args=[litmas.pk])
    login(supervisor).post(url, {"row_version": litmas.row_version, "decision": "cancel", "reason": ""})
    litmas.refresh_from_db()
    assert litmas.status == "draft"
    login(supervisor).post(url, {"row_version": litmas.row_version, "decision": "cancel", "reason": "Permintaan ditarik Lapas"})
    litmas.refresh_from_db()
    assert litmas.status == "cancelled" and litmas.cancel_reason == "Permintaan ditarik Lapas"
    register(login, supervisor, client_record, pk)
    assert Litmas.objects.order_by("-number").first().number == 2
    listed = login(supervisor).get(reverse("litmas:list"), {"status": "cancelled"}).context["page"].object_list
    assert [row.pk for row in listed] == [litmas.pk]


@pytest.mark.django_db
def test_supervisor_hands_the_litmas_to_another_pk(login, supervisor, pk, pk2, litmas):
    url = reverse("litmas:request_edit", args=[litmas.pk])
    assert login(pk).get(url).status_code == 403
    data = request_data(pk2, due_on=(TODAY() + datetime.timedelta(days=30)).isoformat(), row_version=litmas.row_version)
    assert login(supervisor).post(url, data).status_code == 302
    litmas.refresh_from_db()
    assert litmas.officer == pk2 and litmas.number == 1
    assert login(supervisor).post(url, {**data, "row_version": 1}).status_code == 409
    # The new PK sees it (not the client's file) and writes it; the old one no longer does.
    assert login(pk2).get(reverse("litmas:detail", args=[litmas.pk])).status_code == 200
    assert login(pk2).get(reverse("clients:detail", args=[litmas.client_id])).status_code == 404
    login(pk2).post(reverse("litmas:detail", args=[litmas.pk]), sections(litmas.row_version))
    litmas.refresh_from_db()
    assert litmas.family == WRITTEN["family"]


# ---------------------------------------------------------------- access

@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
def test_outsiders_get_404_on_every_litmas_page(login, request, litmas, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("litmas:detail", args=[litmas.pk])).status_code == 404
    assert client.post(reverse("litmas:detail", args=[litmas.pk]), sections(1)).status_code == 404
    assert client.get(reverse("litmas:print", args=[litmas.pk])).status_code == 404
    assert client.get(reverse("litmas:request_edit", args=[litmas.pk])).status_code == 404
    assert client.post(reverse("litmas:decide", args=[litmas.pk]),
                       {"decision": "cancel", "reason": "x", "row_version": 1}).status_code == 404
    assert client.get(reverse("litmas:create", args=[litmas.client_id])).status_code == 404
    assert litmas.pk not in [row.pk for row in client.get(reverse("litmas:list")).context["page"].object_list]
    litmas.refresh_from_db()
    assert litmas.status == "draft" and litmas.family == ""


@pytest.mark.django_db
def test_head_reads_the_litmas_and_sees_the_nik_masked_in_print(login, head, litmas, client_record):
    assert login(head).get(reverse("litmas:detail", args=[litmas.pk])).status_code == 200
    login(head).post(reverse("litmas:detail", args=[litmas.pk]), sections(1))
    litmas.refresh_from_db()
    assert litmas.family == ""
    printed = login(head).get(reverse("litmas:print", args=[litmas.pk]), {"format": "html"}).content.decode()
    assert client_record.nik not in printed and client_record.masked_nik in printed
    assert AuditEntry.objects.filter(action="litmas.view", actor=head).exists()


@pytest.mark.django_db
def test_print_is_a_pdf_and_is_audited(login, pk, litmas):
    response = login(pk).get(reverse("litmas:print", args=[litmas.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="litmas.print", actor=pk, client_pk=litmas.client_id).exists()


# ---------------------------------------------------------------- the list, the client's file, reminders

@pytest.mark.django_db
def test_register_list_filters_and_a_pk_sees_their_own(login, supervisor, pk, pk2, client_record):
    other = ClientFactory(office=pk.office, full_name="Budi Santoso")
    register(login, supervisor, client_record, pk)
    register(login, supervisor, other, pk2, due_on=TODAY().isoformat())
    Litmas.objects.filter(officer=pk2).update(due_on=TODAY() - datetime.timedelta(days=1),
                                              requested_on=TODAY() - datetime.timedelta(days=5))
    listed = lambda user, **params: [row.officer for row in login(user).get(reverse("litmas:list"), params).context["page"].object_list]  # noqa: E731
    assert listed(supervisor) == [pk2, pk]
    assert listed(supervisor, overdue="true") == [pk2]
    assert listed(supervisor, q="budi") == [pk2]
    assert listed(supervisor, officer=pk.pk) == [pk]
    assert listed(pk) == [pk]
    assert listed(supervisor, year="abc") == []  # an invalid filter shows nothing, not everything
    assert "Tidak ada Litmas yang cocok" in login(supervisor).get(reverse("litmas:list"), {"q": "tidak-ada"}).content.decode()


@pytest.mark.django_db
def test_register_exports_as_filtered_and_the_export_is_audited(login, supervisor, pk, pk2, client_record):
    import csv
    import io

    register(login, supervisor, client_record, pk)
    register(login, supervisor, ClientFactory(office=pk.office, full_name="Budi Santoso"), pk2)
    response = login(supervisor).get(reverse("litmas:list"), {"officer": pk2.pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "register_number" and len(rows) == 2 and rows[1][4] == "Budi Santoso"
    assert rows[1][11] == "Draf"
    entry = AuditEntry.objects.get(action="litmas.export")
    assert entry.actor == supervisor and entry.detail["filters"]["officer"] == str(pk2)
    # A PK's export holds only what their register shows.
    mine = login(pk).get(reverse("litmas:list"), {"format": "csv"})
    assert len(list(csv.reader(io.StringIO(b"".join(mine.streaming_content).decode("utf-8-sig"))))) == 2


@pytest.mark.django_db
def test_register_list_query_count_does_not_grow(login, supervisor, pk, client_record):
    def count():
        client = login(supervisor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("litmas:list")).status_code == 200
        return len(captured)

    register(login, supervisor, client_record, pk)
    few = count()
    for _ in range(30):
        register(login, supervisor, ClientFactory(office=pk.office), pk)
    assert count() == few


@pytest.mark.django_db
def test_the_clients_litmas_panel_costs_the_same_for_one_or_five(login, supervisor, pk, client_record):
    """The panel reads only what it lists, not the report's text: a field it left out would cost a query a row."""
    def count():
        client = login(pk)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("clients:detail", args=[client_record.pk])).content.decode()
        assert all(row.register_number in page for row in Litmas.objects.all())
        return len(captured)

    register(login, supervisor, client_record, pk)
    few = count()
    for _ in range(4):
        register(login, supervisor, client_record, pk)
    assert count() == few


@pytest.mark.django_db
def test_client_page_timeline_and_history_show_the_litmas(login, pk, supervisor, litmas, client_record):
    page = login(pk).get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert litmas.register_number in page and "Daftarkan Litmas" in page
    timeline = login(pk).get(reverse("clients:timeline", args=[client_record.pk])).content.decode()
    assert f"Litmas {litmas.register_number} diminta" in timeline
    login(pk).post(reverse("litmas:detail", args=[litmas.pk]), sections(litmas.row_version))
    history = login(supervisor).get(reverse("clients:history", args=[client_record.pk])).content.decode()
    assert f"Litmas {litmas.register_number}" in history and WRITTEN["family"] in history


@pytest.mark.django_db
def test_a_litmas_to_write_reaches_its_pk_until_submitted(login, pk, pk2, supervisor, litmas):
    def kinds(user):
        return {kind for kind, items in due_for(user).items() if items}

    assert "litmas_due" in kinds(pk) and "litmas_due" not in kinds(pk2)  # from the day it is given, deadline or not
    assert sweep()["by_kind"]["litmas_due"] == 1
    litmas.refresh_from_db()
    submitted(login, pk, litmas)
    assert "litmas_due" not in kinds(pk) and "litmas_awaiting_tpp" in kinds(supervisor)
    today = login(supervisor).get(reverse("bapas:today")).content.decode()
    assert litmas.register_number in today


@pytest.mark.django_db
def test_admin_cannot_deactivate_a_pk_still_writing_a_litmas(login, admin_user, pk, litmas):
    from clients.models import Supervision

    Supervision.objects.update(officer=UserFactory(office=pk.office, role=Role.PK))  # no cases left, only the Litmas
    data = {"username": pk.username, "first_name": pk.first_name, "last_name": "", "email": "", "role": "pk",
            "nip": "", "jabatan": "", "pangkat": "", "is_active": ""}
    response = login(admin_user).post(reverse("bapas:user_edit", args=[pk.pk]), data)
    assert "masih menyusun 1 Litmas" in response.content.decode()
    pk.refresh_from_db()
    assert pk.is_active


@pytest.mark.django_db
def test_office_form_checks_the_register_number_format(login, admin_user, office):
    from bapas.forms import OfficeForm

    base = {"name": office.name, "office_class": "I", "city": "Palembang", "time_zone": "Asia/Jakarta", "reporting_grace_days": 3,
            "agreement_clauses": office.agreement_clauses}
    assert not OfficeForm({**base, "litmas_number_format": "{nomor}/{bulan}"}, instance=office).is_valid()
    assert not OfficeForm({**base, "litmas_number_format": "LITMAS/{tahun}"}, instance=office).is_valid()
    without_year = OfficeForm({**base, "litmas_number_format": "{nomor}/LITMAS/{kantor}"}, instance=office)
    assert not without_year.is_valid() and "dimulai lagi setiap tahun" in str(without_year.errors)
    assert OfficeForm({**base, "litmas_number_format": "{kantor}-{nomor}/{tahun}"}, instance=office).is_valid()
