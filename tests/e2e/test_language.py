import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_language_switch_changes_the_page_to_english_and_back(live_server, page, sign_in, pk):
    sign_in(pk)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()

    page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()
    expect(page.get_by_role("link", name="Register client", exact=True)).to_be_visible()

    page.reload()  # the choice is kept on the user, not just for one response
    expect(page.get_by_role("heading", name="My clients")).to_be_visible()

    page.get_by_test_id("lang-switch").click()
    expect(page.get_by_role("heading", name="Klien saya")).to_be_visible()
