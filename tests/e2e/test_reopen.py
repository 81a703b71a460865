import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Supervision
from clients.services import supervision_close

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_kasi_reopens_a_supervision_closed_by_mistake_after_confirming(live_server, page, sign_in, supervisor, supervision,
                                                                           screenshot):
    supervision_close(by=supervisor, supervision=supervision, closed_on=timezone.localdate(), reason="completed")
    sign_in(supervisor)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    panel = page.locator("#pembimbingan")
    expect(panel).to_contain_text("Diakhiri")

    panel.get_by_test_id("supervision-reopen").click()
    page.fill("#id_reason", "Diakhiri pada klien yang salah")
    screenshot(page, "reopen")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing changes
    page.get_by_role("button", name="Buka kembali pembimbingan").click()
    expect(page.get_by_role("heading", name=f"Buka kembali pembimbingan — {supervision.client.full_name}")).to_be_visible()
    assert Supervision.objects.get(pk=supervision.pk).closed_on is not None

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Buka kembali pembimbingan").click()
    expect(page.get_by_text("Pembimbingan dibuka kembali.")).to_be_visible()
    expect(panel).not_to_contain_text("Diakhiri")
    expect(panel.get_by_role("link", name="Akhiri")).to_be_visible()  # running again
    assert Supervision.objects.get(pk=supervision.pk).closed_on is None
