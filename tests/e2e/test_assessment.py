import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

# Options giving 3 + 1 + 1 + 4 + 2 = 11 points: the top of Sedang.
ANSWERS = {"A1": "ya", "A2": "ya", "A3": "3+", "A4": "tidak", "A5": "3+", "A6": "tidak", "A7": "tidak", "A8": "tidak",
           "A9": "narkotika", "A10": "tidak"}


def test_officer_completes_an_rri_with_a_live_score(live_server, page, sign_in, pk, supervision, screenshot):
    sign_in(pk)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    page.get_by_role("link", name="Mulai asesmen").click()
    page.select_option("#id_version", label="RRI 02 — Instrumen Asesmen Risiko Residivisme Indonesia (RRI)")
    page.get_by_role("button", name="Mulai").click()

    live_total = page.get_by_test_id("live-total")
    expect(live_total).to_have_text("0")
    page.check("#a-A1-ya")
    expect(live_total).to_have_text("3")  # the server scored the change
    for code, option in ANSWERS.items():
        page.check(f"[id=\"a-{code}-{option}\"]")
    expect(live_total).to_have_text("11")
    expect(page.get_by_test_id("live-level")).to_have_text("Sedang")
    page.fill("[name=a-A5-note]", "Putusan 2015, 2018, 2021 (SIPP)")
    screenshot(page, "assessment-form")
    asked = []  # asked first: the result sets the supervision's intensity
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Finalkan").click()

    expect(page.get_by_test_id("result-total")).to_have_text("11")
    assert asked and asked[0].startswith("Finalkan asesmen ini?")
    expect(page.get_by_test_id("result-level")).to_have_text("Sedang")
    screenshot(page, "assessment-result")
    page.get_by_role("link", name=supervision.client.full_name).click()
    expect(page.get_by_test_id("risk-level")).to_contain_text("Sedang")


def test_officer_discards_a_draft_started_on_the_wrong_instrument(live_server, page, sign_in, pk, supervision):
    from assessments.models import Assessment

    sign_in(pk)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    page.get_by_role("link", name="Mulai asesmen").click()
    page.select_option("#id_version", label="RRI 02 — Instrumen Asesmen Risiko Residivisme Indonesia (RRI)")
    page.get_by_role("button", name="Mulai").click()
    page.check("#a-A1-ya")
    expect(page.get_by_test_id("live-total")).to_have_text("3")

    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing changes
    page.get_by_role("button", name="Hapus draf").click()
    expect(page.get_by_role("button", name="Hapus draf")).to_be_visible()
    assert Assessment.objects.count() == 1

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus draf").click()
    expect(page.get_by_text("Draf asesmen dihapus.")).to_be_visible()
    expect(page.locator("#asesmen")).not_to_contain_text("draf")
    assert not Assessment.objects.exists()
