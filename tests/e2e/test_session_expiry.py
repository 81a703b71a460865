"""A session ends after its idle time; what a PK typed must not end with it. The page's script
(static/js/session.js) renews the session while they work, and keeps a form sent after the session
has ended on the page until they have signed in again in another tab."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Contact

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NOTE = "Kunjungan rumah panjang: istri dan anak hadir, klien bekerja di bengkel las sejak bulan lalu."
PING = re.compile(r"/akun/sesi/$")


def open_contact_form(page, live_server, settings, supervision, idle_seconds):
    """The contact form, told the session idles out after idle_seconds: the script's clock. The session
    itself keeps the default length, so it ends only when the test ends it."""
    default = settings.SESSION_COOKIE_AGE
    settings.SESSION_COOKIE_AGE = idle_seconds
    page.goto(live_server.url + reverse("clients:contact_create", args=[supervision.pk]))
    settings.SESSION_COOKIE_AGE = default


def test_a_form_sent_after_the_session_ended_stays_on_the_page_until_the_pk_signs_in_again(
        live_server, page, sign_in, settings, pk, supervision, screenshot):
    sign_in(pk)
    open_contact_form(page, live_server, settings, supervision, idle_seconds=4)
    page.select_option("#id_kind", "home_visit")
    page.fill("#id_notes", NOTE)
    page.wait_for_timeout(2500)  # a pause longer than the script trusts the session to last unasked
    Session.objects.all().delete()  # meanwhile, the session ended

    page.get_by_role("button", name="Simpan").click()
    notice = page.get_by_test_id("session-ended")
    expect(notice).to_be_visible()
    screenshot(page, "session-ended")
    expect(page).to_have_url(re.compile(re.escape(reverse("clients:contact_create", args=[supervision.pk])) + "$"))
    expect(page.locator("#id_notes")).to_have_value(NOTE)
    assert not Contact.objects.exists()

    with page.context.expect_page() as opened:
        notice.get_by_role("link").click()  # the login page, in a new tab
    log_in(opened.value, live_server.url, pk)
    opened.value.close()

    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kontak dicatat.")).to_be_visible()
    assert Contact.objects.get().notes == NOTE


def test_working_on_a_form_keeps_the_session_asked_after_and_a_quick_save_asks_nothing(
        live_server, page, sign_in, settings, pk, supervision):
    sign_in(pk)
    pings = []
    page.on("request", lambda request: pings.append(request.url) if PING.search(request.url) else None)
    open_contact_form(page, live_server, settings, supervision, idle_seconds=1800)
    page.select_option("#id_kind", "home_visit")
    page.fill("#id_notes", NOTE)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Kontak dicatat.")).to_be_visible()
    assert pings == []  # the session was surely alive: sent at once

    open_contact_form(page, live_server, settings, supervision, idle_seconds=3)  # renewed every second of work
    page.select_option("#id_kind", "home_visit")
    with page.expect_request(PING, timeout=5000):
        page.locator("#id_notes").press_sequentially(NOTE[:40], delay=60)
