import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Litmas

pytestmark = pytest.mark.django_db(transaction=True)


def test_litmas_from_request_to_tpp_approval(live_server, page, browser, sign_in, pk, supervisor, client_record, screenshot):
    """The Kasi registers a Litmas from the client's page, the PK writes and submits it (confirming),
    the Kasi records the sidang TPP's approval, and the register lists it approved."""
    sign_in(supervisor)
    page.goto(live_server.url + reverse("clients:detail", args=[client_record.pk]))
    page.get_by_test_id("litmas-new").click()
    page.select_option("#id_kind", "pb")
    page.select_option("#id_officer", str(pk.pk))
    page.fill("#id_requested_by", "Lapas Kelas I Palembang")
    page.fill("#id_due_on", "2000-01-01")  # before the request: refused, nothing registered
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_text("sesudah tanggal permintaan").first).to_be_visible()
    assert not Litmas.objects.exists()
    page.fill("#id_due_on", page.input_value("#id_requested_on"))
    page.get_by_role("button", name="Daftarkan").click()
    expect(page.get_by_text("Litmas dicatat di register dengan nomor")).to_be_visible()
    litmas = Litmas.objects.get()

    writer = sign_in(pk, target=browser.new_page())
    writer.goto(live_server.url + reverse("bapas:today"))
    writer.get_by_role("link", name="Tulis Litmas").click()  # due today: on the PK's list
    expect(writer.get_by_test_id("litmas-missing")).to_contain_text("kesimpulan")
    writer.fill("#id_client_history", "Lahir di Palembang, anak kedua.")
    writer.fill("#id_family", "Tinggal bersama istri dan dua anak.")
    writer.fill("#id_offence", "Pencurian sepeda motor.")
    writer.fill("#id_conclusion", "Keluarga siap menjamin.")
    writer.fill("#id_recommendation", "Dapat diberikan Pembebasan Bersyarat.")
    writer.once("dialog", lambda dialog: dialog.dismiss())  # the confirmation, declined: still a draft
    writer.get_by_role("button", name="Simpan dan ajukan ke sidang TPP").click()
    expect(writer.get_by_test_id("litmas-status")).to_have_text("Draf")
    writer.once("dialog", lambda dialog: dialog.accept())
    writer.get_by_role("button", name="Simpan dan ajukan ke sidang TPP").click()
    expect(writer.get_by_test_id("litmas-status")).to_have_text("Menunggu sidang TPP")
    screenshot(writer, "litmas-submitted")

    page.goto(live_server.url + reverse("litmas:detail", args=[litmas.pk]))
    decision = page.get_by_test_id("litmas-decision")
    screenshot(page, "litmas-decision")
    decision.locator("#id_tpp_number").fill("TPP/07/XI/2026")
    decision.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Persetujuan TPP dicatat.")).to_be_visible()
    expect(page.get_by_test_id("litmas-status")).to_have_text("Disetujui TPP")
    page.goto(live_server.url + reverse("litmas:list"))
    expect(page.get_by_role("row").filter(has_text=litmas.register_number)).to_contain_text("Disetujui TPP")
    screenshot(page, "litmas-register")
