"""Recidivism events: recorded against the supervision running on the day, a new offence during a
running supervision opens a violation, edits are safe against two officers, and scope holds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import RecidivismEvent, Supervision, Violation
from tests.factories import RecidivismEventFactory


def event_data(**overrides):
    data = {"kind": "rearrest", "event_date": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "source": "Polres Palembang", "description": "Ditangkap dalam perkara pencurian motor."}
    data.update(overrides)
    return data


@pytest.fixture
def event(pk, supervision):
    return RecidivismEventFactory(client=supervision.client, supervision=supervision, recorded_by=pk)


def close(supervision, days_ago):
    Supervision.objects.filter(pk=supervision.pk).update(
        closed_on=timezone.localdate() - datetime.timedelta(days=days_ago), closure_reason="completed", next_contact_due=None)


@pytest.mark.django_db
def test_new_offence_during_a_running_supervision_opens_a_violation(login, pk, supervision):
    response = login(pk).post(reverse("clients:recidivism_create", args=[supervision.client_id]), event_data())
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("clients:detail", args=[supervision.client_id]) + "#residivisme")
    event = RecidivismEvent.objects.get()
    assert event.supervision == supervision and event.recorded_by == pk and not event.verified
    violation = event.violation
    assert violation.supervision == supervision and violation.kind == "new_offence"
    assert violation.occurred_on == event.event_date and violation.status == "open" and violation.action == "other"
    assert violation.description.startswith("Tindak pidana baru: Ditangkap kembali (sumber: Polres Palembang).")
    entry = AuditEntry.objects.get(action="recidivism.create")
    assert entry.detail == {"client": supervision.client_id, "kind": "rearrest", "violation": violation.pk}
    assert entry.actor == pk and entry.office == supervision.office
    assert AuditEntry.objects.filter(action="violation.create").count() == 1
    assert event.history.count() == 1 and event.history.first().history_user == pk
    page = login(pk).get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    assert "Ditangkap kembali" in page and reverse("clients:violation_edit", args=[violation.pk]) in page


@pytest.mark.django_db
def test_technical_revocation_opens_no_violation(login, pk, supervision):
    response = login(pk).post(reverse("clients:recidivism_create", args=[supervision.client_id]),
                              event_data(kind="technical_revocation", source="Sidang TPP"))
    assert response.status_code == 302
    event = RecidivismEvent.objects.get()
    assert event.supervision == supervision and event.violation is None
    assert not Violation.objects.exists()
    assert AuditEntry.objects.get(action="recidivism.create").detail["violation"] is None


@pytest.mark.django_db
def test_event_after_the_supervision_ended_belongs_to_no_supervision(login, pk, supervision):
    close(supervision, days_ago=10)
    response = login(pk).post(reverse("clients:recidivism_create", args=[supervision.client_id]),
                              event_data(kind="reconviction", source="SIPP pengadilan"))
    assert response.status_code == 302
    event = RecidivismEvent.objects.get()
    assert event.supervision is None and event.violation is None
    assert not Violation.objects.exists()


@pytest.mark.django_db
def test_event_during_a_supervision_closed_since_opens_no_violation(login, pk, supervision):
    close(supervision, days_ago=1)
    login(pk).post(reverse("clients:recidivism_create", args=[supervision.client_id]), event_data())
    event = RecidivismEvent.objects.get()
    assert event.supervision == supervision and event.violation is None
    assert not Violation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day, message",
    [
        (lambda client: timezone.localdate() + datetime.timedelta(days=1), "Tanggal peristiwa tidak boleh di masa depan."),
        (lambda client: client.birth_date - datetime.timedelta(days=1), "Tanggal peristiwa tidak boleh sebelum tanggal lahir klien."),
    ],
)
def test_impossible_dates_are_refused(login, pk, client_record, day, message):
    response = login(pk).post(reverse("clients:recidivism_create", args=[client_record.pk]),
                              event_data(event_date=day(client_record).isoformat()))
    assert response.status_code == 200 and message in response.content.decode()
    assert not RecidivismEvent.objects.exists() and not Violation.objects.exists()


@pytest.mark.django_db
def test_marking_verified_then_a_stale_edit_is_refused(login, pk, supervisor, event):
    url = reverse("clients:recidivism_edit", args=[event.pk])
    opened = event_data(kind=event.kind, event_date=event.event_date.isoformat(), source=event.source, expected_version=1)
    assert login(pk).post(url, {**opened, "verified": "on"}).status_code == 302
    response = login(supervisor).post(url, {**opened, "source": "Keluarga"})  # opened at the same version
    assert response.status_code == 409
    assert "sudah diubah oleh pengguna lain" in response.content.decode()
    event.refresh_from_db()
    assert event.verified and event.source == "Polres" and event.version == 2 and event.history.count() == 2
    assert AuditEntry.objects.get(action="recidivism.update").detail["verified"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk2", "outsider", "outsider_supervisor"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_get_404(login, request, event, who, method):
    client = login(request.getfixturevalue(who))
    for url in (reverse("clients:recidivism_create", args=[event.client_id]), reverse("clients:recidivism_edit", args=[event.pk])):
        response = getattr(client, method)(url, event_data(expected_version=1) if method == "post" else None)
        assert response.status_code == 404
    assert RecidivismEvent.objects.count() == 1 and not Violation.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, event):
    for url in (reverse("clients:recidivism_create", args=[event.client_id]), reverse("clients:recidivism_edit", args=[event.pk])):
        for response in (client.get(url), client.post(url, event_data(expected_version=1))):
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert RecidivismEvent.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "admin_user"])
def test_readers_may_not_record_events(login, request, event, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("clients:recidivism_create", args=[event.client_id])).status_code == 403
    assert client.post(reverse("clients:recidivism_create", args=[event.client_id]), event_data()).status_code == 403
    assert client.post(reverse("clients:recidivism_edit", args=[event.pk]),
                       event_data(expected_version=1, verified="on")).status_code == 403
    assert RecidivismEvent.objects.count() == 1
    page = client.get(reverse("clients:detail", args=[event.client_id])).content.decode()
    assert "Ditangkap kembali" in page and "Catat peristiwa residivisme" not in page


@pytest.mark.django_db
def test_panel_says_when_there_are_no_events(login, pk, client_record):
    page = login(pk).get(reverse("clients:detail", args=[client_record.pk])).content.decode()
    assert "Belum ada peristiwa residivisme yang dicatat." in page and "Catat peristiwa residivisme" in page
