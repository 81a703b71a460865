"""The layout at the widths people use: an office screen (1280 px) and a phone on a home visit (390 px)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_opens_the_office_reports_from_one_menu(live_server, page, sign_in, supervisor):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(supervisor)
    page.goto(live_server.url + reverse("bapas:today"))
    # The whole menu stays on one line at an office screen's width.
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    page.get_by_test_id("reports-menu").click()
    page.get_by_role("link", name="Residivisme").click()
    expect(page).to_have_url(live_server.url + reverse("reports:recidivism"))


def test_on_a_phone_the_caseload_shows_each_clients_next_contact(live_server, page, sign_in, pk):
    import datetime

    from django.utils import timezone

    from tests.factories import SupervisionFactory

    due = timezone.localdate() - datetime.timedelta(days=3)
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Lapangan", next_contact_due=due)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:list"))
    row = page.locator("table.table-caseload tbody tr").first
    next_contact = row.locator("td").last
    expect(next_contact).to_have_text(due.strftime("%d-%m-%Y"))
    box = next_contact.bounding_box()
    assert box["x"] + box["width"] <= 390  # on screen, not behind a sideways scroll
    expect(row.get_by_role("link", name="Klien Lapangan")).to_be_visible()


def test_head_follows_a_clients_file_to_its_audit_trail(live_server, page, sign_in, head, pk, screenshot):
    from bapas.audit import audit_log
    from tests.factories import SupervisionFactory

    supervision = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Diawasi")
    audit_log(actor=pk, action="client.view", obj=supervision.client)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(head)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    page.get_by_role("link", name="Jejak audit").click()
    expect(page.get_by_role("heading", name="Jejak audit — Klien Diawasi")).to_be_visible()
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(rows.filter(has_text="Membuka berkas klien").filter(has_text=str(pk))).to_have_count(1)
    expect(rows.filter(has_text=str(head))).to_have_count(1)  # the head's own view of the file, just now
    screenshot(page, "audit")


def test_a_pks_menu_stays_on_one_line_with_the_wajib_lapor_desk(live_server, page, sign_in, pk):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(pk)
    page.goto(live_server.url + reverse("bapas:today"))
    assert page.locator("nav.navbar").bounding_box()["height"] < 70
    page.locator("nav.navbar").get_by_role("link", name="Wajib lapor").click()
    expect(page).to_have_url(live_server.url + reverse("clients:reporting_desk"))
