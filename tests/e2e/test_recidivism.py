import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import RecidivismEvent
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)
D = datetime.date


def test_head_switches_the_curve_grouping_and_downloads_the_cohort(live_server, page, sign_in, head, pk, screenshot):
    for index in range(12):
        supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=D(2023, 1, 1), end_date=D(2024, 1, 1),
                                         closed_on=D(2024, 1, 1), closure_reason="completed", risk_level="Sedang")
        if index % 3 == 0:
            RecidivismEvent.objects.create(client=supervision.client, kind="rearrest", event_date=D(2024, 6, 1), source="Polres",
                                           recorded_by=pk)
    sign_in(head)
    page.goto(live_server.url + reverse("reports:recidivism"))
    expect(page.get_by_test_id("rates")).to_be_visible()
    expect(page.locator("#km-chart")).to_have_attribute("data-grouping", "risk_level")
    page.get_by_role("button", name="Status program").click()
    expect(page.locator("#km-chart")).to_have_attribute("data-grouping", "programme_status")
    expect(page.get_by_test_id("at-risk")).to_contain_text("Tidak ikut program")
    screenshot(page, "recidivism")
    with page.expect_download() as download:
        page.get_by_test_id("cohort-csv").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    assert lines[0].startswith("person_id,index_date,index_kind") and len(lines) == 13
