import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

TEMPORARY = "Bunga-Anggrek-Ungu-77"
OWN = "Sungai-Kapuas-Panjang-3"


def test_admin_resets_a_password_and_the_user_chooses_their_own(live_server, browser, sign_in, page, admin_user, pk,
                                                               screenshot):
    sign_in(admin_user)
    page.goto(live_server.url + reverse("bapas:user_edit", args=[pk.pk]))
    page.get_by_role("link", name="Atur ulang kata sandi").click()
    page.fill("#id_new_password1", TEMPORARY)
    page.fill("#id_new_password2", TEMPORARY)
    screenshot(page, "admin-reset")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Kata sandi sementara {pk.username} disimpan")
    screenshot(page, "admin-after")

    officer = browser.new_page()
    log_in(officer, live_server.url, pk, TEMPORARY)
    # Wherever the login leads, the temporary password must go first.
    expect(officer).to_have_url(live_server.url + reverse("bapas:password_change"))
    expect(officer.get_by_test_id("must-change")).to_be_visible()
    officer.goto(live_server.url + reverse("bapas:today"))
    expect(officer).to_have_url(live_server.url + reverse("bapas:password_change"))
    screenshot(officer, "must-change")
    officer.fill("#id_old_password", TEMPORARY)
    officer.fill("#id_new_password1", OWN)
    officer.fill("#id_new_password2", OWN)
    officer.get_by_role("button", name="Simpan kata sandi").click()
    expect(officer.get_by_text("Kata sandi Anda diganti.")).to_be_visible()
    officer.goto(live_server.url + reverse("bapas:today"))
    expect(officer).to_have_url(live_server.url + reverse("bapas:today"))

    # Later the officer changes it again from the account menu.
    officer.get_by_test_id("account-menu").click()
    officer.get_by_role("link", name="Ubah kata sandi").click()
    expect(officer.get_by_test_id("must-change")).to_have_count(0)
    expect(officer.get_by_role("link", name="Batal")).to_be_visible()
    officer.context.close()  # its open connections would keep the live server's database sessions
