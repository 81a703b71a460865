"""A programme's schedule: the dates its sessions are planned for, so the PKs can tell their clients
when to come. Set by those who log its sessions; shown on the programme, in the list and on the
client's page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import PlannedSession
from tests.programs.helpers import enrolled

TODAY = timezone.localdate


def add(client, programme, day, weeks=1, **extra):
    data = {"date": day.isoformat(), "starts_at": "09:00", "place": "Aula Bapas", "topic": "Mengelola emosi", "weeks": weeks}
    return client.post(reverse("programs:schedule_add", args=[programme.pk]), data | extra)


@pytest.mark.django_db
def test_the_facilitator_plans_weekly_dates_and_everyone_sees_the_next(login, pk, programme, supervision):
    enrolled(programme, pk, supervision=supervision)
    start = TODAY() + datetime.timedelta(days=3)
    response = add(login(pk), programme, start, weeks=4)
    assert response.status_code == 302 and response["Location"].endswith("#jadwal")
    assert list(PlannedSession.objects.values_list("date", flat=True)) == [start + datetime.timedelta(weeks=w) for w in range(4)]
    entry = AuditEntry.objects.get(action="programme_schedule.create")
    assert entry.detail == {"dates": [(start + datetime.timedelta(weeks=w)).isoformat() for w in range(4)], "starts_at": "09:00",
                            "place": "Aula Bapas"}

    page = login(pk).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert "4 tanggal ditambahkan ke jadwal." in page and page.count('data-testid="planned"') == 4
    assert f"{start:%d-%m-%Y}</strong> 09:00 · Aula Bapas" in page
    listing = login(pk).get(reverse("programs:programmes")).content.decode()
    assert f"<td>{start:%d-%m-%Y}</td>" in listing
    client_page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert 'data-testid="next-planned"' in client_page and f"{start:%d-%m-%Y} 09:00 · Aula Bapas" in client_page


@pytest.mark.django_db
def test_a_date_that_has_passed_leaves_the_schedule(login, pk, programme, supervision):
    enrolled(programme, pk, supervision=supervision)
    PlannedSession.objects.create(programme=programme, date=TODAY() - datetime.timedelta(days=1), created_by=pk)
    assert 'data-testid="planned"' not in login(pk).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert 'data-testid="next-planned"' not in login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"date": (TODAY() - datetime.timedelta(days=1)).isoformat()}, "tanggal yang sudah lewat"),
    ({"weeks": 0}, "lebih besar dari atau sama dengan 1"),
    ({"weeks": 27}, "lebih kecil dari atau sama dengan 26"),
    ({"starts_at": "25:00"}, "Masukkan waktu yang valid"),
])
def test_an_impossible_schedule_is_refused_and_nothing_is_kept(login, pk, programme, changes, message):
    response = add(login(pk), programme, TODAY(), **changes)
    assert response.status_code == 200 and message in response.content.decode()
    assert not PlannedSession.objects.exists()


@pytest.mark.django_db
def test_a_date_is_taken_off_after_asking(login, pk, programme):
    add(login(pk), programme, TODAY(), weeks=2)
    first = PlannedSession.objects.order_by("date").first()
    url = reverse("programs:schedule_remove", args=[first.pk])
    page = login(pk).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert url in page and 'data-confirm="Hapus tanggal ini dari jadwal?"' in page
    assert login(pk).get(url).status_code == 405
    assert login(pk).post(url).status_code == 302
    assert PlannedSession.objects.count() == 1
    assert AuditEntry.objects.get(action="programme_schedule.delete").detail["date"] == TODAY().isoformat()


@pytest.mark.django_db
def test_who_may_plan(login, pk, pk2, supervisor, head, outsider_supervisor, programme):
    add(login(pk), programme, TODAY())
    planned = PlannedSession.objects.get()
    add_url, remove_url = reverse("programs:schedule_add", args=[programme.pk]), reverse("programs:schedule_remove", args=[planned.pk])
    assert login(supervisor).get(add_url).status_code == 200
    for reader in (pk2, head):  # they see the schedule, but it is not theirs to set
        assert login(reader).get(add_url).status_code == 403 and login(reader).post(remove_url).status_code == 403
        page = login(reader).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
        assert 'data-testid="planned"' in page and add_url not in page and remove_url not in page
    assert login(outsider_supervisor).get(add_url).status_code == 404
    assert login(outsider_supervisor).post(remove_url).status_code == 404
    assert PlannedSession.objects.count() == 1


@pytest.mark.django_db
def test_the_schedule_costs_the_same_for_one_date_or_twenty(login, pk, programme, supervision):
    """Ahead and past alike: the programme's page reads the past dates not logged (for those who log its
    sessions) in one query of its own, whatever their number."""
    enrolled(programme, pk, supervision=supervision)
    client = login(pk)
    urls = [reverse("programs:programme_detail", args=[programme.pk]), reverse("programs:programmes"),
            reverse("clients:detail", args=[supervision.client_id])]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    def past(*days):  # the form refuses a past date
        PlannedSession.objects.bulk_create(PlannedSession(programme=programme, date=TODAY() - datetime.timedelta(days=d), created_by=pk)
                                           for d in days)

    add(client, programme, TODAY())
    past(1)
    few = counts()
    add(client, programme, TODAY() + datetime.timedelta(days=1), weeks=19)
    past(*range(2, 21))
    assert counts() == few
    assert client.get(urls[0]).content.decode().count('data-testid="unlogged-date"') == 20


@pytest.mark.django_db
def test_a_pks_today_lists_their_clients_programme_sessions_of_today_and_tomorrow(login, pk, pk2, supervisor, programme):
    from programs.models import Programme
    from tests.factories import SupervisionFactory

    mine = [SupervisionFactory(client__office=pk.office, officer=pk, client__full_name=name) for name in ("Budi", "Ahmad")]
    theirs = SupervisionFactory(client__office=pk.office, officer=pk2, client__full_name="Citra")
    for supervision in (*mine, theirs):
        enrolled(programme, pk, supervision=supervision)
    skills = Programme.objects.create(office=pk.office, name="Pelatihan las", programme_type="keterampilan", facilitator_officer=pk)
    enrolled(skills, pk, supervision=mine[0])
    PlannedSession.objects.create(programme=programme, date=TODAY() + datetime.timedelta(days=1), starts_at=datetime.time(9),
                                  place="Aula Bapas", created_by=pk)
    PlannedSession.objects.create(programme=skills, date=TODAY(), starts_at=datetime.time(13), place="Bengkel mitra", created_by=pk)
    PlannedSession.objects.create(programme=skills, date=TODAY() + datetime.timedelta(days=3), created_by=pk)

    page = login(pk).get(reverse("bapas:today")).content.decode()
    meetings = page.split('data-testid="clients-meeting"')[1:]
    assert len(meetings) == 2
    assert "Hari ini 13:00" in meetings[0] and "Pelatihan las" in meetings[0] and "Bengkel mitra" in meetings[0]
    assert "Besok 09:00" in meetings[1] and "Ahmad</a>, <a" in meetings[1] and "Budi" in meetings[1]
    assert "Citra" not in page  # another PK's client
    assert 'data-testid="clients-schedule"' in login(pk2).get(reverse("bapas:today")).content.decode()
    assert 'data-testid="clients-schedule"' not in login(supervisor).get(reverse("bapas:today")).content.decode()


@pytest.mark.django_db
def test_a_scheduled_date_that_passed_unlogged_is_asked_after_until_its_session_is_logged(login, pk, pk2, supervisor, programme):
    from bapas.models import Notification
    from bapas.reminders import sweep
    from programs.models import Partner, Programme

    (a,) = enrolled(programme, pk)
    last_week = TODAY() - datetime.timedelta(days=7)
    for day in (last_week, TODAY() - datetime.timedelta(days=2), TODAY() - datetime.timedelta(days=40), TODAY()):
        PlannedSession.objects.create(programme=programme, date=day, created_by=pk)
    partner = Partner.objects.create(office=pk.office, name="Balai Latihan Kerja", kind="other")
    welding = Programme.objects.create(office=pk.office, name="Pelatihan las", programme_type="keterampilan",
                                       facilitator_partner=partner)
    PlannedSession.objects.create(programme=welding, date=last_week, created_by=supervisor)
    client = login(pk)
    assert client.post(reverse("programs:session_log", args=[programme.pk]),
                       {"date": (TODAY() - datetime.timedelta(days=2)).isoformat(), "duration_hours": "2", "topic": "Sesi",
                        "facilitator": "PK", f"att-{a.pk}": "present"}).status_code == 302  # that one was logged

    sweep()
    notices = {(n.recipient_id, n.title) for n in Notification.objects.filter(kind="session_unlogged")}
    assert notices == {(pk.pk, f"Sesi Konseling kelompok {last_week:%d-%m-%Y} belum dicatat"),
                       (supervisor.pk, f"Sesi Pelatihan las {last_week:%d-%m-%Y} belum dicatat")}  # not today's, not 40 days ago
    assert "Sesi terjadwal belum dicatat" not in login(pk2).get(reverse("bapas:today")).content.decode()  # not their programme
    client = login(pk)
    today_page = client.get(reverse("bapas:today")).content.decode()
    url = reverse("programs:session_log", args=[programme.pk]) + f"?tanggal={last_week.isoformat()}"
    assert f'href="{url}"' in today_page and "Pelatihan las" not in today_page
    assert f'value="{last_week.isoformat()}"' in client.get(url).content.decode()  # the form opens on that date

    response = client.post(url, {"date": last_week.isoformat(), "duration_hours": "2", "topic": "Sesi", "facilitator": "PK",
                                 f"att-{a.pk}": "present"})
    assert response.status_code == 302
    assert Notification.objects.get(recipient=pk, kind="session_unlogged").resolved_at is not None
    assert "Sesi terjadwal belum dicatat" not in client.get(reverse("bapas:today")).content.decode()


def topic_shown(response) -> str:
    """The value the session form's topic field opens with."""
    field = re.search(r'<input [^>]*name="topic"[^>]*>', response.content.decode()).group()
    value = re.search(r'value="([^"]*)"', field)
    return value.group(1) if value else ""


