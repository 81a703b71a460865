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
