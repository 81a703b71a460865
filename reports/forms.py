import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.forms import caseworkers_of

from .workload import NO_AREA


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
    """Which of a PK's active cases to move (how many, from which kecamatan), to whom, and why (the
    reason goes into each case's history)."""

    targets = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kepada PK"), queryset=None, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=gettext_lazy("Kasus dibagi kepada PK yang dipilih menurut beban kerja: setiap kasus ke PK yang bebannya paling ringan."))
    area = forms.ChoiceField(label=gettext_lazy("Kecamatan klien"), required=False,
                             help_text=gettext_lazy("Untuk membagi menurut wilayah kunjungan rumah."))
    count = forms.IntegerField(label=gettext_lazy("Jumlah kasus"), min_value=1, required=False,
                               help_text=gettext_lazy("Kosongkan untuk semua. Kasus yang paling baru dimulai dialihkan lebih dulu."))
    reason = forms.CharField(label=gettext_lazy("Alasan"), max_length=200,
                             help_text=gettext_lazy("Misalnya: PK pindah tugas, cuti panjang, beban berlebih."))

    def __init__(self, *args, source, areas: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = caseworkers_of(source.office_id).exclude(pk=source.pk)
        self.areas = areas
        unfilled = _("(kecamatan tidak diisi)")
        self.fields["area"].choices = [("", _("Semua (%(n)d kasus)") % {"n": sum(areas.values())})] + [
            (area, f"{unfilled if area == NO_AREA else area} ({n})") for area, n in sorted(areas.items())]
        self.fields["count"].widget.attrs.update({"max": sum(areas.values()), "placeholder": _("semua")})

    def clean(self):
        data = super().clean()
        area, count = data.get("area", ""), data.get("count")
        available = self.areas.get(area, 0) if area else sum(self.areas.values())
        if count is not None and count > available:
            self.add_error("count", _("Hanya ada %(n)d kasus aktif untuk pilihan ini.") % {"n": available})
        return data
