"""Deleting a violation recorded by mistake (on the wrong client, or one that did not happen): shown
and asked first, with a reason; never one a revocation or a recidivism event rests on; field history
and the audit trail keep what it was, and a wajib-lapor ground it answered is asked after again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry
from clients.models import RecidivismEvent, Supervision, Violation
from clients.revocation import revocation_start
from tests.factories import ViolationFactory

TODAY = timezone.localdate


def delete_url(violation) -> str:
    return reverse("clients:violation_delete", args=[violation.pk])


def post_delete(client, violation, reason="Dicatat pada klien yang salah", version=None):
    return client.post(delete_url(violation), {"reason": reason, "expected_version": violation.version if version is None else version})


def kept(violation) -> bool:
    """Still there, with nothing audited as deleted."""
    return Violation.objects.filter(pk=violation.pk).exists() and not AuditEntry.objects.filter(action="violation.delete").exists()


@pytest.fixture
def violation(pk, supervision):
    return ViolationFactory(supervision=supervision, recorded_by=pk, description="Tidak datang (klien lain)")


@pytest.mark.django_db
def test_a_violation_recorded_on_the_wrong_client_is_deleted(login, pk, supervision, violation):
    client = login(pk)
    assert delete_url(violation) in client.get(reverse("clients:violation_edit", args=[violation.pk])).content.decode()
    page = client.get(delete_url(violation)).content.decode()
    assert "Tidak datang (klien lain)" in page and "data-confirm" in page

    response = post_delete(client, violation)

    assert response.status_code == 302 and response["Location"].endswith("#pelanggaran")
    assert not Violation.objects.filter(pk=violation.pk).exists()
    entry = AuditEntry.objects.get(action="violation.delete")
    assert entry.actor == pk and entry.client_pk == supervision.client_id and entry.object_id == str(violation.pk)
    assert entry.detail["description"] == "Tidak datang (klien lain)" and entry.detail["reason"] == "Dicatat pada klien yang salah"
    assert entry.detail["kind"] == "missed_reporting" and entry.detail["occurred_on"] == violation.occurred_on.isoformat()
    deleted = Violation.history.filter(id=violation.pk).order_by("-history_date").first()
    assert deleted.history_type == "-" and deleted.history_change_reason == "Dicatat pada klien yang salah"
    detail = client.get(response["Location"]).content.decode()
    assert "Pelanggaran dihapus." in detail and "Tidak datang (klien lain)" not in detail


@pytest.mark.django_db
def test_a_reason_is_required(login, pk, violation):
    response = post_delete(login(pk), violation, reason="  ")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert kept(violation)


@pytest.mark.django_db
def test_a_violation_changed_since_the_page_opened_is_not_deleted(login, pk, violation):
    opened_at = violation.version
    Violation.objects.filter(pk=violation.pk).update(version=opened_at + 1)
    assert post_delete(login(pk), violation, version=opened_at).status_code == 409
    assert kept(violation)


@pytest.mark.django_db
def test_one_a_revocation_rests_on_is_not_deleted(login, pk, supervisor, violation):
    revocation_start(by=supervisor, violation=violation, report_number="BA/1", report_date=TODAY())
    violation.refresh_from_db()  # now "in TPP"
    client = login(pk)
    page = client.get(delete_url(violation)).content.decode()
    assert 'data-testid="delete-refused"' in page and "usulan pencabutan" in page and 'name="reason"' not in page
    response = post_delete(client, violation)
    assert response.status_code == 200 and "usulan pencabutan" in response.content.decode()
    assert kept(violation)


@pytest.mark.django_db
def test_one_a_recidivism_event_rests_on_is_not_deleted(login, pk, supervision, violation):
    RecidivismEvent.objects.create(client=supervision.client, supervision=supervision, kind="rearrest", event_date=TODAY(),
                                   source="Polres", recorded_by=pk, violation=violation)
    response = post_delete(login(pk), violation)
    assert response.status_code == 200 and "peristiwa residivisme" in response.content.decode()
    assert kept(violation)


@pytest.mark.django_db
def test_a_violation_of_an_ended_supervision_is_not_deleted(login, pk, supervision, violation):
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=TODAY(), closure_reason="completed")
    response = post_delete(login(pk), violation)
    assert response.status_code == 200 and "sudah diakhiri" in response.content.decode()
    assert kept(violation)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "admin_user"])
def test_readers_of_the_file_cannot_delete(login, request, violation, who):
    assert post_delete(login(request.getfixturevalue(who)), violation).status_code == 403
    assert kept(violation)


@pytest.mark.django_db
def test_a_deleted_missed_report_violation_no_longer_answers_the_wajib_lapor_ground(pk, supervisor, supervision):
    """Three reports missed: the Kasi is asked to act, and a violation recorded for it answers that. Recorded
    on the wrong client and deleted, the ground stands again at the next sweep."""
    from bapas.reminders import sweep
    from clients.services import violation_delete

    Supervision.objects.filter(pk=supervision.pk).update(start_date=TODAY() - datetime.timedelta(days=120), reporting_interval_days=7)
    assert sweep()["by_kind"]["wajib_lapor_missed"] == 1
    answer = ViolationFactory(supervision=supervision, recorded_by=pk, occurred_on=TODAY())
    sweep()
    assert not supervisor.notifications.filter(kind="wajib_lapor_missed", resolved_at__isnull=True).exists()
    violation_delete(by=pk, violation=answer, expected_version=answer.version, reason="Salah klien")
    sweep()
    assert supervisor.notifications.filter(kind="wajib_lapor_missed", resolved_at__isnull=True).exists()
