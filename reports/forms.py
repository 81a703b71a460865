import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.forms import caseworkers_of


class MonthForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Bulan"), widget=forms.TextInput(attrs={"type": "month"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The month usually asked for is the one just ended.
        self.fields["month"].initial = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")

    def clean_month(self):
        try:
            month = datetime.datetime.strptime(self.cleaned_data["month"], "%Y-%m").date()
        except ValueError as error:
            raise forms.ValidationError(_("Pilih bulan (TTTT-BB).")) from error
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Bulan tidak boleh di masa depan."))
        return month


class ReassignForm(forms.Form):
    """Which of a PK's active cases to move, to whom, and why (the reason goes into each case's history)."""

    targets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kepada PK"), queryset=None, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy("Kasus dibagi kepada PK yang dipilih menurut beban kerja: setiap kasus ke PK yang bebannya paling ringan."))
    count = forms.IntegerField(label=gettext_lazy("Jumlah kasus"), min_value=1,
                               help_text=gettext_lazy("Kasus yang paling baru dimulai dialihkan lebih dulu."))
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=200,
                             help_text=gettext_lazy("Misalnya: PK pindah tugas, cuti panjang, beban berlebih."))

    def __init__(self, *args, source, active: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = caseworkers_of(source.office_id).exclude(pk=source.pk)
        self.fields["count"].widget.attrs["max"] = active
        self.fields["count"].initial = active
        self.active = active

    def clean_count(self):
        count = self.cleaned_data["count"]
        if count > self.active:
            raise forms.ValidationError(_("PK ini hanya memegang %(n)d kasus aktif.") % {"n": self.active})
        return count
