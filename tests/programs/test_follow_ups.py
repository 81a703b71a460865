import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.policy import add_months
from bapas.models import AuditEntry
from clients.services import supervision_close, supervision_reopen
from programs.followups import schedule_after_enrolment, schedule_after_supervision
from programs.models import FollowUp, FollowUpPlan, Programme
from tests.conftest import opened
from tests.programs.helpers import enrolled

TODAY = timezone.localdate


@pytest.fixture
def programme(pk):
    return Programme.objects.create(office=pk.office, name="Pelatihan las", programme_type="keterampilan", facilitator_officer=pk)


def close_enrolment(login, pk, enrolment, status="completed", reason=""):
    return login(pk).post(reverse("programs:enrolment_status", args=[enrolment.pk]),
                          {"status": status, "on": TODAY().isoformat(), "reason": reason, "row_version": enrolment.row_version})


@pytest.mark.django_db
@pytest.mark.parametrize("status, reason", [("completed", ""), ("dropped", "Pindah kota")])
def test_follow_ups_at_the_offsets_after_a_programme_ends(login, pk, programme, status, reason):
    (enrolment,) = enrolled(programme, pk)
    assert close_enrolment(login, pk, enrolment, status, reason).status_code == 302
    due = sorted(FollowUp.objects.values_list("offset_months", "due_date"))
    assert due == [(m, add_months(TODAY(), m)) for m in (3, 6, 12, 24)]
    assert set(FollowUp.objects.values_list("office", flat=True)) == {pk.office_id}  # office pages count by it
    enrolment.refresh_from_db()
    assert schedule_after_enrolment(enrolment) == 0  # completing twice adds nothing
    assert FollowUp.objects.count() == 4


@pytest.mark.django_db
def test_cancelled_enrolment_schedules_nothing(login, pk, programme):
    (enrolment,) = enrolled(programme, pk)
    close_enrolment(login, pk, enrolment, "cancelled", "Salah daftar")
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_follow_ups_after_supervision_closure_use_office_offsets(login, supervisor, supervision):
    FollowUpPlan.objects.create(office=supervision.office, months=[1, 12])
    login(supervisor).post(reverse("clients:supervision_close", args=[supervision.pk]),
                           {"closed_on": TODAY().isoformat(), "reason": "completed", "confirm": "on"})
    assert sorted(FollowUp.objects.values_list("anchor", "offset_months")) == [("supervision_end", 1), ("supervision_end", 12)]
    assert set(FollowUp.objects.values_list("office", flat=True)) == {supervision.office_id}
    supervision.refresh_from_db()
    assert schedule_after_supervision(supervision) == 0


@pytest.mark.django_db
def test_reopening_a_supervision_takes_back_the_follow_ups_its_closure_scheduled_that_are_not_done(login, pk, supervisor, programme):
    (enrolment,) = enrolled(programme, pk)
    close_enrolment(login, pk, enrolment)  # the programme's follow-ups are not the closure's
    supervision = enrolment.supervision
    supervision_close(by=supervisor, supervision=supervision, closed_on=TODAY(), reason="completed")
    ends = FollowUp.objects.filter(supervision=supervision, anchor="supervision_end").order_by("offset_months")
    done, tried = ends[0], ends[1]
    FollowUp.objects.filter(pk=done.pk).update(done_on=TODAY())
    FollowUp.objects.filter(pk=tried.pk).update(attempts=1, last_attempt_on=TODAY())  # tried, not reached: not done
    programme_follow_ups = set(FollowUp.objects.filter(anchor="programme_end").values_list("pk", flat=True))
    assert len(programme_follow_ups) == 4

    supervision_reopen(by=supervisor, supervision=supervision, expected_version=supervision.version, reason="Salah klien")

    assert set(FollowUp.objects.filter(supervision=supervision, anchor="supervision_end").values_list("pk", flat=True)) == {done.pk}
    assert set(FollowUp.objects.filter(anchor="programme_end").values_list("pk", flat=True)) == programme_follow_ups
    assert FollowUp.history.filter(id=tried.pk, history_type="-").exists()  # field history keeps what was taken back