@pytest.mark.django_db
def test_logging_a_session_on_a_planned_date_starts_with_the_plans_topic(login, pk, programme):
    from programs.models import Programme

    (a,) = enrolled(programme, pk)
    last_week = TODAY() - datetime.timedelta(days=7)
    for starts_at, topic in ((datetime.time(13), "Menyusun rencana"), (datetime.time(9), "Mengenali pemicu"), (datetime.time(8), "")):
        PlannedSession.objects.create(programme=programme, date=last_week, starts_at=starts_at, topic=topic, created_by=pk)
    welding = Programme.objects.create(office=pk.office, name="Pelatihan las", programme_type="keterampilan", facilitator_officer=pk)
    PlannedSession.objects.create(programme=welding, date=TODAY(), topic="Keselamatan kerja", created_by=pk)
    client = login(pk)
    url = reverse("programs:session_log", args=[programme.pk])

    # The earliest date that day with a topic: the 08:00 one has none.
    page = client.get(f"{url}?tanggal={last_week.isoformat()}")
    assert topic_shown(page) == "Mengenali pemicu"
    # A past planned date may not have taken place: the page says where to mark it so.
    assert f'href="{reverse("programs:programme_detail", args=[programme.pk])}#jadwal"' in page.content.decode()
    assert 'data-testid="not-held-hint"' in page.content.decode()
    page = client.get(url)
    assert topic_shown(page) == ""  # today: only another programme has a date
    assert 'data-testid="not-held-hint"' not in page.content.decode()
    page = client.get(reverse("programs:session_log", args=[welding.pk]))
    assert topic_shown(page) == "Keselamatan kerja" and 'data-testid="not-held-hint"' not in page.content.decode()  # today's is not past
    # A date older than the reminder looks back is not on the programme page's list: no hint to go there.
    long_ago = TODAY() - datetime.timedelta(days=40)
    PlannedSession.objects.create(programme=programme, date=long_ago, created_by=pk)
    assert 'data-testid="not-held-hint"' not in client.get(f"{url}?tanggal={long_ago.isoformat()}").content.decode()
    # What the user typed stays, when the form comes back with an error.
    typed = {"date": last_week.isoformat(), "duration_hours": "13", "topic": "Topik lain", "facilitator": "PK", f"att-{a.pk}": "present"}
    response = client.post(f"{url}?tanggal={last_week.isoformat()}", typed)
    assert response.status_code == 200 and topic_shown(response) == "Topik lain"


