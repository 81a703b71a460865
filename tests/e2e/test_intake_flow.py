"""A PK's daily path in the browser: intake of a new client, the first contact, finding the client
again in the caseload (htmx search), and logging a contact on a phone."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import ContactFactory, SupervisionFactory, nik_for

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Wahyu Hidayat"


def test_officer_registers_a_client_logs_a_contact_and_finds_them(live_server, page, sign_in, pk, screenshot):
    # Someone already in the caseload, so that the search has something to filter out.
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Dewi Lestari")
    sign_in(pk)
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()

    page.get_by_role("link", name="Registrasi klien", exact=True).click()
    expect(page).to_have_url(live_server.url + reverse("clients:create"))
    expect(page.locator("#id_supervision-officer")).to_have_value(str(pk.pk))

    today = timezone.localdate()
    birth = datetime.date(1985, 7, 21)
    page.fill("#id_client-full_name", NAME)
    page.fill("#id_client-nik", nik_for(birth, "L", 4321))
    page.fill("#id_client-birth_place", "Palembang")
    page.fill("#id_client-birth_date", birth.isoformat())
    page.select_option("#id_client-sex", "L")
    page.select_option("#id_client-religion", "islam")
    page.fill("#id_client-address", "Jl. Kenanga No. 12")
    page.fill("#id_client-register_number", "PLG-2026-0100")
    page.select_option("#id_supervision-legal_basis", "PB")
    page.fill("#id_supervision-decree_number", "PAS-77.PK.05.06/2026")
    page.fill("#id_supervision-decree_date", (today - datetime.timedelta(days=14)).isoformat())
    page.fill("#id_supervision-decree_issuer", "Direktur Jenderal Pemasyarakatan")
    page.fill("#id_supervision-offence_article", "Pasal 362 KUHP")
    page.select_option("#id_supervision-offence_category", label="Pencurian")
    page.fill("#id_supervision-sentence", "2 tahun")
    page.fill("#id_supervision-start_date", (today - datetime.timedelta(days=7)).isoformat())
    page.fill("#id_supervision-end_date", (today + datetime.timedelta(days=365)).isoformat())
    page.select_option("#id_supervision-reporting_interval_days", "14")
    screenshot(page, "intake-form")
    page.get_by_role("button", name="Simpan", exact=True).click()

    # The client page.
    expect(page).to_have_url(re.compile(r"/klien/\d+/$"))
    client_url = page.url
    expect(page.get_by_role("heading", name=NAME)).to_be_visible()
    expect(page.get_by_text(f"Klien {NAME} terdaftar.")).to_be_visible()
    expect(page.get_by_text("Belum ada kontak yang dicatat.")).to_be_visible()

    page.get_by_role("link", name="Catat kontak", exact=True).click()
    expect(page).to_have_url(re.compile(r"/klien/pembimbingan/\d+/kontak/baru/$"))
    expect(page.locator("#id_occurred_at")).not_to_have_value("")
    expect(page.locator("#id_attended")).to_be_checked()
    page.select_option("#id_kind", "home_visit")
    page.fill("#id_notes", "Kunjungan rumah pertama")
    page.get_by_role("button", name="Simpan", exact=True).click()

    expect(page).to_have_url(re.compile(re.escape(client_url) + r"(#riwayat)?$"))  # lands on the contact history
    entries = page.get_by_test_id("contact-entry")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("Kunjungan rumah pertama")
    expect(entries.first).to_contain_text("Kunjungan rumah")
    screenshot(page, "client-page")

    # Back to the caseload: both clients are listed.
    page.get_by_role("navigation").get_by_role("link", name="Klien saya", exact=True).first.click()
    expect(page).to_have_url(live_server.url + reverse("clients:list"))
    caseload = page.locator("#caseload")
    expect(caseload.get_by_role("link", name=NAME)).to_be_visible()
    expect(caseload.get_by_role("link", name="Dewi Lestari")).to_be_visible()

    # Typing part of the name filters the list in place: htmx swaps the table, the page is not reloaded.
    page.evaluate("window.__sameDocument = true")
    page.fill("#id_q", "Wahy")
    expect(caseload.get_by_role("link", name="Dewi Lestari")).to_be_hidden()
    expect(caseload.get_by_role("link", name=NAME)).to_be_visible()
    assert page.evaluate("window.__sameDocument === true"), "the search reloaded the whole page"
    expect(page).to_have_url(re.compile(r"[?&]q=Wahy(&|$)"))  # hx-push-url keeps the search in the address
    screenshot(page, "caseload-search")


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
def test_contact_can_be_logged_on_a_phone(live_server, page, sign_in, pk, supervision, screenshot):
    ContactFactory(supervision=supervision, notes="Kontak lama kemarin")
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))

    button = page.get_by_role("link", name="Catat kontak", exact=True)
    expect(button).to_be_visible()
    expect(button).to_be_in_viewport()  # on a phone the supervision panel comes before the identity card
    screenshot(page, "client-page-phone-before")
    button.tap()

    expect(page).to_have_url(re.compile(r"/kontak/baru/$"))
    notes = page.locator("#id_notes")
    expect(notes).to_be_visible()
    # The form fits the screen: nothing makes the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#id_kind", "report_office")
    notes.tap()
    notes.fill("Lapor dari lapangan")
    page.fill("#id_next_appointment", (timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    save = page.get_by_role("button", name="Simpan", exact=True)
    save.scroll_into_view_if_needed()
    save.tap()

    client_url = live_server.url + reverse("clients:detail", args=[supervision.client_id])
    expect(page).to_have_url(re.compile(re.escape(client_url) + r"(#riwayat)?$"))
    entries = page.get_by_test_id("contact-entry")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("Lapor dari lapangan")  # newest first
    expect(entries.first).to_contain_text("Janji berikutnya")
    expect(entries.nth(1)).to_contain_text("Kontak lama kemarin")
    screenshot(page, "client-page-phone-after")
