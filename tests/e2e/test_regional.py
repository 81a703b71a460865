import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bapas.models import Role
from tests.factories import SupervisionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_kanwil_signs_in_to_the_recap_and_cannot_open_a_client(live_server, page, sign_in, pk, screenshot):
    """A Kanwil account lands on its region's recap, sees its offices' figures, and a client's page is not found."""
    pk.office.region = "Kanwil Sumatera Selatan"
    pk.office.save()
    supervision = SupervisionFactory(client__office=pk.office, officer=pk)
    kanwil = UserFactory(username="kanwil", office=None, role=Role.REGIONAL, region="Kanwil Sumatera Selatan")
    sign_in(kanwil)
    expect(page).to_have_url(live_server.url + reverse("reports:regional"))
    expect(page.get_by_test_id("regional-table")).to_contain_text(pk.office.name)
    expect(page.get_by_test_id("regional-total")).to_contain_text("1")
    expect(page.get_by_role("link", name="Hari ini")).to_have_count(0)  # the menu is the recap alone
    screenshot(page, "regional")
    response = page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    assert response.status == 404
