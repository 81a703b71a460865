import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import SupervisionFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis]


def test_admin_generates_a_report_watches_the_progress_and_downloads_the_xlsx(live_server, page, sign_in, admin_user, pk, screenshot):
    from celery.contrib.testing.worker import start_worker

    from bapas.celery import app

    SupervisionFactory.create_batch(3, client__office=pk.office, officer=pk)
    sign_in(admin_user)
    page.goto(live_server.url + reverse("reports:monthly"))
    page.fill("#id_month", "2026-10")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        page.get_by_role("button", name="Buat laporan").click()
        expect(page.locator("#report-progress")).to_be_visible()
        screenshot(page, "report-progress")
        expect(page.get_by_test_id("downloads")).to_be_visible(timeout=30000)
    screenshot(page, "report-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == f"laporan-bulanan-{pk.office.code}-2026-10.xlsx"
    with open(download.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"


@pytest.mark.django_db(transaction=True)
def test_admin_leaves_a_section_out_of_the_report_after_confirming_a_reset(live_server, page, sign_in, admin_user, screenshot):
    from reports.layouts import current_layout

    sign_in(admin_user)
    page.goto(live_server.url + reverse("reports:monthly"))
    page.get_by_role("link", name="Susunan laporan").click()
    page.get_by_role("checkbox", name="Pidana kerja sosial").uncheck()
    page.get_by_label("Judul: Ringkasan").fill("Ikhtisar klien")
    page.get_by_role("button", name="Simpan sebagai versi baru").click()
    expect(page.get_by_text("Susunan laporan versi 2 berlaku")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Pidana kerja sosial")).not_to_be_checked()
    expect(page.get_by_label("Urutan: Pidana kerja sosial")).to_have_value("15")  # ticked again, it goes last
    expect(page.get_by_label("Judul: Ringkasan")).to_have_value("Ikhtisar klien")
    screenshot(page, "layout")
    # The reset asks first; dismissed, nothing changes.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Kembalikan susunan bawaan").click()
    expect(page.get_by_test_id("layout-number")).to_have_text("versi 2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kembalikan susunan bawaan").click()
    expect(page.get_by_test_id("layout-number")).to_have_text("versi 3")
    expect(page.get_by_role("checkbox", name="Pidana kerja sosial")).to_be_checked()
    assert current_layout(admin_user.office_id).number == 3