NOT_HELD_CONFIRM = 'data-confirm="Sesi tanggal ini tidak dilaksanakan? Tanggalnya dihapus dari jadwal dan pengingatnya berhenti."'


def unlogged_shown(client, programme) -> list[str]:
    """The programme page's "Terjadwal, belum dicatat" rows, in order."""
    page = client.get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    return [row.split("</li>")[0] for row in page.split('data-testid="unlogged-date"')[1:]]


def planned(programme, days_ago, **fields):
    return PlannedSession.objects.create(programme=programme, date=TODAY() - datetime.timedelta(days=days_ago),
                                         created_by=programme.facilitator_officer, **fields)


@pytest.mark.django_db
def test_past_dates_not_logged_are_offered_to_log_or_mark_as_not_held(login, pk, pk2, supervisor, head, programme):
    (a,) = enrolled(programme, pk)
    three = planned(programme, 3, starts_at=datetime.time(9), topic="Mengenali pemicu")
    ten, edge = planned(programme, 10), planned(programme, 30)
    held, too_old, today = planned(programme, 5), planned(programme, 31), planned(programme, 0)
    assert login(pk).post(reverse("programs:session_log", args=[programme.pk]),
                          {"date": held.date.isoformat(), "duration_hours": "2", "topic": "Sesi", "facilitator": "PK",
                           f"att-{a.pk}": "present"}).status_code == 302

    for logger in (pk, supervisor):
        rows = unlogged_shown(login(logger), programme)
        assert len(rows) == 3  # newest first; not the one logged, not one past the reminder's window, not today's
        for row, date in zip(rows, (three, ten, edge), strict=True):
            log_url = reverse("programs:session_log", args=[programme.pk]) + f"?tanggal={date.date.isoformat()}"
            assert f"{date.date:%d-%m-%Y}</strong>" in row and f'href="{log_url}">Catat sesi</a>' in row
            assert f'action="{reverse("programs:schedule_remove", args=[date.pk])}"' in row
            assert NOT_HELD_CONFIRM in row and ">Tidak dilaksanakan</button>" in row
        assert f"{three.date:%d-%m-%Y}</strong> 09:00 <span" in rows[0] and "Mengenali pemicu" in rows[0]
    page = login(pk).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
    assert "Terjadwal, belum dicatat" in page
    for other in (held, too_old):
        assert reverse("programs:schedule_remove", args=[other.pk]) not in page
    assert reverse("programs:schedule_remove", args=[today.pk]) in page  # today's is ahead, with the schedule's "hapus"

    for reader in (pk2, head):  # they see the schedule, but do not log its sessions
        page = login(reader).get(reverse("programs:programme_detail", args=[programme.pk])).content.decode()
        assert "Terjadwal, belum dicatat" not in page and "Tidak dilaksanakan" not in page
        assert reverse("programs:schedule_remove", args=[three.pk]) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("remover", ["pk", "supervisor"])
