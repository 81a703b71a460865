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
