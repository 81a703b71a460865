import datetime
import time

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from bapas.jobs import registered_jobs, run_job, sync_schedules
from bapas.models import AuditEntry, JobRun
from clients.models import Supervision
from tests.factories import SupervisionFactory


def _expired_delegation(pk, pk2):
    return SupervisionFactory(
        client__office=pk.office, officer=pk, delegate=pk2,
        delegated_until=timezone.localdate() - datetime.timedelta(days=2),
    )


@pytest.mark.django_db
def test_every_scheduled_job_runs_once_and_is_recorded():
    assert registered_jobs()
    for name in registered_jobs():
        run = run_job(name)
        assert run.ok is True and run.finished_at is not None, name


@pytest.mark.django_db
def test_schedules_are_synced_into_beat():
    PeriodicTask.objects.all().delete()
    sync_schedules()
    sync_schedules()  # twice: still one row per job
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= set(registered_jobs())
    assert PeriodicTask.objects.filter(name="clients.expire_delegations").count() == 1


@pytest.mark.django_db
def test_expired_delegations_end_and_current_ones_stay(pk, pk2):
    expired = _expired_delegation(pk, pk2)
    current = SupervisionFactory(client__office=pk.office, officer=pk, delegate=pk2, delegated_until=timezone.localdate())
    assert run_job("clients.expire_delegations").counts == {"ended": 1}
    expired.refresh_from_db()
    current.refresh_from_db()
    assert expired.delegate is None and current.delegate == pk2
    assert AuditEntry.objects.filter(action="supervision.delegations_expired").count() == 1
    assert run_job("clients.expire_delegations").counts == {"ended": 0}


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_job_runs_through_the_broker_on_a_real_worker(pk, pk2):
    from celery.contrib.testing.worker import start_worker

    from bapas.celery import app
    from bapas.tasks import run_periodic_job

    supervision = _expired_delegation(pk, pk2)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        run_periodic_job.delay("clients.expire_delegations")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not JobRun.objects.filter(ok=True).exists():
            time.sleep(0.2)
    assert JobRun.objects.get(name="clients.expire_delegations").counts == {"ended": 1}
    assert Supervision.objects.get(pk=supervision.pk).delegate is None


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_reminder_sweep_runs_through_the_broker_twice_with_one_set_of_notifications(pk, supervisor):
    from celery.contrib.testing.worker import start_worker

    from bapas.celery import app
    from bapas.models import Notification
    from bapas.tasks import run_periodic_job

    SupervisionFactory(client__office=pk.office, officer=pk, next_contact_due=timezone.localdate() - datetime.timedelta(days=3))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        for expected_runs in (1, 2):
            run_periodic_job.delay("bapas.sweep_reminders")
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and JobRun.objects.filter(name="bapas.sweep_reminders", ok=True).count() < expected_runs:
                time.sleep(0.2)
    runs = list(JobRun.objects.filter(name="bapas.sweep_reminders").order_by("started_at"))
    assert [run.ok for run in runs] == [True, True]
    assert runs[0].counts["by_kind"]["contact_overdue"] == 1 and runs[1].counts["created"] == 0
    assert Notification.objects.filter(recipient=pk, kind="contact_overdue").count() == 1


@pytest.mark.django_db
def test_status_page_shows_last_runs_and_failures(login, admin_user, pk):
    from django.urls import reverse

    run_job("clients.expire_delegations")
    JobRun.objects.create(name="bapas.sweep_reminders", started_at=timezone.now(), finished_at=timezone.now(), ok=False,
                          error="OperationalError('database is locked')")
    page = login(admin_user).get(reverse("bapas:job_status")).content.decode()
    assert page.count('data-testid="job-row"') == len(registered_jobs())
    assert "clients.expire_delegations" in page and "database is locked" in page and "OK" in page
    assert login(pk).get(reverse("bapas:job_status")).status_code == 403


@pytest.mark.django_db
def test_every_scheduled_job_runs_on_the_demo_data_and_the_sweep_costs_the_same_on_twice_the_data():
    import random

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bapas.models import Notification, Office, Role, User
    from bapas.reminders import sweep
    from clients import demo

    call_command("seed_demo")
    for name in registered_jobs():
        assert run_job(name).ok is True, name

    def sweep_queries():
        Notification.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            sweep()
        return len(queries)

    once = sweep_queries()
    # Twice the demo data: a third office as large as both demo offices together.
    spec = {**demo.OFFICES[0], "code": "TWN", "name": "Bapas Kembar"}
    office = Office.objects.create(code="TWN", name="Bapas Kembar", city="Palembang")
    officers = [User.objects.create(username=f"twin.pk{i}", office=office, role=Role.PK) for i in range(3)]
    User.objects.create(username="twin.kasi", office=office, role=Role.SUPERVISOR)
    demo._clients(office, spec, officers, sum(demo.CLIENTS_PER_OFFICE.values()), random.Random(7))
    assert sweep_queries() == once


@pytest.mark.django_db
def test_expired_sessions_are_cleared_and_live_ones_kept(login, pk):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.urls import reverse

    client = login(pk)
    stale = SessionStore()
    stale["note"] = "old"
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(expire_date=timezone.now() - datetime.timedelta(minutes=1))

    assert run_job("bapas.clear_expired_sessions").counts == {"deleted": 1}
    assert not Session.objects.filter(session_key=stale.session_key).exists()
    assert client.get(reverse("bapas:today")).status_code == 200  # the signed-in session is still there
    assert run_job("bapas.clear_expired_sessions").counts == {"deleted": 0}
