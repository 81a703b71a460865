"""Daily digests through the outbox: once per person and day, only when something is new, never lost."""

import datetime
import socket
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from bapas.mail import offices_at_digest_hour, queue_digests, send_outbox
from bapas.models import Notification, Office, OutgoingEmail
from bapas.reminders import sweep
from tests.factories import OfficeFactory, SupervisionFactory

SEVEN_WIB = datetime.datetime(2026, 12, 1, 7, 20, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def overdue(pk):
    pk.email = "pk@bapas.example"
    pk.save()
    SupervisionFactory(client__office=pk.office, officer=pk, client__full_name="Klien Lalai",
                       next_contact_due=timezone.localdate() - datetime.timedelta(days=3))
    sweep()
    return pk


@pytest.mark.django_db
def test_the_digest_hour_is_office_local_and_each_offices_own():
    wib, wita, wit = (OfficeFactory(code=code, time_zone=zone) for code, zone in
                      (("WIB1", "Asia/Jakarta"), ("WITA1", "Asia/Makassar"), ("WIT1", "Asia/Jayapura")))
    assert offices_at_digest_hour(SEVEN_WIB) == [wib.pk]
    assert offices_at_digest_hour(SEVEN_WIB.replace(hour=6)) == [wita.pk]  # 07:20 WITA
    assert offices_at_digest_hour(SEVEN_WIB.replace(hour=5)) == [wit.pk]
    Office.objects.filter(pk=wit.pk).update(digest_hour=6)  # Jayapura wants it an hour earlier
    assert offices_at_digest_hour(SEVEN_WIB.replace(hour=4)) == [wit.pk]  # 06:20 WIT
    assert offices_at_digest_hour(SEVEN_WIB.replace(hour=5)) == []


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
