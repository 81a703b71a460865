"""A client of Bapas Makassar moves to Palembang. Palembang's Kasi tries to register him, is told the NIK
is registered at another Bapas, and asks for the file from there; Makassar's Kasi finds the request on
Hari ini and accepts it, after being asked; Palembang's Kasi then finds the client, and opens the
supervision from Hari ini, its form filled in from the decree the file came with."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Client, TransferStatus
from tests.e2e.conftest import log_in
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_client_file_moves_from_one_office_to_another(live_server, page, sign_in, supervisor, outsider_supervisor, new_context,
                                                       screenshot):
    today = timezone.localdate()
    held = SupervisionFactory(client__office=outsider_supervisor.office, client__full_name="Andi Saputra",
                              start_date=today - datetime.timedelta(days=60), end_date=today + datetime.timedelta(days=300))
    nik = held.client.nik

    sign_in(supervisor)  # Palembang's Kasi
    page.goto(live_server.url + reverse("clients:create"))
    page.fill("#id_client-nik", nik)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("registered-elsewhere")).to_be_visible()
    page.get_by_role("link", name="Ajukan pemindahan klien").click()
    expect(page.locator("#id_nik")).to_have_value(nik)
    page.fill("#id_register_number", "PLG-2026-0101")
    page.fill("#id_reason", "Klien pindah domisili ke Palembang.")
    screenshot(page, "request")
    page.get_by_role("button", name="Kirim permintaan").click()
    expect(page.get_by_text("Permintaan pemindahan dikirim ke Bapas Kelas I Makassar.")).to_be_visible()
    expect(page.get_by_test_id("transfer-summary")).to_contain_text("Menunggu keputusan")
    expect(page.get_by_test_id("transfer-summary")).not_to_contain_text("Andi Saputra")

    makassar = log_in(new_context().new_page(), live_server.url, outsider_supervisor)
    makassar.goto(live_server.url + reverse("bapas:today"))
    item = makassar.get_by_test_id("today-item").filter(has_text="Permintaan pemindahan Andi Saputra")
    item.get_by_role("link", name="Putuskan").click()
    expect(makassar.get_by_test_id("transfer-running")).to_contain_text("Pembebasan Bersyarat")
    makassar.get_by_label("Terima: berkas klien dipindahkan").check()
    makassar.fill("#id_note", "Berkas fisik dikirim dengan surat.")
    screenshot(makassar, "decide")
    makassar.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing moves
    makassar.get_by_role("button", name="Simpan keputusan").click()
    expect(makassar.get_by_test_id("transfer-running")).to_be_visible()
    assert Client.objects.get(pk=held.client_id).office_id == outsider_supervisor.office_id
    makassar.once("dialog", lambda dialog: dialog.accept())
    makassar.get_by_role("button", name="Simpan keputusan").click()
    expect(makassar.get_by_text("Berkas klien dipindahkan ke Bapas Kelas I Palembang.")).to_be_visible()
    expect(makassar.get_by_test_id("transfer-row")).to_contain_text("Diterima")

    page.goto(live_server.url + reverse("clients:list"))
    page.get_by_role("link", name="Pemindahan klien").click()
    page.get_by_test_id("transfer-row").get_by_role("link", name="Lihat").click()
    page.get_by_role("link", name="Andi Saputra").click()
    expect(page.get_by_role("heading", name="Andi Saputra")).to_be_visible()
    screenshot(page, "client")
    # Opening the supervision is on the Kasi's Hari ini until it is done.
    page.goto(live_server.url + reverse("bapas:today"))
    page.get_by_test_id("today-item").filter(has_text="Pemindahan Andi Saputra").get_by_test_id("today-action").click()
    expect(page.get_by_role("heading", name="Pembimbingan baru")).to_be_visible()
    expect(page.get_by_test_id("continued-from")).to_contain_text("Bapas Kelas I Makassar")
    expect(page.locator("#id_decree_number")).to_have_value(held.decree_number)
    screenshot(page, "continue")
    assert held.client.transfers.get().status == TransferStatus.ACCEPTED
