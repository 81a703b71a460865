"""A PK puts right the community-service work days of a client: eight hours logged where the client
worked three are corrected from the list, and a day logged on the wrong client is deleted after
being asked; the hours done follow each time."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import CommunityServiceDay
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pk_corrects_one_work_day_and_deletes_another(live_server, page, sign_in, pk, screenshot):
    today = timezone.localdate()
    pks = SupervisionFactory(client__office=pk.office, officer=pk, legal_basis="PKS", community_service_hours=40,
                             start_date=today - datetime.timedelta(days=20), end_date=today + datetime.timedelta(days=300))
    for days_ago, hours, activity in ((1, 8, "Membersihkan taman"), (2, 4, "Mengecat pagar sekolah")):
        CommunityServiceDay.objects.create(supervision=pks, date=today - datetime.timedelta(days=days_ago), hours=hours,
                                           place="Taman kota", site_supervisor="Pak Lurah", activity=activity, recorded_by=pk)
    sign_in(pk)
    page.goto(live_server.url + reverse("programs:service_days", args=[pks.pk]))
    expect(page.get_by_test_id("service-done")).to_have_text("12,0")

    page.get_by_test_id("service-day").filter(has_text="Membersihkan taman").get_by_role("link", name="koreksi").click()
    page.fill("#id_hours", "3")
    page.fill("#id_reason", "Salah hitung jam")
    screenshot(page, "correct")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Hari kerja sosial dikoreksi.")).to_be_visible()
    expect(page.get_by_test_id("service-done")).to_have_text("7,0")
    expect(page.get_by_test_id("service-day").filter(has_text="Membersihkan taman")).to_contain_text("dikoreksi: Salah hitung jam")

    page.get_by_test_id("service-day").filter(has_text="Mengecat pagar sekolah").get_by_role("link", name="koreksi").click()
    page.get_by_role("link", name="Hapus hari kerja ini").click()
    expect(page.get_by_test_id("service-day-summary")).to_contain_text("Mengecat pagar sekolah")
    page.fill("#id_reason", "Dicatat pada klien yang salah")
    screenshot(page, "delete")
    page.once("dialog", lambda dialog: dialog.dismiss())  # asked first; declined, nothing changes
    page.get_by_role("button", name="Hapus hari kerja").click()
    expect(page.get_by_test_id("service-day-summary")).to_be_visible()
    assert CommunityServiceDay.objects.count() == 2

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Hapus hari kerja").click()
    expect(page.get_by_text("dihapus.")).to_be_visible()
    expect(page.get_by_test_id("service-done")).to_have_text("3,0")
    expect(page.get_by_test_id("service-day")).to_have_count(1)
    screenshot(page, "list")
    assert CommunityServiceDay.objects.count() == 1
