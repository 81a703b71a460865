"""Optimistic locking for edits made from forms: the form carries the version it was opened at,
and the save is refused if someone saved in between, instead of silently overwriting them."""

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