@pytest.mark.django_db
def test_unreached_follow_up_stays_open_and_reached_one_is_done(login, pk, supervision):
    supervision.closed_on, supervision.closure_reason = TODAY(), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    follow_up = FollowUp.objects.order_by("offset_months").first()
    url = reverse("programs:follow_up_edit", args=[follow_up.pk])
    unreached = {"on": TODAY().isoformat(), "method": "phone", "reached": "0", "notes": "Nomor tidak aktif", "row_version": 1}
    assert login(pk).post(url, unreached).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.attempts == 1 and "Nomor tidak aktif" in follow_up.notes
    incomplete = {"on": TODAY().isoformat(), "method": "visit", "reached": "1", "row_version": 2}
    assert login(pk).post(url, incomplete).status_code == 200
    reached = incomplete | {"employment": "good", "housing": "good", "family": "fair", "substance_use": "good",
                            "notes": "Bekerja di bengkel"}
    assert login(pk).post(url, reached).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on == TODAY() and follow_up.attempts == 2 and follow_up.employment == "good"
    assert "Nomor tidak aktif" in follow_up.notes and "Bekerja di bengkel" in follow_up.notes
    assert {"follow_up.unreached", "follow_up.done"} <= set(AuditEntry.objects.values_list("action", flat=True))
    assert login(pk).post(url, reached | {"row_version": 3}).status_code == 200  # already done


@pytest.mark.django_db
def test_a_follow_up_recorded_from_today_comes_back_there(login, pk, supervision):
    supervision.closed_on, supervision.closure_reason = TODAY() - datetime.timedelta(days=100), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    follow_up = FollowUp.objects.filter(done_on__isnull=True, due_date__lte=TODAY()).order_by("offset_months").first()
    today_page = login(pk).get(reverse("bapas:today")).content.decode()
    form_url = reverse("programs:follow_up_edit", args=[follow_up.pk]) + "?next=%2Fhari-ini%2F"
    assert f'href="{form_url}" data-testid="today-action"' in today_page
    unreached = {"on": TODAY().isoformat(), "method": "phone", "reached": "0", "row_version": 1}
    assert login(pk).post(form_url, unreached)["Location"] == "/hari-ini/"
    plain = reverse("programs:follow_up_edit", args=[follow_up.pk])
    assert login(pk).post(plain, unreached | {"row_version": 2})["Location"] == reverse("programs:follow_ups")


@pytest.mark.django_db
def test_follow_up_date_cannot_be_in_the_future_and_stale_edit_is_refused(login, pk, supervision):
    supervision.closed_on, supervision.closure_reason = TODAY(), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    follow_up = FollowUp.objects.first()
    url = reverse("programs:follow_up_edit", args=[follow_up.pk])
    future = {"on": (TODAY() + datetime.timedelta(days=1)).isoformat(), "method": "phone", "reached": "0", "row_version": 1}
    assert "masa depan" in login(pk).post(url, future).content.decode()
    login(pk).post(url, future | {"on": TODAY().isoformat()})
    assert login(pk).post(url, future | {"on": TODAY().isoformat()}).status_code == 409


@pytest.mark.django_db
def test_follow_up_list_filters_and_scope(login, pk, pk2, outsider, supervision):
    supervision.closed_on = TODAY() - datetime.timedelta(days=400)
    supervision.closure_reason = "completed"
    supervision.save()
    schedule_after_supervision(supervision)  # 3, 6 and 12 months are overdue now, 24 is open
    page = login(pk).get(reverse("programs:follow_ups"), {"show": "overdue"}).content.decode()
    assert page.count(supervision.client.full_name) == 3
    assert login(pk).get(reverse("programs:follow_ups"), {"show": "open"}).content.decode().count(supervision.client.full_name) == 4
    for user in (pk2, outsider):
        assert supervision.client.full_name not in login(user).get(reverse("programs:follow_ups"), {"show": "open"}).content.decode()
        assert login(user).get(reverse("programs:follow_up_edit", args=[FollowUp.objects.first().pk])).status_code == 404


