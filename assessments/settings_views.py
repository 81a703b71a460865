"""Office configuration owned by assessments: the intensity policy and instrument versions."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from bapas.access import require_office_admin
from bapas.audit import audit_log
from bapas.concurrency import save_from_form

from .definitions import DefinitionError, load_definition
from .models import LEVELS, InstrumentVersion
from .policy import RULE_FIELDS, SETTING_FIELDS, current_policy, policy_publish

RULE_LABELS = {
    "contacts_per_month": gettext_lazy("Kontak per bulan"),
    "home_visits_per_quarter": gettext_lazy("Kunjungan rumah per triwulan"),
    "reassessment_months": gettext_lazy("Asesmen ulang tiap (bulan)"),
    "programme_hours": gettext_lazy("Target jam program"),
}
LIMITS = {"contacts_per_month": (1, 30), "home_visits_per_quarter": (0, 30), "reassessment_months": (1, 24), "programme_hours": (0, 1000)}


class PolicyForm(forms.Form):
    expected_number = forms.IntegerField(widget=forms.HiddenInput, required=False)  # the version the admin opened
    provisional_contacts_per_month = forms.IntegerField(
        label=gettext_lazy("Kontak per bulan sebelum asesmen pertama"), min_value=1, max_value=30)
    first_assessment_days = forms.IntegerField(
        label=gettext_lazy("Asesmen pertama paling lambat (hari setelah mulai)"), min_value=1, max_value=180)
    event_reassessment_days = forms.IntegerField(
        label=gettext_lazy("Asesmen ulang setelah pelanggaran atau pergantian tahap (hari)"), min_value=1, max_value=90,
        help_text=gettext_lazy("Pelanggaran, dan awal tahap lanjutan atau akhir, memajukan asesmen ulang ke sekian hari setelahnya."))
    home_visit_notice_days = forms.IntegerField(
        label=gettext_lazy("Pengingat kunjungan rumah (hari sebelum akhir triwulan)"), min_value=1, max_value=92,
        help_text=gettext_lazy(
            "Sejak sekian hari sebelum triwulan berakhir, PK diingatkan akan klien yang kunjungan rumahnya belum cukup."))

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for level in LEVELS:
            row = []
            for field in RULE_FIELDS:
                name = f"{level}|{field}"
                low, high = LIMITS[field]
                self.fields[name] = forms.IntegerField(label=f"{level}: {RULE_LABELS[field]}", min_value=low, max_value=high,
                                                       initial=policy.rules.get(level, {}).get(field))
                row.append(self[name])
            self.rows.append((level, row))
        for name in SETTING_FIELDS:
            self.fields[name].initial = getattr(policy, name)
        self.fields["expected_number"].initial = policy.number

    def rules(self) -> dict:
        return {level: {field: self.cleaned_data[f"{level}|{field}"] for field in RULE_FIELDS} for level in LEVELS}


@login_required
@require_http_methods(["GET", "POST"])
def intensity_policy(request: HttpRequest) -> HttpResponse:
    require_office_admin(request.user)
    policy = current_policy(request.user.office_id)
    form = PolicyForm(request.POST or None, policy=policy)
    status = 200
    if request.method == "POST" and form.is_valid():
        status = save_from_form(form, lambda: policy_publish(
            by=request.user, office_id=request.user.office_id, rules=form.rules(), expected_number=form.cleaned_data["expected_number"],
            **{name: form.cleaned_data[name] for name in SETTING_FIELDS}))
        if status is None:
            new, moved = form.saved
            messages.success(request, _("Kebijakan versi %(n)s berlaku; %(m)s pembimbingan aktif diperbarui.")
                             % {"n": new.number, "m": moved})
            return redirect("assessments_settings:policy")
    context = {"form": form, "policy": policy, "labels": [RULE_LABELS[f] for f in RULE_FIELDS]}
    return render(request, "assessments/settings/policy.html", context, status=status)


class InstrumentUploadForm(forms.Form):
    definition = forms.FileField(label=gettext_lazy("Berkas definisi (JSON)"))

    def clean_definition(self):
        upload = self.cleaned_data["definition"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("Berkas definisi paling besar 1 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise forms.ValidationError(_("Bukan JSON yang sah: %(error)s") % {"error": error}) from error


@login_required
@require_http_methods(["GET", "POST"])
def instruments(request: HttpRequest) -> HttpResponse:
    """Instrument versions: the shipped ones and any an admin loads (e.g. the official wording)."""
    require_office_admin(request.user)
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version, outcome = load_definition(form.cleaned_data["definition"], by=request.user,
                                               source_file=request.FILES["definition"].name)
        except DefinitionError as error:
            form.add_error("definition", str(error))
        else:
            audit_log(actor=request.user, action="instrument.load", obj=version, office=request.user.office,
                      detail={"outcome": outcome, "hash": version.content_hash})
            messages.success(request, f"{version}: {outcome}")
            return redirect("assessments_settings:instruments")
    versions = InstrumentVersion.objects.select_related("instrument", "loaded_by").defer("definition")
    return render(request, "assessments/settings/instruments.html", {"form": form, "versions": versions})
