from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.forms import DATE, tpp_fields

from .models import LITMAS_SECTIONS, RESPONSIVITY_FACTORS, AssessmentKind, CasePlanGoal, InstrumentVersion, Litmas


class StartForm(forms.Form):
    version = forms.ModelChoiceField(label=gettext_lazy("Instrumen"), queryset=InstrumentVersion.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Jenis asesmen"), choices=AssessmentKind.choices)

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions
        self.fields["version"].label_from_instance = lambda v: f"{v.instrument.code} {v.version} — {v.name}"


class AssessmentMetaForm(forms.Form):
    """The parts of the assessment form that are not instrument items."""

    assessed_on = forms.DateField(label=gettext_lazy("Tanggal asesmen"), widget=DATE)
    responsivity = forms.MultipleChoiceField(
        label=gettext_lazy("Responsivitas"), choices=RESPONSIVITY_FACTORS, required=False, widget=forms.CheckboxSelectMultiple
    )
    responsivity_notes = forms.CharField(
        label=gettext_lazy("Catatan responsivitas"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    row_version = forms.IntegerField(widget=forms.HiddenInput)
    override_level = forms.CharField(required=False)
    override_reason = forms.CharField(required=False)

    def clean_assessed_on(self):
        day = self.cleaned_data["assessed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal asesmen tidak boleh di masa depan."))
        return day


def answers_from_post(definition: dict, data) -> dict:
    """Reads the instrument part of the form: a-<code>-option, a-<code>-checked, a-<code>-note."""
    answers = {}
    for item in definition["items"]:
        prefix = f"a-{item['code']}-"
        entry = {"note": data.get(prefix + "note", "")}
        if item.get("scored"):
            entry["option"] = data.get(prefix + "option") or None
        else:
            entry["checked"] = data.get(prefix + "checked") == "on"
        answers[item["code"]] = entry
    return answers


class GoalForm(forms.ModelForm):
    class Meta:
        model = CasePlanGoal
        fields = ["need_domain", "goal", "actions", "target_date"]
        # An HTML date input takes ISO dates whatever the language (Indonesian would render 29-11-2026).
        widgets = {"target_date": DATE, "actions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, domains=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need_domain"] = forms.ChoiceField(label=_("Domain kebutuhan"), choices=[(d, d) for d in domains])

    def clean_target_date(self):
        day = self.cleaned_data["target_date"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Target tanggal tidak boleh di masa lalu."))
        return day


class HearingForm(forms.Form):
    """The sidang TPP an agenda is for: its date and number, carried to each decision."""

    tpp_date, tpp_number = tpp_fields(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # drawn by hand in a filter row, not by crispy
            field.widget.attrs["class"] = "form-control"


class ApproveForm(forms.Form):
    tpp_date, tpp_number = tpp_fields()


class LitmasRequestForm(forms.ModelForm):
    """The register entry: what is asked, by whom, by when, and which PK writes it."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Litmas
        fields = ["kind", "supervision", "officer", "requested_by", "request_letter", "requested_on", "due_on"]
        widgets = {"requested_on": DATE, "due_on": DATE}

    def __init__(self, *args, supervisions, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervision"].queryset = supervisions
        self.fields["supervision"].label_from_instance = (
            lambda s: f"{s.get_legal_basis_display()} · {s.decree_number} ({s.start_date:%d-%m-%Y})")
        self.fields["supervision"].help_text = _("Kosongkan untuk Litmas integrasi yang belum menjadi pembimbingan.")
        self.fields["officer"].queryset = officers
        # The dates' order and the PK's office are the service's rules (litmas._check_request).


class LitmasSectionsForm(forms.ModelForm):
    """The report itself, part by part."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Litmas
        fields = [name for name, _required in LITMAS_SECTIONS]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name, _required in LITMAS_SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, required in LITMAS_SECTIONS:
            if required:  # optional while drafting; needed before the TPP (the service says which are missing)
                self.fields[name].label = f"{self.fields[name].label} *"


class LitmasDecisionForm(forms.Form):
    """What the sidang TPP decided: approved (with its date and number) or returned with a note."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)
    tpp_date, tpp_number = tpp_fields(required=False)
    note = forms.CharField(label=gettext_lazy("Catatan sidang TPP"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("return", "return")], widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "approve":
            if not data.get("tpp_date"):
                self.add_error("tpp_date", _("Isi tanggal sidang TPP."))
            if not (data.get("tpp_number") or "").strip():
                self.add_error("tpp_number", _("Isi nomor sidang TPP."))
        return data


class LitmasCancelForm(forms.Form):
    row_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Alasan pembatalan"), max_length=200)
