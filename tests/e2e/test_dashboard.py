import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clients.models import Supervision
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_drills_into_overdue_contacts_and_reassigns_to_the_suggested_pk(live_server, page, sign_in, supervisor, pk, pk2,
                                                                                   screenshot):
    today = timezone.localdate()
    late = SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Terlambat", risk_level="Tinggi",
                              next_contact_due=today - datetime.timedelta(days=6))
    SupervisionFactory.create_batch(3, client__office=pk.office, officer=pk, risk_level="Sedang",
                                    next_contact_due=today + datetime.timedelta(days=6))
    sign_in(supervisor)
    page.goto(live_server.url + reverse("reports:caseload"))
    row = page.locator(f'[data-testid="officer-row"][data-officer="{pk.pk}"]')
    expect(row).to_contain_text("4")
    screenshot(page, "caseload-dashboard")
    row.get_by_test_id("drill-contact").click()
    expect(page.get_by_role("link", name="Klien Terlambat")).to_be_visible()
    expect(page.locator("table.table-caseload tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Klien Terlambat").click()
    page.get_by_role("link", name="Alihkan").click()
    suggested = page.get_by_test_id("suggested")
    expect(suggested).to_contain_text(str(pk2))
    screenshot(page, "reassign-advice")
    expect(page.locator("#id_officer")).to_have_value(str(pk2.pk))  # the suggestion is preselected
    page.fill("#id_reason", "Beban kerja PK terlalu tinggi")
    page.get_by_role("button", name="Alihkan").click()
    expect(page.get_by_text("Pembimbingan dialihkan")).to_be_visible()
    assert Supervision.objects.get(pk=late.pk).officer_id == pk2.pk


def test_office_dashboard_draws_its_charts(live_server, page, sign_in, head, pk, screenshot):
    SupervisionFactory.create_batch(3, client__office=pk.office, officer=pk)
    sign_in(head)
    page.goto(live_server.url + reverse("reports:office"))
    expect(page.get_by_test_id("total-active")).to_have_text("3")
    page.wait_for_function("window.trendChartsReady === true")
    assert page.evaluate("Object.keys(Chart.instances).length") == 3
    screenshot(page, "office-dashboard")


def test_supervisor_moves_a_leaving_pks_cases_after_seeing_the_plan(live_server, page, sign_in, supervisor, pk, pk2, screenshot):
    from tests.factories import UserFactory

    third = UserFactory(office=pk.office, username="pk3", first_name="Rina")
    SupervisionFactory.create_batch(4, client__office=pk.office, officer=pk)
    sign_in(supervisor)
    page.goto(live_server.url + reverse("reports:caseload"))
    page.locator(f'[data-testid="officer-row"][data-officer="{pk.pk}"]').get_by_test_id("reassign").click()
    page.get_by_label(str(pk2)).check()
    page.get_by_label("Rina").check()
    page.fill("#id_reason", "Pindah tugas ke Bapas lain")
    page.get_by_role("button", name="Lihat rencana").click()
    plan = page.get_by_test_id("reassign-plan")
    expect(plan.locator("tbody tr")).to_have_count(2)
    expect(plan).to_contain_text("Rina")
    screenshot(page, "reassign-plan")
    assert Supervision.objects.filter(officer=pk).count() == 4  # nothing moved before the confirmation
    page.get_by_test_id("reassign-confirm").click()
    expect(page).to_have_url(live_server.url + reverse("reports:caseload"))
    expect(page.get_by_role("alert")).to_contain_text("4 kasus")
    assert Supervision.objects.filter(officer=pk).count() == 0
    assert sorted(Supervision.objects.filter(officer__in=[pk2, third])
                  .values_list("officer", flat=True)) == sorted([pk2.pk] * 2 + [third.pk] * 2)
