"""A form is sent once: on a slow connection a second press of "Simpan" while the first is on its
way must not record the contact twice (static/js/forms.js)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Contact

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_press_while_the_first_is_on_its_way_sends_nothing(live_server, page, sign_in, pk, supervision):
    url = reverse("clients:contact_create", args=[supervision.pk])
    held = []  # the POSTs the browser sent, held as a slow connection would
    page.route(f"**{url}", lambda route: held.append(route) if route.request.method == "POST" else route.continue_())
    sign_in(pk)
    page.goto(live_server.url + url)
    page.select_option("#id_kind", "call")
    page.fill("#id_notes", "Telepon: klien sehat, bekerja.")
    save = page.get_by_role("button", name="Simpan")
    box = save.bounding_box()
    # Pressed as a person would, with the mouse: Playwright's own click waits for a navigation under way.
    with page.expect_request(lambda request: request.method == "POST"):  # the first is on its way
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # impatient: nothing seemed to happen
    page.wait_for_timeout(500)  # time enough for a second POST to leave, were it sent
    assert len(held) == 1  # the second press sent nothing
    held[0].continue_()
    expect(page.get_by_text("Kontak dicatat.")).to_be_visible()
    assert Contact.objects.count() == 1