def closed_long_ago(officer, name):
    from tests.factories import SupervisionFactory

    supervision = SupervisionFactory(client__office=officer.office, client__full_name=name, officer=officer,
                                     closed_on=TODAY() - datetime.timedelta(days=400), closure_reason="completed")
    schedule_after_supervision(supervision)  # 3, 6 and 12 months overdue, 24 open
    return supervision


@pytest.mark.django_db
def test_follow_up_list_is_searched_and_filtered_and_the_tabs_keep_the_filters(login, pk, pk2, supervisor, programme):
    closed_long_ago(pk, "Ahmad Fauzi")
    closed_long_ago(pk2, "Budi Santoso")
    (enrolment,) = enrolled(programme, pk)
    close_enrolment(login, pk, enrolment)  # programme follow-ups, not yet due
    url = reverse("programs:follow_ups")

    page = login(supervisor).get(url, {"show": "overdue", "q": "fauzi"}).content.decode()
    assert page.count("Ahmad Fauzi") == 3 and "Budi Santoso" not in page
    assert 'href="?show=open&q=fauzi"' in page  # another tab keeps the search
    assert '<input type="hidden" name="show" value="overdue">' in page  # and the search keeps the tab
    page = login(supervisor).get(url, {"show": "open", "officer": pk2.pk}).content.decode()
    assert page.count("Budi Santoso") == 4 and "Ahmad Fauzi" not in page
    assert f'<option value="{pk2.pk}" selected>' in page and "PK</th>" in page
    page = login(pk).get(url, {"show": "open", "anchor": "programme_end"}).content.decode()
    assert enrolment.supervision.client.full_name in page and "Ahmad Fauzi" not in page
    assert 'name="officer"' not in page and "PK</th>" not in page  # a PK's list is their own
    page = login(pk).get(url, {"show": "open", "q": "tidak ada"}).content.decode()
    assert "Tidak ada tindak lanjut yang cocok dengan saringan ini." in page


@pytest.mark.django_db
def test_a_drill_down_to_a_pk_no_longer_active_says_the_list_is_everyones(login, pk, pk2, supervisor):
    closed_long_ago(pk, "Ahmad Fauzi")
    closed_long_ago(pk2, "Budi Santoso")
    pk2.is_active = False
    pk2.save(update_fields=["is_active"])
    for url in (reverse("programs:follow_ups"), reverse("clients:list")):
        page = login(supervisor).get(url, {"show": "open", "officer": pk2.pk}).content.decode()
        assert 'data-testid="filter-errors">PK ini tidak lagi aktif di kantor ini; daftar menampilkan semua PK.</div>' in page, url
    page = login(supervisor).get(reverse("programs:follow_ups"), {"show": "open", "officer": pk.pk}).content.decode()
    assert "filter-errors" not in page and "Budi Santoso" not in page
    page = login(supervisor).get(reverse("clients:list"), {"officer": pk2.pk}, HTTP_HX_REQUEST="true").content.decode()
    assert "PK ini tidak lagi aktif" in page  # the caseload's results, redrawn as the filters change, say it too


@pytest.mark.django_db
def test_an_unknown_tab_shows_what_is_due(login, pk):
    closed_long_ago(pk, "Ahmad Fauzi")
    page = login(pk).get(reverse("programs:follow_ups"), {"show": "semua"}).content.decode()
    assert page.count("Ahmad Fauzi") == 3  # due within two weeks: the three overdue, not the one in a year
    assert 'class="nav-link active" href="?show=due' in page


@pytest.mark.django_db
def test_follow_up_list_query_count_does_not_grow(login, pk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import SupervisionFactory

    def closed():
        s = SupervisionFactory(client__office=pk.office, officer=pk, closed_on=TODAY() - datetime.timedelta(days=800),
                               closure_reason="completed")
        schedule_after_supervision(s)

    closed()
    client = login(pk)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("programs:follow_ups"), {"show": "open"}).status_code == 200
        return len(queries)

    few = count()
    for _ in range(8):
        closed()
    assert count() == few


