import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import Attendance, Enrolment, Partner, PlannedSession, Programme, ProgrammeSession
from tests.programs.helpers import enrolled, session_post

TODAY = timezone.localdate


@pytest.mark.django_db
def test_logging_a_session_records_attendance_and_adds_hours(login, pk, programme):
    a, b, c = enrolled(programme, pk, 3)
    response = login(pk).post(reverse("programs:session_log", args=[programme.pk]),
                              session_post([a, b, c], ["present", "absent", "excused"], hours="2.5"))
    assert response.status_code == 302
    assert Attendance.objects.count() == 3
    login(pk).post(reverse("programs:session_log", args=[programme.pk]), session_post([a, b, c], hours="1.5"))
    hours = {e.pk: e.hours_attended for e in Enrolment.objects.all()}
    assert hours == {a.pk: Decimal("4.0"), b.pk: Decimal("1.5"), c.pk: Decimal("1.5")}
    assert AuditEntry.objects.filter(action="programme_session.create").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("hours, ok", [("0", True), ("12", True), ("12.5", False), ("-1", False)])
def test_session_duration_is_0_to_12_hours(login, pk, programme, hours, ok):
    (a,) = enrolled(programme, pk)
    response = login(pk).post(reverse("programs:session_log", args=[programme.pk]), session_post([a], hours=hours))
    assert (response.status_code == 302) is ok
    assert ProgrammeSession.objects.exists() is ok


