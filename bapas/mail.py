"""Daily digests and the outbox that sends them, at least once and never lost."""

import datetime
from zoneinfo import ZoneInfo

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .jobs import periodic_job
from .models import OPEN_NOTICE, Notification, Office, OutboxStatus, OutgoingEmail

MAX_ATTEMPTS = 8
STUCK_AFTER = datetime.timedelta(minutes=15)


def offices_at_digest_hour(now: datetime.datetime) -> list[int]:
    """The offices whose digest hour (Office.digest_hour, in the office's own zone) it is now."""
    return [pk for pk, zone, hour in Office.objects.values_list("pk", "time_zone", "digest_hour")
            if now.astimezone(ZoneInfo(zone)).hour == hour]


@transaction.atomic
def queue_digests(now: datetime.datetime | None = None, *, offices: list[int] | None = None) -> dict:
    """One digest per person per local day, with everything new since the last one, at their office's
    hour; nothing when there is nothing new or the person switched digests off."""
    now = now or timezone.now()
    offices = offices_at_digest_hour(now) if offices is None else offices
    if not offices:
        return {"queued": 0}
    pending = (
        Notification.objects.filter(OPEN_NOTICE, emailed_at__isnull=True, recipient__is_active=True,
                                    recipient__digest_enabled=True, recipient__office_id__in=offices)
        .exclude(recipient__email="")
        .select_related("recipient__office")
        .order_by("recipient_id", "due_date")
    )
    by_user: dict = {}
    for notification in pending:
        by_user.setdefault(notification.recipient, []).append(notification)
    messages = []
    for user, items in by_user.items():
        local_day = timezone.localdate(now, timezone=ZoneInfo(user.office.time_zone))
        with translation.override(user.language or "id"):
            subject = _("Ringkasan harian %(date)s: %(n)s hal perlu perhatian") % {"date": local_day.strftime("%d-%m-%Y"), "n": len(items)}
            body = render_to_string("bapas/email/digest.txt", {"user": user, "items": items, "day": local_day})
        messages.append(OutgoingEmail(key=f"digest:{user.pk}:{local_day.isoformat()}", recipient=user, to=user.email,
                                      subject=subject[:200], body=body))
    OutgoingEmail.objects.bulk_create(messages, ignore_conflicts=True)
    Notification.objects.filter(pk__in=[n.pk for items in by_user.values() for n in items]).update(emailed_at=now)
    return {"queued": len(messages)}


def claim_batch(now, size=100) -> list[OutgoingEmail]:
    """Marks a batch as being sent (in its own transaction, skipping rows another worker holds)."""
    with transaction.atomic():
        due = (Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
               | Q(status=OutboxStatus.SENDING, next_attempt_at__lte=now - STUCK_AFTER))
        batch = list(OutgoingEmail.objects.select_for_update(skip_locked=True).filter(due).order_by("next_attempt_at")[:size])
        for message in batch:
            message.status, message.attempts, message.next_attempt_at = OutboxStatus.SENDING, message.attempts + 1, now
        OutgoingEmail.objects.bulk_update(batch, ["status", "attempts", "next_attempt_at"])
    return batch


def send_outbox(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for message in claim_batch(now):
        try:
            send_mail(message.subject, message.body, None, [message.to], fail_silently=False)
        except Exception as error:  # any transport error: keep the message and try again later
            message.last_error = repr(error)[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
                counts["failed"] += 1
            else:
                message.status = OutboxStatus.PENDING
                message.next_attempt_at = now + datetime.timedelta(minutes=2 ** message.attempts)
                counts["retry"] += 1
        else:
            message.status, message.sent_at = OutboxStatus.SENT, timezone.now()
            counts["sent"] += 1
        message.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    return counts


@periodic_job("bapas.daily_digest", hour="*", minute="15")
def digest_job() -> dict:
    """Hourly; each run queues the digests of the offices whose digest hour it is now, in their own zone."""
    return queue_digests()


@periodic_job("bapas.send_outbox", hour="*", minute="*/5")
def outbox_job() -> dict:
    return send_outbox()
