"""Putting right a community-service work day logged wrongly: corrected (date, hours, place, work)
within the same limits as logging it, or deleted when it was logged on the wrong client or not
worked; the hours done and left follow at once. Both with a reason, kept in field history and the
audit trail; refused from a stale page, once the supervision has ended, to readers, and (404) to
other offices and same-office PKs outside the caseload."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import CommunityServiceDay

TODAY = timezone.localdate


def worked(supervision, by, hours, days_ago=1) -> CommunityServiceDay:
    return CommunityServiceDay.objects.create(
        supervision=supervision, date=TODAY() - datetime.timedelta(days=days_ago), hours=hours, place="Taman kota",
        site_supervisor="Pak Lurah", activity="Membersihkan taman", recorded_by=by)


@pytest.fixture
def day(pk, pks):
    """Eight hours logged yesterday, where the client worked three."""
    return worked(pks, pk, 8)


def correct_url(day) -> str:
    return reverse("programs:service_day_correct", args=[day.pk])


def delete_url(day) -> str:
    return reverse("programs:service_day_delete", args=[day.pk])


def data(day, **changes) -> dict:
    values = {"date": day.date.isoformat(), "hours": str(day.hours), "place": day.place, "site_supervisor": day.site_supervisor,
              "activity": day.activity, "reason": "Salah hitung jam", "expected_version": day.version}
    return values | changes


def hours_done(client, supervision) -> str:
    page = client.get(reverse("programs:service_days", args=[supervision.pk])).content.decode()
    return page.split('data-testid="service-done">')[1].split("<")[0]


def unchanged(day) -> bool:
    before = (day.date, day.hours, day.version)
    day.refresh_from_db()
    return (day.date, day.hours, day.version) == before and not AuditEntry.objects.filter(
        action__in=["community_service.correct", "community_service.delete"]).exists()


@pytest.mark.django_db
def test_a_pk_corrects_the_hours_of_a_day_and_the_hours_done_follow(login, pk, pks, day):
    client = login(pk)
    listed = client.get(reverse("programs:service_days", args=[pks.pk])).content.decode()
    assert correct_url(day) in listed and hours_done(client, pks) == "8,0"

    response = client.post(correct_url(day), data(day, hours="3"))

    assert response.status_code == 302 and response.url == reverse("programs:service_days", args=[pks.pk])
    day.refresh_from_db()
    assert (str(day.hours), day.version, day.correction_reason) == ("3.0", 2, "Salah hitung jam")
    assert day.history.first().history_change_reason == "Salah hitung jam"
    assert day.history.last().hours == 8  # what it said before
    entry = AuditEntry.objects.get(action="community_service.correct")
    assert entry.detail == {"client": pks.client_id, "changed": ["hours"], "reason": "Salah hitung jam"}
    assert hours_done(client, pks) == "3,0"
    assert "dikoreksi: Salah hitung jam" in client.get(reverse("programs:service_days", args=[pks.pk])).content.decode()


@pytest.mark.django_db
def test_a_correction_keeps_the_limits_counting_the_other_days_only(login, pk, pks, day):
    """Its own eight hours are not counted against it; the other days' are."""
    worked(pks, pk, 6, days_ago=2)
    client = login(pk)
    # Moved to the day of the six hours: 6 + 8 would be 14 hours on one day.
    response = client.post(correct_url(day), data(day, date=(TODAY() - datetime.timedelta(days=2)).isoformat()))
    assert response.status_code == 200 and "pada tanggal ini sudah 6,0 jam" in response.content.decode()
    # 20 ordered, 6 on the other day: at most 14 here.
    response = client.post(correct_url(day), data(day, hours="8", activity="Menyapu jalan"))
    assert response.status_code == 302
    worked(pks, pk, 5, days_ago=3)
    day.refresh_from_db()
    response = client.post(correct_url(day), data(day, hours="8", place="Pasar"))  # 6 + 5 + 8 = 19: still within 20
    assert response.status_code == 302
    worked(pks, pk, 1, days_ago=4)
    day.refresh_from_db()
    response = client.post(correct_url(day), data(day, hours="8", place="Alun-alun"))  # unchanged hours fit: 6 + 5 + 1 + 8 = 20
    assert response.status_code == 302
    day.refresh_from_db()
    worked(pks, pk, 0.5, days_ago=5)
    response = client.post(correct_url(day), data(day, hours="8", place="Terminal"))
    assert response.status_code == 200 and "sisa 7,5 jam" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({}, "__all__", "Tidak ada yang diubah."),
    ({"date": (TODAY() + datetime.timedelta(days=1)).isoformat()}, "date", "masa depan"),
    ({"date": (TODAY() - datetime.timedelta(days=21)).isoformat()}, "date", "sebelum pidana kerja sosial dimulai"),
    ({"hours": "9"}, "hours", "8"),
    ({"hours": "3", "reason": " "}, "reason", ""),
])
def test_refused_with_a_message_and_nothing_kept(login, pk, day, changes, field, message):
    response = login(pk).post(correct_url(day), data(day, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert unchanged(day)


@pytest.mark.django_db
def test_a_stale_page_is_refused_with_409(login, pk, day):
    CommunityServiceDay.objects.filter(pk=day.pk).update(version=2)
    assert login(pk).post(correct_url(day), data(day, hours="3")).status_code == 409
    assert login(pk).post(delete_url(day), {"reason": "Klien yang salah", "expected_version": 1}).status_code == 409
    day.version = 2
    assert unchanged(day) and CommunityServiceDay.objects.filter(pk=day.pk).exists()


@pytest.mark.django_db
def test_a_day_logged_on_the_wrong_client_is_deleted_and_its_hours_stop_counting(login, pk, pks, day):
    worked(pks, pk, 2, days_ago=2)
    client = login(pk)
    assert delete_url(day) in client.get(correct_url(day)).content.decode()
    page = client.get(delete_url(day)).content.decode()
    assert 'data-testid="service-day-summary"' in page and "Membersihkan taman" in page

    response = client.post(delete_url(day), {"reason": "Dicatat pada klien yang salah", "expected_version": day.version})

    assert response.status_code == 302 and not CommunityServiceDay.objects.filter(pk=day.pk).exists()
    assert hours_done(client, pks) == "2,0"
    entry = AuditEntry.objects.get(action="community_service.delete")
    assert entry.detail["hours"] == "8.0" and entry.detail["reason"] == "Dicatat pada klien yang salah"
    deleted = CommunityServiceDay.history.filter(id=day.pk).first()
    assert deleted.history_type == "-" and deleted.history_change_reason == "Dicatat pada klien yang salah"
    # The client's change history shows it.
    history = client.get(reverse("clients:history", args=[pks.client_id])).content.decode()
    assert "Dicatat pada klien yang salah" in history


@pytest.mark.django_db
def test_a_deletion_needs_a_reason(login, pk, day):
    response = login(pk).post(delete_url(day), {"reason": " ", "expected_version": day.version})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    assert unchanged(day) and CommunityServiceDay.objects.filter(pk=day.pk).exists()


@pytest.mark.django_db
def test_once_the_supervision_has_ended_its_days_stay_as_they_are(login, pk, pks, day):
    from clients.models import Supervision

    Supervision.objects.filter(pk=pks.pk).update(closed_on=TODAY(), closure_reason="completed")
    client = login(pk)
    listed = client.get(reverse("programs:service_days", args=[pks.pk])).content.decode()
    assert correct_url(day) not in listed and "Catat hari kerja" not in listed
    for url in (correct_url(day), delete_url(day)):
        page = client.get(url)
        assert 'data-testid="delete-refused"' in page.content.decode() and "sudah diakhiri" in page.content.decode()
    assert client.post(correct_url(day), data(day, hours="3")).status_code == 200
    assert client.post(delete_url(day), {"reason": "Klien yang salah", "expected_version": day.version}).status_code == 200
    assert unchanged(day) and CommunityServiceDay.objects.filter(pk=day.pk).exists()
    # Nor is a day logged on it.
    assert client.post(reverse("programs:service_days", args=[pks.pk]), data(day, date=TODAY().isoformat(), hours="1")).status_code == 200
    assert CommunityServiceDay.objects.count() == 1


@pytest.mark.django_db
def test_readers_cannot_change_a_day_and_others_get_404(login, head, pk2, outsider, day):
    assert login(head).get(correct_url(day)).status_code == 403
    assert login(head).post(delete_url(day), {"reason": "x", "expected_version": day.version}).status_code == 403
    for user in (pk2, outsider):
        for url in (correct_url(day), delete_url(day)):
            assert login(user).get(url).status_code == 404
            assert login(user).post(url, data(day, hours="3")).status_code == 404
    assert unchanged(day) and CommunityServiceDay.objects.filter(pk=day.pk).exists()
