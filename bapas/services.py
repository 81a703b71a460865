from axes.utils import reset as reset_failed_logins
from django.db import transaction

from .audit import audit_log
from .models import Office, User

USER_AUDIT_FIELDS = ["username", "first_name", "last_name", "email", "role", "nip", "jabatan", "pangkat", "is_active"]


@transaction.atomic
def user_create(*, by, user: User) -> User:
    user.office_id = by.office_id
    user.must_change_password = True  # the admin knows the first password
    user.save()
    audit_log(actor=by, action="user.create", obj=user, office=by.office, detail={"role": user.role})
    return user


@transaction.atomic
def user_update(*, by, user: User, changed: list[str]) -> User:
    user.save()
    audit_log(actor=by, action="user.update", obj=user, office=by.office, detail={"changed": changed})
    return user


@transaction.atomic
def user_password_reset(*, by, user: User, password: str) -> User:
    """An admin gives a user who forgot their password (or is locked out) a temporary one. The change
    ends the user's open sessions (Django checks a hash of the password on every request), lifts the
    lock-out from failed logins, and the user must choose their own password at the next login."""
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    reset_failed_logins(username=user.username)
    audit_log(actor=by, action="user.password_reset", obj=user, office=by.office)
    return user


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """A user chooses their own password; the old one was checked by the form."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_log(actor=user, action="user.password_change", obj=user, office=user.office)
    return user


@transaction.atomic
def office_update(*, by, office: Office, changed: list[str]) -> Office:
    """Saves the fields the form changed only: the office's data and its reminder schedule are two
    forms, and one must not write back what the other just saved."""
    fields = [name for name in changed if name in {field.name for field in Office._meta.concrete_fields}]
    office.save(update_fields=fields or None)
    audit_log(actor=by, action="office.update", obj=office, office=office, detail={"changed": changed})
    return office
