import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import AuditEntry, Office, User


def users_visible_to(user) -> QuerySet[User]:
    """An office admin manages the users of their own office and nobody else."""
    if not user.is_authenticated or not user.is_office_admin:
        return User.objects.none()
    return User.objects.filter(office_id=user.office_id)


def managed_user_get(*, user, pk) -> User:
    return get_object_or_404(users_visible_to(user), pk=pk)


def locked_out(usernames) -> set[str]:
    """Which of these usernames are locked out now by too many failed logins (django-axes counts
    them per username and address; a lock lasts AXES_COOLOFF_TIME hours)."""
    from axes.models import AccessAttempt

    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return set(AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since,
                                            failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
               .values_list("username", flat=True))


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    if not user.is_authenticated or not user.reads_audit:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(office_id=user.office_id)


def office_of(user) -> Office:
    return Office.objects.get(pk=user.office_id)
