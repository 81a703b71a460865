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
