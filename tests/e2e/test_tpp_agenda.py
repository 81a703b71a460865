import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments.models import Litmas
from tests.assessments.helpers import waiting

pytestmark = pytest.mark.django_db(transaction=True)


def test_kasi_decides_a_litmas_from_the_agenda_and_comes_back(live_server, page, sign_in, pk, supervisor):
    """The hearing's number is typed once on the agenda; the Litmas's decision form has it, and approving
    returns to the agenda, where the Litmas is no longer waiting."""
    waiting(pk.office, pk)
    sign_in(supervisor)
    page.goto(live_server.url + reverse("assessments:tpp_agenda"))
    page.fill("#id_tpp_number", "TPP/15/XI/2026")
    page.get_by_role("button", name="Pakai untuk keputusan").click()
    page.get_by_test_id("agenda-litmas").get_by_role("link", name="Putuskan").click()
    decision = page.get_by_test_id("litmas-decision")
    expect(decision.locator("#id_tpp_number")).to_have_value("TPP/15/XI/2026")
    decision.get_by_role("button", name="Setujui").click()
    expect(page.get_by_role("heading", name="Agenda sidang TPP")).to_be_visible()
    expect(page.get_by_text("Persetujuan TPP dicatat.")).to_be_visible()
    expect(page.get_by_test_id("agenda-litmas")).to_contain_text("Tidak ada.")
    assert Litmas.objects.get().tpp_number == "TPP/15/XI/2026"
