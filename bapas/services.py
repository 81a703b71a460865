from django.db import transaction

from .audit import audit_log
from .models import Office, User

USER_AUDIT_FIELDS = ["username", "first_name", "last_name", "email", "role", "nip", "jabatan", "pangkat", "is_active"]


@transaction.atomic
def user_create(*, by, user: User) -> User:
    user.office_id = by.office_id
    user.save()
    audit_log(actor=by, action="user.create", obj=user, office=by.office, detail={"role": user.role})
    return user


@transaction.atomic
def user_update(*, by, user: User, changed: list[str]) -> User:
    user.save()
    audit_log(actor=by, action="user.update", obj=user, office=by.office, detail={"changed": changed})
    return user


@transaction.atomic
def office_update(*, by, office: Office, changed: list[str]) -> Office:
    office.save()
    audit_log(actor=by, action="office.update", obj=office, office=office, detail={"changed": changed})
    return office
