"""Deleting a recidivism event recorded by mistake (a namesake in a police list, or one that did not
happen): shown and asked first, with a reason; the violation opened for it goes with it; one another
process rests on is refused with nothing changed; field history and the audit trail keep what it was."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.policy import intensity_apply
from bapas.models import AuditEntry
from clients.models import RecidivismEvent, Supervision, Violation
from clients.revocation import revocation_start
from clients.services import recidivism_record
from tests.factories import RecidivismEventFactory, SupervisionFactory

TODAY = timezone.localdate


def delete_url(event) -> str:
    return reverse("clients:recidivism_delete", args=[event.pk])


def post_delete(client, event, reason="Nama sama, klien lain", version=None):
    return client.post(delete_url(event), {"reason": reason, "expected_version": event.version if version is None else version})


def nothing_deleted(event) -> bool:
    return RecidivismEvent.objects.filter(pk=event.pk).exists() and not AuditEntry.objects.filter(action="recidivism.delete").exists()


def new_offence(pk, supervision) -> RecidivismEvent:
    """Recorded through the service while the supervision runs: it opens a violation too."""
    return recidivism_record(by=pk, event=RecidivismEvent(client=supervision.client, kind="rearrest",
                                                          event_date=TODAY() - datetime.timedelta(days=2), source="Polres"))


@pytest.mark.django_db
def test_an_event_on_the_wrong_client_is_deleted_with_the_violation_opened_for_it(login, pk):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=TODAY() - datetime.timedelta(days=5))
    intensity_apply(supervision=supervision)
    supervision.refresh_from_db()
    first_assessment = supervision.assessment_due
    event = new_offence(pk, supervision)
    violation_pk = event.violation_id
    supervision.refresh_from_db()
    assert supervision.assessment_due < first_assessment  # the new offence brought it forward
    client = login(pk)
    assert delete_url(event) in client.get(reverse("clients:recidivism_edit", args=[event.pk])).content.decode()
    page = client.get(delete_url(event)).content.decode()
    assert "Polres" in page and "ikut dihapus" in page and "data-confirm" in page

    response = post_delete(client, event)

    assert response.status_code == 302 and response["Location"].endswith("#residivisme")
    assert not RecidivismEvent.objects.exists() and not Violation.objects.exists()
    entry = AuditEntry.objects.get(action="recidivism.delete")
    assert entry.actor == pk and entry.client_pk == supervision.client_id and entry.detail["violation"] == violation_pk
    assert entry.detail["source"] == "Polres" and entry.detail["reason"] == "Nama sama, klien lain"
    assert RecidivismEvent.history.filter(id=event.pk, history_type="-").get().history_change_reason == "Nama sama, klien lain"
    assert Violation.history.filter(id=violation_pk, history_type="-").exists()
    supervision.refresh_from_db()
    assert supervision.assessment_due == first_assessment  # worked out again without it
    assert "Peristiwa residivisme dihapus." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_an_event_after_supervision_is_deleted_alone(login, pk, supervision):
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=TODAY() - datetime.timedelta(days=30), closure_reason="completed")
    event = RecidivismEventFactory(client=supervision.client, supervision=None, recorded_by=pk)
    assert post_delete(login(pk), event).status_code == 302
    assert not RecidivismEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_whose_violation_went_to_a_revocation_is_not_deleted(login, pk, supervisor, supervision):
    event = new_offence(pk, supervision)
    revocation_start(by=supervisor, violation=event.violation, report_number="BA/2", report_date=TODAY())
    client = login(pk)
    page = client.get(delete_url(event)).content.decode()
    assert 'data-testid="delete-refused"' in page and 'name="reason"' not in page  # said before the form is filled in
    response = post_delete(client, event)
    assert response.status_code == 200 and "menjadi dasar usulan pencabutan" in response.content.decode()
    assert nothing_deleted(event) and Violation.objects.filter(pk=event.violation_id).exists()


@pytest.mark.django_db
def test_a_reason_is_required_and_a_stale_page_is_refused(login, pk, supervision):
    event = RecidivismEventFactory(client=supervision.client, supervision=supervision, recorded_by=pk)
    client = login(pk)
    response = post_delete(client, event, reason=" ")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    opened_at = event.version
    RecidivismEvent.objects.filter(pk=event.pk).update(version=opened_at + 1)
    assert post_delete(client, event, version=opened_at).status_code == 409
    assert nothing_deleted(event)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "admin_user"])
def test_readers_of_the_file_cannot_delete(login, request, pk, supervision, who):
    event = RecidivismEventFactory(client=supervision.client, supervision=supervision, recorded_by=pk)
    assert post_delete(login(request.getfixturevalue(who)), event).status_code == 403
    assert nothing_deleted(event)
