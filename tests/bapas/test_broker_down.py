"""When the broker is down the web keeps working within its normal time, and nothing is lost."""

import logging
import socket
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from bapas.celery import app
from bapas.models import Notification
from bapas.reminders import sweep
from clients.models import Violation


def _reset_pools():
    # Celery caches its connection and producer pools, and kombu keeps producer pools per broker in a
    # global registry (a worker started by an earlier test leaves one there); drop them all so the
    # next publish uses the new URL with fresh connections.
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@pytest.fixture
def dead_broker():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    _reset_pools()
    yield
    app.conf.broker_url, app.conf.broker_transport_options = saved
    _reset_pools()


@pytest.mark.django_db(transaction=True)
def test_recording_a_new_offence_works_with_the_broker_down_and_the_sweep_catches_up(login, pk, supervisor, supervision, dead_broker,
                                                                                     caplog):
    caplog.set_level(logging.WARNING, logger="bapas.tasks")  # a worker started earlier may have raised the root level
    started = time.monotonic()
    response = login(pk).post(reverse("clients:violation_create", args=[supervision.pk]), {
        "kind": "new_offence", "occurred_on": timezone.localdate().isoformat(), "description": "Ditangkap Polsek",
        "action": "revocation_proposal", "status": "open"})
    elapsed = time.monotonic() - started
    assert response.status_code == 302 and Violation.objects.filter(kind="new_offence").exists()
    assert elapsed < 10, f"the page took {elapsed:.1f}s with the broker down"
    assert "could not enqueue" in caplog.text
    assert not Notification.objects.filter(kind="new_offence").exists()
    # The broker comes back; the next scheduled sweep derives the notice from the database.
    sweep()
    assert Notification.objects.filter(kind="new_offence", recipient=supervisor).count() == 1


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_up_the_supervisor_hears_at_once(login, pk, supervisor, supervision):
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        login(pk).post(reverse("clients:violation_create", args=[supervision.pk]), {
            "kind": "new_offence", "occurred_on": timezone.localdate().isoformat(), "description": "Ditangkap Polsek",
            "action": "other", "status": "open"})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not Notification.objects.filter(kind="new_offence").exists():
            time.sleep(0.2)
    assert Notification.objects.filter(kind="new_offence", recipient=supervisor).count() == 1
