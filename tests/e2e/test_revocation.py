import pytest
from django.urls import reverse
from playwright.sync_api import expect

from clients.models import Revocation
from tests.factories import ViolationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_revocation_case_from_a_violation_to_the_tpp(live_server, page, sign_in, supervisor, supervision, screenshot):
    """The Kasi starts a revocation case from a violation on the client's page, then records the sidang
    TPP's recommendation (confirming): the case waits for the Kabapas."""
    ViolationFactory(supervision=supervision, description="Tiga kali tidak wajib lapor.")
    sign_in(supervisor)
    page.goto(live_server.url + reverse("clients:detail", args=[supervision.client_id]))
    page.get_by_test_id("revocation-start").click()
    page.fill("#id_report_number", "BA/07/2026")
    page.get_by_role("button", name="Mulai usulan").click()
    expect(page.get_by_test_id("revocation-stage")).to_have_text("Berita acara dibuat, menunggu sidang TPP")

    next_step = page.get_by_test_id("revocation-next")
    next_step.locator("#id_tpp_date").fill(Revocation.objects.get().report_date.isoformat())
    next_step.locator("#id_tpp_number").fill("TPP/12/2026")
    next_step.get_by_label("Ya").check()
    page.once("dialog", lambda dialog: dialog.accept())
    next_step.get_by_role("button", name="Catat").click()
    expect(page.get_by_text("Hasil sidang TPP dicatat.")).to_be_visible()
    expect(page.get_by_test_id("revocation-stage")).to_have_text("TPP merekomendasikan pencabutan, menunggu Kabapas")
    screenshot(page, "revocation")
    assert Revocation.objects.get().tpp_number == "TPP/12/2026"


def test_a_court_sentence_goes_from_the_tpp_to_the_jaksa(live_server, page, sign_in, head, supervision, screenshot):
    """A pidana pengawasan: after the TPP the Kabapas sends the consideration to the jaksa (no
    temporary suspension is offered), and the case waits for the court."""
    import datetime

    from django.utils import timezone

    supervision.legal_basis = "PWS"
    supervision.save()
    violation = ViolationFactory(supervision=supervision, kind="condition_breach", description="Tidak mengikuti rehabilitasi.")
    today = timezone.localdate()
    case = Revocation.objects.create(violation=violation, supervision=supervision, stage="tpp", report_number="BA/08/2026",
                                     report_date=today - datetime.timedelta(days=3), tpp_date=today - datetime.timedelta(days=1),
                                     tpp_number="TPP/13/2026", created_by=head)
    sign_in(head)
    page.goto(live_server.url + reverse("clients:revocation_detail", args=[case.pk]))
    expect(page.get_by_test_id("revocation-stage")).to_have_text("TPP merekomendasikan pencabutan, menunggu surat pertimbangan ke jaksa")
    steps = page.get_by_test_id("revocation-steps")
    expect(steps).to_contain_text("Surat pertimbangan ke jaksa")
    expect(steps).not_to_contain_text("Pencabutan sementara")
    next_step = page.get_by_test_id("revocation-next")
    expect(next_step.locator("#id_sent_to")).to_have_value("Kepala Kejaksaan Negeri")
    next_step.locator("#id_sent_letter_number").fill("W.PK/21/2026")
    page.once("dialog", lambda dialog: dialog.accept())
    next_step.get_by_role("button", name="Catat").click()
    expect(page.get_by_text("Surat pertimbangan ke jaksa dicatat.")).to_be_visible()
    expect(page.get_by_test_id("revocation-stage")).to_have_text("Pertimbangan dikirim ke jaksa, menunggu putusan pengadilan")
    expect(page.get_by_text("Menunggu langkah Kasi/Kasubsi.")).to_be_visible()
    screenshot(page, "court-path")
    case.refresh_from_db()
    assert (case.stage, case.sent_letter_number, case.suspended_on) == ("sent", "W.PK/21/2026", None)