@pytest.mark.django_db
def test_a_follow_up_that_learns_of_a_new_offence_records_the_event(login, pk, supervision):
    from clients.models import RecidivismEvent

    supervision.closed_on, supervision.closure_reason = TODAY() - datetime.timedelta(days=100), "completed"
    supervision.save()
    schedule_after_supervision(supervision)
    follow_up = FollowUp.objects.order_by("offset_months").first()
    url = reverse("programs:follow_up_edit", args=[follow_up.pk])
    base = {"on": TODAY().isoformat(), "method": "records", "reached": "1", "employment": "poor", "housing": "fair",
            "family": "fair", "substance_use": "poor", "new_offence": "on", "row_version": 1}
    missing = login(pk).post(url, base)
    assert "Isi data peristiwa" in missing.content.decode() and not RecidivismEvent.objects.exists()
    event_day = TODAY() - datetime.timedelta(days=20)
    response = login(pk).post(url, base | {"event_kind": "rearrest", "event_date": event_day.isoformat(), "event_source": "Polres"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    event = follow_up.recidivism_event
    assert (event.kind, event.event_date, event.source, event.client_id) == ("rearrest", event_day, "Polres", supervision.client_id)
    assert event.supervision is None and event.violation is None  # after supervision ended: no violation
    page = login(pk).get(reverse("clients:timeline", args=[supervision.client_id])).content.decode()
    assert 'data-kind="recidivism"' in page

    # Ticked by mistake: deleting the event records the follow-up again as one that found no new offence.
    response = login(pk).post(reverse("clients:recidivism_delete", args=[event.pk]),
                              {"reason": "Salah centang tindak pidana baru", "expected_version": event.version})
    assert response.status_code == 302 and not RecidivismEvent.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.done_on == TODAY() and not follow_up.new_offence and follow_up.recidivism_event is None
    assert follow_up.history.first().history_change_reason == "Salah centang tindak pidana baru"


@pytest.mark.django_db
def test_admin_edits_the_follow_up_offsets(login, admin_user, pk):
    url = reverse("programs:follow_up_plan")
    assert login(pk).get(url).status_code == 403
    assert "3, 6, 12, 24" in login(admin_user).get(url).content.decode()
    assert "Hanya angka" in login(admin_user).post(url, {"months": "3, enam"}).content.decode()
    assert "1 sampai 120" in login(admin_user).post(url, {"months": "0, 6"}).content.decode()
    assert login(admin_user).post(url, {"months": "12, 1, 6, 6", **opened(login(admin_user), url)}).status_code == 302
    assert FollowUpPlan.objects.get(office=admin_user.office).months == [1, 6, 12]
    assert AuditEntry.objects.filter(action="follow_up_plan.update").exists()


@pytest.mark.django_db
def test_case_plan_shows_programmes_per_goal_and_enrols_for_the_goal(login, pk, supervision):
    from assessments.models import CasePlanGoal
    from programs.models import Enrolment

    Programme.objects.create(office=pk.office, name="Mediasi keluarga", programme_type="mediasi_keluarga",
                             facilitator_officer=pk, need_domains=["Keluarga dan Pernikahan"], capacity=5)
    login(pk).post(reverse("assessments:plan", args=[supervision.pk]), {
        "goal-need_domain": "Keluarga dan Pernikahan", "goal-goal": "Rukun dengan istri",
        "goal-target_date": (TODAY() + datetime.timedelta(days=60)).isoformat()})
    goal = CasePlanGoal.objects.get()
    page = login(pk).get(reverse("assessments:plan", args=[supervision.pk])).content.decode()
    assert 'data-testid="plan-programmes"' in page and "Mediasi keluarga" in page and "5 tempat" in page
    programme = Programme.objects.get(name="Mediasi keluarga")
    response = login(pk).post(reverse("programs:enrol", args=[supervision.pk]) + f"?programme={programme.pk}&goal={goal.pk}",
                              {"programme": programme.pk, "goal": goal.pk, "referral_date": TODAY().isoformat()})
    assert response["Location"] == reverse("assessments:plan", args=[supervision.pk])
    assert Enrolment.objects.get().goal == goal
    page = login(pk).get(reverse("assessments:plan", args=[supervision.pk])).content.decode()
    assert "✓" in page
