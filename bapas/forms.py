from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .concurrency import FingerprintedForm
from .models import CASEWORKER_ROLES, OFFICE_STAFF_ROLES, Office, Role, User

STAFF_FIELDS = ["username", "first_name", "last_name", "email", "role", "nip", "jabatan", "pangkat"]


# Checks other apps make before a caseworker stops being one (deactivated, or given another role):
# clients refuses while cases are still assigned. Each returns a message, or None.
_release_checks = []


def register_caseworker_release_check(check) -> None:
    _release_checks.append(check)


def _office_roles_only(form) -> None:
    form.fields["role"].choices = [(role.value, role.label) for role in OFFICE_STAFF_ROLES]


class StaffCreateForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = STAFF_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _office_roles_only(self)


class StaffEditForm(FingerprintedForm):
    class Meta:
        model = User
        fields = STAFF_FIELDS + ["is_active"]
        labels = {"is_active": _("Aktif (boleh masuk)")}

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor
        _office_roles_only(self)

    def clean(self):
        data = super().clean()
        # An admin must not lock the office out of its own configuration.
        if self.instance.pk == self.editor.pk and (
            data.get("role") != Role.ADMIN or not data.get("is_active", True)
        ):
            raise forms.ValidationError(_("Anda tidak dapat mencabut peran admin atau menonaktifkan akun Anda sendiri."))
        was_caseworker = self.initial.get("is_active") and self.initial.get("role") in CASEWORKER_ROLES
        stays_caseworker = data.get("is_active") and data.get("role") in CASEWORKER_ROLES
        if was_caseworker and not stays_caseworker:
            for check in _release_checks:
                if message := check(self.instance):
                    raise forms.ValidationError(message)
        return data


class OfficeForm(FingerprintedForm):
    class Meta:
        model = Office
        fields = [
            "name", "office_class", "city", "region", "time_zone", "letterhead_ministry", "letterhead_directorate",
            "letterhead_address", "letterhead_phone", "letterhead_email", "reporting_grace_days", "litmas_number_format",
            "agreement_clauses",
        ]

    def clean_litmas_number_format(self):
        """The format must number each Litmas and fill in nothing else than the three names."""
        value = self.cleaned_data["litmas_number_format"]
        try:
            Office(code="X", litmas_number_format=value).litmas_register_number(1, 2026)
        except (KeyError, IndexError, ValueError, AttributeError):
            raise forms.ValidationError(_("Hanya {nomor}, {tahun} dan {kantor} yang dapat dipakai dalam format."))
        if "{nomor}" not in value:
            raise forms.ValidationError(_("Format harus memuat {nomor}."))
        if "{tahun}" not in value:  # the count starts again each year: without the year, numbers repeat
            raise forms.ValidationError(_("Format harus memuat {tahun}: nomor urut dimulai lagi setiap tahun."))
        return value


class ReminderScheduleForm(FingerprintedForm):
    """The office's reminder offsets: when the PK, the Kasi and the admin first hear of a date coming."""

    class Meta:
        model = Office
        fields = ["ending_notice_days", "stage_notice_days", "agreement_notice_days", "digest_hour"]
