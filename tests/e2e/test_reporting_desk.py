import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pk_marks_a_client_present_at_the_desk(live_server, page, sign_in, pk, supervision, screenshot):
    """From the caseload, the daftar lapor diri: search the client who came, mark them present, and
    see them in the day's register."""
    supervision.client.full_name = "Siti Aminah"
    supervision.client.save()
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:list"))
    page.get_by_role("link", name="Daftar lapor diri").click()
    expect(page.get_by_text("Belum ada klien yang wajib lapor hari ini.")).to_be_visible()
    page.fill("#id_q", "siti")
    page.get_by_role("button", name="Cari").click()
    page.get_by_test_id("candidates").get_by_role("button", name="Hadir").click()
    expect(page.get_by_text("Siti Aminah hadir wajib lapor pukul")).to_be_visible()
    expect(page.get_by_test_id("register")).to_contain_text("Siti Aminah")
    screenshot(page, "desk")
    assert Contact.objects.get().kind == "report_office"