@pytest.mark.django_db
def test_every_participant_must_be_marked_and_only_participants(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    response = login(pk).post(reverse("programs:session_log", args=[programme.pk]), session_post([a]))
    assert "Tandai kehadiran" in response.content.decode() and not ProgrammeSession.objects.exists()
    other = Programme.objects.create(office=pk.office, name="Lain", programme_type="other", facilitator_officer=pk)
    (outsider_enrolment,) = enrolled(other, pk)
    data = session_post([a, b]) | {f"att-{outsider_enrolment.pk}": "present"}
    login(pk).post(reverse("programs:session_log", args=[programme.pk]), data)
    assert not Attendance.objects.filter(enrolment=outsider_enrolment).exists()


@pytest.mark.django_db
def test_an_individual_session_records_only_the_participants_marked(login, pk):
    """One counselling session is one client's: the others' attendance is not theirs to record."""
    counselling = Programme.objects.create(office=pk.office, name="Konseling individu", programme_type="konseling",
                                           delivery="individual", facilitator_officer=pk, planned_hours=Decimal("8"))
    a, b, c = enrolled(counselling, pk, 3)
    url = reverse("programs:session_log", args=[counselling.pk])
    page = login(pk).get(url).content.decode()
    assert 'data-testid="individual-hint"' in page and "Tandai semua hadir" not in page
    assert page.count('value="none" checked') == 3  # each left out unless marked
    response = login(pk).post(url, session_post([], hours="1"))
    assert "Tandai peserta yang mengikuti sesi ini." in response.content.decode() and not ProgrammeSession.objects.exists()

    assert login(pk).post(url, session_post([b], hours="1") | {f"att-{a.pk}": "none"}).status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", "status")) == [(b.pk, "present")]
    assert {e.pk: e.hours_attended for e in Enrolment.objects.all()} == {a.pk: Decimal("0"), b.pk: Decimal("1.0"),
                                                                          c.pk: Decimal("0")}


@pytest.mark.django_db
def test_a_refused_session_keeps_the_attendance_already_marked(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    response = login(pk).post(reverse("programs:session_log", args=[programme.pk]),
                              session_post([a, b], ["excused", "absent"], hours="13"))
    html = response.content.decode()
    assert f'id="att-{a.pk}-excused" value="excused" checked>' in html
    assert f'id="att-{b.pk}-absent" value="absent" checked>' in html
    assert f'id="att-{a.pk}-present" value="present" >' in html
    assert html.count(" checked>") == 2


@pytest.mark.django_db
def test_future_session_is_refused(login, pk, programme):
    (a,) = enrolled(programme, pk)
    response = login(pk).post(reverse("programs:session_log", args=[programme.pk]),
                              session_post([a], day=TODAY() + datetime.timedelta(days=1)))
    assert "masa depan" in response.content.decode()


@pytest.mark.django_db
def test_session_page_query_count_is_the_same_for_2_and_40_participants(login, pk, programme):
    client = login(pk)
    url = reverse("programs:session_log", args=[programme.pk])
    enrolments = enrolled(programme, pk, 2)

    def count(method, data=None):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(url, data or {})
        assert response.status_code in (200, 302)
        return len(queries)

    get_few, post_few = count("get"), count("post", session_post(enrolments))
    enrolments += enrolled(programme, pk, 38)
    # Opening the form looks up the topic of the day's date on the schedule: one query, whether or
    # not the day has one (the first count had none).
    PlannedSession.objects.create(programme=programme, date=TODAY(), topic="Mengelola emosi", created_by=pk)
    assert count("get") == get_few
    assert count("post", session_post(enrolments, day=TODAY() - datetime.timedelta(days=1))) == post_few


@pytest.mark.django_db
def test_enrolment_statuses_need_reasons_to_leave(login, pk, programme):
    (enrolment,) = enrolled(programme, pk)
    url = reverse("programs:enrolment_status", args=[enrolment.pk])
    response = login(pk).post(url, {"status": "dropped", "on": TODAY().isoformat(), "row_version": 1})
    assert "alasan" in response.content.decode().lower()
    assert login(pk).post(url, {"status": "dropped", "on": TODAY().isoformat(), "reason": "Pindah kerja",
                                "row_version": 1}).status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.ended_on, enrolment.status_reason) == ("dropped", TODAY(), "Pindah kerja")
    response = login(pk).post(url, {"status": "active", "on": TODAY().isoformat(), "row_version": 2})
    assert "tidak dapat diubah" in response.content.decode()
    stale = login(pk).post(url, {"status": "completed", "on": TODAY().isoformat(), "row_version": 1})
    assert stale.status_code == 409


@pytest.mark.django_db
def test_client_cannot_be_enrolled_twice_while_open(login, pk, programme, supervision):
    url = reverse("programs:enrol", args=[supervision.pk])
    data = {"programme": programme.pk, "referral_date": TODAY().isoformat()}
    assert login(pk).post(url, data).status_code == 302
    assert Enrolment.objects.get().status == "referred"
    again = login(pk).post(url, data)
    assert "sudah terdaftar" in again.content.decode() and Enrolment.objects.count() == 1


@pytest.mark.django_db
def test_client_page_shows_hours_against_the_dosage_target(login, pk, programme, supervision):
    (enrolment,) = enrolled(programme, pk, supervision=supervision)
    login(pk).post(reverse("programs:session_log", args=[programme.pk]), session_post([enrolment], hours="3"))
    supervision.risk_level = "Tinggi"
    supervision.save()
    page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    dosage = page[page.index('data-testid="dosage"'):]
    dosage = dosage[:dosage.index("</span>")]
    assert "<strong>3,0</strong>" in dosage and "target 200 jam" in dosage


@pytest.mark.django_db
def test_programmes_matching_top_needs_are_suggested(login, pk, programme, supervision):
    from assessments.models import Assessment, InstrumentVersion

    version = InstrumentVersion.objects.get(instrument__code="KRIMINOGENIK")
    Assessment.objects.create(supervision=supervision, version=version, status="final", assessed_on=TODAY(), assessor=pk,
                              final_level="Sedang", computed_level="Sedang",
                              domain_scores={"Sikap Anti-Sosial": {"score": 5, "level": "Tinggi", "max": 5},
                                             "Waktu Luang": {"score": 0, "level": "Rendah", "max": 2}})
    Programme.objects.create(office=pk.office, name="Tidak cocok", programme_type="other", facilitator_officer=pk,
                             need_domains=["Waktu Luang"])
    page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert "Konseling kelompok" in page and "50 tempat" in page and "Tidak cocok" not in page


@pytest.mark.django_db
def test_partner_list_warns_of_expiring_agreements(login, pk):
    Partner.objects.create(office=pk.office, name="BLK Segera", kind="blk", agreement_end=TODAY() + datetime.timedelta(days=59))
    Partner.objects.create(office=pk.office, name="BLK Lama", kind="blk", agreement_end=TODAY() + datetime.timedelta(days=61))
    page = login(pk).get(reverse("programs:partners")).content.decode()
    warning = page[page.index("segera berakhir"):page.index("</div>", page.index("segera berakhir"))]
    assert "BLK Segera" in warning and "BLK Lama" not in warning


@pytest.mark.django_db
def test_partner_dates_must_be_in_order(login, supervisor):
    response = login(supervisor).post(reverse("programs:partner_create"), {
        "name": "X", "kind": "blk", "agreement_start": "2026-05-01", "agreement_end": "2026-01-01", "active": "on"})
    assert response.status_code == 200 and not Partner.objects.exists()


@pytest.mark.django_db
def test_supervisor_creates_a_programme_with_need_domains(login, supervisor):
    response = login(supervisor).post(reverse("programs:programme_create"), {
        "name": "Mediasi", "programme_type": "mediasi_keluarga", "delivery": "individual",
        "facilitator_officer": supervisor.pk, "need_domains": ["Keluarga dan Pernikahan"],
        "planned_sessions": 4, "planned_hours": "6", "active": "on"})
    assert response.status_code == 302
    assert Programme.objects.get().need_domains == ["Keluarga dan Pernikahan"]
    no_facilitator = login(supervisor).post(reverse("programs:programme_create"), {
        "name": "Tanpa", "programme_type": "other", "delivery": "group", "planned_sessions": 1, "planned_hours": "1"})
    assert "fasilitator" in no_facilitator.content.decode()


@pytest.mark.django_db
def test_access_rules(login, pk, pk2, outsider, outsider_supervisor, head, programme, supervision):
    (enrolment,) = enrolled(programme, pk, supervision=supervision)
    for user in (outsider, outsider_supervisor):
        client = login(user)
        for name, arg in [("programs:programme_detail", programme.pk), ("programs:session_log", programme.pk),
                          ("programs:enrol", supervision.pk), ("programs:enrolment_status", enrolment.pk)]:
            assert client.get(reverse(name, args=[arg])).status_code == 404, name
    # A colleague sees the programme but not this participant, and may not log its sessions.
    colleague = login(pk2)
    page = colleague.get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert supervision.client.full_name not in page
    assert colleague.get(reverse("programs:session_log", args=[programme.pk])).status_code == 403
    assert colleague.get(reverse("programs:enrolment_status", args=[enrolment.pk])).status_code == 404
    assert login(pk).get(reverse("programs:partner_create")).status_code == 403
    assert login(head).get(reverse("programs:enrol", args=[supervision.pk])).status_code == 403


@pytest.mark.django_db
def test_anonymous_goes_to_login(client, programme):
    for name, args in [("programs:programmes", []), ("programs:partners", []), ("programs:programme_detail", [programme.pk])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_list_pages_query_counts_do_not_grow(login, pk, programme):
    client = login(pk)
    Partner.objects.create(office=pk.office, name="Mitra awal", kind="other")
    enrolled(programme, pk)  # an empty page of participants reads no rows at all

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [reverse("programs:programmes"), reverse("programs:partners"), reverse("programs:programme_detail", args=[programme.pk])]
    before = [count(url) for url in urls]
    enrolled(programme, pk, 12)
    for index in range(12):
        Programme.objects.create(office=pk.office, name=f"P{index}", programme_type="other", facilitator_officer=pk)
        Partner.objects.create(office=pk.office, name=f"M{index}", kind="other")
    assert [count(url) for url in urls] == before


@pytest.mark.django_db
def test_a_full_programme_takes_no_more_clients(login, pk, supervision):
    small = Programme.objects.create(office=pk.office, name="Kelas kecil", programme_type="keterampilan",
                                     facilitator_officer=pk, capacity=1)
    enrolled(small, pk)
    response = login(pk).post(reverse("programs:enrol", args=[supervision.pk]),
                              {"programme": small.pk, "referral_date": TODAY().isoformat()})
    assert "sudah penuh" in response.content.decode()
    assert small.enrolments.count() == 1


@pytest.mark.django_db
def test_managers_of_another_office_get_404_on_partners_and_programmes(login, pk, programme, outsider_supervisor, other_office):
    from tests.factories import UserFactory

    partner = Partner.objects.create(office=pk.office, name="BLK PLG", kind="blk")
    outsider_admin = UserFactory(office=other_office, role="admin")
    for user in (outsider_supervisor, outsider_admin):
        client = login(user)
        assert client.get(reverse("programs:partner_edit", args=[partner.pk])).status_code == 404
        assert client.post(reverse("programs:programme_edit", args=[programme.pk]), {"name": "x"}).status_code == 404
        assert "BLK PLG" not in client.get(reverse("programs:partners")).content.decode()
        assert programme.name not in client.get(reverse("programs:programmes")).content.decode()


@pytest.mark.django_db
def test_a_programmes_participants_are_shown_by_tab_with_their_hours_and_paged(login, pk, programme):
    a, b, c = enrolled(programme, pk, 3)
    Enrolment.objects.filter(pk=c.pk).update(status="completed", ended_on=TODAY(), hours_attended=Decimal("16"))
    Enrolment.objects.filter(pk=a.pk).update(hours_attended=Decimal("4.5"))
    client = login(pk)
    url = reverse("programs:programme_detail", args=[programme.pk])
    page = client.get(url).content.decode()
    assert page.count('data-testid="participant"') == 2 and "4,5 / 16,0 jam" in page  # those taking part, by default
    assert "Sedang ikut (2)" in page and "Sudah berakhir (1)" in page and "Semua (3)" in page
    page = client.get(url, {"peserta_status": "ended"}).content.decode()
    assert page.count('data-testid="participant"') == 1 and c.supervision.client.full_name in page
    assert client.get(url, {"peserta_status": "all"}).content.decode().count('data-testid="participant"') == 3
    assert client.get(url, {"peserta_status": "lain"}).content.decode().count('data-testid="participant"') == 2

    enrolled(programme, pk, 25)
    page = client.get(url, {"sesi": "1"}).content.decode()
    assert page.count('data-testid="participant"') == 25 and "?sesi=1&peserta=2" in page  # the other list's page kept
    assert client.get(url, {"peserta": "2"}).content.decode().count('data-testid="participant"') == 2


@pytest.mark.django_db
def test_the_programme_list_shows_when_each_programme_last_met(login, pk, programme):
    (a,) = enrolled(programme, pk)
    quiet = Programme.objects.create(office=pk.office, name="Belum berjalan", programme_type="other", facilitator_officer=pk)
    for days_ago in (14, 7):
        day = TODAY() - datetime.timedelta(days=days_ago)
        assert login(pk).post(reverse("programs:session_log", args=[programme.pk]), session_post([a], day=day)).status_code == 302
    page = login(pk).get(reverse("programs:programmes")).content.decode()
    assert "Sesi terakhir" in page and f"{TODAY() - datetime.timedelta(days=7):%d-%m-%Y}" in page
    assert f"{TODAY() - datetime.timedelta(days=14):%d-%m-%Y}" not in page
    row = page[page.index(quiet.name):]
    assert row[:row.index("</tr>")].endswith("<td>—</td>")
