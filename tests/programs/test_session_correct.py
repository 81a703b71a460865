"""Correcting a logged programme session: its date, hours and topic and the attendance it recorded,
with a reason; every participant's hours are worked out again."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import Attendance, Enrolment, Programme, ProgrammeSession
from tests.programs.helpers import correction, enrolled, logged, logged_days_ago


def url(session):
    return reverse("programs:session_correct", args=[session.pk])


@pytest.mark.django_db
def test_the_facilitator_corrects_hours_and_a_mark_and_every_participants_hours_follow(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    client = login(pk)
    session = logged(client, programme, [a, b], ["present", "absent"], hours="2")
    assert url(session) in client.get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    page = client.get(url(session)).content.decode()
    assert f'name="att-{b.pk}" id="att-{b.pk}-absent" value="absent" checked' in page  # the marks as recorded

    response = client.post(url(session), correction(session, [a, b], ["present", "present"], hours="3"))
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.version == 2 and session.duration_hours == Decimal("3") and session.correction_reason == "Durasi salah"
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {a.pk: "present", b.pk: "present"}
    assert {e.pk: e.hours_attended for e in Enrolment.objects.all()} == {a.pk: Decimal("3.0"), b.pk: Decimal("3.0")}
    entry = AuditEntry.objects.get(action="programme_session.correct")
    assert entry.detail["changed"] == ["duration_hours"] and entry.detail["attendance"] == {str(b.pk): ["absent", "present"]}
    assert "dikoreksi: Durasi salah" in client.get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()


@pytest.mark.django_db
def test_a_stale_form_is_refused(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    assert client.post(url(session), correction(session, [a], ["absent"])).status_code == 302
    response = client.post(url(session), correction(session, [a], ["excused"]))  # opened at version 1
    assert response.status_code == 409
    assert Attendance.objects.get().status == "absent"


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"duration_hours": "13"}, "Durasi sesi 0 sampai 12 jam"),
    ({"date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "tidak boleh di masa depan"),
    ({"reason": ""}, "Bidang ini tidak boleh kosong"),
])
def test_bad_corrections_say_why_and_change_nothing(login, pk, programme, changes, message):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    response = client.post(url(session), {**correction(session, [a], ["absent"]), **changes})
    assert response.status_code == 200 and message in response.content.decode()
    assert Attendance.objects.get().status == "present" and Enrolment.objects.get().hours_attended == Decimal("2.0")


@pytest.mark.django_db
def test_a_participant_enrolled_that_day_but_left_out_is_added(login, pk, programme):
    """The referral was entered after the session was logged: the correction adds the participant's
    mark, and their hours and start follow."""
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged_days_ago(client, programme, [a], days=7)
    week_ago = session.date
    (left_out,) = enrolled(programme, pk)
    Enrolment.objects.filter(pk=left_out.pk).update(referral_date=week_ago - datetime.timedelta(days=3), start_date=None,
                                                    status="referred")
    page = client.get(url(session)).content.decode()
    assert 'data-testid="unrecorded-row"' in page and left_out.supervision.client.full_name in page
    assert f'id="att-{left_out.pk}-none" value="none" checked' in page  # left out unless marked

    response = client.post(url(session), {**correction(session, [a], ["present"], reason="Peserta terlewat"),
                                          f"att-{left_out.pk}": "present"})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {a.pk: "present", left_out.pk: "present"}
    left_out.refresh_from_db()
    assert left_out.hours_attended == Decimal("2.0") and left_out.status == "active" and left_out.start_date == week_ago
    entry = AuditEntry.objects.get(action="programme_session.correct")
    assert entry.detail["attendance"] == {str(left_out.pk): [None, "present"]}
    assert 'data-testid="unrecorded-row"' not in client.get(url(session)).content.decode()


@pytest.mark.django_db
def test_a_participant_left_unmarked_is_not_added(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    (left_out,) = enrolled(programme, pk)
    response = client.post(url(session), {**correction(session, [a], ["absent"]), f"att-{left_out.pk}": "none"})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [a.pk]
    assert Enrolment.objects.get(pk=left_out.pk).hours_attended == Decimal("0")


@pytest.mark.django_db
def test_only_participants_enrolled_on_the_sessions_day_can_be_added(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged_days_ago(client, programme, [a], days=7)
    late, cancelled, ended = enrolled(programme, pk, 3)  # referred today: after the session
    Enrolment.objects.filter(pk__in=[cancelled.pk, ended.pk]).update(referral_date=session.date - datetime.timedelta(days=30))
    Enrolment.objects.filter(pk=cancelled.pk).update(status="cancelled", ended_on=session.date)
    Enrolment.objects.filter(pk=ended.pk).update(status="dropped", ended_on=session.date - datetime.timedelta(days=1))
    page = client.get(url(session)).content.decode()
    assert 'data-testid="unrecorded-participants"' not in page
    data = correction(session, [a], ["absent"])
    for outside in (late, cancelled, ended):
        data[f"att-{outside.pk}"] = "present"
    assert client.post(url(session), data).status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [a.pk]


@pytest.mark.django_db
def test_moving_the_session_before_an_added_participants_referral_is_refused(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    (left_out,) = enrolled(programme, pk)  # referred today, the session's day
    earlier = (session.date - datetime.timedelta(days=2)).isoformat()
    response = client.post(url(session), {**correction(session, [a], ["present"]), "date": earlier,
                                          f"att-{left_out.pk}": "present"})
    assert response.status_code == 200
    assert "terdaftar pada tanggalnya" in response.content.decode()
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [a.pk]
    session.refresh_from_db()
    assert session.version == 1 and session.date == timezone.localdate()


@pytest.mark.django_db
def test_a_participant_recorded_by_mistake_is_taken_off_and_their_hours_follow(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    client = login(pk)
    logged(client, programme, [a, b], hours="2")
    session = logged(client, programme, [a, b], ["present", "present"], hours="3")
    page = client.get(url(session)).content.decode()
    assert 'data-testid="removal-hint"' in page
    assert f'id="att-{b.pk}-none" value="none" >' in page  # offered, not chosen

    response = client.post(url(session), correction(session, [a, b], ["present", "none"], hours="3", reason="Salah peserta"))
    assert response.status_code == 302
    assert list(Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True)) == [a.pk]
    assert {e.pk: e.hours_attended for e in Enrolment.objects.all()} == {a.pk: Decimal("5.0"), b.pk: Decimal("2.0")}
    b.refresh_from_db()
    assert (b.status, b.start_date) == ("active", timezone.localdate())  # left as it was
    entry = AuditEntry.objects.get(action="programme_session.correct")
    assert entry.detail["attendance"] == {str(b.pk): ["present", None]} and entry.detail["reason"] == "Salah peserta"
    session.refresh_from_db()
    assert session.version == 2
    assert 'data-testid="unrecorded-row"' in client.get(url(session)).content.decode()  # may be added back


@pytest.mark.django_db
def test_taking_every_participant_off_is_refused_and_nothing_changes(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    client = login(pk)
    session = logged(client, programme, [a, b], ["present", "absent"])
    response = client.post(url(session), correction(session, [a, b], ["none", "none"], hours="3"))
    html = response.content.decode()
    assert response.status_code == 200 and "Sedikitnya satu peserta harus tetap tercatat pada sesi ini." in html
    assert f'id="att-{a.pk}-none" value="none" checked' in html  # the choice is kept to change
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {a.pk: "present", b.pk: "absent"}
    assert Enrolment.objects.get(pk=a.pk).hours_attended == Decimal("2.0")
    session.refresh_from_db()
    assert session.version == 1 and session.duration_hours == Decimal("2")
    assert not AuditEntry.objects.filter(action="programme_session.correct").exists()


@pytest.mark.django_db
def test_the_wrong_participant_is_replaced_by_the_right_one(login, pk):
    """An individual session logged on the wrong client: taking their mark off is allowed, as the
    session keeps the participant added in the same correction."""
    counselling = Programme.objects.create(office=pk.office, name="Konseling individu", programme_type="konseling",
                                           delivery="individual", facilitator_officer=pk)
    wrong, right = enrolled(counselling, pk, 2)
    client = login(pk)
    session = logged(client, counselling, [wrong], hours="1")
    response = client.post(url(session), {**correction(session, [wrong], ["none"], hours="1"), f"att-{right.pk}": "present"})
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("enrolment_id", "status")) == [(right.pk, "present")]
    assert {e.pk: e.hours_attended for e in Enrolment.objects.all()} == {wrong.pk: Decimal("0"), right.pk: Decimal("1.0")}
    entry = AuditEntry.objects.get(action="programme_session.correct")
    assert entry.detail["attendance"] == {str(wrong.pk): ["present", None], str(right.pk): [None, "present"]}


@pytest.mark.django_db
def test_a_stale_removal_is_refused(login, pk, programme):
    a, b = enrolled(programme, pk, 2)
    client = login(pk)
    session = logged(client, programme, [a, b])
    assert client.post(url(session), correction(session, [a, b], ["present", "absent"])).status_code == 302
    response = client.post(url(session), correction(session, [a, b], ["present", "none"]))  # opened at version 1
    assert response.status_code == 409
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {a.pk: "present", b.pk: "absent"}


@pytest.mark.django_db
def test_another_office_cannot_take_a_mark_off(login, pk, outsider_supervisor, programme):
    a, b = enrolled(programme, pk, 2)
    session = logged(login(pk), programme, [a, b])
    assert login(outsider_supervisor).post(url(session), correction(session, [a, b], ["present", "none"])).status_code == 404
    assert Attendance.objects.count() == 2 and ProgrammeSession.objects.get().version == 1


@pytest.mark.django_db
def test_who_may_correct(login, pk, pk2, supervisor, head, outsider_supervisor, programme):
    (a,) = enrolled(programme, pk)
    session = logged(login(pk), programme, [a])
    assert login(supervisor).get(url(session)).status_code == 200
    for other in (pk2, head):
        assert login(other).get(url(session)).status_code == 403
        assert url(session) not in login(other).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert login(outsider_supervisor).get(url(session)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["programs:session_correct", "programs:session_delete"])
def test_query_count_is_the_same_for_2_and_30_participants(login, pk, programme, page):
    """The correction lists every participant; the deletion counts their marks."""
    client = login(pk)

    def count(size):
        enrolled(programme, pk, size)
        session = logged(client, programme, list(Enrolment.objects.filter(programme=programme)))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page, args=[session.pk])).status_code == 200
        return len(queries)

    assert count(2) == count(28)
