import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bapas.models import Notification
from bapas.reminders import sweep
from clients.models import Contact
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_officer_logs_an_overdue_contact_from_today_and_the_bell_clears(live_server, page, sign_in, pk, screenshot):
    today = timezone.localdate()
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Lama",
                       next_contact_due=today - datetime.timedelta(days=20))
    visited = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Baru",
                                 next_contact_due=today - datetime.timedelta(days=2))
    sweep()
    sign_in(pk)
    page.goto(live_server.url + reverse("bapas:today"))
    bell = page.get_by_test_id("bell")
    expect(bell).to_contain_text("2")
    items = page.get_by_test_id("today-item")
    expect(items.nth(0)).to_contain_text("Klien Lama")  # the one waiting longest comes first
    screenshot(page, "today")

    items.filter(has_text="Klien Baru").get_by_role("link", name="Catat kontak").click()
    expect(page.get_by_role("heading", name="Catat kontak — Klien Baru")).to_be_visible()
    page.select_option("#id_kind", "home_visit")
    page.check("#id_attended")
    page.fill("#id_notes", "Kunjungan rumah, klien bekerja di bengkel.")
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(live_server.url + reverse("bapas:today"))
    expect(page.get_by_text("Kontak dicatat.")).to_be_visible()
    expect(page.get_by_test_id("today-item").filter(has_text="Klien Baru")).to_have_count(0)
    expect(bell).to_contain_text("1")  # settled by the save itself, no sweep in between
    assert Contact.objects.get(supervision=visited).notes.startswith("Kunjungan rumah")
    assert Notification.objects.filter(resolved_at__isnull=False).count() == 1
