import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
