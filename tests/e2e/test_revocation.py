import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Revocation
from tests.factories import ViolationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_revocation_case_from_a_violation_to_the_tpp(live_server, page, sign_in, supervisor, supervision, screenshot):
    """The Kasi starts a revocation case from a violation on the client's page, then records the sidang
    TPP's recommendation (confirming): the case waits for the Kabapas."""
    ViolationFactory(supervision=supervision, description="Tiga kali tidak wajib lapor.")
    sign_in(supervisor)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    page.get_by_test_id("revocation-start").click()
    page.fill("#id_report_number", "BA/07/2026")
    page.get_by_role("button", name="Mulai usulan").click()
    expect(page.get_by_test_id("revocation-stage")).to_have_text("Berita acara dibuat, menunggu sidang TPP")

    next_step = page.get_by_test_id("revocation-next")
    next_step.locator("#id_tpp_date").fill(Revocation.objects.get().report_date.isoformat())
    next_step.locator("#id_tpp_number").fill("TPP/12/2026")
    next_step.get_by_label("Ya").check()
    page.once("dialog", lambda dialog: dialog.accept())
    next_step.get_by_role("button", name="Catat").click()
    expect(page.get_by_text("Hasil sidang TPP dicatat.")).to_be_visible()
    expect(page.get_by_test_id("revocation-stage")).to_have_text("TPP merekomendasikan pencabutan, menunggu Kabapas")
    screenshot(page, "revocation")
    assert Revocation.objects.get().tpp_number == "TPP/12/2026"
