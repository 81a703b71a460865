"""A PK who logged a home visit on the wrong client deletes it from the correction page, after being
asked, and the client's progress record no longer shows it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bapas.models import AuditEntry
from clients.models import Contact
from tests.factories import logged_contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pk_deletes_a_contact_logged_on_the_wrong_client(live_server, page, sign_in, pk, supervision, screenshot):
    logged_contact(supervision, 1, kind="home_visit", notes="Kunjungan rumah Bapak Sutrisno")
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]) + "#riwayat")
    record = page.locator("#riwayat")
    expect(record).to_contain_text("Kunjungan rumah Bapak Sutrisno")
    record.get_by_role("link", name="Koreksi").click()
    page.get_by_role("link", name="Hapus catatan ini").click()
    expect(page.get_by_test_id("contact-summary")).to_contain_text("Kunjungan rumah Bapak Sutrisno")
    page.fill("#id_reason", "Dicatat pada klien yang salah")
    screenshot(page, "contact-delete")

    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing changes
    page.get_by_role("button", name="Hapus catatan kontak").click()
    expect(page.get_by_test_id("contact-summary")).to_be_visible()
    assert Contact.objects.count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus catatan kontak").click()
    expect(page.get_by_text("Catatan kontak dihapus.")).to_be_visible()
    expect(page.locator("#riwayat")).not_to_contain_text("Kunjungan rumah Bapak Sutrisno")
    assert not Contact.objects.exists()
    assert AuditEntry.objects.get(action="contact.delete").detail["reason"] == "Dicatat pada klien yang salah"
