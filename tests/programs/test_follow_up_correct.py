"""Correcting a done follow-up: what it recorded (date, how, the client's situation) with a reason,
kept in field history and the audit trail; refused when nothing changes, for a date to come, from a
stale page, to readers, and (404) to other offices."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from programs.models import FollowUp, FollowUpAnchor

TODAY = timezone.localdate


@pytest.fixture
def done(pk, supervision):
    """A follow-up three months after supervision, made by phone ten days ago: all fair."""
    return FollowUp.objects.create(
        supervision=supervision, office=supervision.office, anchor=FollowUpAnchor.SUPERVISION_END, offset_months=3,
        due_date=TODAY() - datetime.timedelta(days=12), done_on=TODAY() - datetime.timedelta(days=10), attempts=1,
        last_attempt_on=TODAY() - datetime.timedelta(days=10), method="phone", employment="fair", housing="fair",
        family="fair", substance_use="fair", recorded_by=pk)


def url(follow_up) -> str:
    return reverse("programs:follow_up_edit", args=[follow_up.pk])


def data(follow_up, **changes) -> dict:
    values = {"on": follow_up.done_on.isoformat(), "method": follow_up.method, "employment": follow_up.employment,
              "housing": follow_up.housing, "family": follow_up.family, "substance_use": follow_up.substance_use,
              "reason": "Salah pilih hasil", "row_version": follow_up.row_version}
    return values | changes


def unchanged(follow_up) -> bool:
    before = (follow_up.done_on, follow_up.employment, follow_up.row_version)
    follow_up.refresh_from_db()
    return (follow_up.done_on, follow_up.employment, follow_up.row_version) == before and \
        not AuditEntry.objects.filter(action="follow_up.correct").exists()


@pytest.mark.django_db
def test_a_pk_corrects_the_outcome_a_done_follow_up_recorded(login, pk, done):
    client = login(pk)
    listed = client.get(reverse("programs:follow_ups"), {"show": "done"}).content.decode()
    assert url(done) in listed and "koreksi" in listed
    page = client.get(url(done))
    assert page.context["form"]["employment"].value() == "fair" and "Koreksi tindak lanjut" in page.content.decode()
    day = TODAY() - datetime.timedelta(days=9)

    response = client.post(url(done), data(done, employment="good", on=day.isoformat()))

    assert response.status_code == 302
    done.refresh_from_db()
    assert (done.employment, done.done_on, done.last_attempt_on, done.row_version) == ("good", day, day, 2)
    assert done.history.first().history_change_reason == "Salah pilih hasil"
    entry = AuditEntry.objects.get(action="follow_up.correct")
    assert entry.detail["changed"] == ["done_on", "employment"] and entry.detail["reason"] == "Salah pilih hasil"


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({}, "__all__", "Tidak ada yang diubah."),
    ({"employment": "good", "on": (TODAY() + datetime.timedelta(days=1)).isoformat()}, "on", "tidak boleh di masa depan"),
    ({"employment": "good", "reason": " "}, "reason", ""),
])
def test_refused_with_a_message_and_nothing_kept(login, pk, done, changes, field, message):
    response = login(pk).post(url(done), data(done, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert unchanged(done)


@pytest.mark.django_db
def test_a_stale_page_is_refused_with_409(login, pk, done):
    FollowUp.objects.filter(pk=done.pk).update(row_version=2)
    assert login(pk).post(url(done), data(done, employment="good")).status_code == 409
    done.row_version = 2
    assert unchanged(done)


@pytest.mark.django_db
def test_readers_cannot_correct_and_other_offices_get_404(login, head, outsider, done):
    assert login(head).post(url(done), data(done, employment="good")).status_code == 403
    assert login(outsider).get(url(done)).status_code == 404
    assert login(outsider).post(url(done), data(done, employment="good")).status_code == 404
    assert unchanged(done)


@pytest.mark.django_db
def test_a_new_offence_it_recorded_is_undone_from_its_event(login, pk, done):
    from clients.models import RecidivismEvent

    event = RecidivismEvent.objects.create(client=done.supervision.client, kind="rearrest", event_date=TODAY(), source="Polres",
                                           recorded_by=pk)
    FollowUp.objects.filter(pk=done.pk).update(new_offence=True, recidivism_event=event)
    page = login(pk).get(url(done)).content.decode()
    assert reverse("clients:recidivism_delete", args=[event.pk]) in page
