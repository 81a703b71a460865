"""Daily digests through the outbox: once per person and day, only when something is new, never lost."""

import datetime
import socket
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bapas.mail import queue_digests, send_outbox, zones_at_hour
from bapas.models import Notification, OutgoingEmail
from bapas.reminders import sweep
from tests.factories import SupervisionFactory

SEVEN_WIB = datetime.datetime(2026, 12, 1, 7, 20, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def overdue(pk):
    pk.email = "pk@bapas.example"
    pk.save()
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Lalai",
                       next_contact_due=timezone.localdate() - datetime.timedelta(days=3))
    sweep()
    return pk


def test_the_digest_hour_is_office_local():
    assert zones_at_hour(SEVEN_WIB, 7) == ["Asia/Jakarta"]
    assert zones_at_hour(SEVEN_WIB.replace(hour=6), 7) == ["Asia/Makassar"]  # 07:20 WITA
    assert zones_at_hour(SEVEN_WIB.replace(hour=5), 7) == ["Asia/Jayapura"]


@pytest.mark.django_db
def test_one_digest_per_day_and_only_with_something_new(overdue):
    assert queue_digests(SEVEN_WIB) == {"queued": 1}
    assert queue_digests(SEVEN_WIB) == {"queued": 0}  # the job ran twice: nothing new
    message = OutgoingEmail.objects.get()
    assert message.key == f"digest:{overdue.pk}:2026-12-01" and "Klien Lalai" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert send_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pk@bapas.example"]
    assert send_outbox() == {"sent": 0, "retry": 0, "failed": 0}


@pytest.mark.django_db
def test_no_digest_when_switched_off_or_outside_the_morning(login, overdue):
    assert queue_digests(SEVEN_WIB.replace(hour=12)) == {"queued": 0}
    login(overdue).post(reverse("bapas:notifications"), {"digest": "off"})
    overdue.refresh_from_db()
    assert overdue.digest_enabled is False
    assert queue_digests(SEVEN_WIB) == {"queued": 0}


@pytest.mark.django_db
def test_a_failed_send_is_kept_and_retried(overdue, settings):
    queue_digests(SEVEN_WIB)
    with socket.socket() as probe:  # a port nobody listens on: the real SMTP client fails to connect
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", dead_port, 2
    assert send_outbox() == {"sent": 0, "retry": 1, "failed": 0}
    message = OutgoingEmail.objects.get()
    assert message.status == "pending" and message.attempts == 1 and "Connection" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_outbox() == {"sent": 0, "retry": 0, "failed": 0}  # not before its retry time
    assert send_outbox(timezone.now() + datetime.timedelta(minutes=3)) == {"sent": 1, "retry": 0, "failed": 0}
    assert OutgoingEmail.objects.get().attempts == 2


@pytest.mark.django_db
def test_a_message_stuck_while_sending_is_sent_again_and_counted(overdue):
    queue_digests(SEVEN_WIB)
    OutgoingEmail.objects.update(status="sending", attempts=1, next_attempt_at=timezone.now() - datetime.timedelta(minutes=20))
    assert send_outbox() == {"sent": 1, "retry": 0, "failed": 0}
    assert OutgoingEmail.objects.get().attempts == 2
