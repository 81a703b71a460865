"""The interface speaks Bahasa Indonesia unless the user chooses English; the choice is kept on the user."""

import pytest
from playwright.sync_api import expect

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_language_switch_changes_the_page_to_english_and_back(live_server, page, sign_in, pk, new_context, screenshot):
    html = page.locator("html")
    switch = page.get_by_test_id("lang-switch")
    sign_in(pk)
    expect(html).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()
    expect(switch).to_have_text("English")

    switch.click()
    expect(html).to_have_attribute("lang", "en")
    expect(switch).to_have_text("Bahasa Indonesia")
    # Needs the en catalogue (locale/en/LC_MESSAGES/django.mo) to be compiled.
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    screenshot(page, "caseload-en")

    page.reload()  # the choice lasts beyond the one response
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()

    # ... because it is stored on the user: a fresh browser, without the language cookie, gets English too.
    pk.refresh_from_db()
    assert pk.language == "en"
    other = log_in(new_context().new_page(), live_server.url, pk)
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.get_by_role("heading", name="My clients")).to_be_visible()

    switch.click()
    expect(html).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()
    expect(switch).to_have_text("English")
    pk.refresh_from_db()
    assert pk.language == "id"
