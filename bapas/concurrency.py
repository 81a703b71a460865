"""Optimistic locking for edits made from forms: the form carries the version it was opened at,
and the save is refused if someone saved in between, instead of silently overwriting them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleEdit(Exception):
    """Someone else saved the record after this form was opened."""

    message = _("Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Muat ulang halaman, lalu ulangi perubahan Anda.")


def lock_current(model, pk, expected_version: int, *, field: str = "version"):
    """The row, locked for this transaction, if it is still at the version the user edited."""
    current = model.objects.select_for_update().get(pk=pk)
    if getattr(current, field) != expected_version:
        raise StaleEdit()
    return current


def save_from_form(form, write) -> int | None:
    """Runs `write`, the service that saves what a valid form holds, and says how the view answers:
    None when it saved (the view redirects); otherwise the status to show the form again with, the
    user's input kept: 409 when someone saved the record in between, 200 when the service refused
    it by one of its rules (shown on the form)."""
    try:
        write()
    except StaleEdit as stale:
        form.add_error(None, stale.message)
        return 409
    except ValidationError as error:
        add_service_errors(form, error)
        return 200
    return None


def add_service_errors(form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on the field it names where the form has that field,
    else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
