from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import Office, User


def users_visible_to(user) -> QuerySet[User]:
    """An office admin manages the users of their own office and nobody else."""
    if not user.is_authenticated or not user.is_office_admin:
        return User.objects.none()
    return User.objects.filter(office_id=user.office_id)


def managed_user_get(*, user, pk) -> User:
    return get_object_or_404(users_visible_to(user), pk=pk)


def office_of(user) -> Office:
    return Office.objects.get(pk=user.office_id)
