"""Deleting a programme session logged by mistake (on the wrong programme, or one that never took
place): its attendance goes with it, every participant's hours are worked out again, and the one
audit entry keeps what was deleted and why."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import Attendance, Enrolment, PlannedSession, ProgrammeSession
from tests.programs.helpers import correction, enrolled, logged, logged_days_ago, session_post


def url(session):
    return reverse("programs:session_delete", args=[session.pk])


def deletion(session, reason="Dicatat pada program yang salah", **extra):
    return {"reason": reason, "expected_version": session.version, **extra}


def nothing_deleted(session, marks):
    return (ProgrammeSession.objects.filter(pk=session.pk).exists() and Attendance.objects.filter(session=session).count() == marks
            and not AuditEntry.objects.filter(action="programme_session.delete").exists())


@pytest.mark.django_db
def test_the_facilitator_deletes_a_session_and_its_marks_and_hours_follow(login, pk, programme):
    a, b, c = enrolled(programme, pk, 3)
    client = login(pk)
    kept = logged(client, programme, [a, b, c], hours="2")
    data = {**session_post([a, b, c], ["present", "absent", "excused"], hours="1.5"), "topic": "Bukan sesi ini", "notes": "Di aula"}
    assert client.post(reverse("programs:session_log", args=[programme.pk]), data).status_code == 302
    mistaken = ProgrammeSession.objects.latest("pk")
    assert Enrolment.objects.get(pk=a.pk).hours_attended == Decimal("3.5")

    page = client.get(url(mistaken)).content.decode()
    assert f"{mistaken.date:%d-%m-%Y}" in page and "1,5 jam" in page and "Bukan sesi ini" in page and str(pk) in page
    assert "1 hadir, 1 tidak hadir, 1 izin" in page

    response = client.post(url(mistaken), deletion(mistaken), follow=True)
    assert response.redirect_chain == [(reverse("programs:programme_detail", args=[programme.pk]), 302)]
    assert f"Sesi {mistaken.date:%d-%m-%Y} dihapus." in response.content.decode()
    assert list(ProgrammeSession.objects.all()) == [kept]
    assert Attendance.objects.count() == 3 and not Attendance.objects.exclude(session=kept).exists()
    assert {e.pk: e.hours_attended for e in Enrolment.objects.all()} == {a.pk: Decimal("2.0"), b.pk: Decimal("2.0"), c.pk: Decimal("2.0")}
    assert set(Enrolment.objects.values_list("status", "start_date")) == {("active", timezone.localdate())}  # left as they were
    entry = AuditEntry.objects.get(action="programme_session.delete")
    assert (entry.actor, entry.office, entry.object_type, entry.object_id) == (pk, pk.office, "programs.programmesession", str(mistaken.pk))
    assert entry.detail == {
        "programme": programme.pk, "date": mistaken.date.isoformat(), "duration_hours": "1.5", "topic": "Bukan sesi ini",
        "facilitator": "PK", "notes": "Di aula", "recorded_by": pk.pk, "reason": "Dicatat pada program yang salah",
        "attendance": {str(a.pk): "present", str(b.pk): "absent", str(c.pk): "excused"},
    }


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   ", "x" * 201])
def test_a_reason_is_required_and_nothing_is_deleted_without_one(login, pk, programme, reason):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    response = client.post(url(session), deletion(session, reason=reason))
    (message,) = response.context["form"].errors["reason"]
    assert response.status_code == 200 and message in response.content.decode()
    assert nothing_deleted(session, marks=1) and Enrolment.objects.get().hours_attended == Decimal("2.0")


@pytest.mark.django_db
def test_a_session_corrected_since_the_page_was_opened_is_not_deleted(login, pk, supervisor, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    opened_at = deletion(session)  # the facilitator opens the delete page at version 1 ...
    assert login(supervisor).post(reverse("programs:session_correct", args=[session.pk]),
                                  correction(session, [a], ["absent"])).status_code == 302  # ... the Kasi corrects it
    response = login(pk).post(url(session), opened_at)
    assert response.status_code == 409 and "sudah diubah oleh pengguna lain" in response.content.decode()
    assert nothing_deleted(session, marks=1) and Attendance.objects.get().status == "absent"


@pytest.mark.django_db
def test_who_may_delete(login, pk, pk2, supervisor, head, programme):
    (a,) = enrolled(programme, pk)
    session = logged(login(pk), programme, [a])
    for other in (pk2, head):  # same office, not this programme's facilitator nor a Kasi
        assert login(other).get(url(session)).status_code == 403
        assert login(other).post(url(session), deletion(session)).status_code == 403
    assert nothing_deleted(session, marks=1)
    assert login(supervisor).post(url(session), deletion(session)).status_code == 302
    assert not ProgrammeSession.objects.exists() and Enrolment.objects.get().hours_attended == Decimal("0")


@pytest.mark.django_db
def test_another_office_gets_404_and_nothing_is_deleted(login, pk, outsider_supervisor, programme):
    (a,) = enrolled(programme, pk)
    session = logged(login(pk), programme, [a])
    outsider = login(outsider_supervisor)
    assert outsider.get(url(session)).status_code == 404
    assert outsider.post(url(session), deletion(session)).status_code == 404
    assert nothing_deleted(session, marks=1)


@pytest.mark.django_db
def test_the_correction_page_links_to_the_delete_page(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    session = logged(client, programme, [a])
    assert url(session) in client.get(reverse("programs:session_correct", args=[session.pk])).content.decode()
    assert "Hapus sesi" not in client.get(reverse("programs:session_log", args=[programme.pk])).content.decode()
    assert f'href="{reverse("programs:session_correct", args=[session.pk])}">Batal' in client.get(url(session)).content.decode()


@pytest.mark.django_db
def test_a_session_on_a_scheduled_date_says_the_date_will_count_as_not_logged(login, pk, programme):
    (a,) = enrolled(programme, pk)
    client = login(pk)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    on_schedule = logged(client, programme, [a])
    assert 'data-testid="schedule-hint"' not in client.get(url(on_schedule)).content.decode()
    PlannedSession.objects.create(programme=programme, date=on_schedule.date, created_by=pk)
    PlannedSession.objects.create(programme=programme, date=yesterday, created_by=pk)  # another day's
    hint = client.get(url(on_schedule)).content.decode().split('data-testid="schedule-hint">')[1].split("</p>")[0]
    assert "kembali terhitung sebagai sesi terjadwal yang belum dicatat" in hint
    assert "Jika sesi itu tidak dilaksanakan, tandai tanggalnya “Tidak dilaksanakan” pada jadwal di halaman program." in hint
    # A date older than the reminder looks back is not asked after again: no hint.
    old = logged_days_ago(client, programme, [a], 40)
    PlannedSession.objects.create(programme=programme, date=old.date, created_by=pk)
    assert 'data-testid="schedule-hint"' not in client.get(url(old)).content.decode()
