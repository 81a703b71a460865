import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Attendance, Enrolment, PlannedSession, Programme, ProgrammeSession
from programs.services import enrol, session_log
from tests.factories import SupervisionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_facilitator_adds_a_participant_the_session_left_out(live_server, page, sign_in, pk, screenshot):
    """The referral reached the system after the session was logged: the correction adds the
    participant, takes off one recorded by mistake, and "mark all present" leaves both those not yet
    recorded and the one being taken off alone."""
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    programme = Programme.objects.create(office=pk.office, name="Konseling kelompok", programme_type="konseling",
                                         facilitator_officer=pk, capacity=20)

    def enrolled(name, referred):
        supervision = SupervisionFactory(client__office=pk.office, client__full_name=name, officer=pk)
        return enrol(by=pk, enrolment=Enrolment(programme=programme, supervision=supervision, referral_date=referred))

    recorded = enrolled("Andi Recorded", week_ago)
    mistaken = enrolled("Dewi Salah Catat", week_ago)
    session_log(by=pk, session=ProgrammeSession(programme=programme, date=week_ago, duration_hours=Decimal("2"),
                                                topic="Mengelola emosi", facilitator="PK"),
                attendance={recorded.pk: "absent", mistaken.pk: "absent"})
    left_out = enrolled("Budi Terlewat", week_ago - datetime.timedelta(days=2))
    enrolled("Citra Belum Dirujuk", today)  # referred after the session: not offered

    sign_in(pk)
    page.goto(live_server.url + reverse("programs:programme_detail", args=[programme.pk]))
    page.get_by_role("link", name="koreksi").click()
    added = page.get_by_test_id("unrecorded-row")
    expect(added).to_have_count(1)
    expect(added).to_contain_text("Budi Terlewat")
    expect(page.locator(f"#att-{left_out.pk}-none")).to_be_checked()
    page.locator(f"#att-{mistaken.pk}-none").check()
    page.get_by_role("button", name="Tandai semua hadir").click()
    expect(page.locator(f"#att-{recorded.pk}-present")).to_be_checked()
    expect(page.locator(f"#att-{left_out.pk}-none")).to_be_checked()  # not touched by "mark all"
    expect(page.locator(f"#att-{mistaken.pk}-none")).to_be_checked()  # nor the one being taken off
    page.locator(f"#att-{left_out.pk}-present").check()
    page.fill("#id_reason", "Rujukan dicatat setelah sesi")
    screenshot(page, "session-correction")
    page.get_by_role("button", name="Simpan sesi").click()

    expect(page.get_by_text("Sesi dan kehadiran dikoreksi.")).to_be_visible()
    expect(page.get_by_text("dikoreksi: Rujukan dicatat setelah sesi")).to_be_visible()
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {recorded.pk: "present", left_out.pk: "present"}
    assert Enrolment.objects.get(pk=left_out.pk).hours_attended == Decimal("2.0")


def test_the_facilitator_deletes_a_session_logged_on_the_wrong_programme(live_server, page, sign_in, pk, screenshot):
    """Found from the correction page; the browser asks before deleting, and saying no deletes nothing."""
    programme = Programme.objects.create(office=pk.office, name="Konseling kelompok", programme_type="konseling",
                                         facilitator_officer=pk, capacity=20)
    supervision = SupervisionFactory(client__office=pk.office, client__full_name="Andi Peserta", officer=pk)
    participant = enrol(by=pk, enrolment=Enrolment(programme=programme, supervision=supervision, referral_date=timezone.localdate()))
    session = session_log(by=pk, session=ProgrammeSession(programme=programme, date=timezone.localdate(), duration_hours=Decimal("2"),
                                                          topic="Sesi program lain", facilitator="PK"),
                          attendance={participant.pk: "present"})

    sign_in(pk)
    page.goto(live_server.url + reverse("programs:session_correct", args=[session.pk]))
    page.get_by_role("link", name="Hapus sesi").click()
    expect(page.get_by_test_id("attendance-counts")).to_have_text("1 hadir, 0 tidak hadir, 0 izin")
    page.fill("#id_reason", "Dicatat pada program yang salah")
    screenshot(page, "session-delete")
    delete = page.get_by_role("button", name="Hapus sesi")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(page.get_by_role("heading", name="Hapus sesi — Konseling kelompok")).to_be_visible()
    assert ProgrammeSession.objects.filter(pk=session.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    expect(page.get_by_text(f"Sesi {session.date:%d-%m-%Y} dihapus.")).to_be_visible()
    assert not ProgrammeSession.objects.exists() and Enrolment.objects.get().hours_attended == Decimal("0")


def test_the_facilitator_marks_a_planned_date_that_was_not_held(live_server, page, sign_in, pk, screenshot):
    """The session was cancelled on the day: the date leaves the schedule after the browser asks, and
    saying no leaves it there."""
    programme = Programme.objects.create(office=pk.office, name="Konseling kelompok", programme_type="konseling",
                                         facilitator_officer=pk, capacity=20)
    cancelled = timezone.localdate() - datetime.timedelta(days=2)
    PlannedSession.objects.create(programme=programme, date=cancelled, starts_at=datetime.time(9), topic="Mengelola emosi",
                                  created_by=pk)
    PlannedSession.objects.create(programme=programme, date=timezone.localdate() + datetime.timedelta(days=5), created_by=pk)

    sign_in(pk)
    page.goto(live_server.url + reverse("programs:programme_detail", args=[programme.pk]))
    unlogged = page.get_by_test_id("unlogged-date")
    expect(unlogged).to_have_count(1)
    expect(unlogged).to_contain_text(f"{cancelled:%d-%m-%Y} 09:00 · Mengelola emosi")
    screenshot(page, "schedule-not-logged")
    not_held = unlogged.get_by_role("button", name="Tidak dilaksanakan")
    page.once("dialog", lambda dialog: dialog.dismiss())
    not_held.click()
    expect(unlogged).to_have_count(1)
    assert PlannedSession.objects.count() == 2

    page.once("dialog", lambda dialog: dialog.accept())
    not_held.click()
    expect(page.get_by_text(f"Tanggal {cancelled:%d-%m-%Y} dihapus dari jadwal.")).to_be_visible()
    expect(page.get_by_test_id("unlogged-date")).to_have_count(0)
    expect(page.get_by_test_id("planned")).to_have_count(1)  # the date ahead stays
    assert not PlannedSession.objects.filter(date=cancelled).exists()
