"""Optimistic locking for edits made from forms: the form carries the version it was opened at,
and the save is refused if someone saved in between, instead of silently overwriting them."""

import hashlib
import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
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
    None when it saved (the view redirects; what the service returned is `form.saved`); otherwise the
    status to show the form again with, the user's input kept: 409 when someone saved the record in
    between, 200 when the service refused it by one of its rules (shown on the form)."""
    try:
        form.saved = write()
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


def digest(values) -> str:
    """A short digest of values as a form showed them: a version for what has no version column."""
    return hashlib.sha256(json.dumps(values, cls=DjangoJSONEncoder, default=str, sort_keys=True).encode()).hexdigest()[:20]


def fingerprint(instance, fields) -> str:
    """The digest of what `fields` of a record hold: the version, for records edited in place that
    have no version column (an office's settings, a user, a partner)."""
    return digest([instance._meta.get_field(name).value_from_object(instance) for name in fields])


def check_digest(posted: str | None, current: str) -> None:
    """Raises StaleEdit when what is stored now is not what the form was opened on."""
    if posted != current:
        raise StaleEdit()


class FingerprintedForm(forms.ModelForm):
    """Carries a fingerprint of the values the form showed; save_unless_changed refuses the save
    when the record holds other values by then (someone saved in between)."""

    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = {field.name for field in self.instance._meta.get_fields() if field.concrete}
        self.fingerprint_fields = [name for name in self.fields if name in model_fields]
        if self.instance.pk is not None:
            self.fields["fingerprint"].initial = fingerprint(self.instance, self.fingerprint_fields)

    def check_unchanged(self) -> None:
        """Raises StaleEdit when the stored record changed since the form was opened; otherwise locks
        its row until the request's transaction ends, so the save that follows cannot race another."""
        if self.instance.pk is None:
            return
        stored = type(self.instance)._default_manager.select_for_update().get(pk=self.instance.pk)
        check_digest(self.cleaned_data.get("fingerprint"), fingerprint(stored, self.fingerprint_fields))


def save_unless_changed(form: FingerprintedForm, write) -> int | None:
    """save_from_form for a record with no version column: 409 when it changed since the form was opened."""
    def checked():
        form.check_unchanged()
        return write()
    return save_from_form(form, checked)
