"""Reopening a supervision closed by mistake: by the Kasi, with a reason, within REOPEN_DAYS, never
a revocation, never beside another running supervision; what the closure scheduled is taken back."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bapas.models import AuditEntry, Notification
from bapas.reminders import sweep
from clients.models import ClosureReason, Supervision
from clients.services import REOPEN_DAYS, _save_contact_facts, supervision_close, supervision_reopen
from programs.models import FollowUp
from tests.factories import ContactFactory, SupervisionFactory

TODAY = timezone.localdate


def close(supervision, by, *, days_ago=0, reason=ClosureReason.COMPLETED) -> Supervision:
    """Closed by the real service, so programs schedules its follow-ups as it would."""
    return supervision_close(by=by, supervision=supervision, closed_on=TODAY() - datetime.timedelta(days=days_ago), reason=reason)


def reopen_url(supervision) -> str:
    return reverse("clients:supervision_reopen", args=[supervision.pk])


def post_reopen(client, supervision, reason="Diakhiri pada klien yang salah.", version=None):
    expected = supervision.version if version is None else version
    return client.post(reopen_url(supervision), {"reason": reason, "expected_version": expected})


def state(supervision) -> tuple:
    supervision.refresh_from_db()
    follow_ups = sorted(FollowUp.objects.filter(supervision=supervision).values_list("pk", "done_on"))
    return supervision.closed_on, supervision.closure_reason, supervision.version, supervision.next_contact_due, follow_ups


def unchanged(supervision, before: tuple) -> bool:
    """As it was before a refused reopening, which was not audited either."""
    return state(supervision) == before and not AuditEntry.objects.filter(action="supervision.reopen").exists()


@pytest.fixture
def closed(supervision, supervisor):
    return close(supervision, supervisor)


@pytest.mark.django_db
def test_supervisor_reopens_a_supervision_closed_by_mistake(login, pk, supervisor, supervision):
    last_report = TODAY() - datetime.timedelta(days=5)
    ContactFactory(supervision=supervision, occurred_at=datetime.datetime.combine(
        last_report, datetime.time(10), ZoneInfo(supervision.office.time_zone)))
    close(supervision, supervisor)
    assert supervision.next_contact_due is None and FollowUp.objects.filter(supervision=supervision).count() == 4
    done = FollowUp.objects.filter(supervision=supervision).order_by("offset_months").first()
    FollowUp.objects.filter(pk=done.pk).update(done_on=TODAY())  # reached early: a real contact, kept
    version = supervision.version
    client = login(supervisor)
    form = client.get(reopen_url(supervision)).context["form"]
    assert form["expected_version"].value() == version

    response = post_reopen(client, supervision)

    assert response.status_code == 302 and response["Location"].endswith("#pembimbingan")
    supervision.refresh_from_db()
    assert supervision.closed_on is None and supervision.closure_reason == ""
    assert supervision.next_contact_due == last_report + datetime.timedelta(days=30)  # as after that contact
    assert supervision.version == version + 1
    entry = AuditEntry.objects.get(action="supervision.reopen")
    assert entry.actor == supervisor and entry.object_id == str(supervision.pk)
    assert entry.detail == {"closed_on": TODAY().isoformat(), "closure_reason": "completed", "reason": "Diakhiri pada klien yang salah."}
    assert list(FollowUp.objects.filter(supervision=supervision).values_list("pk", flat=True)) == [done.pk]
    latest = supervision.history.first()
    assert latest.closed_on is None and latest.history_user == supervisor
    assert latest.history_change_reason == "Diakhiri pada klien yang salah."
    # Back in the PK's caseload, taking contacts again.
    assert supervision.client.full_name in login(pk).get(reverse("clients:list")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("reopened", [True, False])
def test_days_it_stood_closed_are_no_missed_reports(pk, supervisor, reopened):
    """Weekly wajib lapor, last report a month ago, closed by mistake 20 days ago. Reopened today, the
    client owes nothing for the weeks nobody asked them to come: the schedule counts again from today.
    The control (closed and left closed, then its facts worked out as if running) shows what would be owed."""
    weekly = SupervisionFactory(officer=pk, client__office=pk.office, start_date=TODAY() - datetime.timedelta(days=90),
                                reporting_interval_days=7, contact_interval_days=7)
    office = ZoneInfo(weekly.office.time_zone)
    ContactFactory(supervision=weekly, occurred_at=datetime.datetime.combine(
        TODAY() - datetime.timedelta(days=30), datetime.time(9), office))
    close(weekly, supervisor, days_ago=20)
    if reopened:
        supervision_reopen(by=supervisor, supervision=weekly, expected_version=weekly.version, reason="Salah klien")
    else:
        Supervision.objects.filter(pk=weekly.pk).update(closed_on=None, closure_reason="")
        _save_contact_facts(Supervision.objects.get(pk=weekly.pk))
    weekly.refresh_from_db()
    kinds = sweep()["by_kind"]
    if reopened:
        assert weekly.resumed_on == TODAY() and weekly.next_contact_due == TODAY() + datetime.timedelta(days=7)
        assert kinds.get("wajib_lapor_missed", 0) == 0 and kinds.get("contact_overdue", 0) == 0
        assert weekly.history.first().resumed_on == TODAY()  # the change history shows it
    else:
        assert weekly.next_contact_due < TODAY() and kinds["wajib_lapor_missed"] == 1 and kinds["contact_overdue"] == 1


@pytest.mark.django_db
def test_reopened_the_day_it_was_closed_counts_from_its_contacts(pk, supervisor, closed):
    supervision_reopen(by=supervisor, supervision=closed, expected_version=closed.version, reason="Salah klien")
    closed.refresh_from_db()
    assert closed.resumed_on is None


@pytest.mark.django_db
def test_a_running_supervision_is_not_reopened(login, supervisor, supervision):
    before = state(supervision)
    response = post_reopen(login(supervisor), supervision)
    assert response.status_code == 200 and "masih berjalan" in response.content.decode()
    assert unchanged(supervision, before)


@pytest.mark.django_db
def test_a_revoked_supervision_is_not_reopened(login, supervisor, supervision):
    # What clients.revocation does when the decision revokes the release.
    close(supervision, supervisor, reason=ClosureReason.REVOKED)
    before = state(supervision)
    response = post_reopen(login(supervisor), supervision)
    assert response.status_code == 200 and "pencabutan" in response.content.decode()
    assert unchanged(supervision, before)


@pytest.mark.django_db
@pytest.mark.parametrize("days_ago, reopened", [(REOPEN_DAYS, True), (REOPEN_DAYS + 1, False)])
def test_only_a_recent_closure_is_reopened(login, pk, supervisor, days_ago, reopened):
    supervision = SupervisionFactory(client__office=pk.office, officer=pk, start_date=TODAY() - datetime.timedelta(days=200))
    close(supervision, supervisor, days_ago=days_ago)
    before = state(supervision)
    response = post_reopen(login(supervisor), supervision)
    if reopened:
        assert response.status_code == 302 and state(supervision)[0] is None
    else:
        assert response.status_code == 200 and "buka pembimbingan baru" in response.content.decode()
        assert unchanged(supervision, before)


@pytest.mark.django_db
def test_not_reopened_beside_another_running_supervision(login, pk, supervisor, closed):
    SupervisionFactory(client=closed.client, officer=pk)
    before = state(closed)
    response = post_reopen(login(supervisor), closed)
    assert response.status_code == 200 and "pembimbingan lain yang berjalan" in response.content.decode()
    assert unchanged(closed, before)


@pytest.mark.django_db
def test_a_reason_is_required(login, supervisor, closed):
    before = state(closed)
    response = post_reopen(login(supervisor), closed, reason="   ")
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert unchanged(closed, before)
    with pytest.raises(ValidationError):  # the service asks for one too, whoever calls it
        supervision_reopen(by=closed.officer, supervision=closed, expected_version=closed.version, reason=" ")
    assert state(closed) == before


@pytest.mark.django_db
def test_a_stale_page_is_refused_with_409(login, supervisor, closed):
    opened_at = closed.version
    Supervision.objects.filter(pk=closed.pk).update(version=opened_at + 1)  # someone saved it in between
    before = state(closed)
    response = post_reopen(login(supervisor), closed, version=opened_at)
    assert response.status_code == 409 and "sudah diubah oleh pengguna lain" in response.content.decode()
    assert unchanged(closed, before)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pk", "head"])
def test_only_a_supervisor_reopens(login, request, closed, who):
    client = login(request.getfixturevalue(who))
    before = state(closed)
    assert client.get(reopen_url(closed)).status_code == 403
    assert post_reopen(client, closed).status_code == 403
    assert state(closed) == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["outsider", "outsider_supervisor"])
def test_another_office_gets_404(login, request, closed, who):
    client = login(request.getfixturevalue(who))
    before = state(closed)
    assert client.get(reopen_url(closed)).status_code == 404
    assert post_reopen(client, closed).status_code == 404
    assert state(closed) == before and not AuditEntry.objects.filter(action="record.view").exists()


@pytest.mark.django_db
def test_opening_the_page_is_a_view_of_the_clients_file(login, supervisor, closed):
    assert login(supervisor).get(reopen_url(closed)).status_code == 200
    entry = AuditEntry.objects.get(action="record.view")
    assert entry.detail == {"client": closed.client_id, "page": "clients:supervision_reopen"}


def reopen_link_shown(client, supervision) -> bool:
    page = client.get(reverse("clients:detail", args=[supervision.client_id])).content.decode()
    return f'href="{reopen_url(supervision)}"' in page


@pytest.mark.django_db
def test_the_client_page_offers_reopening_to_the_supervisor_while_allowed(login, pk, supervisor, supervision):
    assert not reopen_link_shown(login(supervisor), supervision)  # running
    close(supervision, supervisor)
    assert reopen_link_shown(login(supervisor), supervision)
    assert not reopen_link_shown(login(pk), supervision)  # the PK cannot reopen it
    other = SupervisionFactory(client=supervision.client, officer=pk)
    assert not reopen_link_shown(login(supervisor), supervision)  # another supervision runs
    Supervision.objects.filter(pk=other.pk).delete()
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=TODAY() - datetime.timedelta(days=REOPEN_DAYS + 1))
    assert not reopen_link_shown(login(supervisor), supervision)  # too long ago
    Supervision.objects.filter(pk=supervision.pk).update(closed_on=TODAY(), closure_reason=ClosureReason.REVOKED)
    assert not reopen_link_shown(login(supervisor), supervision)  # revoked


@pytest.mark.django_db
def test_reopening_from_the_client_page(login, supervisor, closed):
    client = login(supervisor)
    response = post_reopen(client, closed)
    page = client.get(response["Location"]).content.decode()
    assert "Pembimbingan dibuka kembali." in page and f'href="{reopen_url(closed)}"' not in page
    assert reverse("clients:supervision_close", args=[closed.pk]) in page  # running again: it can be ended


@pytest.mark.django_db
def test_client_page_query_count_for_a_supervisor_does_not_grow_with_closed_supervisions(login, pk, supervisor, closed):
    client = login(supervisor)
    url = reverse("clients:detail", args=[closed.client_id])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for _ in range(5):
        close(SupervisionFactory(client=closed.client, officer=pk), supervisor)
    assert count() == few


@pytest.mark.django_db
def test_the_next_sweep_settles_the_notice_of_a_follow_up_taken_back(pk, supervisor, closed):
    FollowUp.objects.filter(supervision=closed, offset_months=3).update(due_date=TODAY())  # as if due now
    assert sweep()["by_kind"]["follow_up_due"] == 1
    supervision_reopen(by=supervisor, supervision=closed, expected_version=closed.version, reason="Salah klien")
    assert sweep()["settled"] == 1
    assert Notification.objects.get(recipient=pk, kind="follow_up_due").resolved_at is not None
