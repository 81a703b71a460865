from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from .models import Office, Role, User

STAFF_FIELDS = ["username", "first_name", "last_name", "email", "role", "nip", "jabatan", "pangkat"]


class StaffCreateForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = STAFF_FIELDS


class StaffEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = STAFF_FIELDS + ["is_active"]
        labels = {"is_active": _("Aktif (boleh masuk)")}

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor = editor

    def clean(self):
        data = super().clean()
        # An admin must not lock the office out of its own configuration.
        if self.instance.pk == self.editor.pk and (
            data.get("role") != Role.ADMIN or not data.get("is_active", True)
        ):
            raise forms.ValidationError(_("Anda tidak dapat mencabut peran admin atau menonaktifkan akun Anda sendiri."))
        return data


class OfficeForm(forms.ModelForm):
    class Meta:
        model = Office
        fields = [
            "name", "office_class", "city", "region", "time_zone", "letterhead_ministry", "letterhead_directorate",
            "letterhead_address", "letterhead_phone", "letterhead_email", "reporting_grace_days",
        ]
