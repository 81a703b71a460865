import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import nik_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_registers_a_client_logs_a_contact_and_sees_it(live_server, page, sign_in, pk, screenshot):
    sign_in(pk)
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()
    page.get_by_role("link", name="Registrasi klien baru").click()

    today = timezone.localdate()
    birth = datetime.date(1985, 7, 21)
    page.fill("#id_client-full_name", "Wahyu Hidayat")
    page.fill("#id_client-nik", nik_for(birth, "L", 4321))
    page.fill("#id_client-birth_place", "Palembang")
    page.fill("#id_client-birth_date", birth.isoformat())
    page.select_option("#id_client-sex", "L")
    page.select_option("#id_client-religion", "islam")
    page.fill("#id_client-address", "Jl. Kenanga No. 12")
    page.fill("#id_client-register_number", "PLG-2026-0100")
    page.fill("#id_client-guarantor_name", "Siti Hidayat")
    page.select_option("#id_supervision-legal_basis", "PB")
    page.fill("#id_supervision-decree_number", "PAS-77.PK.05.06/2026")
    page.fill("#id_supervision-decree_date", (today - datetime.timedelta(days=14)).isoformat())
    page.fill("#id_supervision-decree_issuer", "Direktur Jenderal Pemasyarakatan")
    page.fill("#id_supervision-offence_article", "Pasal 362 KUHP")
    page.select_option("#id_supervision-offence_category", label="Pencurian")
    page.fill("#id_supervision-sentence", "2 tahun")
    page.fill("#id_supervision-start_date", (today - datetime.timedelta(days=7)).isoformat())
    page.fill("#id_supervision-end_date", (today + datetime.timedelta(days=365)).isoformat())
    screenshot(page, "intake-form")
    page.get_by_role("button", name="Simpan").click()

    expect(page.get_by_role("heading", name="Wahyu Hidayat")).to_be_visible()
    expect(page.get_by_text("Klien Wahyu Hidayat terdaftar.")).to_be_visible()

    page.get_by_role("link", name="Catat kontak").click()
    page.select_option("#id_kind", "home_visit")
    page.fill("#id_notes", "Kunjungan rumah pertama")
    page.get_by_role("button", name="Simpan").click()

    first_entry = page.get_by_test_id("contact-entry").first
    expect(first_entry).to_contain_text("Kunjungan rumah pertama")
    expect(first_entry).to_contain_text("Kunjungan rumah")
    screenshot(page, "client-page")

    page.goto(live_server.url + reverse("clients:list"))
    expect(page.get_by_role("link", name="Wahyu Hidayat")).to_be_visible()


def test_caseload_search_updates_the_list_in_place(live_server, page, sign_in, pk):
    from tests.factories import SupervisionFactory

    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Bambang Pamungkas")
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Dewi Lestari")
    sign_in(pk)
    expect(page.get_by_role("link", name="Dewi Lestari")).to_be_visible()
    page.evaluate("window.__noReload = true")
    page.fill("#id_q", "Bambang")
    expect(page.get_by_role("link", name="Dewi Lestari")).to_be_hidden()
    expect(page.get_by_role("link", name="Bambang Pamungkas")).to_be_visible()
    # htmx swapped the table: the page itself was not reloaded, and the URL follows the search.
    assert page.evaluate("window.__noReload") is True
    assert re.search(r"[?&]q=Bambang", page.url)


def test_contact_can_be_logged_on_a_phone(live_server, browser, pk, supervision, screenshot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/masuk/")
    phone.fill("#id_username", pk.username)
    phone.fill("#id_password", "Rahasia-Panjang-1")
    phone.get_by_role("button", name="Masuk", exact=True).click()
    phone.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    button = phone.get_by_role("link", name="Catat kontak")
    expect(button).to_be_in_viewport()
    button.click()
    phone.select_option("#id_kind", "report_office")
    phone.fill("#id_notes", "Lapor dari lapangan")
    phone.get_by_role("button", name="Simpan").click()
    expect(phone.get_by_test_id("contact-entry").first).to_contain_text("Lapor dari lapangan")
    screenshot(phone, "client-page-phone")
    context.close()