def test_a_date_not_held_leaves_the_schedule_and_its_reminder_settles(request, login, pk, supervisor, programme, remover):
    """The Kasi may mark the facilitator's date: their notice then settles with the sweep."""
    from bapas.models import Notification
    from bapas.reminders import sweep

    by = request.getfixturevalue(remover)
    not_held, still_due = planned(programme, 3), planned(programme, 10)
    sweep()
    titles = {day: f"Sesi Konseling kelompok {day.date:%d-%m-%Y} belum dicatat" for day in (not_held, still_due)}
    today_page = login(pk).get(reverse("bapas:today")).content.decode()
    assert titles[not_held] in today_page and titles[still_due] in today_page

    response = login(by).post(reverse("programs:schedule_remove", args=[not_held.pk]), follow=True)
    assert response.redirect_chain == [(reverse("programs:programme_detail", args=[programme.pk]) + "#jadwal", 302)]
    assert f"Tanggal {not_held.date:%d-%m-%Y} dihapus dari jadwal." in response.content.decode()
    assert list(PlannedSession.objects.all()) == [still_due]
    entry = AuditEntry.objects.get(action="programme_schedule.delete")
    assert (entry.actor, entry.detail["date"]) == (by, not_held.date.isoformat())

    sweep()
    notices = dict(Notification.objects.filter(kind="session_unlogged", recipient=pk).values_list("due_date", "resolved_at"))
    assert notices.keys() == {not_held.date, still_due.date}
    assert notices[not_held.date] is not None and notices[still_due.date] is None
    today_page = login(pk).get(reverse("bapas:today")).content.decode()
    assert titles[not_held] not in today_page and titles[still_due] in today_page
    assert len(unlogged_shown(login(pk), programme)) == 1


@pytest.mark.django_db
def test_only_those_who_log_the_sessions_mark_a_date_not_held(login, pk2, outsider_supervisor, programme):
    past = planned(programme, 3)
    url = reverse("programs:schedule_remove", args=[past.pk])
    assert login(outsider_supervisor).post(url).status_code == 404
    assert login(pk2).post(url).status_code == 403
    assert PlannedSession.objects.filter(pk=past.pk).exists() and not AuditEntry.objects.filter(action="programme_schedule.delete").exists()
